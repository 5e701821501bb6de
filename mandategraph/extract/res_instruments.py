"""Cited instruments of a GA resolution or draft: number, kind and the adopting body.

:func:`find_instruments` reads "Recalling its resolutions 70/47 of 7 December 2015, ... and
79/37 of 2 December 2024" and the like. The adopting body comes, in this order, from:

* the words right before "resolution(s)" ("Security Council", "Economic and Social Council",
  "its"; "the Commission on Crime Prevention and Criminal Justice in its resolution 34/1");
* "of the <body>" right after the list, or after the number, the date and a title
  ("resolution 12/4 of 18 October 2024 on ... of the Conference of the Parties to the ...",
  "decision 15/4 ... at the fifteenth meeting of the Conference of the Parties to the ...",
  "resolution 16/18 ... adopted by the Human Rights Council"), full names only;
* a document symbol right before the keyword ("document CBD/COP/15/17, decision 15/4");
* the form of the number (``R.numbering``: ECOSOC ``2024/12``, Security Council
  ``2719 (2023)``, UNFCCC ``1/CP.21``; the GA's own ``n/m`` only from its 31st session to the
  citing resolution's own), else :data:`UNSTATED` ("body not stated"), never a guessed GA copy.

:func:`unify` then makes one node per real instrument in a document.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..core.facts import InstrumentRef
from ..core.reference import bodies
from .addressees import ambiguous_aliases as _ambiguous_aliases
from .addressees import body_mentions
from .common import parse_date
from .res_citations import symbol_body as _symbol_body
from .res_masthead import body_by_name
from .res_unify import DEFAULT, UNSTATED, unify  # noqa: F401 - re-exported


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


def _anchored_body(text: str, pos: int, lang: str) -> str | None:
    """The body whose name starts at ``pos`` ("resolution 60/1 of the Assembly"); an alias
    that the text continues into a longer name ("the Conference of the Parties to the
    Convention", "the Conference of the Parties on ...") names no body of the table: another
    Conference's (the form of the number, or "body not stated", decides then)."""
    key = body_by_name(text[pos:pos + 200], lang, anchored=True)
    if key is None:
        return None
    b = bodies()[key]
    low = text[pos:pos + 200].lower()
    names = sorted((n.lower().removeprefix("the ") for n in b.names(lang)), key=len, reverse=True)
    hit = next((n for n in names if low.startswith(n)), None)
    if hit is not None and hit != b.name_en.lower().removeprefix("the ") and \
            (_NAME_GOES_ON.match(text, pos + len(hit)) or hit in _ambiguous_aliases(lang)):
        return None
    return key


def _owner_before(text: str, pos: int, R) -> str | None:
    """Body named right before position ``pos`` (the "resolution(s)" keyword); "its" is the
    body named shortly before "in its" ("the Commission on Crime Prevention and Criminal
    Justice in its resolution 34/1"), else the resolution's own body."""
    m = _owner_re(R.lang).search(text, max(0, pos - 120), pos)
    if not m:
        by = _BY_BODY_IN.search(text, max(0, pos - 200), pos) or _BY_BODY_OF_ITS.search(text, max(0, pos - 200), pos)
        if by:  # "the decision by the United Nations Environment Assembly at its resumed
            # fifth session, in resolution 5/14"
            key = _full_name_at(text, by.start("name"), R.lang)
            if key is not None:
                return key
        head = _HEAD_ONLY.search(text, max(0, pos - 30), pos)
        # "Council resolution 53/30": the last body of that head named before (not "Habitat
        # Assembly resolution": a longer name the table does not have)
        if head and not (head.group("pre") or "a")[0].isupper():
            return _last_named(text[:head.start()], head.group("head"), R.lang) or "?"
        # "the resolutions and decisions of the Human Rights Council, the most recent of which
        # being resolutions 59/2 of 4 July 2025, ...": the body of the antecedent
        a = _ANTECEDENT.search(text, max(0, pos - 260), pos)
        if a:
            return _full_name_at(text, a.start("name"), R.lang)
        # "Human Rights Council resolutions on the subject, including resolution 57/8": the
        # body named before the plural the list is drawn from
        of = _INCLUDING_OF.search(text, max(0, pos - 260), pos)
        if of:  # "relevant resolutions adopted by the Human Rights Council, including resolutions"
            key = _full_name_at(text, of.start("name"), R.lang)
            if key is not None:
                return key
        inc = _INCLUDING.search(text, max(0, pos - 200), pos)
        if inc:
            m = _owner_re(R.lang).search(text, max(0, inc.start() - 120), inc.start())
            if m and m.group("name"):
                return body_by_name(m.group("name"), R.lang)
        return None

    if m.group("its"):
        of_its = _BY_BODY_OF_ITS.search(text, max(0, m.start() - 200), m.end())
        if of_its:  # "the adoption by the Economic Commission for ... of its resolution"
            key = _full_name_at(text, of_its.start("name"), R.lang)
            if key is not None:
                return key
        if R.in_its.search(text, max(0, pos - 120), pos):

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
        if text.count("“", pos, m.start()) > text.count("”", pos, m.start()):
            continue  # inside the title: “Fiftieth anniversary of the United Nations Volunteers ...”
        o = _ORDINAL.match(text, m.end())  # "at the seventy-eighth World Health Assembly"
        key = _full_name_at(text, m.end(), R.lang) or (_full_name_at(text, o.end(), R.lang) if o else None)
        if key is not None:
            return key
        if _CONVENTION_COP.match(text, m.end()):
            return _cop(_CONVENTION_COP.match(text, m.end()))
    return None


_ORDINAL = re.compile(r"(?:[a-z]+-)?[a-z]+(?:th|st|nd|rd)\s+(?=[A-Z])")
#: "the Conference of the Parties to the Convention", or "the Conference of the Parties" with no
#: treaty named ("adopted by the Conference of the Parties at its tenth session"): the
#: Convention the document is about
_CONVENTION_COP = re.compile(r"Conference of the (?P<sp>States )?Parties"
                             r"(?:\s+to\s+the\s+Convention\b(?!\s+(?:on|for|against|to\s+[A-Z])\b)|(?!\s+(?:to|serving|of|on|for|under)\b|\s+[A-Z]))")
CONVENTION = "\x00convention"  #: placeholder body, resolved by ``convention`` of find_instruments
CONVENTION_SP = "\x00convention-sp"  #: the same for "the Conference of the States Parties"


def _cop(m) -> str | None:
    """The placeholder of a match of :data:`_CONVENTION_COP` (None: no match)."""
    return None if m is None else (CONVENTION_SP if m.group("sp") else CONVENTION)


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

    out = []
    for key, b in bodies().items():
        if b.cls in ("Secretariat", "Official", "StateGroup", "ActorGroup"):
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
    low = text[pos:pos + 260].lower()  # ("Transnational organized Crime": misprinted case)
    for name, key, primary in _full_names(lang):
        e = pos + len(name)
        if low.startswith(name.lower()) and not text[e:e + 1].isalnum():
            if not primary and (_NAME_GOES_ON.match(text, e) or name.lower() in _ambiguous_aliases(lang)):
                return None
            return key
    return None


#: "<Head> resolution" with the head noun alone ("Council resolution 53/30")
_HEAD_ONLY = re.compile(r"(?:^|(?P<pre>[\w’'-]+)\s+)(?P<head>Council|Commission|Assembly|Conference|"
                        r"Committee|Board)\s+$")
_BY_BODY_OF_ITS = re.compile(r"\bby\s+(?:the\s+)?(?P<name>[A-Z][^;,]{3,150}?)\s+of\s+(?:its\s*)?$")
#: "by the <Body> [at its ... session], in resolution"
_BY_BODY_IN = re.compile(r"\bby\s+(?:the\s+)?(?P<name>[A-Z][^;]{3,150}?)(?:\s+at\s+its\s+[^;,]{3,40})?,"
                         r"\s+in\s+$")


def _last_named(before: str, head: str, lang: str) -> str | None:
    """The body named last in ``before`` whose name ends with ``head`` ("the Human Rights
    Council ... Council resolution 53/30")."""
    for a, b, key in reversed(body_mentions(before[-600:], lang)):
        if bodies()[key].name_en.endswith(head):
            return key
    return None


def _its_body(text: str, pos: int, lang: str, own: str) -> str | None:
    """For "its" before a number the own body cannot have ("the United Nations Environment
    Assembly, as reflected in ..., and its resolution 6/4"): the body named last before it in
    the sentence, or right after the list ("through its resolution 54/18 of 12 October 2023,
    the Human Rights Council submitted")."""
    lo = max(0, pos - 400)
    window = text[lo:pos]
    cut = max(window.rfind(";"), window.rfind(". "))
    for a, b, key in reversed(body_mentions(window[cut + 1:], lang)):
        if key != own and bodies()[key].cls not in _NOT_ADOPTING:
            return key
    return None


_NOT_ADOPTING = frozenset({"Secretariat", "Official", "StateGroup", "ActorGroup"})
#: "through its resolution 54/18 of ..., the <Body> <verb>": the body named right after
_AFTER_LIST = re.compile(r"\s*,?\s*(?:\d{1,3}\s+)?(?:the\s+)?(?=[A-Z])")
_ITS_PREP = re.compile(r"(?:^|[,;]\s*|\bthat\s+)(?:through|in|by|under)\s+its\s+$")

#: words after which "of the <body>" names whose report or work it is, not who adopted
_NOT_ADOPTER = re.compile(r"\b(?:reports?|work|members|bureau|secretariat|agenda|chair|meetings?|"
                          r"sessions?|functioning|support|mandate)\s+$")

_ANTECEDENT = re.compile(r"\b(?:resolutions|decisions)(?: and (?:resolutions|decisions))? (?:of|adopted by) "
                         r"(?:the )?(?P<name>[A-Z][^;]{2,160}?),? (?:the )?(?:most recent|latest|last) "
                         r"of which (?:is|are|was|were|being)\s+$")

#: "resolutions adopted by the <Body>, including resolutions": the body the plural names
_INCLUDING_OF = re.compile(r"(?:[Rr]esolutions|[Dd]ecisions)\s+(?:adopted\s+by|of)\s+(?:the\s+)?"
                           r"(?P<name>[A-Z][^;,:\d“”]{3,120}?),?\s+(?:including|in particular|notably|"
                           r"most recently|especially)(?:\s+its)?\s+$")
#: "<Body> resolutions [on the subject], including resolution": the list is drawn from the
#: plural before (no other instrument number and no clause end in between)
_INCLUDING = re.compile(r"(?:[Rr]esolutions|[Dd]ecisions)(?P<q>(?: (?:on|relating to|concerning) "
                        r"[^;:\d“”]{3,100}?)?),? (?:including|in particular|notably|most recently|"
                        r"especially)(?: its)?\s+$")



def find_instruments(text: str, R, own_body: str, own_session: int | None = None,
                     convention=None) -> list[tuple[int, int, InstrumentRef, object]]:
    """(start, end, ref, date) for each instrument number mentioned in ``text``. A body
    taken by default carries the :data:`DEFAULT` suffix (resolved by :func:`unify`), and a
    number the text gives no body for and that the own body's numbering cannot have
    (GA "n/m" before its 31st session) gets :data:`UNSTATED`. ``convention``: the body
    "the Conference of the Parties to the Convention" is in this document (else not stated), or
    a pair (that body, the one "the Conference of the States Parties" is)."""
    out = []
    prev_list = None  # (body, end, first number) of the last list of a named body
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
            after = nm.end()
            pm = _PARA_AFTER.match(text, after)  # "32/151, para. 10, and 37/111, para. 5"
            if pm:
                after = pm.end()
            sep = R.list_sep.match(text, after)
            if not sep or not R.instrument_number.match(text, sep.end()):
                pos = nm.end()
                break
            pos = sep.end()
        if not nums:
            bare = _bare(text, kw.start(), kw.end(), owner, own_body, R)
            if bare is not None:
                for bm in bare[0]:
                    _add_number(out, bm, bm.group("num"), kind, bare[1], None, own_body, R, own_session)
            continue
        trailing = None
        tm = re.match(R.trailing_owner, text[pos:pos + 12])
        if tm:
            trailing = _anchored_body(text, pos + tm.end(), R.lang) or \
                _cop(_CONVENTION_COP.match(text, pos + tm.end()))
        # dated numbers later in the same clause continue the list ("63/71 of 2 December
        # 2008 on the Convention on Cluster Munitions and 70/54 of 7 December 2015, ...")
        nxt = R.instrument_keyword.search(text, pos)
        stop = min(nxt.start() if nxt else len(text), _clause_end(text, pos))
        last = pos
        for dm in R.instrument_number.finditer(text, pos, stop):
            if dm.group("date") and (dm.start() == 0 or text[dm.start() - 1] in " (") and \
                    not text[dm.end():dm.end() + 1].isalnum():
                nums.append(dm)
                last = dm.end()
        if trailing is None and owner is None:
            # (searched after the last number of the list: "5/14 of 2 March 2022, entitled
            # “...”, 4/6 of ..., entitled “...”, and 4/9 of ..., adopted by the <body>")
            trailing = _trailing_body(text, last, stop, R) or _symbol_body(text, kw.start()) \
                or _adopted_by(text, last, stop, R)
        if trailing is None and owner is None and prev_list is not None and \
                _continues_list(text, prev_list, kw.start(), nums[0].group("num"), R,
                                _by_numbering(nums[0].group("num"), own_body, R, own_session) == UNSTATED):
            owner = prev_list[0]  # "Human Rights Council resolutions 23/13 ..., as well as
            # resolutions 28/6 of 26 March 2015, ..."
        its_alt = None
        if owner == "its" and trailing is None:
            if _ITS_PREP.search(text, max(0, kw.start() - 40), kw.start()):
                am = _AFTER_LIST.match(text, last)
                key = _full_name_at(text, am.end(), R.lang) if am else None
                if key is not None:
                    trailing = key  # "through its resolution 54/18 of ..., the Human Rights Council"
            if trailing is None:
                its_alt = _its_body(text, kw.start(), R.lang, own_body) or UNSTATED
        cop = trailing in (CONVENTION, CONVENTION_SP)
        conv = (convention if isinstance(convention, tuple) else (convention, None))[trailing == CONVENTION_SP] \
            if cop else None
        if cop:  # (a number of a form of its own keeps its body: "1/CP.21 of the Conference of
            # the Parties" is the UNFCCC's; a GA form is never the GA's here)
            trailing = None
        prev_list = (owner, last, nums[0].group("num")) if owner not in (None, "its", "?") else None
        for nm in nums:
            letters = re.findall(r"[A-Z]{1,2}", nm.group("letters") or "") or [""]
            for letter in letters:
                number = re.sub(r"\s+", " ", nm.group("num")) + (f" {letter}" if letter else "")
                t = trailing
                if cop:
                    implied = _by_numbering(number, own_body, R, own_session)
                    t = implied if implied != UNSTATED and not implied.endswith(DEFAULT) and \
                        implied != own_body else (conv or UNSTATED)
                _add_number(out, nm, number, kind, t, owner, own_body, R, own_session, its_alt)
    return out


_BARE = re.compile(r"(?P<num>\d{1,3})(?P<letters>)(?P<date>)(?![\d/.\w(]|\s+\()")
#: a further plain number of the same list, dated: "..., and 373 of 22 May 2017"
_BARE_NEXT = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+)(?P<num>\d{1,3})(?P<letters>)(?P<date>)"
                        r"(?=\s+of\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4})")


