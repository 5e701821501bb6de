"""Named queries as an API: /queries lists queries/*.rq, /queries/{name} runs one.

Parameters come from the URL (``/queries/mandated-by?symbol=A/RES/70/1``) and are bound as
typed RDF terms by mandategraph.query (a VALUES block of escaped terms), never pasted into
the text. Results negotiate like /sparql (Accept or ``format=``). ``/queries/{name}.rq``
returns the query text. Internal queries (names starting with ``_``) are not exposed.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from mandategraph.query import QueryError, get, paged, public_queries
from mandategraph.store.sparql_text import inject_values

from ..conneg import NotAcceptable, negotiate
from ..dependencies import get_state, quick_kind
from ..workers import QueryFailed, QueryTimeout
from .sparql import error, respond

router = APIRouter(tags=["Named queries"])


@router.get("/queries", summary="List the named queries with their parameters")
async def list_queries(request: Request) -> JSONResponse:
    root = request.scope.get("root_path", "")
    return JSONResponse([
        {"name": q.name, "title": q.title, "description": q.description, "params": list(q.params),
         "param_types": dict(q.param_types), "url": f"{root}/queries/{q.name}",
         "text_url": f"{root}/queries/{q.name}.rq"}
        for q in public_queries()])


@router.get("/queries/{name}", summary="Run a named query with bound parameters",
            openapi_extra={"parameters": [
                {"name": "format", "in": "query", "schema": {"type": "string"},
                 "description": "As for /sparql; other query parameters are the query's own."},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1},
                 "description": "Rows of one page (at most 10,000; never past the query's own LIMIT)."},
                {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0},
                 "description": "Rows to skip before the page."}]})
async def run_query(name: str, request: Request) -> Response:
    state = get_state(request)
    as_text = name.endswith(".rq")
    qname = name[:-3] if as_text else name
    if qname.startswith("_"):
        return error(404, f"no named query {qname!r}")
    try:
        q = get(qname)
    except QueryError as e:
        return error(404, str(e))
    if as_text:
        return PlainTextResponse(q.text, media_type="application/sparql-query")
    values: dict[str, str] = {}
    for k, v in request.query_params.multi_items():
        if k in ("format", "limit", "offset"):  # limit/offset: one page (query.paged)
            continue
        if k in values:
            return error(400, f"parameter {k!r} given twice")
        values[k] = v
    try:
        bindings = q.bindings(values)
        text = paged(q.text, request.query_params.get("limit"), request.query_params.get("offset"))
    except QueryError as e:
        return error(400, str(e))
    kind = quick_kind(q.text, state.settings)
    try:
        fmt = negotiate(kind, request.headers.get("accept"), request.query_params.get("format"))
    except NotAcceptable as e:
        return error(406, str(e))
    try:
        out = await state.run(inject_values(text, bindings), kind, fmt)
    except QueryTimeout as e:
        return error(503, str(e), {"Retry-After": "1"})
    except QueryFailed as e:
        return error(e.status, e.message)
    return respond(out, fmt, state.settings.row_cap)
