"""PDF ingest: an official UN PDF -> :class:`~mandategraph.ingest.source.Source`.

Why a layout pass and not just ``get_text``: the text layer of a UN PDF interleaves the
reading text with page furniture (running heads, "n/m" page numbers, job numbers such as
"25-16680", the barcode "*2516680*"), footnotes, superscript footnote markers glued to words
("2014–20243" is "2014–2024" plus marker 3) and line breaks inside sentences and compounds.
pdfium gives each character a font size and a box, which is enough to tell these apart
without OCR-grade layout analysis:

* furniture lies in the top or bottom margin of a page (or matches the furniture patterns);
* footnotes follow the "____" separator, or are a trailing run of small-type lines that
  start with a marker;
* footnote markers are digits or asterisks set markedly smaller than their line;
* lines are grouped into blocks (paragraphs) by vertical gap, first-line indent and type size,
  and joined inside a block, repairing hyphenated compounds ("Two -" + "State") and paths
  split after a slash.

``Source.text`` is the page text exactly as pdfium extracts it, pages joined by a form feed;
``Source.norm`` is the cleaned reading text, one block per line, and ``Source.offsets`` maps
every character of ``norm`` back to ``text`` (provenance). Footnotes are kept out of ``norm``
and listed in ``Source.footnotes`` as spans of ``text``.
"""


from __future__ import annotations

import re
from pathlib import Path

from . import limits
from .pdf_layout import (
    _MIN_TEXT_CHARS,
    _NO_DROP,
    _NOTE_START,
    _SQUEEZE,
    _TRANSLATE,
    PAGE_SEP,
    _ends_sentence,
    _layout,
    _Line,
    _Raw,
    _raw,
    _repair_chars,
)
from .source import IngestError, Source, scrub, sha256_file


class _NormBuilder:
    """Accumulates the reading text and its offset map, piece by piece."""

    def __init__(self, text: str):
        self.src = _repair_chars(text)
        self.parts: list[str] = []
        self.offs: list[int] = []
        self.markers: list[tuple[int, int]] = []

    def last(self) -> str:
        return self.parts[-1][-1:] if self.parts else "\n"

    def add_range(self, a: int, b: int, drop: set[int]) -> None:
        if not drop or not any(a <= i < b for i in drop):
            self.parts.append(self.src[a:b])
            self.offs.extend(range(a, b))
            return
        i = a
        while i < b:
            j = i
            while j < b and j not in drop:
                j += 1
            if j > i:
                self.parts.append(self.src[i:j])
                self.offs.extend(range(i, j))
            if j < b:  # a dropped marker character: extend the current marker or start one
                if self.markers and self.markers[-1][1] == j:
                    self.markers[-1] = (self.markers[-1][0], j + 1)
                else:
                    self.markers.append((j, j + 1))
            i = j + 1

    def add_sep(self, sep: str, at: int) -> None:
        self.parts.append(sep)
        if len(sep) == 1:
            self.offs.append(at)
        else:
            self.offs.extend([at] * len(sep))

    def trim_end(self) -> str:
        """Drop trailing spaces; return the last non-space character."""
        while self.parts:
            last = self.parts[-1]
            stripped = last.rstrip(" ")
            cut = len(last) - len(stripped)
            if cut:
                del self.offs[len(self.offs) - cut:]
                if stripped:
                    self.parts[-1] = stripped
                else:
                    self.parts.pop()
                    continue
            return stripped[-1:]
        return ""


def _join_line(nb: _NormBuilder, line: _Line, base: int, first: bool) -> None:
    """Append one visual line to the current block, repairing the break before it."""
    if not first:
        tail = nb.trim_end()
        if tail == "–" and nb.parts[-1][-2:-1].isdigit():
            pass  # "2015–" + "2030": a range split after its dash
        elif tail in ("-", "/"):
            if tail == "-" and len(nb.parts) and nb.parts[-1][-2:-1] == " ":
                # "Two -" + "State": justified space before a line-end hyphen
                p = nb.parts[-1]
                nb.parts[-1] = p[:-2] + "-"
                del nb.offs[len(nb.offs) - 2]
        else:
            nb.add_sep(" ", base + line.ranges[0][0] - 1)
    drop = {base + i for i in line.drop} if line.drop else _NO_DROP
    ranges = line.ranges
    if len(ranges) == 1 and not drop:  # most lines: one range, no marker
        a, b = ranges[0]
        nb.parts.append(nb.src[base + a:base + b])
        nb.offs.extend(range(base + a, base + b))
        return
    for k, (a, b) in enumerate(ranges):
        if k:
            if nb.last() not in (" ", "\n") and nb.src[base + a:base + a + 1] != " ":
                nb.add_sep(" ", base + a)
        nb.add_range(base + a, base + b, drop)


def load_pdf(path: str | Path) -> Source:
    """Read a PDF into a :class:`Source`. Raises IngestError naming the file and the problem."""
    path = Path(path)
    rw = _raw()
    try:
        doc = rw.pdfium.PdfDocument(str(path))
    except rw.pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower() or "security" in msg.lower():
            raise IngestError(path, f"encrypted PDF ({msg}); expected an unencrypted PDF "
                                    "with a text layer") from None
        raise IngestError(path, f"not a readable PDF ({msg}); expected a PDF file with a "
                                "text layer") from None
    except OSError as exc:
        raise IngestError(path, f"cannot open: {exc}") from None
    try:
        return _read(doc, path, rw)
    finally:
        doc.close()


