"""The one SPARQL text layer: reading a query as the grammar does, and binding parameters.

Three jobs, used by the store, the server's guard, the remote store and incremental validation:

- :func:`bound_term`: the SPARQL/N-Triples text of an RDF term *parsed by pyoxigraph* (an IRI
  with ``>``, a space or a quote is refused with :class:`BindError`), so a bound value is one
  term and can never change the shape of the query around it;
- :func:`inject_values`: the one VALUES builder (a block of such terms at the start of the
  query's top-level WHERE group) for every backend;
- :func:`read_query` / :func:`read_update`: what a query or update *does* (its form, SERVICE
  targets, dataset clause, LOAD, every IRI), read by a real SPARQL 1.1 parser (rdflib's
  ``parseQuery`` / ``parseUpdate`` and algebra, prefixes and BASE resolved), never by a second
  tokenizer that could read the text differently from the engine;
- :func:`keywords_present`: a superset screen that costs microseconds: a SPARQL keyword is a
  run of ASCII letters, so when the letters of ``SERVICE`` (say) appear nowhere in the text,
  under any case, Unicode compatibility form or ``\\u`` escape, no parser can read a SERVICE
  clause in it. Only texts that contain a watched word pay for the parser.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node, Variable

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_UESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: Letters some case mappings turn into ASCII ones (long s, dotless i, Kelvin sign ...).
_FOLD_EXTRA = str.maketrans({"\u017f": "s", "\u0131": "i", "\u212a": "k", "\u212b": "a"})


class BindError(ValueError):
    """A parameter value is not a well-formed RDF term (e.g. an IRI with ``>`` in it)."""


class ReadError(ValueError):
    """The text is not a SPARQL query (or update) the reference parser can read."""


# --------------------------------------------------------------------------- binding
def to_ox_term(term: Node) -> Any:
    """An rdflib term as a pyoxigraph term, validated by pyoxigraph's own parsers."""
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None and str(term.datatype) != _XSD_STRING:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    except (ValueError, TypeError) as e:
        raise BindError(f"not a valid RDF term: {str(term)[:200]!r} ({e})") from None
    raise BindError(f"cannot bind {type(term).__name__} {str(term)[:200]!r}")


def bound_term(term: Node) -> str:
    """SPARQL text of one term, as pyoxigraph writes it (escaped; IRIs checked)."""
    return str(to_ox_term(term))


def parse_iri(value: str, what: str = "IRI") -> URIRef:
    """A user-given absolute IRI as a term, or BindError saying why it is not one."""
    if not value or len(value) > 4096:
        raise BindError(f"{what} must be an absolute IRI of 1 to 4,096 characters")
    try:
        node = ox.NamedNode(value)
    except ValueError as e:
        raise BindError(f"{what} {value[:200]!r} is not an IRI: {e}") from None
    if not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", node.value):
        raise BindError(f"{what} {value[:200]!r} is not an absolute IRI")
    return URIRef(node.value)


def inject_values(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """Bind parameters by a ``VALUES`` block at the start of the query's WHERE group.

    ``sparql`` is a trusted text (a query file); the values are terms written by
    :func:`bound_term`, so none can end the block. Parameters must be used in the top-level
    group (SPARQL evaluates sub-selects bottom-up, so a VALUES outside does not reach in).
    """
    if not bindings:
        return sparql
    pos = where_brace(sparql)
    if pos < 0:
        raise ValueError("cannot bind parameters: the query has no WHERE group")
    for k in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k):
            raise BindError(f"bad parameter name {k!r}")
    names = " ".join(f"?{k}" for k in bindings)
    vals = " ".join(bound_term(v) for v in bindings.values())
    block = f" VALUES ({names}) {{ ({vals}) }} "
    return sparql[: pos + 1] + block + sparql[pos + 1:]


# --------------------------------------------------------------------------- trusted-text scanning
# Where to put a VALUES block in a *trusted* text (query files, generated shapes queries):
# comments, strings and IRIs are skipped so their braces are not mistaken for structure.
_IRI_REF = re.compile(r"<[^\s<>\"{}|^`]*>")


