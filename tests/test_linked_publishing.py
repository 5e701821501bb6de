"""Labels, schema.org in pages, and the crosswalk relations symbols state (issue 17, points 6-7).

Built from real sources: five GA PDFs of data/ (resolutions and a plenary draft) and the
Chinese seed (an annotated agenda), plus a text file naming a revision, a corrigendum and an
addendum of one draft.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fixtures_pages import page_app
from pyld import jsonld
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from mandategraph.build.iris import Iris
from mandategraph.build.links import (
    agenda_document,
    digital_library_url,
    symbol_relation,
    undocs_url,
)
from mandategraph.core.namespaces import UN
from mandategraph.pipeline.batch import build_paths
from mandategraph.store.factory import open_store

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/mandategraph"
IRIS = Iris(BASE)
PDFS = ("A_RES_80_1.pdf", "A_RES_80_3.pdf", "A_RES_80_50.pdf", "A_80_L.1.pdf", "A_80_L.2.pdf")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("lp")
    note = tmp / "note.txt"
    note.write_text(
        "Conference of the States Parties to the United Nations Convention against Corruption\n\n"
        "CAC/COSP/2025/1\n\nThe Conference considered documents CAC/COSP/2025/L.3/Rev.1, "
        "CAC/COSP/2025/L.3/Corr.1 and CAC/COSP/2025/5/Add.2.\n", encoding="utf-8")
    st = open_store(None)
    report = build_paths([*(ROOT / "data" / "corpus" / "pdf" / f for f in PDFS),
                          ROOT / "data" / "seeds", note], st)
    assert not report.errors, report.errors
    return st


def _rows(store, q: str) -> list:
    return store.select(q).rows


def test_every_named_node_has_a_label_in_each_language(store) -> None:
    missing = _rows(store, """
        PREFIX un: <https://w3id.org/mandategraph/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?s ?t WHERE { ?s un:title ?t FILTER NOT EXISTS { ?s rdfs:label ?l FILTER(?l = ?t) } }""")
    assert missing == []
    docs = _rows(store, """
        PREFIX un: <https://w3id.org/mandategraph/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?d WHERE { ?d a un:Document FILTER NOT EXISTS { ?d rdfs:label ?l } }""")
    assert docs == []
    langs = {str(r[0]) for r in _rows(store, """
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT (LANG(?l) AS ?lang) WHERE { ?s rdfs:label ?l }""")}
    assert {"en", "zh"} <= langs


def test_symbol_links_and_relations(store) -> None:
    assert symbol_relation("A/80/L.2/Rev.1") == ("revisionOf", "A/80/L.2")
    assert symbol_relation("A/C.3/80/L.5/Corr.1") == ("corrigendumOf", "A/C.3/80/L.5")
    assert symbol_relation("A/80/251/Add.2") == ("addendumTo", "A/80/251")
    assert symbol_relation("A/80/L.2/Rev.1/Add.1") == ("addendumTo", "A/80/L.2/Rev.1")
    for plain in ("A/RES/80/1", "CTOC/COP/2024/CRP.3", "E/CN.7/2024/17-E/CN.15/2024/18", "not a symbol"):
        assert symbol_relation(plain) is None
    ask = {rel: _rows(store, f"""
        PREFIX un: <https://w3id.org/mandategraph/ontology#>
        SELECT ?a ?b WHERE {{ ?x un:{rel} ?y . ?x un:symbol ?a . ?y un:symbol ?b
                              FILTER(STRSTARTS(?a, "CAC/")) }}""")
        for rel in ("revisionOf", "corrigendumOf", "addendumTo")}
    assert [tuple(map(str, r)) for r in ask["revisionOf"]] == [("CAC/COSP/2025/L.3/Rev.1", "CAC/COSP/2025/L.3")]
    assert [tuple(map(str, r)) for r in ask["corrigendumOf"]] == [("CAC/COSP/2025/L.3/Corr.1", "CAC/COSP/2025/L.3")]
    assert [tuple(map(str, r)) for r in ask["addendumTo"]] == [("CAC/COSP/2025/5/Add.2", "CAC/COSP/2025/5")]
    doc = IRIS.doc("A/RES/80/1")
    see = {str(r[0]) for r in _rows(store, f"SELECT ?o WHERE {{ <{doc}> <{RDFS.seeAlso}> ?o }}")}
    assert see == {"https://undocs.org/A/RES/80/1", digital_library_url("A/RES/80/1")}
    assert undocs_url("A/80/L.2/Rev.1") == "https://undocs.org/A/80/L.2/Rev.1"
    assert "191__a%3A%22A%2FRES%2F80%2F1%22" in digital_library_url("A/RES/80/1")


