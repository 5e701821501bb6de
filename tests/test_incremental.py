"""Incremental validation: one graph + its neighbourhood gives what full validation gives there."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from mandategraph.validate.incremental import neighbourhood, validate_incremental
from mandategraph.validate.sparql_engine import validate_store_sparql
from mandategraph.store.oxigraph_store import OxigraphStore
from bench.synth import Corpus, write_nquads
from mandategraph.validate.pyshacl_engine import validate_graph

UN = "https://w3id.org/mandategraph/ontology#"


def _key(r) -> tuple:
    return (str(r.focus), str(r.path), r.severity, str(r.source_shape), str(r.constraint), str(r.value))


def synth_store(docs: int, seed: int = 11) -> tuple[OxigraphStore, Corpus]:
    buf = io.StringIO()
    write_nquads(buf, docs, seed)
    st = OxigraphStore(None)
    st.ox.bulk_load(buf.getvalue().encode(), format=ox.RdfFormat.N_QUADS)
    return st, Corpus(docs, seed)


def expected_for(st: OxigraphStore, graph: str, full=None) -> set:
    _, nodes = neighbourhood(st, graph)
    full = full if full is not None else validate_store_sparql(st)
    return {_key(r) for r in full.results if r.focus in nodes}


def test_new_valid_document_gives_no_results() -> None:
    st, corpus = synth_store(200)
    graph, lines = corpus.extra_document(0)
    st.ox.bulk_load("".join(lines).encode(), format=ox.RdfFormat.N_QUADS)
    out = validate_incremental(st, graph)
    assert out.conforms and out.results == ()
    assert {_key(r) for r in out.results} == expected_for(st, graph)


def test_new_bad_document_is_caught_like_full_validation() -> None:
    st, corpus = synth_store(60)
    graph, lines = corpus.extra_document(1)
    doc = lines[0].split(" ", 1)[0].strip("<>")
    existing = st.select(f"SELECT ?s WHERE {{ ?d a <{UN}Report> ; <{UN}symbol> ?s }} ORDER BY ?s LIMIT 1").rows[0][0]
    triples = [(s, p, o) for s, p, o, _ in _parse(lines)]
    triples = [t for t in triples if str(t[1]) not in (UN + "symbol", UN + "date", UN + "mandatedBy")]
    triples += [
        (URIRef(doc), URIRef(UN + "symbol"), existing),  # a symbol another document has
        (URIRef(doc), URIRef(UN + "date"), Literal("2020-13-45")),  # not an xsd:date
        (URIRef(doc), URIRef(UN + "mandatedBy"), URIRef(f"{doc}/not-an-instrument")),
    ]
    st.replace_graph(graph, triples)
    out = validate_incremental(st, graph)
    got = {_key(r) for r in out.results}
    assert got == expected_for(st, graph)
    shapes = {k[3].rsplit("#", 1)[-1] for k in got}
    assert {"SymbolUniqueShape", "Document-date", "Document-mandatedBy"} <= shapes
    # and pySHACL on the whole store agrees about this document
    ref = {_key(r) for r in validate_graph(st.union_graph()).results if str(r.focus) == doc}
    assert {k for k in got if k[0] == doc} == ref


def test_every_graph_of_the_seed_matches_full_validation(seed_path: Path) -> None:
    from mandategraph.pipeline.batch import build_paths

    st = OxigraphStore(None)
    build_paths([seed_path], st)
    full = validate_store_sparql(st)
    graphs = st.named_graphs()
    assert graphs
    for g in graphs:
        out = validate_incremental(st, g)
        assert {_key(r) for r in out.results} == expected_for(st, g, full), g


def test_neighbourhood_does_not_grow_with_the_store() -> None:
    small, c1 = synth_store(150)
    big, c2 = synth_store(3000)
    sizes = []
    for st, corpus in ((small, c1), (big, c2)):
        graph, lines = corpus.extra_document(2)
        st.ox.bulk_load("".join(lines).encode(), format=ox.RdfFormat.N_QUADS)
        triples, nodes = neighbourhood(st, graph)
        sizes.append(len(triples))
        assert len(nodes) < 20
    # a body with thousands of instruments and a session with hundreds of documents are in
    # both neighbourhoods, but only a capped number of their inverse links is fetched
    assert sizes[1] <= sizes[0] * 1.5 + 10, sizes
    assert max(sizes) < 300, sizes


def _parse(lines: list[str]):
    from mandategraph.build.ntriples import from_ox

    for q in ox.parse("".join(lines).encode(), format=ox.RdfFormat.N_QUADS):
        yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), from_ox(q.graph_name)


@pytest.mark.parametrize("cap", [1])
def test_inverse_cap_is_enough_for_the_shapes(cap: int) -> None:
    """Every count the shapes put on an inverse path is below the cap + 1 (else results could differ)."""
    from mandategraph.core.namespaces import SH
    from mandategraph.validate.incremental import INVERSE_CAP
    from mandategraph.validate.report import shapes_graph

    sg = shapes_graph()
    for prop in sg.subjects(SH.path, None):
        path = sg.value(prop, SH.path)
        if (path, SH.inversePath, None) in sg:
            for pred in (SH.minCount, SH.maxCount):
                n = sg.value(prop, pred)
                if n is not None:
                    assert int(n) + cap <= INVERSE_CAP, (prop, pred, n)
