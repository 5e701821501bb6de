"""The web app's state is explicit (issue 12): no module of ``server`` holds mutable state
(caches, registries) in globals, and two apps over two stores in one process keep apart:
the same page path on each answers from its own store, never from the other's cache."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections import OrderedDict
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

import server
from mandategraph.server.app import create_app
from mandategraph.server.caches import BoundedLRU
from mandategraph.server.settings import Settings
from mandategraph.store.factory import open_store

B = "https://w3id.org/mandategraph"
UN = "https://w3id.org/mandategraph/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: Module-level objects of a mutable kind that are allowed, each with the reason.
ALLOWED: dict[str, str] = {
    # functools.lru_cache(maxsize=1) over files of the package: read once, the same for every
    # app and store (the ontology's labels, the interface words, the body names, the Jinja
    # environment of the page templates).
    "server.views.env.ontology_labels": "package data, read once",
    "server.views.env.messages": "package data, read once",
    "server.views.search_forms.body_names": "package data, read once",
    "server.views.render.jinja": "package templates, one Jinja environment",
    # The ontology file of the package, parsed and serialised once (no store involved).
    "server.routers.ontology.ontology_graph": "package data, read once",
    "server.routers.ontology.ontology_bytes": "package data, one serialisation per format",
    "server.routers.ontology.ontology_html": "package data, rendered once",
    # Pure functions of their argument (an Accept header, a format parameter): a bounded memo
    # of parsing, independent of any store or app.
    "server.conneg.parse_accept": "pure function memo, bounded",
    "server.conneg.negotiate": "pure function memo, bounded",
    # The worker process's prefix table, read after its sandbox is on (one per process).
    "server._worker._prefixes": "worker-process constant",
}


def server_modules() -> list[ModuleType]:
    mods = [server]
    for info in pkgutil.walk_packages(server.__path__, "server."):
        mods.append(importlib.import_module(info.name))
    return mods


def defined_here(module: ModuleType) -> set[str]:
    """Names a module's own top level binds (assignments, defs, classes), not its imports."""
    source = getattr(module, "__source__", None) or Path(module.__file__).read_text(encoding="utf-8")
    names: set[str] = set()
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        for t in targets:
            names.update(n.id for n in ast.walk(t) if isinstance(n, ast.Name))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def mutable_globals(module: ModuleType) -> list[str]:
    """Module-level dicts, lists, sets, LRU caches and memoised functions (``cache_clear``)."""
    found = []
    own = defined_here(module)
    for name, value in vars(module).items():
        if name not in own or (name.startswith("__") and name.endswith("__")):
            continue  # imported from elsewhere (that module's business), or __all__ and kin
        if isinstance(value, (dict, list, set, bytearray, OrderedDict, BoundedLRU)) or hasattr(value, "cache_clear"):
            found.append(f"{module.__name__}.{name}")
    return found


def test_no_module_of_server_holds_mutable_state() -> None:
    mods = server_modules()
    assert len(mods) > 30, "the walk found the server's modules"
    found = sorted({f for m in mods for f in mutable_globals(m)})
    unexplained = [f for f in found if f not in ALLOWED]
    assert not unexplained, f"module-level mutable objects: {unexplained}"
    stale = sorted(set(ALLOWED) - set(found))
    assert not stale, f"allow-list entries that no longer exist: {stale}"


def test_the_check_catches_a_module_cache() -> None:
    fake = ModuleType("server.fake")
    fake.__source__ = ("import functools\nfrom types import MappingProxyType\nCACHE = {}\nSEEN: set = set()\n"
                       "@functools.lru_cache\ndef f(x): return x\nLIMIT = 3\nTABLE = MappingProxyType({})\n")
    exec(fake.__source__, fake.__dict__)
    assert mutable_globals(fake) == ["server.fake.CACHE", "server.fake.SEEN", "server.fake.f"]


def one_document_store(title: str):
    store = open_store(None)
    doc, graph = ox.NamedNode(f"{B}/doc/T/1"), ox.NamedNode(f"{B}/graph/t1")
    store.ox.add(ox.Quad(doc, ox.NamedNode(RDF_TYPE), ox.NamedNode(UN + "Document"), graph))
    store.ox.add(ox.Quad(doc, ox.NamedNode(UN + "title"), ox.Literal(title, language="en"), graph))
    store.ox.add(ox.Quad(doc, ox.NamedNode(UN + "symbol"), ox.Literal("T/1"), graph))
    return store


@pytest.mark.parametrize("path", ["/doc/T/1", "/resource?iri=" + f"{B}/doc/T/1"])
def test_two_apps_over_two_stores_do_not_share_a_cache_entry(path: str) -> None:
    titles = ("Alpha report of the first store", "Beta report of the second store")
    with ExitStack() as stack:
        clients = [stack.enter_context(TestClient(create_app(Settings(workers=1), one_document_store(t))))
                   for t in titles]
        for _round in range(2):  # the second round is served from each app's page cache
            for client, mine, theirs in zip(clients, titles, reversed(titles)):
                r = client.get(path, headers={"Accept": "text/html"})
                assert r.status_code == 200, r.text[:300]
                assert mine in r.text and theirs not in r.text
        states = [c.app.state.mg for c in clients]
        assert states[0].caches is not states[1].caches
        assert len(states[0].caches.pages) >= 1 and len(states[1].caches.pages) >= 1


def test_the_allow_list_names_real_modules() -> None:
    for name in ALLOWED:
        mod, _, attr = name.rpartition(".")
        assert Path(importlib.import_module(mod).__file__).exists() and hasattr(importlib.import_module(mod), attr)


def test_page_routers_mount_in_another_app_over_two_states() -> None:
    """pages_router(state), as sparql_router(state): two mounts over two stores in one app."""
    from contextlib import AsyncExitStack, asynccontextmanager

    from fastapi import FastAPI

    from mandategraph.server.embed import serving
    from mandategraph.server.routers.pages import pages_router

    titles = {"a": "Alpha report of the first store", "b": "Beta report of the second store"}
    holder: dict = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        async with AsyncExitStack() as stack:
            for key, title in titles.items():
                holder[key] = await stack.enter_async_context(
                    serving(Settings(workers=1), one_document_store(title)))
            yield

    app = FastAPI(lifespan=lifespan)
    for key in titles:
        app.include_router(pages_router(lambda request, key=key: holder[key]), prefix=f"/{key}")
    with TestClient(app) as client:
        for _round in range(2):
            for key, title in titles.items():
                r = client.get(f"/{key}/resource", params={"iri": f"{B}/doc/T/1"})
                assert r.status_code == 200, r.text[:300]
                other = titles["b" if key == "a" else "a"]
                assert title in r.text and other not in r.text
        assert len(holder["a"].caches.pages) == len(holder["b"].caches.pages) == 1
