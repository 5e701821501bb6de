"""Soak of ``mandategraph serve`` over every document, instrument and session of the graph
(issue 15, Server III): 64 clients for 60 s, every URL distinct, no warm-up.

    python bench/soak.py [--docs 20000] [--seconds 60] [--clients 64] [--tree DIR ...]

For each document, instrument and session IRI of the synthetic store (``bench.synth``, as
bench/bench_endpoint.py builds it), the requests a user makes: the HTML page, the Turtle view
(``.ttl``), the lineage picture (``/lineage.svg?iri=``, documents and instruments: the routes
that exist) and the SHACL report of the node (``/shacl?node=``). Each URL is requested once,
in a shuffled order (seed 3), so no page is served twice from a cache; a run shorter than
the list stops where it is. The targets: 0 errors, p99 < 1 s, RSS growth < 2 %.

Errors are 5xx and other 4xx answers, socket errors and timeouts; a 404 from the lineage
route (a document without lineage) is counted apart as ``no_lineage``. The server's memory
(main process + query workers, apart) is sampled every 2 s. Per kind (``document page``,
``instrument lineage`` ...) and per view (page, turtle, lineage, shacl): requests, p50, p99,
max, errors. The load generator is this process (asyncio, raw HTTP/1.1 keep-alive) on the same
cores as the server.

``--tree DIR`` (repeatable) serves from another source tree (e.g. ``/work/main``) for an A/B in
the same minutes: with several trees and ``--rounds N`` the runs alternate (a, b, a, b ...).
Writes bench/results/soak-<date>[-<tag>].json.
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
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.endpoint_oxigraph import read_response
from bench.bench_endpoint import (
    RESULTS, build_store, cpu_seconds, free_port, rss_split_mb, stop, wait_ready)

UN = "https://w3id.org/mandategraph/ontology#"
BASE = "https://w3id.org/mandategraph"
CLASSES = {"document": UN + "Document", "instrument": UN + "Instrument", "session": UN + "Session"}
VIEWS = ("page", "turtle", "lineage", "shacl")
RSS_INTERVAL_S = 2.0
_SAFE = "/.-_~()*@"


def graph_iris(store: Path) -> dict[str, list[str]]:
    """Every document, instrument and session IRI of the store (read in a child process, so
    this process does not hold the store's memory during the soak)."""
    code = ("import sys, json, pyoxigraph as ox; s = ox.Store.read_only(sys.argv[1]); "
            "out = {k: sorted({r[0].value for r in s.query('SELECT DISTINCT ?x WHERE { ?x a <' + c + '> }', "
            "use_default_graph_as_union=True)}) for k, c in json.loads(sys.argv[2]).items()}; "
            "print(json.dumps(out))")
    done = subprocess.run([sys.executable, "-c", code, str(store), json.dumps(CLASSES)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def requests_for(iris: dict[str, list[str]], views: tuple[str, ...], seed: int = 3) -> list[tuple[str, str, str]]:
    """(kind, path, accept) for every IRI and view, each URL once, shuffled."""
    out: list[tuple[str, str, str]] = []
    for cls, members in iris.items():
        for iri in members:
            if not iri.startswith(BASE + "/"):
                continue
            path = iri[len(BASE):]
            if "page" in views:
                out.append((f"{cls} page", path, "text/html"))
            if "turtle" in views:
                out.append((f"{cls} turtle", path + ".ttl", "text/turtle"))
            if "lineage" in views and cls in ("document", "instrument"):
                out.append((f"{cls} lineage", "/lineage.svg?iri=" + quote(iri, safe=""), "image/svg+xml"))
            if "shacl" in views:
                out.append((f"{cls} shacl", "/shacl?node=" + quote(iri, safe=""), "text/html"))
    assert len({p for _, p, _ in out}) == len(out), "every URL distinct"
    random.Random(seed).shuffle(out)
    return out


def run_soak(port: int, pid: int, reqs: list[tuple[str, str, str]], clients: int, seconds: float,
             timeout: float = 30.0) -> dict:
    it = iter(reqs)
    lat: dict[str, list[float]] = {}
    errors: dict[str, list[str]] = {}
    no_lineage = [0]
    split = [rss_split_mb(pid)]
    stop_at = time.monotonic() + seconds

    async def client() -> None:
        reader = writer = None
        for kind, path, accept in it:
            if time.monotonic() > stop_at:
                return
            t0 = time.monotonic()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: {accept}\r\n\r\n".encode())
                status = await asyncio.wait_for(read_response(reader), timeout)
                if status == 404 and kind.endswith("lineage"):
                    no_lineage[0] += 1
                elif status >= 400:
                    errors.setdefault(kind, []).append(f"{status} {path}")
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError, IndexError) as e:
                errors.setdefault(kind, []).append(f"{type(e).__name__} {path}")
                if writer is not None:
                    writer.close()
                reader = writer = None
            lat.setdefault(kind, []).append(time.monotonic() - t0)
        if writer is not None:
            writer.close()

    done = threading.Event()

    def sample() -> None:
        while not done.wait(RSS_INTERVAL_S):
            split.append(rss_split_mb(pid))

    sampler = threading.Thread(target=sample, daemon=True)
    load0 = os.getloadavg()[0]
    cpu0 = cpu_seconds(pid)
    main0 = _cpu_main(pid)
    t0 = time.monotonic()
    sampler.start()

    async def go() -> None:
        await asyncio.gather(*(client() for _ in range(clients)))

    asyncio.run(go())
    took = time.monotonic() - t0
    cpu = cpu_seconds(pid) - cpu0
    cpu_main = _cpu_main(pid) - main0
    done.set()
    sampler.join()
    time.sleep(1)
    split.append(rss_split_mb(pid))
    total = [m + w for m, w in split]

    def stats(xs: list[float], errs: int) -> dict:
        xs = sorted(xs)
        q = (lambda p: round(xs[min(len(xs) - 1, int(p * len(xs)))] * 1000, 1)) if xs else (lambda p: None)
        return {"requests": len(xs), "rps": round(len(xs) / took, 1), "p50_ms": q(0.5), "p99_ms": q(0.99),
                "max_ms": round(xs[-1] * 1000, 1) if xs else None, "errors": errs}

    every = [x for xs in lat.values() for x in xs]
    n_err = sum(map(len, errors.values()))
    per_view = {v: stats([x for k, xs in lat.items() if k.endswith(" " + v) for x in xs],
                         sum(len(e) for k, e in errors.items() if k.endswith(" " + v))) for v in VIEWS}
    return {"clients": clients, "seconds": round(took, 1), "urls": len(reqs),
            **stats(every, n_err),
            "no_lineage_404": no_lineage[0],
            "error_samples": sorted({e for es in errors.values() for e in es})[:8],
            "per_view": {v: s for v, s in per_view.items() if s["requests"]},
            "per_kind": {k: stats(xs, len(errors.get(k, ()))) for k, xs in sorted(lat.items())},
            "rss_start_mb": round(total[0], 1), "rss_end_mb": round(total[-1], 1), "rss_max_mb": round(max(total), 1),
            "rss_growth_pct": round(100 * (total[-1] - total[0]) / total[0], 2),
            "rss_main_mb": [round(m, 1) for m, _ in split], "rss_workers_mb": [round(w, 1) for _, w in split],
            "server_cpu_ms_per_req": round(cpu * 1000 / max(1, len(every)), 2),
            "main_cpu_ms_per_req": round(cpu_main * 1000 / max(1, len(every)), 2),
            "load_before": round(load0, 2), "load_after": round(os.getloadavg()[0], 2)}


def _cpu_main(pid: int) -> float:
    """CPU seconds of the server's main process alone (without the query workers)."""
    import psutil

    t = psutil.Process(pid).cpu_times()
    return t.user + t.system


def start_server(tree: Path, store: Path, workers: int, port: int, extra: list[str]) -> subprocess.Popen:
    cfg = Path(tempfile.mkdtemp(prefix="bench-soak-")) / "server.toml"
    cfg.write_text(f"[server]\nworkers = {workers}\ntimeout_s = 10\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tree)}
    proc = subprocess.Popen([sys.executable, "-m", "mandategraph", "serve", "--store", str(store),
                             "--host", "127.0.0.1", "--port", str(port), "--config", str(cfg), *extra],
                            cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wait_ready(f"http://127.0.0.1:{port}/sparql", proc, 600)
    return proc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=20_000, help="synthetic documents (bench.synth, seed 42)")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--workers", type=int, default=2, help="query workers of the server")
    ap.add_argument("--views", default=",".join(VIEWS), help="which views, e.g. 'page,turtle'")
    ap.add_argument("--tree", type=Path, action="append", default=None,
                    help="source tree to serve from (repeatable: A/B, runs alternate); default this one")
    ap.add_argument("--rounds", type=int, default=1, help="runs per tree, interleaved")
    ap.add_argument("--serve-arg", action="append", default=[], help="extra argument to `mandategraph serve`")
    ap.add_argument("--tag", default="", help="suffix of the results file name")
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args(argv)
    views = tuple(v for v in a.views.split(",") if v in VIEWS)
    trees = [t.resolve() for t in (a.tree or [ROOT])]
    _nq, store = build_store(a.docs)
    iris = graph_iris(store)
    reqs = requests_for(iris, views)
    print(f"{sum(map(len, iris.values())):,} IRIs ({', '.join(f'{k} {len(v):,}' for k, v in iris.items())}), "
          f"{len(reqs):,} distinct URLs", flush=True)
    runs = []
    for r in range(a.rounds):
        for tree in trees:
            t_start = time.monotonic()
            proc = start_server(tree, store, a.workers, port := free_port(), a.serve_arg)
            ready_s = round(time.monotonic() - t_start, 1)
            try:
                res = run_soak(port, proc.pid, reqs, a.clients, a.seconds)
            finally:
                stop(proc)
            res.update(tree=str(tree), round=r, ready_s=ready_s,
                       at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
            runs.append(res)
            print(json.dumps({k: res[k] for k in ("tree", "round", "requests", "rps", "p50_ms", "p99_ms", "errors",
                                                  "rss_growth_pct", "server_cpu_ms_per_req", "main_cpu_ms_per_req",
                                                  "load_before", "load_after", "ready_s")}),
                  flush=True)
            for k, s in res["per_kind"].items():
                print(f"  {k:20} {s['requests']:6,} req  p50 {s['p50_ms']} ms  p99 {s['p99_ms']} ms  "
                      f"errors {s['errors']}", flush=True)
    out = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
           "machine": f"{os.cpu_count()} cores", "docs": a.docs, "workers": a.workers, "views": views,
           "iris": {k: len(v) for k, v in iris.items()}, "targets": "0 errors, p99 < 1 s, RSS growth < 2 %",
           "runs": runs}
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = a.out or RESULTS / f"soak-{dt.date.today().isoformat()}{'-' + a.tag if a.tag else ''}.json"
    path.write_text(json.dumps(out, indent=1), encoding="utf-8")
    print(f"wrote {path}")
    last = runs[-1]
    return 0 if last["errors"] == 0 and (last["p99_ms"] or 0) < 1000 and last["rss_growth_pct"] < 2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
