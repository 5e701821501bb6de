"""What the store holds, described for catalogues and crawlers: DCAT-AP 3 + VoID.

One graph, built with rdflib's API from the store's own statistics:

- a ``dcat:Catalog`` with its publisher (``foaf:Agent``; configurable, default: the
  mandategraph project at ``{base}/publisher``), the dataset and the SPARQL service;
- the ``dcat:Dataset`` / ``void:Dataset``: title, description, publisher, licence
  (``dct:LicenseDocument``), languages the data has (``dct:LinguisticSystem``, EU authority
  IRIs), keywords, landing page (``foaf:Document``), ``dct:conformsTo`` the ontology
  (``dct:Standard``), one ``dcat:Distribution`` per dump (media type ``dct:MediaType``, size,
  SHA-256 as ``spdx:Checksum``, the syntax's W3C recommendation as ``dct:conformsTo``) and one
  for the SPARQL service (``dcat:DataService``);
- VoID: distinct-triple count of the dataset as one graph (``void:triples``; the quads of all
  named graphs are ``un:quads``), distinct subjects/objects, every vocabulary used
  (namespaces of the predicates and classes), ``void:uriSpace``, class and property partitions,
  and the linksets to the UN's resolver (``https://undocs.org/<symbol>``) and to the UN Digital
  Library search (``rdfs:seeAlso`` links written by the build);
- each source graph as a ``prov:Entity`` with its file name and SHA-256 (``un:sourceFile``,
  ``un:sha256``), ``void:inDataset`` the dataset (not ``dct:source``: DCAT-AP reads that as
  "derived from another dataset").

Why no ``dcat:compressFormat`` on the gzip dumps: DCAT 3 makes it (like ``dcat:mediaType``) a
sub-property of ``dct:format``, of which DCAT-AP 3.0.0 allows one per distribution, so with
the RDFS background the validator needs, a distribution with both has two formats. The gzip
is stated in the distribution's title and description instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, FOAF, PROV, RDF, RDFS, VOID, XSD, Namespace
from rdflib.namespace import DCTERMS as DCT

from ..core.namespaces import PREFIXES, UN
from ..core.resources import read_text
from .interface import Store

SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "http://www.iana.org/assignments/media-types/"
EU_LANG = "http://publications.europa.eu/resource/authority/language/"
#: BCP 47 primary tag -> EU language authority code (Publications Office, "Language" authority
#: table, https://op.europa.eu/en/web/eu-vocabularies/dataset/-/resource?uri=http://publications.europa.eu/resource/dataset/language)
EU_LANGUAGE_CODES = {"ar": "ARA", "zh": "ZHO", "en": "ENG", "fr": "FRA", "ru": "RUS", "es": "SPA",
                     "de": "DEU", "pt": "POR"}
#: format key -> the W3C recommendation its syntax follows (dct:conformsTo of a distribution)
SYNTAX_STANDARDS = {
    "trig": "http://www.w3.org/TR/trig/",
    "nquads": "http://www.w3.org/TR/n-quads/",
    "turtle": "http://www.w3.org/TR/turtle/",
    "jsonld": "http://www.w3.org/TR/json-ld11/",
    "rdfxml": "http://www.w3.org/TR/rdf-syntax-grammar/",
}
SPARQL_PROTOCOL = "http://www.w3.org/TR/sparql11-protocol/"
UNDOCS = "https://undocs.org/"
DIGITAL_LIBRARY = "https://digitallibrary.un.org/"
#: most source graphs listed one by one (beyond that the dumps list them)
MAX_SOURCES = 1000


@dataclass(frozen=True)
class Publisher:
    """Who publishes the catalogue and the dataset (``dct:publisher``, a ``foaf:Agent``).
    ``iri`` None: ``{base}/publisher``."""

    name: str = "mandategraph"
    iri: str | None = None
    homepage: str | None = None


class DumpLike(Protocol):
    name: str
    fmt: str
    media_type: str
    size: int
    sha256: str
    modified: float


def _ts(t: float | None = None) -> Literal:
    when = dt.datetime.fromtimestamp(t, dt.UTC) if t else dt.datetime.now(dt.UTC)
    return Literal(when.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def _int(n: object) -> Literal:
    return Literal(int(n), datatype=XSD.integer)


def _typed(g: Graph, iri: str, cls: URIRef) -> URIRef:
    node = URIRef(iri)
    g.add((node, RDF.type, cls))
    return node


def namespace_of(iri: str) -> str | None:
    """The vocabulary an IRI belongs to: a known prefix's namespace, else up to its last # or /."""
    for ns in sorted((str(n) for n in PREFIXES.values()), key=len, reverse=True):
        if iri.startswith(ns):
            return ns
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1] if cut > 8 else None


