"""Mentions in running text: bodies, instruments (with the body that adopted them and their
kind), sessions, working-group meetings and their dates, constructive dialogues, and the
instruments that establish a working group or make it permanent.

Language-neutral: all wording comes from the rule set in ``ctx.rules``.
"""

from __future__ import annotations

import re

from ..core.facts import (
    BodyFact,
    BodyRef,
    ConstructiveDialogueFact,
    InstrumentFact,
    InstrumentRef,
    MeetingFact,
    MeetingRef,
    Relation,
    SessionFact,
    SessionRef,
)
from ..core.reference import bodies
from .context import Ctx, InstrumentMention, NameMatch


def run(ctx: Ctx) -> None:
    _bodies(ctx)
    _instruments(ctx)
    _sessions(ctx)
    _meetings(ctx)
    _groups(ctx)


# --------------------------------------------------------------------------- bodies


def _bodies(ctx: Ctx) -> None:
    for n in ctx.names:
        key = ctx.resolve(n)
        if not key:
            continue
        body = ctx.body_info(key)
        ctx.add(BodyFact(BodyRef(key), ctx.prov(n.start, n.end, "body.name"),
                         cls=body.cls if body else None))


# --------------------------------------------------------------------------- instruments


def _instruments(ctx: Ctx) -> None:
    rules = ctx.rules
    titled: set[InstrumentRef] = set()
    for m in rules.instrument.finditer(ctx.norm):
        kind = rules.kind_words[m["kind"].lower()]
        numbers = rules.instrument_number.findall(m["nums"])
        body = _instrument_body(ctx, m.start(), m.end())
        if not body:
            ctx.warnings.append(f"{kind} {'/'.join(numbers)} at {m.start()}: no body found")
            continue
        refs = tuple(InstrumentRef(body, kind, n) for n in numbers)
        ctx.instruments.append(InstrumentMention(m.start(), m.end(), refs))
        title = None
        if len(refs) == 1:
            s0, _ = ctx.sentence(m.start())
            tm = rules.instrument_title.search(ctx.norm[s0:m.start()])
            title = ctx.original(s0 + tm.start("title"), s0 + tm.end("title")).strip() if tm else None
        for ref in refs:
            t = title if title and ref not in titled else None
            if t:
                titled.add(ref)
            ctx.add(InstrumentFact(ref, ctx.prov(m.start(), m.end(), f"instrument.{kind}"),
                                   title=t, title_lang=ctx.lang if t else None))


def _instrument_body(ctx: Ctx, start: int, end: int) -> str | None:
    """The adopting body of an instrument mention: named right before it ("General Assembly
    resolution 55/25", "大会在其第 55/25 号决议中"), right after it ("of the General Assembly",
    "In its resolution 55/25, the General Assembly"), as the sentence subject, or the
    document's own body."""
    rules = ctx.rules
    s0, s1 = ctx.sentence(start)
    before = ctx.name_ending_at(start, slack=4)
    if before and ctx.adopting(ctx.resolve(before)):
        return ctx.resolve(before)
    if rules.body_after_instrument.match(ctx.norm[end:end + 20]):
        m = rules.body_after_instrument.match(ctx.norm[end:end + 20])
        after = ctx.name_starting_at(end + m.end())
        if after and ctx.adopting(ctx.resolve(after)):
            return ctx.resolve(after)
    if rules.body_after_in_its.search(ctx.norm[s0:start]):
        for n in ctx.names_in(end, s1):
            if ctx.adopting(ctx.resolve(n)):
                return ctx.resolve(n)
    candidates = [n for n in ctx.names_in(s0, start) if ctx.adopting(ctx.resolve(n))]
    if candidates:
        return ctx.resolve(candidates[-1])
    return ctx.conference


def instrument_in(ctx: Ctx, lo: int, hi: int) -> InstrumentRef | None:
    """The first instrument named alone in [lo, hi) (a coordinated pair names none)."""
    for im in ctx.instruments:
        if lo <= im.start < hi:
            return im.refs[0] if len(im.refs) == 1 else None
    return None


