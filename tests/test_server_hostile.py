"""Hostile queries against a live server (uvicorn on 127.0.0.1, timeout 2 s, 2 workers).

Each is refused or stopped within the timeout, while a simple query sent at the same time
still answers. SERVICE is aimed at a listener this test opens on 127.0.0.1, which must
receive nothing; no other address is ever used.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from fixtures_server import BASE

TIMEOUT_S = 2.0
SIMPLE = 'PREFIX un: <https://w3id.org/mandategraph/ontology#> SELECT ?d { ?d un:symbol "A/71/100" }'
CARTESIAN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?x ?y ?z }"
REGEX = ("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
         "FILTER(REGEX(CONCAT(STR(?c), STR(?f), STR(?i), 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'), '^(a+)+$')) }")


def simple_ok(url: str) -> float:
    t0 = time.monotonic()
    r = httpx.get(url + "/sparql", params={"query": SIMPLE}, timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"][0]["d"]["value"] == f"{BASE}/doc/A/71/100"
    return time.monotonic() - t0


def hostile_with_concurrent_simple(url: str, send) -> tuple[httpx.Response, float, float]:
    """Send the hostile request, and while it runs a simple query; return (response, its time,
    the simple query's time)."""
    with ThreadPoolExecutor(2) as ex:
        t0 = time.monotonic()
        fut = ex.submit(send)
        time.sleep(0.3)
        simple_time = ex.submit(simple_ok, url).result()
        resp = fut.result()
        return resp, time.monotonic() - t0, simple_time


def _get(url: str, query: str, **kw) -> httpx.Response:
    return httpx.get(url + "/sparql", params={"query": query}, timeout=30, **kw)


@pytest.mark.server
@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <{L}> { ?s ?p ?o } }",
    "select * { service silent <{L}> { ?s ?p ?o } }",
    "PREFIX x: <{L}> SELECT * { SERVICE x: { ?s ?p ?o } }",
    "SELECT * { ?a ?b ?c FILTER EXISTS { SERVICE <{L}> { ?a ?p ?o } } }",
    "SELECT * { { SELECT ?s { SERVICE <{L}> { ?s ?p ?o } } } }",
    "SELECT * { \\u0053ERVICE <{L}> { ?s ?p ?o } }",
    "PREFIX e: <http://e.example/> SELECT * { ?s e:a\\#b SERVICE <{L}> { ?s ?p ?o } }",
    "SELECT * { SERVICE ?endpoint { ?s ?p ?o } VALUES ?endpoint { <{L}> } }",
], ids=["plain", "lower-silent", "prefixed", "exists", "subselect", "u-escape", "pname-escape", "variable"])
def test_service_never_leaves_the_server(live_server, listener, query):
    q = query.replace("{L}", listener.url)
    resp, took, simple = hostile_with_concurrent_simple(live_server.url, lambda: _get(live_server.url, q))
    assert resp.status_code == 403, resp.text
    assert "SERVICE" in resp.text
    time.sleep(0.3)
    assert listener.connections == [], "the server connected to the SERVICE listener"


@pytest.mark.server
def test_service_guard_bypass_still_sandboxed(listener):
    """Second line: even a SERVICE query handed straight to a worker (past the guard) cannot
    reach the listener, because workers run in an empty network namespace."""
    import asyncio

    from fixtures_server import sample_store
    from mandategraph.server.dependencies import snapshot_source
    from mandategraph.server.workers import QueryFailed, QueryJob, WorkerPool

    async def go(folder) -> tuple[set[str], str]:
        pool = WorkerPool(snapshot_source(sample_store(), folder), size=1, sandbox=True)
        await pool.start()
        try:
            job = QueryJob(text=f"SELECT * {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
                           kind="select", fmt="json", cap=10)
            try:
                await pool.run(job, timeout=10)
                outcome = "answered"
            except QueryFailed as e:
                outcome = e.message
            return pool.stats.sandbox, outcome
        finally:
            await pool.stop()

    import tempfile
    from pathlib import Path

    from concurrent.futures import ThreadPoolExecutor

    # a fresh loop in its own thread: an earlier (browser) test may leave one running here
    with tempfile.TemporaryDirectory() as d, ThreadPoolExecutor(1) as ex:
        sandbox, outcome = ex.submit(asyncio.run, go(Path(d))).result()
    assert sandbox & {"netns", "userns+netns"}, f"workers are not sandboxed: {sandbox}"
    assert outcome != "answered"
    time.sleep(0.3)
    assert listener.connections == []


@pytest.mark.server
@pytest.mark.parametrize("query,status", [
    ("SELECT * { ?s ?p <file:///etc/passwd> }", 403),
    ("BASE <file:///etc/> SELECT * { ?s ?p <passwd> }", 403),
    ("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", 403),
    ("SELECT * FROM <http://127.0.0.1:9/graph> { ?s ?p ?o }", 403),
    ("LOAD <file:///etc/passwd>", 400),
    ("LOAD <http://127.0.0.1:9/data.ttl>", 400),
    ("INSERT DATA { <https://w3id.org/mandategraph/x> <https://w3id.org/mandategraph/p> 1 }", 400),
    ("DELETE WHERE { ?s ?p ?o }", 400),
    ("DROP ALL", 400),
], ids=["file-iri", "file-base", "file-from", "foreign-from", "load-file", "load-http", "insert", "delete", "drop"])
def test_refused_queries(live_server, query, status):
    resp, took, simple = hostile_with_concurrent_simple(live_server.url, lambda: _get(live_server.url, query))
    assert resp.status_code == status, resp.text
    assert took < TIMEOUT_S + 1
    r = httpx.get(live_server.url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) > 50  # nothing was deleted


@pytest.mark.server
def test_ten_megabyte_body_refused(live_server):
    body = b"SELECT * { ?s ?p ?o } #" + b"x" * (10 * 1024 * 1024)

    def send() -> httpx.Response:
        return httpx.post(live_server.url + "/sparql", content=body,
                          headers={"Content-Type": "application/sparql-query"}, timeout=30)

    resp, took, simple = hostile_with_concurrent_simple(live_server.url, send)
    assert resp.status_code == 413
    assert simple < 1.5


@pytest.mark.server
@pytest.mark.parametrize("query", [CARTESIAN, REGEX], ids=["cartesian", "regex"])
def test_expensive_queries_are_stopped(live_server, query):
    resp, took, simple = hostile_with_concurrent_simple(live_server.url, lambda: _get(live_server.url, query))
    assert resp.status_code in (200, 503), resp.text
    if resp.status_code == 503:
        assert "stopped" in resp.text
    assert took < TIMEOUT_S + 1.5, f"took {took:.2f} s"
    assert simple < 1.5, f"a simple query took {simple:.2f} s next to it"


@pytest.mark.server
def test_cartesian_product_is_killed_and_worker_replaced(live_server):
    import psutil

    server = psutil.Process(live_server.pid)
    before = {p.pid for p in server.children(recursive=True) if "python" in p.name().lower()}
    t0 = time.monotonic()
    r = _get(live_server.url, CARTESIAN)
    assert r.status_code == 503 and time.monotonic() - t0 < TIMEOUT_S + 1
    time.sleep(1.5)  # a fresh worker starts
    after = {p.pid for p in server.children(recursive=True) if "python" in p.name().lower()}
    assert before - after, "the worker that ran the query should be gone"
    for _ in range(4):  # the pool is whole again
        simple_ok(live_server.url)
    busy = [p for p in server.children(recursive=True) if p.cpu_percent(interval=0.2) > 50]
    assert busy == [], "a killed query must not keep a CPU busy"
