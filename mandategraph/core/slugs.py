"""Slugs: the generic path segment of a series notation or a name (used by the IRI scheme and
by the extractors that key nodes by slug)."""

from __future__ import annotations

import re


def slugify(text: str) -> str:
    """Generic slug of a series notation or name: ``CTOC/COP/WG.2`` -> ``ctoc-cop-wg-2``."""
    s = re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-")
    return s or "x"
