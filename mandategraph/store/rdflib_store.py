"""The rdflib backend: rdflib's in-memory Dataset, the baseline the benchmarks compare against."""

from __future__ import annotations

from typing import Iterable, Iterator, Mapping

from rdflib import Dataset, URIRef
from rdflib.term import Node

from .interface import Quad, SelectResult, Store, Triple
from .sparql_text import inject_values


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