def instrument_context(ctx: Ctx, pos: int) -> InstrumentRef | None:
    """The instrument a sentence at ``pos`` speaks of: the first one it names (before ``pos``),
    else the latest instrument named alone earlier in the same agenda item (of the kind an
    anaphora such as "该决议" / "in that resolution" asks for, when there is one)."""
    s0, s1 = ctx.sentence(pos)
    own = instrument_in(ctx, s0, pos)
    if own:
        return own
    seg = ctx.segment_at(pos)
    lo = seg.start if seg else 0
    ana = ctx.rules.anaphora.search(ctx.norm, s0, s1)
    want = ctx.rules.kind_words.get(ana["kind"].lower()) if ana else None
    best = None
    for im in ctx.instruments:
        if im.start >= s0:
            break
        if im.start >= lo and len(im.refs) == 1 and (want is None or im.refs[0].kind == want):
            best = im.refs[0]
    return best


# --------------------------------------------------------------------------- sessions


def _dated_before(ctx: Ctx, pos: int, gap, lo: int):
    """The date right before ``pos`` linked to it by ``gap`` (zh "2022 年…在维也纳举行的")."""
    for d in reversed(ctx.dates_in(lo, pos)):
        m = gap.match(ctx.norm[d.end:pos])
        if m:
            return d, m
        break
    return None, None


def _dated_after(ctx: Ctx, pos: int, gap, hi: int):
    for d in ctx.dates_in(pos, hi):
        m = gap.match(ctx.norm[pos:d.start])
        if m:
            return d, m
        break
    return None, None


def _sessions(ctx: Ctx) -> None:
    rules = ctx.rules
    for m in rules.session_ref.finditer(ctx.norm):
        try:
            n = rules.number(m["n"])
        except ValueError:
            continue
        name = ctx.name_ending_at(m.start(), slack=4)
        of = re.match(r"\s+of\s+", ctx.norm[m.end():m.end() + 6])
        after = ctx.name_starting_at(m.end() + of.end()) if of else None
        if after is not None:
            if not ctx.resolve(after) or ctx.is_group(ctx.resolve(after)):
                continue
            name = None
            key = ctx.resolve(after)
        else:
            key = ctx.resolve(name) if name else ctx.body
            owner = _its_owner(ctx, m.start())
            if name is None and owner:
                key = owner
        if not key or (name and ctx.is_group(key)) or (name is None and _group_context(ctx, m.start())):
            continue
        start = name.start if name else m.start()
        s0, s1 = ctx.sentence(m.start())
        d, g = _dated_before(ctx, start, rules.session_dated, s0)
        if d is None:
            d, g = _dated_after(ctx, m.end(), rules.session_dated, s1)
        if d is None:  # "held its sixteenth session in Vienna from ..." (English)
            d, g = _held_after(ctx, m.start(), m.end(), s0, s1)
        place = g["place"] if g is not None and g.groupdict().get("place") else None
        lo, hi = (min(start, d.start), max(m.end(), d.end)) if d else (start, m.end())
        ctx.add(SessionFact(SessionRef(key, n), ctx.prov(lo, hi, "session.mention"),
                            start=d.first if d else None, end=d.last if d else None, place=place))


def _held_after(ctx: Ctx, start: int, end: int, s0: int, s1: int):
    rules = ctx.rules
    held_before = re.compile(rules.extra.get("held_before", r"(?!x)x"))
    d, g = _dated_after(ctx, end, rules.meeting_date_after, s1)
    if d is not None and "held" not in ctx.norm[end:d.start] \
            and not held_before.search(ctx.norm[s0:start]):
        return None, None
    return d, g


def _its_owner(ctx: Ctx, pos: int) -> str | None:
    """"The Implementation Review Group held its sixteenth session": a session of the group
    named as the subject, not of the document's body."""
    its = ctx.rules.extra.get("its")
    if not its or not re.search(its, ctx.norm[max(0, pos - 6):pos]):
        return None
    s0, _ = ctx.sentence(pos)
    names = [n for n in ctx.names_in(s0, pos) if ctx.resolve(n)]
    if names and ctx.is_group(ctx.resolve(names[-1])):
        return ctx.resolve(names[-1])
    return None


def _group_context(ctx: Ctx, pos: int) -> bool:
    """True when a bare session mention follows "the working group" (its sessions, not ours)."""
    return bool(ctx.rules.bare_group.search(ctx.norm[max(0, pos - 12):pos]))


# --------------------------------------------------------------------------- meetings


