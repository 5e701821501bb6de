"""The foundation without any extractor: build/builder.py on hand-made Facts, the store backends, the
shapes and the ``validate`` command on the hand-written dataset (tests/fixtures/handwritten.trig).
"""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from fixtures_shapes import (
    AGENDA, COP, DEC_5_6, HANDWRITTEN, HANDWRITTEN_INVALID, RES_7_1, SAMPLE_TEXT, dataset_quads,
    fill_store, load_trig, prov, sample_facts, sample_source,
)
from mandategraph.build.builder import BuildError, build_graph
from mandategraph.build.reference_graph import iter_reference_triples, reference_graph_iri
from mandategraph.cli import main
from mandategraph.core.facts import (
    AgendaItemRef, DeadlineFact, MeetingFact, MeetingRef, BodyRef, DocRef, DocumentFact, Facts,
    InstrumentFact, InstrumentRef, MandateFact, MandateRef, ParagraphRef, Relation, SessionRef,
    SourceInfo,
)
from mandategraph.build.iris import Iris
from mandategraph.core.namespaces import OA, PROV, UN
from mandategraph.store.factory import open_store
from mandategraph.validate.pyshacl_engine import validate_graph, validate_store

BASE = "https://w3id.org/mandategraph"
IRIS = Iris(BASE)
N_GRAPHS = 4


# ------------------------------------------------------------------------------ build/builder.py


@pytest.fixture(scope="module")
def built():
    return build_graph(sample_facts(), IRIS)


@pytest.fixture(scope="module")
def g(built) -> Graph:
    return built.graph()


def test_graph_iri_and_source_description(built, g: Graph) -> None:
    assert built.graph_iri == URIRef(f"{BASE}/graph/CTOC/COP/2024/1/@zh")
    src = sample_source()
    assert (built.graph_iri, RDF.type, UN.SourceGraph) in g
    assert g.value(built.graph_iri, UN.sha256) == Literal(src.sha256)
    assert g.value(built.graph_iri, UN.sourceFile) == Literal(src.path)
    expr = URIRef(f"{BASE}/doc/CTOC/COP/2024/1/@zh")
    assert g.value(built.graph_iri, PROV.wasDerivedFrom) == expr
    assert g.value(expr, UN.expressionOf) == IRIS.doc(AGENDA)
    assert g.value(expr, UN.language) == Literal("zh")


def test_types_follow_the_contract(g: Graph) -> None:
    agenda = IRIS.doc(AGENDA)
    assert {UN.Document, UN.AnnotatedAgenda} <= set(g.objects(agenda, RDF.type))
    assert g.value(agenda, UN.symbol) == Literal(AGENDA)
    assert g.value(agenda, UN.date) == Literal("2024-07-16", datatype=XSD.date)
    note = IRIS.doc("CTOC/COP/2024/5")
    assert {UN.Document, UN.Note} <= set(g.objects(note, RDF.type))
    res = IRIS.instrument(COP, "resolution", "7/1")
    assert res == URIRef(f"{BASE}/instrument/ctoc-cop/resolution/7-1")
    assert set(g.objects(res, RDF.type)) == {UN.Instrument, UN.Resolution}
    assert g.value(res, UN.number) == Literal("7/1")
    assert g.value(res, UN.issuedBy) == IRIS.body(COP)
    dec = IRIS.instrument(COP, "decision", "5/6")
    assert set(g.objects(dec, RDF.type)) == {UN.Instrument, UN.Decision}
    s12 = IRIS.session(COP, 12)
    assert g.value(s12, UN.number) == Literal(12)
    assert g.value(s12, UN.number).datatype == XSD.integer
    assert g.value(s12, UN.sessionOf) == IRIS.body(COP)
    assert g.value(s12, UN.startDate) == Literal("2024-10-14", datatype=XSD.date)
    meeting = IRIS.meeting("CTOC/COP/WG.4", 13)
    assert g.value(meeting, UN.meetingOf) == IRIS.body("CTOC/COP/WG.4")
    dialogue = URIRef(f"{meeting}/dialogue")
    assert {UN.Meeting, UN.ConstructiveDialogue} <= set(g.objects(dialogue, RDF.type))
    assert g.value(dialogue, UN.followsMeeting) == meeting
    item = IRIS.agenda_item(AGENDA, "2(b)")
    assert item.endswith("/agenda/CTOC/COP/2024/1/item/2-b")
    assert g.value(item, UN.itemNumber) == Literal("2(b)")
    assert g.value(item, UN.partOf) == IRIS.agenda_item(AGENDA, "2")
    planned = IRIS.planned_item(COP, 13, "provisional-agenda")
    assert {UN.AgendaItem, UN.PlannedAgendaItem} <= set(g.objects(planned, RDF.type))
    assert g.value(planned, UN.plannedFor) == IRIS.session(COP, 13)


