"""mandategraph serve beside Oxigraph's own server (``oxigraph serve-read-only``, PyPI
``oxigraph``) on the same store, interleaved, at 8 clients (issue 15).

    python bench/endpoint_oxigraph.py [--docs 20000] [--cell 5] [--rounds 3] [--soak 20]

Kinds of request, each one a query text not sent before in the run (no answer cache can help):
``lookup`` (one document's statements, ~10 rows), ``big`` (the statements of 10-200 documents
at once: 100-2,000 rows), ``lineage`` (mandating resolutions and what they reaffirm,
transitively). Cells alternate between the two servers (ours, theirs, ours, ...), so both see
the same machine load; the ratio of requests/s is the figure. Then a soak over our server
only: every document's lookup, HTML page and Turtle view (distinct, no warm-up) at 64
clients, with its errors, p99 and the growth of the server's memory (main + workers).

The load generator is this process (asyncio, raw HTTP/1.1 keep-alive): on a shared 2-core
machine it competes with the servers, for both servers alike; compare ratios, not absolute
rates. Writes bench/results/endpoint-oxigraph-<date>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_endpoint import (
    RESULTS, build_store, cpu_seconds, free_port, rss_mb, sample_symbols, start_ours, stop, wait_ready)

UN = "PREFIX un: <https://w3id.org/mandategraph/ontology#>\n"


def lit(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def make_query(kind: str, symbols: list[str], rnd: random.Random, n: int) -> str:
    if kind == "lookup":
        body = f"SELECT ?d ?p ?o WHERE {{ ?d un:symbol {lit(rnd.choice(symbols))} ; ?p ?o . }}"
    elif kind == "big":
        some = rnd.sample(symbols, rnd.randint(10, 200))
        body = ("SELECT ?d ?p ?o WHERE { VALUES ?symbol { " + " ".join(map(lit, some)) +
                " } ?d un:symbol ?symbol ; ?p ?o . }")
    else:
        body = (f"SELECT ?r ?a ?number WHERE {{ ?d un:symbol {lit(rnd.choice(symbols))} ; "
                "un:mandatedBy ?r . ?r un:reaffirms* ?a . ?a un:number ?number . }")
    return f"{UN}{body}\n# request {n}\n"  # a text never sent before


async def _client(host: str, port: int, path: str, texts, stop_at: float, lat: list[float],
                  errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < stop_at:
            body = next(texts).encode()
            head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/sparql-query\r\n"
                    f"Accept: application/sparql-results+json\r\nContent-Length: {len(body)}\r\n\r\n")
            t0 = time.monotonic()
            writer.write(head.encode() + body)
            status = await read_response(reader)
            lat.append(time.monotonic() - t0)
            if status != 200:
                errors.append(str(status))
    except (OSError, asyncio.IncompleteReadError) as e:
        errors.append(type(e).__name__)
    finally:
        writer.close()


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, int | None]:
    """Status and body length (None: chunked)."""
    line = await reader.readline()
    if not line:
        raise asyncio.IncompleteReadError(b"", None)
    status = int(line.split()[1])
    length: int | None = 0
    while True:
        h = await reader.readline()
        if h in (b"\r\n", b""):
            return status, length
        k, _, v = h.decode("latin-1").partition(":")
        if k.lower() == "content-length":
            length = int(v)
        elif k.lower() == "transfer-encoding" and "chunked" in v.lower():
            length = None


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response (head, then a sized or chunked body); return its status."""
    status, length = await _read_head(reader)
    if length is None:  # chunked
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    return status


