"""Per-check timing of the in-store SHACL validation (mandategraph/validate/sparql_compile.py).

Why: full validation is the sum of ~170 compiled SPARQL checks; one badly planned query can
dominate. This prints each check's wall time and row count, slowest first, so the compiler
rule to fix is obvious.

    python bench/profile_validation.py --store bench/work/store-100000 [--top 30] [--show-query]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from mandategraph.validate.sparql_run import _check_results, _runnable
    from mandategraph.validate.sparql_compile import compiled_checks, data_subclasses
    from mandategraph.store.oxigraph_store import OxigraphStore
    from mandategraph.validate.report import shapes_graph

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", required=True)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--show-query", action="store_true")
    ap.add_argument("--match", default="", help="only checks whose shape IRI contains this")
    args = ap.parse_args()
    store = OxigraphStore(args.store, read_only=True)
    # the checks a full validation runs (those for absent classes/predicates are skipped)
    checks = list(_runnable(store, compiled_checks(shapes_graph(), data_subclasses(store)), None))
    timings = []
    total = time.perf_counter()
    for check in checks:
        if args.match and args.match not in str(check.shape):
            continue
        t, c = time.perf_counter(), time.process_time()
        n = sum(1 for _ in _check_results(store, check))  # with its precheck, as a validation runs it
        timings.append((time.perf_counter() - t, time.process_time() - c, n, check))
    total = time.perf_counter() - total
    timings.sort(key=lambda x: -x[1])
    cpu = sum(t[1] for t in timings)
    print(f"{len(timings)} checks, {total:.2f} s wall, {cpu:.2f} s CPU (CPU is what a busy machine does not inflate)")
    for secs, cpu_s, n, check in timings[: args.top]:
        shape = str(check.shape).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        comp = str(check.component).rsplit("#", 1)[-1].replace("ConstraintComponent", "")
        print(f"{secs:8.3f} s {cpu_s:8.3f} s CPU {n:7d} results  {shape}  {comp}  flags={len(check.flags)}")
        if args.show_query:
            print("    " + check.query.replace("\n", "\n    "))


if __name__ == "__main__":
    main()