def _bare(text: str, kw_start: int, pos: int, owner, own_body: str, R):
    """([matches], body) of plain numbers ("resolution 1 adopted on 20 November 2013 by the
    General Conference of the United Nations Educational, ...", "by the General Conference of
    ... in its resolution 16"): a conference named as adopter, or a body of the table named
    right before the keyword whose numbers have no form of their own ("African Commission on
    Human and Peoples' Rights resolutions 263 of 5 November 2013 on ... and 373 of 22 May
    2017"): then the dated plain numbers that go on with the list in the clause are its too."""
    m = _BARE.match(text, pos)
    if not m:
        return None
    body = owner if owner not in (None, "its", "?") else None
    named = body is not None
    if body is None:
        found = body_mentions(text[max(0, kw_start - 160):kw_start], R.lang)
        if found and not text[max(0, kw_start - 160) + found[-1][1]:kw_start].strip():
            body, named = found[-1][2], True
    if body is None:
        stop = _clause_end(text, m.end())
        body = _trailing_body(text, m.end(), stop, R) or _adopted_by(text, m.end(), stop, R)
    b = bodies().get(body) if body else None
    if b is None or body == own_body:
        return None
    if b.cls != "Conference" and not (named and b.cls not in _NOT_ADOPTING and body not in
                                      {k for _, k in R.numbering} and not b.series):
        return None
    out = [m]
    if named:
        stop = _clause_end(text, m.end())
        nxt = R.instrument_keyword.search(text, m.end(), stop)
        stop = nxt.start() if nxt else stop
        for nm in _BARE_NEXT.finditer(text, m.end(), stop):
            if not body_mentions(text[out[-1].end():nm.start()], R.lang):
                out.append(nm)
    return out, body


