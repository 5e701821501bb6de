"""Synthetic corpus: reproducible, loadable, shaped like the built graph, with known violations."""

from __future__ import annotations

import io
from collections import Counter

import pyoxigraph as ox

from mandategraph.build.iris import Iris
from mandategraph.symbols import parse
from bench.synth import Corpus, SynthStats, write_nquads

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
    # about 10 triples per document, as in the measurements (measurements.md), plus the two
    # rdfs:labels and two rdfs:seeAlso links every document has since issue 17
    assert 15 <= stats.triples / stats.docs <= 21
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
    q = lambda s: list(store.query(s, use_default_graph_as_union=True))
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


# --------------------------------------------------------------------------- catalogue layout


def _cat(docs: int, seed: int = 42, **kw: object) -> tuple[str, SynthStats]:
    buf = io.StringIO()
    stats = write_nquads(buf, docs, seed, layout="catalogue", **kw)
    return buf.getvalue(), stats


def test_catalogue_layout_is_reproducible_and_about_ten_quads_per_document() -> None:
    a, stats = _cat(5000, per_file=500)
    b, _ = _cat(5000, per_file=500)
    assert a == b
    assert stats.triples == a.count("\n")
    # the shape: about 10 quads per document (8 facts, the record's source, and the
    # nodes it cites declared once per file), against about 14 in the files layout; since
    # issue 17 also two rdfs:labels, two rdfs:seeAlso and the items' agenda documents
    assert 13 <= stats.triples / stats.docs <= 18
    files, fstats = _gen(5000)
    assert stats.triples < fstats.triples
    # the same documents: same deliberate document violations, same resolutions
    assert stats.violations["bad-symbol"] + stats.violations["untyped-date"] == 5
    assert stats.resolutions == fstats.resolutions


def test_catalogue_files_hold_one_session_each_and_at_most_per_file_records() -> None:
    text, stats = _cat(3000, per_file=200)
    store = ox.Store()
    store.bulk_load(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    rows = store.query(f"""SELECT ?g (COUNT(DISTINCT ?d) AS ?n) (COUNT(DISTINCT ?s) AS ?sessions) WHERE {{
        GRAPH ?g {{ ?d a <{UN}Document> ; <{UN}submittedTo> ?s ; <http://purl.org/dc/terms/source> ?g }}
        FILTER(CONTAINS(STR(?g), "/graph/file/catalogue-")) }} GROUP BY ?g""")
    per_graph = [(int(r["n"].value), int(r["sessions"].value)) for r in rows]
    assert sum(n for n, _ in per_graph) == 3000
    assert all(1 <= n <= 200 and s == 1 for n, s in per_graph)
    assert stats.graphs == 1 + stats.resolutions + len(per_graph)
    # every document is typed once, links resolve to typed resolutions (in their own graphs)
    q = lambda s: list(store.query(s, use_default_graph_as_union=True))
    n_docs = q(f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a <{UN}Document> ; <{UN}submittedTo> ?s }}")[0]["n"].value
    assert int(n_docs) == 3000
    # the other documents are the agenda documents of the items and those a symbol's Add.1 names
    others = q(f"""SELECT ?d WHERE {{ ?d a <{UN}Document> FILTER NOT EXISTS {{ ?d <{UN}submittedTo> ?s }}
                 FILTER NOT EXISTS {{ ?i <{UN}agendaDocument>|<{UN}addendumTo> ?d }} }} LIMIT 1""")
    assert others == []
    dangling = q(f"""SELECT ?r WHERE {{ VALUES ?p {{ <{UN}mandatedBy> <{UN}draftOf> }}
                 ?x ?p ?r FILTER NOT EXISTS {{ ?r a <{UN}Resolution> ; <{UN}adoptedAt> ?s }} }} LIMIT 1""")
    assert dangling == []


def test_catalogue_samples_reach_the_last_sessions() -> None:
    corpus = Corpus(20000, layout="catalogue")
    stats = SynthStats(20000, 42)
    years = set()
    for _k, records in corpus.catalogue_batches(stats):
        pass
    for sym in stats.sample_symbols:
        years.add(parse(sym).body_series)
    assert len(stats.sample_symbols) >= 500
    assert len(years) >= 4  # samples from every body, not only the first sessions exported


def test_layout_and_per_file_are_checked() -> None:
    import pytest

    with pytest.raises(ValueError, match="layout"):
        Corpus(10, layout="tables")
    with pytest.raises(ValueError, match="per_file"):
        Corpus(10, layout="catalogue", per_file=0)


def test_catalogue_layout_is_what_the_catalogue_ingest_builds(tmp_path) -> None:
    """The benchmark's catalogue graphs are not invented: write the records as CSV files, build
    them with the pipeline, and every catalogue graph holds exactly the synthetic quads (but
    for the description of the graph itself: its path, digest and extractor version)."""
    from mandategraph.pipeline.batch import build_paths
    from mandategraph.store.oxigraph_store import OxigraphStore
    from bench.synth import write_catalogue_csv

    docs, per_file, seed = 400, 150, 7
    paths = write_catalogue_csv(tmp_path, docs, seed, per_file=per_file, violation_share=0.0)
    built = OxigraphStore(None)
    report = build_paths(paths, built)
    assert not report.errors, report.errors[:3]
    assert len(report.built) == len(paths) >= 3
    text, _ = _cat(docs, seed, per_file=per_file, violation_share=0.0)
    synth = ox.Store()
    synth.bulk_load(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)

    def quads(store: ox.Store, g: ox.NamedNode) -> set[str]:
        return {f"{q.subject} {q.predicate} {q.object}" for q in store.quads_for_pattern(None, None, None, g)
                if not q.subject.value.startswith(g.value)}

    graphs = [g for g in synth.named_graphs() if "/graph/file/catalogue-" in g.value]
    assert len(graphs) == len(paths)
    for g in graphs:
        ours, theirs = quads(synth, g), quads(built.ox, g)
        assert ours == theirs, (g, sorted(ours - theirs)[:3], sorted(theirs - ours)[:3])
