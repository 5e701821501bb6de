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
from dataclasses import replace
from functools import lru_cache

from ..core.facts import (
    BodyFact,
    BodyRef,
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
from ..core.resources import read_text
from ..core.slugs import slugify
from ..ingest.source import Source
from ..symbols.grammar import doc_class
from ..symbols.text import find_symbols
from .addressee_context import (antecedent, body_in_document, fullest_form, producer, resolve_in_context,
                                title_in_document)
from .addressees import body_mentions, has_sessions, resolve
from .clauses import is_reporting, output_of, read_clauses
from .clauses import rules_for as clause_rules
from .dues import due_sessions, recurrence_of
from .common import en_ordinal
from .res_antecedents import conference_resolutions, convention_cop, footnote_groups, ibid_body
from .res_citations import series_body
from .res_instruments import DEFAULT, UNSTATED, find_instruments
from .res_instruments import unify  # noqa: F401 - unify: used by resolution
from .res_masthead import prov, symbol_key

#: Cheap pre-checks that skip the costly finders on paragraphs that cannot match them.
_SYMBOL_HINT = re.compile(r"[A-Z][A-Za-z0-9.]{0,12}/")  # a symbol starts "A/", "E/CN.15/", ...


def _hint(*words: str) -> re.Pattern:
    """Any of ``words``, the first letter in either case ("[Rr]equests"), written as one
    literal branch per spelling: Python's regex engine then skips to candidate characters
    instead of trying every branch at every position (3x faster on the corpus)."""
    return re.compile("|".join(f"{c}{w[1:]}" for w in words for c in (w[0].upper(), w[0])))


_INSTRUMENT_HINT = _hint("resolution", "decision")
_REQUEST_HINT = re.compile(_hint("requests", "invites", "calls u", "calls on", "urges", "encourages",
                                 "entrusts", "mandates", "authorizes", "directs", "reiterates",
                                 "renews", "reaffirms", "recommends", "decides", "request", "invite",
                                 "looks forward").pattern
                           + "|provisional agenda")
#: an annexed outcome document asks in the first person ("We also request the Secretary-General")
_FIRST_PERSON = re.compile(r"\b[Ww]e (?:[a-z]+ )?(?:request|invite|call u|call on|urge|encourage|entrust|direct)")
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


def mention_facts(source: Source, facts: Facts, R, mh, owner, instrument, p) -> None:
    """Facts for the mentions in paragraph ``p`` (see the module docstring)."""

    text = p.text
    base = p.start
    reaffirm = (p.verb or "").split(" ")[0] in R.reaffirm_verbs
    predicate = "reaffirms" if reaffirm else ("endorses" if p.verb == "endorses" else "recalls")
    found = find_instruments(text, R, mh.body, mh.session, _conventions(source, mh, R)) \
        if _INSTRUMENT_HINT.search(text) else ()
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


def annex_mandates(source: Source, facts: Facts, R, mh, instrument, p) -> None:
    """Mandates of an annexed outcome document's paragraph: its first-person requests that ask
    for a report or submission ("We also request the Secretary-General to ..."; gold:
    `annex-op<n>`). Its citations stay unread, as before."""
    if instrument is not None and _FIRST_PERSON.search(p.text):
        _mandates(source, facts, R, mh, instrument, p)


def _conventions(source: Source, mh, R) -> tuple:
    """(the Conference of the Parties, of the States Parties) the document's Convention has."""
    return (convention_cop(source, mh.title, R.lang), convention_cop(source, mh.title, R.lang, states=True))


def footnote_index(source: Source) -> dict[str, tuple[int, int]]:
    """Footnote marker ("4", "*") -> span of that footnote in ``source.text``, its
    continuation lines included (:func:`.res_antecedents.footnote_groups`)."""
    out: dict[str, tuple[int, int]] = {}
    for mark, a, b, _ in footnote_groups(source):
        if mark:
            out.setdefault(mark, (a, b))
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
        found = find_instruments(m.group(0), R, mh.body, mh.session, _conventions(source, mh, R))
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


#: [source, {start of a footnote: the body an "Ibid." footnote after it inherits}]
_ibid_memo: list = [None, {}]


def footnote_facts(source: Source, facts: Facts, R, mh, owner, instrument, a: int, b: int) -> None:
    """Instruments and documents a footnote of the resolution's own text refers to
    ("1 A/80/123." -> cites; "2 Resolution 79/233, annex." -> recalls). ``a``..``b`` is one
    span of ``source.footnotes``: the continuation line of a footnote is read with its
    first line (:func:`.res_antecedents.footnote_groups`), conference resolutions ("Report
    of the <Conference>, ..., chap. I, resolution 1") get the conference, and "Ibid., ..."
    the body of the footnote before."""

    groups = footnote_groups(source)
    i = next((k for k, g in enumerate(groups) if g[1] == a), None)
    if i is None:
        return  # the next line of a footnote already read
    b = groups[i][2]
    if _ibid_memo[0] is not source:
        _ibid_memo[:] = [source, {}]
    memo = _ibid_memo[1]
    prev_body = memo.get(groups[i - 1][1]) if i > 0 else None
    # (same-length replacements: the offsets stay those of source.text; "S‑10/2" with a
    # non-breaking hyphen is "S-10/2")
    raw = source.text[a:b].replace("\r\n", "  ").replace("\ufffe", "-").replace("\n", " ").replace("\u2011", "-")
    inherited = ibid_body(raw, prev_body)

    def fp(s: int, e: int, rule: str) -> Prov:
        return Prov(Span(a + s, a + e, source.text[a + s:a + e]), f"res.{rule}")

    context = None
    for start, end, body, number in conference_resolutions(raw, inherited, R.lang):
        ref = InstrumentRef(body, "resolution", number)
        context = body
        facts.add(Relation(owner, "recalls", ref,
                           fp(start, end, "mention.instrument.footnote-conference")))
    ibid = _IBID_HEAD.match(raw)
    for start, end, ref, date in find_instruments(raw, R, mh.body, mh.session,
                                                  _conventions(source, mh, R)):
        if ref == instrument:
            continue
        if inherited is not None and ibid and start < ibid.end() + 30 and \
                (ref.body == UNSTATED or ref.body.endswith(DEFAULT)):
            ref = InstrumentRef(inherited, ref.kind, ref.number)  # "Ibid., decision 15/8"
        if not (ref.body == UNSTATED or ref.body.endswith(DEFAULT)):
            context = ref.body
        pv = fp(start, end, "mention.instrument.footnote")
        if date is not None:
            facts.add(InstrumentFact(ref, pv, date=date))
        facts.add(Relation(owner, "recalls", ref, pv))
    if context is None:
        series = next((sb for sm in find_symbols(raw) if (sb := series_body(symbol_key(sm.symbol))) and sb != mh.body), None)
        context = series or inherited
    memo[a] = context
    for sm in find_symbols(raw):
        ident = symbol_key(sm.symbol)
        if ident == mh.symbol:
            continue
        pv = fp(sm.start, sm.end, "mention.document.footnote")
        _doc_fact(facts, ident, sm, pv, doc_class)
        facts.add(Relation(owner, "cites", DocRef(ident), pv))


_IBID_HEAD = re.compile(r"\s*(?:\d+|\*+)?\s*Ibid\.,\s*(?:(?:resolutions?|decisions?)\s+)?")


def _doc_fact(facts: Facts, ident: str, sm, pv, doc_class) -> None:
    """A DocumentFact for a cited symbol only when it says more than the cites link does
    (a document class, or a printed form other than the canonical symbol)."""
    cls = doc_class(sm.symbol)
    if cls != "Document" or sm.printed != ident:
        facts.add(DocumentFact(DocRef(ident), pv, doc_class=cls, printed=sm.printed))


def _mandates(source: Source, facts: Facts, R, mh, instrument: InstrumentRef, p) -> None:
    """Mandates of one operative paragraph, from the clause reader (:mod:`.clauses`): every
    request whose addressee is a row of the reference tables, and every request that asks for
    a report or submission whoever is asked (an addressee of no row is kept as written and
    flagged); agenda inclusions and continued consideration, addressed to the deciding body."""

    text = p.text
    base = p.start
    body_text = re.sub(r"^(?:\d{1,3}\.|\([a-z]+\))\s+", "", text)
    shift = len(text) - len(body_text)
    para_ref = ParagraphRef(instrument, p.label)
    lang = source.language if source.language in ("en",) else "en"
    own_session = mh.session
    counts: dict[str | None, int] = {}

    def local(item: str | None) -> str:
        counts[item] = counts.get(item, 0) + 1
        k = counts[item]
        head = p.label if item is None else f"{p.label}-{item}"
        return head if k == 1 else f"{head}-{k}"

    def bodies_in(t: str):
        return body_mentions(t, lang)

    previous = None  # the addressee of the request before, for "those organizations"
    for c in _two_outputs(read_clauses(body_text, lang), body_text, mh, lang):
        a0 = base + shift + c.start
        a1 = base + shift + c.end
        if p.part == "annex" and body_text[c.start:c.start + 3].lower() != "we ":
            continue  # an annexed text's own third-person wording is not the Assembly's request
        if c.kind in ("agenda", "consideration"):
            try:
                n = en_ordinal(re.sub(r"\s?[-\u2011]\s?|\s", "-", c.ordinal or ""))
            except ValueError:
                if c.ordinal or not c.inserted:
                    continue
                n = None  # "include the item ... in the annual agenda": a standing item, no session
            session = SessionRef(mh.body, n) if n else None
            rule = "planned-item" if c.kind == "agenda" else "mandate.consideration"
            pv = prov(source, a0, a1, rule)
            if c.kind == "agenda" and c.title and session:
                planned = PlannedItemRef(session, slugify(c.title)[:80])
                facts.add(PlannedItemFact(planned, pv, title=c.title, title_lang=source.language))
                facts.add(Relation(planned, "plannedFor", session, pv))
            ref = MandateRef(instrument, local(c.item))
            # "Decides that the Sixth Committee shall continue its consideration ...": the
            # committee; else the deciding body
            by = getattr(resolve(c.addressee, lang), "key", None) if c.addressee else None
            facts.add(MandateFact(ref, pv, verb="decides", addressee=by or mh.body, item=c.item,
                                  output="agenda item" if c.kind == "agenda" else "consideration",
                                  status="planned",
                                  recurrence=recurrence_of(c.inserted if c.kind == "agenda" else body_text[c.start:c.end], lang)))
            facts.add(Relation(ref, "inParagraph", para_ref, pv))
            if session:
                facts.add(Relation(ref, "dueAt", session, pv))
            continue
        who, key = _who(c, source, previous, lang, R.lang)
        if who is None:
            continue
        previous = who
        action = c.action
        c0 = c.context_start if c.context_start is not None else c.action_start
        context = body_text[c0:c.end]  # the inserted phrase and the action
        output = c.output or output_of(action, lang)
        dues = due_sessions(context, mh.body, own_session, bodies_in, addressee_body=key, lang=lang,
                            has_sessions=has_sessions, before=body_text[:c0],
                            short_name=lambda n: body_in_document(n, source.norm, lang))
        if output is not None and not is_reporting(output, lang):
            dues = []  # "to hold a high-level meeting at its seventy-ninth session": held there, nothing due
        reporting = is_reporting(output, lang) or bool(dues)
        if key is None or who.collective or p.part == "annex":
            # Member States, States parties, words of no row: a mandate only when they are
            # asked to report or submit something (to a body or not: "Invites all States ... to
            # provide, on a voluntary basis, information"; gold README, round 2)
            if not reporting:
                continue  # "Calls upon States to ratify ...": a plain paragraph, not a mandate
            if key is None and not _agent_like(who.text, lang):
                continue  # "encourages further improvement of ...": not an addressee at all
        ref = MandateRef(instrument, local(c.item))
        pv = prov(source, a0, a1, "mandate.request")
        if key is not None and ":" in key:  # a mandate holder named by its topic
            facts.add(BodyFact(BodyRef(key), pv, name=who.name or who.text,
                               name_lang=source.language, cls=who.cls))
        if key is None:
            facts.warnings.append(f"{mh.symbol} {p.label}: addressee {who.text!r} is not in the "
                                  "reference tables (kept as un:addresseeText)")
        facts.add(MandateFact(ref, pv, verb=c.verb, addressee=key, item=c.item,
                              # the printed words beside the row when they say more ("the
                              # States referred to in paragraph 18", a list of addressees)
                              addressee_text=who.text if key is None or who.says_more else None,
                              output=output, recurrence=recurrence_of(context, lang),
                              status="open"))
        facts.add(Relation(ref, "inParagraph", para_ref, pv))
        if key == who.key:
            for hk, hname, hcls in who.holders:  # a mandate holder among a list's members
                facts.add(BodyFact(BodyRef(hk), pv, name=hname, name_lang=source.language, cls=hcls))
            for other in who.others:  # the further members of a list of addressees
                facts.add(Relation(ref, "addressee", BodyRef(other), pv))
        b0 = base + shift + c0
        for d in dues:
            facts.add(Relation(ref, "dueAt", SessionRef(d.body, d.session),
                               prov(source, b0 + d.start, b0 + d.end, "mandate.due-session")))


def _who(c, source: Source, previous, lang: str, table_lang: str):
    """(addressee, row key) of a request: the producer the action names ("to invite States ...
    to inform him"), else the addressee printed, read in the document (short names, bare
    titles, "those organizations" after the addressee before it)."""
    inner = producer(c.action, lambda t: is_reporting(output_of(t, lang), lang), lang)
    for text, full in ((inner, None), (c.addressee, c.addressee_full)) if inner else ((c.addressee, c.addressee_full),):
        who = resolve(text, lang, full=full)
        if who is None:
            continue
        who = antecedent(fullest_form(title_in_document(resolve_in_context(who, source.norm, lang),
                                                        source.norm, lang), source.norm, lang), previous, lang)
        key = who.key
        if key is None and text:  # "the Special Committee": the one body written out
            key = body_in_document(text, source.norm, table_lang)
        if key is not None or text is c.addressee or _agent_like(who.text, lang):
            return who, key
    return None, None


def _two_outputs(clauses: list, text: str, mh, lang: str) -> list:
    """A request asking for two outputs, each due at a body of its own, is two mandates
    ("Further requests the Secretary-General to report to the General Assembly at its eightieth
    session ..., and to submit for consideration an interim report to the Human Rights Council
    at its fifty-ninth session": gold README, round 2)."""
    out = []
    for c in clauses:
        m = None
        if c.kind == "request" and " and to " in c.action:
            c0 = c.context_start if c.context_start is not None else c.action_start
            m = next((m for m in clause_rules(lang).second_output.finditer(text, c.action_start, c.end)
                      if _own_due(text[c0:m.start()], text[m.end():c.end], text[c.action_start:m.start()],
                                  text[m.end():c.end], mh, lang)), None)
        if m is None:
            out.append(c)
            continue
        out.append(replace(c, end=m.start(), action=text[c.action_start:m.start()]))
        out.append(replace(c, start=m.start(), action=text[m.end():c.end], action_start=m.end(),
                           context_start=m.end()))
    return out


def _own_due(ctx1: str, ctx2: str, act1: str, act2: str, mh, lang: str) -> bool:
    if not (is_reporting(output_of(act1, lang), lang) and is_reporting(output_of(act2, lang), lang)):
        return False
    d1, d2 = ({d.body for d in due_sessions(t, mh.body, mh.session, lambda s: body_mentions(s, lang),
                                             lang=lang, has_sessions=has_sessions)} for t in (ctx1, ctx2))
    return bool(d1) and bool(d2) and not (d1 & d2)


def _agent_like(text: str, lang: str) -> bool:
    """Words that can name who is asked: a proper name ("Centre", "Office of ..."), a plural
    noun phrase ("special rapporteurs", "executive heads of the participating organizations")
    or a body's head noun ("open-ended working group", "secretariat of the Convention"), not a
    clause ("improvement of ...") nor an abstract plural ("efforts to ...")."""
    t = text.strip()
    if not t:
        return False
    head = (t.split(" of ")[0].split() or [""])[-1].lower()
    C = clause_rules(lang)
    if head in C.not_agents:
        return False
    return t[0].isupper() or head.endswith("s") or head in C.agent_heads
