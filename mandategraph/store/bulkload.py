"""Bulk loading of RDF dumps into a store: ``mandategraph load``.

Why: a graph of a million documents is rebuilt or moved as a dump (the N-Quads or TriG files
``mandategraph export`` and ``/dumps/`` write, or a peer's export), not re-extracted. Oxigraph's
``bulk_load`` parses on one thread; on the 2 cores of a small server that leaves a core idle.
Line-based formats (N-Quads, N-Triples) can be cut at any line end, so each file is split into
one line-aligned byte range per thread, streamed into its own ``bulk_load`` (pyoxigraph
releases the GIL while it loads); a gzip file is cut into pieces of a few tens of MB as it is
decompressed, with a bounded number of pieces in memory at once.

Safety: ``bulk_load`` is not transactional. So an on-disk load goes into a new sibling
directory and replaces the target directory only when every file went in (two renames); the
existing store is never half-written. A file that fails to parse is named with its line (the
parser's line, shifted by the chunk's first line), and the batch is loaded again without it, so
the rest of the batch still goes in.

Signed dumps: a plain N-Quads / N-Triples file that mandategraph wrote (``mandategraph export
--format nquads``, the synthetic corpus) ends with a comment line ``# mandategraph-dump
sha256=<hex>``, the SHA-256 of every byte before it (any RDF parser skips the comment). Its
IRIs were validated when they entered the store they were dumped from, so validating them
again is wasted work (about a quarter of the load): loading such files into an *empty* store
parses them leniently while another thread checks the digest, and if any file's digest does
not match (the file was changed after it was written) the load is thrown away and done again
with full validation, with a warning naming the file. ``strict=True`` (``--strict``) always
validates.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import io
import os
import re
import shutil
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..core.formats import FORMATS as RDF_FORMATS
from ..core.formats import suffix
from .recovery import exchange, recover

#: formats by file suffix (after an optional .gz); line-based ones may be cut at line ends
FORMATS: dict[str, ox.RdfFormat] = {
    **{suffix(name): RDF_FORMATS[name] for name in ("nquads", "ntriples", "trig", "turtle")},
    ".nquads": RDF_FORMATS["nquads"], ".ntriples": RDF_FORMATS["ntriples"],
}
LINE_BASED = {ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES}
CHUNK_BYTES = 32 * 1024 * 1024
#: the last line of a dump mandategraph wrote: the SHA-256 of every byte before it
TRAILER = b"# mandategraph-dump sha256="
_TRAILER_RE = re.compile(rb"# mandategraph-dump sha256=([0-9a-f]{64})\n?\Z")


class LoadError(Exception):
    """A dump could not be loaded; the message names the file, the line and what was expected."""

    def __init__(self, path: Path, message: str, line: int | None = None):
        self.path, self.line = path, line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


@dataclass
class LoadReport:
    loaded: list[Path] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    quads: int = 0

    def summary(self) -> str:
        s = f"loaded {len(self.loaded)} file(s), {self.quads:,} quads in the store"
        return s + (f"; {len(self.errors)} file(s) refused" if self.errors else "")


def format_of(path: Path) -> ox.RdfFormat:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    fmt = FORMATS.get(Path(name).suffix)
    if fmt is None:
        raise LoadError(path, "unknown format: expected .nq, .nt, .trig or .ttl (optionally .gz)")
    return fmt


def checked_format(path: Path) -> ox.RdfFormat:
    """The file's format, or LoadError when the format is unknown or the file missing."""
    fmt = format_of(path)
    if not path.is_file():
        raise LoadError(path, "no such file")
    return fmt


class SigningWriter(io.RawIOBase):
    """Writes through to ``out`` and keeps the SHA-256 of what went through; :meth:`finish`
    appends the signed-dump trailer line."""

    def __init__(self, out):
        self.out, self.sha = out, hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.sha.update(data)
        self.out.write(data)
        return len(data)

    def finish(self) -> None:
        self.out.write(trailer_line(self.sha.hexdigest()))


