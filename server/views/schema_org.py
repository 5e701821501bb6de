"""schema.org JSON-LD for every HTML page (issue 17, point 6).

A page about a resource of the graph describes it with the schema.org type that fits its
``rdf:type`` (an instrument is ``schema:Legislation``, a report ``schema:Report``, any other
document ``schema:CreativeWork``, a body ``schema:GovernmentOrganization``, a session or a
meeting ``schema:Event``, anything else ``schema:Thing``): its ``rdfs:label``s as ``name`` (one
value object per language), the symbol as ``identifier``, the date as ``datePublished`` or
``startDate``, the outside links (``rdfs:seeAlso``: undocs.org, the UN Digital Library) as
``subjectOf`` web pages (not ``sameAs``: see mandategraph/build/links.py). Other pages (home,
search, lists) are a ``schema:WebPage`` of the ``schema:Dataset``. Embedded in
``<script type="application/ld+json">`` with ``<`` escaped.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup
from rdflib import URIRef

from mandategraph.core.namespaces import UN

from .env import PageEnv

#: ontology class -> schema.org type, most specific first
SCHEMA_TYPES = (
    (UN.Instrument, "Legislation"),
    (UN.Report, "Report"),
    (UN.Document, "CreativeWork"),
    (UN.Body, "GovernmentOrganization"),
    (UN.Session, "Event"),
    (UN.Meeting, "Event"),
    (UN.AgendaItem, "DefinedTerm"),
    (UN.Mandate, "CreativeWork"),
)


def _page_iri(penv: PageEnv, request: Any) -> str | None:
    path = request.url.path
    if penv.root and path.startswith(penv.root):
        path = path[len(penv.root):]
    if path == "/resource":
        return request.query_params.get("iri")
    first = path.strip("/").split("/", 1)[0]
    if first in ("doc", "instrument", "body", "agenda", "graph"):
        return penv.base + path
    return None


def describe(penv: PageEnv, request: Any) -> dict[str, Any]:
    site = penv.base + "/dataset"
    iri = _page_iri(penv, request)
    if iri is None:
        return {"@context": "https://schema.org/", "@type": "WebPage", "url": penv.base + request.url.path,
                "isPartOf": {"@type": "Dataset", "@id": site, "name": "mandategraph"}}
    rows = penv.select("_schema-org", iri=URIRef(iri))
    types = {r["type"] for r in rows if r.get("type") is not None}
    kind = next((name for cls, name in SCHEMA_TYPES if cls in types), "Thing")
    out: dict[str, Any] = {"@context": "https://schema.org/", "@type": kind, "@id": iri, "url": iri,
                           "isPartOf": {"@type": "Dataset", "@id": site}}
    names = sorted({(str(r["label"]), r["label"].language or "") for r in rows if r.get("label") is not None})
    if names:
        out["name"] = [{"@value": v, "@language": lang} if lang else v for v, lang in names]
    elif rows:  # a node without a name of its own (a session, a meeting): the page's label
        out["name"] = penv.label(iri)
    symbols = sorted({str(r["symbol"]) for r in rows if r.get("symbol") is not None})
    if symbols:
        out["identifier"] = symbols if len(symbols) > 1 else symbols[0]
    dates = sorted({str(r["date"]) for r in rows if r.get("date") is not None})
    if dates:
        out["startDate" if kind == "Event" else "datePublished"] = dates[0]
    links = sorted({str(r["seeAlso"]) for r in rows if r.get("seeAlso") is not None})
    if links:
        out["subjectOf"] = [{"@type": "WebPage", "url": u} for u in links]
    return out


def schema_jsonld(penv: PageEnv, request: Any) -> Markup:
    """The ``<script>`` element (safe to embed: ``<``, ``>`` and ``&`` escaped as JSON)."""
    try:
        data = describe(penv, request)
    except Exception:  # noqa: BLE001 - a description must never break the page
        data = {"@context": "https://schema.org/", "@type": "WebPage"}
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')
