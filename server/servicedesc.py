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
    """Base URL of this server: ``settings.public_url``, else the configured ``base_iri``.

    Never the request's Host header (issue 15: ``Host: evil.example`` put evil.example into
    the dataset description 24 times, and any cache in front would have kept it)."""
    if public:
        return public.rstrip("/")
    mg = getattr(getattr(request, "state", None), "mg", None)  # the router's state, else the app's
    settings = getattr(mg, "settings", None) or getattr(request.app.state, "settings", None)
    return str(getattr(settings, "base_iri", "") or "").rstrip("/")


def description_graph(title: str, endpoint: str, void_url: str, federated: bool = False,
                      named_graphs: list[str] | tuple[str, ...] = (), dataset_iri: str | None = None) -> Graph:
    """What this instance does: SPARQL 1.1 Query here (updates live at /update, behind a
    token), federation only when a service allowlist is configured, and its named graphs; its
    default dataset is ``void:inDataset`` the dataset IRI (``dataset_iri``; the description
    document ``void_url`` is its ``rdfs:seeAlso``)."""
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
    if federated:  # SERVICE to allowlisted IRIs only
        g.add((svc, SD.feature, SD.BasicFederatedQuery))
    ds = BNode("dataset")
    g.add((svc, SD.defaultDataset, ds))
    g.add((ds, RDF.type, SD.Dataset))
    g.add((ds, DCTERMS.title, Literal(title, lang="en")))
    dg = BNode("defaultGraph")
    g.add((ds, SD.defaultGraph, dg))
    g.add((dg, RDF.type, SD.Graph))
    g.add((ds, VOID.inDataset, URIRef(dataset_iri or void_url)))
    g.add((ds, RDFS.seeAlso, URIRef(void_url)))
    for i, name in enumerate(named_graphs):
        ng = BNode(f"ng{i}")
        g.add((ds, SD.namedGraph, ng))
        g.add((ng, RDF.type, SD.NamedGraph))
        g.add((ng, SD.name, URIRef(name)))
    return g


def service_description(state, request: Request, format_param: str | None) -> Response:
    try:
        fmt = negotiate("construct", request.headers.get("accept"), format_param)
    except NotAcceptable as e:
        return PlainTextResponse(str(e) + "\n", status_code=406)
    if fmt in ("trig", "nquads"):
        fmt = "turtle"
    base = (state.settings.public_url or state.settings.base_iri).rstrip("/")
    key = ("sd", base, fmt, state.generation)
    body = state.cache.get(key)
    if body is None:
        g = description_graph(state.settings.title, base + "/sparql", base + "/.well-known/void",
                              federated=bool(state.settings.service_allowlist),
                              named_graphs=named_graphs_of(state),
                              dataset_iri=state.settings.base_iri.rstrip("/") + "/dataset")
        body = serialize_graph(g, fmt)
        state.cache[key] = body
    return Response(body, media_type=media_type(fmt), headers={"Vary": "Accept"})


def named_graphs_of(state) -> list[str]:
    """The store's named graphs (the staging ones of a running build left out)."""
    try:
        names = state.store.named_graphs()
    except Exception:  # noqa: BLE001 - a remote store that cannot list them: none listed
        return []
    return sorted(n for n in names if not n.startswith("urn:mandategraph:staging:"))


__all__ = ["service_description", "description_graph", "public_url"]
