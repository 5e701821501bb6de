"""PDF ingest (mandategraph.ingest.pdf): furniture, footnotes, markers, line repair, offsets, errors."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from mandategraph.ingest.source import IngestError
from mandategraph.ingest.load import load_source
from mandategraph.ingest.pdf import footnote_texts, load_pdf
from mandategraph.pipeline.batch import build_paths
from mandategraph.store.factory import open_store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus" / "pdf"
FURNITURE = re.compile(r"\b\d{2}-\d{5}\b|\*\d{7}\*|(?:^|\s)\d{1,2}/\d{1,2}(?:\s|$)")


@pytest.fixture(scope="module")
def res3():
    return load_pdf(CORPUS / "A_RES_80_3.pdf")


def test_pdf_loader_is_hooked_into_ingest() -> None:
    src = load_source(CORPUS / "A_RES_80_1.pdf")
    assert src.media_type == "application/pdf" and src.language == "en"
    assert src.norm.startswith("United Nations A/RES/80/1\n")


def test_page_furniture_is_removed(res3) -> None:
    # job number, barcode, "n/m" page numbers and running heads are in the page text ...
    assert "25-16680" in res3.text and "*2516680*" in res3.text and "2/5" in res3.text
    assert res3.text.count("A/RES/80/3") >= 5
    # ... and not in the reading text (only the masthead keeps the symbol)
    assert "25-16680" not in res3.norm and "*2516680*" not in res3.norm
    assert not FURNITURE.search(res3.norm.split("\n", 3)[3])
    assert res3.norm.count("A/RES/80/3") == 1
    assert len(res3.pages) == 5 and res3.text.count("\f") == 4


def test_footnotes_are_separated_and_markers_dropped(res3) -> None:
    notes = footnote_texts(res3)
    assert "1 Resolution 79/233, annex; see also resolution 79/279." in notes
    assert not any("Resolution 79/233, annex" in line for line in res3.norm.split("\n"))
    # "2014–2024" followed by the superscript 3 was extracted as "2014–20243"
    assert "2014–20243" in res3.text
    assert "Decade 2014–2024 and provides" in res3.norm
    assert "24 December 2024, which builds" in res3.norm


def test_line_breaks_hyphens_and_page_breaks_repaired(res3) -> None:
    assert "renewed and action-oriented framework" in res3.norm
    # a sentence that runs over a line break and a page break stays one paragraph
    para = next(line for line in res3.norm.split("\n") if line.startswith("2. We welcome"))
    assert "achieving sustainable development." in para
    src = load_pdf(CORPUS / "A_80_L.4.pdf")
    assert "creating a high-level panel" in src.norm  # "high -level" in the text layer
    title = next(line for line in load_pdf(CORPUS / "A_RES_80_12.pdf").norm.split("\n")
                 if line.startswith("80/12."))
    assert title.endswith("including transparency of military expenditures")


def test_offsets_map_back_to_the_page_text(res3) -> None:
    assert len(res3.offsets) == len(res3.norm) + 1
    same = sum(1 for i, c in enumerate(res3.norm) if c.isalnum() and res3.text[res3.offsets[i]] == c)
    alnum = sum(1 for c in res3.norm if c.isalnum())
    assert same == alnum
    i = res3.norm.index("Awaza Political Declaration")
    a, b = res3.to_original(i, i + len("Awaza Political Declaration"))
    assert res3.text[a:b] == "Awaza Political Declaration"
    for a, b in res3.footnotes:
        assert 0 <= a < b <= len(res3.text)


# --------------------------------------------------------------------------- bad files


def _minimal_pdf(encrypt: bool = False) -> bytes:
    """A one-page PDF with one line of text, optionally with a Standard security handler."""
    content = b"BT /F1 24 Tf 72 700 Td (Hello world from a test) Tj ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    if encrypt:
        objs.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32
                    + b"> /P -4 >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(out.tell())
        out.write(b"%d 0 obj\n" % i + o + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for o in offs:
        out.write(b"%010d 00000 n \n" % o)
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objs) + 1)
    if encrypt:
        trailer += (b" /Encrypt %d 0 R /ID [<0123456789abcdef0123456789abcdef> "
                    b"<0123456789abcdef0123456789abcdef>]" % len(objs))
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _blank_pdf(path: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    doc.new_page(612, 792)
    doc.new_page(612, 792)
    doc.save(str(path))
    doc.close()


def test_a_plain_generated_pdf_reads(tmp_path: Path) -> None:
    p = tmp_path / "plain.pdf"
    p.write_bytes(_minimal_pdf())
    assert "Hello world from a test" in load_pdf(p).norm


def test_broken_encrypted_and_textless_pdfs_fail_clearly(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not really a PDF\n")
    enc = tmp_path / "locked.pdf"
    enc.write_bytes(_minimal_pdf(encrypt=True))
    blank = tmp_path / "scanned.pdf"
    _blank_pdf(blank)
    with pytest.raises(IngestError) as e:
        load_source(broken)
    assert "broken.pdf" in str(e.value) and "not a readable PDF" in str(e.value)
    with pytest.raises(IngestError) as e:
        load_source(enc)
    assert "locked.pdf" in str(e.value) and "encrypted" in str(e.value)
    with pytest.raises(IngestError) as e:
        load_source(blank)
    assert "scanned.pdf" in str(e.value) and "no text layer" in str(e.value)
    assert "expected a PDF" in str(e.value)


def test_bad_pdfs_do_not_stop_the_batch(tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7 garbage")
    (tmp_path / "locked.pdf").write_bytes(_minimal_pdf(encrypt=True))
    _blank_pdf(tmp_path / "scanned.pdf")
    (tmp_path / "A_RES_80_50.pdf").write_bytes((CORPUS / "A_RES_80_50.pdf").read_bytes())
    store = open_store(None)
    report = build_paths([tmp_path], store)
    assert [Path(b).name for b in report.built] == ["A_RES_80_50.pdf"]
    bad = sorted(Path(e.path).name for e in report.errors)
    assert bad == ["broken.pdf", "locked.pdf", "scanned.pdf"]
    assert all(Path(e.path).name in str(e) for e in report.errors)
    assert report.triples > 1000


# --------------------------------------------------------------------------- page breaks


def _lines_pdf(pages: list[list[tuple[int, int, str]]]) -> bytes:
    """A PDF of Helvetica 11 pt lines placed at (x, y): ``pages`` = [[(x, y, text), ...], ...]."""
    font = 3 + 2 * len(pages)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
                b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(len(pages))), len(pages))]
    for i, lines in enumerate(pages):
        content = b"".join(b"BT /F1 11 Tf %d %d Td (%s) Tj ET\n" % (x, y, t.encode("latin-1"))
                           for x, y, t in lines)
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font))
        objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(out.tell())
        out.write(b"%d 0 obj\n" % i + o + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for o in offs:
        out.write(b"%010d 00000 n \n" % o)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


_PAGE1 = [(108, 700, "Recalling its earlier decisions on the subject of this synthetic test document"),
          (72, 686, "and the reports submitted to it by the Secretary-General in previous years and"),
          (72, 672, "by the subsidiary bodies established under its rules of procedure, all of which,")]


@pytest.mark.parametrize("first_x, second_x, first, merged", [
    # a first-line indent: the paragraph's own first line (a preambular paragraph, the one
    # before ending with a comma)
    (108, 72, "Noting with appreciation the work done by the secretariat in the past two years", False),
    # flush with the next line: a capitalised word that continues the sentence
    (72, 72, "United Nations bodies concerned, which were consulted on the preparation of all", True),
    # a hanging indent (both lines set in): a continuation of an indented sub-paragraph
    (108, 108, "Member States concerned, which were consulted on the preparation of all of the", True),
    # lower case after the break: always a continuation
    (108, 72, "the bodies concerned, which were consulted on the preparation of all of these", True),
])
def test_a_page_break_starts_a_paragraph_only_on_an_indented_first_line(
        tmp_path: Path, first_x: int, second_x: int, first: str, merged: bool) -> None:
    page2 = [(first_x, 700, first),
             (second_x, 686, "synthetic documents used in these tests of the ingest and of its page breaks,")]
    p = tmp_path / "two-pages.pdf"
    p.write_bytes(_lines_pdf([_PAGE1, page2]))
    paras = load_pdf(p).norm.split("\n")
    assert len(paras) == (1 if merged else 2), paras
    assert paras[0].startswith("Recalling its earlier decisions")
    assert paras[-1].endswith("of its page breaks,")
    if not merged:
        assert paras[0].endswith("all of which,") and paras[1].startswith("Noting with appreciation")


def test_preambular_paragraphs_of_80_50_do_not_merge_over_the_page_break() -> None:
    paras = load_pdf(CORPUS / "A_RES_80_50.pdf").norm.split("\n")
    welcoming = next(p for p in paras if p.startswith("Welcoming the renewed interest"))
    assert welcoming.endswith("to address the catastrophic consequences of nuclear weapons,")
    assert "Recalling that the 2010 Review Conference" not in welcoming
    after = paras[paras.index(welcoming) + 1]
    assert after.startswith("Recalling that the 2010 Review Conference of the Parties")
    # the next page's numbered paragraph still starts on its own, and a sentence that
    # runs over a page break still stays whole (test_line_breaks_hyphens_and_page_breaks_repaired)
    assert any(p.startswith("5. Calls upon all States") for p in paras)
