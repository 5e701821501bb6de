"""Ingest: every supported format gives original text, normalised text and an offset map that
points each normalised character back at the original; bad files raise IngestError naming the
file and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mandategraph.ingest.load import LOADERS, load_source
from mandategraph.ingest.source import IngestError, detect_language, make_source, normalise


def _roundtrip_ok(source) -> None:
    assert len(source.offsets) == len(source.norm) + 1
    assert source.offsets == sorted(source.offsets)
    for i, c in enumerate(source.norm):
        o = source.text[source.offsets[i]]
        assert o == c or c in " \n,.:;()!?-" or ord(o) > 0xFF00 or o.isspace(), (i, c, o)


def test_seed_text_language_offsets_and_repairs(seed_path: Path) -> None:
    s = load_source(seed_path)
    assert s.language == "zh" and s.media_type == "text/plain"
    _roundtrip_ok(s)
    # a sentence split by a page break is re-joined, and maps back across the break
    i = s.norm.index("运动的效果")
    a, b = s.to_original(i, i + 5)
    assert s.text[a:b] == "运动的\n\n效果"
    # loose footnote markers are out of the reading text, still in the original
    assert "通过的建议" in s.norm and "通过的¹建议" in s.text
    # full-width punctuation is ASCII in the reading text
    assert "（CTOC/COP/2024/CRP.1）" in s.text and "(CTOC/COP/2024/CRP.1)" in s.norm
    # headings are not joined to the paragraph that follows
    assert "\n4. 国际合作，尤其侧重于引渡" in s.text.replace("\n\n", "\n")
    assert "设立与加强\n" in s.norm


def test_markdown_keeps_links_drops_heading_marks(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text("## Annotations\n\nSee **the report** ([A/80/1](#)).\n", encoding="utf-8")
    s = load_source(p)
    assert s.media_type == "text/markdown" and s.text.startswith("## Annotations")
    assert s.norm.startswith("Annotations\n") and "[A/80/1](#)" in s.norm and "**" not in s.norm
    i = s.norm.index("A/80/1")
    a, b = s.to_original(i, i + 6)
    assert s.text[a:b] == "A/80/1"


def test_html_structure_lists_tables_entities(tmp_path: Path) -> None:
    p = tmp_path / "a.html"
    p.write_text("<html><head><title>x</title><script>var a=1;</script></head><body>"
                 "<h1>Provisional agenda</h1><ol><li>Organizational matters:<ol type='a'>"
                 "<li>Opening;</li><li>Agenda.</li></ol></li><li>Other&nbsp;matters.</li></ol>"
                 "<table><tr><td>1(a)</td><td>Opening</td></tr></table></body></html>",
                 encoding="utf-8")
    s = load_source(p)
    lines = [x for x in s.text.splitlines() if x.strip()]
    assert lines[:5] == ["Provisional agenda", "1. Organizational matters:", " (a) Opening;",
                         " (b) Agenda.", "2. Other matters."]
    assert "1(a)\tOpening" in s.text and "var a" not in s.text and "x" not in lines


def test_docx_paragraphs_lists_and_tables(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Provisional agenda")
    d.add_paragraph("Organizational matters:", style="List Number")
    d.add_paragraph("Opening of the session;", style="List Number 2")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "1(a)"
    t.cell(0, 1).text = "Opening"
    p = tmp_path / "a.docx"
    d.save(str(p))
    s = load_source(p)
    assert s.text.splitlines()[0] == "Provisional agenda"
    assert "- Organizational matters:" in s.text and " - Opening of the session;" in s.text
    assert "1(a)\tOpening" in s.text and s.language == "en"


@pytest.mark.parametrize("text,lang", [
    ("缔约方会议在第 7/1 号决议中决定，工作组将是缔约方会议的常设组成部分。", "zh"),
    ("The Conference of the Parties decided that the working group shall be a constant element.", "en"),
    ("La Conférence des Parties a décidé que le groupe de travail serait un élément permanent de la Conférence.", "fr"),
    ("La Conferencia de las Partes decidió que el grupo de trabajo sería un elemento permanente de la Conferencia.", "es"),
    ("Конференция участников постановила, что рабочая группа будет постоянным элементом.", "ru"),
    ("قرر مؤتمر الأطراف أن يكون الفريق العامل عنصرا دائما في المؤتمر.", "ar"),
    ("Distr.: General\n16 July 2024\nChinese\nOriginal: English\n\n第十二届会议\n\n临时议程说明", "zh"),
])
def test_language_detection(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("name,content,expect", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n ", "no text"),
    ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 50, "binary file"),
    ("undecodable.txt", bytes(range(128, 256)) * 4, "cannot decode the text with confidence"),
    ("table.xlsx", b"PK\x03\x04 something", "unsupported format '.xlsx'"),
    ("broken.docx", b"this is not a zip", "not a DOCX file"),
    ("empty.html", b"<html><body><script>x()</script></body></html>", "no text in the HTML body"),
])
def test_bad_files_name_the_file_and_what_was_expected(tmp_path: Path, name: str,
                                                         content: bytes, expect: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(IngestError) as err:
        load_source(p)
    assert name in str(err.value) and expect in str(err.value)
    assert "expected" in str(err.value)


def test_missing_file_and_utf16(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file"):
        load_source(tmp_path / "nope.txt")
    p = tmp_path / "u16.txt"
    p.write_bytes("\ufeff临时议程".encode("utf-16-le"))
    assert load_source(p).norm.strip() == "临时议程"


def test_loader_dispatch_point_covers_every_format() -> None:
    assert {".txt", ".md", ".html", ".htm", ".docx", ".pdf"} <= set(LOADERS)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 。，（）１２\n\r\t¹²\u00adA.的")), max_size=120),
       st.sampled_from(["zh", "en"]))
def test_offset_map_is_monotonic_and_total(text: str, lang: str) -> None:
    norm, offsets = normalise(text, lang)
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(text)
    assert all(offsets[i] < offsets[i + 1] for i in range(len(norm) - 1))
    assert all(0 <= o < len(text) for o in offsets[:-1])


def test_make_source_from_text_needs_text(tmp_path: Path) -> None:
    s = make_source(tmp_path / "virtual.txt", "text/plain", "Provisional agenda\n")
    assert s.language == "en" and s.sha256
    with pytest.raises(IngestError):
        make_source(tmp_path / "virtual.txt", "text/plain", "   ")


def test_bad_file_in_a_batch_is_reported_and_the_rest_goes_in(tmp_path: Path) -> None:
    from mandategraph.pipeline.batch import build_paths
    from mandategraph.store.factory import open_store

    good = Path(__file__).parent / "cases" / "en-ctoc-markdown" / "input.md"
    (tmp_path / "good.md").write_bytes(good.read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "odd.txt").write_text("Nothing structured here, only A/80/L.1.\n", encoding="utf-8")
    st = open_store(None)
    report = build_paths([tmp_path], st)
    errors = {Path(e.path).name: e.message for e in report.errors if e.path != "(linking pass)"}
    assert set(errors) == {"empty.txt"} and "empty file" in errors["empty.txt"]
    assert sorted(Path(p).name for p in report.built) == ["good.md", "odd.txt"]
    assert any("odd.txt" in w and "no recognisable structure" in w for w in report.warnings)
    st.close()
