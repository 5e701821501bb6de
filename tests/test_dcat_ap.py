"""The dataset description against the official DCAT-AP 3.0.0 SHACL shapes (issue 17, point 3)
and its VoID (point 4).

Shapes and background: ``tests/suites/dcat-ap/`` (copied unchanged, licences in its
``LICENSE.md``). pySHACL runs with RDFS inference and ``vocab/`` (DCTERMS, FOAF, SKOS, DCAT 3)
as the ontology graph; without it the shapes' ``sh:class rdfs:Resource`` checks fail on every
URL. One upstream conflict remains under that inference: DCAT 3 makes ``dcat:dataset`` and
``dcat:service`` sub-properties (through ``dcat:resource``) of ``dct:hasPart``, whose values
DCAT-AP 3.0.0 requires to be ``dcat:Catalog``s, so every catalogue that lists a dataset gets a
``dct:hasPart`` violation per entry. The test checks that those are the only results with the
full background, then validates with that one sub-property axiom left out: 0 violations.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, FOAF, PROV, RDF, RDFS, SH, VOID
from rdflib.namespace import DCTERMS as DCT

from mandategraph.core.namespaces import UN
from mandategraph.export import VOID_FILE, write_dumps
from mandategraph.pipeline.batch import build_paths
from mandategraph.store.describe import Publisher
from mandategraph.store.factory import open_store

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests" / "suites" / "dcat-ap"
SHAPES = SUITE / "releases" / "3.0.0" / "shacl" / "dcat-ap-SHACL.ttl"
BASE = "https://w3id.org/mandategraph"


@pytest.fixture(scope="module")
def background() -> Graph:
    g = Graph()
    for f in sorted((SUITE / "vocab").iterdir()):
        g.parse(f)
    assert len(g) > 1000
    return g


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph().parse(SHAPES)
    assert len(g) > 1000
    return g


@pytest.fixture(scope="module")
def described(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """void.ttl as `mandategraph export --dumps` writes it, for a build of five GA PDFs and the
    seed (English and Chinese)."""
    tmp = tmp_path_factory.mktemp("dcat")
    store = open_store(None)
    files = sorted((ROOT / "data" / "corpus" / "pdf").glob("A_RES_80_1*.pdf"))[:5]
    report = build_paths([*files, ROOT / "data" / "seeds"], store)
    assert not report.errors and len(report.built) >= 6
    write_dumps(store, tmp / "dumps", base_iri=BASE)
    g = Graph().parse(tmp / "dumps" / VOID_FILE)
    g.built = len(report.built)  # type: ignore[attr-defined]
    return g


def _validate(data: Graph, shapes: Graph, ont: Graph) -> list[tuple[str, str, str]]:
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ont,
                                                inference="rdfs", allow_warnings=True)
    return sorted((str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)),
                   str(report.value(r, SH.resultMessage)))
                  for r in report.subjects(SH.resultSeverity, SH.Violation))


def test_dcat_ap_3_no_violation(described: Graph, shapes: Graph, background: Graph) -> None:
    full = _validate(described, shapes, background)
    catalog = f"{BASE}/catalog"
    upstream = [v for v in full if v[0] == catalog and v[1] == str(DCT.hasPart)]
    assert full == upstream, full[:10]
    assert len(upstream) == 2  # the dataset and the SPARQL service
    ont = Graph()
    for t in background:
        if t != (DCAT.resource, RDFS.subPropertyOf, DCT.hasPart):
            ont.add(t)
    assert len(ont) == len(background) - 1
    assert _validate(described, shapes, ont) == []


def test_the_shapes_can_fail(described: Graph, shapes: Graph, background: Graph) -> None:
    """The same check finds what the issue found: an untyped, publisher-less dataset with
    dct:source pointing at graphs that are not datasets."""
    bad = Graph()
    ds = URIRef(f"{BASE}/dataset")
    bad.add((ds, RDF.type, DCAT.Dataset))
    bad.add((ds, DCT.title, Literal("x", lang="en")))
    bad.add((ds, DCT.description, Literal("x", lang="en")))
    bad.add((ds, DCT.source, URIRef(f"{BASE}/graph/x")))
    bad.add((ds, DCAT.distribution, URIRef(f"{BASE}/dumps/x.nq.gz")))
    found = _validate(bad, shapes, background)
    assert any(v[1] == str(DCT.source) for v in found)
    assert any(v[1] == str(DCAT.accessURL) for v in found)  # a distribution needs one


def test_catalogue_publisher_and_sources(described: Graph) -> None:
    g = described
    catalog, ds = URIRef(f"{BASE}/catalog"), URIRef(f"{BASE}/dataset")
    assert (catalog, RDF.type, DCAT.Catalog) in g
    assert (catalog, DCAT.dataset, ds) in g
    pub = g.value(catalog, DCT.publisher)
    assert pub == URIRef(f"{BASE}/publisher") and (pub, RDF.type, FOAF.Agent) in g
    assert g.value(ds, DCT.publisher) == pub and g.value(pub, FOAF.name)
    services = set(g.objects(catalog, DCAT.service))
    assert services and all((s, RDF.type, DCAT.DataService) in g for s in services)
    assert not list(g.objects(ds, DCT.source))
    sources = set(g.subjects(RDF.type, PROV.Entity))
    # every built source and the reference graph
    assert len(sources) == int(g.value(ds, VOID.documents)) >= described.built  # type: ignore[attr-defined]
    for s in sources:
        assert g.value(s, UN.sourceFile) and len(str(g.value(s, UN.sha256))) == 64
        assert (s, VOID.inDataset, ds) in g
    dists = set(g.objects(ds, DCAT.distribution))
    assert len(dists) == 4  # three dumps and the SPARQL service
    for d in dists:
        assert (g.value(d, DCT.license), RDF.type, DCT.LicenseDocument) in g
    langs = set(g.objects(ds, DCT.language))
    assert {str(x).rsplit("/", 1)[1] for x in langs} == {"ENG", "ZHO"}


def test_publisher_is_configurable(tmp_path: Path) -> None:
    store = open_store(None)
    build_paths([ROOT / "data" / "seeds"], store)
    write_dumps(store, tmp_path, base_iri=BASE,
                publisher=Publisher(name="Example Library", iri="https://example.org/library",
                                    homepage="https://example.org/"))
    g = Graph().parse(tmp_path / VOID_FILE)
    pub = URIRef("https://example.org/library")
    assert g.value(URIRef(f"{BASE}/catalog"), DCT.publisher) == pub
    assert str(g.value(pub, FOAF.name)) == "Example Library"
    assert g.value(pub, FOAF.homepage) == URIRef("https://example.org/")


def test_void_statistics(described: Graph, tmp_path: Path) -> None:
    g = described
    ds = URIRef(f"{BASE}/dataset")
    triples = int(g.value(ds, VOID.triples))
    quads = int(g.value(ds, UN.quads))
    assert 0 < triples <= quads
    parts = list(g.objects(ds, VOID.propertyPartition))
    assert sum(int(g.value(p, VOID.triples)) for p in parts) == triples
    assert len(parts) == int(g.value(ds, VOID.properties))
    assert list(g.objects(ds, VOID.classPartition))
    vocab = {str(v) for v in g.objects(ds, VOID.vocabulary)}
    used = {str(g.value(p, VOID.property)) for p in parts}
    for ns in ("https://w3id.org/mandategraph/ontology#", "http://www.w3.org/ns/oa#",
               "http://www.w3.org/ns/prov#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"):
        assert ns in vocab
    assert all(any(p.startswith(ns) for ns in vocab) for p in used)
    assert str(g.value(ds, VOID.uriSpace)) == BASE + "/"
    linksets = {str(g.value(ls, VOID.objectsTarget)): ls for ls in g.objects(ds, VOID.subset)}
    assert set(linksets) == {"https://undocs.org/", "https://digitallibrary.un.org/"}
    for ls in linksets.values():
        assert g.value(ls, VOID.linkPredicate) == RDFS.seeAlso
        assert int(g.value(ls, VOID.triples)) > 0
