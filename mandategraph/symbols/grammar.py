"""United Nations document symbols: parse, normalise, find in running text, explain.

A document symbol names one document in all six languages ("All language versions of a
document have the same symbol", ST/LIB/SER.B/5/Rev.5). The whole graph is keyed by symbols,
so this module is strict where identity is at stake and lenient only about the forms a
symbol takes in running text.

Grammar (see ``docs/symbols.md``)::

    symbol     = part { "-" part } ;        (* joint: only if the next token is a known prefix + "/" *)
    part       = prefix { "/" component } "/" item { "/" modifier } [ " (" paren ")" ] [ "*" ] ;
    component  = subsidiary | session | kind ;
    subsidiary = CAPS [ "." ( INT | CAPS | ROMAN ) ]        e.g. C.3, CN.15, WG.4, COP, IRG, Sub.2
    session    = INT | "S-" INT | "ES-" INT                 e.g. 80, 2024, ES-10 (at most one)
    kind       = RES | DEC | PRST | INF | NGO | PET | GC    (or any CAPS word after the session)
    item       = INT | ( L | CRP | WP | PV | SR | R | Res | Dec | INF | Misc ) "." INT
    modifier   = ( Add | Corr | Rev | Amend ) "." INT | Summary
    paren      = YEAR | ROMAN | "Part " ROMAN | "Resumption " INT

Case: prefixes are capitals. A prefix in lower or mixed case is accepted only when it is a
*known* prefix (``data/reference/symbol-series.csv``); the symbol is then read
case-insensitively and written in its official case. The closed set of grammar words
(``RES``, ``L``, ``CRP``, ``Add``, ``Rev``, ``Sub``, ...) is always matched case-insensitively
and written in its official case (``Add.1``, ``Res.1`` in UNEP's dotted form, ``RES/`` as a
component). Unknown subsidiaries must be printed in capitals.

The reissue asterisk is part of the canonical string (``A/80/251*``) so ``str(parse(s))``
round-trips; :attr:`DocumentSymbol.identifier` drops it for use as a document key.

Running-text search (:func:`find_symbols`) lives in :mod:`mandategraph.symbols.text`, the
explanations in :mod:`mandategraph.symbols.explain`; :mod:`mandategraph.symbols` re-exports all.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..core.resources import read_text

# --- grammar words (closed sets of the published rules; body names live in data/) --------

#: components written between slashes that mark a kind of document ("A/RES/80/1").
SLASH_KINDS: dict[str, str] = {k: k for k in ("RES", "DEC", "PRST", "INF", "NGO", "PET", "GC")}
#: numbered final components ("L.5", "CRP.3"); value = official case.
DOT_KINDS: dict[str, str] = {
    "L": "L", "CRP": "CRP", "WP": "WP", "PV": "PV", "SR": "SR", "R": "R",
    "RES": "Res", "DEC": "Dec", "INF": "INF", "MISC": "Misc",
}
#: final modifiers; value = official case. ``Summary`` takes no number.
MODIFIERS: dict[str, str] = {"ADD": "Add", "CORR": "Corr", "REV": "Rev", "AMEND": "Amend",
                             "SUMMARY": "Summary"}
#: subsidiary words printed in mixed case by the rules.
MIXED_SUBSIDIARIES: dict[str, str] = {"SUB": "Sub"}

#: ontology class local name by special component.
DOC_CLASSES: dict[str, str] = {"L": "DraftResolution", "CRP": "ConferenceRoomPaper",
                               "INF": "InformationDocument", "RES": "ResolutionDocument"}

_SPECIAL_NAMES = {
    "RES": "resolution", "DEC": "decision", "PRST": "presidential statement",
    "INF": "information document", "NGO": "statement by a non-governmental organization",
    "PET": "petition", "GC": "general comment", "L": "limited distribution (draft)",
    "CRP": "conference room paper", "WP": "working paper", "PV": "verbatim record",
    "SR": "summary record", "R": "restricted distribution", "MISC": "miscellaneous",
}
_MODIFIER_NAMES = {"Add": "addendum", "Corr": "corrigendum", "Rev": "revision",
                   "Amend": "amendment", "Summary": "summary"}
_SUBSIDIARY_NAMES = {
    "AC": "ad hoc committee", "C": "committee", "CN": "commission", "CONF": "conference",
    "GC": "governing council", "PC": "preparatory committee", "SC": "standing committee",
    "SUB": "sub-commission", "WG": "working group", "COP": "conference of the parties",
    "COSP": "conference of the States parties", "HRC": "Human Rights Council",
    "IRG": "implementation review group", "EA": "Environment Assembly", "B": "board",
    "MSP": "meeting of States parties",
}

_ROMAN = r"[IVXLCDM]+"
_PREFIX_RE = re.compile(r"[A-Z]{1,12}")
_ALPHA_PREFIX_RE = re.compile(r"[A-Za-z]{1,12}")
_ROMAN_RE = re.compile(r"[IVXL]+")  # citation numerals (decision VII/5); CD, CM are series
_INT_RE = re.compile(r"\d{1,6}")
_SESSION_RE = re.compile(r"(\d{1,4})|([A-Za-z]{1,3})-(\d{1,3})")
_SUBSIDIARY_RE = re.compile(r"([A-Za-z]{1,12})(?:\.(\d{1,4}|[A-Za-z]{1,6}))?")
_DOTTED_RE = re.compile(r"([A-Za-z]{1,5})\.(\d{1,6})")
_MODIFIER_RE = re.compile(r"([A-Za-z]{3,7})(?:\.(\d{1,3}))?")
_PAREN_CI = re.compile(rf"(\d{{4}})|({_ROMAN})|(E?S-{_ROMAN})|(part) ({_ROMAN})|(resumption) (\d{{1,2}})",
                       re.I)


class SymbolError(ValueError):
    """An invalid document symbol. The message names the component that is wrong and the input."""

    def __init__(self, text: str, component: str, value: str, reason: str) -> None:
        self.text = text
        self.component = component
        self.value = value
        self.reason = reason
        where = f"{component} {value!r}" if value else component
        super().__init__(f"invalid document symbol {text!r}: {where} {reason}")


# --- data model ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Component:
    """One slash-separated component after the prefix, with its grammatical role.

    ``role`` is one of ``subsidiary``, ``session``, ``kind``, ``item``, ``modifier``;
    ``text`` is the component in its canonical (official-case) form.
    """

    role: str
    text: str


@dataclass(frozen=True)
class SymbolPart:
    """One symbol (a joint symbol has two or more parts)."""

    prefix: str
    components: tuple[Component, ...]
    reissue: bool = False
    paren: str | None = None

    def _texts(self, role: str) -> tuple[str, ...]:
        return tuple(c.text for c in self.components if c.role == role)

    @property
    def subsidiaries(self) -> tuple[str, ...]:
        return self._texts("subsidiary")

    @property
    def body_series(self) -> str:
        """Prefix plus the subsidiaries before the first session/kind/item: the issuing series."""
        out = [self.prefix]
        for c in self.components:
            if c.role != "subsidiary":
                break
            out.append(c.text)
        return "/".join(out)

    @property
    def session(self) -> str | None:
        found = self._texts("session")
        return found[0] if found else None

    @property
    def session_kind(self) -> str | None:
        s = self.session
        if s is None:
            return None
        if s.startswith("ES-"):
            return "emergency-special"
        if s.startswith("S-"):
            return "special"
        if s.isdigit() and len(s) == 4 and 1946 <= int(s) <= 2100:
            return "year"
        return "session"

    @property
    def item(self) -> str:
        return self._texts("item")[0]

    @property
    def special(self) -> str | None:
        """Special component in upper case: the numbered item's ("L", "CRP") or the kind ("RES")."""
        m = _DOTTED_RE.fullmatch(self.item)
        if m:
            return m.group(1).upper()
        kinds = self._texts("kind")
        return kinds[0].upper() if kinds else None

    @property
    def number(self) -> str:
        m = _DOTTED_RE.fullmatch(self.item)
        return m.group(2) if m else self.item

    @property
    def modifiers(self) -> tuple[tuple[str, int | None], ...]:
        out: list[tuple[str, int | None]] = []
        for text in self._texts("modifier"):
            name, _, num = text.partition(".")
            out.append((name, int(num) if num else None))
        return tuple(out)

    @property
    def base(self) -> str:
        return "/".join((self.prefix, *(c.text for c in self.components)))

    @property
    def identifier(self) -> str:
        """Canonical form without the reissue asterisk: the document's key."""
        return self.base + (f" ({self.paren})" if self.paren else "")

    @property
    def canonical(self) -> str:
        return self.identifier + ("*" if self.reissue else "")

    def __str__(self) -> str:
        return self.canonical


