"""The ontology dereferences: ``/ontology`` (and each term ``/ontology#Name``, a fragment of it).

Turtle, JSON-LD, N-Triples or RDF/XML by Accept header or by suffix (``/ontology.ttl`` ...),
HTML for browsers: one section per class, property and individual whose ``id`` is the term's
local name, so ``https://w3id.org/mandategraph/ontology#Document`` lands on its definition.
The page carries schema.org JSON-LD (``schema:DefinedTermSet`` with a ``schema:DefinedTerm``
per term). Built once from ``ontology/mandategraph.ttl`` (a file shipped in the wheel).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from mandategraph.core.namespaces import UN
from mandategraph.core.resources import read_text
from mandategraph.export import bind_prefixes, serialize_graph

from ..dependencies import ServerState, StateOf, state_router
from ..conneg import RDF_TYPES, SUFFIXES, NotAcceptable, media_type, negotiate_resource

ONTOLOGY_IRI = str(UN).rstrip("#")
_ENV = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "ld_templates"),
                   autoescape=select_autoescape(["html"]))
_GROUPS = (("Classes", OWL.Class), ("Object properties", OWL.ObjectProperty),
           ("Datatype properties", OWL.DatatypeProperty))


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    g = Graph()
    g.parse(data=read_text("ontology", "mandategraph.ttl"), format="turtle")
    bind_prefixes(g)
    return g


@lru_cache(maxsize=8)
def ontology_bytes(fmt: str) -> bytes:
    return serialize_graph(ontology_graph(), fmt)


def _show(g: Graph, o: object) -> dict[str, str | None]:
    if isinstance(o, URIRef):
        s = str(o)
        href = "#" + s[len(str(UN)):] if s.startswith(str(UN)) else s
        return {"text": g.namespace_manager.normalizeUri(o), "href": href}
    return {"text": str(o) + (f" @{o.language}" if isinstance(o, Literal) and o.language else ""), "href": None}


def _terms(g: Graph) -> list[tuple[str, list[dict]]]:
    groups = []
    seen: set[URIRef] = set()
    skip = {RDFS.label, RDFS.comment, RDF.type}
    for name, cls in (*_GROUPS, ("Individuals", None)):
        if cls is None:
            subjects = sorted(s for s in set(g.subjects()) if isinstance(s, URIRef)
                              and str(s).startswith(str(UN)) and s not in seen)
        else:
            subjects = sorted(s for s in g.subjects(RDF.type, cls) if str(s).startswith(str(UN)))
        terms = []
        for s in subjects:
            seen.add(s)
            labels = sorted(f"{o} ({o.language})" if o.language else str(o) for o in g.objects(s, RDFS.label))
            comment = " ".join(str(o) for o in g.objects(s, RDFS.comment))
            rows = sorted(((g.namespace_manager.normalizeUri(p), _show(g, o)) for p, o in g.predicate_objects(s)
                          if p not in skip or (p == RDF.type and o not in (cls,))), key=lambda r: (r[0], r[1]["text"]))
            terms.append({"iri": str(s), "local": str(s)[len(str(UN)):], "labels": labels,
                          "comment": comment, "rows": rows})
        if terms:
            groups.append((name, terms))
    return groups


@lru_cache(maxsize=1)
def ontology_html() -> str:
    g = ontology_graph()
    me = URIRef(ONTOLOGY_IRI)
    title = next((str(o) for o in g.objects(me, RDFS.label) if getattr(o, "language", None) == "en"),
                 "mandategraph ontology")
    comment = " ".join(str(o) for o in g.objects(me, RDFS.comment))
    groups = _terms(g)
    schema = {"@context": "https://schema.org/", "@type": "DefinedTermSet", "@id": ONTOLOGY_IRI,
              "name": title, "description": comment,
              "hasDefinedTerm": [{"@type": "DefinedTerm", "@id": t["iri"], "termCode": t["local"],
                                  "name": t["labels"][0] if t["labels"] else t["local"]}
                                 for _, terms in groups for t in terms]}
    text = json.dumps(schema, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    alternates = [(f"/ontology{s}", RDF_TYPES[f]) for s, f in SUFFIXES.items()]
    return _ENV.get_template("ontology.html").render(
        title=title, iri=ONTOLOGY_IRI, comment=comment, groups=groups, alternates=alternates,
        schema_org=Markup(f'<script type="application/ld+json">{text}</script>'))


def _links() -> str:
    return ", ".join(f'</ontology{s}>; rel="alternate"; type="{RDF_TYPES[f]}"' for s, f in SUFFIXES.items()) \
        + ', </ontology>; rel="alternate"; type="text/html"'


async def ontology(request: Request, suffix: str = "") -> Response:
    headers = {"Vary": "Accept", "Link": _links()}
    if suffix:
        fmt = SUFFIXES.get(suffix)
        if fmt is None:
            return PlainTextResponse(f"no such form of the ontology: {suffix}\n", status_code=404)
    else:
        try:
            fmt = negotiate_resource(request.headers.get("accept"))
        except NotAcceptable as e:
            return PlainTextResponse(str(e) + "\n", status_code=406)
    if fmt == "html":
        return HTMLResponse(ontology_html(), headers=headers)
    return Response(ontology_bytes(fmt), media_type=media_type(fmt), headers=headers)


async def ontology_plain(request: Request) -> Response:
    return await ontology(request)


async def ontology_suffixed(request: Request) -> Response:
    return await ontology(request, "." + request.path_params["ext"])


def ontology_router(state: ServerState | StateOf | None = None) -> APIRouter:
    """/ontology and /ontology.{ext} (the ontology needs no store; the factory keeps the
    routers' one shape, see dependencies.state_router)."""
    router = state_router(state, tags=["Linked data"])
    for _method in ("GET", "HEAD"):
        router.add_api_route("/ontology", ontology_plain, methods=[_method], response_class=Response,
                             summary="The ontology (HTML, Turtle, JSON-LD, N-Triples, RDF/XML by Accept)",
                             include_in_schema=_method == "GET")
        router.add_api_route("/ontology.{ext}", ontology_suffixed, methods=[_method], response_class=Response,
                             summary="The ontology in one RDF syntax (.ttl, .jsonld, .nt, .rdf)",
                             include_in_schema=_method == "GET")
    return router