def _annotations_of(g: Graph, body: URIRef) -> list[URIRef]:
    return [a for a in g.subjects(OA.hasBody, body) if (a, RDF.type, OA.Annotation) in g]


def _selectors(g: Graph, ann: URIRef) -> tuple[str, int, int]:
    target = g.value(ann, OA.hasTarget)
    assert (target, RDF.type, OA.SpecificResource) in g
    exact = start = end = None
    for sel in g.objects(target, OA.hasSelector):
        if (sel, RDF.type, OA.TextQuoteSelector) in g:
            exact = str(g.value(sel, OA.exact))
        if (sel, RDF.type, OA.TextPositionSelector) in g:
            start, end = int(g.value(sel, OA.start)), int(g.value(sel, OA.end))
    assert exact is not None and start is not None
    return exact, start, end


def test_provenance_has_rule_quote_and_true_offsets(g: Graph) -> None:
    agenda = IRIS.doc(AGENDA)
    anns = _annotations_of(g, agenda)
    assert len(anns) == 1
    ann = anns[0]
    assert g.value(ann, UN.rule) == Literal("zh.masthead.title")
    assert g.value(ann, OA.motivatedBy) == OA.identifying
    assert g.value(ann, PROV.wasDerivedFrom) == URIRef(f"{BASE}/doc/CTOC/COP/2024/1/@zh")
    expected = prov("临时议程说明", "x").span
    assert _selectors(g, ann) == ("临时议程说明", expected.start, expected.end)
    # every annotation in the graph points at the very characters it quotes
    all_anns = list(g.subjects(RDF.type, OA.Annotation))
    assert len(all_anns) == len(sample_facts().items)  # one per fact (every mention is kept)
    for a in all_anns:
        exact, start, end = _selectors(g, a)
        assert SAMPLE_TEXT[start:end] == exact, a


def test_mandate_status_priority_merge(g: Graph) -> None:
    oral = IRIS.mandate(IRIS.instrument(COP, "decision", "5/6"), "op-2")
    assert list(g.objects(oral, UN.mandateStatus)) == [UN.OralReport]  # planned < oral-report
    assert len(_annotations_of(g, oral)) == 2  # both mentions kept as provenance
    report = IRIS.mandate(IRIS.instrument(COP, "resolution", "7/1"), "op-4")
    # stated "open" (the default), but a fulfilledBy relation makes it fulfilled
    assert list(g.objects(report, UN.mandateStatus)) == [UN.Fulfilled]
    assert (IRIS.instrument(COP, "resolution", "7/1"), UN.hasMandate, report) in g
    assert g.value(report, UN.addressee) == IRIS.body("CTOC/COP/WG.4")
    assert g.value(oral, UN.addressee) == IRIS.body("secretariat")


def test_status_merge_is_order_independent() -> None:
    src = sample_source()
    m = MandateRef(RES_7_1, "op-9")
    p = prov("临时议程", "r")
    for order in (("not-carried-out", "planned", "open"), ("open", "planned", "not-carried-out")):
        facts = Facts(src, [MandateFact(m, p, status=s) for s in order])
        graph = build_graph(facts, IRIS).graph()
        assert list(graph.objects(IRIS.mandate(IRIS.instrument(COP, "resolution", "7/1"), "op-9"),
                                  UN.mandateStatus)) == [UN.NotCarriedOut]


