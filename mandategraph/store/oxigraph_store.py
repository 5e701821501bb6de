"""The Oxigraph backend (default): pyoxigraph, on disk under a data directory or in memory."""

from __future__ import annotations

import gc
import io
import os
import shutil

from pathlib import Path
from typing import IO, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib.term import Node

from ..build.ntriples import from_ox, nquads, nt_document
from ..core.formats import FORMATS
from .interface import STAGING, Quad, SelectResult, Store, StoreError, Triple
from .recovery import recover
from .sparql_text import inject_values


class _Chain(io.RawIOBase):
    """The files ``paths`` read one after the other, as one stream (the bulk loader reads
    the spool and the worker-written parts in one ``bulk_load``)."""

    def __init__(self, paths: list[Path]):
        self._paths = list(reversed(paths))
        self._fh: IO[bytes] | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        while True:
            if self._fh is None:
                if not self._paths:
                    return 0
                self._fh = open(self._paths.pop(), "rb", buffering=0)  # closed at its end or by close()
            n = self._fh.readinto(b)
            if n:
                return n
            self._fh.close()
            self._fh = None

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        super().close()


class OxigraphStore(Store):
    backend = "oxigraph"

    def __init__(self, path: str | Path | None = None, read_only: bool = False):
        self.path = Path(path) if path else None
        self.read_only = read_only
        if self.path is not None:
            recover(self.path)  # what a killed load left beside the store
        try:
            if self.path is None:
                self.ox = ox.Store()
            elif read_only:
                if not (self.path / "CURRENT").is_file():
                    raise StoreError(f"no store at {self.path}: run `mandategraph build` first "
                                     "(or pass --store DIR)")
                self.ox = ox.Store.read_only(str(self.path))
            else:
                self._recover(self.path)
                if not self.path.exists() or (self.path.is_dir() and not any(self.path.iterdir())):
                    self._create(self.path)
                self.ox = ox.Store(str(self.path))
        except OSError as e:
            raise StoreError(f"cannot open the store at {self.path}: {e}") from e
        if not read_only:
            self.drop_staging()  # left by a build of an earlier version killed mid-replacement

    @staticmethod
    def _create(target: Path) -> None:
        """Create an empty store whole: RocksDB writes ``CURRENT`` before its column families,
        so a process killed while ``ox.Store(target)`` creates them left a directory that no
        later open accepted ("Column family not found"). The store is created in
        ``<target>.loading-<pid>-0`` (what ``recover`` removes when that process is dead; ``-0``: not a bulk load attempt),
        closed, and renamed into place: a kill leaves no store or an empty, openable one."""
        staging = target.with_name(f"{target.name}.loading-{os.getpid()}-0")
        shutil.rmtree(staging, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        created = ox.Store(str(staging))
        created.flush()
        del created  # closes RocksDB (the last reference)
        if target.is_dir():
            target.rmdir()  # the empty directory a caller made
        staging.rename(target)

    def raw_query(self, sparql: str, bindings: Mapping[str, Node] | None = None):
        return self.ox.query(inject_values(sparql, bindings), use_default_graph_as_union=True)

    def replace_graph(self, graph_iri: str, triples: Iterable[Triple]) -> None:
        """A new graph is loaded in one transaction (Oxigraph's ``load`` is transactional).
        An existing graph is replaced by one SPARQL update, ``DROP GRAPH`` + ``INSERT DATA``,
        which Oxigraph runs as one transaction: at every instant the old or the new version is
        whole, and no staging graph exists that a query (the union default graph) or an export
        could see (issue 19: a kill between the two steps of the earlier staging-and-MOVE left
        a staging graph every query saw). Measured on the 143 graphs of data/: 0.42 s against
        0.53-0.60 s for staging + MOVE."""
        self._load_graph(graph_iri, nt_document(triples))

    def replace_graph_nt(self, graph_iri: str, nt: str | bytes, checked: bool = False) -> None:
        """:meth:`replace_graph` from N-Triples text: Oxigraph parses it (no rdflib terms);
        ``checked`` text is parsed without validating IRIs again (a third of the load time)."""
        self._load_graph(graph_iri, nt.encode("utf-8") if isinstance(nt, str) else nt, checked)

    def _load_graph(self, graph_iri: str, data: bytes, checked: bool = False) -> None:
        target = ox.NamedNode(graph_iri)
        if getattr(self, "_bulk", None) is not None:
            self._pend(graph_iri, data, checked)
            return
        if not self.ox.contains_named_graph(target):
            self.ox.load(data, ox.RdfFormat.N_TRIPLES, to_graph=target, lenient=checked)
            return
        # N-Triples lines are valid triples of SPARQL's INSERT DATA (same terms, same escapes)
        self.ox.update(f"DROP SILENT GRAPH <{graph_iri}> ; INSERT DATA {{ GRAPH <{graph_iri}> {{\n"
                       + data.decode("utf-8") + "\n} }")

    def drop_staging(self) -> int:
        """Drop staging graphs that a build of an earlier version, killed while replacing a
        graph, left behind (replace_graph no longer makes any)."""
        left = [g for g in self.ox.named_graphs()
                if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING)]
        for g in left:
            self.ox.remove_graph(g)
        return len(left)

    def remove_graph(self, graph_iri: str) -> None:
        node = ox.NamedNode(graph_iri)
        if self.ox.contains_named_graph(node):
            self.ox.remove_graph(node)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.ox.named_graphs()
                      if isinstance(g, ox.NamedNode) and not g.value.startswith(STAGING))

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> SelectResult:
        res = self.raw_query(sparql, bindings)
        if not isinstance(res, ox.QuerySolutions):
            raise StoreError("expected a SELECT query")
        vars_ = [v.value for v in res.variables]
        rows = [tuple(from_ox(sol[v]) for v in vars_) for sol in res]
        return SelectResult(vars_, rows)

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        return bool(self.raw_query(sparql, bindings))

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[Triple]:
        return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
                for t in self.raw_query(sparql, bindings)]

    def quads(self, graph_iri: str | None = None) -> Iterator[Quad]:
        gn = ox.NamedNode(graph_iri) if graph_iri else None
        for q in self.ox.quads_for_pattern(None, None, None, gn):
            if isinstance(q.graph_name, ox.DefaultGraph):
                continue
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), from_ox(q.graph_name)

    def count(self) -> int:
        return len(self.ox)

    def dump(self, out: IO[bytes], fmt: str) -> None:
        """Serialise with Oxigraph's own writers: 'trig', 'nquads' (all graphs)."""
        if fmt not in ("trig", "nquads"):
            raise KeyError(fmt)
        self.ox.dump(out, FORMATS[fmt])

    def flush(self) -> None:
        if self.path is not None and not self.read_only:  # read-only stores cannot flush
            self.ox.flush()

    def begin_bulk(self) -> bool:
        """A build into an on-disk store that holds no graph yet: every graph is written by
        the bulk loader into a new directory next to the store, which :meth:`end_bulk` swaps
        in. Until then the store stays as it was (a build killed at any moment leaves it
        empty: every source absent). Per-source transactions on the live store cost half the
        on-disk build's CPU and left it 5x the size of the same quads loaded fresh. Returns
        False (transactional writes, as before) for memory stores and stores with graphs."""
        if self.path is None or self.read_only or any(True for _ in self.ox.named_graphs()):
            return False
        self._bulk_dir = self.path.with_name(self.path.name + ".bulk")
        self._spool_path = self.path.with_name(self.path.name + ".bulk.nq")
        self._parts_dir = self.path.with_name(self.path.name + ".bulk.d")
        shutil.rmtree(self._bulk_dir, ignore_errors=True)
        shutil.rmtree(self._parts_dir, ignore_errors=True)
        self._parts_dir.mkdir()
        self._bulk = ox.Store(str(self._bulk_dir))
        self._spool = open(self._spool_path, "wb")  # closed by _load_spool
        self._spooled: set[str] = set()
        self._parts: list[Path] = []
        return True

    def spool_dir(self) -> Path | None:
        """During a bulk build: the folder where worker processes write each source's graph
        as an N-Quads file (:meth:`add_spooled`), so its text never crosses the pipe to this
        process nor is copied into the spool (the bulk loader reads the files in turn)."""
        return self._parts_dir if getattr(self, "_bulk", None) is not None else None

    def add_spooled(self, graph_iri: str, part: str | Path, checked: bool = False) -> None:
        """Bulk-load the N-Quads file ``part`` (every quad in graph ``graph_iri``, written in
        :meth:`spool_dir`) with the spool, as :meth:`replace_graph_nt` would its N-Triples."""
        part = Path(part)
        if graph_iri in self._spooled:
            self._load_spool()
            self._bulk.remove_graph(ox.NamedNode(graph_iri))
            self._spool = open(self._spool_path, "wb")  # closed by _load_spool
        if not checked:
            self._parse_alone(graph_iri, part.read_bytes())
        self._parts.append(part)
        self._spooled.add(graph_iri)

    def _pend(self, graph_iri: str, data: bytes, checked: bool) -> None:
        """Append one graph (its N-Triples as N-Quads of the graph) to the spool file that
        :meth:`end_bulk` bulk-loads in one stream. One ``bulk_load`` of everything leaves the
        store as small as ``mandategraph load`` does; each further ``bulk_load`` into the same
        store adds overlapping files that RocksDB compacts into its uncompressed levels (6
        loads: 1.42x, 6 + ``optimize``: 1.55x the size of one load, docs/scale.md). The same
        graph twice in one fresh build: the spool so far is loaded and the last version wins."""
        if graph_iri in self._spooled:
            self._load_spool()
            self._bulk.remove_graph(ox.NamedNode(graph_iri))
            self._spool = open(self._spool_path, "wb")  # closed by _load_spool
        if not checked:
            self._parse_alone(graph_iri, data, ox.RdfFormat.N_TRIPLES)
        self._spool.write(nquads(data, graph_iri))
        self._spooled.add(graph_iri)

    @staticmethod
    def _parse_alone(graph_iri: str, data: bytes, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        """Parse one unchecked graph alone (its IRIs validated): one such graph, such as the
        reference graph, no longer makes the whole stream's load validate every IRI (9.6 vs
        8.3 s CPU for the 520 shared PDFs)."""
        try:
            ox.NamedNode(graph_iri)
            for _ in ox.parse(data, fmt):
                pass
        except (SyntaxError, ValueError) as e:
            raise StoreError(f"graph <{graph_iri}> not stored: {e}") from e

    def _load_spool(self) -> None:
        self._spool.close()
        batch, self._spooled = self._spooled, set()
        parts, self._parts = [self._spool_path, *self._parts], []
        try:
            if batch:  # every graph of the spool was checked or parsed alone (_pend)
                with io.BufferedReader(_Chain(parts), 1 << 20) as stream:
                    self._bulk.bulk_load(stream, ox.RdfFormat.N_QUADS, lenient=True)
        except Exception as e:
            for g in batch:  # nothing of a batch that did not load whole
                self._bulk.remove_graph(ox.NamedNode(g))
            raise StoreError(f"bulk load of {len(batch)} graphs failed ({e}); first: "
                             f"{next(iter(batch))}") from e
        finally:
            for f in parts:
                f.unlink(missing_ok=True)

    def end_bulk(self) -> None:
        """Swap the directory written by :meth:`begin_bulk` in: load the spool into it in one
        ``bulk_load`` and flush it (no ``optimize``: it rewrites the loader's compressed files
        into RocksDB's uncompressed upper levels, 233 -> 362 MB for the 520 shared PDFs), close
        both, rename the store to ``<name>.old``, the new one to the store's name, reopen,
        delete the old one. A crash between the renames is repaired on the next open."""
        bulk = getattr(self, "_bulk", None)
        if bulk is None:
            return
        self._load_spool()
        shutil.rmtree(self._parts_dir, ignore_errors=True)  # parts of sources not stored
        bulk.flush()
        self._bulk = None
        del bulk
        self.ox = None  # type: ignore[assignment] - dropping the handles closes both databases
        gc.collect()
        old = self.path.with_name(self.path.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(self.path, old)
        os.rename(self._bulk_dir, self.path)
        self.ox = ox.Store(str(self.path))
        shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def _recover(path: Path) -> None:
        """Repair what a crash during :meth:`end_bulk` or a bulk build left: the store renamed
        away (put back) and stale ``.bulk`` / ``.old`` directories (removed)."""
        old = path.with_name(path.name + ".old")
        if not (path / "CURRENT").is_file() and (old / "CURRENT").is_file():
            shutil.rmtree(path, ignore_errors=True)
            os.rename(old, path)
        for stale in (old, path.with_name(path.name + ".bulk")):
            if stale.exists() and (path / "CURRENT").is_file():
                shutil.rmtree(stale, ignore_errors=True)
        spool = path.with_name(path.name + ".bulk.nq")
        if spool.exists() and (path / "CURRENT").is_file():
            spool.unlink(missing_ok=True)
        parts = path.with_name(path.name + ".bulk.d")
        if parts.exists() and (path / "CURRENT").is_file():
            shutil.rmtree(parts, ignore_errors=True)

    def compact(self, optimize: bool = True) -> None:
        """Compact the on-disk database after a build. One transaction per source leaves its
        write-ahead log behind (RocksDB drops a log only when the database is opened again,
        although every memtable was flushed): 15 MB of log for 8 GA PDFs (5 MB of data),
        0.9 GB for the 520 shared PDFs. So: flush, reopen (the log goes), optimize (files
        merged, tombstones of replaced graphs dropped), flush. ``optimize=False`` after a bulk
        build: only the reopen (the bulk loader's files are already compact; ``optimize``
        would rewrite them uncompressed, larger)."""
        if self.path is None or self.read_only:
            return
        self.ox.flush()
        self.ox = None  # type: ignore[assignment] - the handle closes the database when dropped
        gc.collect()
        self.ox = ox.Store(str(self.path))
        if optimize:
            self.ox.optimize()
            self.ox.flush()

    def close(self) -> None:
        """Flush and release the database (Oxigraph closes when its handle is dropped), so
        another process or a read-only reader sees a consistent store."""
        if getattr(self, "ox", None) is None:
            return
        self.flush()
        if self.path is not None:
            self.ox = None  # type: ignore[assignment]
