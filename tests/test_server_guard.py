"""The query guard against a reference: rdflib's SPARQL parser.

Queries are composed from fragments where the word SERVICE (or an update verb, or a file: IRI)
appears in every lexical context the grammar has: strings of all four kinds, comments, IRIs,
prefixed names (with PN_LOCAL escapes), variables, and as the real keyword. The guard must
refuse exactly the queries whose parse tree has a SERVICE, and rdflib's parse tree is the
judge of what the query means.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mandategraph.server.guard import GuardError, check_query

BASE = "https://w3id.org/mandategraph/"
SERVICE_IRI = "http://127.0.0.1:9/sparql"

#: (fragment of a group graph pattern, does it call SERVICE?)
FRAGMENTS: list[tuple[str, bool]] = [
    ('?s ?p "SERVICE <http://127.0.0.1:9/sparql> { }" .', False),
    ("?s ?p 'SERVICE <http://127.0.0.1:9/sparql> { }' .", False),
    ('?s ?p """a " SERVICE <http://127.0.0.1:9/sparql> { }\n "" ok""" .', False),
    ("?s ?p '''it' SERVICE <http://127.0.0.1:9/sparql> {}''' .", False),
    ('?s ?p "escaped \\" SERVICE <http://127.0.0.1:9/sparql> {}" .', False),
    ("# SERVICE <http://127.0.0.1:9/sparql> { ?a ?b ?c }\n", False),
    ("?s <http://127.0.0.1:9/SERVICE> ?o .", False),
    ("?s ex:SERVICE ?o .", False),
    ("?s ex:a\\#b ?o .", False),
    ("?s ex:a\\'b ?o .", False),
    ('BIND("x" AS ?SERVICE)', False),
    ("?s ?p ?o . FILTER(?o < 3 && ?o > 1)", False),
    ("SERVICE <http://127.0.0.1:9/sparql> { ?a ?b ?c }", True),
    ("service silent <http://127.0.0.1:9/sparql> { ?a ?b ?c }", True),
    ("FILTER EXISTS { SERVICE <http://127.0.0.1:9/sparql> { ?a ?b ?c } }", True),
    ("OPTIONAL { SERVICE ex:endpoint { ?a ?b ?c } }", True),
    ("{ SELECT ?a { SERVICE <http://127.0.0.1:9/sparql> { ?a ?b ?c } } }", True),
]


def compose(parts: list[tuple[str, bool]]) -> str:
    body = "\n".join(p for p, _ in parts)
    return f"PREFIX ex: <http://127.0.0.1:9/>\nSELECT * WHERE {{\n{body}\n}}"


def rdflib_has_service(query: str) -> bool:
    """Does rdflib's parse tree contain a ServiceGraphPattern? (Its CompValue nodes print
    their name; no fragment's text contains that name.)"""
    from rdflib.plugins.sparql.parser import parseQuery

    return "ServiceGraphPattern_" in repr(parseQuery(query))


def guard_refuses(query: str) -> bool:
    try:
        check_query(query, max_length=100_000, local_base=BASE)
    except GuardError as e:
        assert e.status == 403 and "SERVICE" in e.message
        return True
    return False


@pytest.mark.parametrize("fragment,calls", FRAGMENTS, ids=range(len(FRAGMENTS)))
def test_each_lexical_context(fragment, calls):
    q = compose([(fragment, calls)])
    assert rdflib_has_service(q) == calls, "the fixture itself is wrong"
    assert guard_refuses(q) == calls


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6))
def test_guard_agrees_with_the_parser(parts):
    q = compose(parts)
    expected = any(calls for _, calls in parts)
    assert rdflib_has_service(q) == expected
    assert guard_refuses(q) == expected


@pytest.mark.parametrize("query", [
    "SELECT * { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * { SERVIC\\u0045 <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * { SERVICE \\U0000003Chttp://127.0.0.1:9/sparql> { ?s ?p ?o } }",
])
def test_codepoint_escapes_are_decoded_first(query):
    """SPARQL 1.1 section 19.2: \\u escapes are processed before parsing, keywords included."""
    assert guard_refuses(query)


@pytest.mark.parametrize("query,status", [
    ("INSERT DATA { <a:b> <a:c> <a:d> }", 400), ("WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", 400),
    ("CREATE GRAPH <a:g>", 400), ("COPY <a:g> TO <a:h>", 400), ("MOVE DEFAULT TO <a:h>", 400),
    ("ADD <a:g> TO <a:h>", 400), ("SELECT * { ?s ?p ?o } ; CLEAR ALL", 400),
    ("SELECT * FROM NAMED <http://elsewhere.example/g> { GRAPH ?g { ?s ?p ?o } }", 403),
    ("PREFIX f: <file:///etc/> SELECT * { ?s ?p f:passwd }", 403),
    ("SELECT * { ?s ?p <FILE:///etc/passwd> }", 403),
])
def test_other_refusals(query, status):
    with pytest.raises(GuardError) as info:
        check_query(query, max_length=100_000, local_base=BASE)
    assert info.value.status == status


def test_local_from_and_ordinary_queries_pass():
    q = check_query(f"SELECT * FROM <{BASE}graph/x> FROM NAMED <{BASE}graph/y> {{ ?s ?p ?o }}",
                    max_length=100_000, local_base=BASE)
    assert q.kind == "select" and q.from_graphs == (f"{BASE}graph/x",) and q.from_named == (f"{BASE}graph/y",)
    for text, kind in (("ASK {}", "ask"), ("CONSTRUCT WHERE { ?s ?p ?o }", "construct"),
                       ("DESCRIBE <http://x.example/>", "describe"),
                       ('PREFIX un: <https://w3id.org/mandategraph/ontology#> SELECT ?d { ?d un:symbol "A/RES/70/1" }', "select")):
        assert check_query(text, max_length=100_000, local_base=BASE).kind == kind
