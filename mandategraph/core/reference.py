"""Curated reference data shipped in ``data/reference/`` (bodies, their series and names).

Every row carries its source. The extractors read names and series from here, so facts about
particular bodies stay in data, never in code.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache

from .resources import read_text


@dataclass(frozen=True)
class Body:
    key: str  #: series notation ("CTOC/COP", "E/CN.15") or a slug for bodies without one
    slug: str
    cls: str  #: ontology class local name: Body, Conference, WorkingGroup, Secretariat, ...
    name_en: str
    aliases_en: tuple[str, ...]
    name_zh: str
    aliases_zh: tuple[str, ...]
    parent: str | None
    source: str

    @property
    def series(self) -> str | None:
        """The symbol series notation, or None for bodies known only by name."""
        return self.key if (self.key[:1].isupper()) else None

    def names(self, lang: str) -> tuple[str, ...]:
        if lang == "zh":
            return (self.name_zh, *self.aliases_zh)
        return (self.name_en, *self.aliases_en)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split("|") if x.strip())


@lru_cache(maxsize=1)
def bodies() -> dict[str, Body]:
    """Bodies by key (series notation or slug)."""
    rows = csv.DictReader(io.StringIO(read_text("data", "reference", "bodies.csv")))
    out: dict[str, Body] = {}
    for row in rows:
        body = Body(
            key=row["key"],
            slug=row["slug"],
            cls=row["class"],
            name_en=row["name_en"],
            aliases_en=_split(row["aliases_en"]),
            name_zh=row["name_zh"],
            aliases_zh=_split(row["aliases_zh"]),
            parent=row["parent"] or None,
            source=row["source"],
        )
        out[body.key] = body
    return out


def body_by_slug(slug: str) -> Body | None:
    for body in bodies().values():
        if body.slug == slug:
            return body
    return None


@lru_cache(maxsize=1)
def compound_state_names() -> frozenset[str]:
    """State names that contain " and " (``data/reference/state-names.csv``): a sponsor list
    "..., Sweden and Trinidad and Tobago" is split around them, not inside them."""
    rows = csv.DictReader(io.StringIO(read_text("data", "reference", "state-names.csv")))
    return frozenset(r["name_en"].strip() for r in rows if " and " in r["name_en"])
