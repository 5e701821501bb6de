"""Addressees, due sessions and the bodies of cited instruments (#13, helper "who").

Golden excerpts typed from the development corpus (``../shared/corpus/ga-78-80``; the file of
each is named; none is a held-out file of ``tests/gold/heldout.json``) or quoted in
issue #13, one per form; then properties over the development corpus (the shared corpus minus
every held-out file: these tests run the extractor, so they never open a held-out PDF).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from mandategraph.core.facts import BodyFact, InstrumentRef, MandateFact, Relation, SessionRef
from mandategraph.core.reference import bodies
from mandategraph.extract import extract
from mandategraph.extract.addressee_context import body_in_document, resolve_in_context, title_in_document
from mandategraph.extract.addressees import ambiguous_aliases, body_mentions, has_sessions, resolve
from mandategraph.extract.clauses import read_clauses
from mandategraph.extract.dues import due_sessions
from mandategraph.extract.lang.en_resolution import RULES as R
from mandategraph.extract.res_instruments import UNSTATED, find_instruments
from mandategraph.ingest.load import load_source
from corpus_paths import SHARED, heldout

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- addressees

@pytest.mark.parametrize(("printed", "key"), [
    # issue #13: the forms named there
    ("the Secretary-General", "secretary-general"),  # a person and office, not the Secretariat
    ("the Statistical Commission", "E/CN.3"),
    ("the General Committee", "A/BUR"),
    ("the Main Committees", "ga-main-committees"),
    ("the President of the General Assembly", "pga"),
    ("the secretariat of the United Nations Conference on Trade and Development", "unctad-secretariat"),
    ("the secretariat of the United Nations Framework Convention on Climate Change", "unfccc-secretariat"),
    ("the Office for the Coordination of Humanitarian Affairs", "ocha"),
    ("Member States", "member-states"),
    ("States", "member-states"),
    # "Urges States Parties to the Firearms Protocol": States parties, never a Conference
    ("States Parties to the Firearms Protocol", "states-parties"),
    # A_RES_78_100.pdf op. 5 (f) and A_RES_79_162.pdf op. 21 (the Working Group's short name)
    ("the Department of Global Communications", "dgc"),
    ("the Working Group on the use of mercenaries", "wg-mercenaries"),
    # groups of actors (un:ActorGroup)
    ("the United Nations system", "un-system"),
    ("all relevant entities of the United Nations development system", "unds"),  # A_RES_79_226.pdf
    ("the international community", "international-community"),  # A_RES_78_137.pdf
    ("civil society", "civil-society"),
    ("regional organizations", "regional-organizations"),
    ("the administering Power", "administering-powers"),  # A_RES_78_89.pdf
])
def test_addressee_rows(printed: str, key: str) -> None:
    who = resolve(printed)
    assert who is not None and who.key == key, (printed, who)


@pytest.mark.parametrize(("printed", "key", "text"), [
    # A_RES_78_102.pdf op. 20: a qualifier after a group keeps the group and the words
    ("the States referred to in paragraphs 18 and 19 above", "member-states",
     "States referred to in paragraphs 18 and 19 above"),
    # A_RES_78_68.pdf: a modifier before the group's name
    ("coastal States", "member-states", "coastal States"),
    # A_RES_79_206.pdf op. 23
    ("developed country parties", "parties", "developed country parties"),
    # A_RES_78_113.pdf op. 4: a row and words of no row
    ("Member States and relevant observers to the General Assembly", "member-states",
     "Member States and relevant observers to the General Assembly"),
])
def test_printed_words_are_kept_beside_the_row(printed: str, key: str, text: str) -> None:
    who = resolve(printed)
    assert (who.key, who.text, who.says_more) == (key, text, True)
    assert who.collective


def test_a_list_of_rows_is_one_addressee_per_member_without_their_articles() -> None:
    # A_RES_79_126.pdf op. 21
    who = resolve("International Court of Justice, the United Nations Commission on International "
                  "Trade Law and the International Law Commission")
    assert (who.key, who.others) == ("icj", ("A/CN.9", "A/CN.4"))
    assert who.text == ("International Court of Justice, United Nations Commission on International "
                        "Trade Law and International Law Commission")
    # A_RES_78_100.pdf op. 5 (f)
    who = resolve("Department of Global Communications and the Department of Political and "
                  "Peacebuilding Affairs")
    assert (who.key, who.others, who.collective) == ("dgc", ("dppa",), False)
    # A_RES_80_191.pdf op. 29: the last member may be a mandate holder named by its topic
    who = resolve("the Expert Mechanism on the Rights of Indigenous Peoples, the Permanent Forum on "
                  "Indigenous Issues and the Special Rapporteur on the rights of Indigenous Peoples")
    assert (who.key, who.others) == ("emrip", ("E/C.19", "sr:the-rights-of-indigenous-peoples"))
    assert who.holders == (("sr:the-rights-of-indigenous-peoples",
                            "Special Rapporteur on the rights of Indigenous Peoples", "Official"),)
    # a name with "and" inside it is one row, not a list
    assert resolve("the Department of Economic and Social Affairs").others == ()


def test_a_state_named_is_the_state_node_the_sponsors_use() -> None:
    # A_RES_78_221.pdf op. 7, A_RES_78_170.pdf op. 5, A_RES_80_221.pdf op. 17
    assert resolve("the Russian Federation").key == "state:Russian Federation"
    who = resolve("Israel, the occupying Power")
    assert (who.key, who.says_more, who.collective) == ("state:Israel", True, True)
    assert resolve("Myanmar").name == "Myanmar"


@pytest.mark.parametrize("printed", ["the Steering Committee", "financial regulators",
                                     "the Intergovernmental Working Group"])
def test_an_addressee_of_no_row_is_kept_as_written(printed: str) -> None:
    who = resolve(printed)
    assert who.key is None and who.text == printed.removeprefix("the ")


def test_mandate_holders_by_topic() -> None:
    # A_RES_80_210.pdf ("the Special Rapporteur on the right to food")
    assert resolve("the Special Rapporteur on the right to food").key == "sr:the-right-to-food"
    # issue #13 ("the Independent Expert ... on ...")
    assert resolve("the Independent Expert on the enjoyment of all human rights by older "
                   "persons").key == "ie:the-enjoyment-of-all-human-rights-by-older-persons"
    # A_RES_80_190.pdf (the treaty body's Chair needs the body's row)
    assert resolve("the Chair of the Committee on the Rights of the Child").key == "chair:crc"
    # A_RES_80_190.pdf, A_RES_80_221.pdf
    assert resolve("the Special Representative of the Secretary-General for Children and Armed "
                   "Conflict").key == "srsg:children-and-armed-conflict"


def test_short_names_resolved_in_the_document_never_to_the_nearest_body() -> None:
    # A_RES_80_187.pdf op. 92: "requests the High Commissioner to ..." in a resolution that
    # names the High Commissioner and the Office built on that name
    doc = ("the Office of the United Nations High Commissioner for Refugees ... the United "
           "Nations High Commissioner for Refugees ... requests the High Commissioner to report")
    assert body_in_document("the High Commissioner", doc) == "hcr"
    assert body_in_document("the Office", doc) == "unhcr"
    assert body_in_document("the Office of the High Commissioner", doc) == "unhcr"
    # two offices written out as often: "the Office" stays as written (flagged), no guess
    two = doc + " the Office for the Coordination of Humanitarian Affairs"
    assert body_in_document("the Office", two) is None
    # A_RES_78_229.pdf: the resolution names UNODC in full many times, another Office once
    doc = "the United Nations Office on Drugs and Crime ... " * 4 + "the Office of Counter-Terrorism"
    assert body_in_document("the Office", doc) == "unodc"
    # "the United Nations" is the Organization, not a short name of "States Members of the
    # United Nations" or of "the United Nations Office on Drugs and Crime" (A_RES_78_229.pdf)
    assert body_in_document("the United Nations", doc + " States Members of the United Nations") is None
    # A_RES_78_83.pdf: "the Chair of the Special Committee" in a resolution on decolonization
    doc = ("Special Committee on the Situation with regard to the Implementation of the "
           "Declaration on the Granting of Independence to Colonial Countries and Peoples")
    who = title_in_document(resolve("the Chair of the Special Committee"), doc)
    assert who.key == "chair:a-ac-109" and who.text == "Chair of the Special Committee"
    # the bare title of a mandate holder named in full once (A_RES_79_267.pdf)
    doc = "the Special Rapporteur on the right to education ... the Special Rapporteur"
    assert resolve_in_context(resolve("the Special Rapporteur"), doc).key == "sr:the-right-to-education"


def test_every_row_has_a_source_and_groups_meet_in_no_session() -> None:
    for key, b in bodies().items():
        assert b.source.strip(), key
        if b.cls in ("StateGroup", "ActorGroup", "Official", "Secretariat"):
            assert not has_sessions(key), key
    # a generic alias that begins several names names no session body on its own
    assert "conference of the parties" in ambiguous_aliases("en")
    assert "human rights council" not in ambiguous_aliases("en")
    assert body_mentions("the Conference at its second session") == []


# --------------------------------------------------------------------------- due sessions

def _dues(action: str, session: int, addressee: str | None = None) -> list[tuple[str, int]]:
    key = resolve(addressee).key if addressee else None
    return [(d.body, d.session) for d in due_sessions(action, "A", session, body_mentions,
                                                       addressee_body=key, has_sessions=has_sessions)]


def test_due_sessions_of_each_body_named() -> None:
    # issue #13
    assert _dues("to present an oral report to the Commission on the Status of Women at its "
                 "sixty-eighth and sixty-ninth sessions and to report to the General Assembly at "
                 "its eightieth session", 78) == [("E/CN.6", 68), ("E/CN.6", 69), ("A", 80)]


def test_past_sessions_are_not_due() -> None:
    # A_RES_79_162.pdf op. 15: a report submitted to another body in the past
    assert _dues("to continue its work ..., taking into account the proposal ... drafted by the "
                 "Special Rapporteur ... in his report submitted to the Commission on Human "
                 "Rights at its sixtieth session", 79, "Working Group on the use of mercenaries") == []
    # "to be submitted" is still due (A_RES_78_6.pdf)
    assert _dues("to include in the report to be submitted to the General Assembly at its "
                 "seventy-ninth session information", 78) == [("A", 79)]


def test_its_after_an_office_or_a_new_clause_of_the_assembly_is_the_assembly() -> None:
    # A_RES_80_191.pdf op. 60: the President has no sessions of its own
    assert _dues(", at its eighty-first session, to conduct open-ended consultations", 80,
                 "President of the General Assembly") == [("A", 81)]
    # A_RES_78_113.pdf op. 2
    assert _dues("continue its consideration of the scope and application of universal "
                 "jurisdiction, and for this purpose reiterates its decision to establish, at its "
                 "seventy-ninth session, a working group", 78, "Sixth Committee") == [("A", 79)]
    # A_RES_78_102.pdf op. 26: the Committee named is where the report goes
    assert _dues("to report to the Sixth Committee on available victim assistance and support "
                 "during the briefing at its seventy-ninth session", 78) == [("A/C.6", 79)]


def test_a_part_of_its_session_and_a_deadline_session() -> None:
    # A_RES_79_235.pdf op. 11, A_RES_80_197.pdf op. 43, A_RES_80_242.pdf op. 78
    assert _dues("to submit the final text of the framework convention ... to the General "
                 "Assembly for its consideration in the first quarter of its eighty-second "
                 "session", 79) == [("A", 82)]
    assert _dues("to submit to the General Assembly, prior to the start of its eighty-second "
                 "session, a comprehensive report", 80) == [("A", 82)]
    assert _dues("to provide the outcome of the review for the consideration of the General "
                 "Assembly at the main part of its eighty-first session", 80) == [("A", 81)]
    # A_RES_79_194.pdf op. 13
    assert _dues("to report on its progress to the General Assembly, by no later than the "
                 "eighty-first session", 79) == [("A", 81)]
    # A_RES_79_204.pdf op. 13: "made" before "for consideration by ..." is not a past report
    assert _dues("to submit to the Secretary-General a report on the progress made in the "
                 "implementation of the present resolution, for consideration by the General "
                 "Assembly at its eighty-first session", 79) == [("A", 81)]
    # data/ A/RES/80/1 (plenary draft), A_C.5_80_L.2.pdf op. 6: a time span is not where work
    # is due
    assert _dues("shall apply only during the eightieth session", 80) == []
    assert _dues("shall be permitted to vote in the General Assembly until the end of its "
                 "eightieth session", 80) == []


def test_recurrence_and_clause_reader_agree_on_an_excerpt() -> None:
    # A_RES_79_206.pdf op. 31
    c = read_clauses("Invites the secretariat of the United Nations Framework Convention on Climate "
                     "Change to report, through the Secretary-General, to the General Assembly at "
                     "its eightieth session, on the work of the Conference of the Parties")[0]
    assert resolve(c.addressee).key == "unfccc-secretariat"
    assert _dues(c.action, 79, c.addressee) == [("A", 80)]


# --------------------------------------------------------------------------- instrument bodies

def _bodies_of(text: str, own_session: int = 79) -> dict[str, str]:
    return {ref.number: ref.body.split("\x00")[0] for _, _, ref, _ in
            find_instruments(text, R, "A", own_session)}


def test_body_after_the_last_number_of_a_dated_list() -> None:
    # A_RES_78_169.pdf pp.
    got = _bodies_of("Recalling resolutions 5/14 of 2 March 2022, entitled “End plastic pollution: "
                     "towards an international legally binding instrument”, 4/6 of 15 March 2019, "
                     "entitled “Marine plastic litter and microplastics”, and 4/9 of 15 March 2019, "
                     "entitled “Addressing single-use plastic products pollution”, adopted by the "
                     "United Nations Environment Assembly of the United Nations Environment "
                     "Programme,", 78)
    assert got == {"5/14": "UNEP/EA", "4/6": "UNEP/EA", "4/9": "UNEP/EA"}


def test_body_of_the_plural_the_list_is_drawn_from() -> None:
    # A_RES_79_162.pdf pp. 1
    got = _bodies_of("Recalling all of its previous resolutions on the subject, including resolution "
                     "78/191 of 19 December 2023, and Human Rights Council resolutions on the "
                     "subject, including resolution 57/8 of 9 October 2024,")
    assert got == {"78/191": "A", "57/8": "A/HRC"}


def test_a_generic_alias_or_a_title_names_no_adopting_body() -> None:
    # A_RES_79_206.pdf: "the Conference of the Parties to the Convention" is not a row's name;
    # the UNFCCC numbering decides
    got = _bodies_of("recalls decision 2/CP.23 of the Conference of the Parties to the Convention "
                     "on the Platform’s purpose and functions and decision 16/CP.26 of the "
                     "Conference of the Parties on the continuation of the mandate")
    assert got == {"2/CP.23": "FCCC/CP", "16/CP.26": "FCCC/CP"}
    # A_C.2_80_L.36.pdf: "the Conference of the Parties" alone: not stated (never CTOC/COP)
    got = _bodies_of("in line with decision 15/6 of 19 December 2022 adopted at the fifteenth "
                     "meeting of the Conference of the Parties;", 80)
    assert got == {"15/6": UNSTATED}
    # A_RES_78_127.pdf: words of the quoted title are not the adopting body
    got = _bodies_of("and resolution 76/131 of 16 December 2021, entitled “Fiftieth anniversary of "
                     "the United Nations Volunteers programme and twentieth anniversary of the "
                     "International Year of Volunteers”,", 78)
    assert got == {"76/131": "A"}


def test_body_named_after_the_numbers() -> None:
    # A_RES_80_149.pdf op. 9
    got = _bodies_of("notes decisions 22/1 and 22/2 adopted by the High-level Committee on "
                     "South-South Cooperation at its twenty-second session", 80)
    assert got == {"22/1": "SSC", "22/2": "SSC"}
    # A_C.3_80_L.2.pdf pp.: a body before the plural, YYYY/NN numbers that are not ECOSOC's
    got = _bodies_of("Recalling the provisions of Commission on Human Rights resolutions 2004/16 of "
                     "16 April 2004 and 2005/5 of 14 April 2005", 80)
    assert got == {"2004/16": "E/CN.4", "2005/5": "E/CN.4"}


def test_its_with_another_bodys_numbering_and_world_health_assembly_numbers() -> None:
    # A_RES_78_170.pdf pp. 21: "the Council in its resolution 1515 (2003)" is the Security
    # Council's (the GA numbers n/m), never a GA copy
    got = _bodies_of("as endorsed by the Council in its resolution 1515 (2003) of 19 November 2003", 78)
    assert got == {"1515 (2003)": "S"}
    # A_RES_78_269.pdf pp. 11, A_RES_79_189.pdf pp. 9
    assert _bodies_of("World Health Assembly resolution 68.7 of 26 May 2015", 78) == {"68.7": "WHA"}
    assert _bodies_of("the sixty-third World Health Assembly in its resolution 63.22 of 21 May "
                      "2010", 79) == {"63.22": "WHA"}
    # the GA's own numbers stay the GA's
    assert _bodies_of("Recalling its resolution 1514 (XV) of 14 December 1960") == {"1514 (XV)": "A"}


# --------------------------------------------------------------------------- development corpus



@pytest.fixture(scope="module")
def development() -> list[tuple[str, object]]:
    """(file name, facts) of every resolution and draft of ga-78-80 that is in no held-out set."""
    held = heldout()
    files = [p for p in sorted((SHARED / "ga-78-80").glob("*.pdf")) if p.name not in held]
    if len(files) < 300:
        pytest.fail(f"the development corpus is not where expected ({SHARED}/ga-78-80): "
                    f"{len(files)} PDFs; set MANDATEGRAPH_SHARED_CORPUS")
    return [(p.name, extract(load_source(p))) for p in files]


@pytest.mark.slow
def test_development_corpus_addressees(development) -> None:
    table = bodies()
    n = unknown = 0
    bad = []
    for name, facts in development:
        named = {f.ref.key for f in facts.items if isinstance(f, BodyFact)}
        for f in facts.items:
            if isinstance(f, MandateFact) and f.verb:
                n += 1
                if f.addressee is None:
                    unknown += 1
                    if not (f.addressee_text and any(f.addressee_text in w for w in facts.warnings)):
                        bad.append((name, f.ref.local, "not flagged"))
            if isinstance(f, Relation) and f.predicate == "addressee" and \
                    f.object.key not in table and f.object.key not in named:
                bad.append((name, f.subject.local, f.object.key))  # a list's members are rows
    assert n > 1000 and not bad, bad[:10]
    # unknown addressees are rare (kept as written, never guessed)
    assert unknown / n < 0.05, (unknown, n)


@pytest.mark.slow
def test_development_corpus_due_sessions_and_instrument_bodies(development) -> None:
    bad = []
    checked = 0
    for name, facts in development:
        m = re.match(r"A_RES_(\d+)_", name)
        own = int(m.group(1)) if m else None
        numbers: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in facts.items:
            if not isinstance(r, Relation):
                continue
            if r.predicate == "dueAt" and isinstance(r.object, SessionRef) and own is not None:
                checked += 1
                if r.object.body == "A" and r.object.number < own:
                    bad.append((name, r.subject.local, "GA", r.object.number))
                if r.object.body in table_no_sessions():
                    bad.append((name, r.subject.local, r.object.body))
            # (a conference's "resolution 1" is read from "Report of the <Conference>, ...,
            # resolution 1" in one footnote: several conferences' resolution 1 are several
            # instruments, each named where it is cited)
            if isinstance(r.object, InstrumentRef) and not r.prov.rule.endswith("footnote-conference"):
                numbers[(r.object.kind, r.object.number)].add(r.object.body)
        for k, found in numbers.items():
            if len(found) > 1:
                bad.append((name, k, sorted(found)))
    assert checked > 250 and not bad, bad[:10]


def table_no_sessions() -> set[str]:
    return {k for k in bodies() if not has_sessions(k)}
