"""A pool of query worker processes: the only place queries from the web are executed.

Why processes: pyoxigraph's Python API has no query timeout (oxigraph#1926), and a query
running in a thread cannot be stopped. Each worker opens the store read-only (or loads an
N-Quads snapshot of an in-memory store) and answers one job at a time over a pipe; when a
job overruns its budget, or the client goes away, the worker is SIGKILLed and a fresh one is
started. The parent never blocks on a pipe: it waits with the event loop's ``add_reader`` and
assembles replies of any size itself (server.channel). A worker over its memory cap is
stopped and replaced (503); a worker that dies is logged with its exit cause.

The hop costs one pipe round trip: the job is pickled, the reply is a small pickled header
and the answer's bytes as the worker's Rust writer made them (server._results), unpickled.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing as mp
import os
import pickle
import signal
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from ._worker import GuardSpec, QueryJob, read_reply, worker_main
from .channel import FrameChannel

log = logging.getLogger("mandategraph.server.workers")

__all__ = ["GuardSpec", "QueryJob", "QueryOutcome", "QueryTimeout", "QueryFailed", "WorkerPool",
           "StoreSource"]


class QueryTimeout(Exception):
    """The query (or the wait for a free worker) went over the time budget; it was stopped."""


class QueryFailed(Exception):
    """The engine refused or failed the query; ``status`` is the HTTP code to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class StoreSource:
    """Where workers get their data: a store directory, an N-Quads snapshot file, or a remote
    SPARQL server (``sparql+http(s)://`` URL: workers forward each job to it)."""

    path: str | None = None
    snapshot: str | None = None
    remote: str | None = None


@dataclass(frozen=True)
class QueryOutcome:
    body: bytes
    kind: str
    truncated: bool
    rows: int
    elapsed_ms: float
    fmt: str = ""


@dataclass(eq=False)
class _Worker:
    proc: Any
    chan: FrameChannel
    net: str = "?"
    future: asyncio.Future | None = None
    jobs: int = 0


@dataclass
class PoolStats:
    started: int = 0
    killed_timeout: int = 0
    killed_cancel: int = 0
    killed_memory: int = 0
    crashed: int = 0
    jobs: int = 0
    sandbox: set[str] = field(default_factory=set)


def exit_cause(code: int | None) -> str:
    """A worker's exit code in words (negative = killed by that signal)."""
    if code is None:
        return "still running"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        why = {"SIGABRT": " (an allocation failed: over the memory cap?)",
               "SIGKILL": " (killed: the kernel's OOM killer, or a stop)",
               "SIGSEGV": " (a crash in native code)"}.get(name, "")
        return f"killed by {name}{why}"
    return f"exited with status {code}"


