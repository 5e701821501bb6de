"""The three scale ratios of issue 14, measured in one interleaved run (``bench_pdf.py --ratios``).

1. **Linearity**: CPU ms per page of ``mandategraph build`` over the big corpus (the 520 PDFs
   of ``../shared/corpus/pdf`` + ``ga-78-80``) divided by the same for the 140 PDFs of
   ``data/corpus/pdf``, in memory (``--memory``) and on disk (``--store``). Target <= 1.15.
2. **Store size**: bytes of the on-disk store after ``build`` divided by the bytes of a fresh
   store holding the same quads loaded by ``mandategraph load`` (from ``export --format
   nquads``). Target <= 1.5.
3. **Peer CPU**: CPU seconds of the whole on-disk build of the big corpus (every process of it:
   the build, multiprocessing's forkserver and the workers; ``--no-dumps``: the dumps of the
   server's /dumps/ are an export, not the build) divided by the CPU
   of the peer's text-only extraction (PyMuPDF ``get_text`` over the same PDFs, in the venv
   of ``bench/peer_venv.sh``; start-up included on both sides). Target <= 2.

The machine is shared (2 cores, several engineers), so every measurement is CPU time of the
child's whole process tree (user + system, ``getrusage`` after reaping every descendant), the
runs are interleaved (small, big, peer, ...
round after round) and each ratio is a ratio of medians of one run, never of figures from
different times.
"""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"linearity_memory": 1.15, "linearity_disk": 1.15, "store_size": 1.5, "peer_cpu": 2.0}


def _subreaper() -> None:
    """Linux: become the reaper of orphaned descendants. A build's workers are children of
    multiprocessing's forkserver, which the build does not wait for: without this their CPU
    never reaches ``RUSAGE_CHILDREN`` and the build looks cheaper than it is."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _reap() -> None:
    """Wait for every descendant left (the forkserver and its workers end with the build)."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _cpu(cmd: list[str], cwd: Path = ROOT, env: dict | None = None) -> tuple[float, float, str]:
    """CPU (user + system) of the whole process tree of ``cmd``, wall seconds, stdout."""
    _subreaper()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=3600)
    _reap()
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0,):
        raise SystemExit(f"{' '.join(cmd[:4])} ... failed ({proc.returncode}): {proc.stderr[-1500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, proc.stdout


def pages(paths: list[Path]) -> int:
    import pypdfium2

    n = 0
    for p in paths:
        for f in sorted(p.glob("*.pdf")) if p.is_dir() else [p]:
            doc = pypdfium2.PdfDocument(str(f))
            n += len(doc)
            doc.close()
    return n


def _mg(*args: str) -> list[str]:
    return [sys.executable, "-m", "mandategraph.cli", *args]


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def measure(small: list[Path], big: list[Path], peer_python: Path, rounds: int = 1) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    n_small, n_big = pages(small), pages(big)
    runs: dict[str, list[float]] = {k: [] for k in
                                    ("small_mem", "big_mem", "small_disk", "big_disk", "peer_big")}
    sizes: dict[str, int] = {}
    for r in range(rounds):
        tmp = Path(tempfile.mkdtemp(prefix="mg-scale-"))
        try:
            for name, corpus in (("small", small), ("big", big)):
                cpu, _, _ = _cpu(_mg("build", "--memory", "--allow-unrecognised",
                                     *map(str, corpus)), env=env)
                runs[f"{name}_mem"].append(cpu)
                store = tmp / f"{name}-store"
                cpu, _, _ = _cpu(_mg("build", "--store", str(store), "--no-dumps", "--allow-unrecognised",
                                     *map(str, corpus)), env=env)
                runs[f"{name}_disk"].append(cpu)
                if name == "big" and r == 0:
                    dump = tmp / "big.nq"
                    _cpu(_mg("export", "--store", str(store), "--format", "nquads", "-o", str(dump)), env=env)
                    fresh = tmp / "fresh-store"
                    _cpu(_mg("load", str(dump), "--store", str(fresh)), env=env)
                    sizes = {"built_bytes": du(store), "loaded_bytes": du(fresh)}
                cpu, _, _ = (_cpu([str(peer_python), str(ROOT / "bench" / "peer_extract.py"),
                                   *map(str, corpus)]) if name == "big" else (None, None, None))
                if cpu is not None:
                    runs["peer_big"].append(cpu)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in runs.items() if v}
    ms = {k: 1000 * med[k] / (n_small if k.startswith("small") else n_big)
          for k in ("small_mem", "big_mem", "small_disk", "big_disk")}
    ratios = {
        "linearity_memory": ms["big_mem"] / ms["small_mem"],
        "linearity_disk": ms["big_disk"] / ms["small_disk"],
        "store_size": sizes["built_bytes"] / sizes["loaded_bytes"],
        "peer_cpu": med["big_disk"] / med["peer_big"],
    }
    return {
        "pages": {"small": n_small, "big": n_big},
        "cpu_s_median": {k: round(v, 2) for k, v in med.items()},
        "cpu_s_runs": {k: [round(x, 2) for x in v] for k, v in runs.items()},
        "ms_per_page": {k: round(v, 2) for k, v in ms.items()},
        "sizes": sizes,
        "ratios": {k: round(v, 3) for k, v in ratios.items()},
        "targets": TARGETS,
        "met": {k: ratios[k] <= TARGETS[k] for k in TARGETS},
        "rounds": rounds,
        "conditions": ("shared 2-core machine (8 engineers), CPU time of each child process tree, "
                       "runs interleaved small/big/peer within each round; medians of one run"),
    }


def readme_section(res: dict) -> str:
    r, t, m = res["ratios"], res["targets"], res["met"]
    rows = [
        ("ms/page big ÷ small, in memory", "linearity_memory"),
        ("ms/page big ÷ small, on disk", "linearity_disk"),
        ("store after build ÷ same quads loaded fresh", "store_size"),
        ("on-disk build CPU ÷ peer get_text CPU (same PDFs)", "peer_cpu"),
    ]
    out = ["| ratio | measured | target | met |", "|---|---|---|---|"]
    for label, k in rows:
        out.append(f"| {label} | {r[k]:.3f} | ≤ {t[k]} | {'yes' if m[k] else 'no'} |")
    ms = res["ms_per_page"]
    out.append("")
    out.append(f"Pages: {res['pages']['small']} (data/corpus/pdf, 140 PDFs) and {res['pages']['big']} "
               f"(../shared/corpus pdf/ + ga-78-80/, 520 PDFs). CPU ms/page: memory {ms['small_mem']} / "
               f"{ms['big_mem']}, disk {ms['small_disk']} / {ms['big_disk']}; peer "
               f"{res['cpu_s_median']['peer_big']} s CPU for the big corpus. Store: "
               f"{res['sizes']['built_bytes'] / 1e6:.0f} MB built, {res['sizes']['loaded_bytes'] / 1e6:.0f} MB "
               f"loaded fresh. {res['conditions']}; {res['rounds']} round(s).")
    return "\n".join(out)
