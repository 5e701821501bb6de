"""N-Triples terms: Oxigraph -> rdflib term conversion, the N-Triples form of terms and
literals, N-Triples documents and their parsing. The builder writes its graphs with these; the
store loads and the SPARQL parameter binding serialises values with the same functions."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .vocab import XSD

Triple = tuple[Node, Node, Node]


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def from_ox(term: object) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


#: The escapes of a lexical form, as Oxigraph writes them (the canonical form of RDF 1.2
#: N-Triples): ECHAR for backspace, tab, line feed, form feed, carriage return, quotation mark
#: and backslash; UCHAR for the other C0 controls and DEL. The same text is valid in SPARQL.
_ECHAR = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_ESCAPES = str.maketrans({**{chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F)}, **_ECHAR})
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')
#: the rare escapes (all but backslash, quote, line feed, carriage return, tab), applied after
#: those common five, which ``str.replace`` does far faster than ``translate`` over a page
#: of text (``translate`` looks every character up in the table: 1.3 s of a whole-corpus build)
_RARE = {c: e for c, e in _ESCAPES.items() if chr(c) not in '\\"\n\r\t'}
_NEEDS_RARE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape_string(s: str) -> str:
    """A lexical form escaped for an N-Triples (or SPARQL) string literal."""
    if not _NEEDS_ESCAPE.search(s):
        return s
    s = (s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
         .replace("\r", "\\r").replace("\t", "\\t"))
    return s.translate(_RARE) if _NEEDS_RARE.search(s) else s


def nt_term(term: Node) -> str:
    """N-Triples / SPARQL form of a term (used for INSERT DATA)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        body = f'"{escape_string(str(term))}"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype and str(term.datatype) != _XSD_STRING:
            return f"{body}^^<{term.datatype}>"
        return body
    raise TypeError(f"cannot serialise {term!r}")


def nt_document(triples: Iterable[Triple]) -> bytes:
    """N-Triples bytes for a list of triples (terms serialised once each: IRIs repeat a lot)."""
    cache: dict[Node, str] = {}

    def term(t: Node) -> str:
        v = cache.get(t)
        if v is None:
            v = cache[t] = nt_term(t)
        return v

    return "\n".join(f"{term(s)} {term(p)} {term(o)} ." for s, p, o in triples).encode("utf-8")


def parse_nt(nt: str | bytes) -> list[Triple]:
    """N-Triples text -> triples as rdflib terms (the inverse of :func:`nt_document`)."""
    data = nt.encode("utf-8") if isinstance(nt, str) else nt
    return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
            for t in ox.parse(data, ox.RdfFormat.N_TRIPLES, lenient=True)]


_XSD_DATE = f'"^^<{XSD.date}>'
_XSD_INTEGER = f'"^^<{XSD.integer}>'


@lru_cache(maxsize=10_000)
def _valid_iri(iri: str) -> bool:
    """Is ``iri`` an absolute IRI Oxigraph accepts (its own parser decides; cached)?"""
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=1024, typed=True)  # typed: 1, 1.0 and True are different literals
def _other_literal(value: object) -> str:
    """N-Triples of ``Literal(value)`` for the rare Python types not formatted directly
    (float, bool, ...): rdflib decides the lexical form and datatype, as before."""
    return nt_term(Literal(value))


def nt_literal(value: object, lang: str | None = None) -> str:
    """N-Triples of the literal rdflib made for ``value`` in the builder: a date is an
    ``xsd:date``; with a language, the string form tagged; else ``Literal(value)`` (a string is
    plain, an int ``xsd:integer``)."""
    if isinstance(value, dt.date):
        return f'"{value.isoformat()}{_XSD_DATE}'
    if lang:
        return f'"{escape_string(str(value))}"@{lang}'
    cls = type(value)
    if cls is str:
        return f'"{escape_string(value)}"'
    if cls is int:
        return f'"{value}{_XSD_INTEGER}'
    return _other_literal(value)


def nquads(nt: bytes, graph_iri: str) -> bytes:
    """N-Triples text (one triple a line) as N-Quads lines of the graph ``graph_iri`` (a line
    ends " .\\n" only at its end: N-Triples escapes a line break inside a literal)."""
    return (nt.rstrip(b"\n") + b"\n").replace(b" .\n", f" <{graph_iri}> .\n".encode())
