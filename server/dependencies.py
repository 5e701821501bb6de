"""The server's state object, opened in the app's lifespan and handed to the router factories.

Every router is made by a factory taking the state (``dataset_router(state)``, ...; see
:func:`state_router`): an open :class:`ServerState`, a function of the request returning
one, or None for the app's own. Routes reach it with ``get_state(request)``. Every query runs
through :meth:`ServerState.run` (a text from the web: screened, parser-checked in the worker
when needed) or :meth:`ServerState.run_template` (one of the package's query files with
parameters bound as parsed terms); pages reach the same path through ``state.query_store``.
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Awaitable, Callable, Mapping

from fastapi import APIRouter, Depends, Request
from rdflib.term import Node

from mandategraph.export import export_store
from mandategraph.store.factory import open_store
from mandategraph.store.interface import Store
from mandategraph.store.oxigraph_store import OxigraphStore
from mandategraph.store.sparql_text import inject_values as bind_values

from .caches import PageCaches
from .guard import GuardError, check_query, screen_query
from .querypath import HeavyQueries, WorkerStore, supervise
from .settings import Settings
from .workers import GuardSpec, QueryJob, QueryOutcome, StoreSource, WorkerPool


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
    #: Per-client count of long-running queries (settings.per_client each).
    heavy: HeavyQueries | None = None
    #: The store the pages query: every call a job in the workers (server.querypath).
    query_store: WorkerStore | None = None
    #: Guard verdicts of the package's own query files (text -> kind), checked once.
    templates: dict[str, str] = field(default_factory=dict)
    #: The browser's caches (pages, node rows, label facts, SHACL), sized from the settings.
    caches: PageCaches = field(default_factory=PageCaches)

    def invalidate(self) -> None:
        """After a write: bump the generation and drop derived data (not the dumps folder)."""
        self.generation += 1
        for key in [k for k in self.cache if isinstance(k, tuple)]:
            del self.cache[key]

    @property
    def local_base(self) -> str:
        """IRIs under this prefix belong to the dataset (FROM, graph parameters)."""
        return self.settings.base_iri.rstrip("/") + "/"

    @property
    def endpoint_iri(self) -> str:
        """This endpoint's IRI, from the configured public URL (else the base IRI), never from
        a request's Host header: relative IRIs in queries and updates resolve against it."""
        return (self.settings.public_url or self.settings.base_iri).rstrip("/") + "/sparql"

    @property
    def guard_spec(self) -> GuardSpec:
        s = self.settings
        return GuardSpec(s.max_query_length, self.local_base, tuple(s.service_allowlist))

    async def run(self, text: str, kind: str, fmt: str | None, *, cap: int | None = None,
                  default_graphs: tuple[str, ...] = (), named_graphs: tuple[str, ...] = (),
                  timeout: float | None = None, union_default: bool = True,
                  graph_fmt: str | None = None, not_acceptable: str = "",
                  checked: bool = False, client: str | None = None,
                  receive: Callable[[], Awaitable[dict]] | None = None) -> QueryOutcome:
        """Run a query in a worker, within the timeout, the caps and the client's slots.

        ``checked``: the text is one of ours (a template whose guard verdict is known, with
        parameters bound as parsed terms); otherwise it is screened here and, when it holds
        a watched word, parser-checked in the worker (GuardError on refusal). ``kind`` ""
        lets the result decide between ``fmt`` and ``graph_fmt``. ``receive``: the request's
        ASGI channel; a disconnect stops the query. ``client``: its address; a client over
        its share of long-running queries gets TooManyHeavy (429)."""
        guard = explain = None
        if not checked:
            if screen_query(text, max_length=self.settings.max_query_length):
                guard = self.guard_spec
            else:
                explain = self.guard_spec  # only to word a syntax error (guard.update_hint)
        job = QueryJob(text=text, kind=kind, fmt=fmt, cap=cap or self.settings.row_cap,
                       default_graphs=default_graphs, named_graphs=named_graphs,
                       union_default=union_default, graph_fmt=graph_fmt,
                       not_acceptable=not_acceptable, guard=guard, base_iri=self.endpoint_iri,
                       explain=explain)
        if self.heavy is None:
            self.heavy = HeavyQueries(self.settings.per_client)
        budget = timeout or self.settings.timeout_s
        return await supervise(lambda started: self.pool.run(job, budget, started), receive,
                               client, self.heavy)

    def template_kind(self, template: str) -> str:
        """The guard's verdict on one of the package's query texts (checked once per text)."""
        kind = self.templates.get(template)
        if kind is None:
            kind = check_query(template, max_length=10**7, local_base=self.local_base,
                               service_allowed=self.settings.service_allowed).kind
            self.templates[template] = kind
        return kind

    async def run_template(self, template: str, bindings: Mapping[str, Node] | None, fmt: str,
                           text: str | None = None, **kw: object) -> QueryOutcome:
        """Run a query file's text with parameters bound as parsed terms (BindError if a value
        is not a term): the template passed the guard, and no bound term can change it.
        ``text``: the template cut to one page (query.paged: whole-number LIMIT/OFFSET only)."""
        kind = self.template_kind(template)
        return await self.run(bind_values(text or template, bindings), kind, fmt, checked=True,
                              **kw)  # type: ignore[arg-type]


