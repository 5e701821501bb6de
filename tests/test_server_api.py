"""Named queries as an API, the authenticated update/ingest routes, and settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures_server import BASE

UN = "https://w3id.org/mandategraph/ontology#"
TOKEN = {"Authorization": "Bearer s3cret"}


# ------------------------------------------------------------------ named queries
def test_queries_listed_with_descriptions(client):
    r = client.get("/queries")
    assert r.status_code == 200
    by_name = {q["name"]: q for q in r.json()}
    assert by_name, "no named queries listed"
    assert all(q["description"] for q in by_name.values())
    assert not any(n.startswith("_") for n in by_name)
    assert "page-search-symbol" in by_name and by_name["page-search-symbol"]["params"] == ["symbol"]


def test_named_query_runs_with_bound_parameter(client):
    r = client.get("/queries/page-search-symbol", params={"symbol": "A/71/100"})
    assert r.status_code == 200
    assert [b["doc"]["value"] for b in r.json()["results"]["bindings"]] == [f"{BASE}/doc/A/71/100"]
    csv = client.get("/queries/page-search-symbol", params={"symbol": "A/71/100", "format": "csv"})
    assert csv.text.splitlines() == ["doc", f"{BASE}/doc/A/71/100"]


def test_named_query_parameter_is_not_spliced(client):
    evil = 'A/71/100" } UNION { ?doc ?p ?o } #'
    r = client.get("/queries/page-search-symbol", params={"symbol": evil})
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []


def test_named_query_errors(client):
    assert client.get("/queries/page-search-symbol").status_code == 400  # missing parameter
    assert client.get("/queries/page-search-symbol", params={"symbol": "x", "bogus": "1"}).status_code == 400
    assert client.get("/queries/no-such-query").status_code == 404
    assert client.get("/queries/_resource", params={"iri": BASE}).status_code == 404  # internal


def test_named_query_text(client):
    r = client.get("/queries/page-search-symbol.rq")
    assert r.status_code == 200 and "# title:" in r.text and "SELECT" in r.text


# ------------------------------------------------------------------ update / ingest
def test_update_off_without_token(client):
    r = client.post("/update", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 404
    assert client.post("/ingest?graph=" + BASE + "/graph/x", content=b"",
                       headers={"Content-Type": "text/turtle"}).status_code == 404


def test_update_needs_the_token(writable_client):
    c = writable_client
    body = f'INSERT DATA {{ GRAPH <{BASE}/graph/t> {{ <{BASE}/doc/T/1> <{UN}symbol> "T/1" }} }}'.encode()
    h = {"Content-Type": "application/sparql-update"}
    assert c.post("/update", content=body, headers=h).status_code == 401
    r = c.post("/update", content=body, headers={**h, "Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    assert c.post("/update", content=body, headers={**h, **TOKEN}).status_code == 204
    r = c.get("/sparql", params={"query": f'ASK {{ ?d <{UN}symbol> "T/1" }}'})
    assert r.json()["boolean"] is True, "workers must see the write"
    assert c.get("/doc/T/1.nt").status_code == 200


def test_update_route_still_never_fetches(writable_client, listener):
    h = {"Content-Type": "application/sparql-update", **TOKEN}
    for text in (f"LOAD <{listener.url}>", "LOAD <file:///etc/passwd>",
                 f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"):
        r = writable_client.post("/update", content=text.encode(), headers=h)
        assert r.status_code == 403, text
    assert listener.connections == []


def test_ingest_replaces_a_graph(writable_client):
    c = writable_client
    g = f"{BASE}/graph/upload"
    ttl = f'<{BASE}/doc/U/1> <{UN}symbol> "U/1" .'.encode()
    r = c.post("/ingest", params={"graph": g}, content=ttl, headers={"Content-Type": "text/turtle", **TOKEN})
    assert r.status_code == 200 and r.json() == {"graphs": {g: 1}}
    ttl2 = f'<{BASE}/doc/U/2> <{UN}symbol> "U/2" .'.encode()
    c.post("/ingest", params={"graph": g}, content=ttl2, headers={"Content-Type": "text/turtle", **TOKEN})
    q = f"SELECT ?s {{ GRAPH <{g}> {{ ?d <{UN}symbol> ?s }} }}"
    assert [b["s"]["value"] for b in c.get("/sparql", params={"query": q}).json()["results"]["bindings"]] == ["U/2"]
    # the dumps follow the write
    assert any(b"U/2" in line for line in __import__("gzip").decompress(
        c.get("/dumps/mandategraph.nq.gz").content).splitlines())


def test_ingest_refuses_unsafe_input(writable_client, listener):
    c = writable_client
    g = f"{BASE}/graph/upload"
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')
    r = c.post("/ingest", params={"graph": g}, content=bomb, headers={"Content-Type": "application/rdf+xml", **TOKEN})
    assert r.status_code == 400 and "DOCTYPE" in r.text
    remote_ctx = ('{"@context": "%s", "@id": "%s/doc/X", "symbol": "X"}' % (listener.url, BASE)).encode()
    r = c.post("/ingest", params={"graph": g}, content=remote_ctx,
               headers={"Content-Type": "application/ld+json", **TOKEN})
    assert r.status_code == 400
    assert listener.connections == [], "a remote JSON-LD context was fetched"
    r = c.post("/ingest", params={"graph": "http://elsewhere.example/g"}, content=b"",
               headers={"Content-Type": "text/turtle", **TOKEN})
    assert r.status_code == 403


# ------------------------------------------------------------------ settings
def test_settings_precedence(tmp_path: Path):
    from mandategraph.server.settings import Settings, SettingsError

    cfg = tmp_path / "s.toml"
    cfg.write_text('[server]\ntimeout_s = 3\nrow_cap = 7\nservice_allowlist = ["https://query.wikidata.org/sparql"]\n')
    s = Settings.load(cfg, env={"MANDATEGRAPH_SERVER_ROW_CAP": "9", "MANDATEGRAPH_SERVER_SANDBOX": "false"},
                      workers=3)
    assert (s.timeout_s, s.row_cap, s.workers, s.sandbox) == (3.0, 9, 3, False)
    assert s.service_allowed("https://query.wikidata.org/sparql")
    assert not s.service_allowed("https://query.wikidata.org/sparql/other")
    with pytest.raises(SettingsError, match="unknown setting 'nope'"):
        Settings.load(env={}, nope=1)
    bad = tmp_path / "bad.toml"
    bad.write_text("row_cap = 'many'\n")
    with pytest.raises(SettingsError, match="bad.toml"):
        Settings.load(bad, env={})


def test_every_setting_is_documented():
    from mandategraph.server.settings import SETTING_NAMES

    doc = (Path(__file__).resolve().parent.parent / "docs" / "server.md").read_text(encoding="utf-8")
    missing = [n for n in SETTING_NAMES if f"`{n}`" not in doc]
    assert missing == [], f"settings missing from docs/server.md: {missing}"


def test_allowlisted_service_passes_the_guard():
    from mandategraph.server.guard import GuardError, check_query

    allowed = "https://query.wikidata.org/sparql"
    ok = check_query(f"SELECT * {{ SERVICE <{allowed}> {{ ?s ?p ?o }} }}", max_length=1000,
                     local_base=BASE + "/", service_allowed=lambda i: i == allowed)
    assert ok.services == (allowed,)
    with pytest.raises(GuardError):
        check_query("SELECT * { SERVICE <https://query.wikidata.org/sparql2> { ?s ?p ?o } }",
                    max_length=1000, local_base=BASE + "/", service_allowed=lambda i: i == allowed)


def test_openapi_docs_served_offline(client) -> None:
    """/docs works without the internet: every script and stylesheet it loads is ours."""
    import re

    page = client.get("/docs")
    assert page.status_code == 200
    refs = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert refs, page.text[:500]
    assert not [r for r in refs if r.startswith(("http:", "https:", "//"))], refs
    for ref in refs:
        assert client.get(ref).status_code == 200, ref
    assert client.get("/openapi.json").json()["info"]["title"] == "mandategraph"