def vocabularies(iris: Iterable[str], base: str) -> list[str]:
    """Namespaces of the predicates and classes used (the project's vocabularies, and any other
    namespace outside the data's own IRI space)."""
    known = {str(n) for n in PREFIXES.values()}
    out = set()
    for i in iris:
        ns = namespace_of(i)
        if ns and (ns in known or not ns.startswith(base + "/")):
            out.add(ns)
    return sorted(out)


def dataset_graph(store: Store, *, base_iri: str, public_url: str | None = None,
                  dumps: list[DumpLike] | None = None, license: str, title: str,
                  publisher: Publisher | None = None) -> Graph:
    base = base_iri.rstrip("/")
    url = (public_url or base).rstrip("/")
    pub = publisher or Publisher()
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    g.bind("foaf", FOAF)
    g.bind("spdx", SPDX)

    catalog = _typed(g, f"{base}/catalog", DCAT.Catalog)
    ds = _typed(g, f"{base}/dataset", DCAT.Dataset)
    g.add((ds, RDF.type, VOID.Dataset))
    service = _typed(g, url + "/sparql", DCAT.DataService)
    agent = _typed(g, pub.iri or f"{base}/publisher", FOAF.Agent)
    g.add((agent, RDF.type, FOAF.Organization))
    g.add((agent, FOAF.name, Literal(pub.name, lang="en")))
    if pub.homepage:
        g.add((agent, FOAF.homepage, _typed(g, pub.homepage, FOAF.Document)))
    lic = _typed(g, license, DCT.LicenseDocument)
    landing = _typed(g, url + "/", FOAF.Document)
    ontology = _typed(g, str(UN).rstrip("#"), DCT.Standard)
    g.add((ontology, DCT.title, Literal("mandategraph ontology", lang="en")))
    now = _ts()

    # the catalogue
    g.add((catalog, DCT.title, Literal(f"{title} (catalogue)", lang="en")))
    g.add((catalog, DCT.description, Literal(
        "Catalogue of the mandategraph linked-data publication: the dataset, its dumps and "
        "its SPARQL service.", lang="en")))
    g.add((catalog, DCT.publisher, agent))
    g.add((catalog, DCAT.dataset, ds))
    g.add((catalog, DCAT.service, service))
    g.add((catalog, FOAF.homepage, landing))
    g.add((catalog, DCT.license, lic))
    g.add((catalog, DCT.modified, now))

    # the dataset (DCAT)
    g.add((ds, DCT.title, Literal(title, lang="en")))
    g.add((ds, DCT.description, Literal(
        "United Nations documents keyed by their symbols, with the instruments (resolutions, "
        "decisions) and mandates they carry, sessions, agenda items and bodies; every extracted "
        "statement keeps its provenance (source, quote, character offsets, rule).", lang="en")))
    g.add((ds, DCT.publisher, agent))
    g.add((ds, DCT.license, lic))
    g.add((ds, DCT.modified, now))
    g.add((ds, DCT.conformsTo, ontology))
    for kw in ("United Nations", "document symbols", "mandates", "resolutions", "linked data"):
        g.add((ds, DCAT.keyword, Literal(kw, lang="en")))
    g.add((ds, DCAT.landingPage, landing))
    g.add((ds, FOAF.homepage, landing))
    for lang, _n in store.select(read_text("queries", "_languages.rq")).rows:
        code = EU_LANGUAGE_CODES.get(str(lang).split("-")[0])
        if code:
            g.add((ds, DCT.language, _typed(g, EU_LANG + code, DCT.LinguisticSystem)))

    # the SPARQL service and its distribution
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCAT.endpointDescription, service))
    g.add((service, DCT.conformsTo, _typed(g, SPARQL_PROTOCOL, DCT.Standard)))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, DCT.title, Literal("SPARQL 1.1 endpoint", lang="en")))
    g.add((service, DCT.publisher, agent))
    g.add((service, DCT.license, lic))
    sparql_dist = _typed(g, url + "/sparql#distribution", DCAT.Distribution)
    g.add((ds, DCAT.distribution, sparql_dist))
    g.add((sparql_dist, DCAT.accessURL, service))
    g.add((sparql_dist, DCAT.accessService, service))
    g.add((sparql_dist, DCT.license, lic))
    g.add((sparql_dist, DCT.title, Literal("SPARQL 1.1 endpoint", lang="en")))
    g.add((sparql_dist, DCT.conformsTo, URIRef(SPARQL_PROTOCOL)))

    # the dumps
    for f in dumps or []:
        dist = _typed(g, f"{url}/dumps/{f.name}", DCAT.Distribution)
        g.add((ds, VOID.dataDump, dist))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, DCAT.downloadURL, dist))
        g.add((dist, DCAT.accessURL, URIRef(url + "/dumps/")))
        g.add((dist, DCAT.mediaType, _typed(g, IANA + f.media_type, DCT.MediaType)))
        if f.fmt in SYNTAX_STANDARDS:
            g.add((dist, DCT.conformsTo, _typed(g, SYNTAX_STANDARDS[f.fmt], DCT.Standard)))
        g.add((dist, DCAT.byteSize, Literal(f.size, datatype=XSD.nonNegativeInteger)))
        checksum = BNode(f"checksum-{f.name}")
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, _typed(g, str(SPDX.checksumAlgorithm_sha256),
                                                 SPDX.ChecksumAlgorithm)))
        g.add((checksum, SPDX.checksumValue, Literal(f.sha256, datatype=XSD.hexBinary)))
        g.add((dist, DCT.license, lic))
        g.add((dist, DCT.title, Literal(f"{title} ({f.fmt}, gzip)", lang="en")))
        g.add((dist, DCT.description, Literal(
            f"The whole dataset as {f.fmt}, gzip-compressed ({f.media_type} inside "
            "application/gzip).", lang="en")))
        g.add((dist, DCT.modified, _ts(f.modified)))

    _void(g, store, ds, base, url)
    _sources(g, store, ds)
    return g


