"""The validation engines side by side (issue 16): ``python bench/run.py --engines --sizes ...``.

Part of bench/run.py (its corpora, store loading and per-process tasks of bench/scale_engine.py);
a module of its own to keep each under 500 lines. See bench/run.py's docstring for what it
measures and writes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import time
from pathlib import Path

from run import README, RESULTS, ROOT, WORK, corpus, environment, fmt, log, run_task

ENGINES_START, ENGINES_END = "<!-- engines-bench -->", "<!-- /engines-bench -->"


def w3c_counts() -> dict:
    """The W3C SHACL core + SPARQL suite per engine (tests/w3c_shacl.py, the suite's own rule)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import w3c_shacl

    from mandategraph.validate.engines import validate_graph_with
    from mandategraph.validate.sparql_support import UnsupportedShape

    out = {}
    for name in ("pyshacl", "turbo", "sparql"):
        t = time.perf_counter()
        res = w3c_shacl.run_suite(lambda d, sg, n=name: validate_graph_with(d, n, sg).report, (UnsupportedShape,))
        out[name] = {**w3c_shacl.summary(res), "suite_s": round(time.perf_counter() - t, 2)}
        log(f"  W3C suite, {name}: {out[name]}")
    return out


def bench_engines_size(docs: int, args: argparse.Namespace) -> dict:
    log(f"=== {docs} documents (validation engines)")
    nq, stats = corpus(docs, args.seed, args.layout)
    samples = WORK / f"samples-{docs}.json"
    samples.write_text(json.dumps(stats["sample_symbols"]))
    store = WORK / f"store-{docs}"
    if not (store / "CURRENT").exists():
        run_task("load-disk", 3600, nq=nq, store=store, samples=samples, reps=5)
    load_before = os.getloadavg()[0]
    run: dict = {"docs": docs, "quads": stats["triples"], "deliberate_violations": sum(stats["violations"].values())}
    val = run_task("validate", 3600, store=store)
    inc = run_task("incremental", 1200, store=store, docs=docs, seed=args.seed, reps=20 if args.quick else 50)
    engines = {"sparql": val}
    for name, cap_docs in (("turbo", args.turbo_max), ("pyshacl", args.pyshacl_max)):
        if docs > cap_docs:
            engines[name] = {"skipped": f"not run above {cap_docs:,} documents: the whole graph in rdflib "
                                        "memory first (rdflib alone: about 15 GB at 1M documents, measurements.md)"}
            continue
        res = run_task("turbo" if name == "turbo" else "pyshacl", args.pyshacl_cap, nq=nq)
        engines[name] = res if not res.get("timed_out") else {"skipped": f"did not finish within {args.pyshacl_cap:.0f} s"}
    ref = engines.get("pyshacl", {}).get("results_digest")
    for name, res in engines.items():
        if res.get("results_digest") and ref:
            res["same_results_as_pyshacl"] = res["results_digest"] == ref
    run.update({"engines": engines, "incremental": inc,
                "loadavg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
    if not args.keep_store:
        shutil.rmtree(store, ignore_errors=True)
    return run


def engines_table(doc: dict) -> str:
    w3c = doc.get("w3c", {})
    env = doc.get("environment", {})
    lines = [(f"Run {doc.get('date')} ({', '.join(sorted({r['measured_at'][11:16] for r in doc['runs']}))} UTC) "
              f"on {env.get('cpus')} CPUs shared with other work, pyoxigraph {env.get('pyoxigraph')}, "
              f"pyshacl {env.get('pyshacl')}, pyshacl-turbo {env.get('pyshacl_turbo')}. Figures from "
              "`bench/results/engines-latest.json`; – = not run (reason in the JSON)."), "",
             ("W3C SHACL core + SPARQL suite (120 tests, the suite's comparison rule, tests/w3c_shacl.py"
              f"{', measured ' + doc['w3c_measured_at'][11:16] + ' UTC' if doc.get('w3c_measured_at') else ''}):"), "",
             "| engine | pass | refused | fail | error | wrong sh:conforms true |", "|---|---|---|---|---|---|"]
    for name in ("pyshacl", "turbo", "sparql"):
        c = w3c.get(name, {})
        lines.append(f"| {name} | {c.get('pass', 0)} | {c.get('refused', 0)} | {c.get('fail', 0)} | "
                     f"{c.get('error', 0)} | {len(c.get('wrong_conforms', []))} |")
    lines += ["", ("| docs | quads | compiled (sparql) s (peak MB) | pyshacl-turbo s (peak MB) | pySHACL s (peak MB) | "
                   "turbo / sparql | same results as pySHACL (sparql, turbo) | incremental ms p50 / p99 |"),
              "|---|---|---|---|---|---|---|---|"]
    for r in sorted(doc["runs"], key=lambda r: r["docs"]):
        e = r.get("engines", {})
        sp, tb, ps = e.get("sparql", {}), e.get("turbo", {}), e.get("pyshacl", {})
        ratio = (tb.get("pyshacl_full_s") + tb.get("pyshacl_load_s", 0)) / sp["validate_full_s"] \
            if tb.get("pyshacl_full_s") and sp.get("validate_full_s") else None
        same = " / ".join(fmt(x.get("same_results_as_pyshacl")) for x in (sp, tb))
        inc = r.get("incremental", {})
        lines.append("| " + " | ".join([
            fmt(r["docs"]), fmt(r.get("quads")),
            f"{fmt(sp.get('validate_full_s'))} ({fmt(sp.get('validate_full_peak_mb'))})",
            f"{fmt(tb.get('pyshacl_full_s'))} + load {fmt(tb.get('pyshacl_load_s'))} ({fmt(tb.get('pyshacl_peak_mb'))})",
            f"{fmt(ps.get('pyshacl_full_s'))} ({fmt(ps.get('pyshacl_peak_mb'))})",
            fmt(round(ratio, 1), "×") if ratio else "–", same,
            f"{fmt(inc.get('validate_incremental_ms'))} / {fmt(inc.get('validate_incremental_p99_ms'))}",
        ]) + " |")
    return "\n".join(lines)


def write(doc: dict, dated: Path) -> None:
    dated.write_text(json.dumps(doc, indent=1))
    (RESULTS / "engines-latest.json").write_text(json.dumps(doc, indent=1))
    text = README.read_text(encoding="utf-8")
    block = f"{ENGINES_START}\n{engines_table(doc)}\n{ENGINES_END}"
    if ENGINES_START in text and ENGINES_END in text:
        head, rest = text.split(ENGINES_START, 1)
        text = head + block + rest.split(ENGINES_END, 1)[1]
    else:
        text = text.rstrip() + "\n\n## Validation engines (issue 16)\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


def main(args: argparse.Namespace, sizes: list[int]) -> None:
    import pyshacl_turbo

    date = dt.date.today().isoformat()
    dated = RESULTS / f"engines-{date}.json"
    doc = json.loads(dated.read_text()) if dated.exists() else {"date": date, "runs": []}
    doc["environment"] = {**environment(), "pyshacl_turbo": pyshacl_turbo.__version__}
    if not sizes:  # --sizes "": the W3C counts alone, the size rows kept
        doc["w3c"], doc["w3c_measured_at"] = w3c_counts(), dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        write(doc, dated)
        return
    doc["w3c"] = w3c_counts()
    doc["w3c_measured_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    for docs in sizes:
        run = bench_engines_size(docs, args)
        doc["runs"] = sorted([r for r in doc["runs"] if r["docs"] != docs] + [run], key=lambda r: r["docs"])
        write(doc, dated)
    log(f"wrote {dated}, engines-latest.json and the engines table in {README}")


