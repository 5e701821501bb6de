"""Named queries as an API: /queries lists queries/*.rq, /queries/{name} runs one.

Parameters come from the URL (``/queries/mandated-by?symbol=A/RES/70/1``) and are bound as
typed RDF terms by mandategraph.query (a VALUES block of escaped terms), never pasted into
the text. Results negotiate like /sparql (Accept or ``format=``). ``/queries/{name}.rq``
returns the query text. Internal queries (names starting with ``_``) are not exposed.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

import orjson

from mandategraph.query import QueryError, paged, public_queries, registry
from mandategraph.store.sparql_text import BindError

from ..conneg import NotAcceptable, negotiate
from ..dependencies import ServerState, StateOf, get_state, state_router
from ..querypath import ClientGone, TooManyHeavy
from ..workers import QueryFailed, QueryTimeout
from .sparql import client_of, error, respond

def namedqueries_router(state: ServerState | StateOf | None = None) -> APIRouter:
    """/queries (the list) and /queries/{name} (run one) over ``state`` (see state_router)."""
    router = state_router(state, tags=["Named queries"])
    router.add_api_route("/queries", list_queries, methods=["GET"],
                         summary="List the named queries with their parameters")
    router.add_api_route("/queries/{name}", run_query, methods=["GET"],
                         summary="Run a named query with bound parameters",
                         openapi_extra={"parameters": [
                             {"name": "format", "in": "query", "schema": {"type": "string"},
                              "description": "As for /sparql; other query parameters are the query's own."},
                             {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1},
                              "description": "Rows of one page (at most 10,000; never past the query's own LIMIT)."},
                             {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0},
                              "description": "Rows to skip before the page."}]})
    return router


async def list_queries(request: Request) -> JSONResponse:
    root = request.scope.get("root_path", "")
    return JSONResponse([
        {"name": q.name, "title": q.title, "description": q.description, "params": list(q.params),
         "param_types": dict(q.param_types), "url": f"{root}/queries/{q.name}",
         "text_url": f"{root}/queries/{q.name}.rq"}
        for q in public_queries()])


async def run_query(name: str, request: Request) -> Response:
    state = get_state(request)
    as_text = name.endswith(".rq")
    qname = name[:-3] if as_text else name
    q = registry().get(qname)  # the package's own queries/ only, never a path
    if q is None or q.internal:
        return error(404, f"no named query {qname[:200]!r}; the list is at /queries")
    if as_text:
        return PlainTextResponse(q.text, media_type="application/sparql-query")
    values: dict[str, str] = {}
    limit = state.settings.max_param_length
    for k, v in request.query_params.multi_items():
        if len(v) > limit or len(k) > 64:  # before any parsing or regex sees the value
            return error(400, f"parameter {k[:64]!r} is {len(v):,} characters long; the limit "
                              f"is {limit:,}")
        if k in ("format", "limit", "offset"):  # limit/offset: one page (query.paged)
            continue
        if k in values:
            return error(400, f"parameter {k!r} given twice")
        values[k] = v
    try:
        bindings = q.bindings(values)
        text = paged(q.text, request.query_params.get("limit"), request.query_params.get("offset"))
    except (QueryError, BindError) as e:
        return error(400, str(e))
    try:
        kind = state.template_kind(q.text)
        fmt = negotiate(kind, request.headers.get("accept"), request.query_params.get("format"))
    except NotAcceptable as e:
        return error(406, str(e))
    kw = {"client": client_of(request.scope), "receive": request.receive}
    try:
        if q.unknown_symbol_404 and "symbol" in values:
            known = registry()["_symbol-known"]
            probe = await state.run_template(known.text, known.bindings({"symbol": values["symbol"]}),
                                             "json", **kw)
            if not orjson.loads(probe.body).get("boolean"):
                return error(404, f"no document or instrument has the symbol "
                                  f"{values['symbol'][:200]!r} in this graph")
        out = await state.run_template(q.text, bindings, fmt, text=text, **kw)
    except QueryTimeout as e:
        return error(503, str(e), {"Retry-After": "1"})
    except QueryFailed as e:
        return error(e.status, e.message)
    except TooManyHeavy as e:
        return error(429, e.message, {"Retry-After": "2"})
    except ClientGone:
        return error(499, "the client closed the connection")
    return respond(out, fmt, state.settings.row_cap)
