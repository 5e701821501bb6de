"""Ingest: a source file -> :class:`Source` (original text, normalised text, offset map).

Supported: plain text (.txt), Markdown (.md), HTML (.html/.htm), DOCX (.docx) and PDF (.pdf).
Every fact points at characters of ``Source.text`` (the original text as read); extractors
work on ``Source.norm`` and map offsets back with ``Source.to_original``.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable


class IngestError(Exception):
    """A source could not be read. Names the file, the line when known, and what was expected."""

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


@dataclass
class Source:
    path: str
    media_type: str
    text: str  #: the original text, as extracted from the file
    norm: str  #: normalised text the extractors read
    offsets: list[int]  #: offsets[i] = index in ``text`` of ``norm[i]`` (len(norm)+1 entries)
    language: str
    sha256: str
    pages: list[tuple[int, int]] = field(default_factory=list)  #: (start, end) in text per page
    footnotes: list[tuple[int, int]] = field(default_factory=list)  #: spans in text
    #: footnote markers dropped from ``norm`` (PDF): (start, end) in ``text`` of each marker,
    #: so a mention can be tied to its footnote ("... pursuant to resolution 79/43,⁴")
    markers: list[tuple[int, int]] = field(default_factory=list)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of ``norm`` to the span of ``text`` it came from."""
        o_start = self.offsets[start]
        o_end = self.offsets[end - 1] + 1 if end > start else o_start
        return o_start, o_end


SUFFIXES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
}


