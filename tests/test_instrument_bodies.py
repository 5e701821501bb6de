"""The adopting body of every instrument a GA resolution cites (#13, Extraction III).

Golden cases are excerpts typed from non-held-out files of ``../shared/corpus/ga-78-80/``
(file and paragraph named beside each) or from ``data/``; the property test at the end runs
over the non-held-out corpus files and ``data/`` (the lead runs the whole-corpus one,
``tests/test_corpus_properties.py``).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from mandategraph.core.facts import InstrumentRef, Relation
from mandategraph.core.reference import bodies
from mandategraph.extract import extract
from mandategraph.extract.lang.en_resolution import RULES
from mandategraph.extract.res_antecedents import conference_resolutions, footnote_groups
from mandategraph.extract.res_instruments import DEFAULT, UNSTATED, find_instruments
from mandategraph.ingest.load import load_source
from mandategraph.ingest.source import Source
from corpus_paths import SHARED, heldout

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "corpus" / "pdf"


def _bodies(text: str, session: int = 79) -> dict[str, str]:
    return {ref.number: ref.body for _, _, ref, _ in find_instruments(text, RULES, "A", session)}


# --------------------------------------------------------------------------- body before the number


def test_a_bare_list_goes_on_with_the_named_body_before_it() -> None:
    # A_RES_78_171.pdf pp4 (footnote marks dropped, as in the paragraph text)
    got = _bodies("Recalling also Human Rights Council resolutions 23/13 of 13 June 2013 on attacks "
                  "and discrimination against persons with albinism and 24/33 of 27 September 2013 "
                  "on technical cooperation for the prevention of attacks against persons with "
                  "albinism, as well as resolutions 28/6 of 26 March 2015, 37/5 of 22 March 2018 "
                  "and 46/12 of 23 March 2021 pertaining to the mandate of the Independent Expert", 78)
    assert got == {n: "A/HRC" for n in ("23/13", "24/33", "28/6", "37/5", "46/12")}
    # another body named in between: the list does not go on
    got = _bodies("Recalling Human Rights Council resolution 23/13 of 13 June 2013 and the work of "
                  "the Economic and Social Council, as well as resolutions 70/1 of 25 September 2015")
    assert got["70/1"] != "A/HRC"


def test_a_head_noun_alone_is_the_body_of_that_head_named_before() -> None:
    # A_RES_79_184.pdf op20
    got = _bodies("and to submit for consideration an interim report to the Human Rights Council at its "
                  "fifty-ninth session, to be followed by an interactive dialogue, in accordance with "
                  "Council resolution 53/30 of 14 July 2023;")
    assert got == {"53/30": "A/HRC"}
    # constructed: no council named before -> body not stated, never a GA copy
    assert _bodies("in accordance with Council resolution 53/30 of 14 July 2023;") == {"53/30": UNSTATED}
    # A_RES_78_122.pdf pp9: a longer name the table did not have is not "Assembly" = the GA
    assert _bodies("Recalling United Nations Habitat Assembly resolution 2/3 of 9 June 2023, in which") == \
        {"2/3": "HSP/HA"}


def test_by_the_body_in_resolution() -> None:
    # A_RES_79_208.pdf pp35
    got = _bodies("Welcoming the decision by the United Nations Environment Assembly at its resumed "
                  "fifth session, in resolution 5/14 of 2 March 2022, to convene an intergovernmental "
                  "negotiating committee")
    assert got == {"5/14": "UNEP/EA"}


def test_its_is_the_body_named_before_or_after_when_the_own_body_cannot_have_it() -> None:
    # A_RES_79_208.pdf op47
    got = _bodies("notes the contribution of the United Nations Environment Assembly, as reflected in "
                  "its resolution 2/17 of 27 May 2016, and the outcomes of its fourth session, held in "
                  "Nairobi from 11 to 15 March 2019, in particular its ministerial declaration, and its "
                  "resolution 6/4 of 1 March 2024, and encourages the conferences of the parties")
    assert got == {"2/17": "UNEP/EA", "6/4": "UNEP/EA"}
    # A_RES_80_207.pdf op7: the body right after the list
    got = _bodies("7. Takes note, in this regard, that through its resolution 54/18 of 12 October 2023, "
                  "the Human Rights Council submitted to the General Assembly the draft", 80)
    assert got == {"54/18": "A/HRC"}
    # A_RES_79_96.pdf op13 (and data/ A_RES_80_87.pdf op13): "by the <body> of its resolution"
    got = _bodies("13. Recalls the adoption by the Economic Commission for Latin America and the "
                  "Caribbean of its resolution 574 (XXVII) of 16 May 1998, calling for")
    assert got == {"574 (XXVII)": "LC"}
    # constructed: "its" with a number the GA cannot have and no other body -> not stated
    assert _bodies("Recalling its resolution 6/4 of 1 March 2024,") == {"6/4": UNSTATED}
    # the GA's own numbers stay the GA's
    assert _bodies("Recalling its resolution 78/57 of 4 December 2023,") == {"78/57": "A"}


# --------------------------------------------------------------------------- body after the number


def test_adopted_at_the_meeting_of_after_an_unquoted_title() -> None:
    # A_RES_79_208.pdf op12
    got = _bodies("12. Acknowledges decision 16/2 of 1 November 2024 on the modalities for "
                  "operationalizing the multilateral mechanism for the fair and equitable sharing of "
                  "benefits from the use of digital sequence information on genetic resources, "
                  "including a global fund (referred to as the Cali Fund), adopted at the sixteenth "
                  "meeting of the Conference of the Parties to the Convention on Biological Diversity;")
    assert got == {"16/2": "UNEP/CBD/COP"}


def test_full_name_with_a_misprinted_case() -> None:
    # A_RES_79_133.pdf pp7 ("Transnational organized Crime" as printed)
    got = _bodies("Recalling the adoption of resolution 10/7 of 16 October 2020, entitled “Combating "
                  "transnational organized crime against cultural property”, by the Conference of the "
                  "Parties to the United Nations Convention against Transnational organized Crime at "
                  "its tenth session, held in October 2020,")
    assert got == {"10/7": "CTOC/COP"}


def test_the_conference_of_the_parties_to_the_convention_of_the_document() -> None:
    # A_RES_79_208.pdf op20 (the title names the Convention on Biological Diversity)
    text = ("takes note with appreciation of decisions 15/10 of 10 December 2022 and 16/4 of the "
            "Conference of the Parties to the Convention to develop and adopt a new programme")
    got = {r.number: r.body for _, _, r, _ in find_instruments(text, RULES, "A", 79, "UNEP/CBD/COP")}
    assert got == {"15/10": "UNEP/CBD/COP", "16/4": "UNEP/CBD/COP"}
    # no Convention decided for the document -> not stated
    assert _bodies(text) == {"15/10": UNSTATED, "16/4": UNSTATED}
    # A_C.2_80_L.36.pdf op11: after an unquoted title, "adopted at the ... meeting of"
    text = ("11. Acknowledges decision 16/2 of 1 November 2024 on the modalities for operationalizing "
            "the multilateral mechanism for the fair and equitable sharing of benefits from the use of "
            "digital sequence information on genetic resources, including a global fund (referred to as "
            "the Cali Fund), adopted at the sixteenth meeting of the Conference of the Parties to the "
            "Convention;")
    got = {r.number: r.body for _, _, r, _ in find_instruments(text, RULES, "A", 80, "UNEP/CBD/COP")}
    assert got == {"16/2": "UNEP/CBD/COP"}


def test_more_wordings_of_the_adopting_body() -> None:
    # A_C.3_80_L.4.pdf pp: a list of the Commission that goes on after a title and a comma
    got = _bodies("Recalling also Commission on Crime Prevention and Criminal Justice resolution 27/2 of "
                  "18 May 2018, entitled “Preventing and combating trafficking in persons facilitated by "
                  "the criminal misuse of information and communications technologies”, resolution 27/3 "
                  "of 18 May 2018, entitled “Improving the protection of children”,", 80)
    assert got == {"27/2": "E/CN.15", "27/3": "E/CN.15"}
    # A_RES_78_229.pdf pp: "the adoption by the <body> of resolution"
    got = _bodies("Welcoming the adoption by the Conference of the States Parties to the United Nations "
                  "Convention against Corruption of resolution 9/8 of 17 December 2021 on promoting", 78)
    assert got == {"9/8": "CAC/COSP"}
    # A_RES_79_333.pdf pp: "at the seventy-eighth World Health Assembly"
    got = _bodies("and of the adoption of the WHO Pandemic Agreement through resolution 78.1 on 20 May "
                  "2025 at the seventy-eighth World Health Assembly,")
    assert got == {"78.1": "WHA"}


def test_plain_numbers_of_a_named_conference() -> None:
    # A_RES_79_267.pdf (dev) pp: a conference's plain number, its adopter named after it or before
    got = _bodies("Recalling also section VII, entitled “Supporting the global citizenship agenda through "
                  "education for democracy”, of resolution 1 adopted on 20 November 2013 by the General "
                  "Conference of the United Nations Educational, Scientific and Cultural Organization at "
                  "its thirty-seventh session,")
    assert got == {"1": "unesco-gc"}
    got = _bodies("Sustainable Development adopted on 20 November 2023 by the General Conference of the "
                  "United Nations Educational, Scientific and Cultural Organization at its forty-second "
                  "session in its resolution 16,")
    assert got == {"16": "unesco-gc"}
    # a plain number of no named conference is not read (constructed)
    assert _bodies("Recalling Security Council resolution 2334 and resolution 1, annex,") == {}


# --------------------------------------------------------------------------- number forms


def test_numbers_of_other_bodies_forms() -> None:
    # A_RES_79_55.pdf pp13
    got = _bodies("Recalling resolutions GC(68)/RES/8 and GC(68)/RES/9, adopted on 20 September 2024 by "
                  "the General Conference of the International Atomic Energy Agency")
    assert got == {"GC(68)/RES/8": "iaea-gc", "GC(68)/RES/9": "iaea-gc"}
    # A_RES_80_149.pdf pp15
    assert _bodies("in its resolution GC.18/Res.9 of 7 November 2019,") == {"GC.18/Res.9": "unido-gc"}
    # A_RES_79_65.pdf fn 2 (pp8)
    assert _bodies("A/60/693, annex II, decision EX.CL/Dec.263 (VIII).") == \
        {"EX.CL/Dec.263 (VIII)": "au-ex-cl"}
    # A_RES_78_169.pdf fn 13 (op4): the series of the document symbol, past ", annex,"
    assert _bodies("United Nations Environment Programme, document UNEP/CBD/COP/10/27, annex, "
                   "decision X/2.") == {"X/2": "UNEP/CBD/COP"}
    # A_RES_79_208.pdf pp38
    assert _bodies("document UNEP/CBD/BS/COP-MOP/5/17, annex, decision BS-V/11") == \
        {"BS-V/11": "UNEP/CBD/BS/COP-MOP"}
    # data/ A_80_L.22.pdf fn 148: past ", sect. I,"
    assert _bodies("document CBD/COP/13/25, sect. I, decision XIII/11, annex II.", 80) == \
        {"XIII/11": "UNEP/CBD/COP"}
    # A_RES_80_185.pdf pp20: the Official Records supplement of the Committee's report
    assert _bodies("Official Records of the General Assembly, Sixty-fourth Session, Supplement No. 38 "
                   "(A/64/38), part one, annex I, decision 42/I.", 80) == {"42/I": "CEDAW"}
    # A_RES_79_206.pdf fn 25 (pp25): a range cites the two numbers printed
    assert _bodies("See FCCC/CP/2013/10/Add.1, decisions 9/CP.19 to 15/CP.19; see also FCCC/CP/2013/10") == \
        {"9/CP.19": "FCCC/CP", "15/CP.19": "FCCC/CP"}
    # data/ A_80_L.22.pdf fn 145: a roman-session number in a GA document -> not stated
    assert _bodies("See A/51/312, annex II, decision II/10.", 80) == {"II/10": UNSTATED}


# --------------------------------------------------------------------------- footnotes


def _source(text: str) -> Source:
    """A PDF-like source whose footnote spans start at every line that begins with a digit
    (what the PDF reader gives)."""
    spans, pos = [], 0
    for line in text.split("\r\n"):
        if line[:1].isdigit():
            spans.append((pos, pos + len(line)))
        elif spans:
            spans[-1] = (spans[-1][0], pos + len(line))
        pos += len(line) + 2
    return Source(path="x.pdf", media_type="application/pdf", text=text, norm=text,
                  offsets=list(range(len(text) + 1)), language="en", sha256="", footnotes=spans)


# A_RES_78_146.pdf footnotes 2-4 (pp5), line breaks as printed
FN_78_146 = ("2 See Report of the United Nations Conference on Environment and Development, Rio de Janeiro, \r\n"
             "3–14 June 1992, vol. I, Resolutions Adopted by the Conference (United Nations publication, \r\n"
             "Sales No. E.93.I.8 and corrigendum), resolution 1.\r\n"
             "3 Report of the World Summit on Sustainable Development, Johannesburg, South Africa, \r\n"
             "26 August–4 September 2002 (United Nations publication, Sales No. E.03.II.A.1 and \r\n"
             "corrigendum), chap. I, resolution 2, annex.\r\n"
             "4 Resolution 66/288, annex.")


def test_footnote_lines_that_begin_with_a_number_continue_the_footnote() -> None:
    src = _source(FN_78_146)
    assert len(src.footnotes) == 5  # what the PDF reader gives: "3–14 June" and "26 August" start one
    groups = footnote_groups(src)
    assert [g[0] for g in groups] == ["2", "3", "4"]
    # data/ A_RES_80_70.pdf fn 4: a second line that starts with a Security Council number
    src = _source("4 Including Security Council resolutions 1718 (2006), 1874 (2009), 2094 (2013), 2270 (2016), \r\n"
                  "2321 (2016) and 2375 (2017).\r\n5 Resolution 79/1.")
    assert [g[0] for g in footnote_groups(src)] == ["4", "5"]


def test_conference_resolutions_in_their_reports() -> None:
    src = _source(FN_78_146)
    got = []
    for _, a, b, _ in footnote_groups(src):
        got += [(body, n) for _, _, body, n in conference_resolutions(src.text[a:b], None)]
    assert got == [("unced", "1"), ("wssd", "2")]
    # A_RES_79_206.pdf fn 6 (pp6): "Ibid." after the World Summit's footnote 5
    assert [(b, n) for _, _, b, n in conference_resolutions("6 Ibid., resolution 2, annex.", "wssd")] == \
        [("wssd", "2")]
    assert conference_resolutions("6 Ibid., resolution 2, annex.", None) == []
    # A_RES_79_133.pdf fn 11 (pp9): "<Organization>, Records of the <organ>, ..."
    got = conference_resolutions("11 United Nations Educational, Scientific and Cultural Organization, "
                                 "Records of the General  Conference, Thirty-second Session, Paris, 29 "
                                 "September–17 October 2003, vol. 1, Resolutions,  sect. IV, resolution "
                                 "33, annex.", None)
    assert [(b, n) for _, _, b, n in got] == [("unesco-gc", "33")]
    # a number of another form is not a conference's ("Report of the ..., resolution 27/12")
    assert conference_resolutions("Report of the World Summit for Social Development, Copenhagen, "
                                  "resolution 27/12.", None) == []


def test_data_footnoted_conference_resolutions() -> None:
    """data/ A/80/L.22 fn 6, 13, 165, 166: conference resolutions cited only in footnotes,
    each of its conference (fn 6 and 166 run over two lines that begin with a number)."""
    facts = extract(load_source(DATA / "A_80_L.22.pdf"))
    got = {(r.object.body, r.object.number) for r in facts.items
           if isinstance(r, Relation) and isinstance(r.object, InstrumentRef)
           and r.prov.rule.endswith("footnote-conference")}
    assert got == {("unced", "1"), ("wssd", "2"), ("gcsids", "1"), ("imr-sids", "1")}


# --------------------------------------------------------------------------- property




def _cited(key: str, text: str) -> bool:
    b = bodies().get(key)
    if b is None:
        return False
    low = " ".join(text.lower().split())
    names = [n.removeprefix("the ") for n in (b.name_en, *b.aliases_en) if n]
    return any(n.lower() in low for n in names) or bool(b.series and b.series + "/" in text)


@pytest.mark.slow
def test_one_node_per_real_instrument() -> None:
    """No instrument number is given two bodies in one document unless both bodies are named
    in it (two real instruments: "resolution 1" of two conferences); never "body not stated"
    beside a stated body (unify gives the number its one stated body)."""
    held = heldout()
    files = [p for p in sorted((SHARED / "ga-78-80").glob("*.pdf")) if p.name not in held]
    files += sorted(DATA.glob("*.pdf"))
    assert len(files) > 400, f"the corpus is not where expected ({SHARED}): {len(files)} PDFs"
    bad = []
    for path in files:
        source = load_source(path)
        facts = extract(source)
        refs: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in facts.items:
            for x in ((r.subject, r.object) if isinstance(r, Relation) else ()):
                if isinstance(x, InstrumentRef):
                    refs[(x.kind, x.number)].add(x.body)
        for (kind, number), found in refs.items():
            if len(found) > 1 and any(b == UNSTATED or not _cited(b, source.text) for b in found):
                bad.append((path.name, kind, number, sorted(found)))
    assert not bad, bad[:20]


# --------------------------------------------------------------------------- adoption block

MASTHEAD = """United Nations A/RES/79/900
General Assembly Distr.: General
5 December 2024
Seventy-ninth session Agenda item 105
Crime prevention
Resolution adopted by the General Assembly on {date}
[without reference to a Main Committee (A/79/L.50, para. 45)]
{title}
The General Assembly,
Recalling its resolution 78/1 of 1 December 2023 and Human Rights Council resolution 51/22,
1. Decides to remain seized of the matter.
60th plenary meeting
3 December 2024
"""


@pytest.mark.parametrize("date,title,want_title", [
    ("3 December 2024", "79/900. Synthetic title", "Synthetic title"),
    ("3 December 2024", "", None),  # the number-and-title line missing
    ("3 December 2024", "79/900 Synthetic title", "Synthetic title"),  # its period lost
    ("3 Decmber 2024", "79/900. Synthetic title", "Synthetic title"),  # a misprinted date
    ("31 September 2024", "", None),  # an impossible date, no title line
    ("3 Decmber 2024", "", None),
])
def test_adoption_block_survives_a_broken_title_line_or_date(tmp_path: Path, date: str, title: str,
                                                              want_title: str | None) -> None:
    """A constructed resolution in the layout of the corpus's plenary resolutions (the block
    of A_RES_79_133.pdf, with the "(A/78/520, para. 45)" form of the issue): node, date,
    adoption link and paragraph whatever the title line or the adoption date (then the
    closing meeting's); the instruments it cites keep their bodies."""
    from mandategraph.core.facts import InstrumentFact
    from mandategraph.extract.resolution import parse
    from mandategraph.ingest.source import make_source

    text = MASTHEAD.format(date=date, title=title)
    src = make_source(tmp_path / "A_RES_79_900.txt", "text/plain", text, language="en")
    facts = extract(src)
    own = InstrumentRef("A", "resolution", "79/900")
    (node,) = [f for f in facts.items if isinstance(f, InstrumentFact) and f.ref == own]
    assert (node.date.isoformat(), node.title) == ("2024-12-03", want_title)
    links = {(r.predicate, getattr(r.object, "symbol", None)) for r in facts.items
             if isinstance(r, Relation) and r.subject == own}
    assert ("carriedBy", "A/RES/79/900") in links and ("adoptedOnReportOf", "A/79/L.50") in links
    adoption = parse(src).masthead.adoption
    assert (adoption.via, adoption.symbol, adoption.paragraph) == ("plenary", "A/79/L.50", "45")
    cited = {(r.object.body, r.object.number) for r in facts.items
             if isinstance(r, Relation) and isinstance(r.object, InstrumentRef) and r.object != own}
    assert cited == {("A", "78/1"), ("A/HRC", "51/22")}


def test_body_not_stated_is_queryable_and_shown_on_the_instrument_page(tmp_path: Path) -> None:
    """An instrument whose body the text does not state (GA "n/m" before the 31st session,
    as "Annex II, resolution 14/221." of A_RES_78_170.pdf fn 10) is its own node with
    un:bodyStatus un:BodyNotStated, no GA copy, and its page says "body not stated"."""
    from rdflib import URIRef

    from mandategraph.build.builder import build_graph
    from mandategraph.build.iris import Iris
    from mandategraph.build.reference_graph import iter_reference_triples, reference_graph_iri
    from mandategraph.ingest.source import make_source
    from mandategraph.server.views.env import PageEnv
    from mandategraph.server.views.nodes import load_node
    from mandategraph.server.views.pages import instrument_page
    from mandategraph.store.factory import open_store

    base = "https://w3id.org/mandategraph"
    text = MASTHEAD.format(date="3 December 2024", title="79/900. Synthetic title").replace(
        "Recalling its resolution 78/1 of 1 December 2023 and Human Rights Council resolution 51/22,",
        "Recalling resolution 14/221 of 1 December 2014,")
    store = open_store(None)
    built = build_graph(extract(make_source(tmp_path / "A_RES_79_900.txt", "text/plain", text,
                                            language="en")), Iris(base))
    store.replace_graph(str(built.graph_iri), built.triples)
    store.replace_graph(str(reference_graph_iri(Iris(base))), iter_reference_triples(Iris(base)))
    rows = store.select("PREFIX un: <https://w3id.org/mandategraph/ontology#> SELECT ?i ?b WHERE { "
                        "?i un:number \"14/221\" . OPTIONAL { ?i un:issuedBy ?b } "
                        "?i un:bodyStatus un:BodyNotStated }").dicts()
    assert [(str(r["i"]), r.get("b")) for r in rows] == [(f"{base}/instrument/unstated/resolution/14-221", None)]
    penv = PageEnv(store=store, base=base, prefs=("en",))
    page = instrument_page(penv, load_node(penv, URIRef(f"{base}/instrument/unstated/resolution/14-221")))
    assert page.body is None
    assert [(f.label, [v.text for v in f.values]) for f in page.facts] == [("body status", ["body not stated"])]


def test_footnote_with_a_non_breaking_hyphen() -> None:
    """data/ A_RES_80_66.pdf fn 3: "Resolution S‑10/2." (U+2011) is GA resolution S-10/2."""
    facts = extract(load_source(DATA / "A_RES_80_66.pdf"))
    assert InstrumentRef("A", "resolution", "S-10/2") in {
        r.object for r in facts.items if isinstance(r, Relation) and isinstance(r.object, InstrumentRef)}


def test_ibid_takes_the_body_of_the_footnote_before() -> None:
    """A_RES_79_208.pdf fn 27-29 (op34-35): "Ibid., decision 15/8." after a footnote citing
    document CBD/COP/15/17 is the COP's decision (15/8 alone cannot be the GA's)."""
    from types import SimpleNamespace

    from mandategraph.core.facts import Facts
    from mandategraph.extract.res_mentions import footnote_facts

    src = _source("27 United Nations Environment Programme, document CBD/COP/15/17, decision 15/10.\r\n"
                  "28 Ibid., decision 15/8.\r\n29 Ibid., decision 15/11.\r\n30 Resolution 70/1.")
    mh = SimpleNamespace(body="A", session=79, symbol="A/RES/79/208", title=None)
    own = InstrumentRef("A", "resolution", "79/208")
    facts = Facts(None)
    for a, b in src.footnotes:
        footnote_facts(src, facts, RULES, mh, own, own, a, b)
    got = {r.object.number: r.object.body for r in facts.items
           if isinstance(r, Relation) and isinstance(r.object, InstrumentRef)}
    assert got == {"15/10": "UNEP/CBD/COP", "15/8": "UNEP/CBD/COP", "15/11": "UNEP/CBD/COP",
                   "70/1": "A" + DEFAULT}


# --------------------------------------------------------------------------- round 3 classes


def test_plain_numbers_of_a_body_named_right_before() -> None:
    # A_RES_78_171.pdf pp8: a body of the table whose numbers have no form of their own
    got = _bodies("Recalling also African Commission on Human and Peoples’ Rights resolutions 263 of "
                  "5 November 2013 on the prevention of attacks and discrimination against persons with "
                  "albinism and 373 of 22 May 2017 on the Regional Action Plan on Albinism in Africa "
                  "(2017–2021), and the Pan-African Parliament resolution on persons with albinism", 78)
    assert got == {"263": "achpr", "373": "achpr"}
    # constructed: a plain number after "its" or no body stays unread (never a GA copy)
    assert _bodies("Recalling its resolution 263 of 5 November 2013,") == {}


def test_supplements_of_the_ecosoc_official_records() -> None:
    # A_RES_80_186.pdf fn 9; A_C.2_80_L.28.pdf fn 11; A_C.2_80_L.30.pdf (an "Official Records of
    # the Economic and Social Council" citation whose symbol is printed)
    assert _bodies("9 Official Records of the Economic and Social Council, 2025, Supplement No. 7 "
                   "(E/2025/27), chap. I, sect. C, resolution 69/1, annex.", 80) == {"69/1": "E/CN.6"}
    assert _bodies("11 Official Records of the Economic and Social Council, 2024, Supplement No. 4 "
                   "(E/2024/24), chap. I., sect. C, decision 55/115.", 80) == {"55/115": "E/CN.3"}
    # the GA's supplement 53 stays the Human Rights Council's
    assert _bodies("Official Records of the General Assembly, Sixty-ninth Session, Supplement No. 53 "
                   "(A/69/53), chap. IV, sect. A, resolution 27/12.", 80) == {"27/12": "A/HRC"}


def test_opcw_imo_and_executive_council_number_forms() -> None:
    # data/ A_RES_80_34.pdf op (b), op 10 and the list of op ...: the OPCW's forms decide its organ
    assert _bodies("(b) Decision EC-94/DEC.2 of the Executive Council, entitled “Addressing the "
                   "possession and use of chemical weapons by the Syrian Arab Republic”,", 80) == \
        {"EC-94/DEC.2": "opcw-ec"}
    assert _bodies("in accordance with the Convention, Executive Council decisions EC-M-33/DEC.1 and "
                   "EC-94/DEC.2 and Security Council resolution 2118 (2013) of 27 September 2013, as well "
                   "as with the conclusion of decision C-SS-4/DEC.3 of the Fourth Special Session", 80) == \
        {"EC-M-33/DEC.1": "opcw-ec", "EC-94/DEC.2": "opcw-ec", "2118 (2013)": "S", "C-SS-4/DEC.3": "opcw-csp"}
    assert _bodies("Recalling decisions C-24/DEC.4 and C-24/DEC.5 of 27 November 2019 adopted by the "
                   "Conference of the States Parties at its twenty-fourth session", 80) == \
        {"C-24/DEC.4": "opcw-csp", "C-24/DEC.5": "opcw-csp"}
    # data/ A_80_L.22.pdf fn 83, 91 and op 139 (IMO Assembly and committee numbers)
    assert _bodies("83 Ibid., annex 1, resolution MSC.255(84).", 80) == {"MSC.255(84)": "imo"}
    assert _bodies("91 International Maritime Organization, resolutions MSC.448(99) and FAL.13(42).", 80) == \
        {"MSC.448(99)": "imo", "FAL.13(42)": "imo"}
    assert _bodies("Welcomes the decision by the International Maritime Organization, in resolution "
                   "A.1117(30) of 6 December 2017, to extend", 80) == {"A.1117(30)": "imo"}
    # data/ A_80_L.22.pdf op 302: "EC-<n>/<n>" has no body by its form; the text names it
    assert _bodies("302. Takes note of resolution EC-57/1 of the Executive Council of the "
                   "Intergovernmental Oceanographic Commission on the implementation", 80) == {"EC-57/1": "ioc-ec"}
    assert _bodies("160 Ibid., resolution EC-57/1.", 80) == {"EC-57/1": UNSTATED}


def test_the_conference_of_the_parties_with_no_treaty_named() -> None:
    # constructed, in the wording of A_RES_78_229.pdf op11 ("the resolutions adopted by the
    # Conference of the Parties at its eighth, ninth, tenth and eleventh sessions") with a number
    text = "Welcomes decision 10/2 adopted by the Conference of the Parties at its tenth session,"
    got = {r.number: r.body for _, _, r, _ in find_instruments(text, RULES, "A", 80, "CTOC/COP")}
    assert got == {"10/2": "CTOC/COP"}  # the one Convention the document names
    got = {r.number: r.body for _, _, r, _ in find_instruments(text.replace("10/2", "45/3"), RULES, "A", 80)}
    assert got == {"45/3": UNSTATED}  # none or several named: body not stated, never a GA copy
    # a number of a form of its own keeps its body (gold README: 79/206 op33)
    got = {r.number: r.body for _, _, r, _ in find_instruments(
        "Recalling decision 1/CP.21 of the Conference of the Parties,", RULES, "A", 80, "UNEP/CBD/COP")}
    assert got == {"1/CP.21": "FCCC/CP"}


def test_resolutions_adopted_by_a_body_including_resolutions() -> None:
    # A_C.3_80_L.27.pdf pp (footnote marks dropped): the plural names the body of the list
    got = _bodies("Recalling its resolutions 76/158 of 16 December 2021 and 78/207 of 19 December 2023, "
                  "as well as relevant resolutions adopted by the Human Rights Council, including "
                  "resolutions 36/6 of 28 September 2017, 45/3 of 6 October 2020 and 54/14 of 11 October "
                  "2023,", 80)
    assert got == {"76/158": "A", "78/207": "A", "36/6": "A/HRC", "45/3": "A/HRC", "54/14": "A/HRC"}


def test_the_conference_of_the_states_parties_and_wha_numbers() -> None:
    # constructed, in the wording of A_RES_80_34.pdf pp ("adopted by the Conference of the States
    # Parties at its twenty-fourth session"), with a number of no form of its own
    text = "Welcomes resolution 10/1 adopted by the Conference of the States Parties at its tenth session,"
    got = {r.number: r.body for _, _, r, _ in find_instruments(text, RULES, "A", 80, ("UNEP/CBD/COP", "CAC/COSP"))}
    assert got == {"10/1": "CAC/COSP"}  # the States Parties' Conference of the document's Convention
    got = {r.number: r.body for _, _, r, _ in find_instruments(text, RULES, "A", 80, "UNEP/CBD/COP")}
    assert got == {"10/1": UNSTATED}  # not the Conference of the Parties
    # constructed: the World Health Assembly's prefix printed (the gold's "WHA<n>.<n>" form)
    assert _bodies("Recalling resolution WHA77.1 of 1 June 2024,", 80) == {"WHA77.1": "WHA"}


def test_symbols_before_the_number_with_a_dotted_section_or_a_session_glued_to_the_key() -> None:
    # A_C.2_80_L.23.pdf fn 10; data/ A_80_L.23.pdf (footnote of the WHO document)
    assert _bodies("10 CAC/COSP/2021/17, sect. I.A, resolution 9/2, para. 15.", 80) == {"9/2": "CAC/COSP"}
    assert _bodies("22 World Health Organization, document WHA58/2005/REC/1, resolution 58.3, annex.", 80) == \
        {"58.3": "WHA"}
