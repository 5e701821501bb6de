"""Who a mandate asks, read against the reference tables.

* ``data/reference/bodies.csv``: UN organs, offices, officials, treaty bodies, agencies,
  "Member States", "States parties" (class ``StateGroup``), the United Nations system, civil
  society, regional organizations ... (class ``ActorGroup``), each with its aliases and source;
* ``data/reference/state-names.csv``: the States named by name (node ``state:<name>``);
* ``data/reference/mandate-holders.csv``: the forms of mandate holders named by topic ("Special
  Rapporteur on {topic}", "Independent Expert on {topic}", "Special Representative of the
  Secretary-General for {topic}", "Chair of the {body}") with their class, parent and source.

:func:`resolve` returns an :class:`Addressee`: a row of the tables (``key``; a list of rows:
the first and ``others``; a group with a qualifier or a modifier: the group), or, when no row
matches, the words as printed with ``key=None`` -- the caller keeps them as ``un:addresseeText``
and flags them; an addressee is never replaced by the nearest known body. Short names read in
their document: :mod:`.addressee_context`.
:func:`body_mentions` finds the names of bodies that meet in sessions inside a text (for due
sessions and the bodies of cited instruments).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache

from ..core.reference import bodies
from ..core.resources import read_text
from ..core.slugs import slugify

#: classes whose rows are addressed as agents but do not meet in sessions
NO_SESSIONS = frozenset({"Secretariat", "Official", "StateGroup", "ActorGroup"})
#: classes of collective addressees (States, groups of actors): a request to them is a mandate
#: only when it asks for a report or submission; a qualifier after their name ("States
#: referred to in paragraph 18", "regional organizations with competence ...") or a modifier
#: before it ("coastal States", "developed country parties") keeps the row
GROUPS = frozenset({"StateGroup", "ActorGroup"})


@dataclass(frozen=True)
class Addressee:
    key: str | None  #: bodies.csv key, a mandate-holder key ("sr:right-to-food"), or None
    text: str  #: the addressee as printed (article and insertions removed)
    name: str | None = None  #: the canonical name of a mandate holder (pattern rows)
    cls: str | None = None  #: ontology class of a mandate holder
    parent: str | None = None
    #: the further rows of a list of addressees ("the International Court of Justice, the
    #: United Nations Commission on International Trade Law and the International Law
    #: Commission": key = the first, others = the rest); ``text`` is then the list without
    #: the articles of its members
    others: tuple[str, ...] = ()
    #: (key, name, class) of the mandate holders among the members of a list (nodes to name)
    holders: tuple[tuple[str, str, str | None], ...] = ()

    @property
    def collective(self) -> bool:
        """Member States, States parties, the United Nations system, civil society ...:
        addressees too, but a request to them is a mandate only when it asks for a report or
        submission."""
        table = bodies()
        return all(k.startswith("state:") or (k in table and table[k].cls in GROUPS)
                   for k in (self.key or "", *self.others))

    @property
    def says_more(self) -> bool:
        """The printed words say more than the row's names ("States referred to in paragraph
        18", a list of addressees): the caller keeps them as well (``un:addresseeText``)."""
        if self.key is None or self.others:
            return True
        b = bodies().get(self.key)
        if b is None:  # a mandate holder named by its topic: its name, unless printed otherwise
            return _norm(self.text) != _norm(self.name or self.text)
        return _norm(self.text) not in {_norm(n) for n in b.names("en")}


def _norm(text: str) -> str:
    t = re.sub(r"\s+", " ", text.replace("\u2011", "-").replace("’", "'")).strip()
    t = re.sub(r"^(?:the|The)\s+", "", t)
    return t.rstrip(" ,.;:").lower()


#: words before a name that do not change who is asked ("all relevant", "those", "other")
_DETERMINER = re.compile(r"^(?:all\s+(?:other\s+)?(?:the\s+)?(?:relevant\s+)?|other\s+(?:relevant\s+)?|"
                         r"those\s+|these\s+|relevant\s+|the\s+relevant\s+|interested\s+|"
                         r"in this regard\s+)", re.IGNORECASE)


@lru_cache(maxsize=2)
def _names(lang: str) -> dict[str, str]:
    """normalised name -> key (first row wins)."""
    out: dict[str, str] = {}
    for key, b in bodies().items():
        for n in b.names(lang):
            if n:
                out.setdefault(_norm(n), key)
    return out


