"""Extraction: a :class:`~mandategraph.ingest.Source` -> :class:`~mandategraph.facts.Facts`.

Document-type extractors (annotated agendas, GA resolutions and drafts, ...) register here;
language-specific wording lives in rule sets (``zh``, ``en``) behind one interface so that
French, Spanish, Russian and Arabic can be added as data and small modules.
"""

from __future__ import annotations
