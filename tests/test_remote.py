"""Remote store against a real Oxigraph server on 127.0.0.1: push, sync, queries, errors, auth."""

from __future__ import annotations

import http.server
import io
import json
import threading
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from mandategraph.build.reference_graph import iter_reference_triples, reference_graph_iri
from mandategraph.query import registry
from mandategraph.store.remote import RemoteError, RemoteStore
from mandategraph.store.push import push_store
from mandategraph.store.oxigraph_store import OxigraphStore
from mandategraph.store.factory import open_store
from bench.synth import write_nquads

from fixtures_scale import normalised_answer, sample_bindings

pytestmark = pytest.mark.server
UN = "https://w3id.org/mandategraph/ontology#"


def small_store(docs: int = 60, seed: int = 3) -> OxigraphStore:
    """A small embedded store: a synthetic corpus (one graph per document) + the reference graph."""
    buf = io.StringIO()
    write_nquads(buf, docs, seed)
    st = OxigraphStore(None)
    st.ox.bulk_load(buf.getvalue().encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    st.replace_graph(str(reference_graph_iri()), iter_reference_triples())
    return st


def test_push_then_only_changed_graphs_then_deletions(oxigraph_server) -> None:
    local = small_store()
    remote = RemoteStore(oxigraph_server.query)
    first = push_store(local, remote)
    assert len(first.pushed) == len(local.named_graphs()) and not first.unchanged
    assert remote.count() == local.count()
    assert remote.named_graphs() == local.named_graphs()
    assert remote.source_digests() == local.source_digests()

    # nothing changed: nothing is sent
    again = push_store(local, remote)
    assert again.pushed == [] and len(again.unchanged) == len(local.named_graphs())

    # change one source graph (new digest), the reference graph (content), delete another
    digests = local.source_digests()
    changed, deleted = sorted(digests)[:2]
    triples = [(s, p, o) for s, p, o, _ in local.quads(changed)]
    triples = [(s, p, Literal("0" * 64) if str(p) == UN + "sha256" else o) for s, p, o in triples]
    triples.append((URIRef(changed), URIRef(UN + "title"), Literal("new")))
    local.replace_graph(changed, triples)
    ref = str(reference_graph_iri())
    local.replace_graph(ref, [*iter_reference_triples(),
                              (URIRef("https://example.org/b"), URIRef(UN + "title"), Literal("x"))])
    local.remove_graph(deleted)
    third = push_store(local, remote)
    assert sorted(third.pushed) == sorted([changed, ref])
    assert third.removed == [deleted]
    assert remote.named_graphs() == local.named_graphs()
    assert sorted(remote.graph_triples(changed)) == sorted(triples)
    assert remote.count() == local.count()
    assert "2 pushed" in third.summary() and "1 removed" in third.summary()


def test_push_leaves_foreign_graphs_alone(oxigraph_server) -> None:
    remote = RemoteStore(oxigraph_server.query)
    foreign = "https://example.org/someone-elses-graph"
    remote.replace_graph(foreign, [(URIRef("https://example.org/a"), URIRef(UN + "title"), Literal("a"))])
    push_store(small_store(10), remote)
    assert foreign in remote.named_graphs()


def test_store_interface_and_named_queries_match_embedded(oxigraph_server) -> None:
    local = small_store()
    remote = open_store(f"sparql+{oxigraph_server.query}")
    assert isinstance(remote, RemoteStore)
    push_store(local, remote)
    # every named query, with sample parameters, gives the same answer on both
    for name, q in registry().items():
        for b in sample_bindings(local, q):
            assert normalised_answer(local, q.text, b) == normalised_answer(remote, q.text, b), (name, b)
    # construct, ask, bound parameters (the same VALUES mechanism)
    sym = local.select(f"SELECT ?s WHERE {{ ?d <{UN}mandatedBy> ?r ; <{UN}symbol> ?s }} LIMIT 1").rows[0][0]
    q = f"SELECT ?d ?r WHERE {{ ?d <{UN}symbol> ?symbol ; <{UN}mandatedBy> ?r }}"
    assert remote.select(q, {"symbol": sym}).values() == local.select(q, {"symbol": sym}).values()
    assert remote.ask(f"ASK {{ ?d <{UN}symbol> ?symbol }}", {"symbol": sym})
    c = f"CONSTRUCT {{ ?d <{UN}symbol> ?symbol }} WHERE {{ ?d <{UN}symbol> ?symbol }}"
    assert remote.construct(c, {"symbol": sym}) == local.construct(c, {"symbol": sym})
    g = local.named_graphs()[0]
    assert sorted(remote.quads(g)) == sorted(local.quads(g))


def test_cli_query_endpoint_same_output_as_embedded(oxigraph_server, tmp_path: Path) -> None:
    local_dir = tmp_path / "store"
    st = OxigraphStore(local_dir)
    src = small_store(30)
    for g in src.named_graphs():
        st.replace_graph(g, [(s, p, o) for s, p, o, _ in src.quads(g)])
    st.close()
    runner = CliRunner()
    r = runner.invoke(_main(), ["push", "--store", str(local_dir), "--endpoint", oxigraph_server.query])
    assert r.exit_code == 0, r.output
    assert "pushed" in r.output
    r2 = runner.invoke(_main(), ["push", "--store", str(local_dir), "--endpoint", oxigraph_server.query])
    assert "0 pushed" in r2.output
    for fmt in ("json", "csv", "table"):
        a = runner.invoke(_main(), ["query", "_source-graphs", "--store", str(local_dir), "--format", fmt])
        b = runner.invoke(_main(), ["query", "_source-graphs", "--endpoint", oxigraph_server.query,
                                    "--format", fmt])
        assert a.exit_code == 0 and b.exit_code == 0, (a.output, b.output)
        assert a.output == b.output


def _main():
    from mandategraph.cli import main

    return main


# ----------------------------------------------------------------------------- errors


def test_server_down_is_a_clear_error(oxigraph_server) -> None:
    url = oxigraph_server.query
    oxigraph_server.stop()
    remote = RemoteStore(url, retries=1, backoff=0.01)
    with pytest.raises(RemoteError, match="connection refused"):
        remote.select("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(RemoteError, match="cannot reach"):
        remote.replace_graph("https://example.org/g", [])
    r = CliRunner().invoke(_main(), ["query", "_source-graphs", "--endpoint", url])
    assert r.exit_code == 2 and "connection refused" in r.output


def test_bad_query_reports_the_servers_message(oxigraph_server) -> None:
    remote = RemoteStore(oxigraph_server.query, retries=0)
    with pytest.raises(RemoteError) as e:
        remote.select("SELECT ?x WHERE { ?x ?y }")
    assert e.value.status == 400
    assert "HTTP 400" in str(e.value) and "error" in str(e.value).lower()


def test_read_only_server_refuses_writes(tmp_path: Path) -> None:
    from fixtures_scale import start_oxigraph

    srv = start_oxigraph(tmp_path / "ro", read_only=True)
    try:
        remote = RemoteStore(srv.query, retries=0)
        assert remote.ask("ASK {}") is True
        with pytest.raises(RemoteError) as e:
            remote.replace_graph("https://example.org/g",
                                 [(URIRef("https://example.org/a"), URIRef(UN + "title"), Literal("a"))])
        assert e.value.status is not None and 400 <= e.value.status < 500
    finally:
        srv.stop()


# ----------------------------------------------------------------------------- auth, retries


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A fake SPARQL endpoint that records headers and fails the first N requests with 503."""

    seen: list[dict[str, str]] = []
    fail_first = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).seen.append(dict(self.headers))
        if type(self).fail_first > 0:
            type(self).fail_first -= 1
            self.send_response(503)
            self.end_headers()
            self.wfile.write(b"busy, try later")
            return
        body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [
            {"x": {"type": "literal", "value": "ok"}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def recorder() -> Iterator[str]:
    _Recorder.seen = []
    _Recorder.fail_first = 0
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/sparql"
    finally:
        srv.shutdown()
        srv.server_close()


def test_basic_and_bearer_auth_headers_are_sent(recorder: str) -> None:
    RemoteStore(recorder, user="alice", password="s3cret").select("SELECT ?x WHERE {}")
    assert _Recorder.seen[-1]["Authorization"] == "Basic YWxpY2U6czNjcmV0"
    RemoteStore(recorder, token="tok-123").select("SELECT ?x WHERE {}")
    assert _Recorder.seen[-1]["Authorization"] == "Bearer tok-123"
    with pytest.raises(RemoteError, match="both a user and a password"):
        RemoteStore(recorder, user="alice")


def test_transient_errors_are_retried_with_a_bound(recorder: str) -> None:
    _Recorder.fail_first = 2
    res = RemoteStore(recorder, retries=3, backoff=0.01).select("SELECT ?x WHERE {}")
    assert res.values() == [("ok",)]
    assert len(_Recorder.seen) == 3
    _Recorder.seen = []
    _Recorder.fail_first = 10
    with pytest.raises(RemoteError, match="HTTP 503"):
        RemoteStore(recorder, retries=2, backoff=0.01).select("SELECT ?x WHERE {}")
    assert len(_Recorder.seen) == 3  # first try + 2 retries, then it gives up


def test_from_url_derives_oxigraph_endpoints() -> None:
    r = RemoteStore.from_url("sparql+http://u:p@127.0.0.1:7878/query")
    assert (r.endpoint, r.update_endpoint, r.graph_store) == (
        "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store")
    assert (r.user, r.password) == ("u", "p")
    v = RemoteStore.from_url("sparql+http://127.0.0.1:8890/sparql?update=http://127.0.0.1:8890/sparql-auth")
    assert v.update_endpoint == "http://127.0.0.1:8890/sparql-auth" and v.graph_store is None