def trailer_line(digest: str) -> bytes:
    return TRAILER + digest.encode("ascii") + b"\n"


def dump_trailer(path: Path) -> tuple[str, int] | None:
    """(digest, length of what it signs) when a plain file ends with the signed-dump trailer."""
    if path.name.lower().endswith(".gz"):
        return None
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            fh.seek(max(0, size - 128))
            tail = fh.read()
    except OSError:
        return None
    start = tail.rfind(b"\n", 0, len(tail) - 1) + 1
    m = _TRAILER_RE.match(tail, start)
    if not m:
        return None
    return m.group(1).decode("ascii"), size - (len(tail) - start)


def body_digest(path: Path, length: int) -> str:
    """SHA-256 of the first ``length`` bytes of a file (hashlib releases the GIL)."""
    sha = hashlib.sha256()
    with open(path, "rb", buffering=0) as fh:
        while length > 0:
            block = fh.read(min(1 << 24, length))
            if not block:
                break
            sha.update(block)
            length -= len(block)
    return sha.hexdigest()


def _is_empty(store: ox.Store) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, None)), None) is None


def _load_signed(store: ox.Store, paths: list[Path], *, threads: int, transactional: bool,
                 strict: bool, lenient: bool) -> list[Path] | None:
    """Load signed dumps leniently while a thread checks their digests. None when this path
    does not apply (strict, already lenient, a store that is not empty, a file not signed);
    otherwise the files whose digest did not match: the caller then throws the load away."""
    if strict or lenient or not paths:
        return None
    signed = {p: dump_trailer(p) for p in paths if checked_format(p) in LINE_BASED}
    if len(signed) != len(paths) or None in signed.values() or not _is_empty(store):
        return None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="digest") as pool:
        digests = {p: pool.submit(body_digest, p, t[1]) for p, t in signed.items()}  # type: ignore[index]
        for p in paths:
            load_file(store, p, threads=threads, lenient=True, transactional=transactional)
        return [p for p in paths if digests[p].result() != signed[p][0]]  # type: ignore[index]


def _mismatch_warning(path: Path) -> str:
    return (f"{path}: its mandategraph-dump digest does not match its content (changed after it "
            "was written?): loaded again with full validation")


def _open(path: Path):
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def chunks(path: Path, size: int = CHUNK_BYTES) -> Iterator[tuple[int, bytes]]:
    """(first line number, bytes) pieces of a line-based file, each ending at a line end."""
    line = 1
    rest = b""
    with _open(path) as fh:
        while True:
            block = fh.read(size)
            if not block:
                break
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if cut == 0:  # one very long line: keep reading
                rest = block
                continue
            piece, rest = block[:cut], block[cut:]
            yield line, piece
            line += piece.count(b"\n")
    if rest:
        yield line, rest


def _shifted(e: SyntaxError, first_line: int) -> tuple[int | None, str]:
    line = e.lineno + first_line - 1 if e.lineno else None
    msg = str(e.msg if hasattr(e, "msg") else e)
    if e.lineno and first_line > 1:  # the parser counts from the chunk: say the file's lines
        msg = msg.replace(f"line {e.lineno}", f"line {line}", 1)
    return line, msg


