"""Scale benchmark: one command for the whole suite (issue 5, and issue 2's first benchmark).

    python bench/run.py [--sizes 10000,100000,1000000] [--quick]

For each size it generates the synthetic corpus (bench.synth; by default the catalogue
layout: documents as catalogue records in files of 1,000, about 10 quads per document, the
shape the issue's targets are set on), then runs every engine in its own process
(bench/scale_engine.py) so each peak RSS is that engine's own:

- bulk load, quads/s: ``mandategraph.store.bulkload`` into an in-memory store (``load_s``: the
  shape of the issue's baseline, one transactional ``Store.load``; the corpus is a signed dump,
  so its IRIs are not validated again while its digest is checked; ``load_strict_s`` validates
  every IRI), beside ``load_baseline_s``, the baseline itself measured in the same run
  (measurements.md's graph, ``Store().bulk_load``: 39.9 s at 1M when the target was set; this
  machine's speed varies by a third from hour to hour), and into a new on-disk store
  (``load_disk_s``: parallel ``bulk_load``, what ``mandategraph load`` runs), vs rdflib (rdflib
  up to 100k docs); beside them ``load_files_s``, the same in-memory load of the other layout
  (one named graph per document, as built from its own file: about 14 quads per document);
- symbol lookup and lineage p50/p99: embedded (disk, memory) vs Oxigraph server
  (``oxigraph serve-read-only`` over HTTP, SPARQLWrapper) vs rdflib;
- validation: full (SPARQL engine on the on-disk store) and incremental (one new document),
  time and peak memory, vs pySHACL on the same graph (with a time cap; null + reason beyond);
- resident memory of ``mandategraph serve`` over the store after start-up and some requests.

``--engines`` measures the validation engines side by side instead (issue 16): the W3C SHACL
suite's pass count per engine, then per size full validation with the compiled engine (on disk,
in the store), pyshacl-turbo and pySHACL (rdflib in memory; up to ``--turbo-max`` /
``--pyshacl-max`` documents, each under ``--pyshacl-cap`` seconds), whether their results are
the same, and incremental validation of one new document. It writes
bench/results/engines-<date>.json, bench/results/engines-latest.json and the table between the
``<!-- engines-bench -->`` markers of bench/README.md.

Writes bench/results/<date>.json (runs of the same day are merged by size),
bench/results/latest.json (the figures of the largest size plus ``runs``) and the table in
bench/README.md between the ``<!-- scale-bench -->`` markers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = ROOT / "bench"
WORK = BENCH / "work"
RESULTS = BENCH / "results"
README = BENCH / "README.md"
ENGINE = BENCH / "scale_engine.py"
START, END = "<!-- scale-bench -->", "<!-- /scale-bench -->"

RDFLIB_MAX = 100_000
PYSHACL_MAX = 10_000


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_task(task: str, timeout: float, **kw: object) -> dict:
    """Run one engine task in a fresh process; {"error": ...} on failure or timeout."""
    cmd = [sys.executable, str(ENGINE), task]
    for k, v in kw.items():
        if v is True:
            cmd.append(f"--{k}")
        elif v is not None and v is not False:
            cmd += [f"--{k}", str(v)]
    log(f"  {task} ...")
    t = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s", "timed_out": True}
    wall = time.perf_counter() - t
    if p.returncode != 0:
        return {"error": (p.stderr or p.stdout).strip().splitlines()[-1:] or ["failed"]}
    out = json.loads(p.stdout.strip().splitlines()[-1])
    out["wall_s"] = round(wall, 2)
    log(f"  {task}: {json.dumps(out)[:300]}")
    return out


def synth_version() -> str:
    src = b"".join((ROOT / f).read_bytes() for f in ("bench/synth.py", "bench/synth_terms.py",
                                                     "bench/synth_corpus.py", "mandategraph/build/iris.py"))
    return hashlib.sha256(src).hexdigest()[:10]


def corpus(docs: int, seed: int, layout: str = "catalogue") -> tuple[Path, dict]:
    """The corpus file for this size and layout (generated once per generator version)."""
    from bench.synth import write_nquads

    WORK.mkdir(parents=True, exist_ok=True)
    nq = WORK / f"synth-{layout}-{docs}-{seed}-{synth_version()}.nq"
    meta = nq.with_suffix(".json")
    if nq.exists() and meta.exists():
        return nq, json.loads(meta.read_text())
    for old in [*WORK.glob(f"synth-{layout}-{docs}-{seed}-*"), *WORK.glob(f"synth-{docs}-{seed}-*")]:
        old.unlink()
    log(f"generating {docs} documents ({layout} layout) ...")
    t = time.perf_counter()
    stats = write_nquads(nq, docs, seed, layout=layout).as_dict()
    stats["gen_s"] = round(time.perf_counter() - t, 2)
    meta.write_text(json.dumps(stats))
    return nq, stats


def baseline_corpus(docs: int, seed: int) -> Path:
    """measurements.md's graph for this size (bench/baseline_corpus.py), generated once."""
    sys.path.insert(0, str(BENCH))
    import baseline_corpus

    ver = hashlib.sha256((BENCH / "baseline_corpus.py").read_bytes()).hexdigest()[:10]
    nt = WORK / f"baseline-{docs}-{seed}-{ver}.nt"
    if not nt.exists():
        for old in WORK.glob(f"baseline-{docs}-{seed}-*"):
            old.unlink()
        log(f"generating the baseline graph of {docs} documents ...")
        baseline_corpus.write(str(nt), docs, seed)
    return nt


