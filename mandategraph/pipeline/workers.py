"""Read, extract and build each source in a worker process, under limits (issue 19, issue 14).

Why processes: a hostile source (a PDF page whose text pass never ends in pdfium, a file that
needs gigabytes) cannot be stopped from inside the process that reads it: C code does not see
signals or exceptions. A worker can be killed. So the build runs one worker per core, each
reading one source at a time and sending back its N-Triples; the parent is the one writer to
the store. The parent watches every worker: over the wall-time limit or the memory limit it
kills the worker, reports the source ("over the 60 s limit at page 1,204"), starts a new worker
and goes on; nothing of that source is stored and the parent never holds more of a source than
its finished N-Triples. Inside the worker, ``RLIMIT_AS`` stops an allocation far past the
memory limit at once (``MemoryError``), and the loaders check the cheap limits as they read
(:mod:`mandategraph.ingest.limits`).

The per-source outcome is explicit (:class:`SourceResult`): ``built``, ``unchanged``, ``error``
or ``unrecognised`` (built, but no structure was recognised), with warnings that have a kind, so
that the build report (issue 14) can count them.

Output: a worker runs exactly the code a serial build runs, with the same IRI base; sources
are written in the order of the file list, so the store's content does not depend on which
worker read what (the sorted N-Quads of data/ are byte-identical to a serial build).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing as mp
import os
import resource
import signal
import sys
import time
import types
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing.connection import wait
from pathlib import Path

from ..build.builder import build_graph
from ..build.catalogue import build_catalogue
from ..build.decisions import build_decision
from ..build.iris import Iris
from ..build.ntriples import nquads
from ..extract import extract
from ..extract.decisions import RecordError
from ..ingest import limits as lim
from ..ingest.limits import Limits, size_text
from ..ingest.load import load_source
from ..ingest.source import IngestError, remember_sha256


class SourceWarning(str):
    """A warning's text (a ``str``, as the report prints it) with its ``kind``: ``unrecognised``
    (no structure found), ``extract``, ``catalogue``, ``symlink``, ``not-a-file``, ``folder``,
    ``skipped`` (a .csv that is not a catalogue)."""

    kind: str

    def __new__(cls, message: str, kind: str = "extract") -> SourceWarning:
        self = super().__new__(cls, message)
        self.kind = kind
        return self

    def __getnewargs__(self) -> tuple[str, str]:  # pickling across the worker pipe
        return str(self), self.kind


def warning_kind(message: str) -> str:
    return "unrecognised" if "no recognisable structure" in message else "extract"


@dataclass
class SourceResult:
    """What became of one source file."""

    name: str  #: the file as reported (relative, undecodable bytes escaped)
    status: str  #: "built", "unchanged", "error" or "unrecognised"
    graph_iri: str | None = None
    nt: bytes = b""
    checked: bool = False
    errors: list[str] = field(default_factory=list)  #: messages naming the file (or file:line)
    warnings: list[SourceWarning] = field(default_factory=list)
    seconds: float = 0.0  #: wall time to read, extract and build it
    cpu_seconds: float = 0.0  #: CPU time of the same (in the process that read it)
    catalogue: bool = False
    spooled: str | None = None  #: the N-Quads file of Task.spool, written (``nt`` is empty)

    @property
    def stored(self) -> bool:
        return self.status in ("built", "unrecognised") and self.graph_iri is not None


@dataclass(frozen=True)
class Task:
    path: Path
    name: str
    base: str
    catalogue: bool
    decision: bool = False  #: a GA decisions database record (.json)
    digest: str | None = None  #: the file's SHA-256 as the parent read it (not read again)
    #: during a bulk build: write the graph as N-Quads to this file instead of sending its
    #: N-Triples back (``OxigraphStore.spool_dir``; the parent loads the file if it stores it)
    spool: str | None = None


def process(task: Task) -> SourceResult:
    """Read, extract and build one source (in a worker, or in this process)."""
    t0, c0 = time.perf_counter(), time.process_time()
    name = task.name
    res = SourceResult(name, "error", catalogue=task.catalogue or task.decision)
    unrecognised = False
    try:
        if task.digest:
            remember_sha256(task.path, task.digest)
        iris = Iris(task.base)
        if task.catalogue:  # a catalogue: its bad rows are errors, its other rows go in
            built, row_errors = build_catalogue(task.path, name, iris)
            res.errors.extend(row_errors)
            res.warnings.extend(SourceWarning(w, "catalogue") for w in built.warnings)
        elif task.decision:  # a decision record: its bad fields are errors, the rest goes in
            built, row_errors = build_decision(task.path, name, iris)
            res.errors.extend(row_errors)
            res.warnings.extend(SourceWarning(w, "decision") for w in built.warnings)
        else:
            source = load_source(task.path)
            source.path = name
            facts = extract(source)
            facts.source = replace(facts.source, encoding=source.encoding)  # un:sourceEncoding
            built = build_graph(facts, iris)
            res.warnings.extend(SourceWarning(w if w.startswith(f"{name}: ") else f"{name}: {w}", warning_kind(w))
                                for w in built.warnings)
            if not facts.recognised:
                unrecognised = True
        nt = built.nt
        nt = nt.encode("utf-8") if isinstance(nt, str) else nt
        res.graph_iri, res.checked = str(built.graph_iri), built.checked
        if task.spool:
            with open(task.spool, "wb") as fh:
                fh.write(nquads(nt, res.graph_iri))
            res.spooled = task.spool
        else:
            res.nt = nt
        res.status = ("unrecognised" if unrecognised or any(w.kind == "unrecognised" for w in res.warnings)
                      else "built")
    except RecordError as e:
        res.errors.append(f"{name}: {e}" if not str(e).startswith(name) else str(e))
    except IngestError as e:  # said with the name as reported (relative, escaped)
        res.errors.append(f"{name}:{e.line}: {e.message}" if e.line else f"{name}: {e.message}")
    except MemoryError:
        res.errors.append(_over_memory(name, lim.active().memory))
    except RecursionError:
        res.errors.append(f"{name}: nested too deeply to read (Python's recursion limit)")
    except Exception as e:  # noqa: BLE001 - one bad source must not stop the batch
        res.errors.append(f"{name}: {type(e).__name__}: {e}")
    res.seconds, res.cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    return res


def _at(page: int) -> str:
    return f" at page {page:,}" if page else ""


def _over_memory(name: str, memory: int | None, page: int = 0) -> str:
    return f"{name}: over the {size_text(memory or 0)} memory limit{_at(page)}; nothing of it stored"


# --------------------------------------------------------------------------- workers


def _worker_main(conn, limits: Limits, page) -> None:
    """A worker's loop: receive a Task, send back its SourceResult, until None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; Ctrl-C reaches it
    _die_with_parent()
    lim.use(limits)

    def publish(n: int) -> None:
        page.value = n

    lim.set_page_hook(publish)
    if limits.memory:
        # a hard stop well above the watched limit: virtual size now + the limit + slack for
        # thread stacks and allocator arenas (RSS is what the parent watches)
        base = _vm_size()
        cap = base + 2 * limits.memory
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        page.value = 0
        if limits.seconds is not None:  # a backstop should the parent be gone: CPU seconds
            used = int(sum(resource.getrusage(resource.RUSAGE_SELF)[:2]))
            resource.setrlimit(resource.RLIMIT_CPU, (used + int(2 * limits.seconds) + 5,
                                                     resource.RLIM_INFINITY))
        conn.send(process(task))


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when its parent (the forkserver, which ends with
    the build) dies, so a worker stuck in C code does not outlive a killed build."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


