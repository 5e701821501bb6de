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

import csv
import io
import re
from functools import lru_cache

from ..facts import (
    BodyFact, BodyRef, DocRef, DocumentFact, Facts, InstrumentFact, InstrumentRef, MandateFact, MandateRef,
    ParagraphRef, PlannedItemFact, PlannedItemRef, Relation, SessionRef,
)
from ..ingest import Source
from ..iris import slugify
from .common import en_ordinal

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
                                 "renews", "recommends", "decides", "request", "invite").pattern
                           + "|provisional agenda")
_S_FORM = re.compile(r"^\d{1,4} \(\d{4}\)$")
_E_FORM = re.compile(r"^\d{4}/\d{1,3}$")


@lru_cache(maxsize=1)
def agendas() -> dict[tuple[str, int], str]:
    """(body, session) -> symbol of the session's agenda, from data/reference/agendas.csv."""
    from ..resources import read_text  # noqa: PLC0415

    try:
        text = read_text("data", "reference", "agendas.csv")
    except (FileNotFoundError, OSError):
        return {}
    return {(r["body"], int(r["session"])): r["agenda"] for r in csv.DictReader(io.StringIO(text))}


@lru_cache(maxsize=4)
def _owner_re(lang: str) -> re.Pattern[str]:
    """Body names (longest first) that may stand right before "resolution(s)"."""
    from ..reference import bodies  # noqa: PLC0415

    names: set[str] = set()
    for b in bodies().values():
        if b.series:
            for n in b.names(lang):
                names.add(n.removeprefix("the "))
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?:(?P<its>\bits)|(?P<name>{alt}))(?:\s+(?:previous|relevant|annual|"
                      rf"subsequent))?\s*$")


UNSTATED = "unstated"  #: the body of an instrument the text does not let a reader decide
DEFAULT = "\x00default"  #: suffix of a body taken by default (resolved per document in unify)


def _owner_before(text: str, pos: int, R) -> str | None:
    """Body named right before position ``pos`` (the "resolution(s)" keyword); "its" is the
    body named shortly before "in its" ("the Commission on Crime Prevention and Criminal
    Justice in its resolution 34/1"), else the resolution's own body."""
    m = _owner_re(R.lang).search(text, max(0, pos - 120), pos)
    if not m:
        return None
    from .resolution import body_by_name  # noqa: PLC0415

    if m.group("its"):
        if R.in_its.search(text, max(0, pos - 120), pos):
            from .addressees import body_mentions  # noqa: PLC0415

            lo = max(0, m.start() - 160)
            window = text[lo:m.start()]
            cut = max(window.rfind(";"), window.rfind(". "))
            found = [b for b in body_mentions(window[cut + 1:], R.lang)]
            if found:
                return found[-1][2]
        return "its"
    return body_by_name(m.group("name"), R.lang)


def _trailing_body(text: str, pos: int, stop: int, R) -> str | None:
    """The adopting body named after the number, its date and a title, before the clause
    ends: "resolution 12/4 of 18 October 2024 on enhancing ... of the Conference of the
    Parties to the ...", "decision 15/4 ... at the fifteenth meeting of the Conference of
    the Parties to the ...", "resolution 16/18 ... adopted by the Human Rights Council"."""
    end = _far_end(text, pos, min(stop, pos + 320))
    for m in R.trailing_owner_far.finditer(text, pos, end):
        if _NOT_ADOPTER.search(text, max(pos, m.start() - 40), m.start()):
            continue  # "resolutions ... on the annual reports of the Commission"
        key = _full_name_at(text, m.end(), R.lang)
        if key is not None:
            return key
    return None


#: a comma that ends the phrase of a cited instrument (not ", entitled “...”, adopted by")
_FAR_CUT = re.compile(r";|\.\s|,(?!\s*(?:entitled|adopted|as adopted|on the|at its|at the|by the)\b)")


def _far_end(text: str, pos: int, stop: int) -> int:
    """Where the phrase of the cited instrument ends: the first ";" or a comma that does not
    introduce its title or adoption ("..., entitled “...”, adopted by the ..."), quotes skipped."""
    i = pos
    while i < stop:
        q = text.find("“", i, stop)
        m = _FAR_CUT.search(text, i, q if q >= 0 else stop)
        if m:
            return m.start()
        if q < 0:
            return stop
        close = text.find("”", q, stop)
        if close < 0:
            return stop
        i = close + 1
    return stop


@lru_cache(maxsize=2)
def _full_names(lang: str) -> tuple[tuple[str, str, bool], ...]:
    """(full name, key) of bodies that adopt instruments, longest first: the far search for
    an adopting body takes full names only ("the Conference of the Parties" alone is too short
    to tell which Conference)."""
    from ..reference import bodies  # noqa: PLC0415

    out = []
    for key, b in bodies().items():
        if b.cls in ("Secretariat", "Official", "StateGroup"):
            continue
        for n in b.names(lang):
            n = n.removeprefix("the ")
            if len(n.split()) >= 3 or n == b.name_en:
                out.append((n, key, n == b.name_en))
    return tuple(sorted(out, key=lambda t: -len(t[0])))


_NAME_GOES_ON = re.compile(r"\s+(?:to|of|serving|for|on)\b")


def _full_name_at(text: str, pos: int, lang: str) -> str | None:
    """The body whose name starts at ``pos``; a short alias does not count when the text goes
    on with a longer name ("the Conference of the Parties to the Agreement" is not the
    Conference of the table whose alias is "the Conference of the Parties")."""
    for name, key, primary in _full_names(lang):
        e = pos + len(name)
        if text.startswith(name, pos) and not text[e:e + 1].isalnum():
            return None if not primary and _NAME_GOES_ON.match(text, e) else key
    return None


#: words after which "of the <body>" names whose report or work it is, not who adopted
_NOT_ADOPTER = re.compile(r"\b(?:reports?|work|members|bureau|secretariat|agenda|chair|meetings?|"
                          r"sessions?|functioning|support|mandate)\s+$")

_SYMBOL_BEFORE = re.compile(r"(?P<sym>[A-Z][A-Za-z0-9.]*(?:/[A-Za-z0-9.]+)+)(?:,|\s)\s*$")


def _symbol_body(text: str, pos: int) -> str | None:
    """"document CBD/COP/15/17, decision 15/4": the body whose symbol series (or an alias
    written like a series) begins the document symbol right before the keyword."""
    m = _SYMBOL_BEFORE.search(text, max(0, pos - 60), pos)
    if not m:
        return None
    return _series_body(m.group("sym"))


@lru_cache(maxsize=1)
def _series_table() -> tuple[tuple[str, str], ...]:
    from ..reference import bodies  # noqa: PLC0415

    out = []
    for key, b in bodies().items():
        for series in (b.series, *[a for a in b.aliases_en if "/" in a and " " not in a]):
            if series and "/" in series:
                out.append((series + "/", key))
    return tuple(sorted(out, key=lambda t: -len(t[0])))


def _series_body(symbol: str) -> str | None:
    for prefix, key in _series_table():
        if symbol.startswith(prefix) or ("/" + prefix) in ("/" + symbol):
            return key
    return None


def find_instruments(text: str, R, own_body: str,
                     own_session: int | None = None) -> list[tuple[int, int, InstrumentRef, object]]:
    """(start, end, ref, date) for each instrument number mentioned in ``text``. A body
    taken by default carries the :data:`DEFAULT` suffix (resolved by :func:`unify`), and a
    number the text gives no body for and that the own body's numbering cannot have
    (GA "n/m" before its 31st session) gets :data:`UNSTATED`."""
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
            from .resolution import body_by_name  # noqa: PLC0415

            after = pos + tm.end()
            trailing = body_by_name(text[after:after + 200], R.lang, anchored=True)
        # dated numbers later in the same clause continue the list ("63/71 of 2 December
        # 2008 on the Convention on Cluster Munitions and 70/54 of 7 December 2015, ...")
        nxt = R.instrument_keyword.search(text, pos)
        stop = min(nxt.start() if nxt else len(text), _clause_end(text, pos))
        if trailing is None and owner is None:
            trailing = _trailing_body(text, pos, stop, R) or _symbol_body(text, kw.start())
        for dm in R.instrument_number.finditer(text, pos, stop):
            if dm.group("date") and (dm.start() == 0 or text[dm.start() - 1] in " (") and \
                    not text[dm.end():dm.end() + 1].isalnum():
                nums.append(dm)
        for nm in nums:
            letters = re.findall(r"[A-Z]{1,2}", nm.group("letters") or "") or [""]
            for letter in letters:
                number = re.sub(r"\s+", " ", nm.group("num")) + (f" {letter}" if letter else "")
                _add_number(out, nm, number, kind, trailing, owner, own_body, R, own_session)
    return out


def _clause_end(text: str, pos: int) -> int:
    m = re.compile(r";|\.\s+[A-Z]").search(text, pos)
    return m.start() if m else len(text)


def _add_number(out: list, nm, number: str, kind: str, trailing, owner, own_body: str,
                R=None, own_session: int | None = None) -> None:
    """Resolve the adopting body of one instrument number and record it: the body named
    (after the number, before it, "its"), else the body the form of the number implies
    (``R.numbering``), else "body not stated"."""
    from .common import parse_date  # noqa: PLC0415

    body = trailing or (own_body if owner == "its" else owner)
    if body is None:
        body = _by_numbering(number, own_body, R, own_session)
    date = parse_date(nm.group("date")) if nm.group("date") else None
    out.append((nm.start(), nm.end(), InstrumentRef(body, kind, number), date))


def _by_numbering(number: str, own_body: str, R, own_session: int | None) -> str:
    if R is None:
        return own_body + DEFAULT
    for pattern, key in R.numbering:
        if not pattern.match(number):
            continue
        if key == "own":
            return own_body + DEFAULT
        if key == "own-session":
            try:
                n = int(number.split("/", 1)[0])
            except ValueError:
                return UNSTATED
            hi = own_session if own_session is not None else n
            return own_body + DEFAULT if R.own_numbering_from <= n <= hi else UNSTATED
        return key
    return UNSTATED


def unify(facts: Facts, instrument: InstrumentRef | None) -> None:
    """One node per real instrument in a document: a number given a body by default (or none)
    takes the body the document states for that number elsewhere when it states exactly one
    ("Human Rights Council resolution 57/10" ... "resolution 57/10" is the Council's), else
    the default body; a self-citation that appears is dropped."""
    from dataclasses import replace  # noqa: PLC0415

    stated: dict[tuple[str, str], set[str]] = {}

    def note(ref) -> None:
        if isinstance(ref, InstrumentRef) and not ref.body.endswith(DEFAULT) and ref.body != UNSTATED:
            stated.setdefault((ref.kind, ref.number), set()).add(ref.body)

    for f in facts.items:
        if isinstance(f, Relation):
            note(f.subject)
            note(f.object)
        elif isinstance(f, InstrumentFact):
            note(f.ref)

    # two stated bodies for one number where one is the other's parent (the FAO and the
    # Conference of the FAO): one instrument, of the more precise body
    from ..reference import bodies  # noqa: PLC0415

    table = bodies()
    merged: dict[tuple[str, str, str], str] = {}
    for (kind, number), found in stated.items():
        for b in found:
            parent = table[b].parent if b in table else None
            if parent in found:
                merged[(kind, number, parent)] = b
    for (kind, number, parent), child in merged.items():
        stated[(kind, number)].discard(parent)

    def fix(ref):
        if not isinstance(ref, InstrumentRef):
            return ref
        if (ref.kind, ref.number, ref.body) in merged:
            return InstrumentRef(merged[(ref.kind, ref.number, ref.body)], ref.kind, ref.number)
        if not (ref.body.endswith(DEFAULT) or ref.body == UNSTATED):
            return ref
        known = stated.get((ref.kind, ref.number), set())
        if len(known) == 1:
            return InstrumentRef(next(iter(known)), ref.kind, ref.number)
        if ref.body.endswith(DEFAULT):
            return InstrumentRef(ref.body[:-len(DEFAULT)], ref.kind, ref.number)
        return ref

    out = []
    for f in facts.items:
        if isinstance(f, Relation):
            s, o = fix(f.subject), fix(f.object)
            if instrument is not None and o == instrument and s == instrument:
                continue
            if s is not f.subject or o is not f.object:
                f = replace(f, subject=s, object=o)
        elif isinstance(f, InstrumentFact):
            r = fix(f.ref)
            if r is not f.ref:
                f = replace(f, ref=r)
        out.append(f)
    facts.items[:] = out


def mention_facts(source: Source, facts: Facts, R, mh, owner, instrument, p) -> None:
    """Facts for the mentions in paragraph ``p`` (see the module docstring)."""
    from .resolution import prov  # noqa: PLC0415

    text = p.text
    base = p.start
    reaffirm = (p.verb or "").split(" ")[0] in R.reaffirm_verbs
    predicate = "reaffirms" if reaffirm else ("endorses" if p.verb == "endorses" else "recalls")
    found = find_instruments(text, R, mh.body, mh.session) if _INSTRUMENT_HINT.search(text) else ()
    for start, end, ref, date in found:
        if ref == instrument:
            continue
        pv = prov(source, base + start, base + end, f"mention.instrument.{p.part}")
        if date is not None:  # (the relation itself declares the instrument node)
            facts.add(InstrumentFact(ref, pv, date=date))
        facts.add(Relation(owner, predicate, ref, pv))
    from ..symbols import doc_class, find_symbols  # noqa: PLC0415

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
    import bisect

    o_start, o_end = source.to_original(p.start, p.end)
    lo = bisect.bisect_left(source.markers, (o_start, -1))
    hi = bisect.bisect_left(source.markers, (o_end + 6, -1))  # a marker may end the paragraph
    if lo >= hi:
        return
    from ..facts import Prov, Span  # noqa: PLC0415
    from ..symbols import find_symbols  # noqa: PLC0415

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
        found = find_instruments(m.group(0), R, mh.body, mh.session)
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
    from ..facts import Prov, Span  # noqa: PLC0415
    from ..symbols import doc_class, find_symbols  # noqa: PLC0415

    raw = source.text[a:b].replace("\r\n", "  ").replace("\ufffe", "-").replace("\n", " ")

    def fp(s: int, e: int, rule: str) -> Prov:
        return Prov(Span(a + s, a + e, source.text[a + s:a + e]), f"res.{rule}")

    for start, end, ref, date in find_instruments(raw, R, mh.body, mh.session):
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


def symbol_key(sym) -> str:
    """The document key of a parsed symbol: the first part of a joint symbol, no asterisk."""
    parts = getattr(sym, "parts", None)
    return parts[0].identifier if parts else sym.identifier


def _mandates(source: Source, facts: Facts, R, mh, instrument: InstrumentRef, p) -> None:
    """Mandates of one operative paragraph, from the clause reader (:mod:`.clauses`): every
    request whose addressee is a row of the reference tables, and every request that asks for
    a report or submission whoever is asked (an addressee of no row is kept as written and
    flagged); agenda inclusions and continued consideration, addressed to the deciding body."""
    from .addressees import body_mentions, has_sessions, resolve  # noqa: PLC0415
    from .clauses import due_sessions, is_reporting, output_of, read_clauses, recurrence_of  # noqa: PLC0415
    from .resolution import body_in_context, prov  # noqa: PLC0415

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

    for c in read_clauses(body_text, lang):
        a0 = base + shift + c.start
        a1 = base + shift + c.end
        if c.kind in ("agenda", "consideration"):
            try:
                n = en_ordinal(re.sub(r"\s?[-\u2011]\s?|\s", "-", c.ordinal or ""))
            except ValueError:
                continue
            session = SessionRef(mh.body, n)
            rule = "planned-item" if c.kind == "agenda" else "mandate.consideration"
            pv = prov(source, a0, a1, rule)
            if c.kind == "agenda" and c.title:
                planned = PlannedItemRef(session, slugify(c.title)[:80])
                facts.add(PlannedItemFact(planned, pv, title=c.title, title_lang=source.language))
                facts.add(Relation(planned, "plannedFor", session, pv))
            ref = MandateRef(instrument, local(c.item))
            facts.add(MandateFact(ref, pv, verb="decides", addressee=mh.body, item=c.item,
                                  output="agenda item" if c.kind == "agenda" else "consideration",
                                  status="planned",
                                  recurrence=recurrence_of(c.inserted if c.kind == "agenda" else body_text, lang)))
            facts.add(Relation(ref, "inParagraph", para_ref, pv))
            facts.add(Relation(ref, "dueAt", session, pv))
            continue
        who = resolve(c.addressee, lang, full=c.addressee_full)
        if who is None:
            continue
        key = who.key
        if key is None and c.addressee:  # "the Special Committee": the one body written out
            key = body_in_context(c.addressee, source.norm, R.lang)
        action = c.action
        c0 = c.context_start if c.context_start is not None else c.action_start
        context = body_text[c0:c.end]  # the inserted phrase and the action
        output = output_of(action, lang)
        dues = due_sessions(context, mh.body, own_session, bodies_in,
                            addressee_body=key, lang=lang, has_sessions=has_sessions)
        reporting = is_reporting(output, lang) or bool(dues)
        if key is None or who.collective:
            # Member States, States parties, words of no row: a mandate only when they are
            # asked to report or submit something to a body
            if not (dues or (reporting and bodies_in(context))):
                continue  # "Calls upon States to ratify ...": a plain paragraph, not a mandate
            if key is None and not _agent_like(who.text):
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
                              addressee_text=who.text if key is None else None,
                              output=output, recurrence=recurrence_of(context, lang),
                              status="open"))
        facts.add(Relation(ref, "inParagraph", para_ref, pv))
        b0 = base + shift + c0
        for d in dues:
            facts.add(Relation(ref, "dueAt", SessionRef(d.body, d.session),
                               prov(source, b0 + d.start, b0 + d.end, "mandate.due-session")))


def _agent_like(text: str) -> bool:
    """Words that can name who is asked: a proper name ("Centre", "Office of ...") or a plural
    noun phrase ("special rapporteurs", "donor countries"), not a clause ("improvement of ...")."""
    t = text.strip()
    return bool(t) and (t[0].isupper() or (" of " not in t and t.split()[-1].endswith("s")))

