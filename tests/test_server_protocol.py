"""SPARQL 1.1 Protocol conformance, modelled on the W3C protocol tests
(https://w3c.github.io/rdf-tests/sparql/sparql11/protocol/): each method, each format, the
dataset parameters, the error cases; plus the service description, CORS and the caps."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from fixtures_server import BASE

UN = Namespace("https://w3id.org/mandategraph/ontology#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SELECT_SYMBOLS = ("PREFIX un: <https://w3id.org/mandategraph/ontology#> "
                  "SELECT ?d ?s WHERE { ?d a un:Report ; un:symbol ?s } ORDER BY ?s")
CONSTRUCT = ("PREFIX un: <https://w3id.org/mandategraph/ontology#> "
             "CONSTRUCT { ?d un:mandatedBy ?i } WHERE { ?d un:mandatedBy ?i }")
ASK = "PREFIX un: <https://w3id.org/mandategraph/ontology#> ASK { ?d un:symbol \"A/71/100\" }"
FORM = "application/x-www-form-urlencoded"
SRJ = "application/sparql-results+json"


def symbols_of(resp) -> list[str]:
    return [b["s"]["value"] for b in resp.json()["results"]["bindings"]]


# ------------------------------------------------------------------ query operation, 3 ways
def test_query_get(client):
    r = client.get("/sparql", params={"query": SELECT_SYMBOLS}, headers={"Accept": SRJ})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(SRJ)
    assert symbols_of(r) == ["A/71/100", "A/73/200"]


def test_query_post_form(client):
    r = client.post("/sparql", data={"query": SELECT_SYMBOLS}, headers={"Accept": SRJ})
    assert r.status_code == 200 and symbols_of(r) == ["A/71/100", "A/73/200"]


def test_query_post_direct(client):
    r = client.post("/sparql", content=SELECT_SYMBOLS.encode(),
                    headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": SRJ})
    assert r.status_code == 200 and symbols_of(r) == ["A/71/100", "A/73/200"]


def test_default_graph_is_union_of_named_graphs(client):
    r = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) > 50


# ------------------------------------------------------------------ dataset
def test_default_graph_uri_parameter(client):
    g = f"{BASE}/graph/A/RES/71/5/@en"
    r = client.get("/sparql", params={"query": "SELECT DISTINCT ?s { ?s ?p ?o } ORDER BY ?s",
                                      "default-graph-uri": g})
    subjects = [b["s"]["value"] for b in r.json()["results"]["bindings"]]
    assert subjects == [g, f"{BASE}/instrument/ga/resolution/71-5", f"{BASE}/instrument/ga/resolution/72-9"]


def test_named_graph_uri_parameter(client):
    g1, g2 = f"{BASE}/graph/A/RES/71/5/@en", f"{BASE}/graph/A/71/100/@en"
    r = client.post("/sparql", data={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
                                     "named-graph-uri": [g1, g2]})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == sorted([g1, g2])


def test_from_in_query_with_local_graph(client):
    g = f"{BASE}/graph/A/71/100/@en"
    q = f"PREFIX un: <{UN}> SELECT ?s FROM <{g}> {{ ?d un:symbol ?s }} ORDER BY ?s"
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 200
    assert [b["s"]["value"] for b in r.json()["results"]["bindings"]] == ["A/71/100", "A/73/200", "CTOC/COP/2024/CRP.3"]


def test_foreign_graph_parameter_refused(client):
    r = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "http://example.org/g"})
    assert r.status_code == 403


# ------------------------------------------------------------------ result formats
def test_select_xml(client):
    r = client.get("/sparql", params={"query": SELECT_SYMBOLS}, headers={"Accept": "application/sparql-results+xml"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(r.content)
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["d", "s"]
    assert [e.text for e in root.findall(".//r:binding[@name='s']/r:literal", ns)] == ["A/71/100", "A/73/200"]


def test_select_csv(client):
    r = client.get("/sparql", params={"query": SELECT_SYMBOLS}, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows == [["d", "s"], [f"{BASE}/doc/A/71/100", "A/71/100"], [f"{BASE}/doc/A/73/200", "A/73/200"]]


def test_select_tsv(client):
    r = client.get("/sparql", params={"query": SELECT_SYMBOLS}, headers={"Accept": "text/tab-separated-values"})
    lines = r.text.splitlines()
    assert lines[0] == "?d\t?s"
    assert lines[1] == f'<{BASE}/doc/A/71/100>\t"A/71/100"'


def test_language_and_datatype_in_json(client):
    q = (f"PREFIX un: <{UN}> SELECT ?t ?date {{ <{BASE}/doc/A/71/100> un:title ?t ; un:date ?date "
         "FILTER(lang(?t) = 'zh') }")
    b = client.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]
    assert b["t"] == {"type": "literal", "value": "秘书长的进展报告", "xml:lang": "zh"}
    assert b["date"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"


@pytest.mark.parametrize("fmt,ctype", [("json", SRJ), ("xml", "application/sparql-results+xml"),
                                       ("csv", "text/csv"), ("tsv", "text/tab-separated-values")])
def test_format_parameter_overrides_accept(client, fmt, ctype):
    r = client.get("/sparql", params={"query": SELECT_SYMBOLS, "format": fmt}, headers={"Accept": SRJ})
    assert r.status_code == 200 and r.headers["content-type"].startswith(ctype)


@pytest.mark.parametrize("accept,check", [(SRJ, lambda r: r.json()["boolean"] is True),
                                          ("application/sparql-results+xml", lambda r: b"<boolean>true</boolean>" in r.content)])
def test_ask(client, accept, check):
    r = client.get("/sparql", params={"query": ASK}, headers={"Accept": accept})
    assert r.status_code == 200 and check(r)


@pytest.mark.parametrize("accept,rdflib_fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                               ("application/ld+json", "json-ld"),
                                               ("application/rdf+xml", "xml")])
def test_construct_formats(client, accept, rdflib_fmt):
    r = client.post("/sparql", data={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = Graph().parse(data=r.content, format=rdflib_fmt)
    assert (URIRef(f"{BASE}/doc/A/71/100"), UN.mandatedBy, URIRef(f"{BASE}/instrument/ga/resolution/70-1")) in g
    assert len(g) == 2


def test_describe(client):
    r = client.get("/sparql", params={"query": f"DESCRIBE <{BASE}/doc/A/73/200>", "format": "nt"})
    g = Graph().parse(data=r.content, format="nt")
    assert (URIRef(f"{BASE}/doc/A/73/200"), UN.symbol, Literal("A/73/200")) in g


def test_browser_accept_gets_a_results_format(client):
    r = client.get("/sparql", params={"query": SELECT_SYMBOLS},
                   headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith(SRJ)


# ------------------------------------------------------------------ error cases
def test_bad_syntax_is_400_with_parser_message(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert r.status_code == 400
    assert "malformed query" in r.text and "1:" in r.text


def test_multiple_queries_is_400(client):
    r = client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert r.status_code == 400


def test_wrong_method_is_405(client):
    assert client.put("/sparql", content=b"ASK {}").status_code == 405


def test_wrong_media_type_is_415(client):
    r = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_missing_content_type_is_415(client):
    r = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": ""})
    assert r.status_code == 415


def test_form_without_query_is_400(client):
    assert client.post("/sparql", data={"x": "1"}).status_code == 400


def test_non_utf8_is_400(client):
    r = client.post("/sparql", content="ASK { ?s ?p 'é' }".encode("latin-1"),
                    headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400


def test_update_via_query_endpoint_refused(client):
    for resp in (client.post("/sparql", data={"update": "INSERT DATA { <a:b> <a:c> <a:d> }"}),
                 client.post("/sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"}),
                 client.get("/sparql", params={"query": "DROP ALL"})):
        assert resp.status_code in (400, 403), resp.text
    r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert r.json()["boolean"] is True


def test_not_acceptable_is_406(client):
    r = client.get("/sparql", params={"query": SELECT_SYMBOLS}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "application/sparql-results+json" in r.text


# ------------------------------------------------------------------ service description, CORS, caps
@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld")])
def test_service_description(client, accept, fmt):
    r = client.get("/sparql", headers={"Accept": accept})
    assert r.status_code == 200
    g = Graph().parse(data=r.content, format=fmt)
    svc = URIRef("http://testserver/sparql")
    assert (svc, SD.endpoint, svc) in g
    assert (svc, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (svc, SD.supportedLanguage, SD.SPARQL11Update) not in g


def test_cors(client):
    r = client.get("/sparql", params={"query": ASK}, headers={"Origin": "https://yasgui.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    pre = client.options("/sparql", headers={"Origin": "https://yasgui.example",
                                             "Access-Control-Request-Method": "POST",
                                             "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 200 and "POST" in pre.headers["access-control-allow-methods"]


def test_row_cap_is_signalled(client):
    r = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == 50
    assert r.json()["truncated"] is True
    assert r.headers["x-result-truncated"] == "true" and r.headers["x-row-cap"] == "50"
    small = client.get("/sparql", params={"query": SELECT_SYMBOLS})
    assert "x-result-truncated" not in small.headers and "truncated" not in small.json()


def test_row_cap_on_construct(client):
    r = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert len(Graph().parse(data=r.content, format="nt")) == 50
    assert r.headers["x-result-truncated"] == "true"


def test_query_length_cap():
    from fixtures_server import make_client

    with make_client(max_query_length=200) as c:
        q = "SELECT * { ?s ?p ?o } #" + "x" * 300
        r = c.get("/sparql", params={"query": q})
        assert r.status_code == 413 and "limit is 200" in r.text


def test_body_cap():
    from fixtures_server import make_client

    with make_client(max_body_bytes=10_000) as c:
        r = c.post("/sparql", content=b"ASK {} #" + b"x" * 20_000,
                   headers={"Content-Type": "application/sparql-query"})
        assert r.status_code == 413
        assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    for path in ("/sparql", "/queries", "/queries/{name}", "/dumps/", "/.well-known/void", "/dataset"):
        assert path in spec["paths"], path


@pytest.mark.parametrize("accept", [SRJ, "text/csv", "application/sparql-results+xml"])
def test_fast_path_and_full_stack_agree(client, accept):
    """A plain POST takes the lean ASGI path; the same request with an Origin header takes the
    FastAPI stack (for CORS). Both must give the same answer."""
    h = {"Content-Type": "application/sparql-query", "Accept": accept}
    fast = client.post("/sparql", content=SELECT_SYMBOLS.encode(), headers=h)
    full = client.post("/sparql", content=SELECT_SYMBOLS.encode(), headers={**h, "Origin": "https://x.example"})
    assert fast.status_code == full.status_code == 200
    assert fast.content == full.content
    for name in ("content-type", "x-row-cap", "vary"):
        assert fast.headers[name] == full.headers[name]
    assert "access-control-allow-origin" in full.headers
    bad = {"Content-Type": "application/sparql-query"}
    f400 = client.post("/sparql", content=b"SELECT * {", headers=bad)
    n400 = client.post("/sparql", content=b"SELECT * {", headers={**bad, "Origin": "https://x.example"})
    assert f400.status_code == n400.status_code == 400 and f400.text == n400.text