@lru_cache(maxsize=2)
def _name_lengths(lang: str) -> tuple[int, ...]:
    """The lengths of the names, longest first (anchored lookups try each as a prefix)."""
    return tuple(sorted({len(n) for n in _names(lang)}, reverse=True))


@lru_cache(maxsize=2)
def _group_names(lang: str) -> dict[str, str]:
    """normalised name -> key of the rows of :data:`GROUPS` (matched as the head noun)."""
    return {n: k for n, k in _names(lang).items() if bodies()[k].cls in GROUPS}


@dataclass(frozen=True)
class _Holder:
    pattern: re.Pattern[str]
    name: str
    key: str
    cls: str
    parent: str
    source: str


@lru_cache(maxsize=1)
def holders() -> tuple[_Holder, ...]:
    try:
        text = read_text("data", "reference", "mandate-holders.csv")
    except (FileNotFoundError, OSError):
        return ()
    return tuple(_Holder(re.compile(r["pattern_en"]), r["name_en"], r["key"], r["class"],
                         r["parent"], r["source"]) for r in csv.DictReader(io.StringIO(text)))


def _exact(text: str, lang: str) -> str | None:
    return _names(lang).get(_norm(text))


#: what may follow a name that starts an addressee phrase ("States parties to the Protocol")
_AFTER_NAME = re.compile(r"^(?:$|\s+(?:to|in|and|as|at|within|through|with|concerned|that|which|"
                         r"who|acting|together|upon)\b|,)")
#: what may follow the name of a group: any qualifier in lower case ("referred to in ...",
#: "of the region", "fishing on the high seas", "not yet parties")
_AFTER_GROUP = re.compile(r"^(?:$|\s+[a-z(]|,)")


def _anchored(text: str, lang: str) -> str | None:
    n = _norm(text)
    printed = _printed(text)
    names = _names(lang)
    for k in _name_lengths(lang):
        if k <= len(n):
            key = names.get(n[:k])
            if key is None:
                continue
            # (the case of a group's qualifier matters: "States members of ..." goes on in
            # lower case, "States Members of the United Nations" is a name)
            if _AFTER_NAME.match(n[k:]) or (bodies()[key].cls in GROUPS and
                                            _AFTER_GROUP.match(printed[k:])):
                return key
    return None


def _printed(text: str) -> str:
    """The text as :func:`_norm` cuts it, in its printed case (same length)."""
    t = re.sub(r"\s+", " ", text.replace("\u2011", "-").replace("’", "'")).strip()
    return re.sub(r"^(?:the|The)\s+", "", t).rstrip(" ,.;:")


#: the separators of a list of addressees (the article of the next member included)
_LIST_SEP = re.compile(r"(?:,\s+and\s+(?:to\s+)?|,\s+as well as\s+|\s+as well as\s+|,\s+|\s+and\s+(?:to\s+)?)"
                       r"(?:the\s+)?", re.IGNORECASE)  # ("its request to the Secretary-General and to the ...")


#: another member of a list after a holder's topic (", the Special Rapporteur on ...")
_NEXT_MEMBER = re.compile(r"(?:,\s+(?:and\s+)?|\s+and\s+)the\s+[A-Z]")


def _list(clean: str, lang: str) -> tuple[list[str], str, tuple] | None:
    """"A, the B and the C" -> ([A, B, C], "A, B and C", holders) when every member is a row
    (the last may be a mandate holder: ``holders`` = its (key, name, class))."""
    if "," not in clean and " and " not in clean and " as well as " not in clean:
        return None
    low = clean.replace("\u2011", "-").replace("’", "'").lower()
    names = _names(lang)
    keys: list[str] = []
    out: list[str] = []
    named: list[tuple[str, str, str | None]] = []
    pos = 0
    while True:
        d = _DETERMINER.match(low, pos)
        start = d.end() if d else pos
        hit = None
        for k in _name_lengths(lang):
            e = start + k
            if e <= len(low):
                key = names.get(low[start:e])
                if key is not None and (e == len(low) or _LIST_SEP.match(low, e)):
                    hit = (key, e)
                    break
        if hit is None:
            # the last member may be a mandate holder named by its topic ("..., and the
            # Special Rapporteur on the rights of Indigenous Peoples")
            rest = clean[start:]
            h = _holder(rest, lang) if keys and not _NEXT_MEMBER.search(rest) else None
            if h is None:
                return None
            keys.append(h.key)  # type: ignore[arg-type]
            named.append((h.key, h.name or h.text, h.cls))  # type: ignore[arg-type]
            out.append(clean[pos:])
            break
        keys.append(hit[0])
        out.append(clean[pos:hit[1]])
        if hit[1] == len(low):
            break
        sep = _LIST_SEP.match(low, hit[1])
        out.append(re.sub(r"(?i)(?:to\s+)?(?:the\s+)?$", "", clean[sep.start():sep.end()]))
        pos = sep.end()
    if len(keys) < 2:
        return None
    return keys, "".join(out), tuple(named)


