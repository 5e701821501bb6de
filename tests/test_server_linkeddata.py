"""Dereferenceable IRIs: content negotiation, suffixes, Link headers, 404 with a search link."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from fixtures_server import BASE

UN = Namespace("https://w3id.org/mandategraph/ontology#")
DOC = f"{BASE}/doc/A/71/100"


def graph_of(resp, fmt: str) -> Graph:
    return Graph().parse(data=resp.content, format=fmt)


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                        ("application/n-triples", "nt"), ("application/rdf+xml", "xml")])
def test_conneg(client, accept, fmt):
    r = client.get("/doc/A/71/100", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = graph_of(r, fmt)
    assert (URIRef(DOC), UN.symbol, Literal("A/71/100")) in g
    # statements pointing at the resource are part of its description
    assert (URIRef(f"{BASE}/instrument/ga/resolution/70-1/mandate/op-90"), UN.fulfilledBy, URIRef(DOC)) in g
    assert "Accept" in r.headers["vary"]


@pytest.mark.parametrize("suffix,ctype,fmt", [(".ttl", "text/turtle", "turtle"),
                                              (".jsonld", "application/ld+json", "json-ld"),
                                              (".nt", "application/n-triples", "nt"),
                                              (".rdf", "application/rdf+xml", "xml")])
def test_suffixes(client, suffix, ctype, fmt):
    r = client.get("/doc/A/71/100" + suffix, headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith(ctype)
    assert (URIRef(DOC), UN.symbol, Literal("A/71/100")) in graph_of(r, fmt)


def test_link_alternates(client):
    r = client.get("/doc/A/71/100", headers={"Accept": "text/turtle"})
    link = r.headers["link"]
    for suffix, ctype in ((".ttl", "text/turtle"), (".jsonld", "application/ld+json"),
                          (".nt", "application/n-triples"), (".rdf", "application/rdf+xml")):
        assert f'</doc/A/71/100{suffix}>; rel="alternate"; type="{ctype}"' in link
    assert '</doc/A/71/100>; rel="alternate"; type="text/html"' in link


def test_html_for_browsers(client):
    r = client.get("/doc/A/71/100", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "A/71/100" in r.text
    assert "rel=\"alternate\"" in r.headers["link"]


def test_symbol_with_a_dot_is_not_a_suffix(client):
    r = client.get("/doc/CTOC/COP/2024/CRP.3", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert (URIRef(f"{BASE}/doc/CTOC/COP/2024/CRP.3"), UN.symbol, Literal("CTOC/COP/2024/CRP.3")) in graph_of(r, "turtle")
    r = client.get("/doc/CTOC/COP/2024/CRP.3.ttl")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize("path,iri", [
    ("/instrument/ga/resolution/70-1", f"{BASE}/instrument/ga/resolution/70-1"),
    ("/body/ga/session/71", f"{BASE}/body/ga/session/71"),
    ("/body/ga", f"{BASE}/body/ga"),
    ("/graph/A/71/100/@en", f"{BASE}/graph/A/71/100/@en"),
    ("/instrument/ga/resolution/70-1/mandate/op-90", f"{BASE}/instrument/ga/resolution/70-1/mandate/op-90"),
])
def test_every_minted_kind_dereferences(client, path, iri):
    r = client.get(path + ".nt")
    assert r.status_code == 200, path
    assert any(s == URIRef(iri) for s in graph_of(r, "nt").subjects())


def test_unknown_iri_is_404_with_search_link(client):
    r = client.get("/doc/A/99/999", headers={"Accept": "text/turtle"})
    assert r.status_code == 404
    assert 'rel="search"' in r.headers["link"] and "/search?q=" in r.headers["link"]
    html = client.get("/doc/A/99/999", headers={"Accept": "text/html"})
    assert html.status_code == 404 and 'href="/search?q=A/99/999"' in html.text


def test_not_acceptable(client):
    assert client.get("/doc/A/71/100", headers={"Accept": "image/png"}).status_code == 406


def test_cors_on_resources(client):
    r = client.get("/doc/A/71/100.ttl", headers={"Origin": "https://portal.example"})
    assert r.headers["access-control-allow-origin"] == "*"