def sha256_file(path: Path) -> str:
    """SHA-256 of a file. Memoised on (path, size, mtime): the pipeline hashes a file to skip
    unchanged sources and the loader records the same digest, so a file is read once."""
    st = os.stat(path)
    return _sha256(os.path.abspath(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=512)
def _sha256(path: str, _size: int, _mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def supported(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


# --------------------------------------------------------------------------- loading

Loader = Callable[[Path], Source]


def load_source(path: str | Path) -> Source:
    """Read one file into a :class:`Source`; the loader is chosen by suffix (see LOADERS).

    Raises IngestError naming the file and what was expected: missing, empty, binary, in an
    unsupported encoding or format, or without any text.
    """
    p = Path(path)
    if not p.is_file():
        raise IngestError(p, "no such file")
    suffix = p.suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        raise IngestError(p, f"unsupported format {suffix or '(no suffix)'!r}; expected one of "
                          + " ".join(sorted(LOADERS)))
    if p.stat().st_size == 0:
        raise IngestError(p, "empty file; expected a document with text")
    return loader(p)


def _load_pdf(path: Path) -> Source:
    """PDF lives in :mod:`mandategraph.pdf` (layout-aware); imported lazily (pypdfium2)."""
    from .pdf import load_pdf  # noqa: PLC0415

    return load_pdf(path)


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise IngestError(path, f"unreadable UTF-16 text at byte {e.start}") from None
    if b"\x00" in data[:4096]:
        raise IngestError(path, "binary file; expected UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise IngestError(path, f"unsupported encoding (invalid UTF-8 at byte {e.start}); "
                          "expected UTF-8 or UTF-16 with a byte-order mark", line=line) from None
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > 8:
        raise IngestError(path, "binary file (control characters); expected text")
    return text


def _read_text(path: Path) -> str:
    return _decode(path, path.read_bytes())


def _load_text(path: Path) -> Source:
    return make_source(path, SUFFIXES[path.suffix.lower()], _read_text(path))


class _HtmlText(HTMLParser):
    """HTML -> text with block structure: blocks end in a blank line, list items get the
    markers a plain-text agenda would have ("1. ", "(a) ", "- "), table cells are tab-separated."""

    _BLOCK = {"p", "div", "section", "article", "header", "footer", "h1", "h2", "h3", "h4", "h5",
              "h6", "table", "blockquote", "pre", "ul", "ol", "main", "nav", "aside", "dl", "dt",
              "dd", "figure", "caption", "hr", "title", "address"}
    _SKIP = {"script", "style", "head", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.lists: list[list] = []  # [tag, counter]

    def _nl(self, n: int) -> None:
        text = "".join(self.parts[-3:])
        have = len(text) - len(text.rstrip("\n"))
        if self.parts and have < n:
            self.parts.append("\n" * (n - have))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skip += 1
        elif tag in ("ul", "ol"):
            self._nl(1)
            self.lists.append([tag, 0])
        elif tag == "li":
            self._nl(1)
            depth = max(len(self.lists), 1)
            kind, n = self.lists[-1] if self.lists else ("ul", 0)
            if self.lists:
                self.lists[-1][1] += 1
                n += 1
            indent = " " * (depth - 1)
            if kind == "ol" and depth == 1:
                self.parts.append(f"{indent}{n}. ")
            elif kind == "ol":
                self.parts.append(f"{indent}({chr(ord('a') + (n - 1) % 26)}) ")
            else:
                self.parts.append(f"{indent}- ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            if self.parts and not self.parts[-1].endswith(("\n", "\t")):
                self.parts.append("\t")
        elif tag == "tr":
            self._nl(1)
        elif tag in self._BLOCK:
            self._nl(2)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._nl(2 if not self.lists else 1)
        elif tag in self._BLOCK or tag == "li":
            self._nl(2 if tag in self._BLOCK else 1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        data = re.sub(r"\s+", " ", data)
        if self.parts and self.parts[-1].endswith(("\n", "\t", " ")):
            data = data.lstrip(" ")
        if data:
            self.parts.append(data)

    def text(self) -> str:
        return re.sub(r"[ \t]+\n", "\n", "".join(self.parts)).strip() + "\n"


def _load_html(path: Path) -> Source:
    raw = _read_text(path)
    parser = _HtmlText()
    parser.feed(raw)
    parser.close()
    text = parser.text()
    if not text.strip():
        raise IngestError(path, "no text in the HTML body; expected a document with text")
    return make_source(path, "text/html", text)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _load_docx(path: Path) -> Source:
    """DOCX -> text: paragraphs end in a blank line, list paragraphs get "- " markers (Word's
    automatic numbering is not in the text, like the first page of the seed), tables rows are
    lines with tab-separated cells."""
    import zipfile  # noqa: PLC0415

    if not zipfile.is_zipfile(path):
        raise IngestError(path, "not a DOCX file; expected a ZIP package with word/document.xml")
    try:
        import docx  # noqa: PLC0415
        from docx.table import Table  # noqa: PLC0415
        from docx.text.paragraph import Paragraph  # noqa: PLC0415

        document = docx.Document(str(path))
    except Exception as e:  # noqa: BLE001 - python-docx raises many kinds
        raise IngestError(path, f"unreadable DOCX ({type(e).__name__}: {e}); expected a Word "
                          "document") from None
    blocks: list[str] = []
    for el in document.element.body.iterchildren():
        if el.tag == f"{_W}p":
            para = Paragraph(el, document)
            text = para.text.strip()
            if not text:
                continue
            level = _list_level(el, para)
            if level is not None:
                text = " " * level + "- " + text
            blocks.append(text)
        elif el.tag == f"{_W}tbl":
            rows = []
            for row in Table(el, document).rows:
                rows.append("\t".join(c.text.strip() for c in row.cells))
            blocks.append("\n".join(rows))
    text = "\n\n".join(blocks) + "\n"
    if not text.strip():
        raise IngestError(path, "no text in the DOCX body; expected a document with text")
    return make_source(path, SUFFIXES[".docx"], text)


def _list_level(el, para) -> int | None:  # noqa: ANN001 - python-docx objects
    """Nesting level of a list paragraph (direct numbering or a "List ..." style), else None."""
    num = el.find(f"{_W}pPr/{_W}numPr")
    if num is not None:
        ilvl = num.find(f"{_W}ilvl")
        return int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
    name = (para.style.name if para.style is not None else "") or ""
    m = re.match(r"List (?:Number|Bullet|Paragraph)(?: (\d))?$", name)
    if m:
        return int(m.group(1)) - 1 if m.group(1) else 0
    return None


#: Loaders by file suffix: the single dispatch point. Add a format by adding an entry.
LOADERS: dict[str, Loader] = {
    ".txt": _load_text,
    ".md": _load_text,
    ".markdown": _load_text,
    ".html": _load_html,
    ".htm": _load_html,
    ".docx": _load_docx,
    ".pdf": _load_pdf,
}


def make_source(path: str | Path, media_type: str, text: str, *,
                language: str | None = None) -> Source:
    """A Source over already extracted text: detects the language and normalises."""
    if not text.strip():
        raise IngestError(path, "no text; expected a document with text")
    lang = language or detect_language(text)
    norm, offsets = normalise(text, lang, markdown=media_type == "text/markdown")
    return Source(path=str(path), media_type=media_type, text=text, norm=norm, offsets=offsets,
                  language=lang, sha256=sha256_file(Path(path)) if Path(path).is_file() else
                  hashlib.sha256(text.encode("utf-8")).hexdigest())


# --------------------------------------------------------------------------- language

_STOP = {
    "en": {"the", "of", "and", "to", "in", "on", "for", "that", "with", "its", "by", "be", "is",
           "will", "which", "at", "as", "has", "this", "from"},
    "fr": {"le", "la", "les", "de", "des", "du", "et", "en", "pour", "dans", "sur", "par", "au",
           "aux", "une", "qui", "est", "sa", "ses", "que"},
    "es": {"el", "la", "los", "las", "de", "del", "y", "en", "para", "por", "con", "que", "su",
           "sus", "una", "al", "se", "es", "lo", "como"},
}


def detect_language(text: str) -> str:
    """zh, ar, ru by script; en, fr, es by stop words (no model). Defaults to en."""
    sample = text[:40000]
    han = arabic = cyr = latin = 0
    for c in sample:
        o = ord(c)
        if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
            han += 1
        elif 0x0600 <= o <= 0x06FF:
            arabic += 1
        elif 0x0400 <= o <= 0x04FF:
            cyr += 1
        elif c.isalpha() and o < 0x250:
            latin += 1
    letters = han + arabic + cyr + latin or 1
    # a Han character carries a word's worth of meaning: weigh it against Latin letters
    if han * 5 >= latin and han / letters > 0.05:
        return "zh"
    if arabic / letters > 0.3:
        return "ar"
    if cyr / letters > 0.3:
        return "ru"
    words = re.findall(r"[a-záéíóúñàâçèêëîïôûü]+", sample.lower())
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOP.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] else "en"


# --------------------------------------------------------------------------- normalisation

#: Characters dropped from the reading text: zero-width marks, soft hyphen, and loose
#: superscript footnote markers (¹²³ stand in the converted text where the footnote was).
_DROP = set("\u200b\u200c\u200d\u2060\ufeff\u00ad¹²³⁴⁵⁶⁷⁸⁹⁰")
_SPACES = set("\u00a0\u2002\u2003\u2009\u202f\u3000")
_TERMINAL = set("。；：！？）)”」』》.;:!?\"'")
_HEADING_LINE = re.compile(r"^\s*(?:\d{1,2}\.\s|\([a-z]{1,2}\)\s|[-*•]\s)")


#: Text hygiene (the documented mapping, docs/ontology.md "Quotes"): characters XML 1.0
#: forbids (C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF) and the other
#: Unicode non-characters (U+FDD0-U+FDEF, U+nFFFE/U+nFFFF of every plane) cannot be written
#: in RDF/XML, and raptor rejects them in every syntax. A form feed (pdfium's page break)
#: and a vertical tab become a line break; U+FFFE, which pdfium writes for a hyphen
#: ("eighty\ufffefirst"), becomes "-"; every other such character is removed.
_HYGIENE_MAP = {"\f": "\n", "\v": "\n", "\ufffe": "-"}
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                        + "".join(f"{chr(p << 16 | 0xFFFE)}{chr(p << 16 | 0xFFFF)}" for p in range(1, 17))
                        + "]")


def xml_safe(text: str) -> str:
    """``text`` with the hygiene mapping applied (a quote of the original text is written
    through it: ``xml_safe(Source.text[start:end])`` is the annotation's ``oa:exact``)."""
    if _FORBIDDEN.search(text) is None:
        return text
    return _FORBIDDEN.sub(lambda m: _HYGIENE_MAP.get(m.group(), ""), text)


def scrub(norm: str, offsets: list[int]) -> tuple[str, list[int]]:
    """The hygiene mapping on a reading text and its offset map (a mapped character keeps its
    offset, a removed one takes its entry out), for readers that build ``norm`` themselves."""
    if _FORBIDDEN.search(norm) is None:
        return norm, offsets
    chars: list[str] = []
    offs: list[int] = []
    pos = 0
    for m in _FORBIDDEN.finditer(norm):
        chars.append(norm[pos:m.start()])
        offs.extend(offsets[pos:m.start()])
        rep = _HYGIENE_MAP.get(m.group(), "")
        if rep:
            chars.append(rep)
            offs.append(offsets[m.start()])
        pos = m.end()
    chars.append(norm[pos:])
    offs.extend(offsets[pos:])  # includes the closing len(text) entry when present
    return "".join(chars), offs


def _is_cjk(c: str) -> bool:
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or c in "《“（"


_MD_MARKUP = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+|\*\*|__|^[ \t]{0,3}>[ \t]?", re.MULTILINE)


def _markdown_drops(text: str) -> set[int]:
    """Positions of Markdown markup that carries no words: heading hashes, bold markers and
    blockquote signs. Links stay (``[CTOC/COP/2024/5](#)``: the symbol finder reads them)."""
    drop: set[int] = set()
    for m in _MD_MARKUP.finditer(text):
        drop.update(range(m.start(), m.end()))
    return drop


def normalise(text: str, lang: str, markdown: bool = False) -> tuple[str, list[int]]:
    """Reading text + offset map (``offsets[i]`` = index in ``text`` of ``norm[i]``).

    - full-width ASCII forms -> ASCII, odd spaces -> space, CRLF -> LF;
    - zero-width characters, soft hyphens and loose superscript footnote markers dropped;
    - the hygiene mapping (:func:`xml_safe`): characters XML 1.0 forbids and Unicode
      non-characters removed, form feed and vertical tab -> line break, U+FFFE -> "-";
    - in Markdown, heading hashes and bold markers dropped;
    - a sentence split by a page break is re-joined: a long line that does not end a sentence,
      followed after blank lines by a line that continues it (a CJK character in Chinese, a
      lower-case letter otherwise), loses the line break (Chinese) or gets one space.
    """
    chars: list[str] = []
    offs: list[int] = []
    n = len(text)
    md_drop = _markdown_drops(text) if markdown else set()
    for i, c in enumerate(text):
        if i in md_drop:
            continue
        if c == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                continue
            c = "\n"
        elif c in _DROP:
            continue
        elif c < " " and c not in "\t\n" or c >= "\ud800" and _FORBIDDEN.match(c):
            c = _HYGIENE_MAP.get(c, "")
            if not c:
                continue
        elif c in _SPACES:
            c = " "
        elif 0xFF01 <= ord(c) <= 0xFF5E:
            c = chr(ord(c) - 0xFEE0)
        chars.append(c)
        offs.append(i)
    norm = "".join(chars)
    # re-join sentences split by page breaks
    out_c: list[str] = []
    out_o: list[int] = []
    pos = 0
    min_len = 30 if lang in ("zh",) else 50
    for m in re.finditer(r"[ \t]*\n(?:[ \t]*\n)+[ \t]*", norm):
        line_start = norm.rfind("\n", 0, m.start()) + 1
        line = norm[line_start:m.start()]
        nxt = norm[m.end():m.end() + 1]
        prev = line[-1:] if line else ""
        join = (len(line) >= min_len and prev and prev not in _TERMINAL and "\t" not in line
                and not _HEADING_LINE.match(line) and nxt
                and (_is_cjk(nxt) if lang == "zh" else nxt.islower()))
        if not join:
            continue
        out_c.append(norm[pos:m.start()])
        out_o.extend(offs[pos:m.start()])
        if lang != "zh" or not _is_cjk(prev):
            out_c.append(" ")
            out_o.append(offs[m.start()])
        pos = m.end()
    out_c.append(norm[pos:])
    out_o.extend(offs[pos:])
    norm = "".join(out_c)
    out_o.append(len(text))
    return norm, out_o
