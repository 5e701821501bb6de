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
from ..dependencies import get_state
from ..servicedesc import public_url
from .dumps import ensure_dumps

router = APIRouter(tags=["Dataset"])


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


router.add_api_route("/.well-known/void", describe_dataset, methods=["GET"],
                     summary="VoID + DCAT description of the dataset", response_class=Response)
router.add_api_route("/dataset", describe_dataset, methods=["GET"],
                     summary="VoID + DCAT description of the dataset (same as /.well-known/void)",
                     response_class=Response)
