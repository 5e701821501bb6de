"""Namespaces used across the project: one rdflib Namespace per vocabulary."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD, PROV, DCAT, VOID, ORG

#: The project's own vocabulary. Fixed, unlike the data base IRI (a configuration value).
UN = Namespace("https://w3id.org/mandategraph/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")
UNDO = Namespace("https://w3id.org/un/ontology/undo/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SCHEMA = Namespace("https://schema.org/")

#: Default base for minted data IRIs; override with MANDATEGRAPH_BASE or --base.
DEFAULT_BASE = "https://w3id.org/mandategraph"

PREFIXES: dict[str, Namespace] = {
    "un": UN,
    "oa": OA,
    "eli": ELI,
    "fabio": FABIO,
    "cito": CITO,
    "undo": UNDO,
    "prov": PROV,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "org": ORG,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "dcat": DCAT,
    "void": VOID,
    "sd": SD,
    "schema": SCHEMA,
}

__all__ = [
    "UN", "OA", "ELI", "FABIO", "CITO", "UNDO", "SH", "SD", "SCHEMA", "PROV", "DCTERMS",
    "SKOS", "ORG", "OWL", "RDF", "RDFS", "XSD", "DCAT", "VOID", "DEFAULT_BASE", "PREFIXES",
]
