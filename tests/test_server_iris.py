"""Every IRI the graph mints dereferences on the server, whatever characters its symbol has
(issue 15: ``A/80/130 (Part I)`` answered 404 on its own IRI).

A full build of ``data/`` by the real pipeline, plus documents minted by ``build.iris`` for
symbols with spaces, parentheses, ``Part I``, full stops, dashes, an asterisk and non-ASCII
letters; then every node under the base with a routed first segment is fetched at its own
path as Turtle (the linked-data path, on the one query path through the workers), and a
sample of them as HTML (the pages): each answers 200 and describes that very IRI.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from fixtures_server import BASE

ROOT = Path(__file__).resolve().parent.parent
ROUTED = ("doc", "instrument", "body", "agenda")
ODD_SYMBOLS = ["A/80/130 (Part I)", "A/80/130 (Part II)/Add.1", "S/2024/10*", "E/CN.7/2024/17-E/CN.15/2024/18",
               "A/C.3/80/L.12/Rev.1", "TD/B/C.I/MEM.8/32 (Vol. I)", "CTOC/COP/2024/CRP.3 (corr.)"]


@pytest.fixture(scope="module")
def built_client():
    from mandategraph.build.iris import Iris
    from mandategraph.pipeline.batch import build_paths
    from mandategraph.server.app import create_app
    from mandategraph.server.settings import Settings
    from mandategraph.store.factory import open_store
    from fastapi.testclient import TestClient

    store = open_store(None)
    report = build_paths([ROOT / "data"], store)
    assert report.built, report.summary()
    iris = Iris(BASE)
    un = "https://w3id.org/mandategraph/ontology#"
    g = ox.NamedNode(f"{BASE}/graph/test/odd-symbols")
    for sym in ODD_SYMBOLS:
        d = ox.NamedNode(str(iris.doc(sym)))
        store.ox.add(ox.Quad(d, ox.NamedNode(un + "symbol"), ox.Literal(sym), g))
        store.ox.add(ox.Quad(d, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                             ox.NamedNode(un + "Document"), g))
    settings = Settings(timeout_s=20.0, row_cap=10_000, workers=2, public_url="http://testserver")
    with TestClient(create_app(settings, store)) as client:
        yield client, store


def path_of(iri: str) -> str:
    """The path a minted IRI is served at on this server (the base's own path left out)."""
    assert iri.startswith(BASE + "/")
    return iri[len(BASE):]


def minted_nodes(store) -> list[str]:
    out = set()
    for q in store.ox.quads_for_pattern(None, None, None, None):
        for t in (q.subject, q.object):
            if isinstance(t, ox.NamedNode) and t.value.startswith(BASE + "/"):
                first = t.value[len(BASE) + 1:].split("/", 1)[0]
                if first in ROUTED and "#" not in t.value:
                    out.add(t.value)
    return sorted(out)


def test_every_minted_iri_dereferences(built_client):
    client, store = built_client
    nodes = minted_nodes(store)
    assert len(nodes) > 1000, len(nodes)
    from mandategraph.build.iris import Iris

    assert {str(Iris(BASE).doc(s)) for s in ODD_SYMBOLS} <= set(nodes)
    bad = []
    for iri in nodes:
        r = client.get(path_of(iri), headers={"Accept": "text/turtle"})
        if r.status_code != 200:
            bad.append((iri, r.status_code))
            continue
        g = Graph().parse(data=r.text, format="turtle")
        if (URIRef(iri), None, None) not in g and (None, None, URIRef(iri)) not in g:
            bad.append((iri, "describes another IRI"))
    assert bad == [], f"{len(bad)} of {len(nodes)} minted IRIs do not dereference: {bad[:10]}"


def test_odd_symbols_as_pages_and_sampled_html(built_client):
    client, store = built_client
    from mandategraph.build.iris import Iris

    iris = Iris(BASE)
    sample = [str(iris.doc(s)) for s in ODD_SYMBOLS]
    nodes = minted_nodes(store)
    sample += random.Random(15).sample(nodes, min(60, len(nodes)))
    bad = []
    for iri in sample:
        path = path_of(iri)
        for variant in {path, path.replace("(", "%28").replace(")", "%29")}:
            r = client.get(variant, headers={"Accept": "text/html"})
            if r.status_code != 200:
                bad.append((variant, r.status_code, r.text[:120]))
    assert bad == []
