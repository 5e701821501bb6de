"""United Nations document symbols: the grammar (``grammar``: parse, normalise), running-text
search (``text``: find_symbols) and explanations (``explain``). Re-exported here; the three
modules import in one direction only: grammar <- text, grammar <- explain."""

from .explain import explain, symbol_cli
from .grammar import (
    Component, DocumentSymbol, SymbolError, SymbolPart, body_series, doc_class, known_prefixes,
    normalise, parse, series_table, try_parse,
)
from .text import SymbolMatch, find_symbols

__all__ = [
    "Component", "SymbolPart", "DocumentSymbol", "SymbolError", "SymbolMatch",
    "parse", "try_parse", "normalise", "find_symbols", "explain", "body_series",
    "doc_class", "known_prefixes", "series_table", "symbol_cli",
]