def skip_lexeme(q: str, i: int) -> int:
    """If a comment, string or IRI starts at ``i``, the index just after it; else ``i``."""
    c, n = q[i], len(q)
    if c == "#":
        j = q.find("\n", i)
        return n if j < 0 else j
    if c in "\"'":
        end_tok = q[i:i + 3] if q[i:i + 3] in ('"""', "'''") else c
        j = i + len(end_tok)
        while j < n and not q.startswith(end_tok, j):
            j += 2 if q[j] == "\\" else 1
        return j + len(end_tok)
    if c == "<" and _IRI_REF.match(q, i):
        return q.index(">", i) + 1
    return i


def where_brace(q: str) -> int:
    """Index of the '{' that opens the outermost WHERE group (-1 if none)."""
    i, n, depth, first_brace, saw_where = 0, len(q), 0, -1, False
    while i < n:
        j = skip_lexeme(q, i)
        if j != i:
            i = j
            continue
        c = q[i]
        if depth == 0 and q[i:i + 5].upper() == "WHERE" and not q[i - 1:i].isalnum():
            saw_where = True
        if c == "{":
            if depth == 0:
                if saw_where:
                    return i
                if first_brace < 0:
                    first_brace = i
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    return first_brace


def group_end(q: str, open_pos: int) -> int:
    """Index of the '}' closing the group opened at ``open_pos`` (-1 if none)."""
    i, n, depth = open_pos, len(q), 0
    while i < n:
        j = skip_lexeme(q, i)
        if j != i:
            i = j
            continue
        if q[i] == "{":
            depth += 1
        elif q[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


# --------------------------------------------------------------------------- the superset screen
def decode_escapes(text: str) -> str:
    """SPARQL 1.1 section 19.2: ``\\uXXXX`` / ``\\UXXXXXXXX`` are decoded before parsing."""
    if "\\u" not in text and "\\U" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code < 0x110000 else "\ufffd"

    return _UESCAPE.sub(repl, text)


def folded(text: str) -> str:
    """The text as every reading could see its letters: escapes decoded, compatibility
    forms (full-width letters) and combining marks removed, then case-folded."""
    text = decode_escapes(text)
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.translate(_FOLD_EXTRA).casefold()


def keywords_present(text: str, words: Iterable[str]) -> set[str]:
    """Which of ``words`` (lower case) appear anywhere in ``text``, in any case or form.

    A superset: a word found here may sit in a string or comment; a word not found cannot
    be a keyword of the query under any reading."""
    low = folded(text)
    return {w for w in words if w in low}


# --------------------------------------------------------------------------- the reference reading
@dataclass(frozen=True)
class QueryReading:
    kind: str  # select | construct | ask | describe
    services: tuple[str, ...]  # SERVICE IRIs; "?var" for a variable endpoint
    from_graphs: tuple[str, ...]
    from_named: tuple[str, ...]
    iris: frozenset[str]
    #: How many times each IRI is written in the query (prefixed names resolved).
    iri_counts: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class UpdateReading:
    operations: tuple[str, ...]  # InsertData, Modify, Load, Clear ...
    services: tuple[str, ...]
    loads: tuple[str, ...]
    iris: frozenset[str]


_FORMS = {"SelectQuery": "select", "ConstructQuery": "construct", "AskQuery": "ask",
          "DescribeQuery": "describe"}


def _walk(x: Any) -> Iterator[Any]:
    from rdflib.plugins.sparql.parserutils import CompValue  # noqa: PLC0415 - rdflib's SPARQL machinery loads on first read only

    stack = [x]
    seen: set[int] = set()
    while stack:
        cur = stack.pop()
        if id(cur) in seen:
            continue
        seen.add(id(cur))
        yield cur
        if isinstance(cur, (CompValue, dict)):
            stack.extend(cur.values())
        elif isinstance(cur, (list, tuple, set, frozenset)):
            stack.extend(cur)


def _service_target(node: Any) -> str:
    term = node["term"] if "term" in node else None
    return f"?{term}" if isinstance(term, Variable) else str(term)


def read_query(text: str) -> QueryReading:
    """Parse ``text`` as a SPARQL 1.1 query (rdflib's parser and algebra)."""
    from rdflib.plugins.sparql.algebra import translateQuery  # noqa: PLC0415 - see _walk
    from rdflib.plugins.sparql.parser import parseQuery  # noqa: PLC0415

    try:
        parsed = parseQuery(text)
        tq = translateQuery(parsed)
    except Exception as e:  # noqa: BLE001 - pyparsing and the algebra raise many types
        raise ReadError(f"{type(e).__name__}: {str(e)[:300]}") from None
    kind = _FORMS.get(getattr(parsed[1], "name", ""), "")
    services, dflt, named, iris = [], [], [], set()
    for node in _walk(tq.algebra):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            services.append(_service_target(node))
        elif name == "DatasetClause":
            if "default" in node:
                dflt.append(str(node["default"]))
            if "named" in node:
                named.append(str(node["named"]))
        elif isinstance(node, URIRef):
            iris.add(str(node))
    for node in _walk(parsed):  # unresolved forms the algebra may drop (PREFIX, BASE)
        if isinstance(node, URIRef):
            iris.add(str(node))
    base = getattr(tq.prologue, "base", None)
    if base:
        iris.add(str(base))
    return QueryReading(kind, tuple(services), tuple(dflt), tuple(named), frozenset(iris),
                        _iri_counts(parsed[1], tq.prologue))


def _iri_counts(tree: Any, prologue: Any) -> tuple[tuple[str, int], ...]:
    """Occurrences of each IRI in the query body as written (the parse tree, where every
    occurrence is its own node; prefixed names resolved by the query's prologue)."""
    from rdflib.plugins.sparql.parserutils import CompValue  # noqa: PLC0415 - see _walk

    counts: dict[str, int] = {}

    def visit(x: Any) -> None:
        if isinstance(x, CompValue):
            if x.name == "pname":
                iri = str(prologue.absolutize(x))
                counts[iri] = counts.get(iri, 0) + 1
                return
            for v in x.values():
                visit(v)
        elif isinstance(x, URIRef):
            counts[str(x)] = counts.get(str(x), 0) + 1
        elif isinstance(x, (list, tuple)):
            for v in x:
                visit(v)
        elif isinstance(x, dict):
            for v in x.values():
                visit(v)

    visit(tree)
    return tuple(sorted(counts.items()))


def query_form(text: str) -> str:
    """SELECT / ASK / CONSTRUCT / DESCRIBE, as the reference parser reads ``text``."""
    return read_query(text).kind.upper()


def parse_update_tree(text: str) -> list:
    """The operations of an update as rdflib's parser reads them (CompValues)."""
    from rdflib.plugins.sparql.parser import parseUpdate  # noqa: PLC0415 - see _walk

    try:
        return list(parseUpdate(text).request)
    except Exception as e:  # noqa: BLE001
        raise ReadError(f"{type(e).__name__}: {str(e)[:300]}") from None


def read_update(text: str) -> UpdateReading:
    """Parse ``text`` as a SPARQL 1.1 update request."""
    from rdflib.plugins.sparql.algebra import translateUpdate  # noqa: PLC0415 - see _walk
    from rdflib.plugins.sparql.parser import parseUpdate  # noqa: PLC0415

    try:
        parsed = parseUpdate(text)
        tu = translateUpdate(parsed)
    except Exception as e:  # noqa: BLE001
        raise ReadError(f"{type(e).__name__}: {str(e)[:300]}") from None
    ops = tuple(getattr(op, "name", "?") for op in tu.algebra)
    services, loads, iris = [], [], set()
    for node in _walk([tu.algebra, parsed]):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            services.append(_service_target(node))
        elif name == "Load":
            loads.append(str(node["iri"]) if "iri" in node else "?")
        elif isinstance(node, URIRef):
            iris.add(str(node))
    return UpdateReading(ops, tuple(services), tuple(loads), frozenset(iris))


# The names the validation compiler imports (sparql_compile places its own VALUES blocks).
_where_brace, _group_end, _skip_lexeme = where_brace, group_end, skip_lexeme
