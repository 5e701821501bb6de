"""Endpoint benchmark: mandategraph serve vs rdflib-endpoint (the peer baseline) over the same data.

    python bench/bench_endpoint.py [--docs 100000] [--duration 15] [--no-peer] [--soak 60]

Measures, with wrk (Debian package; bench/setup.sh installs it) on 127.0.0.1 only:
requests per second and p50/p99 latency for (a) a symbol lookup and (b) a lineage query at 1,
8 and 32 concurrent connections; then a soak at 64 connections (lookups, lineage queries,
linked-data/page views mixed) that must end with zero errors and no growth in the server's
memory (main process + query workers). Writes bench/results/endpoint-<date>.json and prints
a Markdown table (pasted into bench/README.md between the endpoint-bench markers).

Method as in ../shared/docs/endpoint-baseline.md: every request is a POST with
``application/sparql-query`` and ``Accept: application/sparql-results+json``, cycling through
1,000 different documents (seed 7), so no cache can help; a warm-up per cell; servers are
fresh processes, started and stopped by this script (by process id).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdflib import Literal  # noqa: E402

from mandategraph.store import inject_values  # noqa: E402

WORK = ROOT / "bench" / "work"
QUERIES = ROOT / "bench" / "queries"
RESULTS = ROOT / "bench" / "results"
CONCURRENCY = (1, 8, 32)


@dataclass
class Cell:
    server: str
    query: str
    connections: int
    duration_s: float
    requests: int
    rps: float
    p50_ms: float
    p75_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int
    socket_errors: int
    #: 1-minute load average after the cell: other work on the machine skews the figures.
    load_after: float = 0.0
    #: CPU time (user + system) of the server's processes per request: unlike req/s it does
    #: not depend on what else runs on the machine. 2 cores / this = a ceiling in req/s.
    server_cpu_ms_per_req: float = 0.0


@dataclass
class Soak:
    connections: int
    duration_s: float
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    rss_mb_start: float
    rss_mb_end: float
    rss_mb_max: float
    rss_samples: list[float] = field(default_factory=list)
    html_pages: bool = True


# ---------------------------------------------------------------------------- data
def build_store(docs: int) -> tuple[Path, Path]:
    """Synthetic corpus (mandategraph.synth) as N-Quads and as an optimized on-disk store."""
    from mandategraph.synth import write_nquads  # noqa: PLC0415

    WORK.mkdir(parents=True, exist_ok=True)
    nq = WORK / f"synth-{docs}.nq"
    if not nq.exists():
        print(f"generating {docs:,} documents -> {nq}", flush=True)
        write_nquads(nq, docs, 42)
    store = WORK / f"endpoint-store-{docs}"
    if not (store / "CURRENT").exists():
        print(f"loading {nq} -> {store}", flush=True)
        import pyoxigraph as ox  # noqa: PLC0415

        s = ox.Store(str(store))
        s.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        s.flush()
        s.optimize()
        del s
    return nq, store


def sample_symbols(store: Path, n: int = 1000, seed: int = 7) -> list[str]:
    code = ("import sys, json, pyoxigraph as ox; s = ox.Store.read_only(sys.argv[1]); "
            "print(json.dumps([r['symbol'].value for r in s.query(open(sys.argv[2]).read(), "
            "use_default_graph_as_union=True)]))")
    out = subprocess.run([sys.executable, "-c", code, str(store), str(QUERIES / "sample-symbols.rq")],
                         check=True, capture_output=True, text=True).stdout
    symbols = json.loads(out)
    random.Random(seed).shuffle(symbols)
    return symbols[:n]


def request_body(name: str, symbol: str) -> str:
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return inject_values(body, {"symbol": Literal(symbol)})


# ---------------------------------------------------------------------------- wrk
def lua_string(s: str) -> str:
    return "[==[" + s + "]==]"


def write_lua(path: Path, url_path: str, requests: list[tuple[str, str, str, str]]) -> None:
    """requests: (method, path or '', accept, body). Each wrk thread cycles through them."""
    lines = ["local reqs = {"]
    for method, p, accept, body in requests:
        lines.append("  {" + ", ".join([lua_string(method), lua_string(p or url_path), lua_string(accept),
                                        lua_string(body)]) + "},")
    lines += ["}",
              "local i = 0",
              "request = function()",
              "  i = i % #reqs + 1",
              "  local r = reqs[i]",
              "  local headers = {}",
              "  headers['Accept'] = r[3]",
              "  if r[1] == 'POST' then headers['Content-Type'] = 'application/sparql-query' end",
              "  if r[1] == 'POST' then return wrk.format('POST', r[2], headers, r[4]) end",
              "  return wrk.format('GET', r[2], headers)",
              "end"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text.strip())
    return float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")


def run_wrk(url: str, script: Path, connections: int, duration: float) -> dict:
    threads = min(2, connections)
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{int(duration)}s", "--timeout", "10s",
                          "--latency", "-s", str(script), url], capture_output=True, text=True, check=True).stdout
    res: dict = {"raw": out}
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    res["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    res["rps"] = float(m.group(1)) if m else 0.0
    for pct in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M)
        res[f"p{pct}"] = _ms(m.group(1)) if m else float("nan")
    m = re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", out)
    res["max"] = _ms(m.group(1)) if m else float("nan")
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    res["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    res["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    return res


# ---------------------------------------------------------------------------- servers
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            req = urllib.request.Request(url, data=b"ASK {}", headers={"Content-Type": "application/sparql-query",
                                                                       "Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(req, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not ready after {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(5)


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the query workers)."""
    import psutil  # noqa: PLC0415

    try:
        p = psutil.Process(pid)
        procs = [p] + p.children(recursive=True)
        return sum(q.memory_info().rss for q in procs if q.is_running()) / 2**20
    except psutil.NoSuchProcess:
        return float("nan")


