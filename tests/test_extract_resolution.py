"""GA resolutions and drafts: golden cases from real PDFs, and targeted checks.

Golden cases live in ``tests/cases/ga-*/``: ``corpus-file.txt`` names a PDF of
``data/corpus/pdf/`` (the corpus is in the repository; no copy), ``expected.trig`` is the named
graph the extractor must produce. Regenerate after an intended change with
``pytest tests/test_extract_resolution.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mandategraph.build.builder import build_graph
from mandategraph.extract import extract, extractors
from mandategraph.extract import resolution as R
from mandategraph.pipeline.linking import DraftInfo, InstrumentInfo, base_symbol, link_drafts
from mandategraph.core.facts import (
    BodyRef, DocRef, DocumentFact, InstrumentFact, InstrumentRef, MandateFact, ParagraphFact, PlannedItemFact,
    Relation, SessionRef,
)
from mandategraph.ingest.load import load_source
from mandategraph.ingest.source import make_source
from mandategraph.build.iris import Iris
from golden import DATE_QUOTES, assert_golden

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).parent / "cases"
CORPUS = ROOT / "data" / "corpus" / "pdf"
BASE = "https://w3id.org/mandategraph"


def pdf(name: str):
    src = load_source(CORPUS / f"{name}.pdf")
    src.path = f"{name}.pdf"
    return src


def ga_cases() -> list[Path]:
    return sorted(p for p in CASES.glob("ga-*") if (p / "corpus-file.txt").is_file())


# --------------------------------------------------------------------------- golden cases


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("folder", ga_cases(), ids=lambda p: p.name)
def test_golden_pdf_case(folder: Path, update_golden: bool) -> None:
    name = (folder / "corpus-file.txt").read_text(encoding="utf-8").strip()
    source = load_source(CORPUS / name)
    source.path = name
    got = build_graph(extract(source), Iris(BASE)).graph()
    assert_golden(got, folder / "expected.trig", update_golden, folder.name)


def test_golden_cases_exist() -> None:
    names = {p.name for p in ga_cases()}
    assert len(names) >= 4, names


# --------------------------------------------------------------------------- masthead


def test_registry_routes_ga_pdfs_to_the_resolution_extractor() -> None:
    assert any(e.name == "resolution" for e in extractors())
    src = pdf("A_RES_80_50")
    assert R.accepts(src)
    assert extract(src).source.symbol == "A/RES/80/50"


def test_resolution_masthead_and_adoption_block_on_committee_report() -> None:
    mh = R.parse(pdf("A_RES_80_50")).masthead
    assert (mh.symbol, mh.doc_class, mh.distribution) == ("A/RES/80/50", "ResolutionDocument", "General")
    assert mh.date == dt.date(2025, 12, 3) and mh.session == 80
    assert [(a.item, a.title) for a in mh.agenda] == [
        ("99(dd)", "General and complete disarmament: humanitarian consequences of nuclear weapons")]
    a = mh.adoption
    assert (a.kind, a.date, a.via, a.symbol, a.committee, a.paragraph) == (
        "resolution", dt.date(2025, 12, 1), "report", "A/80/534", "A/C.1", "7")
    assert (mh.number, mh.title) == ("80/50", "Humanitarian consequences of nuclear weapons")


def test_fourth_committee_named_by_its_long_name() -> None:
    a = R.parse(pdf("A_RES_80_99")).masthead.adoption
    assert (a.via, a.symbol, a.committee) == ("report", "A/80/537", "A/C.4")


def test_plenary_adoption_gives_draft_links() -> None:
    facts = extract(pdf("A_RES_80_1"))
    ins = InstrumentRef("A", "resolution", "80/1")
    rels = {(r.subject, r.predicate, r.object, r.method) for r in facts.items if isinstance(r, Relation)}
    assert (ins, "adoptedOnReportOf", DocRef("A/80/L.2/Rev.1"), "adoption-block") in rels
    assert (DocRef("A/80/L.2/Rev.1"), "draftOf", ins, "adoption-block") in rels
    assert (ins, "carriedBy", DocRef("A/RES/80/1"), None) in rels
    dates = [f.date for f in facts.items if isinstance(f, InstrumentFact) and f.ref == ins]
    assert dt.date(2025, 9, 19) in dates


def test_draft_with_two_agenda_items_and_sponsors() -> None:
    mh = R.parse(pdf("A_80_L.14")).masthead
    assert (mh.symbol, mh.doc_class, mh.distribution, mh.original_language) == (
        "A/80/L.14", "DraftResolution", "Limited", "en")
    assert [a.item for a in mh.agenda] == ["13", "75"]
    assert mh.agenda[1].title == "Oceans and the law of the sea"
    assert mh.agenda[0].title.startswith("Integrated and coordinated implementation")
    assert mh.draft_kind == "resolution"
    assert "Netherlands (Kingdom of the)" in mh.sponsors
    assert mh.sponsors[-1] == "United Kingdom of Great Britain and Northern Ireland"
    assert mh.title.startswith("2028 United Nations Conference to Support")


def test_draft_submitted_by_the_president_and_amendment() -> None:
    assert R.parse(pdf("A_80_L.15")).masthead.submitted_by == "pga"
    facts = extract(pdf("A_80_L.15"))
    assert any(isinstance(r, Relation) and r.predicate == "issuedBy" and r.object == BodyRef("pga")
               for r in facts.items)
    amend = R.parse(pdf("A_80_L.20"))
    assert (amend.masthead.draft_kind, amend.masthead.amends) == ("amendment", "A/80/L.18")
    assert [p.text for p in amend.paragraphs] == ["Delete operative paragraph 9."]
    assert R.parse(pdf("A_80_L.1")).masthead.draft_kind == "decision"


def test_sub_item_agenda_numbers() -> None:
    assert [a.item for a in R.parse(pdf("A_80_L.20")).masthead.agenda] == ["72(a)"]


# --------------------------------------------------------------------------- paragraphs


def test_annexed_declaration_is_not_operative() -> None:
    parsed = R.parse(pdf("A_RES_80_3"))
    parts = [(p.part, p.label) for p in parsed.paragraphs]
    assert [lbl for part, lbl in parts if part == "operative"] == ["op-1", "op-2"]
    annex = [p for p in parsed.paragraphs if p.part == "annex"]
    assert len(annex) == 25 and annex[0].text.startswith("1. We, the Heads of State")
    assert parsed.meeting == 18
    assert parsed.paragraphs[2].verb == "expresses"
    assert parsed.paragraphs[0].verb == "recalling"


def test_paragraph_verbs_and_numbers() -> None:
    parsed = R.parse(pdf("A_RES_80_50"))
    ops = [p for p in parsed.paragraphs if p.part == "operative"]
    assert [p.number for p in ops] == [str(i) for i in range(1, 8)]
    assert [p.verb for p in ops][4:7] == ["calls upon", "urges", "decides"]
    pre = [p for p in parsed.paragraphs if p.part == "preamble"]
    # 15 preambular paragraphs as printed; pp. 6 and 7 are on either side of a page break
    assert len(pre) == 15 and pre[13].verb == "noting with appreciation"
    assert pre[5].text.startswith("Welcoming the renewed interest") and pre[5].text.endswith("weapons,")
    assert pre[6].verb == "recalling" and pre[6].text.startswith("Recalling that the 2010 Review")
    # a page break inside a paragraph is joined, furniture is not glued in
    assert all("25-19844" not in p.text and "3/3" not in p.text for p in parsed.paragraphs)


# --------------------------------------------------------------------------- mentions


def test_recalled_resolutions_with_dates() -> None:
    facts = extract(pdf("A_RES_80_50"))
    ins = InstrumentRef("A", "resolution", "80/50")
    recalled = {r.object for r in facts.items
                if isinstance(r, Relation) and r.subject == ins and r.predicate == "recalls"}
    dated = {f.ref.number: f.date for f in facts.items if isinstance(f, InstrumentFact) and f.date}
    expected = {"70/47": dt.date(2015, 12, 7), "71/46": dt.date(2016, 12, 5),
                "79/37": dt.date(2024, 12, 2)}
    for number, date in expected.items():
        assert InstrumentRef("A", "resolution", number) in recalled
        assert dated[number] == date
    assert len([r for r in recalled if r.number.startswith(("7",))]) == 10


SYNTH = """United Nations A/RES/80/900
General Assembly Distr.: General
2 December 2025
Eightieth session Agenda item 105
Crime prevention and criminal justice
Resolution adopted by the General Assembly on 1 December 2025
[on the report of the Third Committee (A/80/999, para. 12)]
80/900. Synthetic resolution for the tests
The General Assembly,
Recalling Economic and Social Council resolution 2024/12 of 24 July 2024, Security Council resolution 2719 (2023) and Human Rights Council resolution 51/22 of 7 October 2022,
Recalling also decision 10/4 of the Conference of the Parties to the United Nations Convention against Transnational Organized Crime, resolution 9/1 of the Conference of the States Parties to the United Nations Convention against Corruption, Commission on Narcotic Drugs resolution 67/1 and Commission on Crime Prevention and Criminal Justice resolution 33/1,
Reaffirming its resolutions 78/1 of 1 December 2023 and 79/2 of 2 December 2024,
Taking note of the report of the Secretary-General (A/80/123),
1. Requests the Secretary-General to submit biennially to the General Assembly at its eighty-first and eighty-third sessions a report on the implementation of the present resolution;
2. Invites Member States to consider contributing to the trust fund;
3. Requests the United Nations Office on Drugs and Crime to convene a meeting of experts and to report thereon to the Commission on Crime Prevention and Criminal Justice at its thirty-fifth session;
4. Decides to include in the provisional agenda of its eighty-first session the item entitled “Crime prevention and criminal justice”.
60th plenary meeting
1 December 2025
"""


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    path = tmp_path_factory.mktemp("synth") / "A_RES_80_900.txt"
    path.write_text(SYNTH, encoding="utf-8")
    src = make_source(path, "text/plain", SYNTH, language="en")
    return extract(src)


def test_instruments_of_other_bodies(synth) -> None:
    ins = InstrumentRef("A", "resolution", "80/900")
    objs = {(r.predicate, r.object) for r in synth.items if isinstance(r, Relation) and r.subject == ins}
    for body, kind, number in [("E", "resolution", "2024/12"), ("S", "resolution", "2719 (2023)"),
                               ("A/HRC", "resolution", "51/22"), ("CTOC/COP", "decision", "10/4"),
                               ("CAC/COSP", "resolution", "9/1"), ("E/CN.7", "resolution", "67/1"),
                               ("E/CN.15", "resolution", "33/1")]:
        assert ("recalls", InstrumentRef(body, kind, number)) in objs, (body, number)
    assert ("reaffirms", InstrumentRef("A", "resolution", "78/1")) in objs
    assert ("cites", DocRef("A/80/123")) in objs


def test_mandates_due_sessions_recurrence_and_planned_item(synth) -> None:
    mandates = {f.ref.local: f for f in synth.items if isinstance(f, MandateFact)}
    assert set(mandates) == {"op-1", "op-3", "op-4"}  # Member States: a paragraph, not a mandate
    m1 = mandates["op-1"]
    assert (m1.verb, m1.addressee, m1.output, m1.recurrence, m1.status) == (
        "requests", "secretary-general", "report", "biennially", "open")  # (#13: not the Secretariat)
    due = {(r.subject.local, r.object) for r in synth.items
           if isinstance(r, Relation) and r.predicate == "dueAt"}
    assert ("op-1", SessionRef("A", 81)) in due and ("op-1", SessionRef("A", 83)) in due
    assert ("op-3", SessionRef("E/CN.15", 35)) in due
    # "to convene a meeting of experts and to report thereon to the Commission": the output
    # that goes to a body is the report (#13: reporting elements first)
    assert mandates["op-3"].addressee == "unodc" and mandates["op-3"].output == "report"
    assert (mandates["op-4"].output, mandates["op-4"].status) == ("agenda item", "planned")
    planned = [f for f in synth.items if isinstance(f, PlannedItemFact)]
    assert [(p.ref.session, p.title) for p in planned] == [
        (SessionRef("A", 81), "Crime prevention and criminal justice")]
    verbs = {f.ref.label: f.verb for f in synth.items if isinstance(f, ParagraphFact)}
    assert verbs["op-2"] == "invites" and verbs["pp-4"] == "taking note"


def test_provenance_points_at_the_source_text(synth) -> None:
    src_text = SYNTH
    for f in synth.items:
        span = f.prov.span
        if span is not None:
            assert src_text[span.start:span.end] == span.quote
            assert f.prov.rule.startswith("res.")


# --------------------------------------------------------------------------- linking


def test_link_drafts_revision_title_and_guards() -> None:
    ins1 = InstrumentInfo(InstrumentRef("A", "resolution", "80/1"), "A/RES/80/1", "Alpha",
                          {"7"}, {"A/80/L.2/Rev.1"})
    ins2 = InstrumentInfo(InstrumentRef("A", "resolution", "80/2"), "A/RES/80/2", "Beta", {"9"})
    ins3 = InstrumentInfo(InstrumentRef("A", "resolution", "80/3"), "A/RES/80/3", "Gamma", {"11"},
                          {"A/80/500"})  # adopted on a committee report
    drafts = [DraftInfo("A/80/L.2", "Alpha", {"7"}), DraftInfo("A/80/L.9", "Beta", {"9"}),
              DraftInfo("A/80/L.10", "Beta", {"9"}, amendment=True),
              DraftInfo("A/80/L.11", "Gamma", {"11"}), DraftInfo("A/80/L.12", "Beta", {"12"})]
    got = {(r.subject.symbol, r.object.number, r.method, r.confidence)
           for r in link_drafts(drafts, [ins1, ins2, ins3])}
    assert got == {("A/80/L.2", "80/1", "revision", 0.95),
                   ("A/80/L.9", "80/2", "title-agenda", 0.85)}
    assert base_symbol("A/80/L.2/Rev.1/Add.1") == "A/80/L.2"


# --------------------------------------------------------------------------- lineage depth

CHAIN = """United Nations A/RES/{s}/{n}
General Assembly Distr.: General
2 December 2025
{ordinal} session Agenda item 7
Lineage test item
Resolution adopted by the General Assembly on 1 December 2025
[on the report of the First Committee (A/{s}/500, para. 7)]
{s}/{n}. Lineage test {n}
The General Assembly,
Recalling its resolution {prev} of 3 December 2020,
1. Decides to remain seized of the matter.
60th plenary meeting
1 December 2025
"""


def test_lineage_follows_recalls_across_documents_with_depth(tmp_path: Path) -> None:
    from mandategraph import query
    from mandategraph.store.factory import open_store

    store = open_store(None)
    for s, n, ordinal, prev in [(80, 10, "Eightieth", "79/20"), (79, 20, "Seventy-ninth", "78/30"),
                                (78, 30, "Seventy-eighth", "77/40")]:
        text = CHAIN.format(s=s, n=n, ordinal=ordinal, prev=prev)
        path = tmp_path / f"A_RES_{s}_{n}.txt"
        path.write_text(text, encoding="utf-8")
        built = build_graph(extract(make_source(path, "text/plain", text, language="en")), Iris(BASE))
        store.replace_graph(str(built.graph_iri), built.triples)
    from mandategraph.build.reference_graph import iter_reference_triples, reference_graph_iri

    store.replace_graph(str(reference_graph_iri(Iris(BASE))), iter_reference_triples(Iris(BASE)))
    rows = query.run(store, "lineage", {"symbol": "A/RES/80/10"}).values()
    assert [(r[2], r[4]) for r in rows] == [("79/20", "1"), ("78/30", "2"), ("77/40", "3")]
    assert rows[0][:2] == ("A", "resolution")
    rows = query.run(store, "lineage", {"symbol": "A:resolution:79/20"}).values()
    assert [(r[2], r[4]) for r in rows] == [("78/30", "1"), ("77/40", "2")]
    chain = query.run(store, "renewal-chain", {"symbol": "A/RES/80/10"}).values()
    assert [r[1] for r in chain] == ["79/20", "80/10"]


def test_report_named_before_a_footnote_marker_is_mandated_by_the_instrument() -> None:
    src = pdf("A_RES_80_25")
    assert "4" in [src.text[a:b] for a, b in src.markers]  # a marker set on its own line
    facts = extract(src)
    rels = {(r.subject, r.object) for r in facts.items
            if isinstance(r, Relation) and r.predicate == "mandatedBy"}
    assert rels == {(DocRef("A/80/125"), InstrumentRef("A", "resolution", "79/43"))}
    cites = {r.object for r in facts.items if isinstance(r, Relation) and r.predicate == "cites"}
    assert DocRef("A/80/125") in cites


def test_decision_with_lettered_items_and_resolution_preamble_lists() -> None:
    parts = [(p.part, p.label, p.verb) for p in R.parse(pdf("A_80_L.1")).paragraphs]
    assert parts[-2:] == [("operative", "op-a", "expresses"), ("operative", "op-b", "endorses")]
    assert [p for p in parts if p[0] == "preamble"][-1][1] == "pp-3"
    one = [(p.part, p.label, p.verb) for p in R.parse(pdf("A_80_L.42")).paragraphs]
    assert one[-1] == ("operative", "op-1", "decides")  # the one operative paragraph, unnumbered
    # a lettered list inside a resolution's preamble stays in its preambular paragraph
    ops = [p for p in R.parse(pdf("A_RES_80_34")).paragraphs if p.part == "operative"]
    assert all(p.number and p.number.isdigit() for p in ops)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_resolution_queries_agree_on_oxigraph_and_rdflib(tmp_path: Path) -> None:
    """The named queries of this area give the same rows on both embedded backends, with a
    document symbol and with a BODY:KIND:NUMBER instrument key."""
    import shutil

    from mandategraph import query
    from mandategraph.pipeline.batch import build_paths
    from mandategraph.store.factory import open_store

    for name in ("A_RES_80_1.pdf", "A_RES_80_24.pdf", "A_80_L.2.pdf"):
        shutil.copy(CORPUS / name, tmp_path / name)
    ox = open_store(None)
    rd = open_store(None, backend="rdflib")
    build_paths([tmp_path], ox)
    build_paths([tmp_path], rd)
    cases = [("lineage", {"symbol": "A/RES/80/24"}), ("lineage", {"symbol": "A:resolution:80/24"}),
             ("drafts-of", {"symbol": "A:resolution:80/1"}), ("adopted-on", {"symbol": "A/RES/80/1"}),
             ("mandates-of", {"symbol": "A/RES/80/24"}), ("due-at", {"body": "A", "session": "81"}),
             ("renewal-chain", {"symbol": "A:resolution:80/24"})]
    for name, params in cases:
        got = sorted(query.run(ox, name, params).values())
        assert got, (name, params)
        assert got == sorted(query.run(rd, name, params).values()), (name, params)


# --------------------------------------------------------------------------- the date's words


def test_the_date_is_proven_by_its_own_words() -> None:
    """The date's provenance quotes the date as printed, not the symbol line (issue 18)."""
    facts = extract(pdf("A_RES_80_50"))
    doc = next(f for f in facts.items if isinstance(f, DocumentFact) and f.ref == DocRef("A/RES/80/50"))
    assert doc.date == dt.date(2025, 12, 3)
    assert doc.date_prov is not None and doc.date_prov.rule == "res.masthead.date"
    assert doc.date_prov.span.quote == "3 December 2025"
    assert doc.prov.span.quote != doc.date_prov.span.quote  # the node's own quote: the symbol line
    g = build_graph(facts, Iris(BASE)).graph()
    rows = [(r.d.toPython(), str(r.exact), str(r.rule)) for r in g.query(DATE_QUOTES)]
    assert rows == [(dt.date(2025, 12, 3), "3 December 2025", "res.masthead.date")]
