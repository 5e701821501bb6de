"""Worker replies of every size, under uvloop and plain asyncio (issue 15).

Under uvloop the parent's end of a worker pipe is non-blocking, and ``recv_bytes()`` used to
read a half-arrived reply: any answer over about 16 KiB failed at random with
``BlockingIOError(11)``. Here 200 jobs per event loop, of 1 row up to the 10,000-row cap, in
every result and RDF format, run concurrently through a real pool; each answer is parsed and
its row count checked. Then the same sweep over HTTP against ``mandategraph serve``.
"""

from __future__ import annotations

import asyncio
import csv
import io
import itertools
import json
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from fixtures_server import sample_store

SIZES = (1, 7, 100, 450, 1000, 2500, 10_000)
RESULT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml", "trig", "nquads")
DIGITS = " ".join(str(i) for i in range(10))
_VALUES = " ".join(f"VALUES ?{v} {{ {DIGITS} }}" for v in "abcd")


def select_text(n: int) -> str:
    return f"SELECT ?a ?b ?c ?d WHERE {{ {_VALUES} }} LIMIT {n}"


def construct_text(n: int) -> str:
    return ("CONSTRUCT { ?s <urn:p> ?o } WHERE { " + _VALUES +
            ' BIND(IRI(CONCAT("urn:x:", STR(?a), STR(?b), STR(?c), STR(?d))) AS ?s)'
            ' BIND(CONCAT("value ", STR(?a), STR(?b), STR(?c), STR(?d), " \\u00e9\\u4e2d") AS ?o) }'
            f" LIMIT {n}")


def count_rows(body: bytes, fmt: str) -> int:
    if fmt == "json":
        return len(json.loads(body)["results"]["bindings"])
    if fmt == "xml":
        return body.count(b"<result>")
    if fmt == "csv":
        return len(list(csv.reader(io.StringIO(body.decode())))) - 1
    if fmt == "tsv":
        return len(body.decode().splitlines()) - 1
    rdf = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
           "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML,
           "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}[fmt]
    return sum(1 for _ in ox.parse(body, format=rdf))


def jobs(total: int = 200) -> list[tuple[str, int]]:
    combos = list(itertools.product(RESULT_FORMATS + GRAPH_FORMATS, SIZES))
    return [combos[i % len(combos)] for i in range(total)]


async def sweep(folder: Path) -> tuple[int, list[str], int]:
    from mandategraph.server.dependencies import snapshot_source
    from mandategraph.server.workers import QueryJob, WorkerPool

    pool = WorkerPool(snapshot_source(sample_store(), folder), size=2, sandbox=True)
    await pool.start()
    errors: list[str] = []
    ok = 0
    try:
        async def one(fmt: str, n: int) -> None:
            nonlocal ok
            graph = fmt in GRAPH_FORMATS
            job = QueryJob(text=construct_text(n) if graph else select_text(n),
                           kind="construct" if graph else "select", fmt=fmt, cap=10_000)
            try:
                out = await pool.run(job, timeout=60)
                got = count_rows(out.body, fmt)
                if got != n or out.rows != n:
                    errors.append(f"{fmt} {n}: {got} rows parsed, {out.rows} reported")
                else:
                    ok += 1
            except Exception as e:  # noqa: BLE001 - every failure is collected and shown
                errors.append(f"{fmt} {n}: {type(e).__name__}: {e}")

        await asyncio.gather(*(one(fmt, n) for fmt, n in jobs()))
        return ok, errors, pool.stats.crashed
    finally:
        await pool.stop()


def _run(loop_kind: str) -> tuple[int, list[str], int]:
    with tempfile.TemporaryDirectory() as d:
        if loop_kind == "uvloop":
            import uvloop

            return uvloop.run(sweep(Path(d)))
        return asyncio.run(sweep(Path(d)))


@pytest.mark.server
@pytest.mark.parametrize("loop_kind", ["uvloop", "asyncio"])
def test_every_reply_size_under_each_loop(loop_kind):
    # a fresh loop in its own thread: an earlier test may leave one running in this thread
    with ThreadPoolExecutor(1) as ex:
        ok, errors, crashed = ex.submit(_run, loop_kind).result(timeout=300)
    assert errors == [] and crashed == 0
    assert ok == 200


@pytest.mark.server
def test_every_reply_size_over_http(attack_server_url):
    """The same sweep against ``mandategraph serve`` (uvloop), 8 requests at a time."""
    url = attack_server_url
    accept = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
              "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
              "ntriples": "application/n-triples", "jsonld": "application/ld+json",
              "rdfxml": "application/rdf+xml", "trig": "application/trig",
              "nquads": "application/n-quads"}

    def one(item: tuple[str, int]) -> str | None:
        fmt, n = item
        text = construct_text(n) if fmt in GRAPH_FORMATS else select_text(n)
        r = httpx.post(url + "/sparql", content=text.encode(), timeout=60,
                       headers={"Content-Type": "application/sparql-query", "Accept": accept[fmt]})
        if r.status_code != 200:
            return f"{fmt} {n}: {r.status_code} {r.text[:200]}"
        got = count_rows(r.content, fmt)
        return None if got == n else f"{fmt} {n}: {got} rows"

    with ThreadPoolExecutor(8) as ex:
        errors = [e for e in ex.map(one, jobs()) if e]
    assert errors == []


@pytest.fixture(scope="module")
def attack_server_url(disk_store, tmp_path_factory):
    from fixtures_server import start_serve, stop_serve

    config = ("[server]\ntimeout_s = 30.0\nrow_cap = 10000\nworkers = 2\n"
              f"dumps_dir = \"{tmp_path_factory.mktemp('dumps')}\"\n")
    proc, url = start_serve(str(disk_store), config, tmp_path_factory.mktemp("sizes-cfg"), wait_s=40)
    try:
        yield url
    finally:
        stop_serve(proc)
