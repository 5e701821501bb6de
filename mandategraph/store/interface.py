"""Store: one small interface (here), two embedded backends (:mod:`.oxigraph_store`,
:mod:`.rdflib_store`) and a remote one (:mod:`.remote`); :func:`~.factory.open_store` picks one.

- ``oxigraph`` (default): pyoxigraph, on disk under a data directory or in memory.
- ``rdflib``: rdflib's in-memory Dataset, the baseline the benchmarks compare against.

One named graph per source. ``replace_graph`` swaps a source's graph so that at every instant
the old or the new version is whole (on Oxigraph: a new graph is loaded in one transaction, an
existing one is loaded into a staging graph and then MOVEd over the old one; rdflib's Dataset
is in memory only), so a build killed at any moment leaves each source either wholly present
or absent. Queries see the union of all graphs as their default graph.
"""

from __future__ import annotations

import csv
import io
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from ..build.ntriples import _XSD_STRING, parse_nt
from ..core.resources import read_text

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, Node]

DEFAULT_STORE = Path(".mandategraph/store")


class StoreError(RuntimeError):
    """The store could not be opened, read or written."""


STAGING = "urn:mandategraph:staging:"


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SelectResult:
    """Rows of a SELECT query as rdflib terms (None for unbound)."""

    vars: list[str]
    rows: list[tuple[Node | None, ...]]

    def dicts(self) -> list[dict[str, Node]]:
        return [{v: t for v, t in zip(self.vars, row) if t is not None} for row in self.rows]

    def values(self) -> list[tuple[str | None, ...]]:
        """Rows as plain strings (lexical forms), for tests and tables."""
        return [tuple(None if t is None else str(t) for t in row) for row in self.rows]

    def to_json(self) -> dict:
        """SPARQL 1.1 Query Results JSON."""
        bindings = []
        for row in self.rows:
            b = {}
            for v, t in zip(self.vars, row):
                if t is None:
                    continue
                if isinstance(t, URIRef):
                    b[v] = {"type": "uri", "value": str(t)}
                elif isinstance(t, BNode):
                    b[v] = {"type": "bnode", "value": str(t)}
                else:
                    lit: dict[str, str] = {"type": "literal", "value": str(t)}
                    if t.language:
                        lit["xml:lang"] = t.language
                    elif t.datatype and str(t.datatype) != _XSD_STRING:
                        lit["datatype"] = str(t.datatype)
                    b[v] = lit
            bindings.append(b)
        return {"head": {"vars": list(self.vars)}, "results": {"bindings": bindings}}

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(self.vars)
        for row in self.values():
            w.writerow(["" if v is None else v for v in row])
        return buf.getvalue()

    def to_table(self) -> str:
        rows = [tuple("" if v is None else v for v in r) for r in self.values()]
        widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(self.vars)]
        line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
        out = [line(self.vars), line(["-" * w for w in widths])]
        out += [line(r) for r in rows]
        return "\n".join(out)


def result_from_json(data: Mapping) -> SelectResult:
    """Inverse of :meth:`SelectResult.to_json` (used by the remote backend)."""
    vars_ = list(data["head"].get("vars", []))
    rows = []
    for b in data["results"]["bindings"]:
        row: list[Node | None] = []
        for v in vars_:
            cell = b.get(v)
            if cell is None:
                row.append(None)
            elif cell["type"] == "uri":
                row.append(URIRef(cell["value"]))
            elif cell["type"] == "bnode":
                row.append(BNode(cell["value"]))
            else:
                dt = cell.get("datatype")
                row.append(Literal(cell["value"], lang=cell.get("xml:lang"),
                                   datatype=URIRef(dt) if dt and dt != _XSD_STRING else None))
        rows.append(tuple(row))
    return SelectResult(vars_, rows)


# ----------------------------------------------------------------------------- interface


class Store(ABC):
    backend: str = "?"

    @abstractmethod
    def replace_graph(self, graph_iri: str, triples: Iterable[Triple]) -> None:
        """Atomically replace (or create) one named graph."""

    def replace_graph_nt(self, graph_iri: str, nt: str | bytes, checked: bool = False) -> None:
        """:meth:`replace_graph` with the triples given as N-Triples text (what
        :func:`mandategraph.build.build_graph` makes). ``checked``: the caller guarantees
        that every IRI and language tag is valid (``BuiltSource.checked``), so they need not
        be validated again. Backends that parse N-Triples themselves override this; the
        default parses the text into rdflib terms."""
        self.replace_graph(graph_iri, parse_nt(nt))

    @abstractmethod
    def remove_graph(self, graph_iri: str) -> None: ...

    @abstractmethod
    def named_graphs(self) -> list[str]: ...

    @abstractmethod
    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> SelectResult: ...

    @abstractmethod
    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool: ...

    @abstractmethod
    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[Triple]: ...

    @abstractmethod
    def quads(self, graph_iri: str | None = None) -> Iterator[Quad]:
        """All quads (or those of one graph) as rdflib terms; the 4th item is the graph IRI."""

    def count(self) -> int:
        res = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(res.rows[0][0]) if res.rows else 0

    def source_digests(self) -> dict[str, str]:
        """graph IRI -> sha256 of the source file it was built from."""
        res = self.select(read_text("queries", "_source-graphs.rq"))
        return {str(r[0]): str(r[1]) for r in res.rows}

    def union_graph(self) -> Graph:
        g = Graph()
        for s, p, o, _ in self.quads():
            g.add((s, p, o))
        return g

    def graph(self, graph_iri: str) -> Graph:
        g = Graph(identifier=URIRef(graph_iri))
        for s, p, o, _ in self.quads(graph_iri):
            g.add((s, p, o))
        return g

    def dataset(self) -> Dataset:
        ds = Dataset()
        for s, p, o, g in self.quads():
            ds.add((s, p, o, g))
        return ds

    def flush(self) -> None:  # pragma: no cover - default no-op
        pass

    def close(self) -> None:  # pragma: no cover - default no-op
        pass

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