def _holder(clean: str, lang: str) -> Addressee | None:
    """A mandate holder named by its topic (``mandate-holders.csv``)."""
    for h in holders():
        m = h.pattern.match(clean)
        if not m:
            continue
        groups = {k: (v or "").strip() for k, v in m.groupdict().items()}
        if "body" in groups:
            body = _exact(groups["body"], lang)
            if body is not None:
                groups["body"] = bodies()[body].name_en
            else:  # a working group named by its topic ("Chair-Rapporteur of the Working
                # Group on the Right to Development")
                inner = _holder(groups["body"], lang) if groups["body"] != clean else None
                if inner is None or inner.cls != "WorkingGroup":
                    continue
                body, groups["body"] = inner.key, inner.name or inner.text
            parent = body
        else:
            parent = h.parent or None
        name = h.name.format(**groups)
        key = h.key.split(":", 1)[0] + ":" + slugify(h.key.split(":", 1)[1].format(
            **{k: (body if k == "body" else v) for k, v in groups.items()}))[:80]
        return Addressee(key, clean, name=name, cls=h.cls, parent=parent)
    return None


def _head_group(clean: str, lang: str) -> str | None:
    """"coastal States", "developed country parties", "donor countries": a modifier before
    the name of a group (no list, no comma) is the same group."""
    low = _norm(clean)
    if "," in low or " and " in low:
        return None
    groups = _group_names(lang)
    words = low.split(" ")
    for i in range(1, len(words)):
        tail = " ".join(words[i:])
        key = groups.get(tail)
        if key is not None:
            return key
    return None


@lru_cache(maxsize=1)
def _state_names() -> dict[str, str]:
    """normalised name -> name of the States of ``data/reference/state-names.csv``."""
    try:
        text = read_text("data", "reference", "state-names.csv")
    except (FileNotFoundError, OSError):
        return {}
    return {_norm(r["name_en"]): r["name_en"].strip() for r in csv.DictReader(io.StringIO(text))}


#: "Israel, the occupying Power": a State named with an apposition
_APPOSITION = re.compile(r"^(?P<name>[^,]+),\s+(?:the|an?)\s+[^,]+$")


def _state(clean: str) -> Addressee | None:
    """A State named by its name ("the Russian Federation", "Israel, the occupying Power"): the
    node ``state:<name>`` the sponsors of drafts use too."""
    names = _state_names()
    # "the Government of the Democratic People's Republic of Korea": the State
    gov = re.sub(r"^Government of (?:the )?", "", clean)
    for cand in (clean, gov if gov != clean else None, (m := _APPOSITION.match(clean)) and m.group("name")):
        if cand and _norm(cand) in names:
            name = names[_norm(cand)]
            return Addressee("state:" + name, clean, name=name)
    return None


#: an infinitive after a name ("... to continue", "... to utilize"), not "to" before an
#: article or a name ("States Parties to the Firearms Protocol", "observers to the General Assembly")
_ACTION_AFTER = re.compile(r"\s+to\s+(?!(?:the|a|an|its|their|this|that|these|those|all|each|any|which|"
                           r"whom|be|in|on|at|by|with|from)\b)[a-z]")


#: a separator of a list and the article of its next member ("..., and the United Nations High
#: Commissioner"), the member up to the next separator
_MEMBER_ARTICLE = re.compile(r"(,\s+(?:and\s+|as well as\s+)?|\s+and\s+|\s+as well as\s+)(?:the|The)\s+")
_MEMBER_END = re.compile(r",|\s+and\s+|\s+as well as\s+|$")