def test_relations_are_reified_and_annotated(g: Graph) -> None:
    facts = sample_facts()
    relations = [f for f in facts.items if isinstance(f, Relation)]
    assert len(relations) == 6
    statements = set(g.subjects(RDF.type, RDF.Statement))
    assert len(statements) == len(relations)
    for st in statements:
        s, p, o = g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)
        assert (s, p, o) in g, f"statement {st} describes a triple that is not asserted"
        anns = _annotations_of(g, st)
        assert len(anns) == 1 and g.value(anns[0], OA.motivatedBy) == OA.linking
    note = IRIS.doc("CTOC/COP/2024/5")
    res = IRIS.instrument(COP, "resolution", "7/1")
    (st,) = [x for x in statements if g.value(x, RDF.predicate) == UN.mandatedBy]
    assert (g.value(st, RDF.subject), g.value(st, RDF.object)) == (note, res)
    assert g.value(st, UN.method) == Literal("citation")
    assert g.value(st, UN.confidence) == Literal(0.9)
    assert g.value(st, UN.confidence).datatype == XSD.double


def test_built_sample_validates_without_any_result(g: Graph) -> None:
    reference = Graph()
    for t in iter_reference_triples(IRIS):
        reference.add(t)
    outcome = validate_graph(g + reference)
    assert outcome.conforms and not outcome.results, outcome.text()


def test_build_rejects_bad_facts_by_name() -> None:
    src = sample_source()
    p = prov("临时议程", "r")
    with pytest.raises(BuildError, match="status 'done'"):
        build_graph(Facts(src, [MandateFact(MandateRef(RES_7_1, "x"), p, status="done")]), IRIS)  # type: ignore[arg-type]
    with pytest.raises(BuildError, match="unknown relation predicate 'requests'"):
        build_graph(Facts(src, [Relation(DocRef("A/80/1"), "requests", DocRef("A/80/2"), p)]), IRIS)
    with pytest.raises(BuildError, match="kind must be"):
        build_graph(Facts(src, [InstrumentFact(InstrumentRef(COP, "treaty", "1"), p)]), IRIS)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ the fixture is build/builder.py's shape

def _coverage_sources() -> list[Facts]:
    """Facts that exercise every pattern the hand-written fixture uses (with sample_facts)."""
    p = prov("根据第 7/1 号决议", "r")
    res10 = InstrumentRef(COP, "resolution", "10/1")
    s10, s11 = SessionRef(COP, 10), SessionRef(COP, 11)
    en = SourceInfo("n.txt", "0" * 64, "text/plain", "en", symbol="CTOC/COP/2024/5", title="T")
    nosym = SourceInfo("r.txt", "1" * 64, "text/plain", "en")
    from mandategraph.core.facts import BodyFact, ParagraphFact, SessionFact
    return [
        Facts(en, [
            DocumentFact(DocRef("CTOC/COP/2024/5"), p, doc_class="Note", title="T", title_lang="en",
                         date=dt.date(2024, 7, 22), distribution="General", original_language="en"),
            Relation(DocRef("CTOC/COP/2024/5"), "issuedBy", BodyRef(COP), p),
            Relation(DocRef("CTOC/COP/2024/5"), "mandatedBy", RES_7_1, p),
            BodyFact(BodyRef("CTOC/COP/WG.4"), p, name="WG", name_lang="en", cls="WorkingGroup"),
            DocumentFact(DocRef("CTOC/COP/2024/2"), p, doc_class="Report"),
            Relation(DocRef("CTOC/COP/2024/2"), "underAgendaItem", AgendaItemRef(AGENDA, "2(b)"), p),
            DocumentFact(DocRef("CTOC/COP/2024/CRP.3"), p, doc_class="ConferenceRoomPaper"),
            Relation(DocRef("CTOC/COP/2024/CRP.3"), "submittedTo", SessionRef(COP, 12), p),
            MeetingFact(MeetingRef("CTOC/COP/WG.4", 13), p, place="Vienna"),
            DeadlineFact(SessionRef(COP, 12), "2024-09-30", p, date=dt.date(2024, 9, 30), topic="t", topic_lang="zh"),
        ]),
        Facts(nosym, [
            InstrumentFact(res10, p, title="T", title_lang="en", date=dt.date(2020, 10, 16)),
            SessionFact(s10, p, start=dt.date(2020, 10, 12), end=dt.date(2020, 10, 16), place="Vienna"),
            Relation(res10, "adoptedAt", s10, p, method="adoption-block", confidence=1.0),
            Relation(res10, "recalls", RES_7_1, p),
            ParagraphFact(ParagraphRef(res10, "op-2"), p, number="2", verb="requests", text="x"),
            MandateFact(MandateRef(res10, "op-2"), p, verb="requests", addressee="secretariat", output="report"),
            Relation(MandateRef(res10, "op-2"), "dueAt", s11, p),
            Relation(MandateRef(res10, "op-2"), "inParagraph", ParagraphRef(res10, "op-2"), p),
            MandateFact(MandateRef(res10, "op-5"), p, status="planned", output="agenda item"),
            MandateFact(MandateRef(res10, "op-7"), p, status="not-carried-out", status_note="n"),
            InstrumentFact(DEC_5_6, p),
            MandateFact(MandateRef(DEC_5_6, "op-2"), p, status="oral-report", addressee="the President"),
        ]),
    ]


