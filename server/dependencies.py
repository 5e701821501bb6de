"""Shared server state, opened in the app's lifespan and handed to routes as dependencies.

Routes take ``state: ServerState = Depends(get_state)``; ``get_store``, ``get_pool`` and
``get_settings`` give one part of it (the pages fall back on ``get_store``, in
``server.views.env``, for cheap, bounded lookups), and :func:`run_select` runs a SELECT through
the worker pool, so it gets the query timeout (no route uses it, ``get_pool`` or
``get_settings`` today).
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from fastapi import Request
from rdflib.term import Node

from mandategraph.store.oxigraph_store import OxigraphStore
from mandategraph.store.interface import SelectResult, Store, result_from_json
from mandategraph.store.sparql_text import inject_values
from mandategraph.store.factory import open_store
from mandategraph.export import export_store

from .guard import check_query
from .settings import Settings
from .workers import QueryJob, QueryOutcome, StoreSource, WorkerPool


@dataclass
class ServerState:
    settings: Settings
    store: Store
    pool: WorkerPool
    #: Bumped by every write (update/ingest): caches keyed on it (VoID counts, dumps) refresh.
    generation: int = 0
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    dumps_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    snapshot_dir: tempfile.TemporaryDirectory | None = None
    #: Derived data keyed by tuples that start with a kind and include ``generation``.
    cache: dict = field(default_factory=dict)

    def invalidate(self) -> None:
        """After a write: bump the generation and drop derived data (not the dumps folder)."""
        self.generation += 1
        for key in [k for k in self.cache if isinstance(k, tuple)]:
            del self.cache[key]

    @property
    def local_base(self) -> str:
        """IRIs under this prefix belong to the dataset (FROM, graph parameters)."""
        return self.settings.base_iri.rstrip("/") + "/"

    async def run(self, text: str, kind: str, fmt: str, *, cap: int | None = None,
                  default_graphs: tuple[str, ...] = (), named_graphs: tuple[str, ...] = (),
                  timeout: float | None = None, union_default: bool = True) -> QueryOutcome:
        """Run a query in a worker. ``union_default=False`` when the query has its own
        FROM / FROM NAMED (the engine then builds the dataset from them)."""
        job = QueryJob(text=text, kind=kind, fmt=fmt, cap=cap or self.settings.row_cap,
                       default_graphs=default_graphs, named_graphs=named_graphs,
                       union_default=union_default)
        return await self.pool.run(job, timeout or self.settings.timeout_s)


def get_state(request: Request) -> ServerState:
    return request.app.state.mg


def get_settings(request: Request) -> Settings:
    return request.app.state.mg.settings


def get_store(request: Request) -> Store:
    return request.app.state.mg.store


def get_pool(request: Request) -> WorkerPool:
    return request.app.state.mg.pool


async def run_select(request: Request, sparql: str,
                     bindings: Mapping[str, Node] | None = None) -> SelectResult:
    """Run a SELECT (a query file's text, parameters bound as terms) in a worker, with the timeout."""
    state = get_state(request)
    outcome = await state.run(inject_values(sparql, bindings), "select", "json")
    return result_from_json(json.loads(outcome.body))


def snapshot_source(store: Store, folder: Path) -> StoreSource:
    """Workers cannot share an in-memory store: give them an N-Quads copy to load."""
    path = folder / "snapshot.nq"
    with open(path, "wb") as fh:
        if isinstance(store, OxigraphStore):
            store.dump(fh, "nquads")
        else:
            export_store(store, "nquads", fh)
    return StoreSource(snapshot=str(path))


async def open_state(settings: Settings, preset: Store | None = None) -> ServerState:
    """Open the store (read-only unless updates are on) and start the query workers."""
    snap_dir = None
    if preset is None and is_remote(settings.store):
        # A remote SPARQL server: the pages query it from here, the workers forward the web's
        # queries to it (network on, see server._worker). Writes are refused (routers/update).
        store = open_store(settings.store)
        await asyncio.to_thread(store.ping)  # fail at start-up, not on the first request
        source = StoreSource(remote=settings.store)
    elif preset is not None or not settings.store:
        store = preset if preset is not None else open_store(None)
        snap_dir = tempfile.TemporaryDirectory(prefix="mandategraph-snapshot-")
        source = snapshot_source(store, Path(snap_dir.name))
    else:
        store = open_store(settings.store, read_only=not settings.update_token)
        source = StoreSource(path=str(Path(settings.store).resolve()))
    pool = WorkerPool(source, size=settings.workers, sandbox=settings.sandbox)
    await pool.start()
    return ServerState(settings=settings, store=store, pool=pool, snapshot_dir=snap_dir)


def is_remote(store: str | None) -> bool:
    """``settings.store`` names a remote SPARQL server (``sparql+http(s)://...``)."""
    return bool(store) and str(store).startswith(("sparql+http://", "sparql+https://"))


async def close_state(state: ServerState) -> None:
    await state.pool.stop()
    if state.snapshot_dir is not None:
        state.snapshot_dir.cleanup()
    state.store.close()


def quick_kind(text: str, settings: Settings) -> str:
    """The query form of a trusted query text (a named query file)."""
    return check_query(text, max_length=10**7, local_base=settings.base_iri).kind
