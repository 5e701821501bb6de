"""Named queries: one ``queries/<name>.rq`` file per question, run with bound parameters.

Each file starts with a header comment::

    # title: Documents mandated by an instrument
    # description: ...
    # params: ?symbol ?session
    # unknown-symbol: 404   (a lookup: the server answers 404 for a symbol it does not know)

Parameters are bound as typed RDF terms through one mechanism on every backend: a ``VALUES``
block of escaped terms at the start of the top-level WHERE group
(:func:`mandategraph.store.inject_values`); user text is never pasted into the query. A parameter value is a plain string
literal unless the query's header says otherwise (``# param-types: ?session=integer,
?item=iri``). ``symbol`` parameters are normalised with the symbol parser first, so a symbol
typed loosely (``ctoc/cop/2024/crp.3``, full-width characters) still matches.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import XSD
from rdflib.term import Node

from .core.resources import asset_files
from .store.interface import SelectResult, Store
from .store.sparql_text import BindError, parse_iri
from .symbols.grammar import SymbolError, parse

_HEADER = re.compile(r"^#\s*([a-z-]+)\s*:\s*(.*)$")
#: Longest value the symbol parser is given (real symbols are under 100 characters; the
#: parser's cost grows with the length, so a hostile 60 KB value never reaches it).
MAX_SYMBOL = 256


class QueryError(ValueError):
    """Unknown query, missing or bad parameter."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[str, ...]
    param_types: tuple[tuple[str, str], ...]
    text: str
    #: ``# param-vars: ?symbol=?input``: bind parameter ``symbol`` to the variable ``?input``,
    #: so a query may return a result column with the parameter's name (``adopted-on``).
    param_vars: tuple[tuple[str, str], ...] = ()
    #: ``# unknown-symbol: 404``: a lookup by symbol (not a search): the server answers 404
    #: when the graph knows no such symbol, instead of running the query.
    unknown_symbol_404: bool = False
    #: ``# title-zh:``: the title in Chinese (the browser's Chinese interface shows it)
    title_zh: str = ""

    @property
    def internal(self) -> bool:
        return self.name.startswith("_")

    def bindings(self, values: Mapping[str, str]) -> dict[str, Node]:
        """Turn user strings into typed RDF terms; check every declared parameter is given."""
        types = dict(self.param_types)
        unknown = set(values) - set(self.params)
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter(s) {sorted(unknown)}; "
                             f"it takes {list(self.params) or 'none'}")
        missing = [p for p in self.params if p not in values]
        if missing:
            raise QueryError(f"query {self.name!r} needs parameter(s) {missing} "
                             f"(use --param {missing[0]}=VALUE)")
        out: dict[str, Node] = {}
        for key, raw in values.items():
            kind = types.get(key, "string")
            if kind == "integer":
                try:
                    out[key] = Literal(int(raw))
                except ValueError:
                    raise QueryError(f"parameter {key!r} must be a whole number, got {raw!r}") from None
            elif kind == "iri":
                try:  # parsed by pyoxigraph: a value that is not one IRI is refused
                    out[key] = parse_iri(raw, f"parameter {key!r}")
                except BindError as e:
                    raise QueryError(str(e)) from None
            elif kind == "date":
                out[key] = Literal(raw, datatype=XSD.date)
            else:
                out[key] = Literal(normalise_param(key, raw))
        renames = dict(self.param_vars)
        return {renames.get(k, k): v for k, v in out.items()} if renames else out


def normalise_param(key: str, raw: str) -> str:
    """``symbol`` parameters go through the symbol parser (when it can read them)."""
    raw = raw.strip()
    if len(raw) > MAX_SYMBOL:  # no symbol is this long: match as given, no parser on it
        return raw
    if key == "symbol" and raw and raw.count(":") != 2:
        try:
            return str(parse(raw))
        except Exception:  # noqa: BLE001 - an unparseable value is matched as given
            return raw
    return raw


_TAIL = re.compile(r"(?:\s*(?:LIMIT|OFFSET)\s+\d+)+\s*$", re.IGNORECASE)
#: Most rows one page of a named query carries (``limit=`` above this is refused).
MAX_PAGE = 10_000


