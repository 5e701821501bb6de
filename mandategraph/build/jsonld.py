"""JSON-LD output that keeps every literal's datatype and lexical form.

rdflib's JSON-LD serializer writes ``xsd:double``, ``xsd:integer`` and ``xsd:boolean`` literals
as JSON numbers and booleans whenever a context is given (its ``use_native_types`` switch is
always on), and a JSON-LD processor reads a JSON number back by its own rules: ``1.0`` became
``xsd:integer 1`` in pyld, which the project's shape then rejected. This writer states every
typed literal as a value object (``{"@value": "1.0", "@type": "xsd:double"}``), plain strings
as JSON strings, language strings with ``@language``; nodes are flattened into ``@graph``
(one object per subject, sorted, so the same graph gives the same bytes). The context is
inline (the project's prefixes): no remote context, ever.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..core.namespaces import PREFIXES

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class _Compactor:
    """IRI -> ``prefix:local`` for the project's prefixes (longest namespace first)."""

    def __init__(self, prefixes: dict[str, str]):
        self.spaces = sorted(((ns, p) for p, ns in prefixes.items()), key=lambda x: -len(x[0]))
        self.cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        out = self.cache.get(iri)
        if out is None:
            out = iri
            for ns, p in self.spaces:
                local = iri[len(ns):]
                # a compact IRI whose suffix starts with "//" is read as an absolute IRI
                if iri.startswith(ns) and local and not local.startswith("//"):
                    out = f"{p}:{local}"
                    break
            if len(self.cache) < 100_000:
                self.cache[iri] = out
        return out


def _ref(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def jsonld_bytes(triples: Iterable[tuple[Node, Node, Node]],
                 prefixes: dict[str, str] | None = None) -> bytes:
    """The triples as one JSON-LD document (``@context`` + ``@graph``), UTF-8."""
    ctx = {p: str(ns) for p, ns in (prefixes or PREFIXES).items()}
    compact = _Compactor(ctx)
    nodes: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        node = nodes[_ref(s)]
        if str(p) == _RDF_TYPE and isinstance(o, (URIRef, BNode)):
            node["@type"].append(compact(str(o)) if isinstance(o, URIRef) else _ref(o))
            continue
        if isinstance(o, Literal):
            if o.language:
                value: object = {"@value": str(o), "@language": o.language}
            elif o.datatype is None or str(o.datatype) == _XSD_STRING:
                value = str(o)
            else:
                value = {"@value": str(o), "@type": compact(str(o.datatype))}
        else:
            value = {"@id": _ref(o)}
        node[compact(str(p))].append(value)
    graph = []
    for subject in sorted(nodes):
        props = nodes[subject]
        obj: dict[str, object] = {"@id": subject}
        for key in sorted(props, key=lambda k: (k != "@type", k)):
            values = props[key]
            values.sort(key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
            obj[key] = values
        graph.append(obj)
    doc = {"@context": ctx, "@graph": graph}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
