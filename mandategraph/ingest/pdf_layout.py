"""The layout pass of PDF ingest (see :mod:`mandategraph.ingest.pdf`): pdfium's characters ->
visual lines with geometry and type size -> reading blocks, footnotes and page furniture."""

from __future__ import annotations

import codecs
import ctypes
import re
from dataclasses import dataclass, field
from functools import cache

PAGE_SEP = "\f"

#: Furniture recognisable by its wording alone, wherever it lies on the page.
_FURNITURE = re.compile(
    r"^(?:\*\d{6,8}\*"  # barcode of the job number
    r"|\d+/\d+\s+\d{2}-\d{5}(?:\s*\([A-Z]\))?"  # "2/5 25-16680"
    r"|\d{2}-\d{5}(?:\s*\([A-Z]\))?\s+\d+/\d+"  # "25-16680 3/5"
    r"|\d{2}-\d{5}\s*\([A-Z]\)(?:\s+\d{6})?"  # "25-16006 (E) 091025"
    r"|Please recycle.*)\s*$"
)
_LABEL = re.compile(r"\s*(?:\d+/\d+|\d+|[IVXL]+|[A-Z])\.\s")  #: "80/12. ", "3. ", "II. "
_SEPARATOR = re.compile(r"^\s*_{5,}\s*$")
_MARKER_CHARS = re.compile(r"[0-9*†‡]+")
_MARKS = " 0123456789*†‡"
_LINE = re.compile(r"[^\r\n]+")  #: a line of page text (pdfium ends lines with \r\n)
#: 1:1 character repairs for the reading text (offsets stay aligned).
_TRANSLATE = str.maketrans({"\ufffe": "-", "\u2011": "-", "\u00a0": " ", "\u2002": " ",
                            "\u2003": " ", "\u2009": " ", "\t": " "})
#: runs of spaces, spaces around a line end, and a stray space before a compound's hyphen
#: (" +\n *|\n +| {2,}|(?<=[^\W\d]) (?=-[^\W\d])", factored so that every branch starts with
#: a literal: the scan then only stops at spaces and line ends, 4x faster)
_SQUEEZE = re.compile(r" (?: *\n *| +|(?=-[^\W\d])(?<=[^\W\d] ))|\n +")
_MIN_TEXT_CHARS = 20
_NO_DROP: frozenset[int] = frozenset()
_NOTE_START = re.compile(r"\s*[*†‡\d]")


def _repair_chars(text: str) -> str:
    """The 1:1 repairs of _TRANSLATE with str.replace (much faster than str.translate)."""
    for a, b in _REPAIRS:
        if a in text:
            text = text.replace(a, b)
    return text


_REPAIRS = (("\ufffe", "-"), ("\u2011", "-"), ("\u00a0", " "), ("\u2002", " "), ("\u2003", " "),
            ("\u2009", " "), ("\t", " "))


@dataclass(slots=True)
class _Line:
    """One visual line of a page: character ranges of the page text, geometry, type size."""

    ranges: list[tuple[int, int]]  #: [start, end) in page text, several when pdfium split it
    x: float
    y: float  #: bottom of the loose box of the first character
    size: float
    y_end: float = 0.0  #: bottom of the box of the last character (pdfium may join lines)
    text: str = ""
    drop: set[int] = field(default_factory=set)  #: page offsets of footnote markers


class _Raw:
    """Thin, lazily imported access to the pdfium calls we need (imports cost start-up)."""

    def __init__(self) -> None:
        # pypdfium2 costs ~35 ms to import (python -X importtime): only when a PDF is read
        import pypdfium2 as pdfium  # noqa: PLC0415 - measured, see above
        import pypdfium2.raw as raw  # noqa: PLC0415 - measured, see above

        self.pdfium = pdfium
        self.raw = raw
        self.rect = raw.FS_RECTF()

    def page_text(self, tp) -> str:
        """All the text of a text page: ``PdfTextPage.get_text_range()`` without the wrapper
        objects (the same calls: leading/trailing characters with no text index are
        skipped, UTF-16 decoded with errors ignored)."""
        raw = self.raw
        n = raw.FPDFText_CountChars(tp)
        first, last, left, right = 0, n - 1, 0, 0
        while True:
            if first > last:
                return ""
            t_start = raw.FPDFText_GetTextIndexFromCharIndex(tp, first)
            if t_start == -1:
                first, left = first + 1, left + 1
                continue
            t_end = raw.FPDFText_GetTextIndexFromCharIndex(tp, last)
            if t_end == -1:
                last, right = last - 1, right + 1
                continue
            break
        buffer = (ctypes.c_ushort * (t_end + 2 - t_start))()
        out = raw.FPDFText_GetText(tp, left, n - left - right, buffer)
        return codecs.decode(memoryview(buffer)[:out - 1], "utf-16-le", "ignore")

    def size(self, tp, i: int) -> float:
        return self.raw.FPDFText_GetFontSize(tp, i)


@cache
def _raw() -> _Raw:
    """The one pdfium access of the process, made on first use."""
    return _Raw()


