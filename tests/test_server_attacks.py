"""Issue 15's attacks, each against a live ``mandategraph serve`` (uvicorn, uvloop when
installed) on 127.0.0.1, while a listener this test opens on 127.0.0.1 counts every connection.

- SPARQL injection through the page routes' IRI parameters (``/shacl?node=``,
  ``/resource?iri=``, ``/lineage.svg?iri=``) and the minted paths: 0 connections reach the
  listener, every answer is a 4xx or a correct page (never a 5xx);
- the guard walk-past (a prefixed name whose local part the old tokenizer misread), at
  ``/sparql`` and, with the token, at ``/update``;
- one request's denial of service: a 60 KB symbol, a deep JSON-LD body, ``/queries/X.rq.rq``,
  ``lineage`` of an unknown symbol.

Every network wait here is bounded (httpx timeouts, listener polling), and every server is
stopped by its process id.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from fixtures_server import BASE, LiveServer, start_serve, stop_serve

pytestmark = pytest.mark.server
TOKEN = "s3cret-attack"
SIMPLE = 'PREFIX un: <https://w3id.org/mandategraph/ontology#> SELECT ?d { ?d un:symbol "A/71/100" }'


@pytest.fixture(scope="module")
def attack_server(disk_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A writable server over a private copy of the sample store (updates are tested here)."""
    import shutil

    store = tmp_path_factory.mktemp("attack-store") / "store"
    shutil.copytree(disk_store, store)
    config = ("[server]\ntimeout_s = 3.0\nrow_cap = 10000\nworkers = 2\n"
              f'update_token = "{TOKEN}"\n'
              f"dumps_dir = \"{tmp_path_factory.mktemp('dumps')}\"\n")
    proc, url = start_serve(str(store), config, tmp_path_factory.mktemp("attack-cfg"), wait_s=40)
    try:
        yield LiveServer(url, proc.pid, store)
    finally:
        stop_serve(proc)


def _quiet(listener, wait: float = 0.5) -> None:
    time.sleep(wait)
    assert listener.connections == [], (
        f"the server connected to the listener {len(listener.connections)} time(s): "
        f"{listener.connections[:1]!r}")


def injection_corpus(target: str) -> list[str]:
    """IRI-parameter values that try to close the term and add a SERVICE call to ``target``."""
    svc = f"SERVICE SILENT <{target}> {{ ?a ?b ?c }}"
    return [
        f"urn:x>) }} {svc} VALUES (?zz) {{ (<urn:y",
        f"urn:x> }} {svc} #",
        f"urn:x>\n}} {svc}\n#",
        f"urn:x\\u003E) }} {svc} VALUES (?zz) {{ (<urn:y",
        f"urn:x\"'}} {svc} #",
        f"{BASE}/doc/A/71/100> . }} {svc} {{ <urn:y",
        f"<script>alert(1)</script>{svc}",
        "urn:x>",
        "}",
        "#",
        "",
        f"{BASE}/doc/A/71/100",
    ]


ROUTES = [("/shacl", "node"), ("/resource", "iri"), ("/lineage.svg", "iri")]


@pytest.mark.parametrize("path,param", ROUTES, ids=[r[0] for r in ROUTES])
def test_page_iri_parameters_cannot_inject(attack_server, listener, path, param):
    statuses, bad = [], []
    for value in injection_corpus(listener.url):
        r = httpx.get(attack_server.url + path, params={param: value}, timeout=20)
        statuses.append(r.status_code)
        if r.status_code >= 500:
            bad.append((value, r.status_code, r.text[:200]))
    _quiet(listener)
    assert bad == []
    assert 200 in statuses or 404 in statuses  # the good IRI still answers


def test_minted_paths_cannot_inject(attack_server, listener):
    svc = f"SERVICE SILENT <{listener.url}> {{ ?a ?b ?c }}"
    bad = []
    for tail in (f"x> }} {svc} #", f"x%3E%20%7D%20{svc}", "A/71/100%3E"):
        for prefix in ("doc", "instrument", "body", "agenda"):
            for accept in ("text/turtle", "text/html"):
                r = httpx.get(f"{attack_server.url}/{prefix}/{tail}", timeout=20,
                              headers={"Accept": accept})
                if r.status_code >= 500:
                    bad.append((prefix, tail, r.status_code, r.text[:200]))
    _quiet(listener)
    assert bad == []