@dataclass(frozen=True)
class DocumentSymbol:
    """A parsed symbol. Single-part properties read the first part (the joint document's main one)."""

    parts: tuple[SymbolPart, ...]

    @property
    def is_joint(self) -> bool:
        return len(self.parts) > 1

    @property
    def first(self) -> SymbolPart:
        return self.parts[0]

    prefix = property(lambda self: self.first.prefix)
    subsidiaries = property(lambda self: self.first.subsidiaries)
    body_series = property(lambda self: self.first.body_series)
    session = property(lambda self: self.first.session)
    session_kind = property(lambda self: self.first.session_kind)
    special = property(lambda self: self.first.special)
    number = property(lambda self: self.first.number)
    modifiers = property(lambda self: self.first.modifiers)
    reissue = property(lambda self: any(p.reissue for p in self.parts))
    paren = property(lambda self: self.first.paren)

    @property
    def canonical(self) -> str:
        return "-".join(p.canonical for p in self.parts)

    @property
    def identifier(self) -> str:
        """Canonical string without reissue asterisks (use it as the document key)."""
        return "-".join(p.identifier for p in self.parts)

    @property
    def doc_class(self) -> str:
        return DOC_CLASSES.get(self.special or "", "Document")

    def __str__(self) -> str:
        return self.canonical