def start_ours(store: Path, workers: int, port: int) -> tuple[subprocess.Popen, str]:
    cfg = Path(tempfile.mkdtemp(prefix="bench-endpoint-")) / "server.toml"
    cfg.write_text(f"[server]\nworkers = {workers}\ntimeout_s = 10\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "mandategraph", "serve", "--store", str(store),
                             "--host", "127.0.0.1", "--port", str(port), "--config", str(cfg)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql"
    wait_ready(url, proc, 120)
    return proc, url


def start_peer(nq: Path, port: int) -> tuple[subprocess.Popen, str]:
    """rdflib-endpoint over the same triples (N-Triples: the union of the named graphs)."""
    exe = shutil.which("rdflib-endpoint")
    if exe is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "rdflib-endpoint[cli]"], check=True)
        exe = shutil.which("rdflib-endpoint")
    nt = nq.with_suffix(".nt")
    if not nt.exists():
        with open(nq, encoding="utf-8") as src, open(nt, "w", encoding="utf-8") as dst:
            for line in src:
                body = line.rstrip().removesuffix(".").rstrip()
                dst.write(body[: body.rfind(" <")] + " .\n")
    proc = subprocess.Popen([exe, "serve", "--host", "127.0.0.1", "--port", str(port), str(nt)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    wait_ready(url, proc, 900)
    return proc, url


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (query workers)."""
    import psutil  # noqa: PLC0415

    try:
        p = psutil.Process(pid)
        total = 0.0
        for q in [p] + p.children(recursive=True):
            t = q.cpu_times()
            total += t.user + t.system
        return total
    except psutil.NoSuchProcess:
        return float("nan")


def bench_cells(name: str, url: str, symbols: list[str], duration: float, tmp: Path,
                pid: int | None = None) -> list[Cell]:
    cells = []
    for query in ("lookup", "lineage"):
        script = tmp / f"{name}-{query}.lua"
        reqs = [("POST", "", "application/sparql-results+json", request_body(query, s)) for s in symbols]
        write_lua(script, urllib.parse.urlparse(url).path, reqs)
        run_wrk(url, script, 8, 3)  # warm-up
        for c in CONCURRENCY:
            cpu0 = cpu_seconds(pid) if pid else 0.0
            r = run_wrk(url, script, c, duration)
            cpu = (cpu_seconds(pid) - cpu0) if pid else 0.0
            cell = Cell(name, query, c, duration, r["requests"], r["rps"], r["p50"], r["p75"], r["p90"],
                        r["p99"], r["max"], r["non_2xx"], r["socket_errors"], round(os.getloadavg()[0], 2),
                        round(cpu * 1000 / max(1, r["requests"]), 3))
            print(f"  {name:16} {query:8} c={c:<3} {cell.rps:9,.0f} req/s  p50 {cell.p50_ms:8.2f} ms  "
                  f"p99 {cell.p99_ms:8.2f} ms  errors {cell.non_2xx + cell.socket_errors}  "
                  f"load {cell.load_after}  cpu {cell.server_cpu_ms_per_req} ms/req", flush=True)
            cells.append(cell)
    return cells


def soak(url: str, pid: int, symbols: list[str], duration: float, tmp: Path, html: bool = True) -> Soak:
    """Mixed traffic at 64 connections; memory sampled every 2 s. ``html``: a quarter of the
    requests are browser page views (the pages module); else JSON-LD resource views."""
    import threading  # noqa: PLC0415

    base = url.rsplit("/sparql", 1)[0]
    reqs = []
    for i, s in enumerate(symbols):
        kind = i % 4
        if kind == 0:
            reqs.append(("POST", "/sparql", "application/sparql-results+json", request_body("lookup", s)))
        elif kind == 1:
            reqs.append(("POST", "/sparql", "application/sparql-results+json", request_body("lineage", s)))
        elif kind == 2 and html:
            reqs.append(("GET", "/doc/" + urllib.parse.quote(s, safe="/.-_~()*"), "text/html", ""))
        elif kind == 2:
            reqs.append(("GET", "/doc/" + urllib.parse.quote(s, safe="/.-_~()*") + ".jsonld",
                         "application/ld+json", ""))
        else:
            reqs.append(("GET", "/doc/" + urllib.parse.quote(s, safe="/.-_~()*") + ".ttl", "text/turtle", ""))
    script = tmp / "soak.lua"
    write_lua(script, "/sparql", reqs)
    run_wrk(base + "/sparql", script, 64, 5)  # warm-up (also fills caches)
    time.sleep(1)
    samples = [rss_mb(pid)]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(2.0):
            samples.append(rss_mb(pid))

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    r = run_wrk(base + "/sparql", script, 64, duration)
    done.set()
    t.join()
    time.sleep(1)
    samples.append(rss_mb(pid))
    return Soak(64, duration, r["requests"], r["rps"], r["p50"], r["p99"], r["non_2xx"], r["socket_errors"],
                samples[0], samples[-1], max(samples), [round(x, 1) for x in samples], html)


def markdown(cells: list[Cell], soaks: list[Soak], meta: dict) -> str:
    lines = [f"Endpoint benchmark, {meta['date']}: {meta['docs']:,} documents ({meta['triples']:,} quads), "
             f"{meta['cpus']} CPUs, wrk {meta['wrk']}, {meta['duration_s']:g} s per cell, workers={meta['workers']}.",
             "",
             "| server | query | c | req/s | p50 ms | p99 ms | max ms | errors | load avg | server CPU ms/req |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for c in cells:
        lines.append(f"| {c.server} | {c.query} | {c.connections} | {c.rps:,.0f} | {c.p50_ms:.2f} | "
                     f"{c.p99_ms:.2f} | {c.max_ms:.1f} | {c.non_2xx + c.socket_errors} | {c.load_after:.1f} | "
                     f"{c.server_cpu_ms_per_req:.3f} |")
    for s in soaks:
        views = "HTML page and Turtle resource views" if s.html_pages else "JSON-LD and Turtle resource views"
        lines += ["", f"Soak: {s.duration_s:g} s at {s.connections} connections (lookups, lineage, {views}): "
                      f"{s.requests:,} requests, {s.rps:,.0f} req/s, p50 {s.p50_ms:.2f} ms, "
                      f"p99 {s.p99_ms:.2f} ms, errors {s.non_2xx + s.socket_errors}; server RSS (main + workers) "
                      f"{s.rss_mb_start:.0f} MB at start, {s.rss_mb_end:.0f} MB at end, max {s.rss_mb_max:.0f} MB."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import urllib.parse  # noqa: F401,PLC0415

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--duration", type=float, default=15.0, help="seconds per cell")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-peer", action="store_true", help="skip rdflib-endpoint")
    ap.add_argument("--soak", type=float, default=60.0, help="soak seconds (0: skip)")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--soak-only", action="store_true", help="skip the 1/8/32 cells (and the peer)")
    ap.add_argument("--soak-no-html", action="store_true",
                    help="soak without browser page views (JSON-LD resource views instead)")
    args = ap.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is missing: run bench/setup.sh", file=sys.stderr)
        return 2
    nq, store = build_store(args.docs)
    symbols = sample_symbols(store)
    tmp = Path(tempfile.mkdtemp(prefix="bench-endpoint-"))
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1:2]
    import pyoxigraph  # noqa: PLC0415

    meta = {"date": dt.date.today().isoformat(), "docs": args.docs,
            "triples": sum(1 for _ in open(nq, "rb")), "cpus": os.cpu_count(), "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "wrk": wrk_version[0] if wrk_version else "?",
            "duration_s": args.duration, "workers": args.workers, "symbols": len(symbols),
            "load_at_start": round(os.getloadavg()[0], 2)}
    cells: list[Cell] = []
    soaks: list[Soak] = []
    print("mandategraph serve", flush=True)
    proc, url = start_ours(store, args.workers, free_port())
    try:
        meta["ours_rss_mb_ready"] = round(rss_mb(proc.pid), 1)
        if not args.soak_only:
            cells += bench_cells("mandategraph", url, symbols, args.duration, tmp, proc.pid)
        if args.soak > 0:
            for html in ((False,) if args.soak_no_html else (False, True)):
                print(f"soak {args.soak:g} s at 64 connections, html pages: {html}", flush=True)
                result = soak(url, proc.pid, symbols, args.soak, tmp, html=html)
                print(f"  {result}", flush=True)
                soaks.append(result)
    finally:
        stop(proc)
    if not args.no_peer and not args.soak_only:
        print("rdflib-endpoint (loading, may take a minute)", flush=True)
        t0 = time.monotonic()
        proc, url = start_peer(nq, free_port())
        meta["peer_load_s"] = round(time.monotonic() - t0, 1)
        try:
            meta["peer_rss_mb_ready"] = round(rss_mb(proc.pid), 1)
            cells += bench_cells("rdflib-endpoint", url, symbols, args.duration, tmp, proc.pid)
        finally:
            stop(proc)
    shutil.rmtree(tmp, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = args.out or RESULTS / f"endpoint-{meta['date']}.json"
    out.write_text(json.dumps({"meta": meta, "cells": [asdict(c) for c in cells],
                               "soaks": [asdict(x) for x in soaks]}, indent=1), encoding="utf-8")
    table = markdown(cells, soaks, meta)
    print("\n" + table)
    print(f"\nwritten: {out}")
    ok = all(x.non_2xx + x.socket_errors == 0 for x in soaks)
    return 0 if ok else 1


if __name__ == "__main__":
    import urllib.parse  # noqa: F401

    raise SystemExit(main())
