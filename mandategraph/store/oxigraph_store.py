"""The Oxigraph backend (default): pyoxigraph, on disk under a data directory or in memory."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib.term import Node

from ..build.ntriples import from_ox, nt_document
from ..core.formats import FORMATS
from .interface import STAGING, Quad, SelectResult, Store, StoreError, Triple
from .sparql_text import inject_values


class OxigraphStore(Store):
    backend = "oxigraph"

    def __init__(self, path: str | Path | None = None, read_only: bool = False):
        self.path = Path(path) if path else None
        self.read_only = read_only
        try:
            if self.path is None:
                self.ox = ox.Store()
            elif read_only:
                if not (self.path / "CURRENT").is_file():
                    raise StoreError(f"no store at {self.path}: run `mandategraph build` first "
                                     "(or pass --store DIR)")
                self.ox = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self.ox = ox.Store(str(self.path))
        except OSError as e:
            raise StoreError(f"cannot open the store at {self.path}: {e}") from e

    def raw_query(self, sparql: str, bindings: Mapping[str, Node] | None = None):
        return self.ox.query(inject_values(sparql, bindings), use_default_graph_as_union=True)

    def replace_graph(self, graph_iri: str, triples: Iterable[Triple]) -> None:
        """A new graph is loaded in one transaction (Oxigraph's ``load`` is transactional).
        An existing graph is replaced by loading the new content into a staging graph (one
        transaction) and then ``MOVE``-ing it over the old one (one update, one transaction):
        at every instant the old or the new version is whole. A staging graph left by a crash
        between the two steps is dropped by the next replacement of that graph."""
        self._load_graph(graph_iri, nt_document(triples))

    def replace_graph_nt(self, graph_iri: str, nt: str | bytes, checked: bool = False) -> None:
        """:meth:`replace_graph` from N-Triples text: Oxigraph parses it (no rdflib terms);
        ``checked`` text is parsed without validating IRIs again (a third of the load time)."""
        self._load_graph(graph_iri, nt.encode("utf-8") if isinstance(nt, str) else nt, checked)

    def _load_graph(self, graph_iri: str, data: bytes, checked: bool = False) -> None:
        target = ox.NamedNode(graph_iri)
        if not self.ox.contains_named_graph(target):
            self.ox.load(data, ox.RdfFormat.N_TRIPLES, to_graph=target, lenient=checked)
            return
        staging = STAGING + graph_iri
        self.ox.update(f"DROP SILENT GRAPH <{staging}>")
        self.ox.load(data, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(staging), lenient=checked)
        self.ox.update(f"MOVE SILENT GRAPH <{staging}> TO <{graph_iri}>")

    def drop_staging(self) -> int:
        """Drop staging graphs a crash may have left behind (see replace_graph)."""
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

    def close(self) -> None:
        """Flush and release the database (Oxigraph closes when its handle is dropped), so
        another process or a read-only reader sees a consistent store."""
        if getattr(self, "ox", None) is None:
            return
        self.flush()
        if self.path is not None:
            self.ox = None  # type: ignore[assignment]
