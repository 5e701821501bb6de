"""General Assembly resolutions and drafts (A/RES/n/m, A/n/L.m) -> facts.

Reads the reading text of a PDF source (:mod:`mandategraph.pdf`) in three passes:

1. masthead: symbol (from the page, never from the file name), distribution, date, original
   language, session, agenda item(s) and their titles; for resolutions the adoption block
   ("Resolution adopted by the General Assembly on <date>", "[on the report of the First
   Committee (A/80/534, para. 7)]" or "[without reference to a Main Committee (A/80/L.2)]")
   and the number and title line; for drafts the sponsors or the submitting officer;
2. paragraphs: preambular, operative (numbered as printed) and annex paragraphs (an annexed
   declaration is not part of the operative text), cut at "<n>th plenary meeting";
3. mentions inside paragraphs (:mod:`mandategraph.extract.res_mentions`): instruments
   recalled or reaffirmed, documents cited, requests (mandates) with addressee, output, due
   session and recurrence, and agenda items planned for a future session.

The wording lives in ``lang/<lang>_resolution.py``; this module is language-neutral.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..facts import (
    AgendaItemFact, AgendaItemRef, BodyFact, BodyRef, DocRef, DocumentFact, Facts,
    InstrumentFact, InstrumentRef, MeetingRef, ParagraphFact, ParagraphRef, Prov, Relation,
    SessionFact, SessionRef, SourceInfo, Span,
)
from ..ingest import Source
from .common import en_ordinal, language_code, parse_date

RULE = "res"  #: prefix of every rule name this extractor reports


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


@dataclass(frozen=True)
class Paragraph:
    part: str  #: "preamble" | "operative" | "annex"
    label: str  #: "pp-3", "op-5", "annex-12"
    number: str | None
    verb: str | None
    text: str
    start: int  #: norm offsets
    end: int


@dataclass
class Parsed:
    masthead: Masthead
    paragraphs: list[Paragraph] = field(default_factory=list)
    meeting: int | None = None
    meeting_line: Line | None = None
    adopted_text: bool = False  #: the operative part adopts an annexed text


class NotAResolution(ValueError):
    """The source is not a GA resolution or draft (no masthead this extractor knows)."""


def rules_for(lang: str):
    """The rule set of a language (``lang/<lang>_resolution.py``), or None."""
    try:
        return importlib.import_module(f"{__package__}.lang.{lang}_resolution").RULES
    except ModuleNotFoundError:
        return None


# --------------------------------------------------------------------------- helpers


def lines_of(norm: str) -> list[Line]:
    out: list[Line] = []
    pos = 0
    for chunk in norm.split("\n"):
        if chunk.strip():
            out.append(Line(pos, pos + len(chunk), chunk))
        pos += len(chunk) + 1
    return out


def prov(source: Source, start: int, end: int, rule: str) -> Prov:
    """Provenance for norm[start:end]: the span of the original text and its quote."""
    o_start, o_end = source.to_original(start, end)
    return Prov(Span(o_start, o_end, source.text[o_start:o_end]), f"{RULE}.{rule}")


def norm_item(printed: str) -> str:
    return re.sub(r"\s+", "", printed)


def _bodies():
    from ..reference import bodies  # noqa: PLC0415

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


_SHORT_NAME = re.compile(r"(?:the )?(?P<name>[A-Z][\w-]*(?: [A-Z][\w-]*){0,3})(?=$|[,;]| and | in | to | with | of the | for | under | pending )")


def body_in_context(phrase: str, context: str, lang: str = "en") -> str | None:
    """A short name ("the Special Committee", "the Disarmament Commission") -> the one body
    whose full name contains it as a phrase and is written out in ``context``."""
    m = _SHORT_NAME.match(phrase.strip())
    if not m:
        return None
    short = m.group("name")
    found = set()
    for body in _bodies().values():
        for n in body.names(lang):
            if len(n) > len(short) and re.search(rf"\b{re.escape(short)}\b", n) and n in context:
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
    from ..symbols import body_series, doc_class, try_parse  # noqa: PLC0415

    printed = m.group("symbol")
    sym = try_parse(printed)
    if sym is None:
        raise NotAResolution(f"masthead symbol {printed!r} does not parse as a document symbol")
    from .res_mentions import symbol_key  # noqa: PLC0415

    symbol = symbol_key(sym)
    fields: dict = dict(symbol=symbol, printed=printed, symbol_line=lines[0],
                        body=body_series(sym), doc_class=doc_class(sym))
    agenda: list[AgendaEntry] = []
    i = 1
    n = len(lines)
    while i < n and i < 40:
        line = lines[i]
        t = line.text
        if R.body_opening.match(t):
            break
        if (d := R.distribution.search(t)) and "distribution" not in fields:
            fields["distribution"] = d.group("dist")
        elif (o := R.original.match(t)) and "original_language" not in fields:
            fields["original_language"] = language_code(o.group("lang")) or o.group("lang")
        elif "date" not in fields and "session" not in fields and parse_date(t) and len(t) < 25:
            fields["date"] = parse_date(t)
        elif "session" not in fields and (s := R.session_agenda.match(t)):
            try:
                fields["session"] = en_ordinal(s.group("session"))
            except ValueError:
                pass
            fields["session_line"] = line
            if s.group("items"):
                printed_items = [x.group(0) for x in R.item.finditer(s.group("items"))]
                title = s.group("title").strip() or None
                if len(printed_items) == 1:
                    agenda.append(AgendaEntry(norm_item(printed_items[0]), printed_items[0],
                                              title, line))
                else:
                    # titles follow one per line (the masthead prints them as separate blocks)
                    titles = [title] if title else []
                    k = i + 1
                    while len(titles) < len(printed_items) and k < n and \
                            not _is_after_agenda(lines[k].text, R):
                        titles.append(lines[k].text.strip())
                        k += 1
                    i = k - 1
                    for j, p in enumerate(printed_items):
                        agenda.append(AgendaEntry(norm_item(p), p,
                                                  titles[j] if j < len(titles) else None, line))
        elif (a := R.adoption.match(t)):
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
                                       symbol=_clean_symbol(p.group("symbol")), via_line=line)
        elif (tl := R.title_line.match(t)) and "number" not in fields:
            fields["number"] = tl.group("number")
            fields["title"] = tl.group("title").strip()
            fields["title_line"] = line
        elif (sp := R.sponsors.match(t)) and "sponsor_line" not in fields:
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
            fields["submitted_by"] = body_by_name(sb.group("who"), R.lang) or sb.group("who")
            fields["sponsor_line"] = line
        elif "sponsor_line" in fields and "title" not in fields and i + 1 < n:
            fields["title"] = t.strip()
            fields["title_line"] = line
        i += 1
    fields["agenda"] = tuple(agenda)
    fields["body_start"] = i
    return Masthead(**fields)


def _is_after_agenda(text: str, R) -> bool:
    return bool(R.sponsors.match(text) or R.submitted_by.match(text) or R.adoption.match(text)
                or R.body_opening.match(text) or R.title_line.match(text))


def _with(a: Adoption, **kw) -> Adoption:
    return Adoption(**{**a.__dict__, **kw})


def _clean_symbol(s: str) -> str:
    from ..symbols import try_parse  # noqa: PLC0415

    s = re.sub(r"\s+", "", s.strip().rstrip("*"))
    sym = try_parse(s)
    from .res_mentions import symbol_key  # noqa: PLC0415

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
        last = parts.pop()
        head, _, tail = last.rpartition(" and ")
        # "United Kingdom of Great Britain and Northern Ireland" ends a list too
        if tail.startswith("Northern Ireland"):
            inner_head, _, inner = head.rpartition(" and ")
            if inner_head:
                parts.extend([inner_head, f"{inner} and {tail}"])
            else:
                parts.append(last)
        else:
            parts.extend([head, tail])
    return tuple(p.strip() for p in parts if p.strip())


# --------------------------------------------------------------------------- paragraphs


def verb_of(text: str, R, preamble: bool) -> str | None:
    words = re.findall(r"[A-Za-z][A-Za-z-]*", text[:80])
    if not words:
        return None
    low = [w.lower() for w in words]
    k = 0
    while k < len(low) - 1 and low[k] in R.adverbs:
        k += 1
    if preamble:
        for phrase in R.preamble_multiword:
            ph = phrase.split()
            if low[k:k + len(ph)] == ph:
                if phrase == "noting with":
                    return " ".join(low[k:k + 3])
                if phrase in ("expressing", "having"):
                    return " ".join(low[k:k + 2])
                return phrase
        return low[k]
    if k + 1 < len(low) and f"{low[k]} {low[k + 1]}" in R.two_word_verbs:
        return f"{low[k]} {low[k + 1]}"
    return low[k]


def parse_paragraphs(lines: list[Line], mh: Masthead, R) -> Parsed:
    parsed = Parsed(mh)
    paras: list[dict] = []
    part = "preamble"
    annex_no = 0
    pp = 0
    labels: set[str] = set()
    started = False
    first_idx = mh.body_start
    if mh.draft_kind == "amendment" and mh.title_line is not None:
        # an amendment has no "The General Assembly,": its numbered instructions follow the
        # title, and the quoted text they insert continues them
        started, part = True, "operative"
        first_idx = next((k + 1 for k, ln in enumerate(lines) if ln == mh.title_line), first_idx)
    for idx in range(first_idx, len(lines)):
        line = lines[idx]
        t = line.text.strip()
        if not started:
            m = R.body_opening.match(t)
            if not m:
                continue
            started = True
            rest = m.group("rest").strip()
            if rest:  # "The General Assembly, recalling ..., decides ..." in one sentence
                start = line.start + line.text.index(rest)
                verb = _main_verb(rest, R)
                paras.append(dict(part="operative", number=None, verb=verb, text=rest,
                                  start=start, end=line.end))
                part = "operative"
            continue
        if (mm := R.meeting.match(t)) and part != "annex":
            parsed.meeting = int(mm.group("n"))
            parsed.meeting_line = line
            part = "closed"
            continue
        if (an := R.annex.match(t)) and (part == "closed" or len(t) < 200):
            if part in ("preamble", "operative", "closed", "annex"):
                annex_no += 1
                part = "annex"
                continue
        if part == "closed":
            continue
        if (nm := R.numbered.match(t)):
            if part == "preamble":
                part = "operative"
            paras.append(dict(part=part, number=nm.group("n"), verb=None,
                              text=t, start=line.start, end=line.end, annex=annex_no))
            continue
        if R.lettered.match(t):
            if paras and paras[-1]["part"] in ("operative", "annex") or \
                    (paras and paras[-1]["text"].rstrip().endswith(":")):
                _extend(paras[-1], line)
            elif part == "preamble":  # a decision's lettered operative items
                part = "operative"
                paras.append(dict(part=part, number=t[1:t.index(")")], verb=None, text=t,
                                  start=line.start, end=line.end))
            continue
        if part == "annex":
            if paras and paras[-1]["part"] == "annex" and t[:1].islower():
                _extend(paras[-1], line)
            continue  # headings and unnumbered text of the annexed document
        if R.heading.match(t):
            continue
        if part == "operative":
            if paras and (t[:1].islower() or not paras[-1]["text"].rstrip().endswith((";", "."))
                          or mh.draft_kind == "amendment"):
                _extend(paras[-1], line)
            elif not paras:
                paras.append(dict(part="operative", number=None, verb=None, text=t,
                                  start=line.start, end=line.end))
            continue
        # preamble: an unnumbered block that opens with an operative verb is operative
        first = (t.split(None, 1) or [""])[0].lower()
        if first in R.operative_verbs:
            paras.append(dict(part="operative", number=None, verb=None, text=t,
                              start=line.start, end=line.end))
            if t.rstrip().endswith(":"):  # "Adopts the following outcome document:"
                part = "annex"
                annex_no += 1
                parsed.adopted_text = True
            else:
                part = "operative"
            continue
        paras.append(dict(part="preamble", number=None, verb=None, text=t,
                          start=line.start, end=line.end))
    op_unnumbered = 0
    for p in paras:
        if p["part"] == "preamble":
            pp += 1
            label = f"pp-{pp}"
        elif p["part"] == "operative":
            if p["number"] is None:
                op_unnumbered += 1
                label = f"op-u{op_unnumbered}"
            else:
                label = f"op-{p['number']}"
        else:
            k = p.get("annex", 1)
            label = f"annex-{p['number']}" if k <= 1 else f"annex{k}-{p['number']}"
        base, n = label, 1
        while label in labels:
            n += 1
            label = f"{base}-{n}"
        labels.add(label)
        body = p["text"]
        if p["number"] is not None and p["part"] != "preamble":
            body = re.sub(r"^(?:\d{1,3}\.|\([a-z]+\))\s+", "", body)
        verb = p["verb"] or verb_of(body, R, p["part"] == "preamble")
        parsed.paragraphs.append(Paragraph(p["part"], label, p["number"], verb, p["text"],
                                           p["start"], p["end"]))
    return parsed


def _extend(p: dict, line: Line) -> None:
    p["text"] = p["text"] + " " + line.text.strip()
    p["end"] = line.end


def _main_verb(text: str, R) -> str | None:
    for m in re.finditer(r"[,;]\s+(?:also\s+|further\s+)?([a-z]+(?: upon| note)?)\b", text):
        if m.group(1) in R.operative_verbs:
            return m.group(1)
    return verb_of(text, R, preamble=False)


# --------------------------------------------------------------------------- facts


def accepts(source: Source) -> bool:
    """A GA resolution or draft: a PDF (or text) whose first line is a UN masthead with an
    A/ symbol carrying RES or L."""
    head = source.norm[:200]
    return bool(re.match(r"United Nations\s+A/(?:RES/|\d+/L\.|ES-\d+/L\.)", head))


def parse(source: Source) -> Parsed:
    R = rules_for(source.language) or rules_for("en")
    lines = lines_of(source.norm)
    mh = parse_masthead(source, lines, R)
    return parse_paragraphs(lines, mh, R)


def extract(source: Source) -> Facts:
    """Facts of one GA resolution or draft. Raises NotAResolution for other documents."""
    from .res_mentions import mention_facts  # noqa: PLC0415

    R = rules_for(source.language) or rules_for("en")
    parsed = parse(source)
    mh = parsed.masthead
    facts = Facts(SourceInfo(path=source.path, sha256=source.sha256,
                             media_type=source.media_type, language=source.language,
                             symbol=mh.symbol, title=mh.title))
    add = facts.add
    L = mh.symbol_line
    doc = DocRef(mh.symbol)
    add(DocumentFact(doc, prov(source, L.start, L.end, "masthead.symbol"),
                     doc_class=mh.doc_class, title=mh.title,
                     title_lang=source.language if mh.title else None, date=mh.date,
                     distribution=mh.distribution, original_language=mh.original_language,
                     printed=mh.printed))
    session = SessionRef(mh.body, mh.session) if mh.session else None
    if session and mh.session_line:
        sp = prov(source, mh.session_line.start, mh.session_line.end, "masthead.session")
        add(SessionFact(session, sp))
        add(Relation(doc, "submittedTo", session, sp))
    for entry in mh.agenda:
        ref = AgendaItemRef(agenda_symbol(mh.body, mh.session), entry.item)
        ap = prov(source, entry.line.start, entry.line.end, "masthead.agenda-item")
        add(AgendaItemFact(ref, ap, title=entry.title,
                           title_lang=source.language if entry.title else None))
        add(Relation(doc, "underAgendaItem", ref, ap))
        if session:
            add(Relation(ref, "agendaOf", session, ap))
    instrument = None
    if mh.doc_class == "ResolutionDocument" and mh.number:
        kind = mh.adoption.kind if mh.adoption else "resolution"
        instrument = InstrumentRef(mh.body, kind, mh.number)
        tl = mh.title_line or L
        add(InstrumentFact(instrument, prov(source, tl.start, tl.end, "title-line"),
                           title=mh.title, title_lang=source.language,
                           date=mh.adoption.date if mh.adoption else None))
        add(Relation(instrument, "carriedBy", doc, prov(source, tl.start, tl.end, "title-line")))
        if session:
            add(Relation(instrument, "adoptedAt", session,
                         prov(source, tl.start, tl.end, "title-line")))
        if mh.adoption:
            _adoption_facts(source, facts, mh, instrument)
    if mh.sponsor_line is not None:
        sl = mh.sponsor_line
        spv = prov(source, sl.start, sl.end, "masthead.sponsors")
        if mh.submitted_by:
            add(Relation(doc, "issuedBy", BodyRef(mh.submitted_by), spv))
        if mh.amends:
            add(Relation(doc, "cites", DocRef(mh.amends),
                         prov(source, sl.start, sl.end, "masthead.amends")))
        for state in mh.sponsors:
            key = "state:" + state
            add(BodyFact(BodyRef(key), spv, name=state, name_lang=source.language))
            add(Relation(doc, "issuedBy", BodyRef(key), spv))
    if parsed.meeting and parsed.meeting_line is not None and instrument is not None:
        ml = parsed.meeting_line
        from ..facts import MeetingFact  # noqa: PLC0415

        add(MeetingFact(MeetingRef(mh.body, parsed.meeting),
                        prov(source, ml.start, ml.end, "adoption.meeting"),
                        start=mh.adoption.date if mh.adoption else None,
                        end=mh.adoption.date if mh.adoption else None))
    owner = instrument or doc
    for p in parsed.paragraphs:
        if instrument is not None:
            add(ParagraphFact(ParagraphRef(instrument, p.label),
                              prov(source, p.start, p.end, f"paragraph.{p.part}"),
                              part=p.part, number=p.number, verb=p.verb, text=p.text))
        if p.part != "annex":
            mention_facts(source, facts, R, mh, owner, instrument, p)
    annex = [p for p in parsed.paragraphs if p.part == "annex"]
    limit = source.to_original(annex[0].start, annex[0].end)[0] if annex else len(source.text)
    from .res_mentions import footnote_facts  # noqa: PLC0415

    for a, b in source.footnotes:
        if a < limit:
            footnote_facts(source, facts, R, mh, owner, instrument, a, b)
    return facts


def agenda_symbol(body: str, session: int | None) -> str:
    """The agenda document of a session from data/reference/agendas.csv, else ``body/session``
    (a stand-in key that stays stable until the agenda symbol is known)."""
    from .res_mentions import agendas  # noqa: PLC0415

    return agendas().get((body, session)) or f"{body}/{session}"


def _adoption_facts(source: Source, facts: Facts, mh: Masthead, instrument: InstrumentRef) -> None:
    a = mh.adoption
    if a.symbol is None or a.via_line is None:
        return
    vp = prov(source, a.via_line.start, a.via_line.end, f"adoption.{a.via}")
    other = DocRef(a.symbol)
    from ..symbols import doc_class as _doc_class, try_parse  # noqa: PLC0415

    parsed_sym = try_parse(a.symbol)
    cls = _doc_class(parsed_sym) if parsed_sym is not None else "Document"
    if a.via == "report" and cls == "Document":
        cls = "Report"
    facts.add(DocumentFact(other, vp, doc_class=cls, printed=a.symbol))
    facts.add(Relation(instrument, "adoptedOnReportOf", other, vp, method="adoption-block",
                       confidence=1.0))
    if a.via == "plenary" or cls == "DraftResolution":
        facts.add(Relation(other, "draftOf", instrument, vp, method="adoption-block",
                           confidence=1.0))
    if a.committee:
        facts.add(Relation(other, "issuedBy", BodyRef(a.committee), vp))