def test_agenda_documents_are_nodes(store) -> None:
    rows = _rows(store, """
        PREFIX un: <https://w3id.org/mandategraph/ontology#>
        SELECT DISTINCT ?item ?sym WHERE { ?item a un:AgendaItem ; un:agendaDocument ?d . ?d a un:Document ; un:symbol ?sym }""")
    assert rows
    for item, sym in rows:  # the item's IRI is keyed by the same agenda symbol
        assert str(item).startswith(f"{BASE}/agenda/{sym}/item/")
    orphans = _rows(store, """
        PREFIX un: <https://w3id.org/mandategraph/ontology#>
        SELECT ?item WHERE { ?item a un:AgendaItem ; un:itemNumber ?n FILTER NOT EXISTS { ?item un:agendaDocument ?d } }""")
    for (item,) in orphans:  # only items keyed by a stand-in (body/session): no such document
        key = str(item)[len(f"{BASE}/agenda/"):].rsplit("/item/", 1)[0]
        assert agenda_document(key) is None, item
    assert agenda_document("A/80") is None and agenda_document("A/80/251") == "A/80/251"
    assert agenda_document("CTOC/COP/2024/1") == "CTOC/COP/2024/1"
    stand_in = _rows(store, f"SELECT ?p WHERE {{ <{IRIS.doc('A/80')}> ?p ?o }}")
    assert stand_in == []


def _schema(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return [json.loads(b) for b in blocks]


@pytest.mark.parametrize(("path", "kind"), [
    ("/doc/A/RES/80/1", "CreativeWork"),
    ("/instrument/ga/resolution/80-1", "Legislation"),
    ("/body/ga", "GovernmentOrganization"),
    ("/body/ga/session/80", "Event"),
    ("/", "WebPage"),
    ("/search?q=Palestine", "WebPage"),
])
def test_schema_org_in_every_page(store, path: str, kind: str) -> None:
    with TestClient(page_app(store, BASE)) as client:
        r = client.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text[:300]
    blocks = _schema(r.text)
    assert len(blocks) == 1, path
    data = blocks[0]
    assert data["@type"] == kind
    # parsed back by a JSON-LD processor (the context is schema.org's: given inline here, no fetch)
    data = dict(data, **{"@context": {"@vocab": "https://schema.org/"}})
    quads = jsonld.to_rdf(data, {"format": "application/n-quads"})
    assert f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/{kind}>" in quads
    if kind != "WebPage":
        assert data["@id"] == BASE + path and data.get("name")


def test_report_pages_are_schema_reports() -> None:
    from mandategraph.server.views.schema_org import SCHEMA_TYPES

    order = [c for c, _ in SCHEMA_TYPES]
    assert order.index(UN.Report) < order.index(UN.Document)
    assert dict(SCHEMA_TYPES)[UN.Report] == "Report"


def test_labels_use_the_title_literal_exactly(store) -> None:
    g = store.graph(str(IRIS.graph_for("A/RES/80/1", "en", "A_RES_80_1.pdf")))
    titled = list(g.subject_objects(UN.title))
    assert titled
    for s, t in titled:
        assert (s, RDFS.label, t) in g
    doc = IRIS.doc("A/RES/80/1")
    assert (doc, RDFS.label, Literal("A/RES/80/1")) in g and (doc, RDF.type, UN.Document) in g
    assert isinstance(doc, URIRef)


def test_crosswalk_names_every_field_and_only_defined_terms() -> None:
    doc = (ROOT / "docs" / "crosswalk.md").read_text(encoding="utf-8")
    rows = [ln for ln in doc.splitlines() if ln.startswith("| ")]
    for field in ("191", "245", "269", "991", "993", "996"):
        assert any(ln.startswith(f"| {field}") for ln in rows), field
    for prop in ("eli:id_local", "eli:title", "eli:date_document", "eli:passed_by", "eli:based_on",
                 "eli:cites", "eli:corrects", "eli:amends", "eli:is_part_of", "eli:language"):
        assert any(f"`{prop}`" in ln for ln in rows), prop
    from rdflib import Graph

    onto = Graph().parse(ROOT / "ontology" / "mandategraph.ttl")
    defined = {str(s)[len(str(UN)):] for s in onto.subjects() if str(s).startswith(str(UN))}
    used = set(re.findall(r"`un:([A-Za-z]+)`", doc))
    assert used and used <= defined, sorted(used - defined)
    # every row says which term carries the field, or that it is not held
    for ln in rows[2:]:
        if ln.startswith("|---") or ln.startswith("| MARC") or ln.startswith("| ELI"):
            continue
        assert "`un:" in ln or "not held" in ln or "`rdfs:" in ln, ln
    assert "fabio:Report" in doc and "is a `fabio:Work`" in doc