def _adopted_by(text: str, pos: int, stop: int, R) -> str | None:
    """", adopted at the sixteenth meeting of the Conference of the Parties to the Convention
    on Biological Diversity" further on in the clause, after an unquoted title with commas."""
    for m in _ADOPTED.finditer(text, pos, min(stop, pos + 600)):
        key = _full_name_at(text, m.end(), R.lang)
        if key is not None:
            return key
        if _CONVENTION_COP.match(text, m.end()):
            return _cop(_CONVENTION_COP.match(text, m.end()))
    return None


_ADOPTED = re.compile(r",\s+adopted\s+(?:by|at)\s+(?:the\s+)?(?:\w+\s+(?:meeting|session)\s+of\s+the\s+)?")
#: what may stand between a list of a named body and a bare "resolutions" that goes on with it
_GOES_ON = re.compile(r"(?:,\s*|\s+)(?:and|as well as)\s+$")


def _continues_list(text: str, prev, pos: int, number: str, R, foreign: bool = False) -> bool:
    """Whether "resolutions" at ``pos`` goes on with the list of the named body before it in
    the same clause ("..., as well as resolutions 28/6"): nothing but a title between (no
    clause end, no other body), and a number of the same form; a comma alone will do for a
    number the own body cannot have (``foreign``: "Commission ... resolution 27/2 of ...,
    entitled “...”, resolution 27/3 of ...")."""
    body, end, first = prev
    between = text[end:pos]
    if len(between) > 300 or ";" in between or body_mentions(between, R.lang) or \
            not (_GOES_ON.search(between) or (foreign and between.rstrip().endswith(","))):
        return False
    return _form(first, R) == _form(number, R)