# --- reference data -------------------------------------------------------------------------

@lru_cache(maxsize=1)
def series_table() -> dict[str, tuple[str, str]]:
    """``data/reference/symbol-series.csv``: series -> (description, source)."""
    rows = csv.DictReader(io.StringIO(read_text("data", "reference", "symbol-series.csv")))
    return {r["prefix"].strip(): (r["description"].strip(), r["source"].strip()) for r in rows}


@lru_cache(maxsize=1)
def known_prefixes() -> frozenset[str]:
    """First components of the known series: they drive joint-symbol splitting and case folding."""
    return frozenset(k.split("/")[0] for k in series_table())


# --- normalisation --------------------------------------------------------------------------

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_EXTRA = str.maketrans({"\u3010": "[", "\u3011": "]", "\u3014": "(", "\u3015": ")",
                        "\u200b": " ", "\u200e": " ", "\u200f": " ", "\u2060": " ",
                        "\ufeff": " ", "\u3000": " ", **{d: "-" for d in _DASHES}})
_OPENERS = "([{\"'\u201c\u2018\u300c\u300e\u300a\u3008<"
_TRAILERS = "]}\"'\u201d\u2019\u300d\u300f\u300b\u3009>\u3002\uff0c\uff1b;,.:\u3001!?\uff01\uff1f"
_MD_LINK = re.compile(r"\[([^\[\]]+)\]\([^()]*\)")


def _normalise_once(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).translate(_EXTRA)
    s = s.strip()
    m = _MD_LINK.fullmatch(s)
    if m:
        s = m.group(1).strip()
    s = s.lstrip(_OPENERS).strip()
    while s and (s[-1] in _TRAILERS or (s[-1] == ")" and s.count(")") > s.count("("))):
        s = s[:-1].rstrip()
    s = re.sub(r"\s*/\s*", "/", s)
    s = re.sub(r"(?<=[A-Za-z])\.\s+(?=\d)", ".", s)
    s = re.sub(r"(?<=[A-Za-z0-9)*])\s*-\s*(?=[A-Za-z]{1,12}/)", "-", s)
    s = re.sub(r"\s*\(\s*", " (", s)
    s = re.sub(r"\s*\)", ")", s)
    s = re.sub(r"\s+\*", "*", s)
    s = re.sub(r"\s+", " ", s)
    return s.strip()


def normalise(text: str) -> str:
    """Bring a symbol as printed in running text to the form :func:`parse` reads.

    Handles full-width solidus, brackets and letters (NFKC), no-break and ideographic spaces,
    spaces and line breaks around ``/`` as PDF text extraction leaves them, en/em dashes of
    joint symbols, trailing punctuation of any UN language, enclosing brackets or quotes and
    markdown link wrappers ``[A/80/1](#)``. Idempotent (applied to a fixed point).
    """
    s = text
    for _ in range(10):
        nxt = _normalise_once(s)
        if nxt == s:
            break
        s = nxt
    return s


