"""SPARQL 1.1 Protocol query operation at /sparql (https://www.w3.org/TR/sparql11-protocol/).

GET ``?query=``; POST as ``application/x-www-form-urlencoded`` or ``application/sparql-query``;
``default-graph-uri`` / ``named-graph-uri`` select graphs of this dataset. With no query,
GET answers the SPARQL 1.1 Service Description. Every query passes ``server.guard`` first
and then runs in a worker process with the configured timeout and row cap.

Status codes: 400 malformed query or bad request, 403 refused by policy (SERVICE, foreign
FROM, ``file:``, updates), 406 no acceptable format, 413 body or query too long, 415
unsupported content type, 503 timeout (the work was stopped), 500 engine failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from ..conneg import media_type, negotiate_both
from ..dependencies import ServerState, StateOf, state_getter
from ..guard import GuardError, check_graph_iris
from ..querypath import ClientGone, TooManyHeavy
from ..servicedesc import service_description
from ..workers import QueryFailed, QueryOutcome, QueryTimeout


def _query_doc() -> dict:
    """The OpenAPI description of /sparql's parameters (a fresh dict per router)."""
    return {
        "parameters": [
            {"name": "query", "in": "query", "schema": {"type": "string"},
             "description": "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE). Without it, "
                            "GET returns the service description."},
            {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
             "description": "Graphs of this dataset to use as the default graph (default: union of all)."},
            {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": "format", "in": "query", "schema": {"type": "string"},
             "description": "json, xml, csv, tsv (SELECT/ASK); turtle, nt, jsonld, rdfxml "
                            "(CONSTRUCT/DESCRIBE). Overrides Accept."},
        ],
        "requestBody": {"content": {
            "application/sparql-query": {"schema": {"type": "string"}},
            "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                "query": {"type": "string"}, "default-graph-uri": {"type": "string"},
                "named-graph-uri": {"type": "string"}}}},
        }},
        "responses": {"200": {"description": "Results", "content": {
            "application/sparql-results+json": {}, "application/sparql-results+xml": {}, "text/csv": {},
            "text/tab-separated-values": {}, "text/turtle": {}, "application/n-triples": {},
            "application/ld+json": {}, "application/rdf+xml": {}}},
            "400": {"description": "Malformed query"}, "403": {"description": "Refused by policy"},
            "503": {"description": "Timeout: the query was stopped"}},
    }


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def _params(pairs: dict[str, list[str]]) -> tuple[str | None, list[str], list[str], str | None]:
    queries = pairs.get("query", [])
    if len(queries) > 1:
        raise GuardError(400, "more than one 'query' parameter")
    fmt = ",".join(pairs["format"]) if pairs.get("format") else None
    return (queries[0] if queries else None, pairs.get("default-graph-uri", []),
            pairs.get("named-graph-uri", []), fmt)


@dataclass(frozen=True)
class Answer:
    """What /sparql answers, before it becomes a Starlette Response or raw ASGI messages."""

    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    def response(self) -> Response:
        return Response(self.body, status_code=self.status, media_type=self.media_type,
                        headers=dict(self.headers))


def _error_answer(status: int, message: str, *headers: tuple[str, str]) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode(), headers)


async def answer(state: ServerState, accept: str | None, text: str, default_graphs: list[str],
                 named_graphs: list[str], format_param: str | None, *, client: str | None = None,
                 receive=None) -> Answer:
    """Screen, negotiate, run in a worker (the parser check there when needed): the whole
    query operation, independent of the web stack."""
    try:
        if default_graphs or named_graphs:
            check_graph_iris(default_graphs + named_graphs, state.local_base)
        rfmt, gfmt, why = negotiate_both(accept, format_param)
        if rfmt is None and gfmt is None:
            return _error_answer(406, why)
        out = await state.run(text, "", rfmt, graph_fmt=gfmt, not_acceptable=why,
                              default_graphs=tuple(default_graphs),
                              named_graphs=tuple(named_graphs), client=client, receive=receive)
    except GuardError as e:
        return _error_answer(e.status, e.message)
    except QueryTimeout as e:
        return _error_answer(503, str(e), ("Retry-After", "1"))
    except QueryFailed as e:
        return _error_answer(e.status, e.message, *((("Retry-After", "1"),) if e.status == 503 else ()))
    except TooManyHeavy as e:
        return _error_answer(429, e.message, ("Retry-After", "2"))
    except ClientGone:
        return _error_answer(499, "the client closed the connection; the query was stopped")
    return result_answer(out, out.fmt, state.settings.row_cap)


