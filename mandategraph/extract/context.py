"""Shared state of one extraction run: the source, its rule set, name and symbol mentions,
sentences, agenda-item segments, and the facts emitted so far.

Everything is computed over ``Source.norm``; :meth:`Ctx.prov` maps a norm span back to the
original text so each fact quotes the exact characters of ``Source.text``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..core.facts import Fact, InstrumentRef, Prov, SessionRef, Span
from ..core.reference import Body, bodies
from ..ingest.source import Source
from ..symbols.text import find_symbols
from .common import DateMatch, find_dates
from .lang import RuleSet

#: Classes of bodies that adopt resolutions and decisions (a working group does not).
ADOPTING = {"Body", "Conference"}


@dataclass(frozen=True)
class NameMatch:
    start: int
    end: int
    key: str | None  #: body key; None for a self-term when the document's body is unknown
    text: str
    self_term: bool = False


@dataclass(frozen=True)
class SymbolMention:
    start: int
    end: int
    printed: str
    symbol: str  #: canonical symbol of the (first part of the) document
    joint: tuple[str, ...]
    series: str
    session: str | None
    doc_class: str


@dataclass(frozen=True)
class InstrumentMention:
    start: int
    end: int
    refs: tuple[InstrumentRef, ...]


@dataclass(frozen=True)
class Segment:
    """A stretch of the annotations under one agenda item heading."""

    start: int
    end: int
    item: str  #: "2(b)"
    top: str  #: "2"
    title: str | None


@lru_cache(maxsize=8)
def _name_pattern(lang: str, cjk: bool,
                  self_terms: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, tuple[str | None, bool]]]:
    names: dict[str, tuple[str | None, bool]] = {}
    for body in bodies().values():
        if body.cls in ("StateGroup", "ActorGroup"):  # "States parties", "civil society": addressees of
            continue  # resolutions (extract.addressees), not bodies an agenda mentions
        for name in body.names(lang):
            if name and len(name) >= 2:
                names.setdefault(_squash(name, cjk), (body.key, False))
    for term in self_terms:
        names[_squash(term, cjk)] = (None, True)
    parts = []
    for name in sorted(names, key=len, reverse=True):
        if cjk:
            parts.append(r"\s*".join(re.escape(c) for c in name))
        else:
            parts.append(r"\b" + r"\s+".join(re.escape(w) for w in name.split()) + r"\b")
    return re.compile("|".join(parts)), names


def _squash(text: str, cjk: bool) -> str:
    return re.sub(r"\s+", "" if cjk else " ", text.strip())


class Ctx:
    def __init__(self, source: Source, rules: RuleSet):
        self.source = source
        self.rules = rules
        self.lang = rules.lang
        self.norm = source.norm
        self.items: list[Fact] = []
        self.warnings: list[str] = []
        self.body: str | None = None  #: the document's own body key
        self.agenda_symbol: str | None = None
        self.session: SessionRef | None = None
        self.segments: list[Segment] = []
        self._sent = [m.end() for m in rules.sentence_end.finditer(self.norm)]
        self.dates: list[DateMatch] = find_dates(self.norm)
        self._names: list[NameMatch] | None = None
        self.symbols: list[SymbolMention] = self._find_symbols()
        self.instruments: list[InstrumentMention] = []

    # ------------------------------------------------------------------ emitting
    def add(self, fact: Fact) -> None:
        self.items.append(fact)

    def prov(self, start: int, end: int, rule: str) -> Prov:
        a, b = self.source.to_original(start, end)
        return Prov(Span(a, b, self.source.text[a:b]), f"{self.lang}.{rule}")

    def original(self, start: int, end: int) -> str:
        """``norm[start:end]`` with the original full-width punctuation put back (titles are
        quoted as printed; dropped footnote markers and page breaks stay out)."""
        text, offs = self.source.text, self.source.offsets
        out = []
        for i in range(start, end):
            o = text[offs[i]] if offs[i] < len(text) else ""
            out.append(o if o and o != self.norm[i] and 0xFF01 <= ord(o) <= 0xFF5E else self.norm[i])
        return "".join(out)

    # ------------------------------------------------------------------ sentences
    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._sent, pos)
        start = self._sent[i - 1] if i > 0 else 0
        end = self._sent[i] if i < len(self._sent) else len(self.norm)
        return start, end

    def sentences(self, lo: int, hi: int) -> list[tuple[int, int]]:
        out = []
        pos = lo
        while pos < hi:
            s, e = self.sentence(pos)
            s, e = max(s, lo), min(e, hi)
            if self.norm[s:e].strip():
                out.append((s, e))
            pos = max(e, pos + 1)
        return out

    # ------------------------------------------------------------------ names of bodies
    @property
    def names(self) -> list[NameMatch]:
        if self._names is None:
            pattern, table = _name_pattern(self.lang, self.rules.cjk, self.rules.self_terms)
            out = []
            for m in pattern.finditer(self.norm):
                key, is_self = table[_squash(m.group(0), self.rules.cjk)]
                out.append(NameMatch(m.start(), m.end(), key, m.group(0), is_self))
            self._names = out
        return self._names

    @property
    def conference(self) -> str | None:
        """The adopting body behind the document: its own body, or the nearest parent that
        adopts resolutions (a working group's agenda speaks of "the Conference")."""
        key, seen = self.body, set()
        while key and key not in seen:
            seen.add(key)
            b = self.body_info(key)
            if b is None or b.cls in ADOPTING:
                return key
            key = b.parent
        return self.body

    def resolve(self, name: NameMatch) -> str | None:
        if name.self_term:
            return self.conference
        return name.key

    def body_info(self, key: str | None) -> Body | None:
        return bodies().get(key) if key else None

    def names_in(self, lo: int, hi: int) -> list[NameMatch]:
        return [n for n in self.names if n.start >= lo and n.end <= hi]

    def name_ending_at(self, pos: int, slack: int = 1) -> NameMatch | None:
        for n in self.names:
            if pos - slack - 1 <= n.end <= pos and not self.norm[n.end:pos].strip(" "):
                return n
        return None

    def name_starting_at(self, pos: int) -> NameMatch | None:
        """A name that starts at ``pos`` (after blanks), with or without a leading article."""
        gap = re.match(r"\s*", self.norm[pos:pos + 8])
        at = pos + (gap.end() if gap else 0)
        art = re.match(r"the\s+", self.norm[at:at + 8], re.IGNORECASE)
        starts = {at, at + art.end()} if art else {at}
        for n in self.names:
            if n.start in starts:
                return n
        return None

    def is_group(self, key: str | None) -> bool:
        b = self.body_info(key)
        return bool(b and b.cls == "WorkingGroup")

    def adopting(self, key: str | None) -> bool:
        b = self.body_info(key)
        return bool(b and b.cls in ADOPTING)

    # ------------------------------------------------------------------ symbols
    def _find_symbols(self) -> list[SymbolMention]:
        out = []
        for m in find_symbols(self.norm):
            sym = m.symbol
            parts = [p.identifier for p in sym.parts]
            try:
                cls = sym.doc_class
            except Exception:  # noqa: BLE001 - an odd symbol still counts as a document
                cls = "Document"
            out.append(SymbolMention(m.start, m.end, m.printed, parts[0], tuple(parts[1:]),
                                     sym.body_series, sym.session, cls))
        return out

    def symbols_in(self, lo: int, hi: int) -> list[SymbolMention]:
        return [s for s in self.symbols if s.start >= lo and s.end <= hi]

    # ------------------------------------------------------------------ agenda segments
    def segment_at(self, pos: int) -> Segment | None:
        for seg in self.segments:
            if seg.start <= pos < seg.end:
                return seg
        return None

    def dates_in(self, lo: int, hi: int) -> list[DateMatch]:
        return [d for d in self.dates if d.start >= lo and d.end <= hi]


@dataclass
class Counter:
    """Per-instrument counters that keep mandate local ids unique and stable."""

    seen: dict[tuple[InstrumentRef, str], int] = field(default_factory=dict)

    def local(self, instrument: InstrumentRef, base: str) -> str:
        key = (instrument, base)
        self.seen[key] = self.seen.get(key, 0) + 1
        n = self.seen[key]
        return base if n == 1 else f"{base}-{n}"