# --- parsing --------------------------------------------------------------------------------

def _split_joint(s: str) -> list[str]:
    """Split at dashes followed by a known prefix + "/", when the first prefix is known too.

    Both sides must be series of the table: joint documents are issued by UN organs, and
    this keeps sub-numbers such as WFP's ``WFP/EB.A/2024/5-A/1`` in one piece.
    """
    prefixes = known_prefixes()
    if s.split("/", 1)[0].upper() not in prefixes:
        return [s]
    pieces: list[str] = []
    start = 0
    for m in re.finditer(r"-(?=([A-Za-z]{1,12})/)", s):
        if m.group(1).upper() in prefixes and m.start() > start:
            pieces.append(s[start:m.start()])
            start = m.end()
    pieces.append(s[start:])
    return pieces


def parse(text: str) -> DocumentSymbol:
    """Parse a document symbol (after :func:`normalise`). Raises :class:`SymbolError`."""
    if not isinstance(text, str):
        raise TypeError(f"a document symbol must be a string, got {type(text).__name__}")
    return _parse_cached(text)


@lru_cache(maxsize=1 << 16)
def _parse_cached(text: str) -> DocumentSymbol:
    """Results are immutable, so parsing the same printed form again is a cache hit."""
    s = normalise(text)
    if not s:
        raise SymbolError(text, "symbol", "", "is empty")
    return DocumentSymbol(tuple(_parse_part(text, p) for p in _split_joint(s)))


def try_parse(text: str) -> DocumentSymbol | None:
    """:func:`parse`, or None when the text is not a valid symbol."""
    try:
        return parse(text)
    except SymbolError:
        return None


def _parse_paren(text: str, raw: str) -> str:
    m = _PAREN_CI.fullmatch(raw.strip())
    if not m:
        raise SymbolError(text, "parenthetical", raw,
                          "is not a year, a Roman numeral, 'Part I' or 'Resumption 1'")
    if m.group(4):
        return f"Part {m.group(5).upper()}"
    if m.group(6):
        return f"Resumption {m.group(7)}"
    return m.group(0).upper()


def _parse_part(text: str, part: str) -> SymbolPart:
    bad = re.search(r"[^A-Za-z0-9./\-*() ]", part)
    if bad:
        raise SymbolError(text, "character", bad.group(0),
                          "is not allowed (letters, digits, '/', '.', '-' only)")
    m = re.fullmatch(r"([^ ()*]+?)(\*+)?(?: \(([^()]*)\))?(\*+)?", part)
    if not m:
        raise SymbolError(text, "part", part, "is not of the form PREFIX/.../NUMBER "
                          "[(parenthetical)][*]")
    body, star1, paren_raw, star2 = m.groups()
    reissue = bool(star1 or star2)
    paren = _parse_paren(text, paren_raw) if paren_raw is not None else None
    comps = body.split("/")
    for i, c in enumerate(comps):
        if not c:
            raise SymbolError(text, f"component {i + 1}", "", "is empty (two '/' in a row, or a "
                              "leading/trailing '/')")
    raw_prefix = comps[0]
    lenient = False
    if _PREFIX_RE.fullmatch(raw_prefix):
        prefix = raw_prefix
        if _ROMAN_RE.fullmatch(prefix) and prefix not in known_prefixes():
            raise SymbolError(text, "prefix", raw_prefix, "is a Roman numeral, not an organ's "
                              "series (a citation such as 'decision VII/5' is not a symbol)")
    elif _ALPHA_PREFIX_RE.fullmatch(raw_prefix) and raw_prefix.upper() in known_prefixes():
        prefix, lenient = raw_prefix.upper(), True
    else:
        raise SymbolError(text, "prefix", raw_prefix, "must be capital letters naming the "
                          "organ's series (e.g. 'A', 'S', 'E', 'CTOC'); lower case is accepted "
                          "only for known prefixes")
    if len(comps) < 2:
        raise SymbolError(text, "number", "", "is missing: a symbol has at least a prefix "
                          "and a number (e.g. 'A/80/1')")
    rest = comps[1:]
    # modifiers from the end
    mods: list[Component] = []
    while rest:
        mm = _MODIFIER_RE.fullmatch(rest[-1])
        if not mm or mm.group(1).upper() not in MODIFIERS:
            break
        name = MODIFIERS[mm.group(1).upper()]
        if (name == "Summary") != (mm.group(2) is None):
            raise SymbolError(text, "modifier", rest[-1], "needs a number ('Add.1', 'Rev.2')"
                              if name != "Summary" else "takes no number")
        mods.insert(0, Component("modifier", name + (f".{int(mm.group(2))}" if mm.group(2) else "")))
        rest = rest[:-1]
    if not rest:
        raise SymbolError(text, "number", "", "is missing before the modifiers")
    item = _parse_item(text, rest[-1])
    middle = _parse_middle(text, rest[:-1], lenient)
    return SymbolPart(prefix, (*middle, item, *mods), reissue, paren)


