"""Store: one small interface, two embedded backends (and a remote one in :mod:`.remote`).

- ``oxigraph`` (default): pyoxigraph, on disk under a data directory or in memory.
- ``rdflib``: rdflib's in-memory Dataset, the baseline the benchmarks compare against.

One named graph per source. ``replace_graph`` swaps a source's graph in a single transaction
(one SPARQL update on Oxigraph: CLEAR + INSERT DATA), so a build killed at any moment leaves
each source either wholly present or absent. Queries see the union of all graphs as their
default graph.
"""

from __future__ import annotations

import csv
import io
import json
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .sparql_text import group_end, inject_values, where_brace

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, Node]

DEFAULT_STORE = Path(".mandategraph/store")


class StoreError(RuntimeError):
    """The store could not be opened, read or written."""


# ----------------------------------------------------------------------------- terms


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to an Oxigraph term")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def from_ox(term: object) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def _nt_escape(s: str) -> str:
    return (s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
             .replace("\r", "\\r"))


def nt_term(term: Node) -> str:
    """N-Triples / SPARQL form of a term (used for INSERT DATA)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        body = f'"{_nt_escape(str(term))}"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype and str(term.datatype) != _XSD_STRING:
            return f"{body}^^<{term.datatype}>"
        return body
    raise TypeError(f"cannot serialise {term!r}")


# Parameter binding and the trusted-text scanner live in the one SPARQL text layer.
_where_brace, _group_end = where_brace, group_end


STAGING = "urn:mandategraph:staging:"


def nt_document(triples: Iterable[Triple]) -> bytes:
    """N-Triples bytes for a list of triples (terms serialised once each: IRIs repeat a lot)."""
    cache: dict[Node, str] = {}

    def term(t: Node) -> str:
        v = cache.get(t)
        if v is None:
            v = cache[t] = nt_term(t)
        return v

    return "\n".join(f"{term(s)} {term(p)} {term(o)} ." for s, p, o in triples).encode("utf-8")


def parse_nt(nt: str | bytes) -> list[Triple]:
    """N-Triples text -> triples as rdflib terms (the inverse of :func:`nt_document`)."""
    data = nt.encode("utf-8") if isinstance(nt, str) else nt
    return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
            for t in ox.parse(data, ox.RdfFormat.N_TRIPLES, lenient=True)]


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
        from .resources import read_text

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


# ----------------------------------------------------------------------------- oxigraph


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

    def bulk_replace(self, graph_iri: str, triples: Iterable[Triple]) -> None:
        """Non-transactional fast path for very large generated graphs (benchmarks)."""
        self.ox.remove_graph(ox.NamedNode(graph_iri)) if self.ox.contains_named_graph(
            ox.NamedNode(graph_iri)) else None
        gn = ox.NamedNode(graph_iri)
        self.ox.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), gn) for s, p, o in triples)

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
        format_ = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}[fmt]
        self.ox.dump(out, format_)

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


# ----------------------------------------------------------------------------- rdflib


class RdflibStore(Store):
    """rdflib's in-memory Dataset (the baseline)."""

    backend = "rdflib"

    def __init__(self) -> None:
        self.ds = Dataset(default_union=True)

    def replace_graph(self, graph_iri: str, triples: Iterable[Triple]) -> None:
        g = self.ds.graph(URIRef(graph_iri))
        new = list(triples)
        g.remove((None, None, None))
        for t in new:
            g.add(t)

    def remove_graph(self, graph_iri: str) -> None:
        self.ds.remove_graph(URIRef(graph_iri))

    def named_graphs(self) -> list[str]:
        return sorted(str(g.identifier) for g in self.ds.graphs()
                      if isinstance(g.identifier, URIRef) and len(g) and
                      str(g.identifier) != "urn:x-rdflib:default")

    def _run(self, sparql: str, bindings: Mapping[str, Node] | None):
        return self.ds.query(inject_values(sparql, bindings))

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> SelectResult:
        res = self._run(sparql, bindings)
        vars_ = [str(v) for v in res.vars]
        return SelectResult(vars_, [tuple(row) for row in res])

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        return bool(self._run(sparql, bindings).askAnswer)

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[Triple]:
        return list(self._run(sparql, bindings).graph)

    def quads(self, graph_iri: str | None = None) -> Iterator[Quad]:
        for s, p, o, g in self.ds.quads((None, None, None, URIRef(graph_iri) if graph_iri else None)):
            gid = g.identifier if hasattr(g, "identifier") else g
            if gid is None or str(gid) == "urn:x-rdflib:default":
                continue
            yield s, p, o, gid

    def count(self) -> int:
        return sum(1 for _ in self.quads())


def open_store(location: str | Path | None = None, backend: str = "oxigraph",
               read_only: bool = False) -> Store:
    """Open a store: ``None`` means in memory. ``sparql+http://...`` opens a remote endpoint."""
    if isinstance(location, str) and location.startswith(("sparql+http://", "sparql+https://")):
        from .remote import RemoteStore  # noqa: PLC0415 - optional backend

        return RemoteStore.from_url(location)
    if backend == "rdflib":
        if location is not None:
            raise StoreError("the rdflib backend is in memory only; use --memory")
        return RdflibStore()
    if backend != "oxigraph":
        raise StoreError(f"unknown backend {backend!r}; expected 'oxigraph' or 'rdflib'")
    return OxigraphStore(location, read_only=read_only)


def select_json(result: SelectResult) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False)
