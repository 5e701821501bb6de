"""Fixtures of the browser pages (issue 4): a small hand-written store and a page app over it,
and, for end-to-end tests, the real seed + PDF corpus built into a store once per session."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from rdflib import Dataset, URIRef

from mandategraph.store import open_store

SAMPLE = Path(__file__).parent / "fixtures" / "pages-sample.trig"
SAMPLE_BASE = "https://w3id.org/mandategraph"


def load_trig(path: Path, backend: str = "oxigraph"):  # noqa: ANN201 - a Store
    store = open_store(None, backend=backend)
    ds = Dataset()
    ds.parse(path, format="trig")
    for g in ds.graphs():
        if isinstance(g.identifier, URIRef) and len(g) and str(g.identifier) != "urn:x-rdflib:default":
            store.replace_graph(str(g.identifier), list(g))
    return store


def page_app(store, base: str = SAMPLE_BASE):  # noqa: ANN001, ANN201 - a FastAPI app
    """The browser routes alone over a store (no SPARQL workers): for page-context tests."""
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from mandategraph.server.routers.pages import resource_router, router

    app = FastAPI()
    app.state.store = store
    app.state.settings = SimpleNamespace(base_iri=base)
    app.include_router(router)
    app.include_router(resource_router)
    static = Path(__file__).resolve().parent.parent / "server" / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    return app


@pytest.fixture(scope="session")
def pages_store():  # noqa: ANN201
    return load_trig(SAMPLE)


@pytest.fixture(scope="session")
def pages_client(pages_store):  # noqa: ANN001, ANN201
    from fastapi.testclient import TestClient

    with TestClient(page_app(pages_store)) as client:
        yield client
