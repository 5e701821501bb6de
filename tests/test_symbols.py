"""UN document symbols: the real-symbol table, running text in six languages, the corpus, errors,
and hypothesis properties of parse/normalise/find_symbols."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mandategraph.symbols import (
    Component, DocumentSymbol, SymbolError, SymbolPart, body_series, doc_class, explain,
    find_symbols, known_prefixes, normalise, parse, symbol_cli, try_parse,
)

ROOT = Path(__file__).resolve().parents[1]
TABLE = Path(__file__).with_name("data") / "symbols.csv"
SEED = ROOT / "data" / "seeds" / "000_0394c2032f12c9ec.txt"
PDF_DIR = ROOT / "data" / "corpus" / "pdf"

ROWS = list(csv.DictReader(TABLE.open(encoding="utf-8", newline="")))

SEED_SYMBOLS = {
    "CTOC/COP/2010/17", "CTOC/COP/2010/CRP.7", "CTOC/COP/2024/1", "CTOC/COP/2024/2",
    "CTOC/COP/2024/3", "CTOC/COP/2024/4", "CTOC/COP/2024/5", "CTOC/COP/2024/6",
    "CTOC/COP/2024/7", "CTOC/COP/2024/8", "CTOC/COP/2024/9", "CTOC/COP/2024/10",
    "CTOC/COP/2024/CRP.1", "CTOC/COP/2024/CRP.2", "CTOC/COP/2024/CRP.3", "CTOC/COP/2024/CRP.4",
    "CTOC/COP/2024/CRP.5", "CTOC/COP/2024/INF/1", "E/CN.7/2024/17-E/CN.15/2024/18",
}


def _modifiers(sym: DocumentSymbol) -> str:
    return "/".join(f"{n}.{i}" if i is not None else n for n, i in sym.modifiers)


# --- the table of real symbols ------------------------------------------------------------------

def test_table_is_large_and_covers_seed_and_corpus() -> None:
    canon = {r["canonical"] for r in ROWS}
    assert len(ROWS) >= 150 and len(canon) >= 150
    assert SEED_SYMBOLS <= canon
    mastheads = {p.stem.replace("_", "/") for p in PDF_DIR.glob("*.pdf")}
    assert len(mastheads) == 140
    assert mastheads <= canon
    assert {"A/80/534", "A/80/537", "A/80/401", "A/80/L.2/Rev.1"} <= canon  # adoption blocks


@pytest.mark.parametrize("row", ROWS, ids=[r["input"].replace("\n", "\\n") for r in ROWS])
def test_table_row(row: dict[str, str]) -> None:
    sym = parse(row["input"])
    assert str(sym) == row["canonical"]
    assert sym.body_series == row["body_series"]
    assert (sym.special or "") == row["special"]
    assert (sym.session or "") == row["session"]
    assert sym.number == row["number"]
    assert _modifiers(sym) == row["modifiers"]
    assert str(parse(row["canonical"])) == row["canonical"]  # canonical round-trips
    assert parse(row["canonical"]) == sym


# --- grammar details ----------------------------------------------------------------------------

def test_components_of_pitfalls() -> None:
    s = parse("A/RES/ES-10/1")
    assert (s.session, s.session_kind, s.special, s.number) == ("ES-10", "emergency-special", "RES", "1")
    assert parse("A/S-12/2").session_kind == "special"
    assert parse("S/2024/1").session_kind == "year"
    assert parse("A/80/1").session_kind == "session"
    assert parse("S/RES/1325 (2000)").paren == "2000"
    assert parse("S/RES/1325 (2000)").session is None
    assert parse("A/C.3/80/L.5/Rev.1").modifiers == (("Rev", 1),)
    assert parse("A/80/13/Add.1/Corr.1").modifiers == (("Add", 1), ("Corr", 1))
    assert parse("A/HRC/55/1/Summary").modifiers == (("Summary", None),)
    assert parse("E/CN.4/Sub.2/1999/5").subsidiaries == ("CN.4", "Sub.2")
    assert parse("A/80/251*").reissue is True
    assert parse("A/80/251*").identifier == "A/80/251"
    assert str(parse("A/80/1 (resumption 1)")) == "A/80/1 (Resumption 1)"
    assert str(parse("A/73/12 (part II)")) == "A/73/12 (Part II)"


def test_joint_symbols_split_only_before_known_prefixes() -> None:
    joint = parse("E/2001/28–E/CN.7/2001/12")
    assert joint.is_joint and [str(p) for p in joint.parts] == ["E/2001/28", "E/CN.7/2001/12"]
    assert parse("A/48/486 - S/26560").canonical == "A/48/486-S/26560"
    assert not parse("A/ES-10/273").is_joint
    with pytest.raises(SymbolError, match="component '5-A'"):
        parse("WFP/EB.A/2024/5-A/1")  # WFP is not in the table: no split into "A/1"
    assert {"A", "S", "E", "CTOC", "CAC", "UNEP"} <= known_prefixes()
    with pytest.raises(SymbolError, match="component '1-QQQ'"):
        parse("XYZ/1-QQQ/2")  # QQQ is no known prefix: not a joint symbol, and not valid


def test_case_rules() -> None:
    assert str(parse("a/res/80/1")) == "A/RES/80/1"  # known prefix: read case-insensitively
    assert str(parse("A/80/l.5/rev.1")) == "A/80/L.5/Rev.1"  # grammar words: official case
    assert str(parse("UNEP/EA.5/RES.1")) == "UNEP/EA.5/Res.1"  # dotted Res is UNEP's form
    assert str(parse("E/CN.4/SUB.2/1999/5")) == "E/CN.4/Sub.2/1999/5"
    with pytest.raises(SymbolError, match="prefix 'xq'"):
        parse("xq/1/2")
    with pytest.raises(SymbolError, match="subsidiary 'wg.2'"):
        parse("CTOC/COP/wg.2/2024/1")


@pytest.mark.parametrize(("text", "needle"), [
    ("A//1", "component 2 is empty"),
    ("A/80/", "component 3 is empty"),
    ("", "is empty"),
    ("A", "number is missing"),
    ("A/80/L.5/Rev", "modifier 'Rev' needs a number"),
    ("A/Rev.1/80", "modifier 'Rev.1' must come after the document number"),
    ("A/80/Summary.2", "modifier 'Summary.2' takes no number"),
    ("VII/5", "prefix 'VII' is a Roman numeral"),
    ("A/80/1 (foo)", "parenthetical 'foo'"),
    ("A/80/2024/1", "session '2024' is a second session"),
    ("A/80/L.x", "number 'L.x' is not a document number"),
    ("A/80/1#", "character '#'"),
    ("1/2", "prefix '1'"),
])
def test_errors_name_the_component(text: str, needle: str) -> None:
    with pytest.raises(SymbolError) as info:
        parse(text)
    assert needle in str(info.value)
    assert repr(text) in str(info.value)  # the input is named too
    assert isinstance(info.value, ValueError)


def test_helpers() -> None:
    assert body_series("CTOC/COP/2024/CRP.3") == "CTOC/COP"
    assert body_series("A/RES/80/1") == "A"
    assert body_series("A/C.3/80/L.5") == "A/C.3"
    assert body_series("E/CN.15/2024/18") == "E/CN.15"
    assert body_series("CTOC/COP/WG.4/2024/2") == "CTOC/COP/WG.4"
    assert body_series("CAC/COSP/IRG/2024/1") == "CAC/COSP/IRG"
    assert doc_class("A/80/L.5") == "DraftResolution"
    assert doc_class("CTOC/COP/2024/CRP.3") == "ConferenceRoomPaper"
    assert doc_class("CTOC/COP/2024/INF/1") == "InformationDocument"
    assert doc_class("A/RES/80/1") == "ResolutionDocument"
    assert doc_class("UNEP/EA.5/Res.1") == "ResolutionDocument"
    assert doc_class("CTOC/COP/2024/5") == "Document"
    assert try_parse("2024/25") is None


# --- normalisation --------------------------------------------------------------------------------

@pytest.mark.parametrize(("printed", "expected"), [
    ("CTOC／COP／2024／CRP.3", "CTOC/COP/2024/CRP.3"),
    ("（CTOC/COP/2024/CRP.3）", "CTOC/COP/2024/CRP.3"),
    ("【A/RES/80/1】", "A/RES/80/1"),
    ("A/RES/80/\n1", "A/RES/80/1"),
    ("A/RES/80/\r\n 1", "A/RES/80/1"),
    ("CTOC/COP/2024/ CRP.3", "CTOC/COP/2024/CRP.3"),
    ("A/80/L.\n17", "A/80/L.17"),
    ("A/RES/80/1。", "A/RES/80/1"),
    ("CTOC/COP/2024/INF/1，", "CTOC/COP/2024/INF/1"),
    ("A/80/L.2/Rev.1)", "A/80/L.2/Rev.1"),
    ("S/RES/1325\u00a0(2000).", "S/RES/1325 (2000)"),
    ("S/RES/1325(2000)", "S/RES/1325 (2000)"),
    ("E/CN.7/2024/17\u2014E/CN.15/2024/18", "E/CN.7/2024/17-E/CN.15/2024/18"),
    ("[CTOC/COP/2024/1](#)", "CTOC/COP/2024/1"),
    ("\u3000A/80/251 *", "A/80/251*"),
    ("ＣＴＯＣ／ＣＯＰ／２０２４／５", "CTOC/COP/2024/5"),
])
def test_normalise_running_text_forms(printed: str, expected: str) -> None:
    assert normalise(printed) == expected
    assert str(parse(printed)) == expected


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


# --- running text -----------------------------------------------------------------------------

def _found(text: str) -> list[str]:
    return [m.symbol.canonical for m in find_symbols(text)]


def test_seed_has_exactly_its_19_symbols() -> None:
    text = SEED.read_text(encoding="utf-8")
    matches = find_symbols(text)
    assert {m.symbol.canonical for m in matches} == SEED_SYMBOLS
    for m in matches:
        assert text[m.start:m.end] == m.printed
    joint = [m for m in matches if m.symbol.is_joint]
    assert [m.printed for m in joint] == ["E/CN.7/2024/17-E/CN.15/2024/18"]
    # what the seed also holds and must not be taken for symbols
    assert "2024-2025" in text and "unov.conference@un.org" in text and "https://" in text
    assert "11/1" in text and "55/25" in text


@pytest.mark.parametrize(("text", "expected"), [
    ("See document A/80/L.2/Rev.1.", ["A/80/L.2/Rev.1"]),
    ("(voir A/RES/80/1, par. 3)", ["A/RES/80/1"]),
    ("véase la resolución S/RES/2719 (2023);", ["S/RES/2719 (2023)"]),
    ("документ E/CN.7/2024/17–E/CN.15/2024/18.", ["E/CN.7/2024/17-E/CN.15/2024/18"]),
    ("\u0627\u0644\u0648\u062b\u064a\u0642\u0629\u00a0\u200fA/HRC/55/1\u200f.", ["A/HRC/55/1"]),
    ("见CTOC/COP/2024/5。", ["CTOC/COP/2024/5"]),
    ("会议室文件（CTOC/COP/2024/CRP.3）的形式", ["CTOC/COP/2024/CRP.3"]),
    ("文件ＣＴＯＣ／ＣＯＰ／２０２４／５号", ["CTOC/COP/2024/5"]),
    ("格式样本（CTOC/COP/2024/INF/1，附件", ["CTOC/COP/2024/INF/1"]),
    ("see A/RES/80/\n1 and CTOC/COP/2024/ CRP.3", ["A/RES/80/1", "CTOC/COP/2024/CRP.3"]),
    ("United Nations A/80/251*\nGeneral Assembly", ["A/80/251*"]),
    ("1 A/80/75-E/2025/55.\n2 A/80/384.", ["A/80/75-E/2025/55", "A/80/384"]),
    ("[CTOC/COP/2010/CRP.7](#) and [CTOC/COP\n/2024/5](#)", ["CTOC/COP/2010/CRP.7", "CTOC/COP/2024/5"]),
    ("Supplement No. 2 (A/S-12/2), sect. III", ["A/S-12/2"]),
    ("report (E/CN.7/2024/17-\nE/CN.15/2024/18) to", ["E/CN.7/2024/17-E/CN.15/2024/18"]),
    ("draft CTOC/COP/2024/CRP.\n3 and A/C.\n3/80/L.5", ["CTOC/COP/2024/CRP.3", "A/C.3/80/L.5"]),
    ("footnote A/80/1\u00b9 and \u00b2A/80/2", ["A/80/1", "A/80/2"]),
    ("安理会第S/RES/2719（2023）号决议", ["S/RES/2719 (2023)"]),
    ("cf.\u00a0\u00ab\u00a0A/RES/80/1\u00a0\u00bb ; voir aussi A/80/L.2/Rev.1\u202f;",
     ["A/RES/80/1", "A/80/L.2/Rev.1"]),
])
def test_find_symbols_in_six_languages(text: str, expected: list[str]) -> None:
    matches = find_symbols(text)
    assert [m.symbol.canonical for m in matches] == expected
    for m in matches:
        assert text[m.start:m.end] == m.printed


@pytest.mark.parametrize("text", [
    "2024-2025 两年期 2024/25",
    "第 11/1 号决定和第 55/25 号决议",
    "resolution ES-10/24 of 18 September 2024 and decision S-8/1",
    "网址为 <https://edelegate.un.int/>。",
    "https://undocs.org/en/A/RES/80/1 and undocs.org/A/80/L.1",
    "www.un.org/Depts/los/A/80/1",
    "mail A.B/C1@UN.ORG or unov.conference@un.org",
    "decision VII/5, annex I; decisions X/29 and XIII/11",
    "GC(69)/RES/10 and WT/MIN(22)/33 and JAG-TSC/2023",
    "1 A/80/___.",
    "HIV/AIDS, Chair/Rapporteur, e-Speakers",
    "A/80/L.17\r\n25-19369 29/52",
])
def test_find_symbols_false_positives(text: str) -> None:
    found = _found(text)
    assert found in ([], ["A/80/L.17"]), found


def _pdf_text(path: Path, pages: int | None = None) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        n = len(pdf) if pages is None else min(pages, len(pdf))
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(n))
    finally:
        pdf.close()


def test_pdf_mastheads_and_adoption_blocks() -> None:
    paths = sorted(PDF_DIR.glob("*.pdf"))
    assert len(paths) == 140
    reports: set[str] = set()
    for path in paths:
        text = _pdf_text(path, pages=1)
        matches = find_symbols(text)
        assert matches, path.name
        assert matches[0].symbol.canonical == path.stem.replace("_", "/"), path.name
        for m in matches:
            assert text[m.start:m.end] == m.printed
        block = re.search(r"\[(?:on the report|without reference)[^\]]*\]", text, re.S)
        if block:
            reports |= set(_found(block.group(0)))
    assert {"A/80/534", "A/80/537", "A/80/401", "A/80/L.2/Rev.1", "A/80/L.11"} <= reports


def test_whole_corpus_offsets_and_no_citation_numerals() -> None:
    seen: set[str] = set()
    for path in sorted(PDF_DIR.glob("A_80_L.2*.pdf")):
        text = _pdf_text(path)
        for m in find_symbols(text):
            assert text[m.start:m.end] == m.printed
            seen.add(m.symbol.canonical)
    assert "UNEP/EA.2/Res.10" in seen and "ISBA/8/A/11" in seen
    assert not any(re.fullmatch(r"[IVXL]+/.*", s) for s in seen)
    assert not any(s.startswith(("RES/", "DEC/", "TSC/")) for s in seen)


# --- explain and the CLI body ----------------------------------------------------------------

def test_explain_uses_reference_names() -> None:
    info = explain("CTOC/COP/2024/CRP.3")
    assert info["canonical"] == "CTOC/COP/2024/CRP.3"
    c = info["components"]
    assert (c["body_series"], c["special"], c["session"], c["session_kind"], c["number"]) == (
        "CTOC/COP", "CRP", "2024", "year", "3")
    assert c["doc_class"] == "ConferenceRoomPaper"
    assert any(line.startswith("CTOC/COP: Conference of the Parties") for line in info["description"])
    joint = explain("E/CN.7/2024/17-E/CN.15/2024/18")
    assert [p["canonical"] for p in joint["parts"]] == ["E/CN.7/2024/17", "E/CN.15/2024/18"]
    assert any("Commission on Narcotic Drugs" in line for line in joint["description"])
    assert any("Commission on Crime Prevention" in line for line in joint["description"])
    assert any("Environment Assembly" in line for line in explain("UNEP/EA.5/Res.1")["description"])
    json.dumps(info)


def test_symbol_cli_outputs_and_exit_codes() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert symbol_cli("A/C.3/80/L.5/Rev.1", as_json=True, out=out, err=err) == 0
    data = json.loads(out.getvalue())
    assert data["canonical"] == "A/C.3/80/L.5/Rev.1"
    assert data["components"]["modifiers"] == ["Rev.1"]
    out = io.StringIO()
    assert symbol_cli("S/RES/1325 (2000)", out=out, err=err) == 0
    assert out.getvalue().splitlines()[0] == "S/RES/1325 (2000)"
    out, err = io.StringIO(), io.StringIO()
    assert symbol_cli("A//1", as_json=True, out=out, err=err) == 2
    assert out.getvalue() == "" and "component 2 is empty" in err.getvalue()


# --- properties ---------------------------------------------------------------------------------

_SUBS = ["C.3", "CN.7", "CN.15", "WG.2", "AC.109", "CONF.241", "COP", "COSP", "IRG", "HRC",
         "Sub.2", "EA.5", "B", "LIB", "SER.B", "C.I", "SGB", "PC", "MSP", "AP.II"]
_PREFIXES = sorted(known_prefixes() - {"CD"}) + ["ABC", "QZ"]
_KNOWN = sorted(known_prefixes())


@st.composite
def parts(draw: st.DrawFn, known_only: bool = False) -> SymbolPart:
    prefix = draw(st.sampled_from(_KNOWN if known_only else _PREFIXES))
    comps = [Component("subsidiary", s) for s in draw(st.lists(st.sampled_from(_SUBS), max_size=3))]
    kind_before = draw(st.sampled_from([None, "RES", "DEC", "PRST", "INF"]))
    if kind_before:
        comps.append(Component("kind", kind_before))
    session = draw(st.one_of(st.none(), st.integers(1, 99).map(str), st.integers(1946, 2030).map(str),
                             st.integers(1, 12).map(lambda n: f"ES-{n}"),
                             st.integers(1, 30).map(lambda n: f"S-{n}")))
    if session:
        comps.append(Component("session", session))
        if not kind_before:
            kind_after = draw(st.sampled_from([None, "INF", "NGO", "RC", "A"]))
            if kind_after:
                comps.append(Component("kind", kind_after))
    number = draw(st.integers(1, 99999).map(str))
    dotted = draw(st.sampled_from([None, "L", "CRP", "WP", "PV", "SR", "Res", "Dec", "R"]))
    comps.append(Component("item", f"{dotted}.{number}" if dotted else number))
    for name, n in draw(st.lists(st.tuples(st.sampled_from(["Add", "Corr", "Rev", "Amend"]),
                                           st.integers(1, 40)), max_size=2)):
        comps.append(Component("modifier", f"{name}.{n}"))
    if draw(st.booleans()) and not draw(st.booleans()):
        comps.append(Component("modifier", "Summary"))
    paren = draw(st.sampled_from([None, "2000", "XLVIII", "Part I", "Resumption 1"]))
    return SymbolPart(prefix, tuple(comps), draw(st.booleans()), paren)


@st.composite
def symbols(draw: st.DrawFn) -> DocumentSymbol:
    rest = draw(st.lists(parts(known_only=True), max_size=1))
    first = draw(parts(known_only=bool(rest)))
    return DocumentSymbol((first, *rest))


@settings(max_examples=400, deadline=None)
@given(symbols())
def test_components_to_canonical_to_parse(sym: DocumentSymbol) -> None:
    text = str(sym)
    parsed = parse(text)
    assert parsed == sym
    assert str(parsed) == text


@settings(max_examples=200, deadline=None)
@given(symbols(), st.sampled_from(["", " ", "\u3000", "（", "见", "see ", "\n"]),
       st.sampled_from(["", "。", ".", "，", "）", ";", " and", "\n"]))
def test_decorated_symbol_normalises_and_is_found(sym: DocumentSymbol, before: str, after: str) -> None:
    text = str(sym)
    if before.strip() in ("", "（") and after.strip() in ("", "。", ".", "，", "）", ";"):
        assert normalise(before + text + after) == text
        assert normalise(normalise(before + text + after)) == text
    running = f"前文{before}{text}{after}后文"
    matches = find_symbols(running)
    assert [m.symbol for m in matches] == [sym]
    assert running[matches[0].start:matches[0].end] == matches[0].printed


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(max_size=12), symbols().map(str),
                          st.sampled_from(["/", "-", "–", "A/", "/1", "（", "）", "\n", "2024/25",
                                           "*", " (2000)", "@x.org"])), max_size=12).map("".join))
def test_find_symbols_offsets_slice_back(text: str) -> None:
    for m in find_symbols(text):
        assert text[m.start:m.end] == m.printed
        assert parse(m.printed) == m.symbol
