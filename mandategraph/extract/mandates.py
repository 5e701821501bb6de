"""Mandates and their statuses as an annotated agenda states them.

- a request ("缔约方会议请毒罪办…", "requested the Secretariat to …") or an endorsed
  recommendation ("核可了一项建议，即秘书处应…") of the instrument in context is a mandate, with
  its addressee (a body), the output it asks for, and the session it is due at;
- "two studies: one …, the other …" are two mandates;
- the status is what the text says: a document "pursuant to resolution 7/1 … (see SYMBOL)" or
  "pursuant to paragraph 53 of <text annexed to resolution 9/1>" fulfils it; "will have before it
  … compilation … (SYMBOL)" fulfils an earlier request for a compilation; "will report orally on
  resolution 11/4" makes it an oral report; "could not be carried out" marks it not carried out.

Each status statement is recorded as its own MandateFact so its quote is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.facts import (
    DocRef,
    InstrumentRef,
    MandateFact,
    MandateRef,
    ParagraphFact,
    ParagraphRef,
    Prov,
    Relation,
    SessionRef,
)
from .context import Counter, Ctx
from .mentions import instrument_context, instrument_in


@dataclass
class _Mandate:
    instrument: InstrumentRef
    local: str
    prov: Prov
    pos: int
    verb: str | None = None
    addressee: str | None = None
    output: str | None = None
    output_word: str | None = None
    due: int | None = None
    status: str = "open"

    @property
    def ref(self) -> MandateRef:
        return MandateRef(self.instrument, self.local)


@dataclass
class _State:
    ctx: Ctx
    mandates: list[_Mandate] = field(default_factory=list)
    counter: Counter = field(default_factory=Counter)

    def new(self, instrument: InstrumentRef, base: str, prov: Prov, pos: int, **kw) -> _Mandate:
        m = _Mandate(instrument, self.counter.local(instrument, base), prov, pos, **kw)
        self.mandates.append(m)
        return m

    def emit_status(self, m: _Mandate, status: str, lo: int, hi: int, rule: str) -> None:
        m.status = status
        note = self.ctx.norm[lo:hi].strip()
        self.ctx.add(MandateFact(m.ref, self.ctx.prov(lo, hi, rule), status=status,  # type: ignore[arg-type]
                                 status_note=self.ctx.source.text[slice(*self.ctx.source.to_original(lo, hi))].strip() or note))


def run(ctx: Ctx) -> None:
    st = _State(ctx)
    _requests(st)
    _annex_paragraphs(st)
    _pursuant(st)
    _will_receive(st)
    _oral(st)
    _not_carried_out(st)
    for m in st.mandates:
        ctx.add(MandateFact(m.ref, m.prov, verb=m.verb, addressee=m.addressee, output=m.output))
        if m.due is not None and ctx.conference:
            ctx.add(Relation(m.ref, "dueAt", SessionRef(m.instrument.body, m.due), m.prov))


def _output(ctx: Ctx, text: str) -> tuple[str | None, str | None]:
    for pattern, term in ctx.rules.outputs:
        hit = re.search(pattern, text, re.IGNORECASE)
        if hit:
            return term, hit.group(0)
    return None, None


def _due(ctx: Ctx, text: str) -> int | None:
    m = ctx.rules.due_session.search(text)
    if not m:
        return None
    try:
        return ctx.rules.number(m["n"])
    except ValueError:
        return None


def _base(m_output: str | None, due: int | None) -> str:
    return (m_output or "action") + (f"-s{due}" if due is not None else "")


# --------------------------------------------------------------------------- requests


def _requests(st: _State) -> None:
    ctx, rules = st.ctx, st.ctx.rules
    for s0, s1 in _annotation_sentences(ctx):
        hits = []
        for pat in (rules.request, rules.endorsed_request):
            for m in pat.finditer(ctx.norm, s0, s1):
                addressee = ctx.name_starting_at(m.end())
                if addressee is None or not ctx.resolve(addressee):
                    continue
                hits.append((m.start(), m, ctx.resolve(addressee), addressee.end))
        hits.sort(key=lambda h: h[0])
        for i, (pos, m, addressee, a_end) in enumerate(hits):
            instrument = instrument_in(ctx, s0, pos) or instrument_context(ctx, pos)
            if instrument is None:
                continue
            c1 = hits[i + 1][0] if i + 1 < len(hits) else s1
            clause = ctx.norm[pos:c1]
            output, word = _output(ctx, ctx.norm[a_end:c1])
            due = _due(ctx, clause)
            verb = rules.verbs.get(m["verb"].lower(), m["verb"].lower())
            prov = ctx.prov(pos, c1, "mandate.request")
            count = rules.count_split.search(clause)
            n = 1
            if count:
                try:
                    n = rules.number(count["count"])
                except ValueError:
                    n = 1
                if len(rules.enumerator.findall(clause)) < n:
                    n = 1
            for k in range(n):
                base = f"{output}-{k + 1}" if n > 1 else _base(output, due)
                st.new(instrument, base, prov, pos, verb=verb, addressee=addressee,
                       output=output, output_word=word, due=due)


def _annotation_sentences(ctx: Ctx) -> list[tuple[int, int]]:
    out = []
    for seg in ctx.segments:
        out.extend(ctx.sentences(seg.start, seg.end))
    return out


# --------------------------------------------------------------------------- fulfilment


def _fulfil(st: _State, m: _Mandate, doc: str, lo: int, hi: int, rule: str) -> None:
    ctx = st.ctx
    prov = ctx.prov(lo, hi, rule)
    m.status = "fulfilled"
    ctx.add(Relation(m.ref, "fulfilledBy", DocRef(doc), prov))
    ctx.add(Relation(DocRef(doc), "mandatedBy", m.instrument, prov))


def _pursuant(st: _State) -> None:
    """"根据第 7/1 号决议，这两次会议的报告将提交…（见 CTOC/COP/2024/5）"."""
    ctx = st.ctx
    for im in ctx.instruments:
        if len(im.refs) != 1:
            continue
        s0, s1 = ctx.sentence(im.start)
        if not ctx.rules.pursuant.search(ctx.norm[s0:im.start]):
            continue
        docs = ctx.symbols_in(im.end, s1) or ctx.symbols_in(s0, im.start)
        if not docs:
            continue
        text = ctx.norm[im.end:s1]
        output, word = _output(ctx, text)
        if output is None:
            output, word = _output(ctx, ctx.norm[s0:s1])
        due = _due(ctx, text) or (ctx.session.number if ctx.session and ctx.session.body == im.refs[0].body else None)
        inst = im.refs[0]
        m = next((x for x in st.mandates if x.instrument == inst and x.output == output
                  and x.due == due), None)
        if m is None:
            m = st.new(inst, _base(output, due), ctx.prov(s0, s1, "mandate.pursuant"), s0,
                       output=output, output_word=word, due=due)
        for d in docs:
            _fulfil(st, m, d.symbol, s0, s1, "mandate.pursuant")


def _annex_paragraphs(st: _State) -> None:
    """Texts annexed to an instrument ("第 9/1 号决议附件所载…运作程序和规则") and documents made
    "根据<that text>第 53 段" (pursuant to its paragraph 53)."""
    ctx, rules = st.ctx, st.ctx.rules
    annexes: list[tuple[str, InstrumentRef]] = []
    described: dict[tuple[InstrumentRef, str], tuple[int, int]] = {}
    for m in rules.annex_name.finditer(ctx.norm):
        s0, s1 = ctx.sentence(m.start())
        inst = instrument_in(ctx, s0, m.start() + 1) or instrument_context(ctx, m.start())
        if inst is None:
            continue
        annexes.append((_tail(m["name"], ctx.rules.cjk), inst))
        for p in rules.paragraph_says.finditer(ctx.norm, m.end(), s1):
            nxt = rules.paragraph_says.search(ctx.norm, p.end(), s1)
            described[(inst, p["n"])] = (p.start(), nxt.start() if nxt else s1)
    if not annexes:
        return
    for m in rules.paragraph_of.finditer(ctx.norm):
        tail = _tail(m["name"], ctx.rules.cjk)
        inst = next((i for name, i in annexes if _similar(name, tail)), None)
        if inst is None:
            continue
        line_start = ctx.norm.rfind("\n", 0, m.start()) + 1
        line_end = ctx.norm.find("\n", m.end())
        line_end = len(ctx.norm) if line_end < 0 else line_end
        s0, s1 = ctx.sentence(m.start())
        lo, hi = min(s0, line_start), max(s1, line_end) if ctx.rules.cjk else s1
        docs = ctx.symbols_in(m.end(), hi) or ctx.symbols_in(lo, hi)
        if not docs:
            continue
        label = f"annex-{m['n']}"
        para = ParagraphRef(inst, label)
        text_span = described.get((inst, m["n"]))
        ptext = ctx.norm[text_span[0]:text_span[1]].strip() if text_span else None
        ctx.add(ParagraphFact(para, ctx.prov(*(text_span or (m.start(), m.end())), "mandate.annex-paragraph"),
                              part="annex", number=m["n"], text=ptext))
        output, word = _output(ctx, ptext or ctx.norm[lo:hi])
        mandate = next((x for x in st.mandates if x.instrument == inst and x.local == label), None)
        if mandate is None:
            mandate = st.new(inst, label, ctx.prov(*(text_span or (m.start(), m.end())), "mandate.annex-paragraph"),
                             m.start(), verb="provides" if ptext else None, output=output, output_word=word)
            ctx.add(Relation(mandate.ref, "inParagraph", para, mandate.prov))
        for d in docs[:1]:
            _fulfil(st, mandate, d.symbol, m.start(), docs[0].end, "mandate.annex-paragraph-reference")


def _tail(name: str, cjk: bool) -> str:
    name = re.sub(r"[\s《》“”的]" if cjk else r"\s+", "" if cjk else " ", name).strip().lower()
    return name[-10:] if cjk else " ".join(name.split()[-5:])


def _similar(a: str, b: str) -> bool:
    return a == b or (len(a) >= 6 and len(b) >= 6 and (a.endswith(b) or b.endswith(a)))


def _will_receive(st: _State) -> None:
    """"缔约方会议将收到一份会议室文件，其中载有…汇总表…（SYMBOL）" fulfils an earlier request of
    the same item for that kind of output (generic reports are too ambiguous and are skipped)."""
    ctx = st.ctx
    for s0, s1 in _annotation_sentences(ctx):
        if not ctx.rules.will_receive.search(ctx.norm, s0, s1):
            continue
        docs = ctx.symbols_in(s0, s1)
        if not docs:
            continue
        seg = ctx.segment_at(s0)
        for m in st.mandates:
            if m.status != "open" or m.pos >= s0 or not m.output_word or m.output == "report":
                continue
            mseg = ctx.segment_at(m.pos)
            if not seg or not mseg or mseg.top != seg.top:
                continue
            if re.search(re.escape(m.output_word), ctx.norm[s0:s1], re.IGNORECASE):
                _fulfil(st, m, docs[-1].symbol, s0, s1, "mandate.will-receive")


# --------------------------------------------------------------------------- other statuses


def _oral(st: _State) -> None:
    ctx = st.ctx
    for s0, s1 in _annotation_sentences(ctx):
        if not ctx.rules.oral_report.search(ctx.norm, s0, s1):
            continue
        inst = instrument_in(ctx, s0, s1) or instrument_context(ctx, s0)
        if inst is None:
            continue
        cands = [m for m in st.mandates if m.instrument == inst and m.output == "report"
                 and m.status == "open" and m.pos < s0]
        if not cands:
            speaker = next((ctx.resolve(n) for n in ctx.names_in(s0, s1) if ctx.resolve(n)
                            and not ctx.adopting(ctx.resolve(n))), None)
            due = ctx.session.number if ctx.session and ctx.session.body == inst.body else None
            cands = [st.new(inst, _base("report", due), ctx.prov(s0, s1, "mandate.oral-report"),
                            s0, addressee=speaker, output="report", due=due)]
        for m in cands:
            st.emit_status(m, "oral-report", s0, s1, "mandate.oral-report")


def _not_carried_out(st: _State) -> None:
    ctx = st.ctx
    for s0, s1 in _annotation_sentences(ctx):
        if not ctx.rules.not_carried_out.search(ctx.norm, s0, s1):
            continue
        inst = instrument_in(ctx, s0, s1) or instrument_context(ctx, s0)
        text = ctx.norm[s0:s1]
        for m in st.mandates:
            if inst is not None and m.instrument != inst:
                continue
            if m.status == "open" and m.pos < s0 and m.output_word and _mentions_output(ctx, text, m):
                st.emit_status(m, "not-carried-out", s0, s1, "mandate.not-carried-out")


def _mentions_output(ctx: Ctx, text: str, m: _Mandate) -> bool:
    for pattern, term in ctx.rules.outputs:
        if term == m.output and re.search(pattern, text, re.IGNORECASE):
            return True
    return False
