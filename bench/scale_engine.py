"""One benchmark task in its own process (so its peak memory is its own): prints one JSON object.

Called by bench/run.py, e.g. ``python bench/scale_engine.py load-disk --nq X.nq --store DIR``.
Tasks:

- ``load-disk``    ``mandategraph.store.bulkload.load_store`` (what ``mandategraph load`` runs: Oxigraph
                   ``bulk_load`` on parallel chunks into a new directory swapped in at the end)
                   (+ ``optimize``, timed apart), then the queries.
- ``load-memory``  the loader into an in-memory store, one transactional ``Store.load`` (that
                   store admits one writer at a time, and ``load`` beat ``bulk_load`` there:
                   61-63 s vs 79-84 s at 1M), then the queries.
- ``rdflib``       rdflib ``Dataset.parse(nquads)`` (the baseline), queries.
- ``server``       queries through SPARQLWrapper against a running ``oxigraph serve-read-only``.
- ``validate``     full SPARQL-engine validation of the on-disk store (read-only).
- ``incremental``  add new documents to the on-disk store, time ``validate_incremental``.
- ``pyshacl``      pySHACL over the same graph (rdflib in memory), under the caller's time cap.
- ``turbo``        pyshacl-turbo over the same graph (rdflib in memory), under the caller's time cap.

``validate``, ``pyshacl`` and ``turbo`` also print ``results_digest``: a hash of their results
(focus, path, severity, shape, component, value), equal when two engines give the same results.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdflib import Literal

QUERIES = ROOT / "bench" / "queries"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_peak_mb() -> float:
    """Peak RSS of the largest finished child process; times the worker count, an upper bound of
    the validation workers' share of the peak (they run side by side)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def read_query(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[k]


def time_queries(select, symbols: list[str], reps: int) -> dict:
    """Lookup and lineage: one warm-up, then ``reps`` runs, each with another symbol."""
    out: dict = {}
    for name in ("lookup", "lineage"):
        text = read_query(name)
        rows = len(select(text, {"symbol": Literal(symbols[0])}))  # warm-up
        times = []
        nonempty = 0
        for i in range(reps):
            sym = symbols[(i + 1) % len(symbols)]
            t = time.perf_counter()
            n = len(select(text, {"symbol": Literal(sym)}))
            times.append((time.perf_counter() - t) * 1000)
            nonempty += n > 0
        out[f"{name}_p50_ms"] = round(statistics.median(times), 4)
        out[f"{name}_p99_ms"] = round(percentile(times, 99), 4)
        out[f"{name}_runs"] = reps
        out[f"{name}_nonempty"] = nonempty
        out[f"{name}_warmup_rows"] = rows
    return out


def ox_select(store):
    from mandategraph.store.sparql_text import inject_values

    def run(text: str, bindings: dict) -> list:
        return list(store.query(inject_values(text, bindings), use_default_graph_as_union=True))

    return run


def task_load(args: argparse.Namespace, disk: bool) -> dict:
    import pyoxigraph as ox

    from mandategraph.store.bulkload import default_threads, load_into, load_store

    # the in-memory store takes one writer at a time: one transactional load, its fastest path
    from mandategraph.store.bulkload import dump_trailer

    threads = (args.threads or default_threads()) if disk else 1
    warnings: list[str] = []
    t, cpu = time.perf_counter(), time.process_time()
    if disk:  # what `mandategraph load DUMP --store DIR` does: a new directory swapped in at the end
        report = load_store(Path(args.store), [Path(args.nq)], threads=threads, lenient=args.lenient,
                            strict=args.strict)
        warnings = report.warnings
        load_s = time.perf_counter() - t
        store = ox.Store(args.store)
    else:
        store = ox.Store()
        load_into(store, [Path(args.nq)], threads=1, lenient=args.lenient, transactional=True,
                  strict=args.strict, warnings=warnings)
        load_s = time.perf_counter() - t
    res = {"load_s": round(load_s, 2), "load_cpu_s": round(time.process_time() - cpu, 2),
           "load_threads": threads, "load_lenient": args.lenient, "quads": len(store),
           # a signed dump is parsed without re-validating IRIs while its digest is checked
           "load_signed": bool(dump_trailer(Path(args.nq))) and not (args.strict or args.lenient),
           "load_warnings": warnings}
    res["load_triples_per_s"] = round(res["quads"] / load_s)
    if disk:
        t = time.perf_counter()
        store.optimize()
        res["optimize_s"] = round(time.perf_counter() - t, 2)
        store.flush()
    res.update(time_queries(ox_select(store), json.loads(Path(args.samples).read_text()), args.reps))
    res["peak_rss_mb"] = round(peak_mb())
    return res


def task_load_baseline(args: argparse.Namespace) -> dict:
    """The baseline of the load target, as measurements.md measured it: its graph (about 10
    triples per document in the default graph, bench/baseline_corpus.py) into an in-memory
    ``Store()`` with ``bulk_load``. Run in the same bench run, it says how fast this machine is
    today compared with the 39.9 s of measurements.md at 1M documents."""
    import pyoxigraph as ox

    store = ox.Store()
    t, cpu = time.perf_counter(), time.process_time()
    store.bulk_load(path=args.nq, format=ox.RdfFormat.N_TRIPLES)
    load_s = time.perf_counter() - t
    return {"load_s": round(load_s, 2), "load_cpu_s": round(time.process_time() - cpu, 2),
            "quads": len(store), "load_triples_per_s": round(len(store) / load_s)}


