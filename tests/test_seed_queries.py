"""Named queries over the seed (Chinese CTOC/COP/2024/1) built into an in-memory store.

Ground truth: tests/data/seed-truth.json (made by hand from the seed). Besides the assertions,
a quality report (precision/recall of symbols, instrument body+kind accuracy, mandate link
precision/recall) is printed on every run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mandategraph.extract import extract
from mandategraph.core.facts import Relation
from mandategraph.ingest.load import load_source
from mandategraph.pipeline.batch import build_paths
from mandategraph.query import run
from mandategraph.store.factory import open_store

TRUTH = json.loads((Path(__file__).parent / "data" / "seed-truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def store(seed_path, tmp_path_factory):
    # the pipeline reads folders or files; build the seed file alone
    st = open_store(None)
    report = build_paths([seed_path], st)
    mine = [e for e in report.errors if e.path.endswith(seed_path.name)]
    assert not mine, mine
    assert len(report.built) == 1
    yield st
    st.close()


def rows(store, name, **params):
    res = run(store, name, params)
    return [{k: (None if v is None else str(v)) for k, v in zip(res.vars, row)} for row in res.rows]


def _pr(pred: set, truth: set) -> tuple[float, float]:
    tp = len(pred & truth)
    return (tp / len(pred) if pred else 1.0), (tp / len(truth) if truth else 1.0)


# --------------------------------------------------------------------------- documents


def test_all_19_symbols_with_their_agenda_items(store):
    got: dict[str, set[str]] = {}
    for r in rows(store, "documents"):
        got.setdefault(r["symbol"], set())
        if r["agendaItem"]:
            got[r["symbol"]].add(r["agendaItem"])
            assert r["session"] == "12", r
    want = {k: set(v) for k, v in TRUTH["documents"].items()}
    assert set(got) == set(want)
    assert got == want


def test_joint_symbol_is_one_document(store):
    syms = {r["symbol"] for r in rows(store, "documents")}
    assert "E/CN.7/2024/17" in syms and "E/CN.15/2024/18" not in syms


# --------------------------------------------------------------------------- instruments


def test_26_instruments_with_body_and_kind(store):
    got = {(r["body"], r["kind"], r["number"]) for r in rows(store, "instruments")}
    want = {tuple(x) for x in TRUTH["instruments"]}
    assert got == want
    # decision 6/3 and resolution 6/3 are two instruments; 55/25 is the General Assembly's
    assert ("CTOC/COP", "decision", "6/3") in got and ("CTOC/COP", "resolution", "6/3") in got
    assert ("A", "resolution", "55/25") in got and ("CTOC/COP", "resolution", "55/25") not in got


# --------------------------------------------------------------------------- working groups


def test_five_working_groups_with_their_ten_meetings(store):
    found = rows(store, "meetings")
    by = {(r["series"], int(r["number"])): r for r in found}
    n = 0
    for series, wg in TRUTH["working_groups"].items():
        for number, (start, end) in wg["meetings"].items():
            r = by[(series, int(number))]
            assert (r["start"], r["end"]) == (start, end), r
            assert r["body"] == wg["name"]
            assert r["dialogue"] == wg["dialogues"][number], r
            n += 1
    assert n == 10
    assert {r["series"] for r in found} == set(TRUTH["working_groups"])


def test_earlier_meetings_each_group_numbers_its_own(store):
    by = {(r["series"], int(r["number"])): (r["start"], r["end"]) for r in rows(store, "meetings")}
    for series, meetings in TRUTH["earlier_meetings"].items():
        for number, dates in meetings.items():
            assert by[(series, int(number))] == tuple(dates)
    # meeting 13 of WG.3 and meeting 13 of WG.2 are two meetings (held at the same time)
    assert ("CTOC/COP/WG.3", 13) in by and ("CTOC/COP/WG.2", 13) in by


# --------------------------------------------------------------------------- mandates


def test_mandate_links_to_documents(store):
    got = {(r["body"], r["kind"], r["number"], r["output"]) for r in rows(store, "mandates")
           if r["status"] == "fulfilled" and r["output"]}
    assert got == {tuple(x) for x in TRUTH["mandate_links"]}


def test_oral_reports_and_studies_not_carried_out(store):
    found = rows(store, "mandates")
    oral = {(r["body"], r["kind"], r["number"]) for r in found if r["status"] == "oral-report"}
    assert oral == {tuple(x) for x in TRUTH["oral_reports"]}
    for body, kind, number, count in TRUTH["not_carried_out"]:
        hits = [r for r in found if (r["body"], r["kind"], r["number"]) == (body, kind, number)
                and r["status"] == "not-carried-out"]
        assert len(hits) == count and all(r["requested"] == "study" for r in hits)
    due = {(r["kind"], r["number"], r["due"]) for r in found if r["status"] == "oral-report"}
    assert due == {("resolution", "11/4", "12"), ("decision", "11/2", "12")}


def test_mandated_by_crp3_answers_one_line(store):
    got = rows(store, "mandated-by", symbol="CTOC/COP/2024/CRP.3")
    assert len(got) == 1
    assert (got[0]["body"], got[0]["kind"], got[0]["number"]) == ("CTOC/COP", "resolution", "9/1")
    assert got[0]["paragraphs"] == "annex 53"
    got = rows(store, "mandated-by", symbol="ctoc/cop/2024/5")
    assert [(r["kind"], r["number"]) for r in got] == [("resolution", "7/1")]


# --------------------------------------------------------------------------- facts


@pytest.fixture(scope="module")
def seed_facts(seed_path):
    source = load_source(seed_path)
    return source, extract(source)


def test_groups_established_and_made_permanent(seed_facts):
    _, facts = seed_facts

    def rel(pred):
        return {(r.subject.body, r.subject.kind, r.subject.number, r.object.key)
                for r in facts.items if isinstance(r, Relation) and r.predicate == pred}

    assert rel("establishes") == {tuple(x) for x in TRUTH["established"]}
    assert rel("makesPermanent") == {tuple(x) for x in TRUTH["made_permanent"]}


def test_deadlines_of_the_session(seed_facts):
    from mandategraph.core.facts import DeadlineFact

    _, facts = seed_facts
    got = sorted(str(f.date) for f in facts.items if isinstance(f, DeadlineFact))
    assert got == TRUTH["deadlines"]
    assert all(f.session.number == 12 for f in facts.items if isinstance(f, DeadlineFact))


def test_own_symbol_from_self_reference_and_masthead(seed_facts):
    from mandategraph.core.facts import DocumentFact, SessionFact

    _, facts = seed_facts
    a = TRUTH["agenda"]
    assert facts.source.symbol == a["symbol"] and facts.source.language == "zh"
    own = [f for f in facts.items if isinstance(f, DocumentFact) and f.ref.symbol == a["symbol"]
           and f.date is not None]
    assert len(own) == 1
    d = own[0]
    assert (d.doc_class, str(d.date), str(d.reissue_date), d.original_language, d.distribution) == \
        ("AnnotatedAgenda", a["date"], a["reissue"], a["original"], a["distribution"])
    assert d.prov.rule == "zh.agenda.self-reference"
    assert "临时议程说明" in d.prov.span.quote and a["symbol"] in d.prov.span.quote
    sess = [f for f in facts.items if isinstance(f, SessionFact) and f.ref.number == a["session"]
            and f.start is not None]
    assert sess and (str(sess[0].start), str(sess[0].end), sess[0].place) == (a["start"], a["end"], "维也纳")


def test_every_fact_quotes_the_original_text(seed_facts):
    source, facts = seed_facts
    assert facts.items
    for f in facts.items:
        span = f.prov.span
        assert span is not None, f
        assert source.text[span.start:span.end] == span.quote, f
        assert f.prov.rule.startswith("zh."), f


def test_seed_graph_conforms_to_shapes(seed_facts):
    from mandategraph.build.builder import build_graph
    from mandategraph.build.reference_graph import iter_reference_triples
    from mandategraph.validate.pyshacl_engine import validate_graph

    _, facts = seed_facts
    g = build_graph(facts).graph()
    for t in iter_reference_triples():
        g.add(t)
    outcome = validate_graph(g)
    assert outcome.conforms, outcome.text()[:3000]


# --------------------------------------------------------------------------- quality report


def test_quality_report(store, capsys):
    docs = rows(store, "documents")
    sym_p, sym_r = _pr({r["symbol"] for r in docs}, set(TRUTH["documents"]))
    pairs_pred = {(r["symbol"], r["agendaItem"]) for r in docs if r["agendaItem"]}
    pairs_true = {(s, i) for s, items in TRUTH["documents"].items() for i in items}
    item_p, item_r = _pr(pairs_pred, pairs_true)
    inst = {(r["body"], r["kind"], r["number"]) for r in rows(store, "instruments")}
    truth_inst = {tuple(x) for x in TRUTH["instruments"]}
    numbers = {(n) for _, _, n in truth_inst}
    # accuracy of body and kind over the instruments whose number was found
    right = sum(1 for x in truth_inst if x in inst)
    inst_acc = right / len(truth_inst)
    inst_p, _ = _pr(inst, truth_inst)
    links = {(r["body"], r["kind"], r["number"], r["output"]) for r in rows(store, "mandates")
             if r["output"]}
    link_p, link_r = _pr(links, {tuple(x) for x in TRUTH["mandate_links"]})
    report = "\n".join([
        "",
        "== extraction quality on the seed (CTOC/COP/2024/1, zh) ==",
        f"symbols            precision {sym_p:.3f}  recall {sym_r:.3f}   (target 1.0 / 1.0)",
        f"symbol -> item     precision {item_p:.3f}  recall {item_r:.3f}",
        f"instruments        body+kind accuracy {inst_acc:.3f}  precision {inst_p:.3f}  "
        f"({len(numbers)} numbers; target >= 0.98)",
        f"mandate -> doc     precision {link_p:.3f}  recall {link_r:.3f}   (target >= 0.95 / >= 0.85)",
    ])
    with capsys.disabled():
        print(report)
    assert sym_p == 1.0 and sym_r == 1.0
    assert inst_acc >= 0.98 and inst_p >= 0.98
    assert link_p >= 0.95 and link_r >= 0.85