class WorkerPool:
    """``await pool.run(job, timeout)`` runs a job in a free worker, within ``timeout`` seconds."""

    def __init__(self, source: StoreSource, size: int = 2, sandbox: bool = True,
                 memory_mb: int = 0):
        self.source = source
        self.size = max(1, size)
        self.sandbox = sandbox
        self.memory_mb = memory_mb
        self.stats = PoolStats()
        self._ctx = mp.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._closing = False
        self._respawning: set[asyncio.Task] = set()

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        self._idle = asyncio.Queue()
        self._closing = False
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for w in workers:
            self._idle.put_nowait(w)

    async def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=worker_main, name="mandategraph-query-worker",
                                 args=(child, self.source.path, self.source.snapshot, self.sandbox,
                                       self.source.remote, self.memory_mb),
                                 daemon=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, proc.start)
        child.close()
        w = _Worker(proc, FrameChannel(parent))
        w.chan.on_message = lambda data, w=w: self._deliver(w, data)
        w.chan.on_closed = lambda exc, w=w: self._deliver(w, None, exc)
        w.chan.attach(loop)
        try:
            status, info = pickle.loads(await self._wait(w, 60.0))
        except (EOFError, OSError, asyncio.TimeoutError) as e:
            self._kill(w)
            raise RuntimeError(f"query worker did not start: {e!r} ({exit_cause(proc.exitcode)})") from e
        if status != "ready":
            self._kill(w)
            raise RuntimeError(f"query worker did not start: {info}")
        w.net = info
        self.stats.started += 1
        self.stats.sandbox.add(info.split(",")[0])
        self._all.add(w)
        return w

    async def stop(self) -> None:
        self._closing = True
        for t in list(self._respawning):
            t.cancel()
        for w in list(self._all):
            w.chan.send_nowait(pickle.dumps(None))
        deadline = time.monotonic() + 2.0
        for w in list(self._all):
            await asyncio.get_running_loop().run_in_executor(
                None, w.proc.join, max(0.0, deadline - time.monotonic()))
            self._kill(w)
        self._all.clear()

    async def restart(self, source: StoreSource | None = None, timeout: float = 60.0,
                      during: Callable[[], Awaitable[StoreSource | None]] | None = None) -> None:
        """Replace every worker so they see new data. ``during`` runs while no worker has the
        store open (a write), and may return the new source (a fresh snapshot)."""
        assert self._idle is not None
        taken = 0
        end = time.monotonic() + timeout
        total = len(self._all)
        while taken < total:
            try:
                await asyncio.wait_for(self._idle.get(), max(0.01, end - time.monotonic()))
                taken += 1
            except asyncio.TimeoutError:
                break
        for w in list(self._all):
            self._kill(w)
        self._all.clear()
        try:
            if during is not None:
                new_source = await during()
                if new_source is not None:
                    source = new_source
        finally:
            if source is not None:
                self.source = source
            while not self._idle.empty():
                self._idle.get_nowait()
            fresh = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
            for w in fresh:
                self._idle.put_nowait(w)

    # ------------------------------------------------------------------ running jobs
    async def run(self, job: QueryJob, timeout: float, started: Any = None) -> QueryOutcome:
        """Run ``job``; raise QueryTimeout after ``timeout`` s (wait included), QueryFailed on
        error. ``started`` is set when a worker takes the job (the wait is over)."""
        assert self._idle is not None, "pool not started"
        t0 = time.monotonic()
        try:  # fast path: a free worker, no task or timer needed
            w = self._idle.get_nowait()
        except asyncio.QueueEmpty:
            try:  # asyncio.timeout: a timer, not a task per wait (wait_for makes one)
                async with asyncio.timeout(timeout):
                    w = await self._idle.get()
            except TimeoutError:
                raise QueryTimeout(f"no query worker became free within {timeout:g} s") from None
        remaining = timeout - (time.monotonic() - t0)
        if started is not None:
            started.set()
        healthy = True
        try:
            raw = await self._job(w, pickle.dumps(("query", job), protocol=pickle.HIGHEST_PROTOCOL),
                                  max(0.001, remaining))
        except asyncio.TimeoutError:
            healthy = False
            self.stats.killed_timeout += 1
            raise QueryTimeout(f"the query ran over the {timeout:g} s limit and was stopped") from None
        except asyncio.CancelledError:
            healthy = False  # client gone: stop the work too
            self.stats.killed_cancel += 1
            raise
        except (EOFError, OSError) as e:
            healthy = False
            raise self._died(w, e) from None
        finally:
            if healthy:
                self._idle.put_nowait(w)
            else:
                self._replace(w)
        self.stats.jobs += 1
        status, meta, view = read_reply(raw)
        body = bytes(view)
        if meta.get("replace"):
            self.stats.killed_memory += 1
            self._idle_drop(w)
        if status != 200:
            raise QueryFailed(status, meta.get("error", "query failed"))
        return QueryOutcome(body, meta["kind"], meta["truncated"], meta["rows"],
                            (time.monotonic() - t0) * 1000, meta.get("fmt", job.fmt or ""))

    def _died(self, w: _Worker, e: BaseException) -> QueryFailed:
        """The worker's pipe closed mid-job: say why (and log it), as 503 when it was memory."""
        try:
            w.proc.join(0.5)
        except (AssertionError, OSError):  # pragma: no cover
            pass
        cause = exit_cause(w.proc.exitcode)
        log.error("query worker %s died during a query: %s (%r)", w.proc.pid, cause, e)
        if self.memory_mb and w.proc.exitcode in (-signal.SIGABRT, -signal.SIGKILL):
            self.stats.killed_memory += 1
            return QueryFailed(503, f"the query went over the worker memory limit "
                                    f"({self.memory_mb} MiB) and was stopped; the worker was replaced")
        self.stats.crashed += 1
        return QueryFailed(500, f"the query worker died: {cause}")

    def _idle_drop(self, w: _Worker) -> None:
        """A worker that asked to be replaced (it exits after its reply): swap it out."""
        assert self._idle is not None
        kept = []
        while not self._idle.empty():
            x = self._idle.get_nowait()
            if x is not w:
                kept.append(x)
        for x in kept:
            self._idle.put_nowait(x)
        self._replace(w)

    def _deliver(self, w: _Worker, data: bytes | None, exc: BaseException | None = None) -> None:
        fut = w.future
        if fut is None or fut.done():
            return
        if exc is not None:
            fut.set_exception(exc if isinstance(exc, (EOFError, OSError)) else EOFError(str(exc)))
        else:
            fut.set_result(data)

    async def _wait(self, w: _Worker, timeout: float, payload: bytes | None = None) -> bytes:
        """Send ``payload`` (if any) and wait for the worker's next reply, which the channel's
        reader puts in ``w.future``; the future is set before sending, so no reply is missed."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[bytes] = loop.create_future()
        w.future = fut

        def expired() -> None:
            if not fut.done():
                fut.set_exception(asyncio.TimeoutError())

        timer = loop.call_later(timeout, expired)
        try:
            if payload is not None:
                await w.chan.send(payload)
            return await fut
        finally:
            timer.cancel()
            w.future = None

    async def _job(self, w: _Worker, payload: bytes, timeout: float) -> bytes:
        """Send one job and wait for its reply."""
        return await self._wait(w, timeout, payload)

    def _kill(self, w: _Worker) -> None:
        w.chan.detach()
        if w.proc.is_alive():
            try:
                os.kill(w.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, TypeError):
                pass
        w.proc.join(1.0)
        w.chan.close()
        self._all.discard(w)

    def _replace(self, w: _Worker) -> None:
        self._kill(w)
        if self._closing:
            return
        task = asyncio.ensure_future(self._respawn())
        self._respawning.add(task)
        task.add_done_callback(self._respawning.discard)

    async def _respawn(self) -> None:
        delay = 0.1
        while not self._closing:
            try:
                w = await self._spawn()
            except RuntimeError as e:
                log.error("%s; retrying in %.1f s", e, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            assert self._idle is not None
            self._idle.put_nowait(w)
            return

    def pids(self) -> list[int]:
        return [w.proc.pid for w in self._all]