def _joined(clean: str, bare: str, lang: str) -> str:
    """A list of addressees some of whose members are no rows ("all treaty bodies, special
    procedure mandate holders, ... and the United Nations High Commissioner for Human Rights"),
    as one string without its leading determiner and without the article of each member that is
    a row ("treaty bodies, ... and United Nations High Commissioner for Human Rights"); a name
    with an article inside it ("Latin America and the Caribbean") is kept."""
    if "," not in clean and " and " not in clean:
        return clean
    def member_is_row(m: re.Match[str]) -> bool:
        return any(_exact(bare[m.end():e.start()], lang) for e in _MEMBER_END.finditer(bare, m.end()))

    out = _MEMBER_ARTICLE.sub(lambda m: m.group(1) if member_is_row(m) else m.group(0), bare)
    return out if out != bare else clean


#: the separators of a list whose next member has its article ("..., the X", "... and the X")
_MEMBER_SEP = re.compile(r"(?:,\s+and|,\s+as well as|\s+as well as|,|\s+and)\s+the\s+(?=[A-Z])")


def _members(clean: str, lang: str) -> Addressee | None:
    """A list of members each of which is a row or a mandate holder, split where the next
    member has its article; None unless every member is one (no words beside it)."""
    seps = list(_MEMBER_SEP.finditer(clean))
    if not seps or len(seps) > 6:
        return None
    bounds = [0, *(x for m in seps for x in (m.start(), m.end())), len(clean)]
    found = []
    for a, b in zip(bounds[::2], bounds[1::2]):
        r = resolve(clean[a:b], lang)
        if r is None or r.key is None or r.others or r.says_more:
            return None
        found.append(r)
    text = "".join(clean[a:b] + (re.sub(r"\s*the\s+$", " ", seps[i].group(0)) if i < len(seps) else "")
                   for i, (a, b) in enumerate(zip(bounds[::2], bounds[1::2])))
    first = found[0]
    return Addressee(first.key, text, name=first.name, cls=first.cls, parent=first.parent,
                     others=tuple(dict.fromkeys(r.key for r in found[1:] if r.key != first.key)),
                     holders=tuple((r.key, r.name, r.cls) for r in found[1:] if r.key not in bodies() and r.name))


#: a short name in capitals ("the Commission", "the Working Group"), read in the document
#: by the caller: an infinitive after it is the action ("the Commission to accord sufficient
#: time at its thirty-third session to ...")
_SHORT_TITLE = re.compile(r"^[A-Z][\w-]*(?: (?:of the |of |for |on |and )?[A-Z][\w-]*){0,4}$")
#: "when doing so" after who is asked: no part of the name
_DOING_SO = re.compile(r",?\s+(?:when|while|in|after|before)\s+doing\s+so$")
#: a session after who is asked ("... at its eighty-first session")
_AT_SESSION = re.compile(r",?\s+(?:at|during)\s+(?:its|their|the)\s+[\w-]+(?:\s+[\w-]+)?\s+sessions?$")
#: an inserted phrase between dashes left open at the end of an addressee ("The State in which
#: the violation took place – and")
_OPEN_DASH = re.compile(r"\s+[–—](?:\s+(?:and|or))?$")