def load_file(store: ox.Store, path: Path, *, threads: int = 2, lenient: bool = False,
              chunk_bytes: int = CHUNK_BYTES, transactional: bool = False) -> None:
    """Load one file into ``store``, line-based formats in parallel chunks. Raises LoadError.

    ``transactional``: one ``Store.load`` of the whole file (all or nothing, one thread). For an
    *in-memory* store this is also the fastest way: it admits one writer at a time, so threads
    gain nothing, and its transactional ``load`` took 61-63 s for 14.4M quads where
    ``bulk_load`` took 79-84 s (measured, bench/README.md). On disk, use the bulk path: a
    transaction of that size is held in memory."""
    fmt = checked_format(path)
    try:
        if transactional:
            if path.name.lower().endswith(".gz"):
                with _open(path) as fh:
                    store.load(fh, fmt, lenient=lenient)
            else:
                store.load(path=str(path), format=fmt, lenient=lenient)
            return
        if fmt not in LINE_BASED or threads <= 1:
            with _open(path) as fh:
                store.bulk_load(fh, fmt, lenient=lenient)
            return
        _load_parallel(store, path, fmt, threads, lenient, chunk_bytes)
    except SyntaxError as e:
        line, msg = _shifted(e, getattr(e, "first_line", 1))
        raise LoadError(path, f"not valid {fmt.name}: {msg}", line) from e
    except (OSError, EOFError, ValueError) as e:  # unreadable, truncated gzip, bad bytes
        raise LoadError(path, f"cannot read: {e}") from e


class _RangeReader(io.RawIOBase):
    """Bytes ``[start, end)`` of a file, read with ``pread`` (threads share no file position)."""

    def __init__(self, fd: int, start: int, end: int):
        self.fd, self.pos, self.end = fd, start, end

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        n = min(len(buf), self.end - self.pos)
        if n <= 0:
            return 0
        data = os.pread(self.fd, n, self.pos)
        buf[: len(data)] = data
        self.pos += len(data)
        return len(data)


def line_ranges(path: Path, parts: int) -> list[tuple[int, int]]:
    """``parts`` byte ranges of a file, each starting at a line start."""
    size = path.stat().st_size
    bounds = [0]
    with open(path, "rb") as fh:
        for i in range(1, parts):
            fh.seek(max(size * i // parts, bounds[-1]))
            fh.readline()
            bounds.append(min(fh.tell(), size))
    bounds.append(size)
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _line_at(path: Path, offset: int) -> int:
    """1-based number of the line that starts at ``offset`` (only computed for an error)."""
    n = 1
    with open(path, "rb") as fh:
        while offset > 0:
            block = fh.read(min(1 << 24, offset))
            if not block:
                break
            n += block.count(b"\n")
            offset -= len(block)
    return n


def _load_parallel(store: ox.Store, path: Path, fmt: ox.RdfFormat, threads: int,
                   lenient: bool, chunk_bytes: int) -> None:
    """A plain file is split into one line-aligned byte range per thread, each streamed into
    its own ``bulk_load`` (Oxigraph keeps its large internal batches). A gzip file cannot be
    split without reading it, so it is cut into ``chunk_bytes`` pieces as it is decompressed."""
    if not path.name.lower().endswith(".gz"):
        fd = os.open(path, os.O_RDONLY)
        try:
            def load_range(start: int, end: int) -> None:
                try:
                    reader = io.BufferedReader(_RangeReader(fd, start, end), 1 << 20)
                    store.bulk_load(reader, fmt, lenient=lenient)
                except SyntaxError as e:
                    e.first_line = _line_at(path, start)  # type: ignore[attr-defined]
                    raise

            with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="bulkload") as pool:
                futures = [pool.submit(load_range, a, b) for a, b in line_ranges(path, threads)]
                for f in futures:
                    f.result()
        finally:
            os.close(fd)
        return

    def work(first_line: int, data: bytes) -> None:
        try:
            store.bulk_load(data, fmt, lenient=lenient)
        except SyntaxError as e:
            e.first_line = first_line  # type: ignore[attr-defined]
            raise

    slots = threading.BoundedSemaphore(threads * 2)  # chunks in memory at once
    pending: set[Future] = set()
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="bulkload") as pool:
        for first_line, data in chunks(path, chunk_bytes):
            slots.acquire()
            fut = pool.submit(work, first_line, data)
            fut.add_done_callback(lambda _f: slots.release())
            pending.add(fut)
            done = {f for f in pending if f.done()}
            for f in done:
                f.result()  # re-raise the first failure; the pool drains on exit
            pending -= done
        for f in pending:
            f.result()


