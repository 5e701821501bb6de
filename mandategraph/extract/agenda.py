"""Annotated provisional agendas: masthead, session, agenda items, annotations, documentation.

The reading order of an annotated agenda is fixed across languages and bodies:

1. masthead (body, symbol, distribution, date, original language, session, dates and place,
   title "Annotated provisional agenda");
2. the provisional agenda: numbered items and lettered sub-items (numbering may be lost in
   conversion: "- " bullets are then numbered in order);
3. the annotations: one heading per item and sub-item, paragraphs, and a "Documentation" list
   whose lines each name a document and its symbol;
4. an annex (proposed organization of work), which is not mined for facts.

The language only changes the wording, which comes from a :class:`~.lang.RuleSet`. Mentions
(instruments, sessions, meetings, working groups) live in :mod:`.mentions`, mandates and
their statuses in :mod:`.mandates`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..core.facts import (
    AgendaItemFact,
    AgendaItemRef,
    DocRef,
    DocumentFact,
    Facts,
    Relation,
    SessionFact,
    SessionRef,
    SourceInfo,
)
from ..ingest.source import Source
from ..symbols.grammar import body_series as symbol_series
from . import deadlines, mandates, mentions
from .common import language_code
from .context import Ctx, Segment
from .lang import RuleSet, load

_LIST_LINE = re.compile(r"^(?P<indent>[ \t]*)(?:(?P<bullet>[-•])|(?P<num>\d{1,2})\.|\((?P<letter>[a-z]{1,2})\))"
                        r"\s+(?P<title>\S.*)$")
_TOP_HEADING = re.compile(r"^\s*(?P<num>\d{1,2})\.\s+(?P<title>\S.*)$")
_SUB_HEADING = re.compile(r"^\s*\((?P<letter>[a-z]{1,2})\)\s*(?P<title>\S.*)$")
_TRAIL = " \t:;,.。;:：；，"


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ListedItem:
    item: str
    title: str
    line: Line


def rules_for(source: Source) -> RuleSet:
    return load(source.language) or load("en")  # type: ignore[return-value]


def accepts(source: Source) -> bool:
    """An annotated agenda has an agenda heading and an annotations heading (or the title)."""
    rules = load(source.language)
    if rules is None:
        return False
    head = source.norm[:6000]
    lines = head.splitlines()
    has_agenda = any(rules.agenda_heading.match(x) for x in lines)
    has_title = bool(rules.annotated_title.search(head))
    has_notes = any(rules.annotations_heading.match(x) for x in source.norm.splitlines())
    return has_agenda and (has_title or has_notes)


def _lines(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _clean_title(title: str) -> str:
    title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
    return title.strip().rstrip(_TRAIL).strip()


def _key(title: str) -> str:
    return re.sub(r"[\s《》“”\"'’,.;:、。()]+", "", title).lower()


def extract_agenda(source: Source) -> Facts:
    rules = rules_for(source)
    ctx = Ctx(source, rules)
    lines = _lines(ctx.norm)
    i_agenda = next((i for i, ln in enumerate(lines) if rules.agenda_heading.match(ln.text)), None)
    i_notes = next((i for i, ln in enumerate(lines)
                    if i > (i_agenda or 0) and rules.annotations_heading.match(ln.text)), None)
    i_annex = next((i for i, ln in enumerate(lines)
                    if i > (i_notes or i_agenda or 0) and rules.annex_heading.match(ln.text)), len(lines))
    if i_agenda is None:
        ctx.warnings.append("no provisional agenda heading found; expected a line like "
                            f"{rules.agenda_heading.pattern!r}")
    masthead = lines[: i_agenda if i_agenda is not None else min(25, len(lines))]
    listed = _agenda_list(ctx, lines[i_agenda + 1: i_notes or i_annex]) if i_agenda is not None else []
    notes = lines[i_notes + 1: i_annex] if i_notes is not None else []
    if i_notes is None:
        ctx.warnings.append("no annotations heading found; expected a line like "
                            f"{rules.annotations_heading.pattern!r}")
    doc_lists = _annotations(ctx, notes, listed)
    title, title_line = _masthead(ctx, masthead, doc_lists)
    mentions.run(ctx)
    _agenda_items(ctx, listed)
    _documents(ctx, doc_lists, title, title_line, masthead)
    mandates.run(ctx)
    deadlines.run(ctx)
    info = SourceInfo(path=source.path, sha256=source.sha256, media_type=source.media_type,
                      language=source.language, symbol=ctx.agenda_symbol, title=title)
    facts = Facts(info, ctx.items, ctx.warnings)
    return facts


# --------------------------------------------------------------------------- structure


def _agenda_list(ctx: Ctx, lines: list[Line]) -> list[ListedItem]:
    out: list[ListedItem] = []
    top, sub = 0, 0
    for ln in lines:
        m = _LIST_LINE.match(ln.text)
        if not m:
            continue
        title = _clean_title(ctx.original(ln.start + m.start("title"), ln.end))
        nested = bool(m["letter"]) or (bool(m["bullet"]) and len(m["indent"]) > 0)
        if nested and top:
            sub = (ord(m["letter"][-1]) - ord("a") + 1) if m["letter"] else sub + 1
            item = f"{top}({chr(ord('a') + sub - 1)})"
        else:
            top = int(m["num"]) if m["num"] else top + 1
            sub = 0
            item = str(top)
        out.append(ListedItem(item, title, ln))
    return out


def _annotations(ctx: Ctx, notes: list[Line], listed: list[ListedItem]) -> dict[str, list[Line]]:
    """Split the annotations into segments by item heading; return documentation lines."""
    rules = ctx.rules
    titles = {li.item: _key(li.title) for li in listed}
    doc_lines: dict[str, list[Line]] = {}
    heads: list[tuple[int, str, str, str]] = []  # (pos, item, top, title)
    top = "0"
    in_docs = False
    for ln in notes:
        text = ln.text.strip()
        if not text:
            continue
        m = _TOP_HEADING.match(ln.text)
        if m and _is_heading(m["title"], titles.get(m["num"]), bool(titles), rules) \
                and int(m["num"]) >= int(top):
            top = m["num"]
            heads.append((ln.start, top, top, _clean_title(ctx.original(ln.start + m.start("title"), ln.end))))
            in_docs = False
            continue
        m = _SUB_HEADING.match(ln.text)
        if m and top != "0":
            item = f"{top}({m['letter']})"
            if _is_heading(m["title"], titles.get(item), bool(titles), rules):
                heads.append((ln.start, item, top, _clean_title(ctx.original(ln.start + m.start("title"), ln.end))))
                in_docs = False
                continue
        if rules.documentation_heading.match(ln.text):
            in_docs = True
            continue
        if in_docs and heads:
            doc_lines.setdefault(heads[-1][1], []).append(ln)
    end = notes[-1].end if notes else 0
    for i, (pos, item, top_, title) in enumerate(heads):
        nxt = heads[i + 1][0] if i + 1 < len(heads) else end
        ctx.segments.append(Segment(pos, nxt, item, top_, title))
    return doc_lines


def _is_heading(title: str, listed_key: str | None, have_list: bool, rules: RuleSet) -> bool:
    """A numbered line is an item heading when its title is the listed item's title (loosely:
    numbered paragraphs of the annotations are not headings); without a list, when it is short
    and does not end like a sentence."""
    t = title.strip()
    if have_list:
        if listed_key is None:
            return False
        k = _key(t)
        return bool(k) and (k == listed_key or k.startswith(listed_key[:12])
                            or listed_key.startswith(k[:12])
                            or SequenceMatcher(None, k, listed_key).ratio() >= 0.75)
    if len(t) > 120 or t.endswith(("。", ".", ";", ":")):
        return False
    return not rules.cjk or "。" not in t


# --------------------------------------------------------------------------- masthead


def _masthead(ctx: Ctx, masthead: list[Line], doc_lists: dict[str, list[Line]]) -> tuple[str | None, Line | None]:
    rules = ctx.rules
    lo = masthead[0].start if masthead else 0
    hi = masthead[-1].end if masthead else 0
    title_line = next((ln for ln in masthead if rules.annotated_title.search(ln.text)), None)
    title = _clean_title(ctx.original(title_line.start, title_line.end)) if title_line else None
    # the document's body: the first body named in the masthead (the series of the symbol wins
    # below when it names a known body: a working group's agenda also names its Conference)
    for n in ctx.names_in(lo, hi):
        if n.key and not n.self_term:
            ctx.body = n.key
            break
    syms = ctx.symbols_in(lo, hi)
    self_span: tuple[int, int, str] | None = None
    if syms:
        ctx.agenda_symbol = syms[0].symbol
        self_span = (syms[0].start, syms[0].end, "agenda.masthead-symbol")
    else:  # the masthead lost its symbol line: the document names itself in a documentation list
        for lines in doc_lists.values():
            for ln in lines:
                found = ctx.symbols_in(ln.start, ln.end)
                if found and rules.annotated_title.search(ln.text[: found[0].start - ln.start]):
                    ctx.agenda_symbol = found[0].symbol
                    self_span = (ln.start, ln.end, "agenda.self-reference")
                    break
            if ctx.agenda_symbol:
                break
    if ctx.agenda_symbol is None:
        ctx.warnings.append("the agenda's own symbol was not found (no symbol in the masthead "
                            "and no self-reference in a documentation list)")
    if ctx.agenda_symbol:
        series = symbol_series(ctx.agenda_symbol)
        if ctx.body is None or ctx.body_info(series) is not None:
            ctx.body = series
    # session number, dates and place
    session_no, s_line = None, None
    for ln in masthead:
        m = rules.session_line.match(ln.text)
        if m:
            try:
                session_no, s_line = rules.number(m["n"]), ln
            except ValueError:
                pass
            break
    if session_no is not None and ctx.body:
        ctx.session = SessionRef(ctx.body, session_no)
        after = ctx.dates_in(s_line.start, hi)
        start = end = place = None
        span_end = s_line.end
        if after:
            d = after[0]
            start, end, span_end = d.first, d.last, d.end
            m = rules.place_after_date.match(ctx.norm[d.end:hi])
            if m:
                place, span_end = m["place"], d.end + m.end()
            else:
                line_start = ctx.norm.rfind("\n", 0, d.start) + 1
                m = rules.place_before_date.search(ctx.norm[line_start:d.start])
                if m:
                    place = m["place"].strip()
        ctx.add(SessionFact(ctx.session, ctx.prov(s_line.start, span_end, "agenda.masthead-session"),
                            start=start, end=end, place=place))
    # document date, distribution, original language, reissue
    limit = s_line.start if s_line else hi
    dated = next((d for d in ctx.dates_in(lo, limit) if d.first == d.last), None)
    doc_date = dated.first if dated else None
    dist = next((m["d"] for ln in masthead for m in [rules.distribution.search(ln.text)] if m), None)
    orig = next((m["lang"] for ln in masthead for m in [rules.original.search(ln.text)] if m), None)
    reissue = None
    m = rules.reissue.search(ctx.norm)
    if m:
        found = ctx.dates_in(m.start(), m.end())
        reissue = found[0].first if found else None
    if ctx.agenda_symbol:
        prov_span = self_span or (lo, hi, "agenda.masthead")
        ctx.add(DocumentFact(
            DocRef(ctx.agenda_symbol), ctx.prov(prov_span[0], prov_span[1], prov_span[2]),
            doc_class="AnnotatedAgenda" if title else "Document", title=title,
            title_lang=ctx.lang if title else None, date=doc_date,
            distribution=dist, original_language=language_code(orig) if orig else None,
            reissue_date=reissue,
            date_prov=ctx.prov(dated.start, dated.end, "agenda.date") if dated else None))
        if ctx.session:
            ctx.add(Relation(DocRef(ctx.agenda_symbol), "submittedTo", ctx.session,
                             ctx.prov(prov_span[0], prov_span[1], "agenda.own-session")))
    return title, title_line


# --------------------------------------------------------------------------- items, documents


def _agenda_items(ctx: Ctx, listed: list[ListedItem]) -> None:
    if not ctx.agenda_symbol:
        return
    seen = set()
    for li in listed:
        ref = AgendaItemRef(ctx.agenda_symbol, li.item)
        seen.add(li.item)
        ctx.add(AgendaItemFact(ref, ctx.prov(li.line.start, li.line.end, "agenda.item-list"),
                               title=li.title, title_lang=ctx.lang))
        if ctx.session:
            ctx.add(Relation(ref, "agendaOf", ctx.session,
                             ctx.prov(li.line.start, li.line.end, "agenda.item-list")))
    for seg in ctx.segments:
        ref = AgendaItemRef(ctx.agenda_symbol, seg.item)
        head_end = ctx.norm.find("\n", seg.start)
        head_end = head_end if head_end > 0 else seg.end
        ctx.add(AgendaItemFact(ref, ctx.prov(seg.start, head_end, "agenda.item-heading"),
                               title=None if seg.item in seen else seg.title,
                               title_lang=None if seg.item in seen else ctx.lang))
        if ctx.session and seg.item not in seen:
            ctx.add(Relation(ref, "agendaOf", ctx.session,
                             ctx.prov(seg.start, head_end, "agenda.item-heading")))


def _doc_class(ctx: Ctx, symbol_class: str, title: str) -> str:
    if symbol_class not in ("Document", ""):
        return symbol_class
    for pattern, cls in ctx.rules.doc_classes:
        if re.search(pattern, title, re.IGNORECASE):
            return cls
    return "Document"


def _strip_preamble(ctx: Ctx, title: str) -> tuple[str, str | None]:
    """(title, title as printed): "会议室文件，题为“X”" -> ("X", the whole line); a title
    without the language's preamble -> (title, None)."""
    rx = ctx.rules.title_preamble
    m = rx.match(title) if rx is not None and title else None
    if m is None or not m.group("title").strip():
        return title, None
    return m.group("title").strip(), title


