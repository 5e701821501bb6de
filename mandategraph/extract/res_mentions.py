"""Mentions inside one paragraph of a GA resolution or draft -> facts.

* instruments: "Recalling its resolutions 70/47 of 7 December 2015, ... and 79/37 of
  2 December 2024" -> ``recalls`` (``reaffirms`` after "Reaffirming") to each instrument, with
  its adoption date; the adopting body comes from the words before "resolution(s)" ("Security
  Council", "Economic and Social Council", "its"), from "of the <body>" after the list, or
  from the form of the number (``2024/12`` is ECOSOC's, ``2719 (2023)`` the Security
  Council's);
* documents: any document symbol in the text -> ``cites``;
* requests: "Requests the Secretary-General to submit to the General Assembly at its
  eighty-first session a report ..." -> a Mandate with verb, addressee, output, due session(s)
  and recurrence, when the addressee is a body of ``bodies.csv`` (the Secretariat, a
  committee, an agency); requests to Member States stay plain paragraphs;
* "Decides to include in the provisional agenda of its eighty-first session the item entitled
  “...”" -> a planned agenda item for that session, and a ``planned`` mandate due there.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from functools import lru_cache

from ..core.facts import (
    DocRef,
    DocumentFact,
    Facts,
    InstrumentFact,
    InstrumentRef,
    MandateFact,
    MandateRef,
    ParagraphRef,
    PlannedItemFact,
    PlannedItemRef,
    Prov,
    Relation,
    SessionRef,
    Span,
)
from ..core.reference import bodies
from ..core.resources import read_text
from ..core.slugs import slugify
from ..ingest.source import Source
from ..symbols.grammar import doc_class
from ..symbols.text import find_symbols
from .common import en_ordinal, parse_date
from .res_masthead import body_by_name, body_in_context, prov, symbol_key

#: Cheap pre-checks that skip the costly finders on paragraphs that cannot match them.
_SYMBOL_HINT = re.compile(r"[A-Z][A-Za-z0-9.]{0,12}/")  # a symbol starts "A/", "E/CN.15/", ...


def _hint(*words: str) -> re.Pattern:
    """Any of ``words``, the first letter in either case ("[Rr]equests"), written as one
    literal branch per spelling: Python's regex engine then skips to candidate characters
    instead of trying every branch at every position (3x faster on the corpus)."""
    return re.compile("|".join(f"{c}{w[1:]}" for w in words for c in (w[0].upper(), w[0])))


_INSTRUMENT_HINT = _hint("resolution", "decision")
_REQUEST_HINT = re.compile(_hint("requests", "invites", "calls u", "calls on", "urges", "encourages",
                                 "entrusts", "mandates", "authorizes", "directs").pattern
                           + "|provisional agenda")
_S_FORM = re.compile(r"^\d{1,4} \(\d{4}\)$")
_E_FORM = re.compile(r"^\d{4}/\d{1,3}$")


@lru_cache(maxsize=1)
def agendas() -> dict[tuple[str, int], str]:
    """(body, session) -> symbol of the session's agenda, from data/reference/agendas.csv."""
    try:
        text = read_text("data", "reference", "agendas.csv")
    except (FileNotFoundError, OSError):
        return {}
    return {(r["body"], int(r["session"])): r["agenda"] for r in csv.DictReader(io.StringIO(text))}


