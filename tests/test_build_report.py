"""The honest build report (issue 14): unrecognised sources counted and failing the build
unless allowed, warnings counted and grouped by kind, --warnings all, --report FILE, progress."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from mandategraph.pipeline.report import BuildReport, Progress, SourceError, warning_kind, write_text

ROOT = Path(__file__).resolve().parents[1]


def _corpus(tmp: Path, unrecognised: int, csvs: int = 0) -> Path:
    d = tmp / "src"
    d.mkdir()
    (d / "good.txt").write_text(
        "United Nations A/RES/80/901\nGeneral Assembly Distr.: General\n2 December 2025\n"
        "Eightieth session Agenda item 7\nTest item\nResolution adopted by the General Assembly "
        "on 1 December 2025\n80/901. Test\nThe General Assembly,\n1. Decides to continue.\n",
        encoding="utf-8")
    for i in range(unrecognised):
        (d / f"memo{i}.txt").write_text(f"A memo that mentions A/80/{100 + i} and nothing else.\n",
                                        encoding="utf-8")
    for i in range(csvs):
        (d / f"table{i}.csv").write_text("name,value\na,1\n", encoding="utf-8")
    return d


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "mandategraph", "build", "--memory", *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_unrecognised_counted_exit_1_unless_allowed(tmp_path: Path) -> None:
    d = _corpus(tmp_path, unrecognised=5, csvs=2)
    r = _run(str(d), cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert re.search(r"sources: 6 built, 0 unchanged, 0 with errors, 5 unrecognised; 7 warnings", r.stdout)
    # grouped: one line per kind with its count and the first three files, no flood
    assert re.search(r"warning: 5 x unrecognised structure: \S*memo0\.txt, \S*memo1\.txt, "
                     r"\S*memo2\.txt and 2 more", r.stderr), r.stderr
    assert re.search(r"warning: 2 x csv file that is not a catalogue", r.stderr)
    assert "--warnings all" in r.stderr
    ok = _run(str(d), "--allow-unrecognised", cwd=tmp_path)
    assert ok.returncode == 0 and "5 unrecognised" in ok.stdout


def test_warnings_all_and_json_report(tmp_path: Path) -> None:
    d = _corpus(tmp_path, unrecognised=60)
    rep = tmp_path / "report.json"
    r = _run(str(d), "--warnings", "all", "--report", str(rep), "--allow-unrecognised", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("warning:")]
    assert len(lines) == 60  # every one, not the first 50
    data = json.loads(rep.read_text(encoding="utf-8"))
    assert data["built"] == 61 and data["warning_count"] == 60
    assert len(data["unrecognised"]) == 60
    assert len(data["warnings"]["unrecognised structure"]) == 60
    assert all(w["file"].endswith(".txt") for w in data["warnings"]["unrecognised structure"])


def test_clean_build_exits_0_and_errors_exit_1(tmp_path: Path) -> None:
    d = _corpus(tmp_path, unrecognised=0)
    assert _run(str(d), cwd=tmp_path).returncode == 0
    (d / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    r = _run(str(d), cwd=tmp_path)
    assert r.returncode == 1 and "1 with errors" in r.stdout
    assert _run(str(tmp_path / "missing"), cwd=tmp_path).returncode == 2


def test_progress_only_when_asked_or_on_a_terminal(tmp_path: Path) -> None:
    d = _corpus(tmp_path, unrecognised=3)
    quiet = _run(str(d), "--allow-unrecognised", cwd=tmp_path)
    assert "files/s" not in quiet.stderr  # not a terminal
    loud = _run(str(d), "--allow-unrecognised", "--progress", cwd=tmp_path)
    assert re.search(r"\] 4/4 files \d+\.\d files/s", loud.stderr)
    assert "files/s" not in loud.stdout  # the bar never mixes with the summary


def test_report_unit_counts_and_kinds() -> None:
    rep = BuildReport(built=["a", "b"], errors=[SourceError("c.csv", "c.csv:3: X: bad"),
                                                SourceError("c.csv", "c.csv:4: Y: bad")],
                      warnings=["x.pdf: no recognisable structure (expected ...)",
                                "y.pdf: no recognisable structure (expected ...)",
                                "z.csv: skipped: a .csv file without a 'symbol' column is not a catalogue"],
                      unrecognised=["x.pdf", "y.pdf"])
    assert "1 with errors (2 errors), 2 unrecognised; 3 warnings" in rep.summary()
    assert rep.exit_status() == 1 and rep.exit_status(allow_unrecognised=True) == 1
    assert BuildReport(built=["a"], unrecognised=["a"]).exit_status(True) == 0
    assert BuildReport(errors=[SourceError("a", "b")]).exit_status() == 2
    out = io.StringIO()
    write_text(rep, out, first=1)
    text = out.getvalue()
    assert "warning: 2 x unrecognised structure: x.pdf and 1 more" in text
    assert warning_kind("line 3: bad") == "catalogue row"
    assert warning_kind("something odd about A/80/5 at 12") == "something odd about at"


def test_progress_line_rate() -> None:
    buf = io.StringIO()
    bar = Progress(10, buf)
    for i in range(10):
        bar.step(f"f{i}")
    bar.close()
    assert "10/10 files" in buf.getvalue() and "files/s" in buf.getvalue()
