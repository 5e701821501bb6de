"""IRI minting: the only place where data IRIs are made (docs/ontology.md, "IRI scheme").

Scheme (after docs/prior/prior-art-ontology.md, "URI scheme"):

- document (work)        {base}/doc/{symbol}                 e.g. .../doc/CTOC/COP/2024/CRP.3
- language version       {base}/doc/{symbol}/@{lang}
- instrument             {base}/instrument/{body-slug}/{resolution|decision}/{n-m}
- instrument paragraph   {instrument}/{label}                e.g. .../op-5, .../annex-53
- mandate                {instrument}/mandate/{local}
- body                   {base}/body/{slug}
- session                {base}/body/{slug}/session/{n}
- meeting                {base}/body/{slug}/meeting/{n}
- agenda item            {base}/agenda/{agenda symbol}/item/{n}   e.g. .../item/2-b
- source named graph     {base}/graph/{symbol}/@{lang}, or {base}/graph/file/{name}

The base is configuration (``MANDATEGRAPH_BASE`` or the ``--base`` option), the slugs of
bodies come from ``data/reference/bodies.csv`` or are derived from the series notation.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import URIRef

from ..core.namespaces import DEFAULT_BASE
from ..core.reference import bodies
from ..core.slugs import slugify

_SAFE = "/.-_~()*"


def _path(symbol: str) -> str:
    return quote(symbol.strip().replace(" ", "_"), safe=_SAFE)


def number_slug(number: str) -> str:
    """Instrument number as cited -> path segment: ``10/1`` -> ``10-1``,
    ``1325 (2000)`` -> ``1325-2000``, ``ES-10/1`` -> ``ES-10-1``."""
    return re.sub(r"[^0-9A-Za-z.]+", "-", number.strip()).strip("-") or "x"


def item_slug(item: str) -> str:
    """Agenda item as printed -> path segment: ``2(b)`` -> ``2-b``, ``99 (cc)`` -> ``99-cc``."""
    return slugify(item)


@dataclass(frozen=True)
class Iris:
    """Mints IRIs under one base. ``Iris()`` uses MANDATEGRAPH_BASE or the default base."""

    base: str = ""

    def __post_init__(self) -> None:
        if not self.base:
            object.__setattr__(self, "base", os.environ.get("MANDATEGRAPH_BASE", DEFAULT_BASE))
        object.__setattr__(self, "base", self.base.rstrip("/"))

    # documents -----------------------------------------------------------------------
    def doc(self, symbol: str) -> URIRef:
        return URIRef(f"{self.base}/doc/{_path(symbol)}")

    def expression(self, symbol: str, lang: str) -> URIRef:
        return URIRef(f"{self.doc(symbol)}/@{lang}")

    def graph_for(self, symbol: str | None, lang: str | None, filename: str) -> URIRef:
        if symbol:
            return URIRef(f"{self.base}/graph/{_path(symbol)}/@{lang or 'und'}")
        return URIRef(f"{self.base}/graph/file/{quote(filename, safe='.-_')}")

    # bodies, sessions, meetings ----------------------------------------------------------
    def body(self, key: str) -> URIRef:
        return URIRef(f"{self.base}/body/{body_slug(key)}")

    def session(self, body_key: str, number: int | str) -> URIRef:
        return URIRef(f"{self.body(body_key)}/session/{number}")

    def meeting(self, body_key: str, number: int | str) -> URIRef:
        return URIRef(f"{self.body(body_key)}/meeting/{number}")

    # instruments and mandates ---------------------------------------------------------
    def instrument(self, body_key: str, kind: str, number: str) -> URIRef:
        return URIRef(f"{self.base}/instrument/{body_slug(body_key)}/{kind}/{number_slug(number)}")

    def paragraph(self, instrument: URIRef, label: str) -> URIRef:
        return URIRef(f"{instrument}/{slugify(label)}")

    def mandate(self, instrument: URIRef, local: str) -> URIRef:
        return URIRef(f"{instrument}/mandate/{slugify(local)}")

    # agendas --------------------------------------------------------------------------
    def agenda_item(self, agenda_symbol: str, item: str) -> URIRef:
        return URIRef(f"{self.base}/agenda/{_path(agenda_symbol)}/item/{item_slug(item)}")

    def planned_item(self, body_key: str, session: int | str, local: str) -> URIRef:
        return URIRef(f"{self.session(body_key, session)}/planned-item/{slugify(local)}")

    def annotation(self, graph: URIRef, digest: str) -> URIRef:
        return URIRef(f"{graph}#a-{digest}")

    def statement(self, graph: URIRef, digest: str) -> URIRef:
        return URIRef(f"{graph}#s-{digest}")

    def activity(self, graph: URIRef) -> URIRef:
        return URIRef(f"{graph}#extraction")


def body_slug(key: str) -> str:
    body = bodies().get(key)
    return body.slug if body else slugify(key)