def wait_http(url: str, timeout: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited ({proc.returncode}) before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


def tree_rss_mb(pid: int) -> float:
    import psutil

    try:
        p = psutil.Process(pid)
        procs = [p, *p.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for q in procs:
        try:
            total += q.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def bench_oxigraph_server(store: Path, samples: Path, reps: int) -> dict:
    exe = shutil.which("oxigraph")
    if not exe:
        return {"error": "the oxigraph CLI is not installed (pip install oxigraph)"}
    port = free_port()
    proc = subprocess.Popen([exe, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        t = time.perf_counter()
        wait_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", 120, proc)
        ready = time.perf_counter() - t
        res = run_task("server", 1800, endpoint=f"http://127.0.0.1:{port}/query", samples=samples, reps=reps)
        res["ready_s"] = round(ready, 2)
        res["server_rss_mb"] = round(tree_rss_mb(proc.pid))
        return res
    finally:
        stop(proc)


def bench_serve(store: Path, symbols: list[str]) -> dict:
    """Start `mandategraph serve` over the store, send some requests, measure the tree's RSS."""
    port = free_port()
    cmd = [sys.executable, "-m", "mandategraph", "serve", "--store", str(store), "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        t = time.perf_counter()
        try:
            wait_http(f"{base}/", 300, proc)
        except RuntimeError as e:
            err = proc.stderr.read().decode()[-500:] if proc.poll() is not None and proc.stderr else ""
            return {"error": f"{e} {err}".strip()}
        ready = time.perf_counter() - t
        rss_start = tree_rss_mb(proc.pid)
        lookup = (BENCH / "queries" / "lookup.rq").read_text()
        statuses: dict[str, int] = {}
        peak = rss_start
        for i, sym in enumerate(symbols[:60]):
            q = lookup.replace("?symbol ;", json.dumps(sym) + " ;")
            urls = [f"{base}/sparql?{urllib.parse.urlencode({'query': q})}",
                    f"{base}/doc/{urllib.parse.quote(sym)}"]
            if i < 3:
                urls.append(f"{base}/")
            for url in urls:
                try:
                    with urllib.request.urlopen(urllib.request.Request(
                            url, headers={"Accept": "application/sparql-results+json, text/html"}), timeout=60) as r:
                        r.read()
                        code = r.status
                except urllib.error.HTTPError as e:
                    code = e.code
                except OSError:
                    code = 0
                statuses[str(code)] = statuses.get(str(code), 0) + 1
            peak = max(peak, tree_rss_mb(proc.pid))
        return {"serve_ready_s": round(ready, 2), "serve_rss_start_mb": round(rss_start),
                "serve_rss_mb": round(max(peak, tree_rss_mb(proc.pid))), "serve_requests": statuses}
    finally:
        stop(proc)


def bench_size(docs: int, args: argparse.Namespace) -> dict:
    log(f"=== {docs} documents")
    nq, stats = corpus(docs, args.seed, args.layout)
    samples = WORK / f"samples-{docs}.json"
    symbols = stats["sample_symbols"]
    samples.write_text(json.dumps(symbols))
    store = WORK / f"store-{docs}"
    shutil.rmtree(store, ignore_errors=True)
    reps = 50 if args.quick else 300
    load_before = os.getloadavg()[0]
    run: dict = {"docs": docs, "layout": args.layout, "quads": stats["triples"],
                 "quads_per_doc": round(stats["triples"] / docs, 2), "graphs": stats.get("graphs"),
                 "gen_s": stats.get("gen_s"), "deliberate_violations": sum(stats["violations"].values())}
    if args.layout != "files" and not args.no_files_load:
        # the other layout, loaded the same way: one named graph per document, as built from
        # its own file (about 14 quads per document: its source graph's description and the
        # link to its language version come on top of the 8 facts a catalogue record gives)
        fnq, fstats = corpus(docs, args.seed, "files")
        fsamples = WORK / f"samples-files-{docs}.json"
        fsamples.write_text(json.dumps(fstats["sample_symbols"]))
        files = run_task("load-memory", 3600, nq=fnq, samples=fsamples, reps=5)
        run.update({"files_quads": fstats["triples"],
                    "files_quads_per_doc": round(fstats["triples"] / docs, 2),
                    "load_files_s": files.get("load_s"),
                    "load_files_triples_per_s": files.get("load_triples_per_s"),
                    "load_files_cpu_s": files.get("load_cpu_s")})
    disk = run_task("load-disk", 3600, nq=nq, store=store, samples=samples, reps=reps)
    mem = run_task("load-memory", 3600, nq=nq, samples=samples, reps=reps) if not (args.quick and docs > 100_000) \
        else {"error": "skipped (--quick)"}
    # right after ours, the same machine state: the baseline's own load of the baseline's graph
    # (measurements.md: 39.9 s at 1M), and ours with every IRI validated (no signed-dump path)
    skip = {"error": "skipped (--quick)"}
    base = run_task("load-baseline", 3600, nq=baseline_corpus(docs, args.seed)) if "error" not in mem else skip
    strict = run_task("load-memory", 3600, nq=nq, samples=samples, reps=5, strict=True) \
        if "error" not in mem else skip
    run.update({"load_baseline_s": base.get("load_s"), "load_baseline_quads": base.get("quads"),
                "load_strict_s": strict.get("load_s"), "load_strict_cpu_s": strict.get("load_cpu_s"),
                "load_signed": mem.get("load_signed")})
    if mem.get("load_s") and base.get("load_s"):
        run["load_vs_baseline"] = round(mem["load_s"] / base["load_s"], 3)
    if strict.get("load_s") and base.get("load_s"):
        run["load_strict_vs_baseline"] = round(strict["load_s"] / base["load_s"], 3)
    rdf = run_task("rdflib", 3600, nq=nq, samples=samples, reps=min(reps, 100)) if docs <= RDFLIB_MAX \
        else {"error": f"not run above {RDFLIB_MAX} documents (measurements.md: ~6 min and ~15 GB at 1M)"}
    server = bench_oxigraph_server(store, samples, reps)
    val = run_task("validate", 3600, store=store)
    inc = run_task("incremental", 1200, store=store, docs=docs, seed=args.seed, reps=20 if args.quick else 50)
    if docs <= args.pyshacl_max:
        shacl = run_task("pyshacl", args.pyshacl_cap, nq=nq)
        if shacl.get("timed_out"):
            shacl = {"pyshacl_full_s": None, "pyshacl_reason": f"did not finish within the {args.pyshacl_cap:.0f} s cap"}
    else:
        shacl = {"pyshacl_full_s": None,
                 "pyshacl_reason": f"not run above {args.pyshacl_max} documents (time grows linearly; see the smaller sizes)"}
    serve = bench_serve(store, symbols) if not args.no_serve else {"error": "skipped (--no-serve)"}
    run.update({
        # load_s is the in-memory load: the shape of the baseline (measurements.md, an
        # in-memory pyoxigraph Store()); the on-disk load (a new RocksDB store) is beside it
        "load_s": mem.get("load_s"), "load_triples_per_s": mem.get("load_triples_per_s"),
        "load_cpu_s": mem.get("load_cpu_s"), "load_threads": mem.get("load_threads"),
        "load_disk_s": disk.get("load_s"), "load_disk_triples_per_s": disk.get("load_triples_per_s"),
        "load_disk_cpu_s": disk.get("load_cpu_s"),
        "optimize_s": disk.get("optimize_s"),
        "load_rdflib_s": rdf.get("load_s"), "load_rdflib_triples_per_s": rdf.get("load_triples_per_s"),
        "lookup_p50_ms": disk.get("lookup_p50_ms"), "lookup_p99_ms": disk.get("lookup_p99_ms"),
        "lineage_p50_ms": disk.get("lineage_p50_ms"), "lineage_p99_ms": disk.get("lineage_p99_ms"),
        "memory_lookup_p50_ms": mem.get("lookup_p50_ms"), "memory_lookup_p99_ms": mem.get("lookup_p99_ms"),
        "memory_lineage_p50_ms": mem.get("lineage_p50_ms"), "memory_lineage_p99_ms": mem.get("lineage_p99_ms"),
        "server_lookup_p50_ms": server.get("lookup_p50_ms"), "server_lookup_p99_ms": server.get("lookup_p99_ms"),
        "server_lineage_p50_ms": server.get("lineage_p50_ms"), "server_lineage_p99_ms": server.get("lineage_p99_ms"),
        "rdflib_lookup_p50_ms": rdf.get("lookup_p50_ms"), "rdflib_lookup_p99_ms": rdf.get("lookup_p99_ms"),
        "rdflib_lineage_p50_ms": rdf.get("lineage_p50_ms"), "rdflib_lineage_p99_ms": rdf.get("lineage_p99_ms"),
        "validate_full_s": val.get("validate_full_s"), "validate_full_peak_mb": val.get("validate_full_peak_mb"),
        "validate_full_results": val.get("results"),
        "validate_incremental_ms": inc.get("validate_incremental_ms"),
        "validate_incremental_p99_ms": inc.get("validate_incremental_p99_ms"),
        "pyshacl_full_s": shacl.get("pyshacl_full_s"), "pyshacl_peak_mb": shacl.get("pyshacl_peak_mb"),
        "pyshacl_results": shacl.get("pyshacl_results"), "pyshacl_reason": shacl.get("pyshacl_reason"),
        "serve_rss_mb": serve.get("serve_rss_mb"),
    })
    if run["rdflib_lineage_p50_ms"] and run["memory_lineage_p50_ms"]:
        run["lineage_speedup_vs_rdflib"] = round(run["rdflib_lineage_p50_ms"] / run["memory_lineage_p50_ms"], 1)
    if run["rdflib_lineage_p50_ms"] and run["lineage_p50_ms"]:
        run["lineage_speedup_disk_vs_rdflib"] = round(run["rdflib_lineage_p50_ms"] / run["lineage_p50_ms"], 1)
    # the machine is shared: the 1-minute load average before and after says how quiet it was
    run["loadavg_1m"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    run["details"] = {"disk": disk, "memory": mem, "memory_strict": strict, "baseline": base,
                      "rdflib": rdf, "server": server, "validate": val,
                      "incremental": inc, "pyshacl": shacl, "serve": serve}
    if not args.keep_store:
        shutil.rmtree(store, ignore_errors=True)
    return run


def validation_only(docs: int, args: argparse.Namespace, old: dict | None) -> dict:
    """Re-measure full validation alone (after a compiler change) and merge it into the size's
    existing row: the other figures stay as measured. Reuses bench/work/store-<docs> if present
    (e.g. left by --keep-store), else loads it."""
    log(f"=== {docs} documents (validation only)")
    store = WORK / f"store-{docs}"
    run = dict(old or {"docs": docs})
    if not (store / "CURRENT").exists():
        nq, stats = corpus(docs, args.seed, args.layout)
        samples = WORK / f"samples-{docs}.json"
        samples.write_text(json.dumps(stats["sample_symbols"]))
        run_task("load-disk", 3600, nq=nq, store=store, samples=samples, reps=5)
    load_before = os.getloadavg()[0]
    val = run_task("validate", 3600, store=store)
    run.update({"validate_full_s": val.get("validate_full_s"),
                "validate_full_peak_mb": val.get("validate_full_peak_mb"),
                "validate_full_results": val.get("results"),
                "validate_loadavg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)]})
    run.setdefault("details", {})["validate"] = val
    if not args.keep_store:
        shutil.rmtree(store, ignore_errors=True)
    return run


def fmt(v: object, unit: str = "") -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        v = f"{v:,.3f}" if v < 1 else f"{v:,.2f}" if v < 100 else f"{v:,.0f}"
    elif isinstance(v, int):
        v = f"{v:,}"
    return f"{v}{unit}"


def table(doc: dict) -> str:
    runs = sorted(doc["runs"], key=lambda r: r["docs"])
    env = doc.get("environment", {})
    lines = [f"Run {doc.get('date')} on {env.get('cpus')} CPUs, {env.get('python')}, pyoxigraph "
             f"{env.get('pyoxigraph')}, rdflib {env.get('rdflib')}, pyshacl {env.get('pyshacl')}. "
             "Figures from `bench/results/latest.json`; – = not run (reason in the JSON).", "",
             "| docs | quads (per doc) | load s memory (quads/s) | load s memory: all IRIs validated / "
             "baseline graph, baseline's bulk_load | load s disk (quads/s) | load s rdflib | "
             "load s memory, one graph per document (quads per doc) | lookup p50/p99 ms disk | "
             "lineage p50/p99 ms disk | lineage p50/p99 memory | lineage p50/p99 server | lineage p50/p99 rdflib | "
             "speed-up vs rdflib | full validation s (peak MB) | incremental ms p50/p99 | pySHACL s (peak MB) | serve RSS MB |",
             "|" + "---|" * 17]
    for r in runs:
        lines.append("| " + " | ".join([
            fmt(r["docs"]), f"{fmt(r.get('quads'))} ({fmt(r.get('quads_per_doc'))})",
            f"{fmt(r.get('load_s'))} ({fmt(r.get('load_triples_per_s'))})",
            f"{fmt(r.get('load_strict_s'))} / {fmt(r.get('load_baseline_s'))}",
            f"{fmt(r.get('load_disk_s'))} ({fmt(r.get('load_disk_triples_per_s'))})",
            fmt(r.get("load_rdflib_s")),
            f"{fmt(r.get('load_files_s'))} ({fmt(r.get('files_quads_per_doc'))})",
            f"{fmt(r.get('lookup_p50_ms'))} / {fmt(r.get('lookup_p99_ms'))}",
            f"{fmt(r.get('lineage_p50_ms'))} / {fmt(r.get('lineage_p99_ms'))}",
            f"{fmt(r.get('memory_lineage_p50_ms'))} / {fmt(r.get('memory_lineage_p99_ms'))}",
            f"{fmt(r.get('server_lineage_p50_ms'))} / {fmt(r.get('server_lineage_p99_ms'))}",
            f"{fmt(r.get('rdflib_lineage_p50_ms'))} / {fmt(r.get('rdflib_lineage_p99_ms'))}",
            fmt(r.get("lineage_speedup_vs_rdflib"), "×") if r.get("lineage_speedup_vs_rdflib") else "–",
            f"{fmt(r.get('validate_full_s'))} ({fmt(r.get('validate_full_peak_mb'))})",
            f"{fmt(r.get('validate_incremental_ms'))} / {fmt(r.get('validate_incremental_p99_ms'))}",
            f"{fmt(r.get('pyshacl_full_s'))} ({fmt(r.get('pyshacl_peak_mb'))})",
            fmt(r.get("serve_rss_mb")),
        ]) + " |")
    return "\n".join(lines)


def write_readme(doc: dict) -> None:
    text = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n\n"
    block = f"{START}\n{table(doc)}\n{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n## Scale (issue 5)\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


def environment() -> dict:
    import pyoxigraph
    import pyshacl
    import rdflib

    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__,
            "pyshacl": pyshacl.__version__, "synth_version": synth_version()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--quick", action="store_true", help="fewer query repetitions, skip the 1M in-memory load")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--pyshacl-max", type=int, default=PYSHACL_MAX)
    ap.add_argument("--pyshacl-cap", type=float, default=900.0, help="seconds before pySHACL is stopped")
    ap.add_argument("--no-serve", action="store_true")
    ap.add_argument("--keep-store", action="store_true")
    ap.add_argument("--layout", choices=("catalogue", "files"), default="catalogue",
                    help="synthetic corpus layout (bench.synth): catalogue records in files of "
                         "1,000 (default, about 10 quads per document, the issue's shape) or one named "
                         "graph per document")
    ap.add_argument("--no-files-load", action="store_true",
                    help="with --layout catalogue, do not also time the in-memory load of the files layout")
    ap.add_argument("--validation-only", action="store_true",
                    help="re-measure only full validation; merge it into each size's existing row")
    ap.add_argument("--engines", action="store_true",
                    help="measure the validation engines side by side (W3C suite, full, incremental)")
    ap.add_argument("--turbo-max", type=int, default=100_000, help="largest size pyshacl-turbo is run on")
    args = ap.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.engines:
        import engines  # bench/engines.py: the validation engines side by side (issue 16)

        engines.main(args, sizes)
        return
    date = dt.date.today().isoformat()
    dated = RESULTS / f"{date}.json"
    doc = json.loads(dated.read_text()) if dated.exists() else {"date": date, "runs": []}
    doc["environment"] = environment()
    for docs in sizes:
        if args.validation_only:
            prev = next((r for r in doc["runs"] if r["docs"] == docs), None)
            run = validation_only(docs, args, prev)
            run["validate_measured_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        else:
            run = bench_size(docs, args)
        run.setdefault("measured_at", None)
        if not args.validation_only:
            run["measured_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        doc["runs"] = [r for r in doc["runs"] if r["docs"] != docs] + [run]
        doc["runs"].sort(key=lambda r: r["docs"])
        dated.write_text(json.dumps(doc, indent=1))  # after every size: a crash keeps what ran
        largest = max(doc["runs"], key=lambda r: r["docs"])
        latest = {k: v for k, v in largest.items() if k != "details"}
        latest.update({"date": date, "environment": doc["environment"],
                       "runs": [{k: v for k, v in r.items() if k != "details"} for r in doc["runs"]]})
        (RESULTS / "latest.json").write_text(json.dumps(latest, indent=1))
        write_readme(doc)
    log(f"wrote {dated}, {RESULTS / 'latest.json'} and the table in {README}")


if __name__ == "__main__":
    main()
