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
import contextlib
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


async def supervise(work: Callable[[asyncio.Event | None], Awaitable[T]],
                    receive: Callable[[], Awaitable[dict]] | None,
                    client: str | None, heavy: HeavyQueries | None) -> T:
    """Await ``work(started)`` (a query in a worker; ``started`` is set when a worker takes
    it), stopping it if the client disconnects (its worker is then killed within
    milliseconds) or if it is a heavy query over the client's share while others wait."""
    if receive is None and (client is None or heavy is None):
        return await work(None)
    started = asyncio.Event()
    task = asyncio.ensure_future(work(started))
    waiters: set[asyncio.Future] = {task}
    watcher = None
    if receive is not None:
        async def watch() -> None:
            while True:
                msg = await receive()
                if msg.get("type") == "http.disconnect":
                    return

        watcher = asyncio.ensure_future(watch())
        waiters.add(watcher)
    counted = waited = False
    try:
        if client is not None and heavy is not None:
            heavy.waiting(client, 1)
            waited = True
            begun = asyncio.ensure_future(started.wait())
            try:
                done, _ = await asyncio.wait(waiters | {begun}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                begun.cancel()
                heavy.waiting(client, -1)
                waited = False
            done = done - {begun}
            if not done:
                done, _ = await asyncio.wait(waiters, timeout=heavy.heavy_s,
                                             return_when=asyncio.FIRST_COMPLETED)
            if not done:
                counted = True
                if not heavy.take(client):  # over its share: runs on only while nobody waits
                    while not done:
                        if heavy.others_waiting(client):
                            raise TooManyHeavy(heavy.limit)
                        done, _ = await asyncio.wait(waiters, timeout=heavy.poll_s,
                                                     return_when=asyncio.FIRST_COMPLETED)
        done, _ = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            return task.result()
        raise ClientGone()
    finally:
        if waited:
            heavy.waiting(client, -1)  # type: ignore[union-attr,arg-type]
        if counted:
            heavy.give(client)  # type: ignore[union-attr,arg-type]
        if watcher is not None:
            watcher.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


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

    def __getattr__(self, name: str) -> Any:
        # Anything else (counts, named graphs, dumps) is the real store's business.
        return getattr(self.state.store, name)
