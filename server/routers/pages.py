"""The mandate-lineage browser's own routes: home, search, mandate status view, lineage SVG,
SHACL report per node, and a resource view for IRIs outside the base.

Minted IRIs (``/doc/...``, ``/instrument/...``, ``/body/...``, ``/agenda/...``) are routed by
the linked-data router, which calls :func:`server.views.render_resource` for HTML;
``resource_router(state)`` serves the same pages for an app without that router (tests, embedding).
Every view has a shareable URL (filters in the query string) and a data twin (``.json`` /
``.csv`` or Accept).
"""

from __future__ import annotations

import json
from urllib.parse import quote, unquote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from rdflib import URIRef

from ..dependencies import ServerState, StateOf, state_router
from ..views import (
    caches_of,
    html_response,
    page_key,
    query_pages,
    render_resource_sync,
    run_page,
    shacl,
)
from ..views.env import PageEnv
from ..views.lineage import (
    document_lineage,
    document_mandates,
    instrument_lineage,
    recall_edges,
)
from ..views.mandates import STATUS_ORDER, mandates_csv, mandates_json, mandates_page
from ..views.nodes import kind_of, load_node
from ..views.search import home_page, search, search_json
from mandategraph.store.sparql_text import BindError, parse_iri

_SAFE = "/.-_~()*@"  #: characters build/iris.py leaves unescaped in minted paths


def _wants(request: Request, media: str) -> bool:
    accept = request.headers.get("accept", "")
    return media in accept and "text/html" not in accept


# ------------------------------------------------------------------------------ home
def _home(request: Request) -> Response:
    penv = PageEnv.from_request(request)
    return html_response(request, penv, "home.html", page=home_page(penv))


async def home(request: Request) -> Response:
    return await run_page(request, _home)


# ------------------------------------------------------------------------------ search
def _search(request: Request, q: str, fmt: str | None) -> Response:
    penv = PageEnv.from_request(request)
    page = search(penv, q)
    if fmt == "json" or _wants(request, "application/json"):
        return JSONResponse(search_json(page), headers={"Vary": "Accept"})
    if len(page.exact) == 1 and not page.suggestions and request.query_params.get("all") is None:
        return RedirectResponse(page.exact[0].link.href, status_code=303)
    return html_response(request, penv, "search.html", page=page,
                         alternates=((penv.url("/search.json", q=q), "application/json"),))


async def search_page(request: Request, q: str = "", format: str | None = None) -> Response:
    return await run_page(request, _search, q, format)


async def search_page_json(request: Request, q: str = "") -> Response:
    return await run_page(request, _search, q, "json")


# ------------------------------------------------------------------------------ mandates
def _mandates(request: Request, status: str | None, body: str | None, session: str | None,
              fmt: str | None) -> Response:
    penv = PageEnv.from_request(request)
    status = status if status in STATUS_ORDER else None
    try:
        session_n = int(session) if session not in (None, "") else None
    except ValueError:
        session_n = None
    page = mandates_page(penv, status, body or None, session_n)
    if fmt == "csv" or _wants(request, "text/csv"):
        name = "mandates" + (f"-{status}" if status else "") + ".csv"
        return Response(mandates_csv(page), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"', "Vary": "Accept"})
    if fmt == "json" or _wants(request, "application/json"):
        return JSONResponse(mandates_json(page), headers={"Vary": "Accept"})
    params = {"status": status, "body": body, "session": session_n}
    return html_response(request, penv, "mandates.html", page=page,
                         csv_href=penv.url("/mandates.csv", **params),
                         json_href=penv.url("/mandates.json", **params),
                         alternates=((penv.url("/mandates.csv", **params), "text/csv"),
                                     (penv.url("/mandates.json", **params), "application/json")))


async def mandates(request: Request, status: str | None = None, body: str | None = None,
                   session: str | None = None, format: str | None = None) -> Response:
    return await run_page(request, _mandates, status, body, session, format)


async def mandates_as_csv(request: Request, status: str | None = None, body: str | None = None,
                          session: str | None = None) -> Response:
    return await run_page(request, _mandates, status, body, session, "csv")


async def mandates_as_json(request: Request, status: str | None = None, body: str | None = None,
                           session: str | None = None) -> Response:
    return await run_page(request, _mandates, status, body, session, "json")


# ------------------------------------------------------------------------------ lineage picture
def _not_an_iri(value: str, what: str) -> Response | None:
    """400 unless ``value`` is one absolute IRI (parsed by pyoxigraph), before any query."""
    try:
        parse_iri(value, what)
    except BindError as e:
        return Response(f"{e}\n", status_code=400, media_type="text/plain; charset=utf-8")
    return None


def _lineage_svg(request: Request, iri: str) -> Response:
    bad = _not_an_iri(iri, "iri")
    if bad is not None:
        return bad
    penv = PageEnv.from_request(request)
    info = load_node(penv, URIRef(iri))
    if not info.exists:
        return Response("no such resource\n", status_code=404, media_type="text/plain")
    kind = kind_of(info.types)
    if kind == "document":
        label = penv.label(info.iri)
        lineage = document_lineage(penv, info, label, document_mandates(penv, info))
    elif kind == "instrument":
        lineage = instrument_lineage(penv, info.iri, penv.label(info.iri), recall_edges(penv, info.iri))
    else:
        return Response("lineage pictures exist for documents and instruments\n", status_code=404,
                        media_type="text/plain")
    if not lineage.svg:
        return Response("no lineage for this resource\n", status_code=404, media_type="text/plain")
    svg = lineage.svg.replace("<svg ", '<svg style="font-family:sans-serif;font-size:13px" ', 1)
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + svg, media_type="image/svg+xml")


