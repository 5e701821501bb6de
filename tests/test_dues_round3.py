"""Addressees and due sessions, round 3 of issue #13 (helper "dues").

Golden excerpts typed from development-corpus files (``../shared/corpus/ga-78-80`` or
``data/corpus/pdf``; none is a held-out file of ``tests/gold/heldout.json``), the file and
paragraph named beside each case; one class of wording per test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mandategraph.core.facts import MandateFact, Relation
from mandategraph.extract import extract
from mandategraph.extract.addressee_context import body_in_document, resolve_in_context, title_in_document
from mandategraph.extract.addressees import body_mentions, has_sessions, resolve
from mandategraph.extract.dues import due_sessions
from mandategraph.ingest.load import load_source

ROOT = Path(__file__).resolve().parent.parent


def _dues(action: str, session: int, before: str = "", document: str = "",
          addressee: str | None = None) -> list[tuple[str, int]]:
    key = resolve(addressee).key if addressee else None
    return [(d.body, d.session) for d in due_sessions(
        action, "A", session, body_mentions, addressee_body=key, has_sessions=has_sessions,
        before=before, short_name=(lambda n: body_in_document(n, document)) if document else None)]


# --------------------------------------------------------------------------- due sessions

def test_that_session_is_the_session_named_before_in_the_paragraph() -> None:
    # A_RES_79_84.pdf op. 9
    before = ("Decides to include in the provisional agenda of its eighty-second session the item "
              "entitled “University for Peace”, and ")
    assert _dues("requests the Secretary-General to submit to the General Assembly at that session "
                 "a report on the work of the University", 79, before) == [("A", 82)]
    # A_RES_80_178.pdf op. 88 (the title of the sub-item names a special session: not "that")
    before = ("Decides to include in the provisional agenda of its eighty-first session, under the "
              "item entitled “Social development”, the sub-item entitled “Implementation of the "
              "outcome of the World Summit for Social Development and of the twenty-fourth special "
              "session of the General Assembly”, and ")
    assert _dues("requests the Secretary-General to submit a report on the question to the General "
                 "Assembly at that session", 80, before) == [("A", 81)]
    # nothing named before: no session is guessed; a past one is never due
    assert _dues("to submit a report on the question to the General Assembly at that session", 80) == []
    assert _dues("to report to the General Assembly at that session", 80,
                 "Recalling the debate held at its seventy-ninth session, ") == []


def test_its_after_a_short_name_is_the_body_the_document_names_in_full() -> None:
    # A_RES_78_223.pdf op. 23 (the preamble names the Commission on Crime Prevention and
    # Criminal Justice in full)
    document = ("Recalling ... the Commission on Crime Prevention and Criminal Justice ... 23. Requests "
                "the Secretary-General ... to report thereon to the General Assembly through the "
                "Commission at its thirty-third session")
    action = ("to report thereon to the General Assembly through the Commission at its "
              "thirty-third session")
    assert _dues(action, 78, document=document) == [("E/CN.15", 33)]
    # without the document the short name stands for nothing: "its" is the Assembly's, and its
    # thirty-third session is long past
    assert _dues(action, 78) == []
    # "the Conference of the Parties" is the one Conference the document writes out
    document = "the Conference of the Parties to the United Nations Convention against Transnational Organized Crime"
    assert _dues("to report to the General Assembly at its eightieth session and to the Conference "
                 "of the Parties at its thirteenth session", 79, document=document) == \
        [("A", 80), ("CTOC/COP", 13)]


def test_conduits_respectively_and_past_reports_still_hold() -> None:
    # A_RES_79_206.pdf op. 43: the Secretary-General is a conduit, not a due body
    assert _dues("to report, through the Secretary-General, to the General Assembly at its "
                 "eightieth session, on the work of the Conference of the Parties", 79) == [("A", 80)]
    # A_RES_80_218.pdf op. 32
    assert _dues("to submit to the General Assembly and the Human Rights Council at their "
                 "eighty-second and sixty-sixth sessions, respectively, a comprehensive report", 80) == \
        [("A", 82), ("A/HRC", 66)]
    # A_RES_80_186.pdf op. 43
    assert _dues("to provide an oral report to the Commission on the Status of Women at its "
                 "seventieth and seventy-first sessions and to report to the General Assembly at its "
                 "eighty-second session", 80) == [("E/CN.6", 70), ("E/CN.6", 71), ("A", 82)]


# --------------------------------------------------------------------------- addressees

@pytest.mark.parametrize(("printed", "key", "name"), [
    # A_RES_80_191.pdf op. 9
    ("the Director-General of the World Health Organization", "head:director-general-who",
     "Director-General of the World Health Organization"),
    # A_RES_79_161.pdf op. 54
    ("the President of the Human Rights Council", "head:president-a-hrc", "President of the Human Rights Council"),
    # A_RES_80_207.pdf op. 51 (written out)
    ("the Chair-Rapporteur of the Working Group on the Right to Development",
     "chair-rapporteur:wg-the-right-to-development",
     "Chair-Rapporteur of the Working Group on the Right to Development"),
])
def test_officers_of_a_body(printed: str, key: str, name: str) -> None:
    r = resolve(printed)
    assert (r.key, r.name) == (key, name)


def test_rows_added_this_round() -> None:
    # data/corpus/pdf/A_80_L.25.pdf op. 2: the official, not the Office he heads
    assert resolve("the Emergency Relief Coordinator").key == "erc"
    assert resolve("the Office for the Coordination of Humanitarian Affairs").key == "ocha"
    # A_RES_78_174.pdf op. 73
    assert resolve("the regional commissions").key == "regional-commissions"
    assert not has_sessions("erc") and not has_sessions("regional-commissions")
    # the Secretary-General is never an executive head "of" something else
    assert resolve("the Secretary-General of the United Nations").key == "secretary-general"


def test_short_names_read_in_the_document() -> None:
    # A_RES_78_205.pdf op. 46: the full name carries a footnote mark, and "commends the Special
    # Rapporteur for the activities undertaken" is no second title
    document = ("the report of the Special Rapporteur on the human rights of internally displaced "
                "persons 18 and the conclusions contained therein ... Commends the Special "
                "Rapporteur for the activities undertaken so far ...")
    who = resolve_in_context(resolve("the Special Rapporteur"), document)
    assert who.key == "sr:the-human-rights-of-internally-displaced-persons"
    # A_RES_79_161.pdf op. 10
    document = ("the Ad Hoc Committee on the Elaboration of Complementary Standards to the "
                "International Convention on the Elimination of All Forms of Racial Discrimination")
    who = title_in_document(resolve("the Chair-Rapporteur of the Ad Hoc Committee"), document)
    assert who.key == "chair-rapporteur:hrc-adhoc-complementary"
    # A_RES_79_161.pdf op. 25: two working groups written out, none dominates: kept as printed
    document = ("the Working Group of Experts on People of African Descent ... the Intergovernmental "
                "Working Group on the Effective Implementation of the Durban Declaration and "
                "Programme of Action")
    assert title_in_document(resolve("the Chair of the Working Group"), document).key is None


def test_a_list_of_short_names_gives_each_member_in_full() -> None:
    # A_RES_80_207.pdf op. 51
    document = ("the Working Group on the Right to Development ... the Special Rapporteur on the "
                "right to development; ... the Working Group on its twenty-sixth session")
    who = resolve_in_context(resolve("the Chair-Rapporteur of the Working Group and the Special Rapporteur"),
                             document)
    assert who.key == "chair-rapporteur:wg-the-right-to-development"
    assert who.others == ("sr:the-right-to-development",)
    assert who.text == ("Chair-Rapporteur of the Working Group on the Right to Development and "
                        "Special Rapporteur on the right to development")


def test_a_partly_known_list_is_kept_without_its_articles() -> None:
    # A_RES_80_213.pdf op. 33 (and A_RES_78_210.pdf op. 33)
    who = resolve("all treaty bodies, special procedure mandate holders, international and regional "
                  "human rights mechanisms and the United Nations High Commissioner for Human Rights")
    assert who.key == "treaty-bodies"
    assert who.text == ("treaty bodies, special procedure mandate holders, international and regional "
                        "human rights mechanisms and United Nations High Commissioner for Human Rights")
    # an article inside a name stays ("Latin America and the Caribbean")
    assert "and the Caribbean" in resolve("the Economic Commission for Latin America and the Caribbean "
                                          "and civil society").text


# --------------------------------------------------------------------------- one file, end to end

def _shared() -> Path:
    for p in (ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus",
              Path("/work/shared/corpus")):
        if p.is_dir():
            return p / "ga-78-80"
    return Path("/nonexistent")


def test_that_session_end_to_end() -> None:
    name = "A_RES_79_84.pdf"
    held = json.loads((ROOT / "tests" / "gold" / "heldout.json").read_text(encoding="utf-8"))
    assert name not in held["heldout_resolutions"]
    path = _shared() / name
    if not path.is_file():
        pytest.skip("the shared corpus is not here")
    facts = extract(load_source(path))
    due = {(r.subject.local, r.object.body, r.object.number) for r in facts.items
           if isinstance(r, Relation) and r.predicate == "dueAt"}
    assert ("op-9-2", "A", 82) in due
    m = next(f for f in facts.items if isinstance(f, MandateFact) and f.ref.local == "op-9-2")
    assert m.addressee == "secretary-general"


# --------------------------------------------------------------------------- recurrence

@pytest.mark.parametrize(("text", "term"), [
    # A_RES_80_190.pdf op. 58 (e)
    ("To request the Special Representative of the Secretary-General on Violence against Children "
     "to continue to submit annual reports to the General Assembly and the Human Rights Council", "annually"),
    # A_RES_79_194.pdf op. 34
    ("requests the Secretary-General to continue to submit, as part of his annual reporting on the "
     "progress made", "annually"),
    # A_RES_79_146.pdf op. 34 (the rule set's own forms still come first)
    ("to continue its efforts to biennially convene the Fair Pricing Forum", "biennially"),
    # A_RES_79_161.pdf op. 19, op. 54: an annual session or meeting is no recurrence of an output
    ("to continue to devote at least half of its annual session to the elaboration", None),
    ("to continue to convene annual commemorative meetings of the Assembly", None),
    # A_RES_80_187.pdf op. 92 (spent gold: recurrence null)
    ("Requests the High Commissioner to report on the annual activities of the Office to the "
     "General Assembly at its eighty-first session", None),
])
def test_recurrence_forms(text: str, term: str | None) -> None:
    from mandategraph.extract.dues import recurrence_of
    assert recurrence_of(text) == term


def test_continued_consideration_takes_its_own_sub_item_recurrence() -> None:
    # A_RES_80_190.pdf op. 58: (a) "To continue its consideration of the question at its
    # eighty-second session" is not annual because (e) asks for annual reports
    path = _shared() / "A_RES_80_190.pdf"
    if not path.is_file():
        pytest.skip("the shared corpus is not here")
    facts = extract(load_source(path))
    m = {f.ref.local: f for f in facts.items if isinstance(f, MandateFact)}
    assert m["op-58-a"].recurrence is None
    assert m["op-58-e"].recurrence == "annually"


# --------------------------------------------------------------------------- lists, titles of rows

def test_a_holder_topic_does_not_run_on_over_further_members() -> None:
    # A_RES_79_162.pdf op. 14: the row named in full, then further members
    assert resolve("the Working Group on the use of mercenaries and other experts").key == "wg-mercenaries"
    # A_RES_80_197.pdf op. 37: a holder of a row, then a holder named by its topic
    who = resolve("the Chair of the Committee on the Rights of Persons with Disabilities and the "
                  "Special Rapporteur on the rights of persons with disabilities")
    assert who.key == "chair:crpd" and who.others == ("sr:the-rights-of-persons-with-disabilities",)
    # A_RES_79_161.pdf op. 54
    who = resolve("the President of the General Assembly and the President of the Human Rights Council")
    assert (who.key, who.others) == ("pga", ("head:president-a-hrc",))
    # a topic with a comma of its own stays one holder
    assert resolve("the Special Rapporteur on violence against women, its causes and consequences").key == \
        "sr:violence-against-women-its-causes-and-consequences"


def test_governments_bureaux_and_secretariats_of_a_short_name() -> None:
    # A_RES_79_181.pdf op. 19: the Government of a State is the State (printed words kept)
    who = resolve("the Government of the Democratic People’s Republic of Korea")
    assert who.key == "state:Democratic People's Republic of Korea" and who.says_more
    # A_RES_80_164.pdf op. 22
    assert resolve("the Bureau of the Sixth Committee").key == "bureau:a-c-6"
    # A_RES_79_208.pdf op. 20: "the secretariat of the Convention" in a resolution on the
    # Convention on Biological Diversity (which names the desertification convention too)
    document = ("the Convention on Biological Diversity ... the Convention on Biological Diversity "
                "... the Convention on Biological Diversity ... the United Nations Convention to "
                "Combat Desertification ... invites the secretariat of the Convention, through the "
                "Secretary-General, to report")
    assert title_in_document(resolve("the secretariat of the Convention"), document).key == "cbd-secretariat"
    # two conventions as often: none is guessed
    document = "the Convention on Biological Diversity ... the United Nations Convention to Combat Desertification"
    assert title_in_document(resolve("the secretariat of the Convention"), document).key is None


def test_a_session_named_by_its_year() -> None:
    # A_RES_79_296.pdf op. 5 (the Special Committee on Peacekeeping Operations meets by year)
    document = "the Special Committee on Peacekeeping Operations ... the Special Committee"
    assert _dues("to submit a report to the Special Committee at its 2026 session", 79,
                 document=document) == [("A/AC.121", 2026)]
    # data/corpus/pdf/A_80_L.25.pdf op. 95: through the Council at its 2026 session
    assert _dues("to report to the General Assembly at its eighty-first session, through the "
                 "Economic and Social Council at its 2026 session, on progress made", 80) == \
        [("A", 81), ("E", 2026)]
    # A_RES_80_24.pdf op. 17: a time span, not where an output goes; A_RES_80_66.pdf op. 10:
    # a report "on its 2025 session" is the report's subject; a year before the resolution's
    # session began is past
    assert _dues("to commence its substantive work during its 2026 session", 80) == []
    assert _dues("to submit to the Commission the annual report of the Conference on Disarmament "
                 "on its 2025 session", 80) == []
    assert _dues("to report to the Economic and Social Council at its 2019 session", 80) == []


def test_resumed_and_special_sessions() -> None:
    # a form beside "at the resumed part of its ... session" (typed, not from a corpus file: no
    # development file prints it)
    assert _dues("to report to the General Assembly at its resumed seventy-ninth session", 79) == [("A", 79)]
    # a special session is numbered apart from the regular ones: never a regular session number
    assert _dues("to submit to the General Assembly at its thirty-first special session a report", 79) == []


def test_the_action_is_no_part_of_the_addressee() -> None:
    # data/corpus/pdf/A_RES_80_11.pdf op. 17 (a verb the clause reader does not know)
    who = resolve("the Secretary-General to utilize the Peacebuilding Fund")
    assert who.key == "secretary-general" and not who.says_more
    # data/corpus/pdf/A_RES_80_66.pdf op. 9
    assert not resolve("the Disarmament Commission to dedicate three days of the substantive session "
                       "of 2026").says_more
    # "to" before an article or a name is part of the name (issue #13; A_RES_78_113.pdf op. 4)
    assert resolve("States Parties to the Firearms Protocol").key == "states-parties"
    assert resolve("Member States and relevant observers to the General Assembly").says_more


def test_rows_of_bodies_named_in_data_resolutions() -> None:
    # data/corpus/pdf/A_RES_80_13.pdf op. 3: "the Chair of the Ad Hoc Committee", the document
    # naming "the Ad Hoc Committee on the Indian Ocean"
    document = "the Chair of the Ad Hoc Committee on the Indian Ocean would continue his informal consultations"
    assert title_in_document(resolve("the Chair of the Ad Hoc Committee"), document).key == "chair:a-ac-159"
    # data/corpus/pdf/A_RES_80_53.pdf op. 10: a short name with "and" in it
    document = "Decides to establish the Group of Scientific and Technical Experts on Nuclear Disarmament Verification"
    assert body_in_document("the Group of Scientific and Technical Experts", document) == "gse-ndv"


# --------------------------------------------------------------------------- round 3, helper who2

def _mandates_of(name: str) -> dict[str, MandateFact]:
    held = json.loads((ROOT / "tests" / "gold" / "heldout.json").read_text(encoding="utf-8"))
    assert name not in held["heldout_resolutions"]
    path = _shared() / name
    if not path.is_file():
        pytest.skip("the shared corpus is not here")
    facts = extract(load_source(path))
    return {f.ref.local: f for f in facts.items if isinstance(f, MandateFact)}


def test_a_bare_title_is_the_holder_the_document_is_about() -> None:
    # A_RES_79_181.pdf op. 28: the holder on the country is named in full ten times, another
    # holder once ("the report of the Special Rapporteur on the rights of persons with
    # disabilities on her visit to ..."): the one named three times as often
    document = ("the Special Rapporteur on the situation of human rights in the Democratic People’s "
                "Republic of Korea, ... the Special Rapporteur on the rights of persons with "
                "disabilities on her visit to the Democratic People’s Republic of Korea ... "
                "the Special Rapporteur on the situation of human rights in the Democratic People’s "
                "Republic of Korea so far ... the Special Rapporteur on the situation of human rights "
                "in the Democratic People’s Republic of Korea, such as: ...")
    who = resolve_in_context(resolve("the Special Rapporteur"), document)
    assert who.name == ("Special Rapporteur on the situation of human rights in the Democratic "
                        "People’s Republic of Korea")
    # two holders named as often: none is guessed (A_RES_80_207.pdf names one only)
    document = ("the Special Rapporteur on the right to food ... the Special Rapporteur on the right "
                "to education")
    assert resolve_in_context(resolve("the Special Rapporteur"), document).key is None
    # a topic ends before "in her report", "with all the assistance" (A_RES_80_207.pdf op. 30),
    # not inside "human rights in <a State>" or "persons with disabilities"
    document = ("the Special Rapporteur on the right to development with all the assistance ... the "
                "Special Rapporteur on the right to development in the fulfilment of her mandate")
    assert resolve_in_context(resolve("the Special Rapporteur"), document).key == "sr:the-right-to-development"


def test_those_organizations_are_the_addressee_named_before() -> None:
    from mandategraph.extract.addressee_context import antecedent
    # A_RES_80_122.pdf op. 55: "Invites relevant international organizations and
    # standard-setting bodies to prepare a report ..., and also invites those organizations to
    # present findings ... at the Economic and Social Council forum ..."
    before = resolve("relevant international organizations and standard-setting bodies")
    who = antecedent(resolve("those organizations"), before)
    assert who.text == "relevant international organizations and standard-setting bodies"
    # the noun must be the earlier addressee's: else kept as printed (and flagged)
    assert antecedent(resolve("those organizations"), resolve("the Secretary-General")).text == \
        "those organizations"
    # data/corpus/pdf/A_RES_80_63.pdf op. 4: "Invites the Standing Advisory Committee and the
    # Economic Community of Central African States to continue discussions ..., and urges them to
    # consider how to harmonize their views": "them" are both rows
    pair = resolve("the Standing Advisory Committee and the Economic Community of Central African States")
    assert antecedent(resolve("them"), pair) == pair
    m = _mandates_of("A_RES_80_122.pdf")
    assert m["op-55-2"].addressee_text == "relevant international organizations and standard-setting bodies"


def test_an_insertion_between_dashes_is_no_part_of_the_addressee() -> None:
    # A_RES_79_124.pdf op. 11 (b): "The State in which the violation took place – and, to the
    # extent possible, the State where the alleged offender is present – to report ..."
    assert resolve("The State in which the violation took place – and").text == \
        "State in which the violation took place"


def test_the_producer_named_inside_the_action_is_the_addressee() -> None:
    from mandategraph.extract.addressee_context import producer
    from mandategraph.extract.clauses import is_reporting, output_of

    def out(t: str) -> bool:
        return is_reporting(output_of(t))
    # A_RES_79_124.pdf op. 13 (gold README: the addressee is the producer)
    assert producer("invite States, in the circular note referred to in paragraph 12 (a) above, to "
                    "inform him of their views with respect to any measures needed", out) == "States"
    # A_RES_80_238.pdf op. 25
    assert producer("entrust the Council with including the views of both the Dispute Tribunal and "
                    "the Appeals Tribunal in its report at the future sessions of the General Assembly",
                    out) == "the Council"
    # the one invited is asked for no output: the request stays the addressee's own
    assert producer("invite States to participate in the meeting, and to report to the General "
                    "Assembly", out) is None
    m = _mandates_of("A_RES_79_124.pdf")
    assert m["op-13"].addressee == "member-states"
    m = _mandates_of("A_RES_80_238.pdf")
    assert m["op-25"].addressee == "ijc"


def test_a_short_name_beside_other_members_is_written_in_full() -> None:
    from mandategraph.extract.addressee_context import fullest_form
    # A_RES_79_162.pdf op. 14; op. 1 prints "the Working Group of the Human Rights Council on the
    # use of mercenaries as a means of violating human rights and impeding ..."
    document = ("the Working Group of the Human Rights Council on the use of mercenaries as a means of "
                "violating human rights and impeding the exercise of the right of peoples to "
                "self-determination; ...")
    who = fullest_form(resolve("the Working Group on the use of mercenaries and other experts"), document)
    assert who.key == "wg-mercenaries"
    assert who.text == ("Working Group on the use of mercenaries as a means of violating human rights "
                        "and impeding the exercise of the right of peoples to self-determination and "
                        "other experts")
    # the document does not print the rest of the name: the words as printed
    assert fullest_form(resolve("the Working Group on the use of mercenaries and other experts"),
                        "...").text == "Working Group on the use of mercenaries and other experts"


def test_to_this_end_the_session_the_paragraph_named() -> None:
    # A_RES_79_181.pdf op. 28: both requests after "to this end" are for the examination at the
    # eightieth session
    before = ("Decides to continue its examination of the situation of human rights in the "
              "Democratic People’s Republic of Korea at its eightieth session, and to this end ")
    assert _dues("requests the Secretary-General to submit a comprehensive report on the situation", 79,
                 before) == [("A", 80)]
    before += ("requests the Secretary-General to submit a comprehensive report on the situation, and ")
    assert _dues("requests the Special Rapporteur to continue to report her findings and "
                 "recommendations", 79, before) == [("A", 80)]
    # no "to this end": no session is guessed; a body of its own in the action: its session
    assert _dues("to report her findings", 79, "Decides to continue its examination at its "
                 "eightieth session, and ") == []
    m = _mandates_of("A_RES_79_181.pdf")
    assert m["op-28-3"].addressee.startswith("sr:the-situation-of-human-rights-in-the-democratic")


def test_its_after_a_body_in_a_complement_is_not_that_body() -> None:
    # data/corpus/pdf/A_RES_80_28.pdf op. 6: the Assembly takes the decision, not the Conference
    # on Disarmament whose work is taken into account
    assert _dues("to prepare a report on the continuing operation and relevance of the Register, ..., "
                 "taking into account the work of the Conference on Disarmament, relevant "
                 "deliberations within the United Nations, ..., with a view to taking a decision at "
                 "its eighty-third session", 80) == [("A", 83)]
    # data/corpus/pdf/A_80_L.22.pdf op. 16: guidelines "adopted by the Assembly of the
    # Intergovernmental Oceanographic Commission of the United Nations Educational, Scientific and
    # Cultural Organization at its twenty-second session, in 2003": a past session, none due
    assert _dues("to use the Criteria and Guidelines on the Transfer of Marine Technology adopted by "
                 "the Assembly of the Intergovernmental Oceanographic Commission of the United "
                 "Nations Educational, Scientific and Cultural Organization at its twenty-second "
                 "session, in 2003", 80) == []
    # a body named as the recipient keeps its "its"
    assert _dues("to report to the Human Rights Council at its sixty-first session", 80) == [("A/HRC", 61)]


def test_the_action_after_a_short_name_and_when_doing_so_are_cut() -> None:
    # A_RES_78_223.pdf op. 21 ("accord" is a verb the clause reader does not know): the short
    # name alone, read in the document by the caller
    assert resolve("the Commission to accord sufficient time at its thirty-third session to "
                   "reviewing the progress made").text == "Commission"
    # A_C.3_80_L.55.pdf op. 29
    assert resolve("the Working Group to continue to devote at least half of its annual session to "
                   "this process and").text == "Working Group"
    # A_C.6_80_L.22.pdf op. 3 ("requests the Secretary-General, when doing so, to provide ...")
    assert resolve("the Secretary-General when doing so").key == "secretary-general"
    # a name with "to" in capitals stays whole
    assert resolve("the Convention to Combat Desertification").text == "Convention to Combat Desertification"


def test_a_list_with_to_before_each_member_and_a_session_after_who_is_asked() -> None:
    # A_C.3_80_L.4.pdf op. 6: "Reaffirms its request to the Secretary-General and to the
    # President of the General Assembly, ..., to take all appropriate measures"
    who = resolve("Secretary-General and to the President of the General Assembly")
    assert (who.key, who.others, who.text) == ("secretary-general", ("pga",),
                                               "Secretary-General and President of the General Assembly")
    # A_C.2_80_L.5.pdf op. 58: "requests the President of the General Assembly at its
    # eighty-first session to appoint two co-facilitators"
    who = resolve("the President of the General Assembly at its eighty-first session")
    assert who.key == "pga" and not who.says_more


def test_the_producer_does_not_take_the_askers_own_report() -> None:
    from mandategraph.extract.addressee_context import producer
    from mandategraph.extract.clauses import is_reporting, output_of
    # A_C.3_80_L.34.pdf op. 12: proposals invited, then the Secretary-General's own report
    assert producer("invite Member States and intergovernmental and non-governmental organizations to "
                    "present further practical proposals and ideas, and to submit a comprehensive "
                    "report on the question to the General Assembly at its eighty-second session",
                    lambda t: is_reporting(output_of(t))) is None


def test_a_bare_special_representative_of_the_secretary_general() -> None:
    # A_RES_80_190.pdf ("the Special Representative of the Secretary-General for Children and
    # Armed Conflict" ... "encourages the Special Representative to continue ..."): the title
    # printed with "of the Secretary-General", a topic in capitals that goes on after "and"
    document = ("the Special Representative of the Secretary-General for Children and Armed Conflict "
                "... encourages the Special Representative to continue")
    who = resolve_in_context(resolve("the Special Representative"), document)
    assert who.name == "Special Representative of the Secretary-General for Children and Armed Conflict"


# --------------------------------------------------------------------------- third pass (tuneb)

def test_a_holders_topic_runs_over_a_comma_list_of_adjectives() -> None:
    # A_RES_79_176.pdf preamble and op. 4 (the holder named in full), op. 30 (short name)
    document = ("Reaffirming the mandate of the Special Rapporteur on extrajudicial, summary "
                "or arbitrary executions, as set out in Human Rights Council resolution 53/4, "
                "4. Encourages the Office, particularly the Special Rapporteur on "
                "extrajudicial, summary or arbitrary executions, to initiate an expert-led process "
                "taking into account the recommendations of the Special Rapporteur on "
                "extrajudicial, summary or arbitrary executions in reports to the Council, ")
    who = resolve_in_context(resolve("the Special Rapporteur"), document)
    assert who.name == "Special Rapporteur on extrajudicial, summary or arbitrary executions"
    # the list is not read over a clause that goes on with a verb
    other = ("the Special Rapporteur on the right to food, welcomes the work and calls upon "
             "States, the Special Rapporteur on the right to food, the Special Rapporteur on "
             "the right to food, ")
    assert resolve_in_context(resolve("the Special Rapporteur"), other).name == \
        "Special Rapporteur on the right to food"
