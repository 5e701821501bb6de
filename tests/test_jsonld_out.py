"""The JSON-LD writer keeps every literal's datatype and lexical form (issue 17, point 2): each
kind of literal the project writes, read back by pyld and by rdflib."""

from __future__ import annotations

import json

from pyld import jsonld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from mandategraph.build.jsonld import jsonld_bytes
from mandategraph.export import serialize_graph

from rdf_tools import statements

S = URIRef("https://w3id.org/mandategraph/doc/A/RES/80/1")
UN = "https://w3id.org/mandategraph/ontology#"
VALUES = [
    Literal("1.0", datatype=XSD.decimal), Literal("0.95", datatype=XSD.decimal),
    Literal("1.0", datatype=XSD.double), Literal("1", datatype=XSD.double),
    Literal("2025-09-12", datatype=XSD.date), Literal("2025-09-12T10:00:00Z", datatype=XSD.dateTime),
    Literal("80", datatype=XSD.integer), Literal("007", datatype=XSD.integer),
    Literal("true", datatype=XSD.boolean), Literal("plain"), Literal("中文标题", lang="zh"),
    Literal('quote " and \\ and\nnewline'), Literal("abc", datatype=XSD.hexBinary),
    URIRef("https://undocs.org/A/RES/80/1"), BNode("b1"),
]


def _graph() -> Graph:
    g = Graph()
    g.add((S, RDF.type, URIRef(UN + "Document")))
    for i, v in enumerate(VALUES):
        g.add((S, URIRef(f"{UN}p{i}"), v))
    return g


def test_every_literal_round_trips_through_pyld() -> None:
    g = _graph()
    doc = json.loads(jsonld_bytes(g))
    got = statements(jsonld.to_rdf(doc, {"format": "application/n-quads"}), False)
    want = statements(g.serialize(format="nt"), False)
    named = lambda s: {t for t in s if "_:" not in t}
    assert named(got) == named(want)
    assert len(got) == len(want)
    # no JSON number or boolean stands for a literal
    values = [v for node in doc["@graph"] for k, vs in node.items() if k != "@id" for v in vs]
    assert not [v for v in values if isinstance(v, (bool, int, float))]
    assert {"@value": "1.0", "@type": "xsd:decimal"} in values
    assert {"@value": "2025-09-12", "@type": "xsd:date"} in values


def test_rdflib_reads_it_back_and_export_uses_it() -> None:
    g = _graph()
    data = serialize_graph(g, "jsonld")
    assert data == jsonld_bytes(g)
    back = Graph().parse(data=data, format="json-ld")
    assert len(back) == len(g)
    assert (S, URIRef(UN + "p0"), Literal("1.0", datatype=XSD.decimal)) in back
