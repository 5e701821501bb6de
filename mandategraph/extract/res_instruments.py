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

import csv
import io
import re
from dataclasses import replace
from functools import lru_cache

from ..core.facts import Facts, InstrumentFact, InstrumentRef, Relation
from ..core.reference import bodies
from ..core.resources import read_text
from .addressees import ambiguous_aliases as _ambiguous_aliases
from .addressees import body_mentions
from .common import parse_date
from .res_masthead import body_by_name

UNSTATED = "unstated"  #: the body of an instrument the text does not let a reader decide
DEFAULT = "\x00default"  #: suffix of a body taken by default (resolved per document in unify)


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
        # "the resolutions and decisions of the Human Rights Council, the most recent of which
        # being resolutions 59/2 of 4 July 2025, ...": the body of the antecedent
        a = _ANTECEDENT.search(text, max(0, pos - 260), pos)
        if a:
            return _full_name_at(text, a.start("name"), R.lang)
        # "Human Rights Council resolutions on the subject, including resolution 57/8": the
        # body named before the plural the list is drawn from
        inc = _INCLUDING.search(text, max(0, pos - 200), pos)
        if inc:
            m = _owner_re(R.lang).search(text, max(0, inc.start() - 120), inc.start())
            if m and m.group("name"):
                return body_by_name(m.group("name"), R.lang)
        return None

    if m.group("its"):
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
    for name, key, primary in _full_names(lang):
        e = pos + len(name)
        if text.startswith(name, pos) and not text[e:e + 1].isalnum():
            if not primary and (_NAME_GOES_ON.match(text, e) or name.lower() in _ambiguous_aliases(lang)):
                return None
            return key
    return None


#: words after which "of the <body>" names whose report or work it is, not who adopted
_NOT_ADOPTER = re.compile(r"\b(?:reports?|work|members|bureau|secretariat|agenda|chair|meetings?|"
                          r"sessions?|functioning|support|mandate)\s+$")

_ANTECEDENT = re.compile(r"\b(?:resolutions|decisions)(?: and (?:resolutions|decisions))? (?:of|adopted by) "
                         r"(?:the )?(?P<name>[A-Z][^;]{2,160}?),? (?:the )?(?:most recent|latest|last) "
                         r"of which (?:is|are|was|were|being)\s+$")

#: "<Body> resolutions [on the subject], including resolution": the list is drawn from the
#: plural before (no other instrument number and no clause end in between)
_INCLUDING = re.compile(r"(?:[Rr]esolutions|[Dd]ecisions)(?P<q>(?: (?:on|relating to|concerning) "
                        r"[^;:\d“”]{3,100}?)?),? (?:including|in particular|notably|most recently|"
                        r"especially)(?: its)?\s+$")

_SYMBOL_BEFORE = re.compile(r"(?P<sym>[A-Z][A-Za-z0-9.]*(?:/[A-Za-z0-9.]+)+)(?:,|\s)\s*$")


def _symbol_body(text: str, pos: int) -> str | None:
    """"document CBD/COP/15/17, decision 15/4": the body whose symbol series (or an alias
    written like a series) begins the document symbol right before the keyword; "Official
    Records of the General Assembly, ..., Supplement No. 53 (A/69/53), chap. II, resolution
    27/12": the body whose report that supplement is (data/reference/official-records.csv)."""
    m = _SYMBOL_BEFORE.search(text, max(0, pos - 60), pos)
    if m:
        return _series_body(m.group("sym"))
    sup = None
    for sm in _SUPPLEMENT.finditer(text, max(0, pos - 300), pos):
        sup = sm
    between = text[sup.end():pos] if sup is not None else ""
    # the citation form "Supplement No. 53 (A/69/53), chap. II, sect. A, resolution 27/12"
    if sup is not None and ";" not in between and re.search(r"\bchap\.", between) and \
            re.search(r"(?:chap|sect|annex)\.?\s*[IVXLA-Z0-9]+,\s*$", between):
        return _supplements().get(sup.group("n"))
    return None


