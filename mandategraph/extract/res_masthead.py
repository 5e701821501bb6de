"""Masthead of a GA resolution or draft: symbol, distribution, date, session, agenda items,
adoption block, number and title, sponsors; and the names of bodies (from bodies.csv) that
the resolution extractor resolves in text. Split from :mod:`resolution` to keep modules small.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..core.facts import Prov, Span
from ..core.reference import bodies
from ..ingest.source import Source
from ..core.reference import compound_state_names
from ..symbols.grammar import body_series, doc_class, try_parse
from ..symbols.text import find_symbols
from .common import en_ordinal, language_code, parse_date

RULE = "res"  #: prefix of every rule name this extractor reports


def prov(source: Source, start: int, end: int, rule: str) -> Prov:
    """Provenance for norm[start:end]: the span of the original text and its quote."""
    o_start, o_end = source.to_original(start, end)
    return Prov(Span(o_start, o_end, source.text[o_start:o_end]), f"{RULE}.{rule}")


def symbol_key(sym) -> str:
    """The document key of a parsed symbol: the first part of a joint symbol, no asterisk."""
    parts = getattr(sym, "parts", None)
    return parts[0].identifier if parts else sym.identifier


@dataclass(frozen=True)
class Line:
    """One line of ``Source.norm`` (a block of the page: a paragraph or masthead line)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class AgendaEntry:
    item: str  #: normalised: "99(cc)"
    printed: str
    title: str | None
    line: Line


@dataclass(frozen=True)
class Adoption:
    kind: str  #: "resolution" | "decision"
    date: dt.date
    line: Line
    via: str | None = None  #: "report" | "plenary"
    symbol: str | None = None  #: committee report or plenary draft named in the block
    committee: str | None = None  #: BodyRef key of the committee ("A/C.1")
    paragraph: str | None = None
    via_line: Line | None = None


@dataclass(frozen=True)
class Masthead:
    symbol: str
    printed: str
    symbol_line: Line
    body: str  #: series of the issuing organ: "A"
    doc_class: str  #: ResolutionDocument | DraftResolution | Document
    distribution: str | None = None
    date: dt.date | None = None
    date_line: Line | None = None  #: where the date itself is printed ("3 December 2025")
    original_language: str | None = None
    session: int | None = None
    session_line: Line | None = None
    agenda: tuple[AgendaEntry, ...] = ()
    adoption: Adoption | None = None
    number: str | None = None  #: "80/50"
    title: str | None = None
    title_line: Line | None = None
    draft_kind: str | None = None  #: "resolution" | "decision" | "amendment"
    amends: str | None = None  #: the draft an amendment amends
    sponsors: tuple[str, ...] = ()
    submitted_by: str | None = None  #: BodyRef key of the submitting officer
    sponsor_line: Line | None = None
    body_start: int = 0  #: index of the "The General Assembly," line
    committee: str | None = None  #: BodyRef key of the Main Committee ("A/C.1"), else the name
    committee_name: str | None = None  #: as printed ("First Committee")
    committee_line: Line | None = None
    based_on: tuple[str, ...] = ()  #: drafts an officer's draft is based on ("A/C.2/80/L.21")
    submitter: str | None = None  #: the officer as printed ("Chair of the Committee")
    note_by: str | None = None  #: "Secretariat" for "Note by the Secretariat" (draft_kind "note")


class NotAResolution(ValueError):
    """The source is not a GA resolution or draft (no masthead this extractor knows)."""



def lines_of(norm: str) -> list[Line]:
    out: list[Line] = []
    pos = 0
    for chunk in norm.split("\n"):
        if chunk.strip():
            out.append(Line(pos, pos + len(chunk), chunk))
        pos += len(chunk) + 1
    return out


def norm_item(printed: str) -> str:
    return re.sub(r"\s+", "", printed)


def _bodies():
    return bodies()


#: Single nouns that name a body only in context ("the Office", "the Conference"); they are
#: resolved through :func:`body_in_context`, never on their own.
_GENERIC = frozenset({"office", "conference", "assembly", "council", "commission", "committee",
                      "agency", "centre", "center", "board", "group", "secretariat"})


@lru_cache(maxsize=1)
def _name_table(lang: str) -> tuple[tuple[str, str], ...]:
    """(lower-case name, body key), longest first; generic one-word aliases left out."""
    out = []
    for body in _bodies().values():
        if body.cls == "ActorGroup":  # "civil society", "the United Nations system": addressees
            continue  # (extract.addressees), never a committee or the body of an instrument
        for i, n in enumerate(body.names(lang)):
            nl = n.lower().removeprefix("the ").strip()
            if not nl or (i > 0 and nl in _GENERIC):
                continue
            out.append((nl, body.key))
    return tuple(sorted(out, key=lambda x: -len(x[0])))