def _documents(ctx: Ctx, doc_lists: dict[str, list[Line]], title: str | None,
               title_line: Line | None, masthead: list[Line]) -> None:
    """Documentation lists give document, title, class and item; other symbol mentions give
    the document, and when it belongs to the agenda's own session, its item too."""
    listed_at: set[int] = set()
    titled: set[str] = set()
    own = None
    if ctx.agenda_symbol:
        own = next((s for s in ctx.symbols if s.symbol == ctx.agenda_symbol), None)
    for item, lines in doc_lists.items():
        for ln in lines:
            found = ctx.symbols_in(ln.start, ln.end)
            if not found:
                continue
            s = found[0]
            listed_at.add(s.start)
            raw = ctx.norm[ln.start:s.start]
            cut = len(raw.rstrip(" ([（【"))
            doc_title = _clean_title(ctx.original(ln.start, ln.start + cut))
            cls = _doc_class(ctx, s.doc_class, doc_title)  # the kind is read from the printed line
            doc_title, printed_title = _strip_preamble(ctx, doc_title)
            if s.symbol == ctx.agenda_symbol:
                cls = "AnnotatedAgenda" if title else cls
            if s.symbol in titled or s.symbol == ctx.agenda_symbol:
                doc_title = ""  # one title per document: the first listing's
            titled.add(s.symbol)
            ctx.add(DocumentFact(DocRef(s.symbol), ctx.prov(ln.start, ln.end, "agenda.documentation-list"),
                                 doc_class=cls, title=doc_title or None,
                                 title_lang=ctx.lang if doc_title else None,
                                 title_as_printed=printed_title if doc_title else None,
                                 joint_symbols=s.joint, printed=s.printed))
            _place(ctx, s, item, ln.start, ln.end, "agenda.documentation-list")
            for other in found[1:]:  # "reports ... (SYMBOL and SYMBOL)": each one is listed
                listed_at.add(other.start)
                ctx.add(DocumentFact(DocRef(other.symbol),
                                     ctx.prov(other.start, other.end, "agenda.documentation-list"),
                                     doc_class=_doc_class(ctx, other.doc_class, doc_title),
                                     joint_symbols=other.joint, printed=other.printed))
                _place(ctx, other, item, other.start, other.end, "agenda.documentation-list")
    for s in ctx.symbols:
        if s.start in listed_at:
            continue
        ctx.add(DocumentFact(DocRef(s.symbol), ctx.prov(s.start, s.end, "agenda.symbol"),
                             doc_class=s.doc_class, joint_symbols=s.joint, printed=s.printed))
        seg = ctx.segment_at(s.start)
        if seg and own is not None and s.symbol != ctx.agenda_symbol \
                and s.series == own.series and s.session == own.session:
            _place(ctx, s, seg.item, s.start, s.end, "agenda.same-session-mention")


def _place(ctx: Ctx, s, item: str, start: int, end: int, rule: str) -> None:
    if not ctx.agenda_symbol:
        return
    prov = ctx.prov(start, end, rule)
    ctx.add(Relation(DocRef(s.symbol), "underAgendaItem", AgendaItemRef(ctx.agenda_symbol, item), prov))
    if ctx.session:
        ctx.add(Relation(DocRef(s.symbol), "submittedTo", ctx.session, prov))