def _form(number: str, R) -> int | None:
    return next((i for i, (p, _) in enumerate(R.numbering) if p.match(number)), None)


#: a paragraph reference after a cited number, before the list goes on
_PARA_AFTER = re.compile(r",\s*(?:paras?\.|paragraphs?)\s*\d+(?:\s*(?:,|and|to|-|–)\s*\d+)*(?=,|\s+and\b)")


def _clause_end(text: str, pos: int) -> int:
    m = re.compile(r";|\.\s+[A-Z]").search(text, pos)
    return m.start() if m else len(text)


def _add_number(out: list, nm, number: str, kind: str, trailing, owner, own_body: str,
                R=None, own_session: int | None = None, its_alt: str | None = None) -> None:
    """Resolve the adopting body of one instrument number and record it: the body named
    (after the number, before it, "its"), else the body the form of the number implies
    (``R.numbering``), else "body not stated". ``owner`` "?" is a head noun alone whose body
    the text before does not name ("Council resolution 53/30"); ``its_alt`` the body "its"
    stands for when the own body cannot have the number ("its resolution 6/4")."""

    body = trailing or (own_body if owner == "its" else (None if owner == "?" else owner))
    if owner == "its" and not trailing and R is not None:
        # "the Council in its resolution 1515 (2003)": a number the own body cannot have
        # (the form of another body's numbering) is that body's, not a GA copy
        implied = _by_numbering(number, own_body, R, own_session)
        if implied != UNSTATED and not implied.endswith(DEFAULT) and implied != own_body:
            body = implied
        elif implied == UNSTATED:
            body = its_alt or UNSTATED
    if owner == "?" and not trailing:
        implied = _by_numbering(number, own_body, R, own_session)
        body = UNSTATED if implied.endswith(DEFAULT) else implied
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