def client_of(scope: dict) -> str | None:
    """The client's address (the key of its worker slots)."""
    client = scope.get("client")
    return client[0] if client else None


def result_answer(out: QueryOutcome, fmt: str, row_cap: int) -> Answer:
    """The worker's bytes; a cut result says so in headers (and in JSON)."""
    headers: tuple[tuple[str, str], ...] = (("Vary", "Accept"), ("X-Row-Cap", str(row_cap)))
    if out.truncated:
        headers += (("X-Result-Truncated", "true"),
                    ("Warning", f'199 - "results truncated to the first {row_cap} rows"'))
    return Answer(200, media_type(fmt), out.body, headers)


async def execute(state: ServerState, request: Request, text: str, default_graphs: list[str],
                  named_graphs: list[str], format_param: str | None) -> Response:
    return (await answer(state, request.headers.get("accept"), text, default_graphs, named_graphs,
                         format_param, client=client_of(request.scope),
                         receive=request.receive)).response()


def respond(out: QueryOutcome, fmt: str, row_cap: int) -> Response:
    return result_answer(out, fmt, row_cap).response()


def sparql_router(state: ServerState | StateOf | None = None, path: str = "/sparql") -> APIRouter:
    """The SPARQL 1.1 query operation (and service description) as a router of its own, to
    mount in any FastAPI app, as rdflib-endpoint's router can. ``state``: the open
    :class:`ServerState` to query, or a function of the request that returns it (default:
    ``request.app.state.mg``, what ``create_app``'s lifespan opens); see server.embed."""
    state_of = state_getter(state)
    r = APIRouter(tags=["SPARQL"])

    @r.get(path, openapi_extra=_query_doc(), summary="SPARQL 1.1 query (GET) or service description")
    async def sparql_get(request: Request) -> Response:
        state = state_of(request)
        pairs = parse_qs(request.url.query, keep_blank_values=True)
        if "update" in pairs:
            return error(403, "this endpoint is read-only: SPARQL Update is not accepted at /sparql")
        try:
            text, dg, ng, fmt = _params(pairs)
        except GuardError as e:
            return error(e.status, e.message)
        if text is None:
            return service_description(state, request, fmt)
        return await execute(state, request, text, dg, ng, fmt)

    @r.post(path, openapi_extra=_query_doc(), summary="SPARQL 1.1 query (POST)")
    async def sparql_post(request: Request) -> Response:
        state = state_of(request)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        url_pairs = parse_qs(request.url.query, keep_blank_values=True)
        body = await request.body()
        if ctype == "application/x-www-form-urlencoded":
            try:
                pairs = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                return error(400, "the form body is not UTF-8")
            if "update" in pairs:
                return error(403, "this endpoint is read-only: SPARQL Update is not accepted at /sparql")
            for k, v in url_pairs.items():
                pairs.setdefault(k, v)
            try:
                text, dg, ng, fmt = _params(pairs)
            except GuardError as e:
                return error(e.status, e.message)
            if text is None:
                return error(400, "missing 'query' parameter")
            return await execute(state, request, text, dg, ng, fmt)
        if ctype == "application/sparql-query":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                return error(400, "the query is not UTF-8")
            if "query" in url_pairs:
                return error(400, "a query in both the body and the URL")
            _, dg, ng, fmt = _params(url_pairs)
            return await execute(state, request, text, dg, ng, fmt)
        if ctype == "application/sparql-update":
            return error(403, "this endpoint is read-only: SPARQL Update is not accepted at /sparql")
        return error(415, f"unsupported content type {ctype or '(none)'!r}; use "
                          "application/sparql-query or application/x-www-form-urlencoded")

    return r