def _read(doc, path: Path, rw: _Raw) -> Source:
    page_texts: list[str] = []
    layouts = []
    raw = rw.raw
    limits.check_pages(path, len(doc))
    chars = 0
    for index in range(len(doc)):
        limits.at_page(index + 1)
        # raw pdfium calls: the wrapper objects (PdfPage, PdfTextPage) cost a tenth of the
        # page loading itself
        page = raw.FPDF_LoadPage(doc.raw, index)
        if not page:
            raise rw.pdfium.PdfiumError("Failed to load page.")
        try:
            limits.check_page_objects(path, index + 1, raw.FPDFPage_CountObjects(page))
            tp = raw.FPDFText_LoadPage(page)
            if not tp:
                raise rw.pdfium.PdfiumError("Failed to load text page.")
            try:
                text = rw.page_text(tp)
                limits.check_page_chars(path, index + 1, len(text))
                chars += len(text)
                limits.check_chars(path, chars, f" at page {index + 1:,}")
                page_texts.append(text)
                layouts.append(_layout(rw, tp, text, index, raw.FPDF_GetPageHeightF(page)))
            finally:
                raw.FPDFText_ClosePage(tp)
        finally:
            raw.FPDF_ClosePage(page)
    full = PAGE_SEP.join(page_texts)
    if sum(len(t.strip()) for t in page_texts) < _MIN_TEXT_CHARS:
        raise IngestError(path, f"no text layer ({len(page_texts)} page(s), no extractable "
                                "text: a scanned image?); expected a PDF with a text layer")
    nb = _NormBuilder(full)
    pages: list[tuple[int, int]] = []
    footnotes: list[tuple[int, int]] = []
    base = 0
    for index, (text, (blocks, notes)) in enumerate(zip(page_texts, layouts)):
        pages.append((base, base + len(text)))
        for bi, block in enumerate(blocks):
            first_line = block[0]
            continues = (bi == 0 and index > 0 and nb.parts and
                         _continues(nb, first_line, block))
            if not continues and nb.parts:
                nb.trim_end()
                nb.add_sep("\n", base + first_line.ranges[0][0])
            for li, line in enumerate(block):
                _join_line(nb, line, base, first=(li == 0 and not continues))
        for line in notes:
            a, b = line.ranges[0][0], line.ranges[-1][1]
            if _NOTE_START.match(text, a, b) or not footnotes:
                footnotes.append((base + a, base + b))
            else:  # continuation line of the previous footnote
                footnotes[-1] = (footnotes[-1][0], base + b)
        base += len(text) + len(PAGE_SEP)
    nb.trim_end()
    norm = "".join(nb.parts)
    norm, offsets = _squeeze(norm, nb.offs)
    offsets.append(len(full))
    norm, offsets = scrub(norm, offsets)
    return Source(path=str(path), media_type="application/pdf", text=full, norm=norm,
                  offsets=offsets, language=detect_language(norm), sha256=sha256_file(path),
                  pages=pages, footnotes=footnotes, markers=nb.markers)


def _continues(nb: _NormBuilder, line: _Line, block: list[_Line] | None = None) -> bool:
    """Does the first block of a page continue the last block of the previous page?"""
    head = line.text.lstrip()
    if not head:
        return False
    prev_tail = "".join(nb.parts[-3:]).rstrip()
    if re.match(r"\(?[0-9]+\.|\([a-z]+\)|[IVX]+\.", head):
        return False  # a numbered paragraph or sub-paragraph starts
    if head[0].islower():
        return True
    if block and _first_line_indented(block):
        # a capitalised first line set in from the lines under it: a paragraph's own first
        # line (a preambular "Recalling ...," ends the one before with a comma, not a stop)
        return False
    return not _ends_sentence(prev_tail)


def _first_line_indented(block: list[_Line]) -> bool:
    """The block's first line starts right of its second by more than half the type size
    (a first-line indent); a hanging indent or a flush continuation does not."""
    if len(block) < 2:
        return False
    first, second = block[0], block[1]
    return first.x - second.x > 0.5 * max(first.size, second.size, 1.0)


def _squeeze(norm: str, offs: list[int]) -> tuple[str, list[int]]:
    """Collapse runs of spaces and strip spaces around line ends, keeping offsets aligned."""
    out: list[str] = []
    out_offs: list[int] = []
    pos = 0
    for m in _SQUEEZE.finditer(norm):
        out.append(norm[pos:m.start()])
        out_offs.extend(offs[pos:m.start()])
        pos = m.end()
        if m.group() == " ":
            continue  # "high -level": a stray space before a compound's hyphen
        nl = m.group().find("\n")
        keep = m.start() + nl if nl >= 0 else m.start()
        out.append(norm[keep])
        out_offs.append(offs[keep])
    out.append(norm[pos:])
    out_offs.extend(offs[pos:])
    return "".join(out), out_offs


_SCRIPTS = (("zh", re.compile(r"[\u4e00-\u9fff]")), ("ar", re.compile(r"[\u0600-\u06ff]")),
            ("ru", re.compile(r"[\u0400-\u04ff]")))
_FR = re.compile(r"\b(?:Assemblée|générale|Conseil|présente)\b")


def detect_language(text: str) -> str:
    """Language of the reading text by script and a few masthead words (UN languages)."""
    sample = text[:4000]
    for code, pattern in _SCRIPTS:
        if len(pattern.findall(sample)) > 50:
            return code
    if _FR.search(sample):
        return "fr"
    if "Asamblea General" in sample or "período de sesiones" in sample:
        return "es"
    return "en"


def footnote_texts(source: Source) -> list[str]:
    """The footnotes of a PDF source as cleaned text (one string per footnote)."""
    out = []
    for a, b in source.footnotes:
        s = source.text[a:b].translate(_TRANSLATE)
        s = re.sub(r"\s*[\r\n]+\s*", " ", s)
        out.append(re.sub(r" {2,}", " ", s).strip())
    return out
