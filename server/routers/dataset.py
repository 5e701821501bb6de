"""Dataset description: VoID + DCAT-AP 3 at /.well-known/void and /dataset.

Triple count, documents (source graphs), class partition, licence, sources, the SPARQL
endpoint and the dump files with sizes. Built by mandategraph.export.dataset_description
(the same graph `mandategraph export --dumps` writes as void.ttl), cached until a write.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from mandategraph.export import dataset_description, serialize_graph
from mandategraph.store.describe import Publisher

from ..conneg import NotAcceptable, media_type, negotiate
from ..dependencies import ServerState, StateOf, get_state, state_router
from ..servicedesc import public_url
from .dumps import ensure_dumps

async def describe_dataset(request: Request) -> Response:
    state = get_state(request)
    try:
        fmt = negotiate("construct", request.headers.get("accept"), request.query_params.get("format"))
    except NotAcceptable as e:
        return PlainTextResponse(str(e) + "\n", status_code=406)
    if fmt in ("trig", "nquads"):
        fmt = "turtle"
    base = public_url(request, state.settings.public_url)
    key = ("void", state.generation, base)
    graph = state.cache.get(key)
    if graph is None:
        files = await ensure_dumps(state)
        s = state.settings
        publisher = Publisher(s.publisher_name, s.publisher_iri, s.publisher_homepage)
        graph = await asyncio.to_thread(dataset_description, state.store, base_iri=s.base_iri,
                                        public_url=base, dumps=files, license=s.license, title=s.title,
                                        publisher=publisher)
        state.cache[key] = graph
    body = serialize_graph(graph, fmt)
    return Response(body, media_type=media_type(fmt), headers={"Vary": "Accept"})


def dataset_router(state: ServerState | StateOf | None = None) -> APIRouter:
    """/.well-known/void and /dataset over ``state`` (see state_router)."""
    router = state_router(state, tags=["Dataset"])
    router.add_api_route("/.well-known/void", describe_dataset, methods=["GET"],
                         summary="VoID + DCAT description of the dataset", response_class=Response)
    router.add_api_route("/dataset", describe_dataset, methods=["GET"],
                         summary="VoID + DCAT description of the dataset (same as /.well-known/void)",
                         response_class=Response)
    return router