def paged(text: str, limit: str | int | None, offset: str | int | None) -> str:
    """A named query's text cut to one page: its own trailing LIMIT/OFFSET are replaced.

    A page never goes past the query's own LIMIT (a query written to return 50 rows still
    returns at most 50 over all pages). Raises :class:`QueryError` for a value that is not a
    whole number in range."""
    def number(key: str, raw: str | int | None, low: int, high: int) -> int | None:
        if raw in (None, ""):
            return None
        try:
            n = int(str(raw).strip())
        except ValueError:
            raise QueryError(f"{key} must be a whole number, got {raw!r}") from None
        if not low <= n <= high:
            raise QueryError(f"{key} must be between {low} and {high:,}, got {n}")
        return n

    lim = number("limit", limit, 1, MAX_PAGE)
    off = number("offset", offset, 0, 10**9)
    if lim is None and off is None:
        return text
    body = text.rstrip()
    tail = _TAIL.search(body)
    own_limit = own_offset = None
    if tail:
        own = tail.group(0)
        m = re.search(r"LIMIT\s+(\d+)", own, re.IGNORECASE)
        own_limit = int(m.group(1)) if m else None
        m = re.search(r"OFFSET\s+(\d+)", own, re.IGNORECASE)
        own_offset = int(m.group(1)) if m else None
        body = body[:tail.start()]
    start = (own_offset or 0) + (off or 0)
    size = lim
    if own_limit is not None:
        left = max(0, own_limit - (off or 0))
        size = left if size is None else min(size, left)
    out = body + "\n"
    if size is not None:
        out += f"LIMIT {size}\n"
    if start:
        out += f"OFFSET {start}\n"
    return out


class SymbolParamError(QueryError):
    """A ``symbol`` parameter that is neither a document symbol nor BODY:KIND:NUMBER."""


def check_symbol_param(q: NamedQuery, values: Mapping[str, str]) -> None:
    """Raise :class:`SymbolParamError` (with the symbol parser's message) for a malformed
    ``symbol`` parameter; the lenient :func:`normalise_param` would match it as typed."""
    raw = values.get("symbol")
    if raw is None or "symbol" not in q.params or raw.strip().count(":") == 2:
        return
    try:
        parse(raw.strip())
    except SymbolError as e:
        raise SymbolParamError(f"parameter 'symbol': {e}") from None


_HAS_DOCUMENT = """PREFIX un: <https://w3id.org/mandategraph/ontology#>
SELECT ?doc WHERE { ?doc un:symbol ?symbol } LIMIT 1"""
_HAS_INSTRUMENT = """PREFIX un: <https://w3id.org/mandategraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?inst WHERE { ?body skos:notation ?b . ?inst un:issuedBy ?body ; un:number ?n } LIMIT 1"""


def missing_subject(store: Store, q: NamedQuery, values: Mapping[str, str]) -> str | None:
    """The message for a ``symbol`` parameter naming nothing in the store, else None:
    "no document with symbol X in the store" (or "no instrument B:K:N ...")."""
    raw = values.get("symbol")
    if raw is None or "symbol" not in q.params:
        return None
    raw = raw.strip()
    if raw.count(":") == 2:
        body, _kind, number = raw.split(":")
        res = store.select(_HAS_INSTRUMENT, {"b": Literal(body), "n": Literal(number)})
        return None if res.rows else f"no instrument {raw} in the store"
    symbol = normalise_param("symbol", raw)
    res = store.select(_HAS_DOCUMENT, {"symbol": Literal(symbol)})
    return None if res.rows else f"no document with symbol {symbol} in the store"


def parse_query_file(name: str, text: str) -> NamedQuery:
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if m:
            header[m.group(1)] = (header.get(m.group(1), "") + " " + m.group(2)).strip()
    params = tuple(p[1:] for p in re.findall(r"[?$][A-Za-z_][A-Za-z0-9_]*", header.get("params", "")))
    types = tuple((k, v) for k, v in re.findall(r"[?$]([A-Za-z_]\w*)\s*=\s*(\w+)",
                                                header.get("param-types", "")))
    pvars = tuple((k, v) for k, v in re.findall(r"[?$]([A-Za-z_]\w*)\s*=\s*[?$]([A-Za-z_]\w*)",
                                                header.get("param-vars", "")))
    return NamedQuery(name=name, title=header.get("title", name),
                      description=header.get("description", ""), params=params,
                      param_types=types, text=text, param_vars=pvars, title_zh=header.get("title-zh", ""),
                      unknown_symbol_404=header.get("unknown-symbol", "") == "404")


@lru_cache(maxsize=1)
def registry() -> dict[str, NamedQuery]:
    out = {}
    for f in asset_files("queries", ".rq"):
        name = f.name[:-3]
        out[name] = parse_query_file(name, f.read_text(encoding="utf-8"))
    return out


def public_queries() -> list[NamedQuery]:
    return [q for q in registry().values() if not q.internal]


def get(name_or_path: str) -> NamedQuery:
    reg = registry()
    if name_or_path in reg:
        return reg[name_or_path]
    p = Path(name_or_path)
    if p.suffix == ".rq" and p.is_file():
        return parse_query_file(p.stem, p.read_text(encoding="utf-8"))
    raise QueryError(f"no named query {name_or_path!r}; available: {', '.join(q.name for q in public_queries())}")


def run(store: Store, name_or_path: str, params: Mapping[str, str] | None = None) -> SelectResult:
    q = get(name_or_path)
    return store.select(q.text, q.bindings(dict(params or {})))