def resolve(text: str | None, lang: str = "en", full: str | None = None) -> Addressee | None:
    """The reference row an addressee phrase names, or the phrase itself (``key=None``).
    ``full``: the phrase with its inserted text (tried first: some names contain commas).
    A list whose members are all rows gives the first as ``key`` and the rest as ``others``;
    a group named with a qualifier or a modifier is that group."""
    if not text or not text.strip():
        return None
    clean = re.sub(r"\s+", " ", re.sub(r"^(?:the|The)\s+", "", text.strip())).rstrip(" ,.;:")
    clean = _OPEN_DASH.sub("", clean)  # "The State in which the violation took place – and, to
    # the extent possible, ... –": an insertion between dashes opens after who is asked
    clean = _DOING_SO.sub("", clean)  # "the Secretary-General, when doing so, to provide ..."
    clean = _AT_SESSION.sub("", clean)  # "the President of the General Assembly at its
    # eighty-first session to appoint ...": when, not who
    cut = _ACTION_AFTER.search(clean)
    if cut is not None and (_exact(clean[:cut.start()], lang) or _list(clean[:cut.start()], lang)
                            or _SHORT_TITLE.match(clean[:cut.start()])):
        clean = clean[:cut.start()]  # "Secretary-General to continue to publicize ...": the
        # clause reader did not know the verb; the action is no part of who is asked
    bare = _DETERMINER.sub("", clean)
    for cand in (full, clean, bare):
        if cand:
            key = _exact(cand, lang)
            if key:
                return Addressee(key, clean)
    lst = _list(clean, lang)
    if lst is not None:
        return Addressee(lst[0][0], lst[1], others=tuple(dict.fromkeys(k for k in lst[0][1:]
                                                                        if k != lst[0][0])),
                         holders=lst[2])
    held = _holder(clean, lang)
    if held is not None:
        if " and " in clean or ", " in clean:
            # a holder's topic does not run on over further members: "the Special Rapporteur
            # on the rights of Indigenous Peoples and the Expert Mechanism on ...", "the Working
            # Group on the use of mercenaries and other experts"
            members = _members(clean, lang)
            if members is not None:
                return members
            key = _anchored(clean, lang)
            if key is not None:
                return Addressee(key, _joined(clean, bare, lang))
        return held
    if " the " in clean and (members := _members(clean, lang)) is not None:
        return members  # "the Chair of the Committee on ... and the Special Rapporteur on ..."
    for cand in (full, clean, bare):
        if cand:
            key = _anchored(cand, lang)
            if key:
                return Addressee(key, _joined(clean, bare, lang))
    key = _head_group(bare, lang)
    if key:
        return Addressee(key, clean)
    return _state(clean) or Addressee(None, clean)


@lru_cache(maxsize=2)
def _to_office_re(lang: str) -> re.Pattern[str]:
    """"to <an office or official of the table>" (English wording)."""
    names = {n.removeprefix("the ") for b in bodies().values() if b.cls in ("Official", "Secretariat")
             for n in b.names(lang) if len(n) >= 4}
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"\bto (?:the )?(?:{alt})(?![\w-])")


def to_office(text: str, lang: str = "en") -> bool:
    """Does the output go to an office rather than to a body that meets in sessions ("to
    submit their views to the Secretary-General", "... to the Office of the United Nations High
    Commissioner for Human Rights")? Any row of class Official or Secretariat."""
    return lang == "en" and "to " in text and bool(_to_office_re(lang).search(text))


def has_sessions(key: str) -> bool:
    b = bodies().get(key)
    return b is not None and b.cls not in NO_SESSIONS


@lru_cache(maxsize=2)
def _session_bodies_re(lang: str) -> re.Pattern[str]:
    names = set()
    for b in bodies().values():
        if b.cls in NO_SESSIONS:
            continue
        for n in b.names(lang):
            n = re.sub(r"^the ", "", n)
            if len(n) >= 3:
                names.add(n)
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alt})(?![\w-])")


@lru_cache(maxsize=2)
def ambiguous_aliases(lang: str) -> frozenset[str]:
    """Aliases that begin the name of another row ("the Conference of the Parties" of one
    convention begins the name of every Conference of the Parties): on their own they do not
    tell which body adopted an instrument."""
    rows = [(k, [n.lower().removeprefix("the ") for n in b.names(lang) if n]) for k, b in bodies().items()]
    out = set()
    for key, names in rows:
        for alias in names[1:]:
            if alias == names[0]:
                continue
            goes_on = re.compile(rf"{re.escape(alias)}\s+(?:to|of|on|for|serving|in)\s")
            if any(k != key and any(goes_on.match(n) for n in ns) for k, ns in rows):
                out.add(alias)
    return frozenset(out)


def body_mentions(text: str, lang: str = "en") -> list[tuple[int, int, str]]:
    """(start, end, key) of each name of a body that meets in sessions, in text order."""
    out = []
    for m in _session_bodies_re(lang).finditer(text):
        key = _exact(m.group(0), lang)
        if not key or _norm(m.group(0)) in ambiguous_aliases(lang):
            continue  # "the Conference": which one, the text around it says, not the table
        if m.group(0) != bodies()[key].name_en and _LONGER_NAME.match(text, m.end()):
            continue  # "the Conference of the Parties serving as ...": a longer name, not this alias
        out.append((m.start(), m.end(), key))
    return out


_LONGER_NAME = re.compile(r"\s+(?:to|of|serving|for|on)\s+(?:the\s+)?[A-Z]")