def _void(g: Graph, store: Store, ds: URIRef, base: str, url: str) -> None:
    """VoID statistics of the dataset taken as one graph (distinct triples)."""
    g.add((ds, VOID.uriSpace, Literal(base + "/")))
    g.add((ds, VOID.sparqlEndpoint, URIRef(url + "/sparql")))
    g.add((ds, VOID.rootResource, URIRef(base + "/graph/reference")))
    g.add((ds, UN.quads, _int(store.count())))
    props = store.select(read_text("queries", "_void-properties.rq")).rows
    classes = store.select(read_text("queries", "_void-classes.rq")).rows
    total = sum(int(r[1]) for r in props)
    g.add((ds, VOID.triples, _int(total)))
    g.add((ds, VOID.properties, _int(len(props))))
    g.add((ds, VOID.classes, _int(len(classes))))
    stats = store.select("SELECT (COUNT(DISTINCT ?s) AS ?s_) (COUNT(DISTINCT ?o) AS ?o_) "
                         "WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    if stats:
        g.add((ds, VOID.distinctSubjects, _int(stats[0][0])))
        g.add((ds, VOID.distinctObjects, _int(stats[0][1])))
    used = [str(r[0]) for r in props] + [str(r[0]) for r in classes]
    for ns in vocabularies(used, base):
        g.add((ds, VOID.vocabulary, URIRef(ns)))
    for prop, n, subjects, objects in props:
        part = BNode(f"property-{_slug(str(prop))}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, _int(n)))
        g.add((part, VOID.distinctSubjects, _int(subjects)))
        g.add((part, VOID.distinctObjects, _int(objects)))
    for cls, n in classes:
        part = BNode(f"class-{_slug(str(cls))}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, _int(n)))
    links = {str(k): int(n) for k, n in store.select(read_text("queries", "_void-links.rq")).rows}
    for key, target_iri, name in (
            ("undocs", UNDOCS, "UN Official Document System (undocs.org resolver)"),
            ("digitallibrary", DIGITAL_LIBRARY, "United Nations Digital Library")):
        target = _typed(g, target_iri, VOID.Dataset)
        g.add((target, DCT.title, Literal(name, lang="en")))
        g.add((target, FOAF.homepage, URIRef(target_iri)))
        g.add((target, VOID.uriSpace, Literal(target_iri)))
        ls = _typed(g, f"{base}/dataset/linkset/{key}", VOID.Linkset)
        g.add((ds, VOID.subset, ls))
        g.add((ls, VOID.subjectsTarget, ds))
        g.add((ls, VOID.objectsTarget, target))
        g.add((ls, VOID.linkPredicate, RDFS.seeAlso))
        g.add((ls, VOID.triples, _int(links.get(key, 0))))


def _sources(g: Graph, store: Store, ds: URIRef) -> None:
    rows = store.select(read_text("queries", "_source-graphs.rq")).rows
    g.add((ds, VOID.documents, _int(len(rows))))
    for graph, digest, file in rows[:MAX_SOURCES]:
        g.add((graph, RDF.type, PROV.Entity))
        g.add((graph, RDF.type, UN.SourceGraph))
        g.add((graph, UN.sourceFile, file))
        g.add((graph, UN.sha256, digest))
        g.add((graph, VOID.inDataset, ds))


def _slug(iri: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in iri[-60:])
