"""The one query path's machinery: per-client slots, stopping a query whose client went away,
and the store the browser pages use (every page query runs in the workers, like /sparql).

- :class:`HeavyQueries` and :func:`supervise`: a query that has run a while is *heavy*; each
  client (IP address) may have ``workers - 1`` heavy queries at once, and one more is stopped
  (429) as soon as another client waits, so a light query always finds a worker; and a query
  whose client disconnects (an ``http.disconnect`` on the ASGI ``receive`` channel) is
  cancelled, which kills its worker.
- :class:`WorkerStore`: ``select`` / ``construct`` / ``ask`` with bindings, for code that runs
  in a thread (the page builders): each call is a job on the app's event loop, so pages get
  the same binding, guard, timeout, row cap, memory cap and sandbox as every other query.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Mapping, TypeVar

import orjson
from rdflib.term import Node

from mandategraph.build.ntriples import parse_nt
from mandategraph.store.interface import SelectResult, result_from_json

T = TypeVar("T")


class HeavyQueries:
    """Per client (IP address): its queries waiting for a worker, and those that have run
    longer than ``heavy_s`` in one (*heavy*).

    A client may have ``limit`` heavy queries at once (``workers - 1`` by default). One more
    keeps running while nobody else waits, and is stopped with 429 and Retry-After as soon as
    another client's query is waiting for a worker: one client's heavy queries never keep
    every worker from everybody else, and a light query finds one within about ``heavy_s``."""

    def __init__(self, limit: int, heavy_s: float = 0.5, poll_s: float = 0.05):
        self.limit = max(1, limit)
        self.heavy_s = heavy_s
        self.poll_s = poll_s
        self._heavy: dict[str, int] = {}
        self._waiting: dict[str, int] = {}

    @staticmethod
    def _add(table: dict[str, int], client: str, n: int) -> None:
        v = table.get(client, 0) + n
        if v <= 0:
            table.pop(client, None)
        else:
            table[client] = v

    def waiting(self, client: str, n: int) -> None:
        self._add(self._waiting, client, n)

    def others_waiting(self, client: str) -> bool:
        return any(c != client for c in self._waiting)

    def take(self, client: str) -> bool:
        """Count one more heavy query of ``client``; False when that is over its share."""
        over = self._heavy.get(client, 0) >= self.limit
        self._add(self._heavy, client, 1)
        return not over

    def give(self, client: str) -> None:
        self._add(self._heavy, client, -1)

    def __len__(self) -> int:
        return len(self._heavy) + len(self._waiting)


class TooManyHeavy(Exception):
    """The client already has its share of long-running queries; this one was stopped."""

    status = 429

    def __init__(self, limit: int):
        self.message = (f"this client already has {limit} long-running quer"
                        f"{'y' if limit == 1 else 'ies'} in progress and others are waiting; "
                        "this one was stopped: retry when they finish")
        super().__init__(self.message)


class _Started:
    """What WorkerPool.run sets when a worker takes the job (an asyncio.Event's ``set``,
    without its waiters: here a timer is armed instead)."""

    __slots__ = ("on_set",)

    def __init__(self, on_set: Callable[[], None]):
        self.on_set = on_set

    def set(self) -> None:
        self.on_set()


#: A query still running after this long gets a watcher on its client's connection.
WATCH_AFTER_S = 0.05


async def supervise(work: Callable[[Any], Awaitable[T]],
                    receive: Callable[[], Awaitable[dict]] | None,
                    client: str | None, heavy: HeavyQueries | None) -> T:
    """Await ``work(started)`` (a query in a worker; ``started.set()`` is called when a
    worker takes it), stopping it if the client disconnects (its worker is then killed within
    milliseconds) or if it is a heavy query over the client's share while others wait.

    Cheap for the common case, a query that answers in milliseconds: no task, two timers.
    Only a query still running after WATCH_AFTER_S gets a task that listens for the client's
    disconnect; the heavy-query check is a timer armed when a worker takes the job. Either
    stops the query by cancelling this task (WorkerPool.run then kills the worker)."""
    if receive is None and (client is None or heavy is None):
        return await work(None)
    loop = asyncio.get_running_loop()
    me = asyncio.current_task()
    assert me is not None
    why: list[Exception] = []
    timers: list[asyncio.TimerHandle] = []
    watcher: list[asyncio.Task] = []
    counted = [False]
    waiting = [False]

    def stop(reason: Exception) -> None:
        if not why:
            why.append(reason)
            me.cancel()

    async def watch() -> None:
        while True:
            msg = await receive()  # type: ignore[misc]
            if msg.get("type") == "http.disconnect":
                stop(ClientGone())
                return

    def start_watch() -> None:
        watcher.append(loop.create_task(watch()))

    def poll_share() -> None:  # over its share: runs on only while nobody else waits
        if heavy.others_waiting(client):  # type: ignore[union-attr,arg-type]
            stop(TooManyHeavy(heavy.limit))  # type: ignore[union-attr]
        else:
            timers.append(loop.call_later(heavy.poll_s, poll_share))  # type: ignore[union-attr]

    def turned_heavy() -> None:
        counted[0] = True
        if not heavy.take(client):  # type: ignore[union-attr,arg-type]
            poll_share()

    def on_started() -> None:
        if waiting[0]:
            waiting[0] = False
            heavy.waiting(client, -1)  # type: ignore[union-attr,arg-type]
            timers.append(loop.call_later(heavy.heavy_s, turned_heavy))  # type: ignore[union-attr]

    if client is not None and heavy is not None:
        heavy.waiting(client, 1)
        waiting[0] = True
    if receive is not None:
        timers.append(loop.call_later(WATCH_AFTER_S, start_watch))
    try:
        return await work(_Started(on_started))
    except asyncio.CancelledError:
        if why and me.uncancel() == 0:
            raise why[0] from None
        raise
    finally:
        for t in timers:
            t.cancel()
        for w in watcher:
            w.cancel()
        if waiting[0]:
            heavy.waiting(client, -1)  # type: ignore[union-attr,arg-type]
        if counted[0]:
            heavy.give(client)  # type: ignore[union-attr,arg-type]


class ClientGone(Exception):
    """The client closed the connection; its query was stopped."""


class WorkerStore:
    """A store-like object whose queries run in the app's query workers (for page threads)."""

    def __init__(self, state: Any, loop: asyncio.AbstractEventLoop):  # a ServerState
        self.state = state
        self.loop = loop
        self.backend = getattr(state.store, "backend", "oxigraph")

    def _call(self, template: str, bindings: Mapping[str, Node] | None, fmt: str) -> Any:
        """``template``: a query file's text (the pages use no other); values bound as terms."""
        fut = asyncio.run_coroutine_threadsafe(self.state.run_template(template, bindings, fmt),
                                               self.loop)
        return fut.result(self.state.settings.timeout_s + 10)

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> SelectResult:
        return result_from_json(orjson.loads(self._call(sparql, bindings, "json").body))

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        return bool(orjson.loads(self._call(sparql, bindings, "json").body)["boolean"])

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list:
        return parse_nt(self._call(sparql, bindings, "ntriples").body)

    def run_text(self, sparql: str, kind: str) -> Any:
        """A generated SELECT or ASK (the compiled SHACL checks of the pages' whole-store
        report, views.shacl) as a job of the one query path, screened and guarded like a text
        from the web (not a query file: no guard verdict is memoised for it)."""
        fut = asyncio.run_coroutine_threadsafe(self.state.run(sparql, kind, "json"), self.loop)
        data = orjson.loads(fut.result(self.state.settings.timeout_s + 10).body)
        return bool(data["boolean"]) if kind == "ask" else result_from_json(data)

    def __getattr__(self, name: str) -> Any:
        # Anything else (counts, named graphs, dumps) is the real store's business.
        return getattr(self.state.store, name)
