"""Golden-file comparison shared by the extraction tests: graphs compared as RDF (isomorphism),
with a readable diff of the triples only one side has. ``--update-golden`` rewrites the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from mandategraph.core.namespaces import PREFIXES


def _nt(g: Graph) -> list[str]:
    return sorted(line for line in g.serialize(format="nt").splitlines() if line.strip())


def assert_golden(got: Graph, expected_path: Path, update: bool, label: str) -> None:
    if update or not expected_path.exists():
        ds = Dataset()
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns)
        g = ds.graph(got.identifier)
        for t in got:
            g.add(t)
        expected_path.write_text(ds.serialize(format="trig"), encoding="utf-8")
        if not update:
            pytest.fail(f"{expected_path} did not exist; written now - review and commit it")
    ds = Dataset()
    ds.parse(expected_path, format="trig")
    expected = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        expected.add((s, p, o))
    if not isomorphic(expected, got):
        _, only_expected, only_got = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        pytest.fail("\n".join([f"graphs differ for {label}",
                               f"-- only expected ({len(only_expected)}):", *_nt(only_expected)[:40],
                               f"-- only produced ({len(only_got)}):", *_nt(only_got)[:40]]))


#: each document date with the quote and rule of its own annotation (a reified un:date)
DATE_QUOTES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX un: <https://w3id.org/mandategraph/ontology#>
SELECT ?d ?exact ?rule WHERE {
  ?doc un:date ?d .
  ?st rdf:subject ?doc ; rdf:predicate un:date ; rdf:object ?d .
  ?a oa:hasBody ?st ; un:rule ?rule ; oa:hasTarget/oa:hasSelector/oa:exact ?exact .
}"""