def _signature(quads) -> set[tuple]:
    """(subject classes, predicate, object classes | literal datatype) of every triple."""
    quads = list(quads)
    types: dict = {}
    for s, p, o, _ in quads:
        if p == RDF.type:
            types.setdefault(s, set()).add(o)

    def kind(node) -> object:
        if isinstance(node, Literal):
            return ("literal", "lang" if node.language else str(node.datatype or XSD.string))
        if node in types:
            return frozenset(types[node])
        if str(node).startswith(str(UN)) or node in (OA.identifying, OA.linking):
            return node  # a vocabulary term as value: a status, a reified predicate, a motivation
        return "untyped"

    return {(frozenset(types.get(s, ())), p, o if p == RDF.type else kind(o)) for s, p, o, _ in quads}


def test_handwritten_fixture_uses_only_patterns_build_emits(handwritten_dataset) -> None:
    built_quads = []
    for facts in [sample_facts(), *_coverage_sources()]:
        b = build_graph(facts, IRIS)
        built_quads += [(s, p, o, b.graph_iri) for s, p, o in b.triples]
    built_quads += [(s, p, o, reference_graph_iri(IRIS)) for s, p, o in iter_reference_triples(IRIS)]
    fixture = _signature(dataset_quads(handwritten_dataset))
    extra = fixture - _signature(built_quads)
    assert not extra, "patterns in handwritten.trig that build/builder.py never produces:\n" + \
        "\n".join(sorted(map(str, extra)))


def test_handwritten_seed_quotes_are_the_seed_text(handwritten_dataset, seed_path: Path) -> None:
    """The agenda graph's selectors point at the real characters of the seed file."""
    text = seed_path.read_text(encoding="utf-8")
    graph = handwritten_dataset.graph(URIRef(f"{BASE}/graph/CTOC/COP/2024/1/@zh"))
    assert len(graph) > 100
    import hashlib

    assert str(graph.value(graph.identifier, UN.sha256)) == hashlib.sha256(seed_path.read_bytes()).hexdigest()
    checked = 0
    for target in graph.subjects(RDF.type, OA.SpecificResource):
        sels = list(graph.objects(target, OA.hasSelector))
        exact = next(str(graph.value(s, OA.exact)) for s in sels if graph.value(s, OA.exact) is not None)
        pos = next(s for s in sels if graph.value(s, OA.start) is not None)
        assert text[int(graph.value(pos, OA.start)):int(graph.value(pos, OA.end))] == exact
        checked += 1
    assert checked >= 10


# ------------------------------------------------------------------------------ backends

def _open(kind: str, tmp_path: Path):
    if kind == "oxigraph-memory":
        return open_store(None)
    if kind == "oxigraph-disk":
        return open_store(tmp_path / "store")
    return open_store(None, backend="rdflib")


BACKENDS = ["oxigraph-memory", "oxigraph-disk", "rdflib"]

