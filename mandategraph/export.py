"""Export: the store as TriG, N-Quads (named graphs and provenance kept), Turtle, JSON-LD, RDF/XML.

Turtle, JSON-LD and RDF/XML carry one graph, so they get the union of all named graphs.
JSON-LD is written with an inline context of our prefixes: no remote contexts, ever.
"""

from __future__ import annotations

from typing import IO

from rdflib import Dataset, Graph

from .namespaces import PREFIXES
from .store import OxigraphStore, Store

FORMATS = ("trig", "nquads", "turtle", "jsonld", "rdfxml")
MEDIA_TYPES = {
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "ntriples": "application/n-triples",
}
SUFFIXES = {"trig": ".trig", "nquads": ".nq", "turtle": ".ttl", "jsonld": ".jsonld",
            "rdfxml": ".rdf", "ntriples": ".nt"}


def bind_prefixes(g: Graph | Dataset) -> None:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)


def serialize_graph(g: Graph, fmt: str) -> bytes:
    """One rdflib graph in a named format (turtle, jsonld, rdfxml, ntriples)."""
    bind_prefixes(g)
    if fmt == "jsonld":
        context = {p: str(ns) for p, ns in PREFIXES.items()}
        return g.serialize(format="json-ld", context=context, auto_compact=True).encode("utf-8")
    rdflib_fmt = {"turtle": "turtle", "rdfxml": "xml", "ntriples": "nt"}[fmt]
    out = g.serialize(format=rdflib_fmt)
    return out.encode("utf-8") if isinstance(out, str) else out


def export_store(store: Store, fmt: str, out: IO[bytes]) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt in ("trig", "nquads") and isinstance(store, OxigraphStore):
        store.dump(out, fmt)
        return
    if fmt in ("trig", "nquads"):
        ds = store.dataset()
        bind_prefixes(ds)
        data = ds.serialize(format=fmt)
        out.write(data.encode("utf-8") if isinstance(data, str) else data)
        return
    out.write(serialize_graph(store.union_graph(), fmt))
