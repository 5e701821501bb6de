"""Issue 15's protocol points (in-process app over the sample): HEAD on every GET route,
``format=`` only when known, ``text/n3`` as Turtle, CORS preflights asking for any header, an
honest service description, and absolute IRIs from the configured base, never from Host."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from fixtures_server import BASE, make_client

SD = "http://www.w3.org/ns/sparql-service-description#"
ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3"


@pytest.fixture(scope="module")
def c():
    with make_client(public_url=None) as client:
        yield client


def test_head_on_every_get_route(c):
    spec = c.get("/openapi.json").json()["paths"]
    paths = {p for p, ops in spec.items() if "get" in ops and "{" not in p}
    paths |= {"/doc/A/71/100", "/sparql?query=ASK%7B%7D", "/queries/lineage?symbol=A/RES/72/9"}
    assert len(paths) > 8
    for path in sorted(paths):
        get, head = c.get(path), c.head(path)
        if get.status_code >= 400 and get.status_code != 404:
            continue  # routes needing parameters answer their 4xx to both
        assert head.status_code == get.status_code, (path, head.status_code, get.status_code)
        assert head.content == b""


def test_unknown_format_parameter_leaves_it_to_accept(c):
    r = c.get("/sparql", params={"query": CONSTRUCT, "format": "n3"}, headers={"Accept": "text/n3"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    r = c.get("/sparql", params={"query": ASK, "format": "application/x-unknown"},
              headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 200 and "xml" in r.headers["content-type"]


def test_text_n3_is_served_as_turtle(c):
    r = c.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/n3"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    Graph().parse(data=r.text, format="n3")


@pytest.mark.parametrize("header", ["x-requested-with", "cache-control", "x-custom-thing"])
def test_cors_preflight_allows_any_requested_header(c, header):
    r = c.options("/sparql", headers={"Origin": "https://client.example",
                                      "Access-Control-Request-Method": "POST",
                                      "Access-Control-Request-Headers": f"content-type, {header}"})
    assert r.status_code == 200, r.text
    assert header in r.headers["access-control-allow-headers"].lower()


def test_service_description_is_honest(c):
    r = c.get("/sparql", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.text, format="turtle")
    features = {str(o) for o in g.objects(None, URIRef(SD + "feature"))}
    assert SD + "BasicFederatedQuery" not in features  # no allowlist: no federation
    names = {str(o) for o in g.objects(None, URIRef(SD + "name"))}
    assert any(n.startswith(BASE) for n in names), names  # its named graphs are listed
    with make_client(service_allowlist=("https://query.wikidata.org/sparql",)) as fed:
        g2 = Graph().parse(data=fed.get("/sparql", headers={"Accept": "text/turtle"}).text, format="turtle")
        assert SD + "BasicFederatedQuery" in {str(o) for o in g2.objects(None, URIRef(SD + "feature"))}


@pytest.mark.parametrize("path", ["/sparql", "/.well-known/void"])
def test_absolute_iris_never_come_from_the_host_header(c, path):
    r = c.get(path, headers={"Host": "evil.example", "Accept": "text/turtle"})
    assert r.status_code == 200, r.text[:200]
    assert "evil.example" not in r.text
    g = Graph().parse(data=r.text, format="turtle")
    assert len(g) > 0 and (None, RDF.type, None) in g