_SUPPLEMENT = re.compile(r"\bSupplement No\.\s*(?P<n>\d{1,3})[A-Z]?\b")


@lru_cache(maxsize=1)
def _supplements() -> dict[str, str]:
    """Supplement number of the GA Official Records -> the body whose report it is."""
    try:
        text = read_text("data", "reference", "official-records.csv")
    except (FileNotFoundError, OSError):
        return {}
    return {r["supplement"]: r["body"] for r in csv.DictReader(io.StringIO(text))}


@lru_cache(maxsize=1)
def _series_table() -> tuple[tuple[str, str], ...]:

    out = []
    for key, b in bodies().items():
        for series in (b.series, *[a for a in b.aliases_en if "/" in a and " " not in a]):
            if series and "/" in series:
                out.append((series + "/", key))
    return tuple(sorted(out, key=lambda t: -len(t[0])))


def _series_body(symbol: str) -> str | None:
    """The body whose symbol series begins ``symbol`` ("CBD/COP/15/17" -> the COP of the CBD)."""
    for prefix, key in _series_table():
        if symbol.startswith(prefix) or ("/" + prefix) in ("/" + symbol):
            return key
    return None


series_body = _series_body


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
            continue
        trailing = None
        tm = re.match(R.trailing_owner, text[pos:pos + 12])
        if tm:
            trailing = _anchored_body(text, pos + tm.end(), R.lang)
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
            trailing = _trailing_body(text, last, stop, R) or _symbol_body(text, kw.start())
        for nm in nums:
            letters = re.findall(r"[A-Z]{1,2}", nm.group("letters") or "") or [""]
            for letter in letters:
                number = re.sub(r"\s+", " ", nm.group("num")) + (f" {letter}" if letter else "")
                _add_number(out, nm, number, kind, trailing, owner, own_body, R, own_session)
    return out


#: a paragraph reference after a cited number, before the list goes on
_PARA_AFTER = re.compile(r",\s*(?:paras?\.|paragraphs?)\s*\d+(?:\s*(?:,|and|to|-|–)\s*\d+)*(?=,|\s+and\b)")


def _clause_end(text: str, pos: int) -> int:
    m = re.compile(r";|\.\s+[A-Z]").search(text, pos)
    return m.start() if m else len(text)


def _add_number(out: list, nm, number: str, kind: str, trailing, owner, own_body: str,
                R=None, own_session: int | None = None) -> None:
    """Resolve the adopting body of one instrument number and record it: the body named
    (after the number, before it, "its"), else the body the form of the number implies
    (``R.numbering``), else "body not stated"."""

    body = trailing or (own_body if owner == "its" else owner)
    if owner == "its" and not trailing and R is not None:
        # "the Council in its resolution 1515 (2003)": a number the own body cannot have
        # (the form of another body's numbering) is that body's, not a GA copy
        implied = _by_numbering(number, own_body, R, own_session)
        if implied != UNSTATED and not implied.endswith(DEFAULT) and implied != own_body:
            body = implied
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

    stated: dict[tuple[str, str], set[str]] = {}
    refs: set[InstrumentRef] = set()
    for f in facts.items:
        if isinstance(f, Relation):
            if isinstance(f.object, InstrumentRef):
                refs.add(f.object)
            if isinstance(f.subject, InstrumentRef):
                refs.add(f.subject)
        elif isinstance(f, InstrumentFact):
            refs.add(f.ref)
    marked = False
    for ref in refs:
        if ref.body.endswith(DEFAULT) or ref.body == UNSTATED:
            marked = True
        else:
            stated.setdefault((ref.kind, ref.number), set()).add(ref.body)
    if not marked and all(len(v) < 2 for v in stated.values()):
        return

    # two stated bodies for one number where one is the other's parent (the FAO and the
    # Conference of the FAO): one instrument, of the more precise body

    table = bodies()
    merged: dict[tuple[str, str, str], str] = {}
    for (kind, number), found in stated.items():
        for b in found:
            parent = table[b].parent if b in table else None
            if parent in found:
                merged[(kind, number, parent)] = b
    for kind, number, parent in merged:
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
