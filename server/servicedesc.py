"""SPARQL 1.1 Service Description (https://www.w3.org/TR/sparql11-service-description/).

Built with rdflib's API from the settings (no Turtle in strings), cached per format.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID

from mandategraph.export import serialize_graph
from mandategraph.core.namespaces import SD

from .conneg import NotAcceptable, media_type, negotiate


def public_url(request: Request, public: str | None) -> str:
    """Base URL of this server as clients see it (settings.public_url, else from the request)."""
    if public:
        return public.rstrip("/")
    return str(request.base_url).rstrip("/")


def description_graph(title: str, endpoint: str, void_url: str, dataset_iri: str | None = None) -> Graph:
    """The service description; its default dataset is ``void:inDataset`` the dataset IRI
    (``dataset_iri``; the description document ``void_url`` is its ``rdfs:seeAlso``)."""
    g = Graph()
    svc = URIRef(endpoint)
    g.add((svc, RDF.type, SD.Service))
    g.add((svc, SD.endpoint, svc))
    g.add((svc, SD.supportedLanguage, SD.SPARQL11Query))  # updates: /update, with a token
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML"):
        g.add((svc, SD.resultFormat, URIRef(f"http://www.w3.org/ns/formats/{fmt}")))
    g.add((svc, SD.resultFormat, URIRef("http://www.w3.org/ns/formats/JSON-LD")))
    g.add((svc, SD.feature, SD.UnionDefaultGraph))
    g.add((svc, SD.feature, SD.BasicFederatedQuery))  # only to allowlisted services
    ds = BNode("dataset")
    g.add((svc, SD.defaultDataset, ds))
    g.add((ds, RDF.type, SD.Dataset))
    g.add((ds, DCTERMS.title, Literal(title, lang="en")))
    dg = BNode("defaultGraph")
    g.add((ds, SD.defaultGraph, dg))
    g.add((dg, RDF.type, SD.Graph))
    g.add((ds, VOID.inDataset, URIRef(dataset_iri or void_url)))
    g.add((ds, RDFS.seeAlso, URIRef(void_url)))
    return g


def service_description(state, request: Request, format_param: str | None) -> Response:
    try:
        fmt = negotiate("construct", request.headers.get("accept"), format_param)
    except NotAcceptable as e:
        return PlainTextResponse(str(e) + "\n", status_code=406)
    if fmt in ("trig", "nquads"):
        fmt = "turtle"
    base = public_url(request, state.settings.public_url)
    key = ("sd", base, fmt)
    body = state.cache.get(key)
    if body is None:
        g = description_graph(state.settings.title, base + "/sparql", base + "/.well-known/void",
                              state.settings.base_iri.rstrip("/") + "/dataset")
        body = serialize_graph(g, fmt)
        state.cache[key] = body
    return Response(body, media_type=media_type(fmt), headers={"Vary": "Accept"})


__all__ = ["service_description", "description_graph", "public_url"]