#: How a router finds its state: a function of the request (see :func:`state_router`).
StateOf = Callable[[Request], ServerState]


def state_getter(state: ServerState | StateOf | None) -> StateOf:
    """``state`` as a function of the request: an open :class:`ServerState` (every request
    gets it), a function returning one, or None for the app's own (``app.state.mg``, opened
    by ``create_app``'s lifespan)."""
    if isinstance(state, ServerState):
        fixed = state

        def state_of(request: Request) -> ServerState:
            return fixed

        return state_of
    return state or _app_state


def state_router(state: ServerState | StateOf | None, **kw: object) -> APIRouter:
    """An APIRouter whose routes find ``state`` with :func:`get_state`: a router dependency
    puts it on the request (``request.state.mg``) before the route runs. The routers'
    factories (``dataset_router(state)`` ...) start from this."""
    state_of = state_getter(state)

    async def bind_state(request: Request) -> None:
        state = state_of(request)
        if state is not None:  # None: a pages-only app over ``app.state.store`` (tests)
            request.state.mg = state

    return APIRouter(dependencies=[Depends(bind_state)], **kw)  # type: ignore[arg-type]


def _app_state(request: Request) -> ServerState:
    return getattr(request.app.state, "mg", None)  # type: ignore[return-value]


def get_state(request: Request) -> ServerState:
    """The state of the router serving the request (see :func:`state_router`), else the app's."""
    mg = getattr(getattr(request, "state", None), "mg", None)
    return mg if mg is not None else request.app.state.mg


def get_store(request: Request) -> Store:
    return get_state(request).store


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
    pool = WorkerPool(source, size=settings.workers, sandbox=settings.sandbox,
                      memory_mb=settings.worker_memory_mb)
    await pool.start()
    state = ServerState(settings=settings, store=store, pool=pool, snapshot_dir=snap_dir,
                        heavy=HeavyQueries(settings.per_client),
                        caches=PageCaches.from_settings(settings))
    state.query_store = WorkerStore(state, asyncio.get_running_loop())
    return state


def is_remote(store: str | None) -> bool:
    """``settings.store`` names a remote SPARQL server (``sparql+http(s)://...``)."""
    return bool(store) and str(store).startswith(("sparql+http://", "sparql+https://"))


async def close_state(state: ServerState) -> None:
    await state.pool.stop()
    if state.snapshot_dir is not None:
        state.snapshot_dir.cleanup()
    state.store.close()


__all__ = ["ServerState", "GuardError", "StateOf", "state_getter", "state_router", "get_state",
           "get_store", "open_state", "close_state", "is_remote", "snapshot_source"]
