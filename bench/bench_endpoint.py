"""Endpoint benchmark: mandategraph serve vs rdflib-endpoint (the peer baseline) over the same data.

    python bench/bench_endpoint.py [--docs 100000] [--duration 15] [--no-peer] [--soak 60]

Measures, with wrk (Debian package; bench/setup.sh installs it) on 127.0.0.1 only:
requests per second and p50/p99 latency for (a) a symbol lookup and (b) a lineage query at 1,
8 and 32 concurrent connections (``--cells`` picks some); then a soak: a 15 s warm-up and
60 s at 64 connections (16 each for lookups, lineage queries, document views and Turtle views;
the document views are HTML pages of the pages module, or JSON-LD in the run without pages)
that must end with zero errors (non-2xx, socket errors, timeouts) and no growth in the
server's memory (main process + query workers, sampled every 2 s; the rule is
``no_growth()``); ``--page-cells`` adds page views with the page cache off (the cost of
building a page). Writes bench/results/endpoint-<date>.json and prints a Markdown table
(pasted into bench/README.md between the endpoint-bench markers).

    python bench/bench_endpoint.py --no-peer --cells 'lookup:8' --soak-html-only --page-cells

Method as in docs/prior/endpoint-baseline.md: every request is a POST with
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

from rdflib import Literal

from mandategraph.store.sparql_text import inject_values

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
class SoakKind:
    """One kind of request of the soak (its own wrk process and connections)."""
    kind: str
    connections: int
    requests: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int
    socket_errors: int


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
    warmup_s: float = 0.0
    #: per kind (lookup, lineage, page or JSON-LD views, Turtle views): rps, latency, errors
    kinds: list[SoakKind] = field(default_factory=list)
    #: RSS of the main process and of the query workers alone, sampled with rss_samples
    rss_main_samples: list[float] = field(default_factory=list)
    rss_workers_samples: list[float] = field(default_factory=list)
    #: least-squares slope of the total RSS over the second half of the soak, MB per minute
    rss_trend_mb_per_min: float = 0.0
    #: "no growth": end <= start + 2 % and the second half's trend adds < 1 % of start per
    #: minute (the rule is fixed here, before the run)
    no_growth: bool = False
    load_after: float = 0.0
    server_cpu_ms_per_req: float = 0.0


# ---------------------------------------------------------------------------- data
def build_store(docs: int) -> tuple[Path, Path]:
    """Synthetic corpus (bench.synth) as N-Quads and as an optimized on-disk store."""
    from bench.synth import write_nquads

    WORK.mkdir(parents=True, exist_ok=True)
    nq = WORK / f"synth-{docs}.nq"
    if not nq.exists():
        print(f"generating {docs:,} documents -> {nq}", flush=True)
        write_nquads(nq, docs, 42)
    store = WORK / f"endpoint-store-{docs}"
    if not (store / "CURRENT").exists():
        print(f"loading {nq} -> {store}", flush=True)
        import pyoxigraph as ox

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


def run_wrk(url: str, script: Path, connections: int, duration: float, threads: int = 2) -> dict:
    threads = min(threads, connections)
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
    import psutil

    try:
        p = psutil.Process(pid)
        procs = [p] + p.children(recursive=True)
        return sum(q.memory_info().rss for q in procs if q.is_running()) / 2**20
    except psutil.NoSuchProcess:
        return float("nan")


def rss_split_mb(pid: int) -> tuple[float, float]:
    """(main process, query workers) resident memory in MB."""
    import psutil

    try:
        p = psutil.Process(pid)
        main = p.memory_info().rss
        kids = sum(q.memory_info().rss for q in p.children(recursive=True) if q.is_running())
        return main / 2**20, kids / 2**20
    except psutil.NoSuchProcess:
        return float("nan"), float("nan")


def trend_mb_per_min(samples: list[float], interval_s: float) -> float:
    """Least-squares slope of the second half of the samples, MB per minute."""
    ys = samples[len(samples) // 2:]
    if len(ys) < 3:
        return 0.0
    xs = [i * interval_s for i in range(len(ys))]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den * 60 if den else 0.0


def no_growth(start: float, end: float, trend: float) -> bool:
    """The soak's memory verdict, defined before the run: the end is within 2 % of the start
    and the second half does not climb by more than 1 % of the start per minute."""
    return end <= start * 1.02 and trend <= start * 0.01


def start_ours(store: Path, workers: int, port: int,
               env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    cfg = Path(tempfile.mkdtemp(prefix="bench-endpoint-")) / "server.toml"
    cfg.write_text(f"[server]\nworkers = {workers}\ntimeout_s = 10\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "mandategraph", "serve", "--store", str(store),
                             "--host", "127.0.0.1", "--port", str(port), "--config", str(cfg)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})
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
    import psutil

    try:
        p = psutil.Process(pid)
        total = 0.0
        for q in [p] + p.children(recursive=True):
            t = q.cpu_times()
            total += t.user + t.system
        return total
    except psutil.NoSuchProcess:
        return float("nan")


def parse_cells(text: str) -> dict[str, tuple[int, ...]]:
    """'lookup:1,8,32;lineage:8' -> {'lookup': (1, 8, 32), 'lineage': (8,)}."""
    plan: dict[str, tuple[int, ...]] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        query, _, cs = part.partition(":")
        plan[query.strip()] = tuple(int(c) for c in cs.split(",") if c.strip()) if cs else CONCURRENCY
    return plan


def bench_cells(name: str, url: str, symbols: list[str], duration: float, tmp: Path,
                pid: int | None = None, plan: dict[str, tuple[int, ...]] | None = None) -> list[Cell]:
    cells = []
    plan = plan or {"lookup": CONCURRENCY, "lineage": CONCURRENCY}
    for query, concurrency in plan.items():
        script = tmp / f"{name}-{query}.lua"
        reqs = [("POST", "", "application/sparql-results+json", request_body(query, s)) for s in symbols]
        write_lua(script, urllib.parse.urlparse(url).path, reqs)
        run_wrk(url, script, 8, 3)  # warm-up
        for c in concurrency:
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


SOAK_CONNECTIONS = 64
SOAK_KINDS = ("lookup", "lineage", "page", "resource")
RSS_INTERVAL_S = 2.0


def soak_requests(kind: str, symbols: list[str], html: bool) -> list[tuple[str, str, str, str]]:
    def path(s: str) -> str:
        return "/doc/" + urllib.parse.quote(s, safe="/.-_~()*")

    if kind in ("lookup", "lineage"):
        return [("POST", "/sparql", "application/sparql-results+json", request_body(kind, s)) for s in symbols]
    if kind == "page" and html:
        return [("GET", path(s), "text/html", "") for s in symbols]
    if kind == "page":
        return [("GET", path(s) + ".jsonld", "application/ld+json", "") for s in symbols]
    return [("GET", path(s) + ".ttl", "text/turtle", "") for s in symbols]


def run_wrk_group(url: str, scripts: dict[str, Path], connections: int, duration: float) -> dict[str, dict]:
    """One wrk process per kind, all at once, ``connections`` split evenly: per-kind latency."""
    import threading

    per = max(1, connections // len(scripts))
    out: dict[str, dict] = {}

    def one(kind: str, script: Path) -> None:
        out[kind] = run_wrk(url, script, per, duration, threads=1)

    ts = [threading.Thread(target=one, args=kv) for kv in scripts.items()]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return out


def soak(url: str, pid: int, symbols: list[str], duration: float, tmp: Path, html: bool = True,
         warmup: float = 15.0) -> Soak:
    """64 connections, one wrk process per kind of request with 16 connections each: lookups,
    lineage queries, document views (HTML pages of the pages module when ``html``, else
    JSON-LD) and Turtle resource views. Kind k cycles through every fourth sampled document
    from k (250 distinct documents each, as in the earlier one-script mix). A warm-up of
    ``warmup`` seconds with the same mix is not counted; then the server's memory (main
    process and query workers apart) is sampled every 2 s during the soak."""
    import threading

    base = url.rsplit("/sparql", 1)[0]
    scripts = {}
    for i, kind in enumerate(SOAK_KINDS):
        scripts[kind] = tmp / f"soak-{kind}.lua"
        write_lua(scripts[kind], "/sparql", soak_requests(kind, symbols[i::len(SOAK_KINDS)], html))
    if warmup > 0:
        run_wrk_group(base + "/sparql", scripts, SOAK_CONNECTIONS, warmup)
    time.sleep(1)
    split = [rss_split_mb(pid)]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(RSS_INTERVAL_S):
            split.append(rss_split_mb(pid))

    t = threading.Thread(target=sample, daemon=True)
    cpu0 = cpu_seconds(pid)
    t.start()
    res = run_wrk_group(base + "/sparql", scripts, SOAK_CONNECTIONS, duration)
    cpu = cpu_seconds(pid) - cpu0
    done.set()
    t.join()
    time.sleep(1)
    split.append(rss_split_mb(pid))
    samples = [m + w for m, w in split]
    names = {"page": "page (HTML)" if html else "JSON-LD view", "resource": "Turtle view"}
    kinds = [SoakKind(names.get(k, k), SOAK_CONNECTIONS // len(SOAK_KINDS), r["requests"], r["rps"], r["p50"], r["p90"],
                      r["p99"], r["max"], r["non_2xx"], r["socket_errors"]) for k, r in res.items()]
    total = sum(k.requests for k in kinds)
    # overall percentiles are not derivable from per-process ones: report the request-weighted
    # p50 and the worst p99 of the kinds
    p50 = sum(k.p50_ms * k.requests for k in kinds) / max(1, total)
    trend = trend_mb_per_min(samples, RSS_INTERVAL_S)
    return Soak(SOAK_CONNECTIONS, duration, total, sum(k.rps for k in kinds), round(p50, 2),
                max(k.p99_ms for k in kinds), sum(k.non_2xx for k in kinds),
                sum(k.socket_errors for k in kinds), round(samples[0], 1), round(samples[-1], 1),
                round(max(samples), 1), [round(x, 1) for x in samples], html, warmup, kinds,
                [round(m, 1) for m, _ in split], [round(w, 1) for _, w in split], round(trend, 2),
                no_growth(samples[0], samples[-1], trend), round(os.getloadavg()[0], 2),
                round(cpu * 1000 / max(1, total), 3))


def page_cells(store: Path, workers: int, symbols: list[str], duration: float, tmp: Path) -> list[Cell]:
    """HTML page views with the page cache off (MANDATEGRAPH_BROWSER_PAGE_CACHE=0), each page
    requested once in the cell where the run is short enough (1,000 documents): what a page
    costs when it is built, not served from the cache."""
    proc, url = start_ours(store, workers, free_port(), env={"MANDATEGRAPH_BROWSER_PAGE_CACHE": "0"})
    cells = []
    try:
        base = url.rsplit("/sparql", 1)[0]
        for c in (1, 8):
            script = tmp / f"pages-{c}.lua"
            reqs = soak_requests("page", symbols[::-1] if c == 8 else symbols, True)
            write_lua(script, "/sparql", reqs)
            cpu0 = cpu_seconds(proc.pid)
            r = run_wrk(base + "/sparql", script, c, duration)
            cpu = cpu_seconds(proc.pid) - cpu0
            cell = Cell("mandategraph", "page (built)", c, duration, r["requests"], r["rps"], r["p50"], r["p75"],
                        r["p90"], r["p99"], r["max"], r["non_2xx"], r["socket_errors"],
                        round(os.getloadavg()[0], 2), round(cpu * 1000 / max(1, r["requests"]), 3))
            print(f"  page views, page cache off, c={c}: {cell.rps:,.1f} req/s p50 {cell.p50_ms:.1f} ms "
                  f"p99 {cell.p99_ms:.1f} ms errors {cell.non_2xx + cell.socket_errors} "
                  f"cpu {cell.server_cpu_ms_per_req} ms/req load {cell.load_after}", flush=True)
            cells.append(cell)
    finally:
        stop(proc)
    return cells


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
        views = "HTML page views" if s.html_pages else "JSON-LD resource views"
        verdict = "**no growth**" if s.no_growth else "**growth**"
        lines += ["", f"Soak, {views}: {s.warmup_s:g} s warm-up (not counted), then {s.duration_s:g} s at "
                      f"{s.connections} connections, {s.connections // max(1, len(s.kinds))} per kind: "
                      f"{s.requests:,} requests, {s.rps:,.0f} req/s, errors "
                      f"{s.non_2xx + s.socket_errors}, server CPU {s.server_cpu_ms_per_req:.2f} ms/req, "
                      f"load {s.load_after:.1f}; RSS (main + workers) {s.rss_mb_start:.0f} MB at start, "
                      f"{s.rss_mb_end:.0f} MB at end, max {s.rss_mb_max:.0f} MB, second-half trend "
                      f"{s.rss_trend_mb_per_min:+.2f} MB/min: {verdict} (rule: end <= start + 2 % and "
                      f"trend <= 1 % of start per minute). Main process "
                      f"{s.rss_main_samples[0]:.0f} -> {s.rss_main_samples[-1]:.0f} MB, workers "
                      f"{s.rss_workers_samples[0]:.0f} -> {s.rss_workers_samples[-1]:.0f} MB.",
                  "",
                  "| kind | c | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for k in s.kinds:
            lines.append(f"| {k.kind} | {k.connections} | {k.requests:,} | {k.rps:,.0f} | {k.p50_ms:.2f} | "
                         f"{k.p90_ms:.2f} | {k.p99_ms:.2f} | {k.max_ms:.1f} | {k.non_2xx + k.socket_errors} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import urllib.parse  # noqa: F401

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
    ap.add_argument("--soak-html-only", action="store_true", help="only the soak with page views")
    ap.add_argument("--warmup", type=float, default=15.0, help="soak warm-up seconds (not counted)")
    ap.add_argument("--cells", default="lookup:1,8,32;lineage:1,8,32",
                    help="which cells, e.g. 'lookup:8' (default: both queries at 1, 8, 32)")
    ap.add_argument("--page-cells", action="store_true",
                    help="also HTML page views with the page cache off (the cost of building pages)")
    args = ap.parse_args(argv)
    plan = parse_cells(args.cells)
    if shutil.which("wrk") is None:
        print("wrk is missing: run bench/setup.sh", file=sys.stderr)
        return 2
    nq, store = build_store(args.docs)
    symbols = sample_symbols(store)
    tmp = Path(tempfile.mkdtemp(prefix="bench-endpoint-"))
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1:2]
    import pyoxigraph

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
        meta["ours_rss_mb_ready_main_workers"] = [round(x, 1) for x in rss_split_mb(proc.pid)]
        if not args.soak_only:
            cells += bench_cells("mandategraph", url, symbols, args.duration, tmp, proc.pid, plan)
        if args.soak > 0:
            mixes = (False,) if args.soak_no_html else (True,) if args.soak_html_only else (False, True)
            for html in mixes:
                print(f"soak {args.soak:g} s at 64 connections (warm-up {args.warmup:g} s), html pages: {html}",
                      flush=True)
                result = soak(url, proc.pid, symbols, args.soak, tmp, html=html, warmup=args.warmup)
                print(f"  {result}", flush=True)
                soaks.append(result)
    finally:
        stop(proc)
    if args.page_cells:
        print("page views with the page cache off", flush=True)
        cells += page_cells(store, args.workers, symbols, args.duration, tmp)
    if not args.no_peer and not args.soak_only:
        print("rdflib-endpoint (loading, may take a minute)", flush=True)
        t0 = time.monotonic()
        proc, url = start_peer(nq, free_port())
        meta["peer_load_s"] = round(time.monotonic() - t0, 1)
        try:
            meta["peer_rss_mb_ready"] = round(rss_mb(proc.pid), 1)
            cells += bench_cells("rdflib-endpoint", url, symbols, args.duration, tmp, proc.pid, plan)
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
    ok = all(x.non_2xx + x.socket_errors == 0 and x.no_growth for x in soaks)
    return 0 if ok else 1


if __name__ == "__main__":
    import urllib.parse

    raise SystemExit(main())