def cell(url: str, kind: str, symbols: list[str], clients: int, seconds: float, seed: int,
         pid: int | None = None) -> dict:
    """One cell; with ``pid``, also the server's CPU per request (its process and children,
    e.g. query workers): a figure that machine load changes less than requests/s."""
    host, port_path = url.split("//")[1].split(":", 1)
    port, _, path = port_path.partition("/")
    rnd = random.Random(seed)
    counter = iter(range(10**9))
    texts = (make_query(kind, symbols, rnd, next(counter)) for _ in iter(int, 1))
    lat: list[float] = []
    errors: list[str] = []

    async def go() -> None:
        stop_at = time.monotonic() + seconds
        await asyncio.gather(*(_client(host, int(port), "/" + path, texts, stop_at, lat, errors)
                               for _ in range(clients)))

    cpu0 = cpu_seconds(pid) if pid else 0.0
    t0 = time.monotonic()
    asyncio.run(go())
    took = time.monotonic() - t0
    cpu = cpu_seconds(pid) - cpu0 if pid else None
    lat.sort()
    q = (lambda p: round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 2)) if lat else (lambda p: None)
    return {"kind": kind, "requests": len(lat), "rps": round(len(lat) / took, 1), "p50_ms": q(0.5),
            "p99_ms": q(0.99), "errors": len(errors), "error_kinds": sorted(set(errors))[:5],
            "server_cpu_us": round(cpu / len(lat) * 1e6, 1) if cpu is not None and lat else None}


