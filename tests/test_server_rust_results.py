"""SELECT answers written by pyoxigraph's Rust writers inside the worker (server._results):
the rows are counted exactly in the bytes whatever the values hold, the cap still cuts and
says so in every format, and the reply reaches the parent as the bytes the engine wrote."""

from __future__ import annotations

import random
import socket
import threading

import orjson
import pyoxigraph as ox
import pytest

from mandategraph.server._results import count_rows
from mandategraph.server._worker import QueryJob, read_reply, reply_frame, run_job, send_reply
from mandategraph.server.guard import screen_query, update_hint

FORMATS = ("json", "xml", "csv", "tsv")
OXF = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
       "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
#: Values that look like the structure the counter reads: quotes, braces, row starts, newlines.
HOSTILE = ['plain', 'a"b', '{}', ',{"', '[{"', '},{"x":{', 'line\nbreak', 'tab\there', '<result>',
           '</result><result>', '"quoted, with comma"', '\r\n', '\\', '\\"', 'ü 漢字', '']
P = ox.NamedNode("http://example.org/p")
Q = ox.NamedNode("http://example.org/q")


def _store(n: int, seed: int) -> ox.Store:
    rnd = random.Random(seed)
    s = ox.Store()
    for i in range(n):
        subj = ox.NamedNode(f"http://example.org/s{i}") if i % 3 else ox.BlankNode(f"b{i}")
        v = rnd.choice(HOSTILE) + rnd.choice(HOSTILE)
        lit = [ox.Literal(v), ox.Literal(v, language="en"),
               ox.Literal(str(i), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))][i % 3]
        s.add(ox.Quad(subj, P, lit))
        if i % 2:
            s.add(ox.Quad(subj, Q, ox.Literal(rnd.choice(HOSTILE))))
    return s


QUERIES = [
    "SELECT ?s ?o ?x WHERE { ?s <http://example.org/p> ?o OPTIONAL { ?s <http://example.org/q> ?x } }",
    "SELECT ?x WHERE { ?s <http://example.org/p> ?o OPTIONAL { ?s <http://example.org/q> ?x } }",  # empty rows
    "SELECT * WHERE { }",
    "SELECT ?o WHERE { ?s <http://example.org/nothing> ?o }",
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("n", [0, 1, 7, 60])
def test_rows_are_counted_exactly_in_the_engines_bytes(fmt: str, n: int) -> None:
    for seed in range(4):
        s = _store(n, seed)
        for q in QUERIES:
            expected = len(list(s.query(q)))
            body = s.query(q).serialize(format=OXF[fmt])
            assert count_rows(body, fmt) == expected, (fmt, n, seed, q, body[:300])


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_worker_passes_the_engines_own_bytes(fmt: str) -> None:
    s = _store(40, 1)
    q = QUERIES[0] + "\n# a comment at the end"
    status, meta, body = run_job(ox, s, QueryJob(text=q, kind="", fmt=fmt, cap=1000))
    assert status == 200 and meta["writer"] == "rust" and meta["truncated"] is False
    assert meta["rows"] == len(list(s.query(q)))
    assert body == s.query(q).serialize(format=OXF[fmt])


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("text", [
    QUERIES[0],
    QUERIES[0] + " LIMIT 500",  # its own LIMIT: the Python path, still capped
    "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } VALUES ?o { \"plain\" \"{}\" \"a\\\"b\" }",
    "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } OFFSET 3",
])
def test_the_cap_still_cuts_and_says_so(fmt: str, text: str) -> None:
    s = _store(80, 2)
    total = len(list(s.query(text)))
    cap = 10
    status, meta, body = run_job(ox, s, QueryJob(text=text, kind="", fmt=fmt, cap=cap))
    assert status == 200
    assert meta["rows"] == min(total, cap)
    assert meta["truncated"] is (total > cap)
    if fmt == "json":  # (the extra "truncated" member: orjson reads it, Oxigraph's parser refuses it)
        assert len(orjson.loads(body)["results"]["bindings"]) == min(total, cap)
    elif fmt in ("xml", "tsv"):
        assert len(list(ox.parse_query_results(body, format=OXF[fmt]))) == min(total, cap)
    if total > cap and fmt == "json":
        assert b'"truncated":true' in body


def test_exactly_the_cap_is_not_truncated() -> None:
    s = _store(10, 3)
    q = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }"
    status, meta, body = run_job(ox, s, QueryJob(text=q, kind="", fmt="json", cap=10))
    assert (meta["rows"], meta["truncated"], meta["writer"]) == (10, False, "rust")


