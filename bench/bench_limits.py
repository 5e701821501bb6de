"""The build of the shared corpus (data/) with the limits of issue 19 on against off.

Why: every source is read in a worker process whose time and memory the parent watches, and
the loaders check pages, objects and characters as they read. Those checks must cost little:
the issue's target is the same output and a time within 10 % of the build without limits.

Three ways, interleaved round by round (the machine is shared: a ratio from one run, never an
absolute time across runs):

- ``on``: the default build (one worker per core, every limit on);
- ``off``: the same workers, ``--no-limits`` (no RLIMIT_AS, no time or memory watch, no checks);
- ``serial``: ``--workers 0 --no-limits``, everything in one process (the build before issue 19).

Each round builds data/ into a new store with each way (order rotated per round) and exports
its sorted N-Quads; all must be byte-identical. Writes ``bench/results/limits-<date>.json``.

    python bench/bench_limits.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WAYS = {"on": [], "off": ["--no-limits"], "serial": ["--workers", "0", "--no-limits"]}


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "mandategraph.cli", *args]


def _run(way: str, work: Path, rnd: int) -> tuple[float, str]:
    store = work / f"{way}-{rnd}"
    t0 = time.perf_counter()
    res = subprocess.run(_cli("build", str(ROOT / "data"), "--store", str(store), *WAYS[way]),
                         capture_output=True, text=True, cwd=ROOT, timeout=1800)
    seconds = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(f"{way}: build failed\n{res.stderr[-2000:]}")
    out = subprocess.run(_cli("export", "--store", str(store), "--format", "nquads"),
                         capture_output=True, cwd=ROOT, timeout=600, check=True).stdout
    lines = sorted(line for line in out.split(b"\n") if line and not line.startswith(b"#"))
    shutil.rmtree(store)
    return seconds, hashlib.sha256(b"\n".join(lines)).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    times: dict[str, list[float]] = {w: [] for w in WAYS}
    digests: set[str] = set()
    load = []
    with tempfile.TemporaryDirectory(prefix="bench-limits-") as tmp:
        work = Path(tmp)
        ways = list(WAYS)
        for rnd in range(args.rounds):
            order = ways[rnd % 3:] + ways[:rnd % 3]
            for way in order:
                seconds, digest = _run(way, work, rnd)
                times[way].append(seconds)
                digests.add(digest)
            load.append(os.getloadavg()[0])
            print(f"round {rnd + 1}: " + ", ".join(f"{w} {times[w][-1]:.2f} s" for w in ways), flush=True)
    med = {w: statistics.median(v) for w, v in times.items()}
    ratios = [a / b for a, b in zip(times["on"], times["off"])]
    result = {
        "what": "mandategraph build data/ (140 PDFs + seed): limits on vs off, interleaved",
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(), "python": sys.version.split()[0], "rounds": args.rounds,
        "seconds": times, "median_s": med,
        "on_over_off_per_round": ratios, "on_over_off_median": statistics.median(ratios),
        "serial_over_on_median": med["serial"] / med["on"],
        "same_output": len(digests) == 1, "sorted_nquads_sha256": sorted(digests),
        "load_average_1min": load,
        "note": "shared machine (other engineers' jobs running): compare the ratios of one run, "
                "not absolute times across runs",
    }
    out = ROOT / "bench" / "results" / f"limits-{dt.date.today().isoformat()}.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("median_s", "on_over_off_median",
                                             "serial_over_on_median", "same_output")}, indent=1))
    print(f"wrote {out}")
    if not result["same_output"]:
        raise SystemExit("the three builds differ")


if __name__ == "__main__":
    main()
