"""Every request bounded (issue 15), against a live ``mandategraph serve`` on 127.0.0.1:

- a light query answers within 1 s while two heavy ones of another client run;
- a dropped connection stops its query (its worker is free again within 1 s);
- a query over the worker memory cap gets 503 with a message, and the server serves on;
- an idle connection is closed after ``idle_timeout_s``.

Clients are told apart by address: the light client connects from 127.0.0.2 (Linux routes all
of 127/8 to the loopback), the heavy one from 127.0.0.1.
"""

from __future__ import annotations

import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import httpx
import pytest

from fixtures_server import LiveServer, start_serve, stop_serve

pytestmark = pytest.mark.server
TIMEOUT_S = 8.0
SIMPLE = 'PREFIX un: <https://w3id.org/mandategraph/ontology#> SELECT ?d { ?d un:symbol "A/71/100" }'
HEAVY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?x ?y ?z }"
_D = " ".join(str(i) for i in range(10))
HUNGRY = ("SELECT ?x WHERE { " + " ".join(f"VALUES ?{v} {{ {_D} }}" for v in "abcdef") +
          ' BIND(CONCAT(STR(?a), STR(?b), STR(?c), STR(?d), STR(?e), STR(?f), "' + "x" * 2000 +
          '") AS ?x) } ORDER BY DESC(?x) LIMIT 1')


@pytest.fixture(scope="module")
def limited_server(disk_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    config = (f"[server]\ntimeout_s = {TIMEOUT_S}\nrow_cap = 1000\nworkers = 2\n"
              "worker_memory_mb = 400\nidle_timeout_s = 1.0\n"
              f"dumps_dir = \"{tmp_path_factory.mktemp('dumps')}\"\n")
    proc, url = start_serve(str(disk_store), config, tmp_path_factory.mktemp("limits-cfg"), wait_s=40)
    try:
        yield LiveServer(url, proc.pid, disk_store)
    finally:
        stop_serve(proc)


def _client(source: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=30)


def _get(c: httpx.Client, url: str, query: str) -> httpx.Response:
    return c.get(url + "/sparql", params={"query": query})


def test_light_query_answers_while_two_heavy_ones_run(limited_server):
    url = limited_server.url
    with ThreadPoolExecutor(3) as ex, _client("127.0.0.1") as heavy, _client("127.0.0.2") as light:
        futs = [ex.submit(_get, heavy, url, HEAVY) for _ in range(2)]
        time.sleep(1.0)  # both heavy queries are running (and past the heavy threshold)
        t0 = time.monotonic()
        r = _get(light, url, SIMPLE)
        took = time.monotonic() - t0
        statuses = sorted(f.result().status_code for f in futs)
    assert r.status_code == 200, r.text
    assert took < 1.0, f"the light query took {took:.2f} s beside two heavy ones"
    assert statuses[0] in (429, 503) and statuses[-1] in (200, 429, 503), statuses


def _raw_get(url: str, query: str) -> socket.socket:
    host, port = url.split("//")[1].split(":")
    s = socket.create_connection((host, int(port)), timeout=5)
    s.sendall(f"GET /sparql?query={quote(query)} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    return s


def test_dropped_connection_stops_its_query(limited_server):
    url = limited_server.url
    socks = [_raw_get(url, HEAVY) for _ in range(2)]  # both workers busy for TIMEOUT_S
    time.sleep(0.5)
    for s in socks:
        s.close()
    time.sleep(1.0)
    t0 = time.monotonic()
    with _client("127.0.0.1") as c:
        r = _get(c, url, SIMPLE)
    took = time.monotonic() - t0
    assert r.status_code == 200
    assert took < 1.0, f"the workers were still busy {took + 1:.1f} s after the clients left"


def test_memory_cap_stops_the_query_with_503(limited_server):
    with _client("127.0.0.3") as c:
        r = _get(c, limited_server.url, HUNGRY)
        assert r.status_code == 503, r.text[:300]
        assert "memory" in r.text
        time.sleep(1.5)  # a fresh worker starts
        for _ in range(3):
            assert _get(c, limited_server.url, SIMPLE).status_code == 200


def test_idle_connection_is_closed(limited_server):
    host, port = limited_server.url.split("//")[1].split(":")
    for first in (b"", b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"):
        s = socket.create_connection((host, int(port)), timeout=10)
        try:
            if first:
                s.sendall(first)
            t0 = time.monotonic()
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            waited = time.monotonic() - t0
        finally:
            s.close()
        assert waited < 6, f"an idle connection stayed open {waited:.1f} s"
        assert (b"200 OK" in data) == bool(first)
