"""Every IRI the graph mints dereferences, with content negotiation (issue 17, point 5).

The ontology (``/ontology``; its terms are fragments of it), the reference graph, and the
annotation / statement / selector IRIs, which are fragments of their graph's IRI: the graph's
document describes each of them (RDF), and its HTML has a section whose ``id`` is the
fragment. The store is built from two GA PDFs of data/ and the Chinese seed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyld import jsonld
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from mandategraph.core.namespaces import UN
from mandategraph.pipeline.batch import build_paths
from mandategraph.server.app import create_app
from mandategraph.server.settings import Settings
from mandategraph.store.factory import open_store

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/mandategraph"
OA = "http://www.w3.org/ns/oa#"


@pytest.fixture(scope="module")
def built():
    st = open_store(None)
    pdf = ROOT / "data" / "corpus" / "pdf"
    report = build_paths([pdf / "A_RES_80_1.pdf", pdf / "A_80_L.2.pdf", ROOT / "data" / "seeds"], st)
    assert not report.errors
    return st


@pytest.fixture(scope="module")
def client(built):
    with TestClient(create_app(Settings(workers=1, timeout_s=20, row_cap=20_000), built)) as c:
        yield c


def _path(iri: str) -> str:
    assert iri.startswith(BASE + "/"), iri
    return iri[len(BASE):].split("#", 1)[0]


@pytest.mark.parametrize(("accept", "suffix", "fmt"), [
    ("text/turtle", "", "turtle"), ("application/ld+json", "", "json-ld"),
    ("application/n-triples", "", "nt"), ("application/rdf+xml", "", "xml"),
    (None, ".ttl", "turtle"), (None, ".jsonld", "json-ld"), (None, ".rdf", "xml")])
def test_ontology_in_each_syntax(client, accept: str | None, suffix: str, fmt: str) -> None:
    r = client.get("/ontology" + suffix, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.text[:200]
    g = Graph().parse(data=r.content, format=fmt)
    assert (UN.Document, RDF.type, OWL.Class) in g and (UN.revisionOf, RDF.type, OWL.ObjectProperty) in g
    assert 'rel="alternate"' in r.headers["link"]


def test_ontology_jsonld_read_by_pyld(client) -> None:
    r = client.get("/ontology", headers={"Accept": "application/ld+json"})
    quads = jsonld.to_rdf(json.loads(r.content), {"format": "application/n-quads"})
    assert f"<{UN}Document> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{OWL.Class}>" in quads


def test_ontology_html_has_a_section_per_term(client) -> None:
    r = client.get("/ontology", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    ids = set(re.findall(r'<section id="([^"]+)"', r.text))
    onto = Graph().parse(ROOT / "ontology" / "mandategraph.ttl")
    terms = {str(s)[len(str(UN)):] for s in onto.subjects() if str(s).startswith(str(UN))}
    assert terms and terms <= ids, sorted(terms - ids)[:10]
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', r.text, re.DOTALL)
    data = json.loads(blocks[0])
    assert data["@type"] == "DefinedTermSet" and len(data["hasDefinedTerm"]) == len(ids)


def test_reference_graph_dereferences(client) -> None:
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        r = client.get("/graph/reference", headers={"Accept": accept})
        assert r.status_code == 200, r.text[:200]
        g = Graph().parse(data=r.content, format=fmt)
        assert (URIRef(f"{BASE}/body/ga"), RDF.type, UN.Body) in g
    html = client.get("/graph/reference", headers={"Accept": "text/html"}).text
    assert f'about="{BASE}/body/ga"' in html


def test_fragments_are_described_by_their_graph_document(client, built) -> None:
    rows = built.select(f"""SELECT ?a ?s WHERE {{ ?a a <{OA}Annotation> ; <{OA}hasBody> ?s .
        ?s a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> }} ORDER BY ?a LIMIT 3""").rows
    assert rows
    for ann, stmt in rows:
        ann = str(ann)
        r = client.get(_path(ann), headers={"Accept": "text/turtle"})
        assert r.status_code == 200
        g = Graph().parse(data=r.content, format="turtle")
        for node in (ann, ann + "-target", ann + "-quote", ann + "-pos", str(stmt)):
            assert list(g.predicate_objects(URIRef(node))), f"{node} not described by {_path(ann)}"
        assert list(g.objects(URIRef(ann + "-quote"), URIRef(OA + "exact")))
        html = client.get(_path(ann), headers={"Accept": "text/html"}).text
        frag = ann.split("#", 1)[1]
        for f in (frag, frag + "-quote", frag + "-pos", str(stmt).split("#", 1)[1]):
            assert f'<section id="{f}"' in html, f
        assert '<script type="application/ld+json">' in html


def test_every_minted_iri_dereferences(client, built) -> None:
    """Every subject and IRI object under the base answers 200 in Turtle and mentions itself."""
    iris = set()
    for s, _p, o, _g in built.quads():
        for t in (s, o):
            if isinstance(t, URIRef) and str(t).startswith(BASE + "/"):
                iris.add(str(t))
    paths: dict[str, str] = {}
    for iri in sorted(iris):
        paths.setdefault(_path(iri), iri)
    assert len(paths) > 50
    failures = []
    for path, iri in sorted(paths.items()):
        r = client.get(path, headers={"Accept": "text/turtle"})
        if r.status_code != 200:
            failures.append((path, r.status_code))
            continue
        g = Graph().parse(data=r.content, format="turtle")
        node = URIRef(iri)
        if not (list(g.predicate_objects(node)) or list(g.subject_predicates(node))):
            failures.append((path, f"<{iri}> not described"))
    assert not failures, failures[:10]


def test_served_jsonld_keeps_typed_literals(client, built) -> None:
    """A graph document as JSON-LD, read by pyld: its un:confidence doubles keep their
    datatype (the server writes JSON-LD with Oxigraph's serializer, value objects)."""
    graph = next(str(r[0]) for r in built.select(
        "SELECT ?g WHERE { GRAPH ?g { ?s <https://w3id.org/mandategraph/ontology#confidence> ?c } } LIMIT 1").rows)
    r = client.get(_path(graph), headers={"Accept": "application/ld+json"})
    assert r.status_code == 200
    quads = jsonld.to_rdf(json.loads(r.content), {"format": "application/n-quads"})
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert f"^^<{xsd}double>" in quads
    conf = [ln for ln in quads.splitlines() if "ontology#confidence>" in ln]
    assert conf and all(ln.endswith(f"^^<{xsd}double> .") for ln in conf), conf[:3]


def test_service_description_names_the_dataset(client) -> None:
    """The SPARQL service description's default dataset is void:inDataset the dataset IRI
    (it pointed at the description document), which /dataset describes."""
    from rdflib.namespace import VOID

    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = Graph().parse(data=r.content, format="turtle")
    assert set(g.objects(None, VOID.inDataset)) == {URIRef(f"{BASE}/dataset")}
    d = Graph().parse(data=client.get("/dataset", headers={"Accept": "text/turtle"}).content, format="turtle")
    assert (URIRef(f"{BASE}/dataset"), RDF.type, VOID.Dataset) in d
