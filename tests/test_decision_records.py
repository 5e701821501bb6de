"""GA decision records as a source kind (issue 14): fields, number forms, mandates, document
links, provenance, bad records, and one node with the decision a resolution cites."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from mandategraph.build.decisions import build_decision
from mandategraph.extract.decisions import RecordError, read_record, record_facts
from mandategraph.core.facts import InstrumentRef, MandateFact, Relation
from mandategraph.pipeline.batch import build_paths
from mandategraph.store.factory import open_store

UN = "https://w3id.org/mandategraph/ontology#"
BASE = "https://w3id.org/mandategraph/"


def record(**over) -> dict:
    r = {
        "_id": "x", "ED_Division": "GA", "ED_DecisionNumber": "71/509", "ED_Type": "Other Decisions",
        "ED_Title": "Report of the\tInternational Court of Justice ", "ED_AgendaItem": "70",
        "ED_Plenary_Committee": "Plenary", "ED_Session": "71st session of the General Assembly",
        "ED_OriginatingBody": "Plenary",
        "ED_DecisionText": "\tAt its 35th plenary meeting, on 27 October 2016, the General Assembly "
                           "took note of the report of the International Court of Justice. \r\n\r\n"
                           "(See A/71/4, A/71/PV.35)",
        "ED_Disclaimer": "The text of this decision is available in all languages in document A/71/49 (Vol. II).",
        "ED_Meeting": [{"ED_Date": "2016-10-27T05:00:00.000Z", "ED_Number": "35th plenary meeting"}],
    }
    r.update(over)
    return r


def write(tmp: Path, name: str, rec: dict | str) -> Path:
    p = tmp / name
    p.write_text(rec if isinstance(rec, str) else json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    return p


def test_fields_cleaned(tmp_path: Path) -> None:
    rec = read_record(write(tmp_path, "71_509.json", record()))
    assert (rec.number, rec.parts, rec.session, rec.type) == ("71/509", (), 71, "Other Decisions")
    assert rec.title == "Report of the International Court of Justice"
    assert rec.agenda_items == ("70",) and rec.originating_body == "Plenary"
    assert [(m.number, m.plenary, m.resumed, m.date) for m in rec.meetings] == \
        [(35, True, False, dt.date(2016, 10, 27))]
    assert rec.errors == []


@pytest.mark.parametrize("raw, number, parts", [
    ("71/405 A and B", "71/405 A and B", ("A", "B")),
    ("73/408 A-C", "73/408 A, B and C", ("A", "B", "C")),
    ("73/547 A, B and C", "73/547 A, B and C", ("A", "B", "C")),
    ("74/547. \t \t ", "74/547", ()),
    ("75/546 ", "75/546", ()),
])
def test_number_forms(tmp_path: Path, raw: str, number: str, parts: tuple) -> None:
    rec = read_record(write(tmp_path, "r.json", record(ED_DecisionNumber=raw,
                                                       ED_Session=f"{raw[:2]}th session of the General Assembly")))
    assert (rec.number, rec.parts) == (number, parts)
    assert [r.number for r in rec.refs] == ([f"{number.split()[0]} {p}" for p in parts] or [number])


@pytest.mark.parametrize("raw, items", [
    ("115(a)", ("115(a)",)), ("3 (a)", ("3(a)",)), ("13 and 72", ("13", "72")),
    ("75c", ("75(c)",)), ("31 b", ("31(b)",)), ("136, 150", ("136", "150")),
    ("136 and 149 to 151", ("136", "149", "150", "151")),
])
def test_agenda_item_forms(tmp_path: Path, raw: str, items: tuple) -> None:
    assert read_record(write(tmp_path, "r.json", record(ED_AgendaItem=raw))).agenda_items == items


@pytest.mark.parametrize("label, number, resumed", [
    ("35th plenary meeting", 35, False), ("3 plenary meeting", 3, False),
    ("48th (resumed) plenary meeting", 48, True), ("56th plenary meeting (resumed)", 56, True),
    ("65thplenary meeting", 65, False), ("1 st plenary meeting", 1, False),
    ("N.A. plenary meeting", None, False), ("N/A plenary meeting", None, False),
])
def test_meeting_forms(tmp_path: Path, label: str, number, resumed: bool) -> None:
    rec = read_record(write(tmp_path, "r.json", record(ED_Meeting=[{"ED_Number": label,
                                                                    "ED_Date": "2021-09-09T04:00:00.000Z"}])))
    assert [(m.number, m.resumed, m.date) for m in rec.meetings] == [(number, resumed, dt.date(2021, 9, 9))]
    assert rec.errors == []


MANDATES = [
    ("At its 63rd plenary meeting, on 4 September 2020, the General Assembly decided to include the "
     "item entitled \u201cSeventy-fifth anniversary of the end of the Second World War\u201d in the draft "
     "agenda of its seventy-fifth session.", "agenda-inclusion", 75,
     "Seventy-fifth anniversary of the end of the Second World War"),
    ("the General Assembly decided to include in the provisional agenda of its seventy-eighth session, "
     "under the item entitled \u201cGeneral and complete disarmament\u201d, the sub-item entitled "
     "\u201cProblems arising from stockpiles\u201d.", "agenda-inclusion", 78, "Problems arising from stockpiles"),
    ("the General Assembly decided to defer consideration of the item entitled \u201cSpace as a driver of "
     "sustainable development\u201d and to include it in the draft agenda of its seventy-sixth session.",
     "deferral", 76, "Space as a driver of sustainable development"),
    ("the General Assembly decided to defer a decision on the request for observer status for the Union "
     "in the Assembly until the seventy-second session of the Assembly.", "deferral", 72,
     "the request for observer status for the Union in the Assembly"),
]


@pytest.mark.parametrize("text, kind, session, title", MANDATES)
def test_mandates_of_the_text(tmp_path: Path, text: str, kind: str, session: int, title: str) -> None:
    facts = record_facts(read_record(write(tmp_path, "r.json", record(ED_DecisionText=text))))
    mandates = [f for f in facts.items if isinstance(f, MandateFact)]
    assert len(mandates) == 1
    m = mandates[0]
    assert m.ref.local.startswith(kind) and m.status == "planned"
    due = [f for f in facts.items if isinstance(f, Relation) and f.predicate == "dueAt"]
    assert [d.object.number for d in due] == [session]
    planned = [f for f in facts.items if type(f).__name__ == "PlannedItemFact"]
    assert [p.title for p in planned] == [title]
    # provenance: rule names the field, offsets are in the field's value
    assert m.prov.rule == "decision-record.ED_DecisionText"
    assert text[m.prov.span.start:m.prov.span.end] == m.prov.span.quote
    assert m.prov.span.quote.startswith("decided to")


def test_document_links(tmp_path: Path) -> None:
    text = ("At its 53rd plenary meeting, on 6 December 2016, the General Assembly, on the "
            "recommendation of the Fourth Committee, took note of the report of the Secretary-General "
            "(A/71/300). \r\n(See A/71/503, para. 5; A/71/PV.53)")
    facts = record_facts(read_record(write(tmp_path, "r.json", record(ED_DecisionText=text))))
    rel = {(f.predicate, f.object.symbol) for f in facts.items
           if isinstance(f, Relation) and hasattr(f.object, "symbol")}
    assert ("takesNoteOf", "A/71/300") in rel
    assert ("adoptedOnReportOf", "A/71/503") in rel
    assert ("cites", "A/71/PV.53") in rel
    assert ("recordedIn", "A/71/PV.35") in rel  # from ED_Meeting
    assert not any(p == "takesNoteOf" and s in ("A/71/503", "A/71/PV.53") for p, s in rel)


def test_built_graph_is_the_gas_decision_and_parts(tmp_path: Path) -> None:
    p = write(tmp_path, "74_402_A_and_B.json", record(ED_DecisionNumber="74/402 A and B",
                                                      ED_Session="74th session of the General Assembly",
                                                      ED_Type="Elections and Appointments"))
    built, errors = build_decision(p)
    assert errors == []
    for part in ("A", "B"):
        iri = f"<{BASE}instrument/ga/decision/74-402-{part}>"
        assert f"{iri} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{UN}Decision> ." in built.nt
        assert f'{iri} <{UN}decisionType> "Elections and Appointments" .' in built.nt
        assert f'{iri} <{UN}number> "74/402 {part}" .' in built.nt
    assert f"<{BASE}graph/file/74_402_A_and_B.json>" == f"<{built.graph_iri}>"


def test_bad_records_reported_by_file_and_field_rest_goes_in(tmp_path: Path) -> None:
    d = tmp_path / "recs"
    d.mkdir()
    write(d, "71_509.json", record())
    write(d, "71_510.json", record(ED_DecisionNumber="71/510", ED_AgendaItem="seventy"))
    write(d, "71_511.json", record(ED_DecisionNumber="no number"))
    write(d, "71_512.json", "{\"ED_DecisionNumber\": \"71/512\", \"ED_Title\": ")  # truncated
    write(d, "71_513.json", record(ED_DecisionNumber="71/513", ED_Session="72nd session of the General Assembly"))
    write(d, "other.json", {"name": "not a record"})
    st = open_store(None)
    rep = build_paths([d], st)
    msgs = [str(e) for e in rep.errors]
    assert any("71_510.json: field ED_AgendaItem" in m and "'seventy'" in m for m in msgs)
    assert any("71_511.json: field ED_DecisionNumber" in m and "not built" in m for m in msgs)
    assert any("71_512.json" in m and "not valid JSON" in m for m in msgs)
    assert any("71_513.json: field ED_Session" in m for m in msgs)
    assert any("other.json: skipped" in w for w in rep.warnings)
    assert sorted(Path(b).name for b in rep.built) == ["71_509.json", "71_510.json", "71_513.json"]
    n = st.select(f"PREFIX un: <{UN}> SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a un:Decision ; un:decisionType ?t }}")
    assert int(n.rows[0][0]) == 3
    named = tmp_path / "named.json"
    named.write_text('{"a": 1}', encoding="utf-8")
    rep2 = build_paths([named], open_store(None))
    assert rep2.errors and "not a decision record" in str(rep2.errors[0])


def test_same_node_as_the_decision_a_resolution_cites(tmp_path: Path) -> None:
    write(tmp_path, "78_560.json", record(ED_DecisionNumber="78/560",
                                          ED_Session="78th session of the General Assembly",
                                          ED_Title="Test decision"))
    res = tmp_path / "A_RES_80_900.txt"
    res.write_text("United Nations A/RES/80/900\nGeneral Assembly Distr.: General\n2 December 2025\n"
                   "Eightieth session Agenda item 7\nTest item\n"
                   "Resolution adopted by the General Assembly on 1 December 2025\n"
                   "[without reference to a Main Committee (A/80/L.99)]\n80/900. Test resolution\n"
                   "The General Assembly,\nRecalling its decision 78/560 of 13 August 2024,\n"
                   "1. Decides to continue.\n", encoding="utf-8")
    st = open_store(None)
    rep = build_paths([tmp_path], st)
    assert not rep.errors, rep.errors
    q = (f"PREFIX un: <{UN}> SELECT DISTINCT ?i WHERE {{ ?r un:recalls ?i . ?i un:decisionType ?t }}")
    assert [str(r[0]) for r in st.select(q).rows] == [f"{BASE}instrument/ga/decision/78-560"]


def test_record_error_is_raised_for_unusable_number(tmp_path: Path) -> None:
    with pytest.raises(RecordError, match="ED_DecisionNumber"):
        read_record(write(tmp_path, "r.json", record(ED_DecisionNumber="")))
    assert InstrumentRef("A", "decision", "71/509") in read_record(write(tmp_path, "s.json", record())).refs