@lru_cache(maxsize=8192)
def body_by_name(name: str, lang: str = "en", anchored: bool = False) -> str | None:
    """BodyRef key of a body named in text ("First Committee", "Special Political and
    Decolonization Committee (Fourth Committee)"), by the names in bodies.csv. ``anchored``:
    the phrase must start with the name ("the Secretary-General and ..." -> secretariat)."""
    low = re.sub(r"\s+", " ", name.strip()).lower().removeprefix("the ")
    for nl, key in _name_table(lang):
        if anchored:
            if low.startswith(nl) and not low[len(nl):len(nl) + 1].isalnum():
                return key
        elif nl == low or re.search(rf"(?<![\w-]){re.escape(nl)}(?![\w-])", low):
            return key
    return None


_SHORT_NAME = re.compile(r"(?:the )?(?P<name>[A-Z][\w-]*(?: [A-Z][\w-]*){0,3})"
                         r"(?=$|[,;]| and | in | to | with | of the | for | under | pending )")


def body_in_context(phrase: str, context: str, lang: str = "en") -> str | None:
    """A short name ("the Special Committee", "the Disarmament Commission") -> the one body
    whose full name contains it as a phrase and is written out in ``context``."""
    m = _SHORT_NAME.match(phrase.strip())
    if not m:
        return None
    short = m.group("name")
    as_phrase = re.compile(rf"\b{re.escape(short)}\b")
    found = set()
    for body in _bodies().values():
        for n in body.names(lang):
            # (``short in n`` first: a cheap necessary condition of the phrase match)
            if len(n) > len(short) and short in n and as_phrase.search(n) and n in context:
                found.add(body.key)
    return found.pop() if len(found) == 1 else None


# --------------------------------------------------------------------------- masthead


