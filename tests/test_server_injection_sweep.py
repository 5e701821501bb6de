"""The injection sweep over every route and parameter (issue 15, Build 1), with the workers'
network sandbox OFF, so the first line alone is tested: parameter binding that cannot change
a query's shape. Any value that became SPARQL structure with a SERVICE in it would make the
engine connect to the listener this test opens on 127.0.0.1.

Routes and their parameters come from the app's own OpenAPI description (so a new route is
swept without editing this file), plus every public named query with each of its declared
parameters, and the minted-IRI paths. Every answer is a 4xx or a correct page (< 500), and
the listener receives nothing.
"""

from __future__ import annotations

import time
from typing import Iterator
from urllib.parse import quote

import pytest

from fixtures_server import BASE, make_client

pytestmark = pytest.mark.server


def corpus(target: str) -> list[str]:
    svc = f"SERVICE SILENT <{target}> {{ ?a ?b ?c }}"
    return [
        f'x" . }} {svc} #',
        f"x' . }} {svc} #",
        f"urn:x>) }} {svc} VALUES (?zz) {{ (<urn:y",
        f"urn:x> }} {svc} #",
        f"x\n}} {svc}\n#",
        f"x\\u0022 . }} {svc} #",
        f"x\\u003E) }} {svc} #",
        f"{BASE}/doc/A/71/100> . }} {svc} {{ <urn:y",
        f"1) }} {svc} #",
        f'A/71/100" }} UNION {{ {svc} }} #',
        "}", ">", "#", "\\", "'", '"',
    ]


@pytest.fixture(scope="module")
def unsandboxed() -> Iterator:
    with make_client(sandbox=False, timeout_s=5.0) as c:
        yield c


def _check(listener, bad: list, label: str) -> None:
    time.sleep(0.3)
    assert listener.connections == [], f"{label}: the engine called the listener"
    assert bad == [], f"{label}: {bad[:5]}"


def test_every_route_and_parameter(unsandboxed, listener):
    c = unsandboxed
    spec = c.get("/openapi.json").json()["paths"]
    swept = 0
    bad = []
    for path, ops in spec.items():
        if "{" in path or path in ("/update", "/ingest"):
            continue
        for method, op in ops.items():
            names = [p["name"] for p in op.get("parameters", []) if p.get("in", "query") == "query"]
            for name in names:
                for value in corpus(listener.url):
                    if method == "get":
                        r = c.get(path, params={name: value})
                    else:
                        r = c.post(path, data={name: value})
                    swept += 1
                    if r.status_code >= 500:
                        bad.append((method, path, name, value, r.status_code, r.text[:150]))
    assert swept > 200
    _check(listener, bad, "routes")


def test_every_named_query_parameter(unsandboxed, listener):
    c = unsandboxed
    bad = []
    queries = c.get("/queries").json()
    assert len(queries) > 10
    for q in queries:
        for param in q["params"]:
            others = {p: "A/71/100" for p in q["params"] if p != param}
            for value in corpus(listener.url):
                r = c.get(f"/queries/{q['name']}", params={**others, param: value})
                if r.status_code >= 500:
                    bad.append((q["name"], param, value, r.status_code, r.text[:150]))
    _check(listener, bad, "named queries")


def test_minted_paths(unsandboxed, listener):
    c = unsandboxed
    bad = []
    for prefix in ("doc", "instrument", "body", "agenda", "graph"):
        for value in corpus(listener.url):
            for accept in ("text/turtle", "text/html"):
                r = c.get(f"/{prefix}/{quote(value, safe='')}", headers={"Accept": accept})
                if r.status_code >= 500:
                    bad.append((prefix, value, accept, r.status_code, r.text[:150]))
    _check(listener, bad, "minted paths")


def test_the_sweep_can_fail(listener):
    """A check that cannot fail is a defect: with binding bypassed (the value pasted into a
    page query's text), the unsandboxed engine does reach the listener."""
    import pyoxigraph as ox

    value = corpus(listener.url)[2]
    text = f"SELECT ?p ?v WHERE {{ VALUES (?iri) {{ (<{value}>) }} OPTIONAL {{ ?iri ?p ?v }} }}"
    try:
        list(ox.Store().query(text))
    except (OSError, SyntaxError, ValueError):
        pass
    time.sleep(0.5)
    assert listener.connections, "the control case did not reach the listener: the sweep proves nothing"