CHAIN = """
PREFIX un: <https://w3id.org/mandategraph/ontology#>
SELECT DISTINCT ?instrument ?mandate ?document ?session WHERE {
  ?instrument un:hasMandate ?mandate .
  ?mandate un:fulfilledBy ?document ; un:mandateStatus un:Fulfilled .
  ?document un:submittedTo ?session .
}
"""


@pytest.mark.parametrize("kind", BACKENDS)
def test_handwritten_loads_and_validates_in_every_backend(kind: str, tmp_path: Path, handwritten_dataset) -> None:
    store = _open(kind, tmp_path)
    fill_store(store, handwritten_dataset)
    assert len(store.named_graphs()) == N_GRAPHS
    assert store.count() == sum(1 for _ in dataset_quads(handwritten_dataset))
    digests = store.source_digests()
    assert len(digests) == 3 and all(len(d) == 64 for d in digests.values())
    rows = store.select(CHAIN).values()
    assert rows == [(f"{BASE}/instrument/ctoc-cop/resolution/7-1",
                     f"{BASE}/instrument/ctoc-cop/resolution/7-1/mandate/op-4",
                     f"{BASE}/doc/CTOC/COP/2024/5", f"{BASE}/body/ctoc-cop/session/12")]
    outcome = validate_store(store)
    assert outcome.conforms, outcome.text()
    assert not outcome.violations and not outcome.warnings, outcome.text()
    store.close()


@pytest.mark.parametrize("kind", BACKENDS)
def test_invalid_overlay_is_caught_in_every_backend(kind: str, tmp_path: Path, handwritten_dataset) -> None:
    store = _open(kind, tmp_path)
    fill_store(store, handwritten_dataset)
    fill_store(store, load_trig(HANDWRITTEN_INVALID))
    outcome = validate_store(store)
    assert not outcome.conforms
    got = sorted((str(r.focus), str(r.source_shape).split("#")[1]) for r in outcome.violations)
    assert got == [
        (f"{BASE}/body/ctoc-cop/session/12", "Session-startDate"),
        (f"{BASE}/doc/CTOC/COP/2024/L.7", "Document-symbol"),
        (f"{BASE}/instrument/ctoc-cop/resolution/10-1/mandate/op-9", "FulfilledMandateShape"),
    ]
    # a second start date is also a disagreement between sources (a warning)
    assert [(str(r.focus), str(r.source_shape).split("#")[1]) for r in outcome.warnings] == [
        (f"{BASE}/body/ctoc-cop/session/12", "Session-datesCount")]
    # removing the broken source graph restores conformance
    store.remove_graph(f"{BASE}/graph/file/broken.txt")
    assert validate_store(store).conforms
    store.close()


@pytest.mark.parametrize("kind", BACKENDS)
def test_replace_graph_is_a_replacement(kind: str, tmp_path: Path) -> None:
    store = _open(kind, tmp_path)
    built = build_graph(sample_facts(), IRIS)
    other = [(URIRef("urn:x:s"), URIRef("urn:x:p"), Literal("kept"))]
    store.replace_graph("urn:x:other", other)
    iri = str(built.graph_iri)
    store.replace_graph(iri, built.triples)
    store.replace_graph(iri, built.triples)  # twice: still one copy
    assert store.count() == len(built.triples) + 1
    assert sum(1 for _ in store.quads(iri)) == len(built.triples)
    assert sorted(store.named_graphs()) == sorted([iri, "urn:x:other"])
    # new content: the old triples go, the new ones come, the other graph is untouched
    title = (IRIS.doc(AGENDA), UN.title, Literal("临时议程说明", lang="zh"))
    assert title in built.triples
    new = [t for t in built.triples if t != title] + [(IRIS.doc(AGENDA), UN.title, Literal("新标题", lang="zh"))]
    store.replace_graph(iri, new)
    titles = store.select(f"SELECT ?t WHERE {{ <{IRIS.doc(AGENDA)}> <{UN.title}> ?t }}").values()
    assert titles == [("新标题",)]
    assert store.count() == len(new) + 1
    assert [q[:3] for q in store.quads("urn:x:other")] == other
    # replacing with nothing empties the graph
    store.replace_graph(iri, [])
    assert sum(1 for _ in store.quads(iri)) == 0
    store.close()


