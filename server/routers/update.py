"""Writes, behind a bearer token: SPARQL Update at /update, RDF upload at /ingest.

Off (404) unless ``settings.update_token`` is set. Even authenticated, a request never makes
the server fetch anything: LOAD, SERVICE and ``file:`` IRIs are refused, uploaded RDF/XML
with a DOCTYPE or entity declarations is refused (entity expansion costs rdflib seconds of
CPU for a few hundred bytes), and parsing is done by Oxigraph, which does not load remote
JSON-LD contexts. Graphs written must be under the dataset's base IRI.

A write runs while no query worker has the store open (workers are stopped, the write is
applied and flushed, fresh workers start), then caches (VoID counts, dumps) are dropped.
"""

from __future__ import annotations

import asyncio
import hmac
from pathlib import Path
from types import MappingProxyType
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from mandategraph.store.sparql_text import BindError
from mandategraph.build.ntriples import from_ox
from mandategraph.core.formats import FORMATS
from mandategraph.store.oxigraph_store import OxigraphStore

from ..dependencies import ServerState, StateOf, get_state, snapshot_source, state_router
from ..guard import GuardError, check_update
from ..limits import TooDeep, check_json_depth, check_text_depth
from ..sandboxed_update import apply_update
from ..update_dataset import apply_using
from ..workers import StoreSource
from .sparql import error

#: accepted media types -> format names of mandategraph.core.formats
INGEST_TYPES = MappingProxyType({
    "text/turtle": "turtle", "application/x-turtle": "turtle",
    "application/n-triples": "ntriples", "application/n-quads": "nquads",
    "application/trig": "trig", "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml",
})


def _auth(request: Request) -> tuple[ServerState, Response | None]:
    state = get_state(request)
    token = state.settings.update_token
    if not token:
        return state, error(404, "updates are off on this server (no update_token configured)")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        return state, error(401, "a valid bearer token is required",
                            {"WWW-Authenticate": 'Bearer realm="mandategraph"'})
    return state, None


async def _write(state: ServerState, work) -> None:
    """Run ``work(store)`` in a thread with every worker stopped, then restart them."""
    if not isinstance(state.store, OxigraphStore):
        if state.store.backend == "remote":
            raise GuardError(501, "this server fronts a remote SPARQL store, which it does not "
                             "write to: update the remote server directly (mandategraph push, "
                             "or its own update endpoint)")
        raise GuardError(501, "writes need the Oxigraph store")

    async def during() -> StoreSource | None:
        await asyncio.to_thread(work, state.store)
        state.store.flush()
        if state.snapshot_dir is not None:
            return await asyncio.to_thread(snapshot_source, state.store, Path(state.snapshot_dir.name))
        return None

    async with state.write_lock:
        await state.pool.restart(during=during)
        state.invalidate()


async def update(request: Request) -> Response:
    state, denied = _auth(request)
    if denied:
        return denied
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    params = parse_qs(request.url.query, keep_blank_values=True)
    try:
        if ctype == "application/sparql-update":
            text = body.decode("utf-8")
        elif ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
            updates = form.get("update", [])
            if len(updates) != 1:
                return error(400, "expected exactly one 'update' parameter")
            text = updates[0]
            for k, v in form.items():
                params.setdefault(k, v)
        else:
            return error(415, "use application/sparql-update or application/x-www-form-urlencoded")
    except UnicodeDecodeError:
        return error(400, "the update is not UTF-8")
    base = state.endpoint_iri  # relative IRIs resolve against the endpoint (protocol 2.2)
    try:
        check_update(text, max_length=state.settings.max_query_length)
        text = apply_using(text, params.get("using-graph-uri", []),
                           params.get("using-named-graph-uri", []))
        check_update(text, max_length=state.settings.max_query_length + 100_000)
        sandbox, mem = state.settings.sandbox, state.settings.worker_memory_mb
        await _write(state, lambda st: apply_update(st, text, base, sandbox=sandbox,
                                                     timeout=state.settings.timeout_s * 6,
                                                     memory_mb=mem))
    except BindError as e:
        return error(400, str(e))
    except GuardError as e:
        return error(e.status, e.message)
    except SyntaxError as e:
        return error(400, f"malformed update: {e}")
    return Response(status_code=204)


async def ingest(request: Request) -> Response:
    """Body: RDF in the Content-Type's syntax. Triples need ``?graph=IRI``; quads carry theirs.
    Each graph named is replaced as a whole, atomically."""
    state, denied = _auth(request)
    if denied:
        return denied
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt_name = INGEST_TYPES.get(ctype)
    if fmt_name is None:
        return error(415, f"unsupported content type {ctype!r}; use one of {', '.join(INGEST_TYPES)}")
    body = await request.body()
    try:  # before any parser: a deep body overflowed the JSON-LD parser's stack
        if fmt_name == "jsonld":
            check_json_depth(body)
        elif fmt_name in ("turtle", "trig"):
            check_text_depth(body, what=f"{ctype} body")
    except TooDeep as e:
        return error(400, str(e))
    if fmt_name == "rdfxml" and (b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper()):
        return error(400, "RDF/XML with a DOCTYPE or entity declarations is not accepted")
    target = request.query_params.get("graph")
    local = state.local_base
    if target is not None and not target.startswith(local):
        return error(403, f"graph <{target}> is outside this dataset (expected an IRI under {local})")
    try:
        quads = await asyncio.to_thread(  # CPU work off the event loop
            lambda: list(ox.parse(body, format=FORMATS[fmt_name], base_iri=target or local)))
    except (SyntaxError, ValueError) as e:
        return error(400, f"cannot parse the {ctype} body: {e}")
    graphs: dict[str, list] = {}
    for q in quads:
        if isinstance(q.graph_name, ox.DefaultGraph):
            if target is None:
                return error(400, "triples without a graph: add ?graph=IRI")
            g = target
        else:
            g = q.graph_name.value
            if not g.startswith(local):
                return error(403, f"graph <{g}> is outside this dataset")
        graphs.setdefault(g, []).append((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    if not graphs and target:
        graphs[target] = []

    def work(store: OxigraphStore) -> None:
        for g, triples in graphs.items():
            store.replace_graph(g, triples)

    try:
        await _write(state, work)
    except GuardError as e:
        return error(e.status, e.message)
    return JSONResponse({"graphs": {g: len(t) for g, t in graphs.items()}})


def update_router(state: ServerState | StateOf | None = None) -> APIRouter:
    """/update and /ingest (bearer token; off without one) over ``state`` (see state_router)."""
    router = state_router(state, tags=["Update (authenticated)"])
    router.add_api_route("/update", update, methods=["POST"],
                         summary="SPARQL 1.1 Update (bearer token; off without one)")
    router.add_api_route("/ingest", ingest, methods=["POST"],
                         summary="Replace named graphs with uploaded RDF (bearer token)")
    return router
