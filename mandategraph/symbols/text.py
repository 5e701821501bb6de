"""Find document symbols in running text of any of the six UN languages.

Offsets index the *input* text exactly (provenance spans are built from them): matching runs
on a copy of the text in which a few characters are mapped one-to-one (full-width ASCII to
ASCII, exotic spaces to " ", dashes to "-"), so positions never shift. Each candidate is then
confirmed by :func:`mandategraph.symbols.grammar.parse`; what does not parse is not a symbol.

Not symbols, by construction: dates and citations without an organ prefix (``2024/25``,
``第 11/1 号决定``, ``55/25``), Roman-numeral decision citations (``decision VII/5``), parts of
URLs and e-mail addresses, and anything glued to a preceding letter, digit, ``/``, ``.``,
``@`` or ``-`` (``GC(69)/RES/10``, ``JAG-TSC/2023``, ``undocs.org/en/A/RES/80/1``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import grammar as _sym


@dataclass(frozen=True)
class SymbolMatch:
    """A symbol found in text: ``text[start:end] == printed``; ``symbol`` is the parsed form."""

    start: int
    end: int
    printed: str
    symbol: "_sym.DocumentSymbol"

    @property
    def canonical(self) -> str:
        return self.symbol.canonical


def _offset_map() -> dict[int, str]:
    table: dict[int, str] = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
    for c in (0x00A0, 0x3000, 0x202F, 0x205F, 0x200B, 0x200E, 0x200F, 0x2060, 0xFEFF,
              *range(0x2000, 0x200B)):
        table[c] = " "
    for c in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63):
        table[c] = "-"
    return table


_MAP = _offset_map()

_H = r"[ \t]"
_SEP = rf"(?:{_H}*\r?\n{_H}*)?/{_H}*(?:\r?\n{_H}*)?"
_TOKEN = (rf"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+|(?<=[A-Za-z])\.{_H}*\r?\n{_H}*\d+"
          r"|-\d+)*")
_PAREN = (r"\((?:\d{4}|[IVXLCDM]+|E?S-[IVXLCDM]+|Part [IVXLCDM]+|Resumption \d{1,2})\)")
_PART = rf"[A-Z]{{1,12}}(?:{_SEP}{_TOKEN})+\**(?: ?{_PAREN})?\**"
_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*://|www\.)[^\s<>\"'()\[\]{}]+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_PART_RE = re.compile(_PART)


@lru_cache(maxsize=1)
def _candidate_re() -> re.Pattern[str]:
    known = "|".join(sorted(_sym.known_prefixes(), key=len, reverse=True))
    joint = rf"(?:{_H}*(?:\r?\n{_H}*)?-{_H}*(?:\r?\n{_H}*)?(?=(?:{known})/){_PART})"
    return re.compile(rf"(?<![A-Za-z0-9/@._\-]){_PART}{joint}*")


def _blocked_spans(mapped: str) -> list[tuple[int, int]]:
    return [m.span() for rx in (_URL, _EMAIL) for m in rx.finditer(mapped)]


def find_symbols(text: str) -> list[SymbolMatch]:
    """Every document symbol in ``text``, in order; a joint symbol is one match."""
    mapped = text.translate(_MAP)
    blocked = _blocked_spans(mapped)
    out: list[SymbolMatch] = []
    for m in _candidate_re().finditer(mapped):
        start, end = m.span()
        if end < len(mapped) and (mapped[end] in "/_@" or mapped[end].isascii()
                                  and mapped[end].isalnum()):
            continue  # truncated ("A/80/___") or glued to more text
        if any(s < end and start < e for s, e in blocked):
            continue
        sym = _sym.try_parse(text[start:end])
        if sym is None and m.group(0) != (first := _PART_RE.match(mapped, start)).group(0):
            end = first.end()  # a joint candidate whose later part is not a symbol
            sym = _sym.try_parse(text[start:end])
        if sym is not None:
            out.append(SymbolMatch(start, end, text[start:end], sym))
    return out
