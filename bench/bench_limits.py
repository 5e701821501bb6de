"""The build of the shared corpus (data/) with the limits of issue 19 on against off.

Why: every source is read in a worker process whose time and memory the parent watches, and
the loaders check pages, objects and characters as they read. Those checks must cost little:
the issue's target is the same output and a time within 10 % of the build without limits.

Three ways, interleaved round by round in one process (the machine is shared: a ratio from one
run, never an absolute time across runs):

- ``on``: the default build (one worker per core, every limit on);
- ``off``: the same workers with ``Limits.off()`` (no RLIMIT_AS, no time or memory watch, no
  checks in the readers): what ``build --no-limits`` runs;
- ``serial``: ``workers=0`` and no limits, everything in one process (the build before issue 19).

Measured per build: wall time, and CPU time = the batch process's own + every source's CPU time
in the process that read it (``SourceResult.cpu_seconds``). On a machine other jobs load, the
CPU time is the fairer figure: the wall time also counts the waits for a core. Each build goes
into a new in-memory store whose sorted N-Quads must be byte-identical across all builds.
Writes ``bench/results/limits-<date>.json``.

    python -m bench.bench_limits [--rounds 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

from mandategraph.ingest.limits import Limits
from mandategraph.pipeline.batch import build_paths
from mandategraph.store.factory import open_store

ROOT = Path(__file__).resolve().parent.parent
WAYS = {"on": (2, Limits()), "off": (2, Limits.off()), "serial": (0, Limits.off())}


def _run(way: str) -> tuple[float, float, str]:
    workers, limits = WAYS[way]
    st = open_store(None)
    t0, c0 = time.perf_counter(), time.process_time()
    report = build_paths([ROOT / "data"], st, workers=workers, limits=limits)
    wall, parent_cpu = time.perf_counter() - t0, time.process_time() - c0
    if report.errors:
        raise SystemExit(f"{way}: {report.errors[:3]}")
    cpu = parent_cpu + (sum(r.cpu_seconds for r in report.results) if workers else 0.0)
    out = io.BytesIO()
    st.dump(out, "nquads")
    lines = sorted(line for line in out.getvalue().split(b"\n") if line)
    return wall, cpu, hashlib.sha256(b"\n".join(lines)).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    wall: dict[str, list[float]] = {w: [] for w in WAYS}
    cpu: dict[str, list[float]] = {w: [] for w in WAYS}
    digests: set[str] = set()
    load = []
    ways = list(WAYS)
    _run("on")  # warm-up: the forkserver, the file cache
    for rnd in range(args.rounds):
        for way in ways[rnd % 3:] + ways[:rnd % 3]:
            w, c, digest = _run(way)
            wall[way].append(w)
            cpu[way].append(c)
            digests.add(digest)
        load.append(os.getloadavg()[0])
        print(f"round {rnd + 1}: " + ", ".join(f"{w} {wall[w][-1]:.2f} s wall / {cpu[w][-1]:.2f} s cpu"
                                               for w in ways) + f"; load {load[-1]:.1f}", flush=True)
    ratio_wall = [a / b for a, b in zip(wall["on"], wall["off"])]
    ratio_cpu = [a / b for a, b in zip(cpu["on"], cpu["off"])]
    result = {
        "what": "build of data/ (140 PDFs + seed) into an in-memory store: limits on vs off, "
                "2 workers; serial = in one process without limits; interleaved rounds",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(), "python": sys.version.split()[0], "rounds": args.rounds,
        "wall_s": wall, "cpu_s": cpu,
        "median_wall_s": {w: statistics.median(v) for w, v in wall.items()},
        "median_cpu_s": {w: statistics.median(v) for w, v in cpu.items()},
        "on_over_off_wall_median": statistics.median(ratio_wall),
        "on_over_off_cpu_median": statistics.median(ratio_cpu),
        "on_over_off_wall_per_round": ratio_wall, "on_over_off_cpu_per_round": ratio_cpu,
        "same_output": len(digests) == 1, "sorted_nquads_sha256": sorted(digests),
        "load_average_1min": load,
        "note": "shared machine (other engineers' jobs running, see the load averages): the "
                "ratios of one interleaved run, not absolute times",
    }
    out = ROOT / "bench" / "results" / f"limits-{dt.date.today().isoformat()}.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("median_wall_s", "median_cpu_s", "on_over_off_wall_median",
                                             "on_over_off_cpu_median", "same_output")}, indent=1))
    print(f"wrote {out}")
    if not result["same_output"]:
        raise SystemExit("the builds differ")


if __name__ == "__main__":
    main()
