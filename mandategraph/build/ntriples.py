"""N-Triples terms: rdflib <-> Oxigraph term conversion, the N-Triples form of terms and
literals, N-Triples documents and their parsing. The builder writes its graphs with these; the
store loads and the SPARQL parameter binding serialises values with the same functions."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..ingest.source import xml_safe
from .vocab import XSD

Triple = tuple[Node, Node, Node]


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to an Oxigraph term")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


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


def _nt_escape(s: str) -> str:
    return (s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
             .replace("\r", "\\r"))


def nt_term(term: Node) -> str:
    """N-Triples / SPARQL form of a term (used for INSERT DATA)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        body = f'"{_nt_escape(str(term))}"'
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


_VALID_IRIS: dict[str, bool] = {}


def _valid_iri(iri: str) -> bool:
    """Is ``iri`` an absolute IRI Oxigraph accepts (its own parser decides; cached)?"""
    ok = _VALID_IRIS.get(iri)
    if ok is None:
        try:
            ox.NamedNode(iri)
            ok = True
        except ValueError:
            ok = False
        if len(_VALID_IRIS) < 10_000:
            _VALID_IRIS[iri] = ok
    return ok


def _esc(s: str) -> str:
    """Escape a lexical form for N-Triples (the same rules as :func:`nt_term`), with the
    ingest hygiene mapping applied (:func:`~mandategraph.ingest.source.xml_safe`: no
    character XML 1.0 forbids, no Unicode non-character reaches a literal, whatever the
    source)."""
    s = xml_safe(s)
    return (s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
             .replace("\r", "\\r"))


_OTHER_LITERALS: dict[tuple[type, object], str] = {}


def _other_literal(value: object) -> str:
    """N-Triples of ``Literal(value)`` for the rare Python types not formatted directly
    (float, bool, ...): rdflib decides the lexical form and datatype, as before."""
    key = (type(value), value)
    out = _OTHER_LITERALS.get(key)
    if out is None:
        out = _OTHER_LITERALS[key] = nt_term(Literal(value))
    return out


def nt_literal(value: object, lang: str | None = None) -> str:
    """N-Triples of the literal rdflib made for ``value`` in the builder: a date is an
    ``xsd:date``; with a language, the string form tagged; else ``Literal(value)`` (a string is
    plain, an int ``xsd:integer``)."""
    if isinstance(value, dt.date):
        return f'"{value.isoformat()}{_XSD_DATE}'
    if lang:
        return f'"{_esc(str(value))}"@{lang}'
    cls = type(value)
    if cls is str:
        return f'"{_esc(value)}"'
    if cls is int:
        return f'"{value}{_XSD_INTEGER}'
    return _other_literal(value)
