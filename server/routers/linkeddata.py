"""Dereferenceable IRIs: every IRI minted under the base answers on this server.

``GET /doc/A/RES/70/1`` describes ``{base_iri}/doc/A/RES/70/1``: HTML for browsers (rendered
by ``server.views.render_resource``, or a plain table when that page fails),
Turtle, JSON-LD, N-Triples or RDF/XML by Accept header or by suffix (``.ttl``, ``.jsonld``,
``.nt``, ``.rdf``). Every answer carries ``Link: rel="alternate"`` headers to the other
forms. An IRI with no statements gives 404 with a link to the search page.

The description (queries/_resource.rq) runs in a query worker like any other query, so a
resource with a huge number of inbound links is bounded by the timeout and the row cap.
"""

from __future__ import annotations

import inspect
import logging
from pathlib import Path
from urllib.parse import quote, unquote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Graph, URIRef

from mandategraph.query import QueryError, registry
from mandategraph.store.sparql_text import BindError

from .. import graphdoc
from ..conneg import RDF_TYPES, SUFFIXES, NotAcceptable, media_type, negotiate_resource
from ..dependencies import ServerState, StateOf, get_state, state_router
from ..views import render_resource
from ..workers import QueryFailed, QueryTimeout

log = logging.getLogger("mandategraph.server.linkeddata")

#: First path segments of minted IRIs (mandategraph/build/iris.py).
PREFIXES = ("doc", "instrument", "body", "agenda", "graph")
_SAFE = "/.-_~()*@"
_ENV = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "ld_templates"),
                   autoescape=select_autoescape(["html"]))


def alternates(path: str) -> str:
    return ", ".join(f'<{quote(path, safe=_SAFE)}{suffix}>; rel="alternate"; type="{RDF_TYPES[fmt]}"'
                     for suffix, fmt in SUFFIXES.items()) + \
        f', <{quote(path, safe=_SAFE)}>; rel="alternate"; type="text/html"'


async def describe(state: ServerState, iri: str, fmt: str):
    """The resource's statements, on the one query path (the IRI parsed as an IRI); a graph
    IRI is described with every fragment it mints (annotations, statements, selectors)."""
    graph_doc = iri.startswith(state.settings.base_iri.rstrip("/") + "/graph/")
    q = registry()[graphdoc.QUERY if graph_doc else "_resource"]
    return await state.run_template(q.text, q.bindings({"iri": iri}), fmt)


def not_found(request: Request, iri: str, path: str) -> Response:
    term = unquote(path.rstrip("/").rsplit("/", 1)[-1]) if "/doc/" not in path else unquote(path.split("/doc/", 1)[1])
    search = "/search?" + "q=" + quote(term)
    headers = {"Link": f'<{search}>; rel="search"'}
    wants_html = "text/html" in request.headers.get("accept", "")
    if wants_html:
        html = _ENV.get_template("not_found.html").render(iri=iri, search=search, term=term)
        return HTMLResponse(html, status_code=404, headers=headers)
    return PlainTextResponse(f"no resource <{iri}> in this dataset; search: {search}\n",
                             status_code=404, headers=headers)


async def resource(request: Request) -> Response:
    state = get_state(request)
    raw = request.url.path
    path = quote(unquote(raw), safe=_SAFE)
    base = state.settings.base_iri.rstrip("/")
    fmt: str | None = None
    candidates: list[tuple[str, str | None]] = []
    for suffix, sfmt in SUFFIXES.items():
        if path.endswith(suffix):
            candidates.append((path[: -len(suffix)], sfmt))
            break
    candidates.append((path, None))
    for cand_path, sfmt in candidates:
        if sfmt is None:
            try:
                fmt = negotiate_resource(request.headers.get("accept"))
            except NotAcceptable as e:
                return PlainTextResponse(str(e) + "\n", status_code=406)
        else:
            fmt = sfmt
        iri = base + cand_path
        try:
            out = await describe(state, iri, "ntriples" if fmt == "html" else fmt)
        except QueryTimeout as e:
            return PlainTextResponse(str(e) + "\n", status_code=503)
        except QueryFailed as e:
            return PlainTextResponse(e.message + "\n", status_code=e.status)
        except (QueryError, BindError):
            continue  # not an IRI (a path with characters no IRI has): nothing to describe
        if out.rows == 0:
            continue
        headers = {"Link": alternates(cand_path), "Vary": "Accept"}
        if out.truncated:
            headers["X-Result-Truncated"] = "true"
        if fmt == "html" and graphdoc.is_graph_path(cand_path):
            return HTMLResponse(graphdoc.graph_html(
                iri, out.body, base, [(cand_path + s, RDF_TYPES[f]) for s, f in SUFFIXES.items()],
                bool(out.truncated)), headers=headers)
        if fmt == "html":
            try:
                page = render_resource(request, iri)
                if inspect.isawaitable(page):
                    page = await page
            except Exception:
                log.exception("render_resource failed for <%s>; plain page served", iri)
                page = None
            if page is not None:
                for k, v in headers.items():
                    page.headers.setdefault(k, v)
                return page
            return HTMLResponse(fallback_html(iri, out.body, cand_path), headers=headers)
        return Response(out.body, media_type=media_type(fmt), headers=headers)
    return not_found(request, base + path, path)


def fallback_html(iri: str, ntriples: bytes, path: str) -> str:
    g = Graph()
    g.parse(data=ntriples.decode("utf-8"), format="nt")
    me = URIRef(iri)
    out_rows = sorted((str(p), o) for p, o in g.predicate_objects(me))
    in_rows = sorted((str(s), str(p)) for s, p in g.subject_predicates(me))
    return _ENV.get_template("resource.html").render(
        iri=iri, out_rows=out_rows, in_rows=in_rows, path=path,
        alternates=[(path + s, RDF_TYPES[f]) for s, f in SUFFIXES.items()])


def linkeddata_router(state: ServerState | StateOf | None = None) -> APIRouter:
    """The minted IRIs (``/doc/...`` ...) dereferenced over ``state`` (see state_router)."""
    router = state_router(state, tags=["Linked data"])
    for prefix in PREFIXES:
        router.add_api_route(f"/{prefix}/{{rest:path}}", resource, methods=["GET"],
                             summary=f"Dereference a minted /{prefix}/... IRI (HTML or RDF)",
                             response_class=Response, include_in_schema=prefix == "doc")
        router.add_api_route(f"/{prefix}/{{rest:path}}", resource, methods=["HEAD"],
                             response_class=Response, include_in_schema=False)
    return router
