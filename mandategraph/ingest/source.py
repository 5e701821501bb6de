"""Ingest: :class:`Source` (original text, normalised text, offset map), language detection
and normalisation; the loaders (text, html, docx, pdf) live beside it, dispatched by ``load``.
Every fact points at characters of ``Source.text`` (the original text as read); extractors
work on ``Source.norm`` and map offsets back with ``Source.to_original``.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


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
    #: the codec a text file was decoded with (ingest/textcodec.py), None for PDF and DOCX
    encoding: str | None = None

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
    unchanged sources and the loader records the same digest, so a file is read once (in a
    worker process too: :func:`remember_sha256`)."""
    st = os.stat(path)
    key = (os.path.abspath(path), st.st_size, st.st_mtime_ns)
    return _KNOWN.get(key) or _sha256(*key)


def remember_sha256(path: Path, digest: str) -> None:
    """Let :func:`sha256_file` answer ``digest`` for ``path`` while its size and modification
    time are the ones seen now (a worker is told the digest its parent computed)."""
    st = os.stat(path)
    if len(_KNOWN) > 512:
        _KNOWN.clear()
    _KNOWN[(os.path.abspath(path), st.st_size, st.st_mtime_ns)] = digest


_KNOWN: dict[tuple[str, int, int], str] = {}


@lru_cache(maxsize=512)
def _sha256(path: str, _size: int, _mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def supported(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def make_source(path: str | Path, media_type: str, text: str, *,
                language: str | None = None, encoding: str | None = None) -> Source:
    """A Source over already extracted text: detects the language and normalises.
    ``encoding``: the codec the file's bytes were decoded with (text formats)."""
    if not text.strip():
        raise IngestError(path, "no text; expected a document with text")
    lang = language or detect_language(text)
    norm, offsets = normalise(text, lang, markdown=media_type == "text/markdown")
    return Source(path=str(path), media_type=media_type, text=text, norm=norm, offsets=offsets,
                  language=lang, sha256=sha256_file(Path(path)) if Path(path).is_file() else
                  hashlib.sha256(text.encode("utf-8")).hexdigest(), encoding=encoding)


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
#: A superset of _FORBIDDEN in four ranges (every character from U+FFFE up): the common
#: case, no match, is a scan 15x faster than _FORBIDDEN's, whose 32 single characters of the
#: upper planes made the regex engine walk its whole class for every character (8 % of a
#: build's worker CPU); a text it matches goes through _FORBIDDEN itself.
_MAYBE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` with the hygiene mapping applied (a quote of the original text is written
    through it: ``xml_safe(Source.text[start:end])`` is the annotation's ``oa:exact``)."""
    if _MAYBE_FORBIDDEN.search(text) is None or _FORBIDDEN.search(text) is None:
        return text
    return _FORBIDDEN.sub(lambda m: _HYGIENE_MAP.get(m.group(), ""), text)


def scrub(norm: str, offsets: list[int]) -> tuple[str, list[int]]:
    """The hygiene mapping on a reading text and its offset map (a mapped character keeps its
    offset, a removed one takes its entry out), for readers that build ``norm`` themselves."""
    if _MAYBE_FORBIDDEN.search(norm) is None or _FORBIDDEN.search(norm) is None:
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