_PR_SET_PDEATHSIG = 1


def _vm_size() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _context():
    """forkserver on Linux (a clean process that preloaded this module forks each worker: no
    copy of the parent's store or threads, no import cost per worker); spawn elsewhere."""
    if sys.platform.startswith("linux"):
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload([__name__, "mandategraph.pipeline.worker_warm"])
        return ctx
    return mp.get_context("spawn")


@contextmanager
def _no_main_module() -> Iterator[None]:
    """Start processes without multiprocessing's re-import of the caller's ``__main__`` (it
    would run a script's unguarded top level again, and fails outright for ``python -`` or an
    interactive session): the worker needs only this module, named in its target."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class _Worker:
    def __init__(self, ctx, limits: Limits):
        self.page = ctx.Value("i", 0, lock=False)
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, limits, self.page), daemon=True)
        with _no_main_module():
            self.proc.start()
        child.close()
        self.job: tuple[int, Task] | None = None
        self.started = 0.0

    def give(self, index: int, task: Task) -> None:
        self.job, self.started = (index, task), time.monotonic()
        self.conn.send(task)

    def kill(self) -> None:
        if self.proc.is_alive():
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(2)
        if self.proc.is_alive():
            self.kill()
        else:
            self.conn.close()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


class WorkerPool:
    """``workers`` processes reading sources under ``limits``; :meth:`run` yields the results
    in the order of the tasks. Use as a context manager (the workers are stopped at the end)."""

    POLL = 0.05  #: seconds between looks at the workers' time and memory

    def __init__(self, workers: int, limits: Limits):
        self.limits = limits
        self.n = max(1, workers)
        self.ctx = _context()
        self.workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        for w in self.workers:
            w.stop()
        self.workers.clear()

    def _replace(self, w: _Worker) -> None:
        w.kill()
        self.workers[self.workers.index(w)] = _Worker(self.ctx, self.limits)

    def run(self, tasks: Iterable[Task]) -> Iterator[SourceResult]:
        todo = deque(enumerate(tasks))
        total = len(todo)
        if not self.workers:
            self.workers = [_Worker(self.ctx, self.limits) for _ in range(min(self.n, total) or 1)]
        done: dict[int, SourceResult] = {}
        out = 0
        window = 4 * self.n  # finished results held for the in-order output, at most
        while out < total:
            for w in self.workers:
                if w.job is None and todo and todo[0][0] < out + window:
                    w.give(*todo.popleft())
            busy = {w.conn: w for w in self.workers if w.job is not None}
            for conn in wait(list(busy), timeout=self.POLL):
                w = busy[conn]
                index, task = w.job  # type: ignore[misc]
                try:
                    done[index] = conn.recv()
                    w.job = None
                except (EOFError, OSError):  # the worker died (a crash in C code, the OOM killer)
                    w.proc.join(1)
                    done[index] = self._failed(task, w, f"{task.name}: "
                                               + _death(w.proc.exitcode, w.page.value))
                    self._replace(w)
            self._watch(done)
            while out in done:
                yield done.pop(out)
                out += 1

    def _watch(self, done: dict[int, SourceResult]) -> None:
        """Kill a worker over its wall time or memory; its source gets the error."""
        now = time.monotonic()
        for w in list(self.workers):
            if w.job is None:
                continue
            index, task = w.job
            page = w.page.value
            why = None
            if self.limits.seconds is not None and now - w.started > self.limits.seconds:
                why = (f"{task.name}: over the {self.limits.seconds:g} s limit{_at(page)}; "
                       "nothing of it stored")
            elif self.limits.memory is not None and _rss(w.proc.pid) > self.limits.memory:
                why = _over_memory(task.name, self.limits.memory, page)
            if why:
                done[index] = self._failed(task, w, why)
                self._replace(w)

    @staticmethod
    def _failed(task: Task, w: _Worker, message: str) -> SourceResult:
        return SourceResult(task.name, "error", errors=[message], catalogue=task.catalogue,
                            seconds=time.monotonic() - w.started)


def _death(code: int | None, page: int) -> str:
    how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
    return f"the worker reading it ended ({how}){_at(page)}; nothing of it stored"


def run_tasks(tasks: list[Task], workers: int, limits: Limits) -> Iterator[SourceResult]:
    """Results of ``tasks`` in order: in worker processes (``workers`` >= 1), or in this
    process (``workers`` == 0: the cheap limits only, no wall time or memory limit)."""
    if workers <= 0 or not tasks:
        lim.use(limits)
        for t in tasks:
            yield process(t)
        return
    with WorkerPool(workers, limits) as pool:
        yield from pool.run(tasks)