def walk_past(target: str, keyword: str = "SERVICE") -> str:
    return ("PREFIX ex: <http://example.org/> SELECT * WHERE { VALUES ?z { ex:a\u3001\\' } "
            f"{keyword} <{target}> {{ ?a ?b ?c }} }} #'")


def test_guard_walk_past_at_sparql(attack_server, listener):
    for send in (lambda q: httpx.get(attack_server.url + "/sparql", params={"query": q}, timeout=20),
                 lambda q: httpx.post(attack_server.url + "/sparql", content=q.encode(), timeout=20,
                                      headers={"Content-Type": "application/sparql-query"})):
        r = send(walk_past(listener.url))
        assert r.status_code == 403, r.text
        assert "SERVICE" in r.text
    _quiet(listener)


@pytest.mark.parametrize("update", [
    "PREFIX ex: <http://example.org/> INSERT { <urn:a> <urn:b> ?z } WHERE {{ VALUES ?z {{ ex:a\u3001\\' }} "
    "SERVICE <{L}> {{ ?a ?b ?c }} }} #'",
    "PREFIX ex: <http://example.org/> INSERT DATA {{ <urn:a> <urn:b> ex:a\u3001\\' }} ; LOAD <{L}> #'",
    "LOAD <{L}>",
    "INSERT {{ <urn:a> <urn:b> ?c }} WHERE {{ SERVICE <{L}> {{ ?a ?b ?c }} }}",
], ids=["service", "load", "plain-load", "plain-service"])
def test_guard_walk_past_at_update(attack_server, listener, update):
    text = update.replace("{L}", listener.url).replace("{{", "{").replace("}}", "}")
    r = httpx.post(attack_server.url + "/update", content=text.encode(), timeout=20,
                   headers={"Content-Type": "application/sparql-update",
                            "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code in (400, 403), r.text
    _quiet(listener)


def _simple_time(url: str) -> float:
    t0 = time.monotonic()
    r = httpx.get(url + "/sparql", params={"query": SIMPLE}, timeout=30)
    assert r.status_code == 200, r.text
    return time.monotonic() - t0


def test_long_symbol_does_not_freeze_the_server(attack_server):
    """60 KB of ``A   A   ...`` used to hold the event loop for 12 s (a quadratic regex)."""
    symbol = "A" + "   A" * 15_000
    with ThreadPoolExecutor(2) as ex:
        t0 = time.monotonic()
        fut = ex.submit(httpx.get, attack_server.url + "/queries/mandated-by",
                        params={"symbol": symbol}, timeout=60)
        time.sleep(0.2)
        simple = ex.submit(_simple_time, attack_server.url).result()
        r = fut.result()
        took = time.monotonic() - t0
    assert r.status_code in (400, 404, 414), r.text[:300]
    assert simple < 1.0, f"a simple query took {simple:.2f} s beside the long symbol"
    assert took < 3.0, f"the long symbol took {took:.2f} s"


def test_named_query_text_only_from_the_package(attack_server):
    """``/queries/X.rq.rq`` used to read ``X.rq`` from the server's working directory."""
    root = Path(__file__).resolve().parent.parent  # start_serve's cwd
    probe = root / "attackprobe.rq"
    probe.write_text("# title: secret\nSELECT ('leaked' AS ?x) {}\n", encoding="utf-8")
    try:
        for path in ("/queries/attackprobe.rq.rq", "/queries/attackprobe.rq",
                     "/queries/..%2Fattackprobe.rq"):
            r = httpx.get(attack_server.url + path, timeout=20)
            assert r.status_code == 404, (path, r.status_code, r.text[:200])
            assert "leaked" not in r.text
    finally:
        probe.unlink()


def test_unknown_symbol_lineage_is_404(attack_server):
    for name in ("lineage", "mandated-by"):
        r = httpx.get(attack_server.url + f"/queries/{name}", params={"symbol": "Z/NOPE/1"},
                      timeout=20)
        assert r.status_code == 404, (name, r.status_code, r.text[:300])
    r = httpx.get(attack_server.url + "/queries/lineage", params={"symbol": "A/RES/72/9"}, timeout=20)
    assert r.status_code == 200, r.text


def _deep_jsonld(depth: int) -> bytes:
    head = ('{"@id": "%s/x", "%s/p": ' % (BASE, BASE)) * depth
    return (head + '"leaf"' + "}" * depth).encode()


def test_deep_json_ld_is_refused_before_parsing(attack_server):
    """80 KB of nested JSON-LD used to crash the server process (a stack overflow)."""
    body = ("[" * 40_000 + "]" * 40_000).encode()
    for payload in (body, _deep_jsonld(3000)):
        r = httpx.post(attack_server.url + "/ingest", params={"graph": f"{BASE}/graph/deep"},
                       content=payload, timeout=30,
                       headers={"Content-Type": "application/ld+json",
                                "Authorization": f"Bearer {TOKEN}"})
        assert r.status_code in (400, 413), r.text[:300]
        assert "deep" in r.text or "nest" in r.text
    turtle = ("<urn:a> <urn:b> " + "[ <urn:c> " * 20_000 + "1" + " ]" * 20_000 + " .").encode()
    r = httpx.post(attack_server.url + "/ingest", params={"graph": f"{BASE}/graph/deep"},
                   content=turtle, timeout=30,
                   headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code in (400, 413), r.text[:300]
    assert _simple_time(attack_server.url) < 5  # still alive


def test_head_and_oversize_body(attack_server):
    r = httpx.head(attack_server.url + "/sparql", timeout=20)
    assert r.status_code == 200
    with httpx.Client(timeout=30) as c:
        big = b"SELECT * { ?s ?p ?o } #" + b"x" * (10 * 1024 * 1024)
        r = c.post(attack_server.url + "/sparql", content=big,
                   headers={"Content-Type": "application/sparql-query"})
        assert r.status_code == 413 and "limit" in r.text
        r = c.get(attack_server.url + "/sparql", params={"query": SIMPLE})  # same client
        assert r.status_code == 200


def test_updates_run_in_the_sandbox(listener, tmp_path):
    """Second line for writes: an update handed straight to the update process (past the
    guard) cannot reach the listener, since it runs without a network like the workers."""
    import pyoxigraph as ox

    from mandategraph.server.guard import GuardError
    from mandategraph.server.sandboxed_update import apply_update
    from mandategraph.store.oxigraph_store import OxigraphStore

    store = OxigraphStore(tmp_path / "store")
    store.ox.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("kept"),
                         ox.NamedNode(f"{BASE}/graph/g")))
    store.flush()
    for text in (f"LOAD <{listener.url}>",
                 f"INSERT {{ <urn:x> <urn:y> ?c }} WHERE {{ SERVICE <{listener.url}> {{ ?a ?b ?c }} }}"):
        with pytest.raises(GuardError):
            apply_update(store, text, None, sandbox=True, timeout=30)
    apply_update(store, f"INSERT DATA {{ GRAPH <{BASE}/graph/g> {{ <urn:a> <urn:b> <rel> }} }}",
                 f"{BASE}/sparql", sandbox=True, timeout=30)
    objects = {q.object.value for q in store.ox.quads_for_pattern(ox.NamedNode("urn:a"), None, None)}
    assert objects == {"kept", f"{BASE}/rel"}  # the store is open again, with the write in it
    _quiet(listener)


def test_oversize_body_413_keeps_the_connection(attack_server):
    """A 10 MB body: 413 with a message, read by the client, on a connection that then
    serves the next request (the body is read and dropped first, up to 64 MB)."""
    import socket

    host, port = attack_server.url.split("//")[1].split(":")
    body = b"x" * (10 * 1024 * 1024)
    with socket.create_connection((host, int(port)), timeout=20) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                  b"Content-Length: %d\r\n\r\n" % len(body) + body)
        first = _read_response(s)
        assert first.startswith(b"HTTP/1.1 413") and b"over the limit" in first
        s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n")
        second = _read_response(s)
        assert second.startswith(b"HTTP/1.1 200") and b'"boolean"' in second


def _read_response(s) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length")))
    while len(rest) < length:
        rest += s.recv(65536)
    return head + b"\r\n\r\n" + rest


def test_lineage_of_an_unknown_symbol_is_empty_outside_the_server_too():
    """The CLI and library path (no 404 there): an unknown symbol matched every instrument."""
    from fixtures_server import sample_store
    from mandategraph import query

    store = sample_store()
    assert query.run(store, "lineage", {"symbol": "Z/NOPE/1"}).rows == []
    assert query.run(store, "lineage", {"symbol": "A/RES/72/9"}).rows != []
