"""The reference graph: the curated bodies of ``data/reference/bodies.csv`` as triples, with
their sources, in ``{base}/graph/reference``."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from ..core.reference import bodies
from .iris import Iris
from .ntriples import Triple
from .vocab import ORG, RDF, UN


def iter_reference_triples(iris: Iris | None = None) -> Iterable[Triple]:
    """The reference bodies (data/reference/bodies.csv) as triples, with their sources."""
    iris = iris or Iris()
    for body in bodies().values():
        iri = iris.body(body.key)
        yield iri, RDF.type, UN.Body
        if body.cls != "Body":
            yield iri, RDF.type, UN[body.cls]
        if body.series:
            yield iri, SKOS.notation, Literal(body.series)
        yield iri, SKOS.prefLabel, Literal(body.name_en, lang="en")
        yield iri, RDFS.label, Literal(body.name_en, lang="en")  # what linked-data browsers read
        if body.name_zh:
            yield iri, SKOS.prefLabel, Literal(body.name_zh, lang="zh")
            yield iri, RDFS.label, Literal(body.name_zh, lang="zh")
        for alias in body.aliases_en:
            yield iri, SKOS.altLabel, Literal(alias, lang="en")
        for alias in body.aliases_zh:
            yield iri, SKOS.altLabel, Literal(alias, lang="zh")
        if body.parent:
            yield iri, ORG.subOrganizationOf, iris.body(body.parent)
        yield iri, DCTERMS.source, Literal(body.source)


def reference_graph_iri(iris: Iris | None = None) -> URIRef:
    return URIRef(f"{(iris or Iris()).base}/graph/reference")
