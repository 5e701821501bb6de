"""The build writes N-Triples text directly (no rdflib terms in the hot path): the text must
mean exactly what the rdflib terms meant, and the store must load it with the same atomic
replacement semantics as ``replace_graph``."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Literal, URIRef

from mandategraph.build.builder import build_graph
from mandategraph.build.ntriples import nt_literal
from mandategraph.build.ntriples import nt_document, nt_term, parse_nt
from mandategraph.store.factory import open_store

from test_foundation import IRIS, sample_facts

G = "https://example.org/graph/g"


@pytest.mark.parametrize("value, lang", [
    ("plain", None), ('quote " back\\slash\nnew\rline', None), ("词", "zh"), ("x", "en"),
    (5, None), (0, None), (-3, None), (12, "en"), (dt.date(2024, 10, 14), None),
    (dt.date(2025, 1, 2), "en"), (0.95, None), (1.0, None), (True, None),
])
def test_nt_literal_is_what_rdflib_made(value, lang):
    if isinstance(value, dt.date):
        expected = Literal(value.isoformat(), datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
    elif lang:
        expected = Literal(str(value), lang=lang)
    else:
        expected = Literal(value)
    assert nt_literal(value, lang) == nt_term(expected)
    assert parse_nt(f"<urn:s> <urn:p> {nt_literal(value, lang)} .")[0][2] == expected


def test_built_nt_has_no_duplicates_and_parses_to_the_triples():
    built = build_graph(sample_facts(), IRIS)
    lines = built.nt.split("\n")
    assert len(lines) == len(set(lines)) == len(built.triples)
    assert set(parse_nt(nt_document(built.triples))) == set(built.triples)
    assert len(built.graph()) == len(built.triples)


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_replace_graph_nt_equals_replace_graph_and_replaces(backend):
    built = build_graph(sample_facts(), IRIS)
    a, b = open_store(None, backend=backend), open_store(None, backend=backend)
    a.replace_graph(G, built.triples)
    b.replace_graph_nt(G, built.nt)
    assert set(a.quads()) == set(b.quads())
    # replacing an existing graph swaps its content whole, leaves no staging graph
    b.replace_graph_nt(G, "<urn:s> <urn:p> \"new\" .")
    assert [(s, p, o) for s, p, o, _ in b.quads(G)] == [(URIRef("urn:s"), URIRef("urn:p"), Literal("new"))]
    assert b.named_graphs() == [G]


def test_replace_graph_nt_bad_text_leaves_the_old_graph():
    st = open_store(None)
    st.replace_graph_nt(G, '<urn:s> <urn:p> "old" .')
    with pytest.raises(SyntaxError):
        st.replace_graph_nt(G, '<urn:s> <urn:p> "new" .\n<not an iri> <urn:p> "x" .')
    assert [o for _, _, o, _ in st.quads(G)] == [Literal("old")]


def _with(facts, *extra):
    from mandategraph.core.facts import Facts

    out = Facts(facts.source)
    for f in [*facts.items, *extra]:
        out.add(f)
    return out


def test_checked_only_when_every_unencoded_part_is_valid():
    """``BuiltSource.checked`` lets the store skip IRI validation: it must be False whenever
    an IRI or language tag could be invalid, and the store must then still reject it."""
    from mandategraph.core.facts import DocRef, DocumentFact, SessionFact, SessionRef
    from mandategraph.build.iris import Iris

    from fixtures_shapes import COP, prov

    facts = sample_facts()
    assert build_graph(facts, IRIS).checked
    assert not build_graph(facts, Iris("not an iri")).checked
    assert not build_graph(facts, Iris("https://example.org/ns#x")).checked
    odd_session = SessionFact(SessionRef(COP, " 12"), prov("第十二届会议", "zh.session"))  # type: ignore[arg-type]
    built = build_graph(_with(facts, odd_session), IRIS)
    assert not built.checked
    st = open_store(None)
    with pytest.raises(SyntaxError):
        st.replace_graph_nt(str(built.graph_iri), built.nt, checked=built.checked)
    bad_lang = DocumentFact(DocRef("A/80/1"), prov("第十二届会议", "en.x"), title="t", title_lang="e n")
    assert not build_graph(_with(facts, bad_lang), IRIS).checked
    bad_class = DocumentFact(DocRef("A/80/1"), prov("第十二届会议", "en.x"), doc_class="Bad Class")
    assert not build_graph(_with(facts, bad_class), IRIS).checked
    ok_class = DocumentFact(DocRef("A/80/1"), prov("第十二届会议", "en.x"), doc_class="Report", title="t", title_lang="en-GB")
    assert build_graph(_with(facts, ok_class), IRIS).checked


def test_checked_load_gives_the_same_quads():
    built = build_graph(sample_facts(), IRIS)
    a, b = open_store(None), open_store(None)
    a.replace_graph_nt(G, built.nt)
    b.replace_graph_nt(G, built.nt, checked=True)
    assert set(a.quads()) == set(b.quads())