def parse_masthead(source: Source, lines: list[Line], R) -> Masthead:
    if not lines:
        raise NotAResolution("empty text")
    m = R.masthead_symbol.match(lines[0].text)
    if not m:
        raise NotAResolution(f"first line {lines[0].text[:60]!r} is not a UN masthead "
                             "('United Nations <symbol>')")

    printed = m.group("symbol")
    sym = try_parse(printed)
    if sym is None:
        raise NotAResolution(f"masthead symbol {printed!r} does not parse as a document symbol")

    symbol = symbol_key(sym)
    fields: dict = dict(symbol=symbol, printed=printed, symbol_line=lines[0],
                        body=body_series(sym), doc_class=doc_class(sym))
    agenda: list[AgendaEntry] = []
    i = 1
    n = len(lines)
    k_title: Line | None = None
    while i < n and i < 40:
        line = lines[i]
        t = line.text
        if R.body_opening.match(t):
            break
        if (d := R.distribution.search(t)) and "distribution" not in fields:
            fields["distribution"] = d.group("dist")
        elif (o := R.original.match(t)) and "original_language" not in fields:
            fields["original_language"] = language_code(o.group("lang")) or o.group("lang")
        elif "date" not in fields and "session" not in fields and \
                (dl := R.date_line.match(t)) and parse_date(dl.group("date")):
            # "16 October 2025" or "16 October 2025 English Original: French" (one block)
            fields["date"] = parse_date(dl.group("date"))
            # the date's own words, for its provenance (not the rest of the block)
            fields["date_line"] = Line(line.start + dl.start("date"), line.start + dl.end("date"),
                                       dl.group("date"))
            if (o := re.search(r"Original:\s*(?P<lang>\w+)", t)) and "original_language" not in fields:
                fields["original_language"] = language_code(o.group("lang")) or o.group("lang")
        elif "session" not in fields and (s := R.session_agenda.match(t)):
            try:
                fields["session"] = en_ordinal(s.group("session"))
            except ValueError:
                pass
            fields["session_line"] = line
            if s.group("committee"):
                fields["committee_name"] = s.group("committee")
                fields["committee"] = body_by_name(s.group("committee"), R.lang) or s.group("committee")
                fields["committee_line"] = line
            if s.group("items"):
                i = _agenda_entries(s, line, lines, i, R, agenda)
        elif not agenda and "sponsor_line" not in fields and (ag := R.agenda_line.match(t)):
            i = _agenda_entries(ag, line, lines, i, R, agenda)
        elif ("committee_line" not in fields and not agenda and "session" in fields
              and (c := _committee(lines, i, R))):
            name, last = c
            fields["committee_name"] = name
            fields["committee"] = body_by_name(name, R.lang) or name
            fields["committee_line"] = Line(line.start, lines[last].end, name)
            i = last
        elif "sponsor_line" not in fields and (nb := R.note_line.match(t)) and k_title is not None:
            fields["draft_kind"] = "note"
            fields["note_by"] = nb.group("who").strip()
            fields["title"] = k_title.text.strip()
            fields["title_line"] = k_title
            fields["sponsor_line"] = line
            i += 1
            break
        elif (a := R.adoption.match(t) or _loose_adoption(R).match(t)):
            # (a misprinted date, "on 3 Decmber 2024", still opens the adoption block; the
            # date then comes from the closing meeting line, see _meeting_date)
            fields["adoption"] = Adoption(kind=a.group("kind").lower(),
                                          date=parse_date(a.group("date")), line=line)
        elif (r := R.adoption_report.match(t)) and "adoption" in fields:
            fields["adoption"] = _with(fields["adoption"], via="report",
                                       symbol=_clean_symbol(r.group("symbol")),
                                       committee=body_by_name(r.group("committee"), R.lang),
                                       paragraph=(r.group("para") or "").strip() or None,
                                       via_line=line)
        elif (p := R.adoption_plenary.match(t)) and "adoption" in fields:
            fields["adoption"] = _with(fields["adoption"], via="plenary",
                                       symbol=_clean_symbol(p.group("symbol")), via_line=line,
                                       paragraph=(p.group("para") or "").strip() or None)
        elif (tl := R.title_line.match(t)) and "number" not in fields:
            fields["number"] = tl.group("number")
            fields["title"] = tl.group("title").strip()
            fields["title_line"] = line
        elif (sp := R.sponsors.match(t)) and "sponsor_line" not in fields \
                and not R.submitted_by.match(t):
            what = sp.group("what").lower()
            fields["draft_kind"] = "amendment" if what.startswith("amendment") else \
                ("decision" if "decision" in what else "resolution")
            if sp.group("target"):
                fields["amends"] = _clean_symbol(sp.group("target"))
            fields["sponsors"] = split_sponsors(sp.group("who"))
            fields["sponsor_line"] = line
        elif (sb := R.submitted_by.match(t)) and "sponsor_line" not in fields:
            fields["draft_kind"] = "decision" if "decision" in sb.group("what").lower() \
                else "resolution"
            who = re.sub(r"\s+\)", ")", sb.group("who").strip().rstrip(","))
            fields["submitter"] = who
            # an officer or the bureau of a committee submits for the committee
            fields["submitted_by"] = body_by_name(who, R.lang, anchored=True) or \
                (_series_body(fields["body"]) if fields["body"].startswith("A/C.") else who)
            fields["sponsor_line"] = line
            if sb.group("basis"):
                fields["based_on"] = _symbols_in(sb.group("basis"))
        elif (bd := R.bare_draft.match(t)) and "sponsor_line" not in fields:
            fields["draft_kind"] = "decision" if "decision" in bd.group("what").lower() \
                else "resolution"
            if fields["body"].startswith("A/C."):
                fields["submitted_by"] = fields["body"]
            fields["sponsor_line"] = line
        elif "sponsor_line" in fields and "title" not in fields and i + 1 < n:
            fields["title"] = t.strip()
            fields["title_line"] = line
        else:
            k_title = line  # an unclassified line: the title when a "Note by ..." line follows
            i += 1
            continue
        k_title = None
        i += 1
    fields["agenda"] = tuple(agenda)
    fields["body_start"] = i
    if fields["body"].startswith("A/C."):
        # a Main Committee draft: considered by the committee of its series, at a session of
        # the Assembly, under an item of the Assembly's agenda
        fields.setdefault("committee", fields["body"])
        fields["body"] = "A"
    if fields.get("draft_kind") == "note":
        fields["doc_class"] = "Note"
    if "number" not in fields and fields.get("adoption") is not None and \
            fields["doc_class"] == "ResolutionDocument":
        _number_from_symbol(fields, lines, i)
    if fields.get("adoption") is not None and fields["adoption"].date is None:
        d = _meeting_date(lines, i, R)
        if d is not None:
            fields["adoption"] = _with(fields["adoption"], date=d)
    return Masthead(**fields)


@lru_cache(maxsize=4)
def _loose_adoption(R) -> re.Pattern[str]:
    """``R.adoption`` with any words where the date stands ("on 3 Decmber 2024")."""
    return re.compile(re.sub(r"\(\?P<date>.*\)\\s\*\$$", r"(?P<date>\\S.{0,40}?)\\s*$", R.adoption.pattern))


def _meeting_date(lines: list[Line], start: int, R) -> dt.date | None:
    """The date under the first "<n>th plenary meeting" line after ``start`` (the adoption
    date printed at the end of the resolution)."""
    for k in range(start, len(lines) - 1):
        if R.meeting.match(lines[k].text):
            dl = R.date_line.match(lines[k + 1].text)
            return parse_date(dl.group("date")) if dl else None
    return None


