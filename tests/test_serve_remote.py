"""`mandategraph serve --store sparql+http://...`: the web front on top of a remote SPARQL server.

A real Oxigraph server (tests/fixtures_scale.py) on 127.0.0.1 gets the server sample through
``push_store``; ``mandategraph serve`` then runs as a subprocess against it. Both are stopped by
process id at the end.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from fixtures_scale import free_port, start_oxigraph
from fixtures_server import sample_store, start_serve, stop_serve

ROOT = Path(__file__).resolve().parent.parent

#: Four-way cartesian product over every triple: far more work than the 1 s timeout allows.
HEAVY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
         "?m ?n2 ?o . ?p ?q ?r }")
ROWS = "SELECT ?s ?sym WHERE { ?s <https://w3id.org/mandategraph/ontology#symbol> ?sym } ORDER BY ?s ?sym"


@dataclass
class Front:
    url: str
    remote_query: str
    proc: subprocess.Popen


def _get(url: str, accept: str = "application/sparql-results+json") -> tuple[int, bytes, dict]:
    req = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read(), {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as e:
        return e.code, e.read(), {k.lower(): v for k, v in e.headers.items()}


def _sparql(base: str, query: str, accept: str = "application/sparql-results+json",
            **params: str) -> tuple[int, bytes, dict]:
    qs = urllib.parse.urlencode({"query": query, **params})
    return _get(f"{base}?{qs}", accept)


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Front]:
    from mandategraph.store.remote import RemoteStore
    from mandategraph.store.push import push_store

    ox_server = start_oxigraph(tmp_path_factory.mktemp("remote-oxigraph") / "db")
    proc = None
    try:
        report = push_store(sample_store(), RemoteStore(ox_server.query))
        assert report.pushed, report.summary()
        config = ("[server]\ntimeout_s = 1.0\nrow_cap = 50\nworkers = 2\n"
                  'update_token = "s3cret"\n'
                  f"dumps_dir = \"{tmp_path_factory.mktemp('dumps')}\"\n")
        proc, url = start_serve(f"sparql+{ox_server.query}", config,
                                tmp_path_factory.mktemp("remote-cfg"))
        yield Front(url, ox_server.query, proc)
    finally:
        if proc is not None:
            stop_serve(proc)
        ox_server.stop()


def _unordered(doc: object) -> object:
    if isinstance(doc, dict):
        return {k: _unordered(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return sorted((_unordered(x) for x in doc), key=lambda x: json.dumps(x, sort_keys=True))
    return doc


def _bindings(body: bytes) -> list[dict]:
    return json.loads(body)["results"]["bindings"]


def test_select_matches_the_remote_server(front: Front) -> None:
    status, body, headers = _sparql(front.url + "/sparql", ROWS)
    assert status == 200, body
    ours = _bindings(body)
    _, direct, _ = _sparql(front.remote_query, ROWS, **{"union-default-graph": "true"})
    assert ours and ours == _bindings(direct)
    assert any(b["sym"]["value"] == "A/RES/70/1" for b in ours)
    assert "x-result-truncated" not in headers


def test_row_cap_and_other_formats(front: Front) -> None:
    many = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    status, body, headers = _sparql(front.url + "/sparql", many)
    assert status == 200
    doc = json.loads(body)
    assert len(doc["results"]["bindings"]) == 50 and doc.get("truncated") is True
    assert headers.get("x-result-truncated") == "true"
    status, body, _ = _sparql(front.url + "/sparql", ROWS, accept="text/csv")
    assert status == 200 and body.startswith(b"s,sym\r\n") and b"A/RES/70/1" in body
    construct = ("CONSTRUCT { ?s <https://w3id.org/mandategraph/ontology#symbol> ?o } "
                 "WHERE { ?s <https://w3id.org/mandategraph/ontology#symbol> ?o }")
    status, body, headers = _sparql(front.url + "/sparql", construct, accept="text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle"), body
    assert b'"A/RES/70/1"' in body
    status, body, _ = _sparql(front.url + "/sparql", "ASK { ?s ?p ?o }")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_named_query(front: Front) -> None:
    status, body, _ = _get(front.url + "/queries/page-search-symbol?symbol=A%2F71%2F100")
    assert status == 200, body
    assert [b["doc"]["value"] for b in _bindings(body)] == ["https://w3id.org/mandategraph/doc/A/71/100"]


@pytest.mark.parametrize("path", ["/search.json?q=transforming", "/search.json?q=a%2Fres%2F70%2F1",
                                  "/search.json?q=resolution+70%2F1", "/mandates.json"])
def test_pages_data_same_as_over_a_local_store(front: Front, path: str) -> None:
    """The pages query ``app.state.mg.store`` directly: over RemoteStore they must agree."""
    from fixtures_server import make_client

    status, body, _ = _get(front.url + path, accept="application/json")
    assert status == 200, body[:2000]
    with make_client() as local:
        expected = local.get(path).json()
    # unordered queries may list equal-ranked hits in another order on another engine
    assert _unordered(json.loads(body)) == _unordered(expected)
    assert expected  # the comparison is not between two empty answers


def test_document_page_renders(front: Front) -> None:
    status, body, headers = _get(front.url + "/doc/A/RES/70/1", accept="text/html")
    assert status == 200, body[:2000]
    assert headers["content-type"].startswith("text/html")
    assert "A/RES/70/1" in body.decode("utf-8") and "Transforming our world" in body.decode("utf-8")


@pytest.mark.parametrize("path", ["/", "/mandates", "/instrument/ga/resolution/70-1",
                                  "/shacl?node=https%3A%2F%2Fw3id.org%2Fmandategraph%2Fdoc%2FA%2FRES%2F70%2F1"])
def test_other_pages_render(front: Front, path: str) -> None:
    from fixtures_server import make_client

    status, body, _ = _get(front.url + path, accept="text/html")
    with make_client() as local:
        expected = local.get(path, headers={"Accept": "text/html"})
    assert status == expected.status_code == 200, body[:2000]
    assert len(body) > 200


def test_dataset_description_and_dumps(front: Front) -> None:
    status, body, _ = _get(front.url + "/.well-known/void", accept="application/n-triples")
    assert status == 200 and b"http://rdfs.org/ns/void#triples" in body
    status, body, _ = _get(front.url + "/dumps/", accept="application/json")
    assert status == 200, body
    nq = next(f for f in json.loads(body)["files"] if f["name"].endswith(".nq.gz"))
    status, data, _ = _get(front.url + "/dumps/" + nq["name"], accept="*/*")
    assert status == 200 and b"A/RES/70/1" in gzip.decompress(data)


def test_service_is_refused(front: Front) -> None:
    status, body, _ = _sparql(front.url + "/sparql",
                              "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert status == 403 and b"SERVICE" in body  # the guard, before anything is sent


def test_writes_are_refused_clearly(front: Front) -> None:
    req = urllib.request.Request(front.url + "/update", data=b"CLEAR ALL", method="POST",
                                 headers={"Content-Type": "application/sparql-update",
                                          "Authorization": "Bearer s3cret"})
    try:
        urllib.request.urlopen(req, timeout=10)
        status, body = 200, b""
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    assert status == 501 and b"remote SPARQL store" in body and b"push" in body
    status, body, _ = _sparql(front.url + "/sparql", "ASK { ?s ?p ?o }")
    assert json.loads(body)["boolean"] is True  # the remote data is untouched


GRAPH = "https://w3id.org/mandategraph/graph/A/RES/70/1/@en"


def test_dataset_from_protocol_parameters_and_from_clauses(front: Front) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    _, direct, _ = _sparql(front.remote_query, count, **{"default-graph-uri": GRAPH})
    n = _bindings(direct)[0]["n"]["value"]
    _, all_, _ = _sparql(front.remote_query, count, **{"union-default-graph": "true"})
    assert int(n) < int(_bindings(all_)[0]["n"]["value"])
    status, body, _ = _sparql(front.url + "/sparql", count, **{"default-graph-uri": GRAPH})
    assert status == 200 and _bindings(body)[0]["n"]["value"] == n
    status, body, _ = _sparql(front.url + "/sparql",
                              f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}> WHERE {{ ?s ?p ?o }}")
    assert status == 200 and _bindings(body)[0]["n"]["value"] == n


def test_timeout_stops_a_long_query_and_the_next_one_answers(front: Front) -> None:
    t0 = time.monotonic()
    status, body, _ = _sparql(front.url + "/sparql", HEAVY)
    assert status == 503, body
    assert time.monotonic() - t0 < 10
    status, body, _ = _sparql(front.url + "/sparql", ROWS)
    assert status == 200 and _bindings(body)


def test_unreachable_remote_fails_at_start(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "mandategraph", "serve", "--store",
                        f"sparql+http://127.0.0.1:{port}/query", "--port", str(free_port())],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert f"127.0.0.1:{port}" in r.stderr and "connection refused" in r.stderr