def _meeting_group(ctx: Ctx, start: int, end: int) -> tuple[str | None, int]:
    """Working group of a meeting mention, and where the mention starts (the group's name when
    it is printed right before "第十三次会议")."""
    name = ctx.name_ending_at(start, slack=2)
    if name and ctx.is_group(ctx.resolve(name)):
        return ctx.resolve(name), name.start
    # "of the Working Group on ..." after the mention (English)
    m = re.match(r"\s*of\s+", ctx.norm[end:end + 8])
    if m:
        after = ctx.name_starting_at(end + m.end())
        if after and ctx.is_group(ctx.resolve(after)):
            return ctx.resolve(after), start
    s0, s1 = ctx.sentence(start)
    for n in ctx.names_in(s0, s1):
        if ctx.is_group(ctx.resolve(n)):
            return ctx.resolve(n), start
    seg = ctx.segment_at(start)
    if seg:
        groups = [n for n in ctx.names_in(seg.start, s0) if ctx.is_group(ctx.resolve(n))]
        if groups:
            return ctx.resolve(groups[-1]), start
    return None, start


def _meetings(ctx: Ctx) -> None:
    rules = ctx.rules
    for m in rules.meeting_ref.finditer(ctx.norm):
        try:
            n = rules.number(m["n"])
        except ValueError:
            continue
        key, start = _meeting_group(ctx, m.start(), m.end())
        if not key:
            continue
        s0, s1 = ctx.sentence(m.start())
        ref = MeetingRef(key, n)
        d, g = _dated_before(ctx, start, rules.meeting_date_gap, s0)
        if d is None:
            d, g = _held_after(ctx, m.start(), m.end(), s0, s1)
        place = g["place"] if d is not None and g.groupdict().get("place") else None
        lo, hi = (min(start, d.start), max(m.end(), d.end)) if d else (start, m.end())
        ctx.add(MeetingFact(ref, ctx.prov(lo, hi, "meeting.mention"),
                            start=d.first if d else None, end=d.last if d else None, place=place))
        if rules.dialogue.search(ctx.norm, s0, s1):
            dd, _ = _dated_after(ctx, m.end(), rules.dialogue_after, s1)
            if dd is not None:
                ctx.add(ConstructiveDialogueFact(
                    ref, ctx.prov(start, dd.end, "meeting.constructive-dialogue"), date=dd.first))


# --------------------------------------------------------------------------- working groups


def _topics(lang: str, patterns: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for body in bodies().values():
        if body.cls != "WorkingGroup":
            continue
        for name in body.names(lang):
            for p in patterns:
                m = re.match(p, name, re.IGNORECASE)
                if m and len(m["topic"]) >= 2:
                    out.append((m["topic"], body.key))
    return sorted(set(out), key=lambda t: -len(t[0]))


def _groups(ctx: Ctx) -> None:
    """"decides to establish an open-ended working group to ..." and "shall be a constant
    element of the Conference": link the instrument of the sentence to the working group(s)."""
    rules = ctx.rules
    topics = _topics(ctx.lang, rules.group_suffixes)
    for s0, s1 in ctx.sentences(0, len(ctx.norm)):
        text = ctx.norm[s0:s1]
        perm = rules.permanent.search(text)
        est = rules.establish.search(text)
        if not (perm or est):
            continue
        instrument = instrument_in(ctx, s0, s1)
        if instrument is None:
            continue
        named = [n for n in ctx.names_in(s0, s1) if ctx.is_group(ctx.resolve(n))]
        if perm:
            for n in named:
                ctx.add(Relation(instrument, "makesPermanent", BodyRef(ctx.resolve(n)),
                                 ctx.prov(s0, s1, "group.made-permanent")))
            continue
        after = [n for n in named if n.start >= s0 + est.start()]
        if not after and rules.group_word.lower() not in text[est.start():].lower():
            continue
        key = ctx.resolve(after[0]) if after else _topic(text[est.start():], topics)
        if key is None:
            seg = ctx.segment_at(s0)
            key = _topic(seg.title or "", topics) if seg else None
        if key:
            ctx.add(Relation(instrument, "establishes", BodyRef(key),
                             ctx.prov(s0, s1, "group.established")))


def _topic(text: str, topics: list[tuple[str, str]]) -> str | None:
    best = None
    for topic, key in topics:
        i = text.lower().find(topic.lower())
        if i >= 0 and (best is None or i < best[0]):
            best = (i, key)
    return best[1] if best else None


__all__ = ["InstrumentMention", "NameMatch", "instrument_context", "instrument_in", "run"]
