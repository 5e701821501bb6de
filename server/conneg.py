"""Content negotiation: Accept headers and ``format=`` values -> one of our format keys.

Result formats (SELECT/ASK) and RDF formats (CONSTRUCT/DESCRIBE, resources) are negotiated
separately, because one Accept header may list both kinds.
"""

from __future__ import annotations

from types import MappingProxyType

from collections.abc import Mapping
from functools import lru_cache

from mandategraph.core.formats import media_type as rdf_media_type, suffix

RESULT_TYPES: Mapping[str, str] = MappingProxyType({
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
})
RDF_TYPES: Mapping[str, str] = MappingProxyType({name: rdf_media_type(name)
                             for name in ("turtle", "ntriples", "jsonld", "rdfxml", "trig", "nquads")})
#: Media types a client may send, -> format key (first entry of each key is the canonical one).
_RESULT_ACCEPT = MappingProxyType({
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
})
_RDF_ACCEPT = MappingProxyType({
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/turtle": "turtle",
    "application/n-triples": "ntriples", "text/plain": "ntriples",
    "application/ld+json": "jsonld", "application/json": "jsonld",
    "application/rdf+xml": "rdfxml", "application/xml": "rdfxml", "text/xml": "rdfxml",
    "application/trig": "trig", "application/n-quads": "nquads",
    # N3 is a superset of Turtle: a Turtle document is a valid N3 document (SPARQLWrapper's N3)
    "text/n3": "turtle", "text/rdf+n3": "turtle", "application/n3": "turtle",
})
#: ``format=`` parameter values.
_FORMAT_PARAM_RESULTS = MappingProxyType({"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv",
                         "tsv": "tsv", **{v: k for k, v in RESULT_TYPES.items()}})
_FORMAT_PARAM_RDF = MappingProxyType({"turtle": "turtle", "ttl": "turtle", "nt": "ntriples", "ntriples": "ntriples",
                     "n-triples": "ntriples", "jsonld": "jsonld", "json-ld": "jsonld",
                     "json": "jsonld", "rdfxml": "rdfxml", "rdf": "rdfxml", "xml": "rdfxml",
                     "trig": "trig", "nquads": "nquads", "nq": "nquads", "n3": "turtle",
                     "text/n3": "turtle", **{v: k for k, v in RDF_TYPES.items()}})

#: File suffixes of linked-data resources.
SUFFIXES = MappingProxyType({suffix(name): name for name in ("turtle", "jsonld", "ntriples", "rdfxml")})


class NotAcceptable(Exception):
    """No format both sides can use; the message lists what the server offers."""


@lru_cache(maxsize=256)
def parse_accept(accept: str) -> tuple[tuple[str, float], ...]:
    """Media ranges by descending preference (q, then specificity, then order)."""
    items = []
    for pos, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mt = fields[0].lower()
        if not mt:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        spec = 0 if mt == "*/*" else (1 if mt.endswith("/*") else 2)
        items.append((-q, -spec, pos, mt, q))
    items.sort()
    return tuple((mt, q) for _, _, _, mt, q in items)


def _pick(accept: str | None, table: dict[str, str], default: str,
          extra: tuple[str, ...] = ()) -> str | None:
    if not accept:
        return default
    for mt, q in parse_accept(accept):
        if q <= 0:
            continue
        if mt in extra:
            return mt
        if mt in table:
            return table[mt]
        if mt == "*/*":
            return default
        if mt.endswith("/*"):
            major = mt[:-1]
            for key, fmt in table.items():
                if key.startswith(major):
                    return fmt
    return None


@lru_cache(maxsize=512)
def negotiate(kind: str, accept: str | None, format_param: str | None) -> str:
    """Format key for a query of ``kind`` (select|ask|construct|describe)."""
    results = kind in ("select", "ask")
    if format_param:
        # SPARQLWrapper sends several (``format=json-ld&format=application/ld+json,...``):
        # the first value we know wins; when none is known, the Accept header decides.
        table = _FORMAT_PARAM_RESULTS if results else _FORMAT_PARAM_RDF
        fmt = next((table[v.strip().lower()] for v in format_param.split(",")
                    if v.strip().lower() in table), None)
        if fmt is not None:
            return fmt
        if not accept:
            raise NotAcceptable(f"unknown format {format_param!r}; use one of "
                                f"{', '.join(sorted(set(table.values())))}")
    if results:
        fmt = _pick(accept, _RESULT_ACCEPT, "json")
        offered = RESULT_TYPES
    else:
        fmt = _pick(accept, _RDF_ACCEPT, "turtle")
        offered = RDF_TYPES
    if fmt is None:
        raise NotAcceptable(f"cannot answer with {accept!r}; this query can be answered as "
                            f"{', '.join(offered.values())}")
    return fmt


def negotiate_both(accept: str | None, format_param: str | None) -> tuple[str | None, str | None, str]:
    """(results format, graph format, why one is missing) for a query whose form the engine
    will tell: negotiation for both kinds up front, the worker picks by the result."""
    out: list[str | None] = []
    why = ""
    for kind in ("select", "construct"):
        try:
            out.append(negotiate(kind, accept, format_param))
        except NotAcceptable as e:
            out.append(None)
            why = why or str(e)
    return out[0], out[1], why


def media_type(fmt: str) -> str:
    mt = RESULT_TYPES.get(fmt) or RDF_TYPES[fmt]
    return mt + "; charset=utf-8" if mt.startswith("text/") or mt.endswith(("json", "xml")) else mt


def negotiate_resource(accept: str | None) -> str:
    """Linked-data resource: 'html' or an RDF format key (browsers get HTML)."""
    fmt = _pick(accept, {**_RDF_ACCEPT, "text/html": "html", "application/xhtml+xml": "html"},
                "html")
    if fmt is None:
        raise NotAcceptable(f"cannot answer with {accept!r}; resources are served as text/html, "
                            + ", ".join(RDF_TYPES[k] for k in ("turtle", "jsonld", "ntriples", "rdfxml")))
    if fmt in ("trig", "nquads"):
        return "turtle" if fmt == "trig" else "ntriples"
    return fmt