def _agenda_entries(m, line: Line, lines: list[Line], i: int, R, agenda: list[AgendaEntry]) -> int:
    """Agenda entries of a masthead line ("Agenda item 99 (dd) <title>" alone or after the
    session); returns the index of the last line read (titles of several items follow one
    per line)."""
    printed_items = [x.group(0) for x in R.item.finditer(m.group("items"))]
    title = m.group("title").strip() or None
    if len(printed_items) == 1:
        agenda.append(AgendaEntry(norm_item(printed_items[0]), printed_items[0], title, line))
        return i
    titles = [title] if title else []
    k = i + 1
    while len(titles) < len(printed_items) and k < len(lines) and \
            not _is_after_agenda(lines[k].text, R):
        titles.append(lines[k].text.strip())
        k += 1
    for j, p in enumerate(printed_items):
        agenda.append(AgendaEntry(norm_item(p), p, titles[j] if j < len(titles) else None, line))
    return k - 1


def _series_body(series: str) -> str:
    return series


def _committee(lines: list[Line], i: int, R) -> tuple[str, int] | None:
    """The committee line of a Main Committee draft: one line, or two when the name wraps
    ("Special Political and Decolonization Committee" / "(Fourth Committee)")."""
    t = lines[i].text.strip()
    if i + 1 < len(lines) and lines[i + 1].text.strip().startswith("("):
        two = f"{t} {lines[i + 1].text.strip()}"
        if R.committee_line.match(two):
            return two, i + 1
    return (t, i) if R.committee_line.match(t) else None


def _symbols_in(text: str) -> tuple[str, ...]:
    return tuple(symbol_key(m.symbol) for m in find_symbols(text))


_RES_NUMBER = re.compile(r"^A/RES/(?P<n>(?:ES-|S-)?\d{1,2}/\d{1,4})$")


def _number_from_symbol(fields: dict, lines: list[Line], body_start: int) -> None:
    """A resolution whose "79/9. Title" line is missing or broken still has its number (the
    symbol A/RES/79/9 carries it) and, when the block right before "The General Assembly," is
    not masthead furniture, its title."""
    m = _RES_NUMBER.match(fields["symbol"])
    if not m:
        return
    fields["number"] = m.group("n")
    via = fields["adoption"].via_line or fields["adoption"].line
    k = body_start - 1
    if 0 < k < len(lines) and lines[k] is not via and lines[k].start > via.start and \
            not lines[k].text.startswith("["):
        # "79/9 Title" (the period lost): the title without its number
        title = lines[k].text.strip()
        head = re.match(re.escape(m.group("n")) + r"\.?\s+(?=\S)", title)
        fields["title"] = title[head.end():] if head else title
        fields["title_line"] = lines[k]


def _is_after_agenda(text: str, R) -> bool:
    return bool(R.sponsors.match(text) or R.submitted_by.match(text) or R.adoption.match(text)
                or R.body_opening.match(text) or R.title_line.match(text))


def _with(a: Adoption, **kw) -> Adoption:
    return Adoption(**{**a.__dict__, **kw})


def _clean_symbol(s: str) -> str:
    s = re.sub(r"\s+", "", s.strip().rstrip("*"))
    sym = try_parse(s)

    return symbol_key(sym) if sym is not None else s


def split_sponsors(who: str) -> tuple[str, ...]:
    """"Italy and Turkmenistan" -> ("Italy", "Turkmenistan"); keeps "Bolivia (Plurinational
    State of)" and "Netherlands (Kingdom of the)" whole."""
    who = who.strip().rstrip("*").strip()
    parts: list[str] = []
    depth = 0
    cur = ""
    for ch in who:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    if parts and " and " in parts[-1]:
        parts.extend(_split_last(parts.pop().strip()))
    return tuple(p.strip().rstrip("*").strip() for p in parts if p.strip().rstrip("*").strip())


def _split_last(last: str) -> list[str]:
    """"Sweden and United Kingdom of Great Britain and Northern Ireland" -> the two names:
    the split whose tail (else head) is a known name with " and " in it, else the last
    " and " (names from ``data/reference/state-names.csv``)."""
    known = compound_state_names()
    if last in known:
        return [last]
    pieces = last.split(" and ")
    splits = [(" and ".join(pieces[:k]), " and ".join(pieces[k:])) for k in range(1, len(pieces))]
    for head, tail in splits:
        if tail in known:
            return [head, tail]
    for head, tail in splits:
        if head in known:
            return [head, tail]
    return list(splits[-1])
