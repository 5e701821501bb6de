"""Dataset description (VoID + DCAT), /dumps/ (gzip TriG, N-Quads, Turtle; ETag,
Last-Modified, 304) and `mandategraph export --dumps`, which writes the same files."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from fixtures_server import BASE, SAMPLE

UN = Namespace("https://w3id.org/mandategraph/ontology#")
NAMES = {"mandategraph.trig.gz", "mandategraph.nq.gz", "mandategraph.ttl.gz"}


def sample_dataset() -> Dataset:
    ds = Dataset()
    ds.parse(SAMPLE, format="trig")
    return ds


def test_dumps_index(client):
    r = client.get("/dumps/")
    assert r.status_code == 200
    files = {f["name"]: f for f in r.json()["files"]}
    assert set(files) == NAMES
    assert files["mandategraph.trig.gz"]["media_type"] == "application/trig"
    assert all(len(f["sha256"]) == 64 and f["bytes"] > 0 for f in files.values())


@pytest.mark.parametrize("name,fmt", [("mandategraph.trig.gz", "trig"), ("mandategraph.nq.gz", "nquads")])
def test_quad_dumps_keep_named_graphs(client, name, fmt, server_sample_size):
    r = client.get(f"/dumps/{name}")
    assert r.status_code == 200 and r.headers["content-type"] == "application/gzip"
    ds = Dataset()
    ds.parse(data=gzip.decompress(r.content), format=fmt)
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert f"{BASE}/graph/A/71/100/@en" in graphs and f"{BASE}/graph/structure" in graphs
    assert sum(1 for _ in ds.quads()) == server_sample_size
    # provenance of a source graph travels with the dump
    g = ds.graph(URIRef(f"{BASE}/graph/A/71/100/@en"))
    assert (URIRef(f"{BASE}/graph/A/71/100/@en"), UN.sha256, Literal("aa03")) in g


def test_turtle_dump_is_the_union(client):
    r = client.get("/dumps/mandategraph.ttl.gz")
    g = Graph().parse(data=gzip.decompress(r.content), format="turtle")
    union = Graph()
    for s, p, o, _ in sample_dataset().quads():
        union.add((s, p, o))
    assert isomorphic(g, union)


def test_etag_and_last_modified(client):
    r = client.get("/dumps/mandategraph.nq.gz")
    etag, lm = r.headers["etag"], r.headers["last-modified"]
    assert etag.startswith('"') and len(etag) == 66
    assert client.get("/dumps/mandategraph.nq.gz", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/dumps/mandategraph.nq.gz", headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get("/dumps/mandategraph.nq.gz", headers={"If-Modified-Since": lm}).status_code == 304
    assert client.get("/dumps/nope.gz").status_code == 404


@pytest.mark.parametrize("path", ["/.well-known/void", "/dataset"])
def test_void_and_dcat(client, path, server_sample_size):
    r = client.get(path, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = Graph().parse(data=r.content, format="turtle")
    ds = URIRef(f"{BASE}/dataset")
    assert (ds, RDF.type, VOID.Dataset) in g and (ds, RDF.type, DCAT.Dataset) in g
    # issue 17: void:triples counts the distinct triples of the union, un:quads the quads
    assert g.value(ds, UN.quads).toPython() == server_sample_size
    assert 0 < g.value(ds, VOID.triples).toPython() <= server_sample_size
    assert g.value(ds, VOID.documents).toPython() == 3
    assert g.value(ds, VOID.sparqlEndpoint) == URIRef("http://testserver/sparql")
    assert g.value(ds, DCTERMS.license) is not None
    assert not set(g.objects(ds, DCTERMS.source))  # source graphs are prov:Entity, not datasets
    assert len(set(g.subjects(VOID.inDataset, ds))) == 3
    dumps = set(g.objects(ds, VOID.dataDump))
    assert dumps == {URIRef(f"http://testserver/dumps/{n}") for n in NAMES}
    for d in dumps:
        assert (d, RDF.type, DCAT.Distribution) in g
        assert g.value(d, DCAT.downloadURL) == d
        assert g.value(d, DCAT.byteSize).datatype == XSD.nonNegativeInteger
        assert "gzip" in str(g.value(d, DCTERMS.title))  # not dcat:compressFormat (store/describe.py)
    parts = {g.value(p, VOID["class"]): g.value(p, VOID.entities).toPython()
             for p in g.objects(ds, VOID.classPartition)}
    assert parts[UN.Resolution] == 3 and parts[UN.Report] == 2
    service = URIRef("http://testserver/sparql")
    assert (service, RDF.type, DCAT.DataService) in g and (service, DCAT.servesDataset, ds) in g


def test_void_as_jsonld(client):
    r = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    assert len(Graph().parse(data=r.content, format="json-ld")) > 20


def test_export_cli_writes_the_same_dumps(client, disk_store: Path, tmp_path: Path):
    from mandategraph.cli import main

    out = tmp_path / "dumps"
    res = CliRunner().invoke(main, ["export", "--store", str(disk_store), "--dumps", str(out)])
    assert res.exit_code == 0, res.output
    assert NAMES | {"void.ttl", "manifest.json"} <= {p.name for p in out.iterdir()}
    for name, fmt in (("mandategraph.trig.gz", "trig"), ("mandategraph.nq.gz", "nquads")):
        mine, served = Dataset(), Dataset()
        mine.parse(data=gzip.decompress((out / name).read_bytes()), format=fmt)
        served.parse(data=gzip.decompress(client.get(f"/dumps/{name}").content), format=fmt)
        assert set(mine.quads()) == set(served.quads())
    void = Graph().parse(out / "void.ttl", format="turtle")
    assert void.value(URIRef(f"{BASE}/dataset"), VOID.triples) is not None
    assert len(set(void.objects(URIRef(f"{BASE}/dataset"), VOID.dataDump))) == 3
    # deterministic bytes: writing again gives identical files (so the ETag is stable)
    first = (out / "mandategraph.nq.gz").read_bytes()
    CliRunner().invoke(main, ["export", "--store", str(disk_store), "--dumps", str(out)])
    assert (out / "mandategraph.nq.gz").read_bytes() == first