async def lineage_svg(request: Request, iri: str = Query(..., description="IRI of a document or instrument")) -> Response:
    return await run_page(request, _lineage_svg, iri)


# ------------------------------------------------------------------------------ SPARQL, named queries
def _sparql_page(request: Request, example: str | None, query: str | None) -> Response:
    penv = PageEnv.from_request(request)
    examples = query_pages.examples(penv)
    texts = {name: text for name, _, text in examples}
    chosen = example if example in texts else (None if query else (examples[0][0] if examples else None))
    return html_response(request, penv, "sparql.html", examples=examples, chosen=chosen,
                         sparql_text=query or texts.get(chosen or "", ""), downloads=query_pages.DOWNLOADS)


async def sparql_page(request: Request, example: str | None = None, query: str | None = None) -> Response:
    return await run_page(request, _sparql_page, example, query)


def _named_queries(request: Request) -> Response:
    penv = PageEnv.from_request(request)
    return html_response(request, penv, "named_queries.html", cards=query_pages.cards(penv),
                         alternates=((f"{penv.root}/queries", "application/json"),))


async def named_queries_page(request: Request) -> Response:
    return await run_page(request, _named_queries)


def _named_query(request: Request, name: str) -> Response:
    penv = PageEnv.from_request(request)
    found = query_pages.named_query(penv, name)
    if found is None:
        return html_response(request, penv, "not_found.html", status_code=404, iri=name)
    card, text = found
    values = {k: v for k, v in request.query_params.items() if k in dict(card.params)}
    return html_response(request, penv, "named_query.html", card=card, text=text, values=values,
                         downloads=query_pages.DOWNLOADS, page_rows=query_pages.PAGE_ROWS,
                         alternates=((card.text_href, "application/sparql-query"),))


async def named_query_page(request: Request, name: str) -> Response:
    return await run_page(request, _named_query, name)


# ------------------------------------------------------------------------------ SHACL per node
def _shacl(request: Request, node: str) -> Response:
    bad = _not_an_iri(node, "node")
    if bad is not None:
        return bad
    penv = PageEnv.from_request(request)
    state, results, error = shacl.node_results(penv.store, node, penv.generation, penv.caches)
    if _wants(request, "application/json"):
        return JSONResponse({"node": node, "state": state, "error": error,
                             "results": [{"severity": r.severity, "message": r.message,
                                          "path": str(r.path) if r.path is not None else None,
                                          "value": str(r.value) if r.value is not None else None,
                                          "shape": str(r.source_shape)} for r in results]})
    return html_response(request, penv, "shacl.html", node=node, node_href=penv.href(node),
                         node_label=penv.label(node), state=state, results=results, error=error)