def test_disk_store_keeps_graphs_across_reopen(tmp_path: Path, handwritten_dataset) -> None:
    store = open_store(tmp_path / "st")
    fill_store(store, handwritten_dataset)
    n = store.count()
    store.close()
    del store
    gc.collect()
    again = open_store(tmp_path / "st", read_only=True)
    assert again.count() == n and len(again.named_graphs()) == N_GRAPHS


# ------------------------------------------------------------------------------ the validate command

def _disk_store(path: Path, *trigs: Path) -> Path:
    store = open_store(path)
    for trig in trigs:
        fill_store(store, load_trig(trig))
    store.close()
    del store
    gc.collect()
    return path


@pytest.fixture(scope="module")
def valid_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _disk_store(tmp_path_factory.mktemp("valid") / "st", HANDWRITTEN)


@pytest.fixture(scope="module")
def invalid_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _disk_store(tmp_path_factory.mktemp("invalid") / "st", HANDWRITTEN, HANDWRITTEN_INVALID)


def test_cli_validate_conforms_exit_0(valid_store: Path) -> None:
    res = CliRunner().invoke(main, ["validate", "--store", str(valid_store)])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("Conforms: yes - 0 violation(s), 0 warning(s)")


def test_cli_validate_violations_exit_1_names_focus(invalid_store: Path) -> None:
    res = CliRunner().invoke(main, ["validate", "--store", str(invalid_store)])
    assert res.exit_code == 1, res.output
    assert res.output.startswith("Conforms: no - 3 violation(s), 1 warning(s)")
    for focus in ("doc/CTOC/COP/2024/L.7", "body/ctoc-cop/session/12",
                  "instrument/ctoc-cop/resolution/10-1/mandate/op-9"):
        assert f"<{BASE}/{focus}>" in res.output
    assert "shapes#FulfilledMandateShape" in res.output
    assert "is un:Fulfilled but has no un:fulfilledBy document" in res.output


@pytest.mark.parametrize("which,conforms", [("valid", True), ("invalid", False)])
def test_cli_validate_turtle_report(which: str, conforms: bool, valid_store: Path, invalid_store: Path) -> None:
    store = valid_store if which == "valid" else invalid_store
    res = CliRunner().invoke(main, ["validate", "--store", str(store), "--format", "turtle"])
    assert res.exit_code == (0 if conforms else 1), res.output
    report = Graph().parse(data=res.output, format="turtle")
    (node,) = list(report.subjects(RDF.type, SH.ValidationReport))
    assert report.value(node, SH.conforms) == Literal(conforms)
    results = list(report.objects(node, SH.result))
    if conforms:
        assert results == []
    else:
        foci = {str(report.value(r, SH.focusNode)) for r in results}
        assert f"{BASE}/doc/CTOC/COP/2024/L.7" in foci
        severities = sorted(str(report.value(r, SH.resultSeverity)).split("#")[1] for r in results)
        assert severities == ["Violation", "Violation", "Violation", "Warning"]


def test_parse_once_gives_the_same_results_and_restores_rdflib(handwritten_dataset) -> None:
    """validate/pyshacl_engine.py's parse cache is an optimisation only: pySHACL alone finds the same results,
    and rdflib's query method is itself again afterwards."""
    import pyshacl
    from rdflib.plugins.sparql.processor import SPARQLProcessor

    from mandategraph.validate.report import _results
    from mandategraph.validate.report import shapes_graph

    original = SPARQLProcessor.query
    data = Graph()
    for trig in (HANDWRITTEN, HANDWRITTEN_INVALID):
        for s, p, o, _ in dataset_quads(load_trig(trig)):
            data.add((s, p, o))
    cached = validate_graph(data)
    assert SPARQLProcessor.query is original
    _c, report, _t = pyshacl.validate(data, shacl_graph=shapes_graph(), inference="none",
                                      advanced=True, allow_warnings=True)
    key = lambda r: (str(r.focus), str(r.source_shape), r.severity, str(r.value))
    assert sorted(map(key, cached.results)) == sorted(map(key, _results(report)))
    assert len(cached.violations) == 3