def task_rdflib(args: argparse.Namespace) -> dict:
    from rdflib import Dataset

    from mandategraph.store.sparql_text import inject_values

    t = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(args.nq, format="nquads")
    load_s = time.perf_counter() - t
    res = {"load_s": round(load_s, 2), "quads": len(ds)}
    res["load_triples_per_s"] = round(res["quads"] / load_s) if load_s else None

    def run(text: str, bindings: dict) -> list:
        return list(ds.query(inject_values(text, bindings)))

    res.update(time_queries(run, json.loads(Path(args.samples).read_text()), args.reps))
    res["peak_rss_mb"] = round(peak_mb())
    return res


def task_server(args: argparse.Namespace) -> dict:
    from mandategraph.store.remote import RemoteStore

    remote = RemoteStore(args.endpoint, union_default_graph=True)

    def run(text: str, bindings: dict) -> list:
        return remote.select(text, bindings).rows

    res = time_queries(run, json.loads(Path(args.samples).read_text()), args.reps)
    res["peak_rss_mb"] = round(peak_mb())
    return res


def results_digest(results) -> str:
    import hashlib

    from rdflib import BNode, URIRef

    def key(r) -> str:
        path = str(r.path) if isinstance(r.path, URIRef) else ("complex" if r.path is not None else "")
        value = "_:b" if isinstance(r.value, BNode) else ("" if r.value is None else r.value.n3())
        shape = "_:shape" if isinstance(r.source_shape, BNode) else str(r.source_shape)
        return "\t".join((str(r.focus), path, r.severity, shape, str(r.constraint), value))

    return hashlib.sha256("\n".join(sorted(key(r) for r in results)).encode()).hexdigest()[:16]


def task_validate(args: argparse.Namespace) -> dict:
    from mandategraph.validate.sparql_run import default_workers, iter_results
    from mandategraph.store.oxigraph_store import OxigraphStore

    store = OxigraphStore(args.store, read_only=True)
    t = time.perf_counter()
    counts: dict[str, int] = {}
    shapes: dict[str, int] = {}
    workers = default_workers()
    kept = []
    for r in iter_results(store, workers=workers):  # streamed: counts kept (results below 100k)
        counts[r.severity] = counts.get(r.severity, 0) + 1
        key = str(r.source_shape).rsplit("#", 1)[-1]
        shapes[key] = shapes.get(key, 0) + 1
        if len(kept) < 100_000:
            kept.append(r)
    secs = time.perf_counter() - t
    return {"validate_full_s": round(secs, 2), "results": counts,
            "results_digest": results_digest(dict.fromkeys(kept)), "results_n": len(dict.fromkeys(kept)),
            "results_by_shape": shapes, "validate_full_peak_mb": round(peak_mb() + workers * worker_peak_mb()),
            "validate_workers": workers}


def task_incremental(args: argparse.Namespace) -> dict:
    import pyoxigraph as ox

    from mandategraph.validate.incremental import validate_incremental
    from mandategraph.store.oxigraph_store import OxigraphStore
    from bench.synth import Corpus

    store = OxigraphStore(args.store)
    corpus = Corpus(args.docs, args.seed)
    times, results = [], 0
    graphs = []
    for k in range(args.reps + 1):
        graph, lines = corpus.extra_document(k)
        store.ox.load("".join(lines).encode(), format=ox.RdfFormat.N_QUADS)
        graphs.append(graph)
        t = time.perf_counter()
        out = validate_incremental(store, graph)
        times.append((time.perf_counter() - t) * 1000)
        results += len(out.results)
    for g in graphs:  # leave the store as it was
        store.remove_graph(g)
    store.flush()
    first = times.pop(0)  # compiles the shapes once
    return {"validate_incremental_ms": round(statistics.median(times), 2),
            "validate_incremental_p99_ms": round(percentile(times, 99), 2),
            "validate_incremental_first_ms": round(first, 2), "incremental_runs": len(times),
            "incremental_results": results, "incremental_peak_mb": round(peak_mb())}


def task_pyshacl(args: argparse.Namespace) -> dict:
    from rdflib import Graph

    from mandategraph.validate.pyshacl_engine import validate_graph

    t = time.perf_counter()
    g = Graph()
    import pyoxigraph as ox

    from mandategraph.build.ntriples import from_ox

    for q in ox.parse(path=args.nq, format=ox.RdfFormat.N_QUADS):
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    if args.engine == "turbo":
        from mandategraph.validate.engines import validate_turbo

        out = validate_turbo(g)
    else:
        out = validate_graph(g)
    return {"pyshacl_load_s": round(load_s, 2), "pyshacl_full_s": round(time.perf_counter() - t, 2),
            "pyshacl_results": len(out.results), "pyshacl_peak_mb": round(peak_mb()),
            "results_digest": results_digest(out.results), "engine": args.engine}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("task")
    ap.add_argument("--nq")
    ap.add_argument("--store")
    ap.add_argument("--samples")
    ap.add_argument("--endpoint")
    ap.add_argument("--docs", type=int, default=0)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--threads", type=int, default=0, help="loader threads (0: mandategraph's default)")
    ap.add_argument("--lenient", action="store_true", help="load without IRI validation")
    ap.add_argument("--strict", action="store_true", help="validate every IRI, also of a signed dump")
    ap.add_argument("--engine", default="pyshacl", help="pyshacl task: pyshacl or turbo")
    args = ap.parse_args()
    tasks = {
        "load-disk": lambda: task_load(args, True), "load-memory": lambda: task_load(args, False),
        "rdflib": lambda: task_rdflib(args), "server": lambda: task_server(args),
        "validate": lambda: task_validate(args), "incremental": lambda: task_incremental(args),
        "pyshacl": lambda: task_pyshacl(args), "load-baseline": lambda: task_load_baseline(args),
        "turbo": lambda: task_pyshacl(argparse.Namespace(**{**vars(args), "engine": "turbo"})),
    }
    print(json.dumps(tasks[args.task]()))


if __name__ == "__main__":
    main()