@lru_cache(maxsize=4)
def _owner_re(lang: str) -> re.Pattern[str]:
    """Body names (longest first) that may stand right before "resolution(s)"."""
    names: set[str] = set()
    for b in bodies().values():
        if b.series:
            for n in b.names(lang):
                names.add(n.removeprefix("the "))
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?:(?P<its>\bits)|(?P<name>{alt}))(?:\s+(?:previous|relevant|annual|"
                      rf"subsequent))?\s*$")


def _owner_before(text: str, pos: int, R) -> str | None:
    """Body named right before position ``pos`` (the "resolution(s)" keyword)."""
    m = _owner_re(R.lang).search(text, max(0, pos - 120), pos)
    if not m:
        return None
    if m.group("its"):
        return "its"

    return body_by_name(m.group("name"), R.lang)


def find_instruments(text: str, R, own_body: str) -> list[tuple[int, int, InstrumentRef, object]]:
    """(start, end, ref, date) for each instrument number mentioned in ``text``."""
    out = []
    for kw in R.instrument_keyword.finditer(text):
        kind = "decision" if kw.group("kind").lower().startswith("decision") else "resolution"
        owner = _owner_before(text, kw.start(), R)
        nums = []
        pos = kw.end()
        while True:
            nm = R.instrument_number.match(text, pos)
            if not nm:
                break
            nums.append(nm)
            sep = R.list_sep.match(text, nm.end())
            if not sep or not R.instrument_number.match(text, sep.end()):
                pos = nm.end()
                break
            pos = sep.end()
        if not nums:
            continue
        trailing = None
        tm = re.match(R.trailing_owner, text[pos:pos + 12])
        if tm:
            after = pos + tm.end()
            trailing = body_by_name(text[after:after + 200], R.lang, anchored=True)
        # dated numbers later in the same clause continue the list ("63/71 of 2 December
        # 2008 on the Convention on Cluster Munitions and 70/54 of 7 December 2015, ...")
        nxt = R.instrument_keyword.search(text, pos)
        stop = min(nxt.start() if nxt else len(text), _clause_end(text, pos))
        for dm in R.instrument_number.finditer(text, pos, stop):
            if dm.group("date") and (dm.start() == 0 or text[dm.start() - 1] in " (") and \
                    not text[dm.end():dm.end() + 1].isalnum():
                nums.append(dm)
        for nm in nums:
            letters = re.findall(r"[A-Z]{1,2}", nm.group("letters") or "") or [""]
            for letter in letters:
                number = re.sub(r"\s+", " ", nm.group("num")) + (f" {letter}" if letter else "")
                _add_number(out, nm, number, kind, trailing, owner, own_body)
    return out


def _clause_end(text: str, pos: int) -> int:
    m = re.compile(r";|\.\s+[A-Z]").search(text, pos)
    return m.start() if m else len(text)


def _add_number(out: list, nm, number: str, kind: str, trailing, owner, own_body: str) -> None:
    """Resolve the adopting body of one instrument number and record it."""
    body = trailing or (own_body if owner == "its" else owner)
    if body is None:
        body = "S" if _S_FORM.match(number) else "E" if _E_FORM.match(number) else own_body
    date = parse_date(nm.group("date")) if nm.group("date") else None
    out.append((nm.start(), nm.end(), InstrumentRef(body, kind, number), date))


def mention_facts(source: Source, facts: Facts, R, mh, owner, instrument, p) -> None:
    """Facts for the mentions in paragraph ``p`` (see the module docstring)."""
    text = p.text
    base = p.start
    reaffirm = (p.verb or "").split(" ")[0] in R.reaffirm_verbs
    predicate = "reaffirms" if reaffirm else ("endorses" if p.verb == "endorses" else "recalls")
    found = find_instruments(text, R, mh.body) if _INSTRUMENT_HINT.search(text) else ()
    for start, end, ref, date in found:
        if ref == instrument:
            continue
        pv = prov(source, base + start, base + end, f"mention.instrument.{p.part}")
        if date is not None:  # (the relation itself declares the instrument node)
            facts.add(InstrumentFact(ref, pv, date=date))
        facts.add(Relation(owner, predicate, ref, pv))

    for sm in (find_symbols(text) if _SYMBOL_HINT.search(text) else ()):
        ident = symbol_key(sm.symbol)
        if ident == mh.symbol:
            continue
        pv = prov(source, base + sm.start, base + sm.end, "mention.document")
        _doc_fact(facts, ident, sm, pv, doc_class)
        facts.add(Relation(owner, "cites", DocRef(ident), pv))
    if p.part != "annex" and source.markers:
        _marker_facts(source, facts, R, mh, p)
    if instrument is None or p.part != "operative" or not _REQUEST_HINT.search(text):
        return
    _mandates(source, facts, R, mh, instrument, p)


_FOOTNOTE_MARK = re.compile(r"\s*([0-9]+|\*+)")
_last_index: list = [None, None, None]  #: [source, its footnotes, index] of the last call


def footnote_index(source: Source) -> dict[str, tuple[int, int]]:
    """Footnote marker ("4", "*") -> span of that footnote in ``source.text``. (Asked for
    every paragraph with a marker: the index of the last source is kept.)"""
    if _last_index[0] is source and _last_index[1] is source.footnotes:
        return _last_index[2]
    out: dict[str, tuple[int, int]] = {}
    for a, b in source.footnotes:
        m = _FOOTNOTE_MARK.match(source.text, a, b)
        if m:
            out.setdefault(m.group(1), (a, b))
    _last_index[:] = [source, source.footnotes, out]
    return out


def _marker_facts(source: Source, facts: Facts, R, mh, p) -> None:
    """A report named right before a footnote marker and "submitted pursuant to resolution
    X" is mandated by X; the footnote gives the report's symbol (``mandatedBy``)."""
    o_start, o_end = source.to_original(p.start, p.end)
    lo = bisect.bisect_left(source.markers, (o_start, -1))
    hi = bisect.bisect_left(source.markers, (o_end + 6, -1))  # a marker may end the paragraph
    if lo >= hi:
        return

    notes = footnote_index(source)
    for a, b in source.markers[lo:hi]:
        note = notes.get(source.text[a:b])
        if note is None:
            continue
        q = min(bisect.bisect_left(source.offsets, a) - p.start, len(p.text))  # in p.text
        if q <= 0:
            continue
        before = p.text[max(0, q - 320):q]
        m = R.report_pursuant.search(before)
        if not m:
            continue
        found = find_instruments(m.group(0), R, mh.body)
        if not found:
            continue
        ref = found[-1][2]
        n_start, n_end = note
        raw = source.text[n_start:n_end].replace("\r\n", "  ")
        start = p.start + q - len(before) + m.start()
        o0, o1 = source.to_original(start, p.start + q)
        pv = Prov(Span(o0, o1, source.text[o0:o1]), "res.mention.report-pursuant")
        for sm in find_symbols(raw):
            facts.add(Relation(DocRef(symbol_key(sm.symbol)), "mandatedBy", ref, pv))


def footnote_facts(source: Source, facts: Facts, R, mh, owner, instrument, a: int, b: int) -> None:
    """Instruments and documents a footnote of the resolution's own text refers to
    ("1 A/80/123." -> cites; "2 Resolution 79/233, annex." -> recalls)."""
    raw = source.text[a:b].replace("\r\n", "  ").replace("\ufffe", "-").replace("\n", " ")

    def fp(s: int, e: int, rule: str) -> Prov:
        return Prov(Span(a + s, a + e, source.text[a + s:a + e]), f"res.{rule}")

    for start, end, ref, date in find_instruments(raw, R, mh.body):
        if ref == instrument:
            continue
        pv = fp(start, end, "mention.instrument.footnote")
        if date is not None:
            facts.add(InstrumentFact(ref, pv, date=date))
        facts.add(Relation(owner, "recalls", ref, pv))
    for sm in find_symbols(raw):
        ident = symbol_key(sm.symbol)
        if ident == mh.symbol:
            continue
        pv = fp(sm.start, sm.end, "mention.document.footnote")
        _doc_fact(facts, ident, sm, pv, doc_class)
        facts.add(Relation(owner, "cites", DocRef(ident), pv))


def _doc_fact(facts: Facts, ident: str, sm, pv, doc_class) -> None:
    """A DocumentFact for a cited symbol only when it says more than the cites link does
    (a document class, or a printed form other than the canonical symbol)."""
    cls = doc_class(sm.symbol)
    if cls != "Document" or sm.printed != ident:
        facts.add(DocumentFact(DocRef(ident), pv, doc_class=cls, printed=sm.printed))


def _sessions(action: str, R, own_body: str) -> list[tuple[SessionRef, int, int]]:
    out = []

    for m in R.due_session.finditer(action):
        ords = m.group("ords") or m.group("ords2")
        body = own_body
        if m.group("body"):
            body = body_by_name(m.group("body"), R.lang) or own_body
        else:
            before = re.search(r"\bto the (?P<name>[A-Z][\w ,-]{2,120}?)\s*$", action[:m.start()])
            if before:
                body = body_by_name(before.group("name"), R.lang) or own_body
        for o in re.split(r",\s*|\s+and\s+", ords):
            try:
                out.append((SessionRef(body, en_ordinal(o)), m.start(), m.end()))
            except ValueError:
                continue
    return out


def _output(action: str, R) -> str | None:
    best = None
    for word, term in R.outputs:
        m = re.search(rf"\b{re.escape(word)}s?\b", action)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), term)
    return best[1] if best else None


