"""Annotated-agenda extraction: golden cases compared as graphs, and targeted checks.

Each ``tests/cases/<case>/`` holds one ``input.*`` (txt, md, html or docx) and the expected
named graph ``expected.trig``. The extractor's graph is compared with rdflib's isomorphism test;
on failure the test prints the triples only expected and only produced. Regenerate the
expected files after an intended change with ``pytest tests/test_extract_agenda.py
--update-golden`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from mandategraph.build.builder import build_graph
from mandategraph.extract import extract, extractors
from mandategraph.extract.agenda import accepts
from mandategraph.core.facts import (
    ConstructiveDialogueFact, DocumentFact, InstrumentFact, MandateFact, MeetingFact, Relation,
    SessionFact,
)
from mandategraph.ingest.load import load_source
from mandategraph.build.iris import Iris
from golden import DATE_QUOTES, assert_golden

CASES = Path(__file__).parent / "cases"
BASE = "https://w3id.org/mandategraph"


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir() and list(p.glob("input.*")))


def build_case(folder: Path) -> Graph:
    path = next(folder.glob("input.*"))
    source = load_source(path)
    source.path = path.name  # stable across checkouts
    facts = extract(source)
    return build_graph(facts, Iris(BASE)).graph()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("folder", case_dirs(), ids=lambda p: p.name)
def test_golden_case(folder: Path, update_golden: bool) -> None:
    got = build_case(folder)
    assert_golden(got, folder / "expected.trig", update_golden, folder.name)


def test_every_case_is_an_agenda_with_its_own_symbol() -> None:
    for folder in case_dirs():
        source = load_source(next(folder.glob("input.*")))
        assert accepts(source), folder
        facts = extract(source)
        assert facts.source.symbol, folder
        assert not facts.warnings, (folder, facts.warnings)
        for f in facts.items:
            span = f.prov.span
            assert source.text[span.start:span.end] == span.quote, (folder, f)


def _facts(name: str):
    folder = CASES / name
    source = load_source(next(folder.glob("input.*")))
    return source, extract(source)


def test_english_masthead_session_and_items() -> None:
    _, facts = _facts("en-cosp-annotated-agenda")
    own = [f for f in facts.items if isinstance(f, DocumentFact) and f.ref.symbol == "CAC/COSP/2027/1"
           and f.date]
    assert own and str(own[0].date) == "2027-09-14" and str(own[0].reissue_date) == "2027-09-21"
    assert own[0].original_language == "en" and own[0].doc_class == "AnnotatedAgenda"
    s = [f for f in facts.items if isinstance(f, SessionFact) and f.ref.number == 12 and f.start]
    assert (s[0].ref.body, str(s[0].start), str(s[0].end), s[0].place) == \
        ("CAC/COSP", "2027-12-13", "2027-12-17", "Vienna")
    items = {r.subject.symbol: set() for r in facts.items if isinstance(r, Relation)
             and r.predicate == "underAgendaItem"}
    for r in facts.items:
        if isinstance(r, Relation) and r.predicate == "underAgendaItem":
            items[r.subject.symbol].add(r.object.item)
    assert items == {"CAC/COSP/2027/1": {"1(c)"}, "CAC/COSP/2027/CRP.1": {"1(d)"},
                     "CAC/COSP/2027/2": {"2"}, "CAC/COSP/2027/CRP.2": {"2"},
                     "CAC/COSP/2027/CRP.3": {"3"}, "CAC/COSP/WG.2/2026/3": {"3"},
                     "CAC/COSP/WG.2/2027/3": {"3"}, "CAC/COSP/2027/5": {"5"}}


def test_english_deadline() -> None:
    from mandategraph.core.facts import DeadlineFact

    _, facts = _facts("en-cosp-annotated-agenda")
    got = [(f.session.number, str(f.date)) for f in facts.items if isinstance(f, DeadlineFact)]
    assert got == [(12, "2027-11-29")]


def test_english_instrument_bodies() -> None:
    _, facts = _facts("en-cosp-annotated-agenda")
    got = {(f.ref.body, f.ref.kind, f.ref.number) for f in facts.items if isinstance(f, InstrumentFact)}
    assert ("A", "resolution", "58/4") in got  # "In its resolution 58/4, the General Assembly"
    assert ("E", "resolution", "2024/18") in got  # "Economic and Social Council resolution"
    assert ("CAC/COSP", "decision", "11/2") in got and ("CAC/COSP", "resolution", "11/4") in got
    assert not any(b == "CAC/COSP" and n in ("58/4", "2024/18") for b, _, n in got)


def test_english_meetings_dialogues_and_group_sessions() -> None:
    _, facts = _facts("en-cosp-annotated-agenda")
    meetings = {(f.ref.body, f.ref.number): (str(f.start), str(f.end), f.place)
                for f in facts.items if isinstance(f, MeetingFact) and f.start}
    assert meetings == {("CAC/COSP/WG.2", 18): ("2026-06-05", "2026-06-07", "Vienna"),
                        ("CAC/COSP/WG.2", 19): ("2027-06-02", "2027-06-03", None)}
    dialogues = {(f.after.number, str(f.date)) for f in facts.items
                 if isinstance(f, ConstructiveDialogueFact)}
    assert dialogues == {(18, "2026-06-08"), (19, "2027-06-04")}
    sessions = {(f.ref.body, f.ref.number) for f in facts.items if isinstance(f, SessionFact)}
    assert ("CAC/COSP/IRG", 16) in sessions and ("CAC/COSP", 16) not in sessions


def test_english_mandates_and_statuses() -> None:
    _, facts = _facts("en-cosp-annotated-agenda")
    status: dict[tuple[str, str], str] = {}
    rank = ["open", "planned", "not-carried-out", "oral-report", "fulfilled"]
    for f in facts.items:
        if isinstance(f, MandateFact):
            key = (f.ref.instrument.number, f.ref.local)
            if rank.index(f.status) >= rank.index(status.get(key, "open")):
                status[key] = f.status
    fulfilled = {(r.subject.instrument.number, r.object.symbol) for r in facts.items
                 if isinstance(r, Relation) and r.predicate == "fulfilledBy"}
    assert fulfilled == {("3/1", "CAC/COSP/2027/CRP.2"), ("10/1", "CAC/COSP/2027/2"),
                         ("11/4", "CAC/COSP/2027/CRP.3")}
    assert status[("11/6", "report-s12")] == "oral-report"
    assert status[("11/4", "study-1")] == status[("11/4", "study-2")] == "not-carried-out"
    rels = {(r.subject.number, r.predicate, r.object.key) for r in facts.items
            if isinstance(r, Relation) and r.predicate in ("establishes", "makesPermanent")}
    assert rels == {("1/4", "establishes", "CAC/COSP/WG.2"), ("2/3", "makesPermanent", "CAC/COSP/WG.2")}


def test_markdown_links_joint_symbols_and_general_assembly() -> None:
    source, facts = _facts("en-ctoc-markdown")
    docs = {f.ref.symbol: f for f in facts.items if isinstance(f, DocumentFact)}
    assert "E/CN.7/2026/15" in docs and docs["E/CN.7/2026/15"].joint_symbols == ("E/CN.15/2026/16",)
    assert "E/CN.15/2026/16" not in docs
    link = next(f for f in facts.items if isinstance(f, DocumentFact) and f.ref.symbol == "CTOC/COP/2026/4"
                and f.prov.rule == "en.agenda.symbol")
    assert source.text[link.prov.span.start - 1] in "[(", link.prov.span
    inst = {(f.ref.body, f.ref.number) for f in facts.items if isinstance(f, InstrumentFact)}
    assert {("A", "55/25"), ("A", "79/183"), ("E", "2025/14")} <= inst
    assert ("CTOC/COP", "55/25") not in inst


def test_working_group_agenda_instruments_belong_to_the_conference() -> None:
    _, facts = _facts("en-ctoc-html")
    assert facts.source.symbol == "CTOC/COP/WG.3/2026/1"
    inst = {(f.ref.body, f.ref.kind, f.ref.number) for f in facts.items if isinstance(f, InstrumentFact)}
    assert inst == {("CTOC/COP", "decision", "3/2"), ("CTOC/COP", "resolution", "12/2")}
    meetings = {(f.ref.body, f.ref.number, str(f.start)) for f in facts.items
                if isinstance(f, MeetingFact) and f.start}
    assert meetings == {("CTOC/COP/WG.3", 15, "2025-06-09")}


def test_registry_lists_agenda_extractor_and_falls_back(tmp_path: Path) -> None:
    assert "agenda" in [e.name for e in extractors()]
    p = tmp_path / "note.txt"
    p.write_text("A short note that cites A/RES/80/1 and nothing else.\n", encoding="utf-8")
    facts = extract(load_source(p))
    assert facts.warnings and "note.txt" in facts.warnings[0] and "no recognisable structure" in facts.warnings[0]
    assert [f.ref.symbol for f in facts.items if isinstance(f, DocumentFact)] == ["A/RES/80/1"]


def test_chinese_rules_generalise_to_another_conference() -> None:
    """A Chinese CAC/COSP-style agenda (numbered first page, "缔约国会议" as self-reference)."""
    from mandategraph.core.facts import DeadlineFact

    _, facts = _facts("zh-cosp-annotated-agenda")
    assert facts.source.symbol == "CAC/COSP/2027/1" and facts.source.language == "zh"
    inst = {(f.ref.body, f.ref.kind, f.ref.number) for f in facts.items if isinstance(f, InstrumentFact)}
    assert inst == {("CAC/COSP", "decision", "11/2"), ("CAC/COSP", "resolution", "1/4"),
                    ("CAC/COSP", "resolution", "2/3"), ("CAC/COSP", "resolution", "11/4"),
                    ("CAC/COSP", "resolution", "11/6"), ("A", "resolution", "58/4")}
    meetings = {(f.ref.body, f.ref.number, str(f.start), str(f.end)) for f in facts.items
                if isinstance(f, MeetingFact) and f.start}
    assert meetings == {("CAC/COSP/WG.2", 18, "2026-06-05", "2026-06-07"),
                        ("CAC/COSP/WG.2", 19, "2027-06-02", "2027-06-03")}
    rels = {(r.subject.number, r.predicate, r.object.key) for r in facts.items
            if isinstance(r, Relation) and r.predicate in ("establishes", "makesPermanent")}
    assert rels == {("1/4", "establishes", "CAC/COSP/WG.2"), ("2/3", "makesPermanent", "CAC/COSP/WG.2")}
    fulfilled = {(r.subject.instrument.number, r.subject.local, r.object.symbol) for r in facts.items
                 if isinstance(r, Relation) and r.predicate == "fulfilledBy"}
    assert fulfilled == {("11/4", "compilation-s12", "CAC/COSP/2027/CRP.3")}
    statuses = {(f.ref.instrument.number, f.ref.local, f.status) for f in facts.items
                if isinstance(f, MandateFact) and f.status != "open"}
    assert statuses == {("11/6", "report-s12", "oral-report"), ("11/4", "study-1", "not-carried-out"),
                        ("11/4", "study-2", "not-carried-out")}
    assert [str(f.date) for f in facts.items if isinstance(f, DeadlineFact)] == ["2027-11-29"]
    s11 = [f for f in facts.items if isinstance(f, SessionFact) and f.ref.number == 11 and f.start]
    assert s11 and (str(s11[0].start), s11[0].place) == ("2025-12-15", "多哈")


def test_the_agenda_date_is_proven_by_its_own_words() -> None:
    """The annotated agenda's date quotes "16 July 2024", not the symbol or title line."""
    seed = next((Path(__file__).resolve().parent.parent / "data" / "seeds").glob("*.txt"))
    facts = extract(load_source(seed))
    g = build_graph(facts, Iris(BASE)).graph()
    rows = sorted((str(r.d), str(r.exact), str(r.rule)) for r in g.query(DATE_QUOTES))
    assert ("2024-07-16", "16 July 2024", "zh.agenda.date") in rows
    assert all(exact[:2].isdigit() and len(exact) < 25 for _, exact, _ in rows)
