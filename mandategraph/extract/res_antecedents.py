"""Footnotes of a GA resolution as a reader sees them, and the instruments only they cite.

* :func:`footnote_groups`: the PDF reader starts a new footnote at every line that begins
  with a number, so "2 See Report of the ... Conference ..., Rio de Janeiro," and its next
  line "3–14 June 1992, vol. I, ..., resolution 1." come as two spans. A span is the next
  line of the footnote before it when its number cannot be the next footnote's (a date
  "3–14 June", "26 August 2002", a year "1972 (A/CONF.48/14/Rev.1)", a number out of
  sequence); adjacent spans only.
* :func:`conference_resolutions`: "Report of the World Summit on Sustainable Development,
  Johannesburg, ..., chap. I, resolution 2, annex" is resolution 2 of that conference (the
  conference named right after "Report of the"; a row of ``bodies.csv``), and
  "Ibid., resolution 2" in the next footnote is the same conference's.
* :func:`ibid_body`: the body a footnote "Ibid., decision 15/8" inherits from the footnote
  before it (its conference, or the body of its document symbol).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..core.reference import bodies
from ..ingest.source import Source

_MARK = re.compile(r"\s*(?P<m>[0-9]+|\*+)(?P<after>\s*)")
_MONTH = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|"
                    r"November|December)\b")
_last: list = [None, None, None]  #: [source, its footnotes, groups] of the last call


def footnote_groups(source: Source) -> list[tuple[str, int, int, list[tuple[int, int]]]]:
    """(marker, start, end, spans) of each footnote: its first span and the continuation
    spans that follow it (see the module docstring); ``start``..``end`` covers them all."""
    if _last[0] is source and _last[1] is source.footnotes:
        return _last[2]
    out: list[tuple[str, int, int, list[tuple[int, int]]]] = []
    prev: int | None = None
    for a, b in source.footnotes:
        m = _MARK.match(source.text, a, b)
        mark = m.group("m") if m else ""
        if out and _continues(source.text, a, b, m, prev, out[-1][2]):
            head = out[-1]
            out[-1] = (head[0], head[1], b, [*head[3], (a, b)])
            continue
        if mark.isdigit():
            prev = int(mark)
        out.append((mark, a, b, [(a, b)]))
    _last[:] = [source, source.footnotes, out]
    return out


def _continues(text: str, a: int, b: int, m, prev: int | None, prev_end: int) -> bool:
    """Whether span ``a``..``b`` is the next line of the footnote that ends at ``prev_end``."""
    if text[prev_end:a].strip():
        return False  # not adjacent: a page or a paragraph lies between
    if m is None or not m.group("m").isdigit():
        return False
    if not m.group("after"):
        return True  # "3–14 June 1992": a number glued to what follows
    rest = text[m.end():m.end() + 12]
    if _MONTH.match(rest) or rest.startswith("("):
        return True  # "26 August–4 September 2002", "1972 (A/CONF.48/14/Rev.1)"
    n = int(m.group("m"))
    return prev is not None and not prev < n <= prev + 3


# --------------------------------------------------------------------------- conferences

_REPORT = re.compile(r"\bReport of the (?P<name>[A-Z][^,;()]{4,220}?)\s*,")
#: a conference's resolution number in its report: "chap. I, resolution 1", "resolution 2,
#: annex", "Resolutions Adopted by the Conference (...), resolution 1"
_CONF_NUMBER = re.compile(r"(?:^|[,;]\s*|\bIbid\.,\s*)(?P<kw>resolutions?)\s+"
                          r"(?P<n>\d{1,2})(?:\s+and\s+(?P<n2>\d{1,2}))?(?![\d/(]|\.\d)")
_IBID = re.compile(r"\s*(?:\d+|\*+)?\s*Ibid\.,")


@lru_cache(maxsize=2)
def _conference_names(lang: str) -> tuple[tuple[str, str], ...]:
    """(lower-case name, key) of conferences and summits of the table, longest first."""
    out = []
    for key, b in bodies().items():
        if b.cls != "Conference":
            continue
        for n in b.names(lang):
            out.append((" ".join(n.removeprefix("the ").lower().split()), key))
    return tuple(sorted(out, key=lambda t: -len(t[0])))


def conference_named(name: str, lang: str = "en") -> str | None:
    """The conference row whose full name is ``name`` (spaces and line breaks normalised)."""
    low = " ".join(name.lower().split())
    for n, key in _conference_names(lang):
        if low == n:
            return key
    return None


def report_body(text: str, lang: str = "en") -> tuple[str, int] | None:
    """(conference key, end of its name) of the first "Report of the <Conference>," in
    ``text`` whose name is a conference of the table, or of "<Organization>, Records of the
    <organ>," whose "<organ> of the <Organization>" is one ("United Nations Educational,
    Scientific and Cultural Organization, Records of the General Conference, ...")."""
    for m in _REPORT.finditer(text):
        key = conference_named(m.group("name"), lang)
        if key is not None:
            return key, m.end()
    for m in _RECORDS.finditer(text):
        before = " ".join(text[:m.start()].split()).rstrip(", ").lower()
        organ = " ".join(m.group("organ").lower().split())
        for n, key in _conference_names(lang):
            head, sep, org = n.partition(" of the ")
            if sep and head == organ and before.endswith(org):
                return key, m.end()
    return None


_RECORDS = re.compile(r"\bRecords of the (?P<organ>[A-Z]\w+(?:\s+[A-Z]\w+){0,3})\s*,")


def conference_resolutions(text: str, inherited: str | None, lang: str = "en"):
    """(start, end, body, number) of each conference resolution a footnote cites: after
    "Report of the <Conference>, ..." in the same footnote, or after "Ibid.," when the
    footnote before cited a conference (``inherited``)."""
    found = report_body(text, lang)
    body, start = (found if found else (None, 0))
    if body is None:
        if inherited is None or not _IBID.match(text):
            return []
        body = inherited
    out = []
    for m in _CONF_NUMBER.finditer(text, start):
        for g in ("n", "n2"):
            if m.group(g):
                out.append((m.start(g), m.end(g), body, m.group(g)))
    return out


def ibid_body(text: str, prev_body: str | None) -> str | None:
    """The body an "Ibid., ..." footnote takes from the footnote before it."""
    return prev_body if prev_body is not None and _IBID.match(text) else None


_conv: list = [None, None]  #: [source, (its Conference of the Parties, of the States Parties)]


def convention_cop(source: Source, title: str | None, lang: str = "en", states: bool = False) -> str | None:
    """The Conference of the Parties "the Conference of the Parties to the Convention" means
    in this document: the one whose Convention the title names, else the only one whose
    Convention the text names ("Implementation of the Convention on Biological Diversity
    ..." -> the COP of the CBD)."""
    if _conv[0] is source and states in _conv[1]:
        return _conv[1][states]
    if _conv[0] is not source:
        _conv[:] = [source, {}]
    found = None
    cands = []
    for key, b in bodies().items():
        head, sep, conv = b.name_en.partition("Conference of the States Parties to the " if states
                                              else "Conference of the Parties to the ")
        if sep and not head and conv:
            cands.append((conv, key))
    norm = " ".join(source.norm.split())
    in_title = [k for c, k in cands if title and c in title]
    in_text = [k for c, k in cands if c in norm]
    if len(in_title) == 1:
        found = in_title[0]
    elif not in_title and len(in_text) == 1:
        found = in_text[0]
    _conv[1][states] = found
    return found