def _recurrence(action: str, R) -> str | None:
    for pattern, term in R.recurrence:
        if pattern.search(action):
            return term
    return None


def _mandates(source: Source, facts: Facts, R, mh, instrument: InstrumentRef, p) -> None:
    text = p.text
    base = p.start
    body_text = re.sub(r"^(?:\d{1,3}\.|\([a-z]+\))\s+", "", text)
    shift = len(text) - len(body_text)
    para_ref = ParagraphRef(instrument, p.label)
    k = 0
    for m in R.request_clause.finditer(body_text):
        addr_text = m.group("addr")
        addressee = body_by_name(addr_text, R.lang, anchored=True) or \
            body_in_context(addr_text, source.norm, R.lang)
        if addressee is None:
            continue  # Member States, Governments, ...: a plain paragraph, not a mandate
        k += 1
        local = p.label if k == 1 else f"{p.label}-{k}"
        ref = MandateRef(instrument, local)
        action = m.group("action")
        pv = prov(source, base + shift + m.start(), base + shift + m.end(), "mandate.request")
        facts.add(MandateFact(ref, pv, verb=m.group("verb").lower(), addressee=addressee,
                              output=_output(action, R), recurrence=_recurrence(action, R),
                              status="open"))
        facts.add(Relation(ref, "inParagraph", para_ref, pv))
        a0 = m.start("action")
        for session, s0, s1 in _sessions(action, R, mh.body):
            facts.add(Relation(ref, "dueAt", session,
                               prov(source, base + shift + a0 + s0, base + shift + a0 + s1,
                                    "mandate.due-session")))
    for m in R.plan_item.finditer(body_text):
        try:
            n = en_ordinal(m.group("ord"))
        except ValueError:
            continue
        session = SessionRef(mh.body, n)
        title = m.group("title").strip()
        pv = prov(source, base + shift + m.start(), base + shift + m.end(), "planned-item")
        planned = PlannedItemRef(session, slugify(title)[:80])
        facts.add(PlannedItemFact(planned, pv, title=title, title_lang=source.language))
        facts.add(Relation(planned, "plannedFor", session, pv))
        k += 1
        local = p.label if k == 1 else f"{p.label}-{k}"
        ref = MandateRef(instrument, local)
        facts.add(MandateFact(ref, pv, verb="decides", output="agenda item", status="planned",
                              recurrence=_recurrence(body_text, R)))
        facts.add(Relation(ref, "inParagraph", para_ref, pv))
        facts.add(Relation(ref, "dueAt", session, pv))
