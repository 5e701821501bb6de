"""/sparql mounted in another FastAPI app, with the explicit state object (issue 12/15):
two mounts over two different stores in one app answer each from its own store."""

from __future__ import annotations

from contextlib import AsyncExitStack, asynccontextmanager

import pyoxigraph as ox
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fixtures_server import sample_store
from mandategraph.server.embed import serving
from mandategraph.server.routers.sparql import sparql_router
from mandategraph.server.settings import Settings
from mandategraph.store.factory import open_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_sparql_router_mounts_in_another_app():
    other = open_store(None)
    other.ox.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"),
                         ox.NamedNode("https://w3id.org/mandategraph/graph/x")))
    holder: dict = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        async with AsyncExitStack() as stack:
            holder["sample"] = await stack.enter_async_context(
                serving(Settings(workers=1, public_url="http://host.example/kg"), sample_store()))
            holder["other"] = await stack.enter_async_context(serving(Settings(workers=1), other))
            yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/")
    async def home() -> dict:
        return {"app": "someone else's"}

    app.include_router(sparql_router(lambda request: holder["sample"]), prefix="/kg")
    app.include_router(sparql_router(lambda request: holder["other"]), prefix="/other")
    with TestClient(app) as c:
        assert c.get("/").json() == {"app": "someone else's"}
        n_sample = int(c.get("/kg/sparql", params={"query": COUNT}).json()["results"]["bindings"][0]["n"]["value"])
        n_other = int(c.get("/other/sparql", params={"query": COUNT}).json()["results"]["bindings"][0]["n"]["value"])
        assert n_sample > 40 and n_other == 1
        sd = c.get("/kg/sparql", headers={"Accept": "text/turtle"})
        assert sd.status_code == 200 and "http://host.example/kg/sparql" in sd.text
        refused = c.get("/kg/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
        assert refused.status_code == 403
