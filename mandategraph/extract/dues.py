"""Due sessions and recurrence of a mandate's action: where and how often its output goes.

:func:`due_sessions` reads only future sessions of the body named ("the report ... submitted to
the General Assembly at its sixty-second session" is a past one; "to the Commission on the Status
of Women at its sixty-eighth and sixty-ninth sessions and to report to the General Assembly at its
eightieth session" gives CSW 68, 69 and GA 80); :func:`recurrence_of` reads "biennially",
"on a triennial basis", "annually". Wording is data (``lang/<lang>_clauses.py``); bodies are
found by the caller's resolver. Split from ``clauses`` (the clause reader) so that the two can
change apart.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .clauses import rules_for
from .common import en_ordinal


def recurrence_of(text: str, lang: str = "en") -> str | None:
    for pattern, term in (*rules_for(lang).recurrence, *_MORE_RECURRENCE.get(lang, ())):
        if pattern.search(text):
            return term
    return None


#: recurrence forms beside the rule set's (English wording, by language code): "to continue to
#: submit annual reports to the General Assembly", "as part of his annual reporting", "every
#: other year" (not "the annual session", "annual commemorative meetings", "biannually")
_MORE_RECURRENCE = {"en": (
    (re.compile(r"\bevery (?:other|second) year\b"), "biennially"),
    (re.compile(r"\bannual (?:reports|reporting)\b"), "annually"),
)}


@dataclass(frozen=True)
class Due:
    body: str  #: body key from the caller's resolver
    session: int
    start: int  #: offsets in the action text
    end: int


BodyFinder = Callable[[str], list[tuple[int, int, str]]]  #: text -> [(start, end, body key)]


def due_sessions(action: str, own_body: str, own_session: int | None, bodies_in: BodyFinder,
                 addressee_body: str | None = None, lang: str = "en",
                 has_sessions: Callable[[str], bool] = lambda key: True,
                 before: str = "", short_name: Callable[[str], str | None] | None = None) -> list[Due]:
    """The sessions an action names as where its output goes: only future sessions (a report
    "submitted to the General Assembly at its sixty-second session" is a past one), each of the
    body named: "to the Commission on the Status of Women at its sixty-eighth and sixty-ninth
    sessions and to report to the General Assembly at its eightieth session" -> CSW 68, 69 and
    GA 80. "its" is the last body named before it in the action, else the addressee when it is a
    body that meets in sessions, else the resolution's own body. "at that session" is the last
    session the paragraph named before the action (``before``: "Decides to include in the
    provisional agenda of its eightieth session ... and requests the Secretary-General to submit
    a report ... to the General Assembly at that session" -> GA 80). ``short_name`` reads a short
    name in the document ("the Commission" -> the one commission it names in full): a short name
    after the last full name is what "its" stands for."""
    C = rules_for(lang)
    paragraph = before  # (the loop below reuses the name)
    if "session" not in action:
        return _for_that_purpose(action, paragraph, own_body, own_session, bodies_in, lang, has_sessions)
    named = [b for b in bodies_in(action) if has_sessions(b[2])]
    out: list[Due] = []
    for m in C.due_of.finditer(action):
        found = bodies_in(m.group("body"))
        if not found or found[0][0] != 0:
            continue
        if _LONGER_NAME.match(action, m.start("body") + found[0][1]):
            continue  # "the Conference of the Parties serving as ...": not the body of the table
        if _past(action, m.start(), C):
            continue
        for n in _ordinals(m.group("ords")):
            out.append(Due(found[0][2], n, m.start(), m.end()))
    taken = [(d.start, d.end) for d in out]
    extra = _more_due_forms(lang)
    matches = list(C.due_its.finditer(action))
    for pattern in extra:  # "in the first quarter of its eighty-second session", "by no later
        # than the eighty-first session" (the body as for "at its")
        matches += [m for m in pattern.finditer(action)
                    if not any(x.start() <= m.start("ords") < x.end() for x in matches)]
    for m in sorted(matches, key=lambda x: x.start()):
        if any(a <= m.start() < b for a, b in taken) or _past(action, m.start(), C):
            continue
        before = [b for b in named if b[1] <= m.start()]
        ords = _ordinals(m.group("ords"))
        if C.respectively.match(action[m.end():]) and len(before) >= len(ords) > 1:
            for b, n in zip(before[-len(ords):], ords):
                out.append(Due(b[2], n, m.start(), m.end()))
            continue
        since = before[-1][1] if before else 0
        own = _OWN_SUBJECT.get(lang)
        if own is not None and own.search(action, since, m.start()):
            body = own_body  # "..., and for this purpose reiterates its decision to establish,
            # at its seventy-ninth session, ...": the resolution's body speaks again
        elif (short := _short_before(action, since, m.start(), short_name, has_sessions)) is not None:
            body = short  # "to the General Assembly through the Commission at its thirty-third
            # session": the body the document names in full for "the Commission"
        elif (heads := [b for b in before if not _OF_COMPLEMENT.search(action[max(0, b[0] - 12):b[0]])
                        or _OF_RECIPIENT.search(action[max(0, b[0] - 60):b[0]])]):
            body = heads[-1][2]  # not a body named in a complement ("taking into account the
            # work of the Conference on Disarmament ..., with a view to taking a decision at
            # its eighty-third session": the Assembly's)
        elif addressee_body is not None and has_sessions(addressee_body):
            body = addressee_body
        else:
            body = own_body
        for n in ords:
            out.append(Due(body, n, m.start(), m.end()))
    that = _THAT_SESSION.get(lang)
    m = that.search(action) if that is not None and before and "session" in before else None
    if m is not None and not _past(action, m.start(), C):
        ref = _last_session(before, own_body, own_session, bodies_in, lang, has_sessions)
        if ref is not None:
            out.append(Due(ref[0], ref[1], m.start(), m.end()))
    if not out:
        out = _for_that_purpose(action, paragraph, own_body, own_session, bodies_in, lang, has_sessions)
    keep = []
    for d in out:
        if d.body == own_body and own_session is not None and d.session < own_session:
            continue  # a past session of the adopting body is never where new work is due
        if d.session > 1900 and own_session is not None and d.session < 1945 + own_session:
            continue  # a session named by a year before the resolution's session began
        if any(k.body == d.body and k.session == d.session for k in keep):
            continue
        keep.append(d)
    return keep


_LONGER_NAME = re.compile(r"\s+(?:to|of|serving|for|on)\s+(?:the\s+)?[A-Z]")
#: a body named in a complement of a noun ("the work of the Conference on Disarmament")
_OF_COMPLEMENT = re.compile(r"\bof\s+(?:the\s+)?$")
#: ... unless the noun is what the body does with the output ("for consideration and decision of
#: the General Assembly at its eighty-first session")
_OF_RECIPIENT = re.compile(r"\b(?:consideration|decision|review|examination|attention|approval|adoption|"
                           r"action|endorsement|information)(?:\s+and\s+[a-z]+)?\s+of\s+(?:the\s+)?$")

#: a session named by reference to the one named before ("at that session", "at the same
#: session"; language wording, by language code)
_THAT_SESSION = {"en": re.compile(r"\b(?:at|during|to|for|by|before|in)\s+(?:that|the\s+same)\s+session\b")}


#: a request made for the purpose of what the paragraph decided before it ("Decides to continue
#: its examination of ... at its eightieth session, and to this end requests ..."; language
#: wording, by language code)
_PURPOSE = {"en": re.compile(r"\b(?:to (?:this|that) end|for (?:this|that) purpose)\b")}


def _for_that_purpose(action: str, before: str, own_body: str, own_session: int | None,
                      bodies_in: BodyFinder, lang: str, has_sessions: Callable[[str], bool]) -> list[Due]:
    """"Decides to continue its examination of the situation ... at its eightieth session, and
    to this end requests the Secretary-General to submit a comprehensive report ..., and
    requests the Special Rapporteur to continue to report": an output for the session the
    paragraph named before "to this end", when the action names no body that meets in sessions
    of its own (gold: both reports are due at that session)."""
    purpose = _PURPOSE.get(lang)
    if purpose is None or "session" not in before or not purpose.search(before):
        return []  # (the cheap tests first: most requests have no "to this end")
    last = None
    for last in _any_session(lang).finditer(before):
        pass
    if last is None or not purpose.search(before, last.end()) or \
            any(has_sessions(b[2]) for b in bodies_in(action)):
        return []
    ref = _last_session(before, own_body, own_session, bodies_in, lang, has_sessions)
    return [Due(ref[0], ref[1], 0, len(action))] if ref is not None else []


@lru_cache(maxsize=4)
def _any_session(lang: str) -> re.Pattern[str]:
    """Any session named by its ordinal ("of its eightieth session", "at the eighty-first
    session of the Commission"): the referent of "that session"."""
    ords = importlib.import_module(f"{__package__}.lang.en_clauses").ORDS
    return re.compile(rf"\b(?P<det>its|their|the)\s+(?P<ords>{ords})\s+sessions?\b")


def _last_session(before: str, own_body: str, own_session: int | None, bodies_in: BodyFinder,
                  lang: str, has_sessions: Callable[[str], bool]) -> tuple[str, int] | None:
    """(body, session) of the last session ``before`` names: of the body after it ("of the
    Commission"), else the last body named before it, else the resolution's own body."""
    last = None
    for last in _any_session(lang).finditer(before):
        pass
    if last is None:
        return None
    ords = _ordinals(last.group("ords"))
    if not ords:
        return None
    body = None
    after = re.match(r"\s+of\s+(?:the\s+)?", before[last.end():])
    if after:
        found = bodies_in(before[last.end() + after.end():])
        if found and found[0][0] == 0:
            body = found[0][2]
    if body is None and last.group("det") != "the":
        named = [b for b in bodies_in(before[:last.start()]) if has_sessions(b[2])]
        body = named[-1][2] if named and not _OWN_SUBJECT["en"].search(before, named[-1][1], last.start()) \
            else own_body
    if body is None or (body == own_body and own_session is not None and ords[-1] < own_session):
        return None
    return body, ords[-1]


@lru_cache(maxsize=4)
def _more_due_forms(lang: str) -> tuple[re.Pattern[str], ...]:
    """Due-session forms beside the rule set's ``due_its`` (English wording; other languages
    have none yet): a part of "its" session ("in the first quarter of its eighty-second
    session", "prior to the start of its ...", "at the main part of its ..."), and a deadline
    session named without a body ("by no later than the eighty-first session"; not "during the
    eightieth session", a time span), whose body is found as for "at its"."""
    if lang != "en":
        return ()
    ords = importlib.import_module(f"{__package__}.lang.en_clauses").ORDS
    return (
        re.compile(rf"\b(?:in|at|by|before|prior\s+to|for|during)\s+the\s+(?:(?:first|second|third|"
                   rf"fourth|last)\s+(?:quarter|half|part)|(?:main|resumed|regular)\s+part|start|"
                   rf"beginning|end|opening|commencement)\s+of\s+(?:its|their)\s+(?P<ords>{ords})"
                   rf"\s+sessions?\b"),
        re.compile(rf"\b(?:by|before|(?:no\s+)?later\s+than|prior\s+to)\s+the\s+"
                   rf"(?P<ords>{ords})\s+sessions?\b(?!\s+of\b)"),
        # "at its resumed seventy-ninth session" (not "its thirty-first special session": special
        # sessions are numbered apart)
        re.compile(rf"\b(?:at|during|to|for|by|before)\s+(?:its|their)\s+resumed\s+(?P<ords>{ords})"
                   rf"\s+sessions?\b"),
        # a session named by its year ("to the Special Committee at its 2026 session", "through
        # the Economic and Social Council at its 2026 session"; not "during its 2026 session",
        # a time span, nor "on its 2025 session", a report's subject)
        re.compile(r"\b(?:at|to|for|before|prior\s+to)\s+(?:its|their)\s+(?P<ords>(?:19|20)\d\d)\s+"
                   r"(?:(?:substantive|regular|organizational|management|resumed)\s+)?session\b"),
    )


#: a new clause whose subject is the resolution's own body, inside an action ("..., and for
#: this purpose reiterates its decision to establish, at its seventy-ninth session, ..."):
#: "its" after it is that body's (language wording, by language code)
_OWN_SUBJECT = {"en": re.compile(
    r"(?:[,;]|\band)\s+(?:(?:also|further|for this purpose|in this regard|to this end),?\s+)?"
    r"(?:reiterates|decides|requests|recalls|reaffirms|invites|urges|stresses|encourages|"
    r"welcomes|notes|emphasizes|calls upon|underlines)\s+(?:its|that|the|to)\b")}


#: a short name of a body that meets in sessions ("the Commission", "the Committee", "the
#: Ad Hoc Committee"), ending right before "at its" (English wording)
_SHORT_BODY = re.compile(r"\bthe\s+(?P<name>(?:Conference|Meeting) of (?:the )?(?:States )?Parties|"
                         r"(?:[A-Z][\w-]*\s+){0,3}(?:Commission|Committee|Council|Conference|Board|Forum|"
                         r"Working Group|Meeting))\s*,?\s*$")


def _short_before(action: str, since: int, pos: int, short_name, has_sessions) -> str | None:
    if short_name is None:
        return None
    m = _SHORT_BODY.search(action[since:pos][-80:])
    if m is None:
        return None
    key = short_name(m.group("name"))
    return key if key is not None and has_sessions(key) else None


def _ordinals(text: str) -> list[int]:
    out = []
    for o in re.split(r",\s*and\s+|,\s*|\s+and\s+", text):
        if re.fullmatch(r"\s*(?:19|20)\d\d\s*", o):  # a session named by its year
            out.append(int(o))
            continue
        try:
            out.append(en_ordinal(re.sub(r"\s?[-\u2011]\s?|\s", "-", o.strip())))
        except ValueError:
            continue
    return out


def _past(action: str, pos: int, C) -> bool:
    """A past participle ("submitted", "held") shortly before the session mention, not after
    "to be"/"will be", and no new infinitive in between: the session is in the past."""
    pre = action[max(0, pos - 120):pos]
    last = None
    for m in C.past.finditer(pre):
        last = m
    if last is None:
        return False
    if C.future_aux.search(pre[:last.start()]):
        return False
    return not _INFINITIVE.search(pre[last.end():])


#: a new infinitive after a past participle ("submitted ... and to report"), not "to" before
#: an article or a possessive ("submitted to the Commission at its sixtieth session")
_INFINITIVE = re.compile(r"\bto (?!(?:the|a|an|its|their|his|her|this|that|these|those|all|each)\b)[a-z]+\b"
                         r"|\bfor (?:its |their |the )?(?:consideration|examination|review)\b")