def _parse_item(text: str, raw: str) -> Component:
    if _INT_RE.fullmatch(raw):
        return Component("item", raw)
    m = _DOTTED_RE.fullmatch(raw)
    if m and m.group(1).upper() in DOT_KINDS:
        return Component("item", f"{DOT_KINDS[m.group(1).upper()]}.{m.group(2)}")
    mm = _MODIFIER_RE.fullmatch(raw)
    if mm and mm.group(1).upper() in MODIFIERS:
        raise SymbolError(text, "modifier", raw, "must follow the document number")
    raise SymbolError(text, "number", raw, "is not a document number: expected digits ('17') "
                      "or a numbered special component ('L.5', 'CRP.3', 'PV.12', 'Res.1')")


def _parse_middle(text: str, comps: list[str], lenient: bool) -> list[Component]:
    out: list[Component] = []
    seen_session = seen_kind = False
    for raw in comps:
        up = raw.upper()
        sm = _SESSION_RE.fullmatch(raw)
        if sm and (sm.group(1) or (sm.group(2).isupper() or up.split("-")[0] in ("S", "ES"))):
            if seen_session:
                raise SymbolError(text, "session", raw, "is a second session or year (a symbol "
                                  "has at most one; the number comes last)")
            out.append(Component("session", up))
            seen_session = True
            continue
        if _MODIFIER_RE.fullmatch(raw) and up.split(".")[0] in MODIFIERS:
            raise SymbolError(text, "modifier", raw, "must come after the document number")
        if up in SLASH_KINDS and not seen_kind:
            out.append(Component("kind", SLASH_KINDS[up]))
            seen_kind = True
            continue
        sub = _SUBSIDIARY_RE.fullmatch(raw)
        if not sub:
            raise SymbolError(text, "component", raw, "is not a subsidiary body ('C.3', 'WG.2'), "
                              "a session or year ('80', '2024', 'ES-10') or a special component "
                              "('RES', 'INF')")
        word, suffix = sub.group(1), sub.group(2)
        if word.upper() in MIXED_SUBSIDIARIES:
            word = MIXED_SUBSIDIARIES[word.upper()]
        elif not word.isupper():
            if not lenient:
                raise SymbolError(text, "subsidiary", raw, "must be written in capitals "
                                  "(only 'Sub' is mixed case)")
            word = word.upper()
        if suffix and not suffix.isdigit():
            if not suffix.isupper() and not lenient:
                raise SymbolError(text, "subsidiary", raw, "must be written in capitals")
            suffix = suffix.upper()
        canon = word + (f".{suffix}" if suffix else "")
        if seen_session and not suffix and not seen_kind:
            out.append(Component("kind", canon))
            seen_kind = True
        else:
            out.append(Component("subsidiary", canon))
    return out


# --- helpers for the extractors --------------------------------------------------------------

def _as_symbol(symbol: str | DocumentSymbol) -> DocumentSymbol:
    return symbol if isinstance(symbol, DocumentSymbol) else parse(symbol)


def body_series(symbol: str | DocumentSymbol) -> str:
    """The issuing body's series: "CTOC/COP/2024/CRP.3" -> "CTOC/COP", "A/RES/80/1" -> "A"."""
    return _as_symbol(symbol).body_series


def doc_class(symbol: str | DocumentSymbol) -> str:
    """Ontology class local name by special component (L -> DraftResolution, ...)."""
    return _as_symbol(symbol).doc_class
