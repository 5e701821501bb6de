"""Synthetic corpus: reproducible, loadable, shaped like the built graph, with known violations."""

from __future__ import annotations

import io
from collections import Counter

import pyoxigraph as ox

from mandategraph.iris import Iris
from mandategraph.symbols import parse
from mandategraph.synth import Corpus, SynthStats, write_nquads

UN = "https://w3id.org/mandategraph/ontology#"


def _gen(docs: int, seed: int = 42) -> tuple[str, SynthStats]:
    buf = io.StringIO()
    stats = write_nquads(buf, docs, seed)
    return buf.getvalue(), stats


def test_same_seed_same_bytes_other_seed_differs() -> None:
    a, _ = _gen(2000, 7)
    b, _ = _gen(2000, 7)
    c, _ = _gen(2000, 8)
    assert a == b
    assert a != c


def test_counts_and_shape_per_document() -> None:
    text, stats = _gen(5000)
    assert stats.triples == text.count("\n")
    # about 10 triples per document, as in the measurements (measurements.md)
    assert 11 <= stats.triples / stats.docs <= 16
    assert stats.sessions == 100
    assert abs(stats.resolutions - 5000 // 20) <= 5
    assert stats.mandates == stats.resolutions
    assert stats.graphs == 1 + stats.resolutions + stats.docs
    # 0.1 % of documents violate on purpose, plus some resolutions/mandates
    assert stats.violations["bad-symbol"] + stats.violations["untyped-date"] == 5


def test_loads_with_bulk_load_and_links_resolve() -> None:
    text, stats = _gen(3000)
    store = ox.Store()
    store.bulk_load(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    assert len(store) == stats.triples
    q = lambda s: list(store.query(s, use_default_graph_as_union=True))  # noqa: E731
    n_docs = q(f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a <{UN}Document> }}")[0]["n"].value
    assert int(n_docs) == stats.docs
    # every mandatedBy / draftOf / reaffirms target is a typed resolution
    dangling = q(f"""SELECT ?r WHERE {{ VALUES ?p {{ <{UN}mandatedBy> <{UN}draftOf> <{UN}reaffirms> <{UN}recalls> }}
                 ?x ?p ?r FILTER NOT EXISTS {{ ?r a <{UN}Resolution> }} }} LIMIT 1""")
    assert dangling == []
    # renewal chains: some resolution reaffirms one that reaffirms another (depth >= 2)
    chain = store.query(f"ASK {{ ?a <{UN}reaffirms> ?b . ?b <{UN}reaffirms> ?c }}", use_default_graph_as_union=True)
    assert bool(chain)
    # one named graph per document, typed as a source graph with a digest
    graphs = q(f"SELECT (COUNT(?g) AS ?n) WHERE {{ GRAPH ?g {{ ?g a <{UN}SourceGraph> ; <{UN}sha256> ?h }} }}")
    assert int(graphs[0]["n"].value) == stats.docs + stats.resolutions
    # the statuses come from the closed list, except the deliberate violations
    statuses = Counter(r["s"].value.split("#")[1] for r in q(f"SELECT ?s WHERE {{ ?m <{UN}mandateStatus> ?s }}"))
    assert set(statuses) <= {"Fulfilled", "OralReport", "NotCarriedOut", "Open", "Planned", "Unknown"}


def test_symbols_are_canonical_and_iris_follow_the_scheme() -> None:
    text, stats = _gen(3000)
    iris = Iris()
    assert stats.sample_symbols, "benchmarks need sample symbols"
    for sym in stats.sample_symbols:
        assert str(parse(sym)) == sym
        assert f"<{iris.doc(sym)}>" in text
    corpus = Corpus(3000)
    for r in corpus.resolutions[:200]:
        assert str(parse(r.symbol)) == r.symbol


def test_extra_document_is_new_and_shaped_like_the_others() -> None:
    corpus = Corpus(1000)
    graph, lines = corpus.extra_document(3)
    text, _ = _gen(1000)
    assert f"<{graph}>" not in text
    assert 9 <= len(lines) <= 20
    assert all(line.endswith(f"<{graph}> .\n") for line in lines)
    assert corpus.extra_document(3) == (graph, lines)
