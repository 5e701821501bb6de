"""General Assembly resolutions and drafts (A/RES/n/m, A/n/L.m) -> facts.

Reads the reading text of a PDF source (:mod:`mandategraph.ingest.pdf`) in three passes:

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

import importlib
import re
from dataclasses import dataclass, field

from ..core.facts import (
    AgendaItemFact,
    AgendaItemRef,
    BodyFact,
    BodyRef,
    DocRef,
    DocumentFact,
    Facts,
    InstrumentFact,
    InstrumentRef,
    MeetingFact,
    MeetingRef,
    ParagraphFact,
    ParagraphRef,
    Relation,
    SessionFact,
    SessionRef,
    SourceInfo,
)
from ..ingest.source import Source
from ..symbols.grammar import doc_class as _doc_class
from ..symbols.grammar import try_parse
from .res_masthead import (  # noqa: F401 - re-exported: the masthead is part of this extractor's API
    RULE,
    Adoption,
    AgendaEntry,
    Line,
    Masthead,
    NotAResolution,
    body_by_name,
    body_in_context,
    lines_of,
    norm_item,
    parse_masthead,
    prov,
    split_sponsors,
)
from .res_mentions import agendas, annex_mandates, footnote_facts, mention_facts, unify


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


def rules_for(lang: str):
    """The rule set of a language (``lang/<lang>_resolution.py``), or None."""
    try:
        return importlib.import_module(f"{__package__}.lang.{lang}_resolution").RULES
    except ModuleNotFoundError:
        return None


# --------------------------------------------------------------------------- helpers


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


#: the adoption date and the annex heading of the next page read as one line
_DATE_THEN_ANNEX = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4} Annex(?:es)?\b")


def parse_paragraphs(lines: list[Line], mh: Masthead, R) -> Parsed:
    parsed = Parsed(mh)
    paras: list[dict] = []
    part = "preamble"
    annex_no = 0
    pp = 0
    labels: set[str] = set()
    started = False
    lettered_ops = False  #: a decision whose operative items are (a), (b), ...
    is_decision = mh.draft_kind == "decision" or bool(mh.adoption and mh.adoption.kind == "decision")
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
        if part == "closed" and _DATE_THEN_ANNEX.match(t):
            t = t[t.index("Annex"):]  # "16 July 2024 Annex": the page break between them dropped
        if R.annex.match(t) and (part == "closed" or len(t) < 200):
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
            prev = paras[-1] if paras else None
            letter = t[1:t.index(")")]
            if lettered_ops:
                paras.append(dict(part="operative", number=letter, verb=None, text=t,
                                  start=line.start, end=line.end))
            elif is_decision and prev and prev["part"] == "preamble" and \
                    prev["text"].rstrip().endswith(":"):
                verb = _chapeau_verb(prev["text"], R)
                part = "operative"
                if verb:  # "..., decides, with regard to ...:" + (a), (b): one paragraph
                    prev["part"], prev["verb"] = "operative", verb
                    _extend(prev, line)
                else:  # a chapeau without a verb: each lettered item is operative
                    lettered_ops = True
                    paras.append(dict(part="operative", number=letter, verb=None, text=t,
                                      start=line.start, end=line.end))
            elif prev and (prev["part"] in ("operative", "annex")
                           or prev["text"].rstrip().endswith(":") or not is_decision):
                _extend(prev, line)  # (a resolution's preamble lists stay in their paragraph)
            elif part == "preamble":  # a decision's lettered operative items
                part, lettered_ops = "operative", True
                paras.append(dict(part="operative", number=letter, verb=None, text=t,
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
        first = (t.split(None, 1) or [""])[0].lower().rstrip(":,;.")
        if first in R.operative_verbs:
            paras.append(dict(part="operative", number=None, verb=None, text=t,
                              start=line.start, end=line.end))
            if t.rstrip().endswith(":"):  # "Adopts the following outcome document:"
                part = "annex"
                annex_no += 1
            else:
                part = "operative"
            continue
        paras.append(dict(part="preamble", number=None, verb=None, text=t,
                          start=line.start, end=line.end))
    op_unnumbered = 0
    # a resolution whose one operative paragraph is printed without a number: that paragraph is
    # its first (and only) one, "op-1" as a reader cites it (gold: op1); "op-u<n>" marks an
    # unnumbered paragraph among numbered ones
    sole = sum(p["part"] == "operative" for p in paras) == 1
    for p in paras:
        if p["part"] == "preamble":
            pp += 1
            label = f"pp-{pp}"
        elif p["part"] == "operative":
            if p["number"] is None:
                op_unnumbered += 1
                label = "op-1" if sole else f"op-u{op_unnumbered}"
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


def _chapeau_verb(text: str, R) -> str | None:
    """The operative verb of a chapeau ("Recalling ..., decides, with regard to ...:"), if any."""
    first = (text.split(None, 1) or [""])[0].lower().rstrip(":,;.")
    if first in R.operative_verbs:
        return first
    for m in re.finditer(r"[,;]\s+(?:also\s+|further\s+)?([a-z]+(?: upon| note)?)\b", text):
        if m.group(1) in R.operative_verbs:
            return m.group(1)
    return None


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
    return bool(re.match(r"United Nations\s+A/(?:RES/|\d+/L\.|ES-\d+/L\.|C\.\d/\d+/L\.)", head))


def parse(source: Source) -> Parsed:
    R = rules_for(source.language) or rules_for("en")
    lines = lines_of(source.norm)
    mh = parse_masthead(source, lines, R)
    return parse_paragraphs(lines, mh, R)


def extract(source: Source) -> Facts:
    """Facts of one GA resolution or draft. Raises NotAResolution for other documents."""
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
                     printed=mh.printed,
                     date_prov=prov(source, mh.date_line.start, mh.date_line.end, "masthead.date")
                     if mh.date_line is not None and mh.date else None))
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

        add(MeetingFact(MeetingRef(mh.body, parsed.meeting),
                        prov(source, ml.start, ml.end, "adoption.meeting"),
                        start=mh.adoption.date if mh.adoption else None,
                        end=mh.adoption.date if mh.adoption else None))
    _committee_facts(source, facts, mh, doc)
    owner = instrument or doc
    # a draft's paragraphs and the mandates they would make belong to the draft document
    # (un:DraftParagraph, un:ProposedMandate), never to an adopted instrument
    para_owner = instrument if instrument is not None else \
        (doc if mh.doc_class == "DraftResolution" else None)
    for p in parsed.paragraphs:
        if para_owner is not None:
            add(ParagraphFact(ParagraphRef(para_owner, p.label),
                              prov(source, p.start, p.end, f"paragraph.{p.part}"),
                              part=p.part, number=p.number, verb=p.verb, text=p.text))
        if p.part != "annex":
            mention_facts(source, facts, R, mh, owner, para_owner, p)
        else:
            annex_mandates(source, facts, R, mh, instrument, p)
    # every footnote, an annex's too: the instruments an annexed text cites in its footnotes
    # are cited by the resolution that adopts it (gold: `annex-op<n>`)
    for a, b in source.footnotes:
        footnote_facts(source, facts, R, mh, owner, instrument, a, b)
    unify(facts, instrument)
    return facts


def _committee_facts(source: Source, facts: Facts, mh: Masthead, doc: DocRef) -> None:
    """A Main Committee draft: the committee that considers it, the drafts an officer's
    draft is based on."""
    if mh.committee:
        cl = mh.committee_line or mh.symbol_line
        cp = prov(source, cl.start, cl.end,
                  "masthead.committee" if mh.committee_line else "masthead.symbol-committee")
        if mh.committee_name:
            facts.add(BodyFact(BodyRef(mh.committee), cp, name=mh.committee_name,
                               name_lang=source.language))
        facts.add(Relation(doc, "consideredBy", BodyRef(mh.committee), cp))
    if mh.based_on and mh.sponsor_line is not None:
        sl = mh.sponsor_line
        for other in mh.based_on:
            bp = prov(source, sl.start, sl.end, "masthead.based-on")
            facts.add(DocumentFact(DocRef(other), bp, doc_class="DraftResolution", printed=other))
            facts.add(Relation(doc, "basedOn", DocRef(other), bp))


def agenda_symbol(body: str, session: int | None) -> str:
    """The agenda document of a session from data/reference/agendas.csv, else ``body/session``
    (a stand-in key that stays stable until the agenda symbol is known)."""
    return agendas().get((body, session)) or f"{body}/{session}"


def _adoption_facts(source: Source, facts: Facts, mh: Masthead, instrument: InstrumentRef) -> None:
    a = mh.adoption
    if a.symbol is None or a.via_line is None:
        return
    vp = prov(source, a.via_line.start, a.via_line.end, f"adoption.{a.via}")
    other = DocRef(a.symbol)

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
