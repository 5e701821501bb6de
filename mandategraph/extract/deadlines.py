"""Deadlines an annotated agenda states for its session: "提交决议草案…的规定截止时间为 2024 年 9 月
30 日星期一", "报名函应最迟于 2024 年 10 月 4 日…发出", "no later than Friday, 1 October 2027".

A sentence with a deadline cue (from the rule set) and a single-day date gives one deadline: the
date nearest the cue, with the sentence as its wording.
"""

from __future__ import annotations

from ..core.facts import DeadlineFact
from .context import Ctx


def run(ctx: Ctx) -> None:
    cue = ctx.rules.deadline
    if cue is None or ctx.session is None:
        return
    seen: dict[str, int] = {}
    for seg in ctx.segments:
        for s0, s1 in ctx.sentences(seg.start, seg.end):
            cues = list(cue.finditer(ctx.norm, s0, s1))
            dates = [d for d in ctx.dates_in(s0, s1) if d.first == d.last]
            if not cues or not dates:
                continue
            c = cues[0]
            date = min(dates, key=lambda d: min(abs(d.start - c.end()), abs(c.start() - d.end)))
            key = date.first.isoformat()
            seen[key] = seen.get(key, 0) + 1
            local = key if seen[key] == 1 else f"{key}-{seen[key]}"
            topic = ctx.original(s0, s1).strip()
            ctx.add(DeadlineFact(ctx.session, local, ctx.prov(s0, s1, "agenda.deadline"),
                                 date=date.first, topic=topic, topic_lang=ctx.lang))