def same_answers(ours: str, theirs: str, symbols: list[str]) -> None:
    """Both servers give the same number of rows for the same queries (else the figures
    compare different work: an empty default graph answers fast)."""
    import httpx

    rnd = random.Random(5)
    for kind in ("lookup", "big", "lineage"):
        text = make_query(kind, symbols, rnd, -1)
        counts = []
        for url in (ours, theirs):
            r = httpx.post(url, content=text.encode(), timeout=60, headers={
                "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
            r.raise_for_status()
            counts.append(len(r.json()["results"]["bindings"]))
        if counts[0] != counts[1] or not counts[0]:
            raise SystemExit(f"{kind}: the servers disagree or answer nothing: {counts}")
        print(f"{kind}: both servers answer {counts[0]} rows", flush=True)


def start_oxigraph(store: Path, port: int) -> tuple[subprocess.Popen, str]:
    exe = Path(sys.executable).with_name("oxigraph")
    # --union-default-graph: as ours, the documents live in named graphs (one per source)
    proc = subprocess.Popen([str(exe), "serve-read-only", "--location", str(store),
                             "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    wait_ready(url, proc, 120)
    return proc, url


def soak(url: str, pid: int, symbols: list[str], clients: int, seconds: float) -> dict:
    """Every document's lookup, page and Turtle view (each once, in a shuffled order)."""
    import httpx

    base = url.rsplit("/sparql", 1)[0]
    reqs = [("GET", f"/doc/{quote(s, safe='/')}", "text/html") for s in symbols] + \
           [("GET", f"/doc/{quote(s, safe='/')}.ttl", "text/turtle") for s in symbols] + \
           [("POST", "/sparql", make_query("lookup", [s], random.Random(i), i)) for i, s in enumerate(symbols)]
    random.Random(3).shuffle(reqs)
    it = iter(reqs)
    lat: list[float] = []
    errors: list[str] = []
    rss = [rss_mb(pid)]

    async def worker(client: httpx.AsyncClient, stop_at: float) -> None:
        for method, path, extra in it:
            if time.monotonic() > stop_at:
                return
            t0 = time.monotonic()
            try:
                if method == "GET":
                    r = await client.get(base + path, headers={"Accept": extra})
                else:
                    r = await client.post(base + path, content=extra.encode(), headers={
                        "Content-Type": "application/sparql-query"})
                if r.status_code >= 400 and r.status_code != 404:
                    errors.append(f"{r.status_code} {path}")
            except httpx.HTTPError as e:
                errors.append(type(e).__name__)
            lat.append(time.monotonic() - t0)

    async def go() -> None:
        stop_at = time.monotonic() + seconds
        async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=clients)) as c:
            sampler = asyncio.ensure_future(_sample(pid, rss, stop_at))
            await asyncio.gather(*(worker(c, stop_at) for _ in range(clients)))
            sampler.cancel()

    t0 = time.monotonic()
    asyncio.run(go())
    took = time.monotonic() - t0
    rss.append(rss_mb(pid))
    lat.sort()
    return {"clients": clients, "seconds": round(took, 1), "requests": len(lat),
            "rps": round(len(lat) / took, 1), "p99_ms": round(lat[int(0.99 * len(lat))] * 1000, 1) if lat else None,
            "errors": len(errors), "error_kinds": sorted(set(errors))[:5],
            "rss_start_mb": round(rss[0], 1), "rss_end_mb": round(rss[-1], 1),
            "rss_growth_pct": round(100 * (rss[-1] - rss[0]) / rss[0], 2)}


async def _sample(pid: int, rss: list[float], stop_at: float) -> None:
    while time.monotonic() < stop_at:
        await asyncio.sleep(2)
        rss.append(rss_mb(pid))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--cell", type=float, default=5.0, help="seconds per cell")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds per kind")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--soak", type=float, default=20.0, help="soak seconds (0: skip)")
    ap.add_argument("--soak-clients", type=int, default=64)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--kinds", default="lookup,big,lineage")
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args(argv)
    kinds = tuple(k for k in a.kinds.split(",") if k)
    _nq, store = build_store(a.docs)
    symbols = sample_symbols(store, n=5000)
    ours, ours_url = start_ours(store, a.workers, free_port())
    theirs, theirs_url = start_oxigraph(store, free_port())
    cells: list[dict] = []
    try:
        same_answers(ours_url, theirs_url, symbols)
        for r in range(a.rounds):
            for kind in kinds:
                for name, url, pid in (("mandategraph", ours_url, ours.pid), ("oxigraph", theirs_url, theirs.pid)):
                    c = cell(url, kind, symbols, a.clients, a.cell, seed=1000 * r + hash(kind) % 97, pid=pid)
                    c.update(server=name, round=r, load_after=round(os.getloadavg()[0], 2))
                    cells.append(c)
                    print(json.dumps(c), flush=True)
        stop(theirs)
        soak_result = soak(ours_url, ours.pid, symbols, a.soak_clients, a.soak) if a.soak else None
    finally:
        stop(ours)
        stop(theirs)
    ratios = {}
    for kind in kinds:
        mine = sum(c["rps"] for c in cells if c["kind"] == kind and c["server"] == "mandategraph")
        other = sum(c["rps"] for c in cells if c["kind"] == kind and c["server"] == "oxigraph")
        p99 = max(c["p99_ms"] or 0 for c in cells if c["kind"] == kind and c["server"] == "mandategraph")
        errs = sum(c["errors"] for c in cells if c["kind"] == kind and c["server"] == "mandategraph")
        cpu = {n: [c["server_cpu_us"] for c in cells if c["kind"] == kind and c["server"] == n
                   and c.get("server_cpu_us")] for n in ("mandategraph", "oxigraph")}
        ratios[kind] = {"ratio_rps": round(mine / other, 3) if other else None, "our_max_p99_ms": p99,
                        "our_errors": errs,
                        "server_cpu_us": {n: round(sum(v) / len(v), 1) if v else None for n, v in cpu.items()}}
    out = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
           "machine": f"{os.cpu_count()} cores, shared (load average at start {os.getloadavg()[0]:.2f})",
           "docs": a.docs, "clients": a.clients, "cell_s": a.cell, "rounds": a.rounds,
           "ratios": ratios, "cells": cells, "soak": soak_result}
    path = a.out or RESULTS / f"endpoint-oxigraph-{dt.date.today().isoformat()}.json"
    path.write_text(json.dumps(out, indent=1), encoding="utf-8")
    print(json.dumps({"ratios": ratios, "soak": soak_result}, indent=1))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