def test_graph_and_boolean_answers_keep_their_paths() -> None:
    s = _store(12, 4)
    status, meta, body = run_job(ox, s, QueryJob(text="CONSTRUCT WHERE { ?s ?p ?o }", kind="", fmt="json",
                                                 cap=5, graph_fmt="ntriples"))
    assert (status, meta["kind"], meta["rows"], meta["truncated"]) == (200, "graph", 5, True)
    assert body.count(b"\n") == 5
    status, meta, body = run_job(ox, s, QueryJob(text="ASK { ?s ?p ?o }", kind="", fmt="json", cap=5))
    assert (status, meta["kind"], body) == (200, "ask", b'{"head":{},"boolean":true}')


def test_reply_frame_carries_the_body_untouched() -> None:
    body = bytes(range(256)) * 5000  # 1.28 MB, every byte value
    parts = reply_frame((200, {"kind": "select", "rows": 3}, body))
    assert parts[-1] is body  # written as it is (one scatter write), not pickled or copied
    frame = b"".join(parts)
    status, meta, view = read_reply(frame[4:])
    assert (status, meta["rows"]) == (200, 3) and bytes(view) == body


def test_an_update_verb_alone_costs_no_parser_check() -> None:
    """A symbol such as ``.../Add.1`` holds an update verb: the text runs as it is (the engine
    cannot run updates); only watched words (SERVICE, FROM, file:) send it to the parser."""

    lookup = ('PREFIX un: <https://w3id.org/mandategraph/ontology#>\nSELECT ?d ?p ?o WHERE '
              '{ ?d un:symbol "A/RES/70/1/Add.1" ; ?p ?o . }')
    assert update_hint(lookup) and not screen_query(lookup, max_length=10_000)
    assert screen_query(lookup.replace("WHERE", "FROM <http://x/> WHERE"), max_length=10_000)


@pytest.mark.parametrize("text", ["INSERT DATA { <http://a/b> <http://a/c> <http://a/d> }",
                                  "DELETE WHERE { ?s ?p ?o }", "CLEAR ALL", "ADD DEFAULT TO <http://a/g>"])
def test_an_update_at_the_query_endpoint_is_still_worded_read_only(client, text: str) -> None:
    r = client.post("/sparql", content=text, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400 and "read-only" in r.text, r.text


def test_a_malformed_query_is_still_a_400(client) -> None:
    r = client.post("/sparql", content="SELECT ?x WHERE { ?x ", headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400 and "malformed" in r.text, r.text


def test_a_reply_the_kernel_takes_in_parts_arrives_whole() -> None:
    """send_reply finishes a frame that one sendmsg wrote only in part (a full socket buffer)."""
    a, b = socket.socketpair()
    a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    body = bytes(range(256)) * 20_000  # 5 MB: far over the buffer
    got = bytearray()

    def read() -> None:
        while True:  # to the end: the writer closes its side after the frame
            chunk = b.recv(1 << 16)
            if not chunk:
                return
            got.extend(chunk)

    t = threading.Thread(target=read)
    t.start()
    send_reply(a, (200, {"rows": 1}, body))
    a.close()
    t.join(10)
    b.close()
    status, meta, view = read_reply(bytes(got[4:]))
    assert (status, meta) == (200, {"rows": 1}) and bytes(view) == body