async def shacl_report(request: Request, node: str = Query(..., description="IRI of the node")) -> Response:
    return await run_page(request, _shacl, node)


# ------------------------------------------------------------------------------ other IRIs
def _resource(request: Request, iri: str) -> Response:
    bad = _not_an_iri(iri, "iri")
    if bad is not None:
        return bad
    page = render_resource_sync(request, iri)
    if page is None:
        penv = PageEnv.from_request(request)
        return html_response(request, penv, "not_found.html", status_code=404, iri=iri)
    return page


async def resource_by_iri(request: Request, iri: str = Query(...)) -> Response:
    return await run_page(request, _resource, iri)


def _resource_any(request: Request, iris: list[str]) -> Response:
    """The first IRI form the graph knows (minted paths escape differently per kind)."""
    for iri in dict.fromkeys(iris):
        if _not_an_iri(iri, "iri") is not None:
            continue  # this form of the path is no IRI: try the next
        page = render_resource_sync(request, iri)
        if page is not None:
            return page
    return _resource(request, iris[-1])


async def _minted(request: Request, rest: str) -> Response:
    penv = PageEnv.from_request(request)
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1").split("?", 1)[0] if raw else request.url.path
    path = path[len(penv.root):] if penv.root and path.startswith(penv.root) else path
    iris = [penv.base + path, penv.base + quote(unquote(path), safe=_SAFE)]
    for iri in dict.fromkeys(iris):  # a page already rendered: no thread hop
        hit = caches_of(request).pages.get(page_key(request, "resource", iri))
        if hit is not None:
            return hit.response()
    return await run_page(request, _resource_any, iris)


def pages_router(state: ServerState | StateOf | None = None) -> APIRouter:
    """The browser's own routes over ``state`` (see server.dependencies.state_router)."""
    router = state_router(state, tags=["Browser"])
    router.add_api_route("/", home, methods=["GET"], response_class=HTMLResponse,
                         summary="Browser home: search, bodies, sessions")
    router.add_api_route("/search", search_page, methods=["GET"], response_class=HTMLResponse,
                         summary="Search by symbol (any form), instrument number or title")
    router.add_api_route("/search.json", search_page_json, methods=["GET"],
                         summary="Search results as JSON (the search page's data twin)")
    router.add_api_route("/mandates", mandates, methods=["GET"], response_class=HTMLResponse,
                         summary="Mandate status: open, overdue, fulfilled, not carried out (?format=csv|json)")
    router.add_api_route("/mandates.csv", mandates_as_csv, methods=["GET"], summary="Mandate status as CSV")
    router.add_api_route("/mandates.json", mandates_as_json, methods=["GET"], summary="Mandate status as JSON")
    router.add_api_route("/lineage.svg", lineage_svg, methods=["GET"],
                         summary="The lineage picture of a document or instrument as SVG")
    router.add_api_route("/sparql-editor", sparql_page, methods=["GET"], response_class=HTMLResponse,
                         summary="The SPARQL page: an editor with the named queries as examples, results as a table")
    router.add_api_route("/named-queries", named_queries_page, methods=["GET"], response_class=HTMLResponse,
                         summary="The named queries: title, description, parameters, a form for each")
    router.add_api_route("/named-queries/{name}", named_query_page, methods=["GET"], response_class=HTMLResponse,
                         summary="One named query: its description and a form that runs it")
    router.add_api_route("/shacl", shacl_report, methods=["GET"], response_class=HTMLResponse,
                         summary="SHACL results for one node")
    router.add_api_route("/resource", resource_by_iri, methods=["GET"], response_class=HTMLResponse,
                         summary="Page of any node of the graph by IRI (for IRIs outside the base)")
    return router


def resource_router(state: ServerState | StateOf | None = None) -> APIRouter:
    """The pages of minted IRIs (``/doc/...`` ...) for an app without the linked-data router
    (tests, embedding), over ``state``."""
    router = state_router(state, tags=["Browser"])
    for prefix in ("doc", "instrument", "body", "agenda"):
        router.add_api_route(f"/{prefix}/{{rest:path}}", _minted, methods=["GET"],
                             response_class=HTMLResponse, include_in_schema=False)
    return router


__all__ = ["json", "pages_router", "resource_router"]