def load_into(store: ox.Store, paths: Iterable[Path], *, threads: int = 2, lenient: bool = False,
              transactional: bool = False, strict: bool = False,
              warnings: list[str] | None = None) -> None:
    """Load every file into an open store; the first failure raises (the store then holds the
    files before it, and with ``transactional`` nothing of the failed file; callers that must
    not leave a partial store use :func:`load_store`).

    Signed dumps (module doc) going into an empty store are parsed leniently while their
    digests are checked; on a mismatch the store is cleared and everything is loaded again
    with full validation (a warning per file goes to ``warnings``). ``strict`` always validates.
    """
    paths = list(paths)
    bad = _load_signed(store, paths, threads=threads, transactional=transactional,
                       strict=strict, lenient=lenient)
    if bad is not None:
        if not bad:
            return
        store.clear()
        if warnings is not None:
            warnings.extend(_mismatch_warning(p) for p in bad)
    for p in paths:
        load_file(store, p, threads=threads, lenient=lenient, transactional=transactional)


def default_threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def load_store(target: Path, paths: list[Path], *, replace: bool = False, threads: int | None = None,
               lenient: bool = False, optimize: bool = False, strict: bool = False) -> LoadReport:
    """Build an on-disk store at ``target`` from dump files, all or nothing per file.

    The load runs in ``<target>.loading-<pid>-<n>``; when it has finished, an existing store at
    ``target`` (allowed only with ``replace``) is moved aside and the new one renamed into
    place. A file that fails is reported and the batch is loaded again without it.
    """
    target = Path(target)
    recover(target)  # what an earlier load, killed, left beside the target
    if target.exists() and any(target.iterdir()) and not replace:
        raise LoadError(target, "a store already exists here: pass --replace to swap it for the "
                                "loaded one, or choose another --store")
    threads = threads or default_threads()
    report = LoadReport()
    todo = list(paths)
    for p in todo:  # refuse unknown formats and missing files before any work
        try:
            checked_format(p)
        except LoadError as e:
            report.errors.append(e)
    todo = [p for p in todo if p not in {e.path for e in report.errors}]
    attempt = 0
    while True:
        attempt += 1
        staging = target.with_name(f"{target.name}.loading-{os.getpid()}-{attempt}")
        shutil.rmtree(staging, ignore_errors=True)
        store = ox.Store(str(staging))
        try:
            bad = _load_signed(store, todo, threads=threads, transactional=False, strict=strict,
                               lenient=lenient)
            if bad:  # changed after it was written: throw the load away, validate everything
                report.warnings.extend(_mismatch_warning(p) for p in bad)
                del store
                gc.collect()
                shutil.rmtree(staging, ignore_errors=True)
                strict = True
                continue
            if bad is None:
                load_into(store, todo, threads=threads, lenient=lenient, strict=True)
        except LoadError as e:
            # drop every reference to the half-loaded store (the traceback's frames hold one)
            e.__traceback__ = e.__cause__ = e.__context__ = None
            del store
            gc.collect()
            shutil.rmtree(staging, ignore_errors=True)
            report.errors.append(e)
            todo = [p for p in todo if p != e.path]
            continue
        if optimize:
            store.optimize()
        store.flush()
        report.quads = len(store)
        del store
        break
    report.loaded = todo
    if not todo and report.errors:
        shutil.rmtree(staging, ignore_errors=True)
        return report
    if target.exists() and exchange(staging, target):
        # one atomic step: the target is the old store or the new one at every instant; the
        # old one now sits under the staging name, which the next open deletes if a kill
        # comes before the rmtree (store/recovery.py)
        shutil.rmtree(staging, ignore_errors=True)
        return report
    old = target.with_name(f"{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    staging.rename(target)  # a kill between the two renames: recovery puts the old one back
    shutil.rmtree(old, ignore_errors=True)
    return report
