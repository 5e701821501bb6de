"""SPARQLWrapper, a real SPARQL client, against the running server (uvicorn on 127.0.0.1)."""

from __future__ import annotations

from urllib.error import HTTPError

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from SPARQLWrapper import CSV, GET, JSON, JSONLD, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, QueryBadFormed, SPARQLWrapperException

from fixtures_server import BASE

UN = Namespace("https://w3id.org/mandategraph/ontology#")
LINEAGE = """PREFIX un: <https://w3id.org/mandategraph/ontology#>
SELECT ?ancestor ?symbol WHERE {
  ?d un:symbol "A/73/200" ; un:mandatedBy ?r .
  ?r un:reaffirms* ?ancestor . ?ancestor un:symbol ?symbol .
} ORDER BY ?symbol"""

pytestmark = pytest.mark.server


def wrapper(live_server, method=GET) -> SPARQLWrapper:
    w = SPARQLWrapper(live_server.url + "/sparql")
    w.setMethod(method)
    w.setTimeout(10)
    return w


@pytest.mark.parametrize("method", [GET, POST])
def test_select_json(live_server, method):
    w = wrapper(live_server, method)
    w.setQuery(LINEAGE)
    w.setReturnFormat(JSON)
    rows = w.queryAndConvert()["results"]["bindings"]
    assert [r["symbol"]["value"] for r in rows] == ["A/RES/70/1", "A/RES/71/5", "A/RES/72/9"]


def test_select_xml_and_csv(live_server):
    w = wrapper(live_server)
    w.setQuery(LINEAGE)
    w.setReturnFormat(XML)
    doc = w.queryAndConvert()
    assert [n.firstChild.data for n in doc.getElementsByTagName("literal")] == ["A/RES/70/1", "A/RES/71/5", "A/RES/72/9"]
    w.setReturnFormat(CSV)
    assert w.queryAndConvert().decode().splitlines()[0] == "ancestor,symbol"


def test_ask(live_server):
    w = wrapper(live_server)
    w.setQuery('PREFIX un: <https://w3id.org/mandategraph/ontology#> ASK { ?d un:symbol "A/71/100" }')
    w.setReturnFormat(JSON)
    assert w.queryAndConvert()["boolean"] is True


@pytest.mark.parametrize("fmt", [TURTLE, JSONLD, XML])
def test_construct(live_server, fmt):
    w = wrapper(live_server, POST)
    w.setQuery("PREFIX un: <https://w3id.org/mandategraph/ontology#> "
               "CONSTRUCT { ?d un:mandatedBy ?i } WHERE { ?d un:mandatedBy ?i }")
    w.setReturnFormat(fmt)
    g = w.queryAndConvert()
    if not isinstance(g, Graph):
        g = Graph().parse(data=g, format={TURTLE: "turtle", JSONLD: "json-ld"}[fmt])
    assert (URIRef(f"{BASE}/doc/A/73/200"), UN.mandatedBy, URIRef(f"{BASE}/instrument/ga/resolution/72-9")) in g


def test_bad_query_raises_query_bad_formed(live_server):
    w = wrapper(live_server)
    w.setQuery("SELECT * WHERE { ?s ?p ")
    w.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        w.queryAndConvert()


def test_timeout_surfaces_as_an_error(live_server):
    w = wrapper(live_server)
    w.setQuery("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?x ?y ?z }")
    w.setReturnFormat(JSON)
    with pytest.raises((EndPointInternalError, SPARQLWrapperException, HTTPError)) as info:
        w.queryAndConvert()
    if isinstance(info.value, HTTPError):
        assert info.value.code == 503
    w.setQuery("ASK {}")
    assert w.queryAndConvert()["boolean"] is True


def test_mandategraph_remote_store_talks_to_the_server(live_server):
    """The project's own remote backend (SPARQLWrapper underneath) reads through /sparql."""
    from mandategraph.store.remote import RemoteStore

    st = RemoteStore(live_server.url + "/sparql")
    res = st.select(LINEAGE)
    assert [str(r[1]) for r in res.rows] == ["A/RES/70/1", "A/RES/71/5", "A/RES/72/9"]
    assert Literal("A/RES/70/1") in [r[1] for r in res.rows]