def _page_lines(rw: _Raw, tp, text: str) -> list[_Line]:
    """Split the page text into visual lines with geometry; merge pdfium's split segments."""
    lines: list[_Line] = []
    font_size = rw.raw.FPDFText_GetFontSize
    char_box = rw.raw.FPDFText_GetLooseCharBox
    rect = rw.rect
    prev = None
    for m in _LINE.finditer(text):
        start, end = m.span()
        seg = m.group()
        stripped = seg.lstrip()
        if not stripped:
            continue
        first = start + (len(seg) - len(stripped))
        size = font_size(tp, first)
        char_box(tp, first, rect)
        x, y = rect.left, rect.bottom
        if "\ufffe" in seg:
            last = start + len(seg.rstrip()) - 1
            while last > first and text[last] in _MARKS:
                last -= 1  # a trailing superscript marker sits above the baseline
            # pdfium joins two lines itself only at a line-end hyphen (U+FFFE)
            if last > first:
                char_box(tp, last, rect)
                y_end = rect.bottom
            else:
                y_end = y
        else:
            y_end = y
        marks_only = not stripped.strip(_MARKS)
        if prev is not None and abs(prev.y_end - y) < 0.45 * max(size, prev.size) \
                and x > prev.x:
            prev.ranges.append((start, end))
            if not marks_only:
                prev.y_end = y_end  # (a lone raised marker does not move the baseline)
                if not prev.text:  # the line so far was only a marker: take this geometry
                    prev.y, prev.size, prev.text = y, size, "x"
            continue
        prev = _Line([(start, end)], x, y, size, y_end=y_end, text="" if marks_only else "x")
        lines.append(prev)
    for line in lines:
        ranges = line.ranges
        line.text = text[ranges[0][0]:ranges[0][1]] if len(ranges) == 1 else \
            " ".join(text[a:b] for a, b in ranges)
    return lines


def _markers(rw: _Raw, tp, text: str, line: _Line) -> None:
    """Mark digits/asterisks set much smaller than the text around them as footnote markers.

    A marker ends its digit run ("2014–20243": the 3), so the last character is tested first;
    only when it is small is the run walked back and compared with its neighbour's size (the
    line's first character can be larger, as in the masthead)."""
    size = rw.raw.FPDFText_GetFontSize
    for a, b in line.ranges:
        for m in _MARKER_CHARS.finditer(text, a, b):
            last = m.end() - 1
            size_last = size(tp, last)
            if size_last >= 0.8 * line.size and line.size > 0:
                continue
            k = _prev_char(text, line.ranges, m.start())
            if k < 0:
                k = _next_char(text, line.ranges, m.end())
                if k < 0:
                    continue
            limit = 0.8 * size(tp, k)
            i = last
            while i >= m.start() and (size_last if i == last else size(tp, i)) < limit:
                line.drop.add(i)
                i -= 1


def _prev_char(text: str, ranges: list[tuple[int, int]], pos: int) -> int:
    """Index of the last non-space character before ``pos`` in the line, or -1."""
    for a, b in reversed(ranges):
        for i in range(min(b, pos) - 1, a - 1, -1):
            if text[i] != " ":
                return i
    return -1


def _next_char(text: str, ranges: list[tuple[int, int]], pos: int) -> int:
    """Index of the first non-space character at or after ``pos`` in the line, or -1."""
    for a, b in ranges:
        for i in range(max(a, pos), b):
            if text[i] != " ":
                return i
    return -1


def _body_size(lines: list[_Line]) -> float:
    weight: dict[float, int] = {}
    for line in lines:
        key = round(line.size, 1)
        r = line.ranges
        weight[key] = weight.get(key, 0) + (r[0][1] - r[0][0] if len(r) == 1 else
                                            sum(b - a for a, b in r))
    return max(weight, key=weight.__getitem__) if weight else 10.0


def _classify(lines: list[_Line], page_index: int, height: float,
              body: float) -> tuple[list[_Line], list[_Line]]:
    """Split page lines into reading lines and footnote lines; furniture is dropped."""
    top, bottom = 0.91 * height, 0.065 * height
    reading: list[_Line] = []
    notes: list[_Line] = []
    in_notes = False
    for line in lines:
        txt = line.text.strip()
        if _FURNITURE.match(txt) or line.y < bottom:
            continue
        if line.y > top and (page_index > 0 or line.size < body - 0.3):
            continue  # running head (page 1 keeps its masthead line)
        if _SEPARATOR.match(txt):
            in_notes = True
            continue
        (notes if in_notes else reading).append(line)
    # A trailing run of small-type lines that starts with a marker is a footnote block
    # without a separator (the sponsors' note "* Any changes to the list of sponsors ...").
    k = len(reading)
    while k > 0 and reading[k - 1].size < 0.92 * body:
        k -= 1
    if k < len(reading) and re.match(r"[*†‡\d]", reading[k].text.lstrip()):
        notes = reading[k:] + notes
        reading = reading[:k]
    return reading, notes


def _blocks(lines: list[_Line]) -> list[list[_Line]]:
    """Group reading lines into blocks (paragraphs) by gap, indent and type size."""
    blocks: list[list[_Line]] = []
    left = 0.0
    for line in lines:
        if blocks:
            prev = blocks[-1][-1]
            gap = prev.y_end - line.y
            hanging = len(blocks[-1]) == 1 and line.x > prev.x and _LABEL.match(prev.text)
            same = (abs(prev.size - line.size) < 0.3 and 0 < gap < 1.45 * line.size
                    and (line.x < left + 8 or hanging))
            if same:
                blocks[-1].append(line)
                left = line.x if hanging else min(left, line.x)
                continue
        blocks.append([line])
        left = line.x
    return blocks


def _ends_sentence(s: str) -> bool:
    return s.rstrip()[-1:] in (".", ";", ":", "?", "!")


def _layout(rw: _Raw, tp, text: str, page_index: int, height: float):
    lines = _page_lines(rw, tp, text)
    for line in lines:
        if _MARKER_CHARS.search(line.text):
            _markers(rw, tp, text, line)
    body = _body_size(lines)
    reading, notes = _classify(lines, page_index, height, body)
    return _blocks(reading), notes
