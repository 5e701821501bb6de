"""``mandategraph validate``: engines, other shapes, exit codes, and skipping an unchanged store.

Issue 16 item 4 (``--shapes``/``--only-shapes`` on every engine, same exit codes) and issue 18
item 1 (``validate --if-changed`` in ``make run``: "unchanged, last report: ..."; per-stage
progress with times, scripts/stage.sh).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mandategraph.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "seeds" / "000_0394c2032f12c9ec.txt"
SHAPES = Path(__file__).resolve().parent / "data" / "shapes"
ENGINES = ("auto", "sparql", "turbo", "pyshacl")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    shutil.copy(SEED, src / SEED.name)
    st = tmp_path_factory.mktemp("store") / "st"
    res = CliRunner().invoke(main, ["build", str(src), "--store", str(st)])
    assert res.exit_code == 0, res.output
    return st


def _norm(text: str) -> list[str]:
    """Report lines with blank-node labels (a blank source shape) made equal across runs."""
    return sorted(re.sub(r"\[[A-Za-z0-9]+\]$", "[_:shape]", ln) for ln in text.splitlines())


def _validate(store: Path, *args: str):
    return CliRunner().invoke(main, ["validate", "--store", str(store), "--progress", *args])


@pytest.mark.parametrize("engine", ENGINES)
def test_project_shapes_pass_on_every_engine(store: Path, engine: str) -> None:
    res = _validate(store, "--engine", engine)
    assert res.exit_code == 0, res.output
    assert "violation(s)" in res.stderr and "engine " in res.stderr


@pytest.mark.parametrize("engine", ENGINES)
def test_only_shapes_user_violation_exit_1(store: Path, engine: str) -> None:
    res = _validate(store, "--engine", engine, "--only-shapes", str(SHAPES / "user-violation.ttl"))
    assert res.exit_code == 1, res.output
    assert "my#owner" in res.stdout
    assert "shapes#" not in res.stdout  # the project's shapes are not run


@pytest.mark.parametrize("engine", ENGINES)
def test_warnings_do_not_fail_but_conforms_is_false(store: Path, engine: str) -> None:
    res = _validate(store, "--engine", engine, "--shapes", str(SHAPES / "user-warning.ttl"),
                    "--format", "turtle")
    assert res.exit_code == 0, res.output  # the exit rule: warnings do not fail
    assert "sh:conforms false" in res.stdout  # sh:conforms by the spec
    assert '"尚无人审阅此文件。"@zh' in res.stdout and '"Nobody has reviewed this document yet."@en' in res.stdout


@pytest.mark.parametrize("engine", ENGINES)
def test_dcat_like_shapes_added(store: Path, engine: str) -> None:
    res = _validate(store, "--engine", engine, "--shapes", str(SHAPES / "dcat-like.ttl"), "--format", "turtle")
    assert res.exit_code == 1, res.output
    assert "A document has an identifier (dct:identifier)." in res.stdout
    ref = _validate(store, "--engine", "pyshacl", "--shapes", str(SHAPES / "dcat-like.ttl"))
    out = _validate(store, "--engine", engine, "--shapes", str(SHAPES / "dcat-like.ttl"))
    assert _norm(out.stdout) == _norm(ref.stdout)


def test_auto_falls_back_for_a_refused_shape(store: Path) -> None:
    res = _validate(store, "--only-shapes", str(SHAPES / "qualified.ttl"))
    assert res.exit_code == 1, res.output  # documents have one symbol
    assert "engine turbo" in res.stderr and "sh:qualified" in res.stderr  # auto says why
    ref = _validate(store, "--engine", "pyshacl", "--only-shapes", str(SHAPES / "qualified.ttl"))
    # same results (the engines word their default messages differently): the summary line
    assert ref.exit_code == 1 and ref.stdout.splitlines()[0] == res.stdout.splitlines()[0]


def test_sparql_engine_refuses_with_exit_2(store: Path) -> None:
    res = _validate(store, "--engine", "sparql", "--shapes", str(SHAPES / "qualified.ttl"))
    assert res.exit_code == 2
    assert "sh:qualified" in res.stderr and "my#TwoSymbolsShape" in res.stderr


def test_bad_shapes_file_exit_2_names_it(store: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\nthis is not turtle", encoding="utf-8")
    res = _validate(store, "--shapes", str(bad))
    assert res.exit_code == 2 and "broken.ttl" in res.stderr
    res = _validate(store, "--shapes", str(bad), "--only-shapes", str(bad))
    assert res.exit_code == 2 and "cannot be combined" in res.stderr


def test_a_folder_of_shapes(store: Path, tmp_path: Path) -> None:
    d = tmp_path / "mine"
    d.mkdir()
    shutil.copy(SHAPES / "user-violation.ttl", d / "a.ttl")
    shutil.copy(SHAPES / "user-warning.ttl", d / "b.ttl")
    res = _validate(store, "--only-shapes", str(d))
    assert res.exit_code == 1 and "my#owner" in res.stdout and "my#reviewedBy" in res.stdout


def test_if_changed_skips_then_revalidates(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED, src / SEED.name)
    st = tmp_path / "st"
    r = CliRunner()
    assert r.invoke(main, ["build", str(src), "--store", str(st)]).exit_code == 0
    first = _validate(st, "--if-changed")
    assert first.exit_code == 0 and "engine sparql" in first.stderr
    record = json.loads((tmp_path / "st.last-validation.json").read_text(encoding="utf-8"))
    assert record["exit_code"] == 0 and record["signature"]
    second = _validate(st, "--if-changed")
    assert second.exit_code == 0
    assert "unchanged, last report: " + record["at"] in second.stderr
    assert second.stdout == first.stdout  # the last report is shown again
    # other shapes: another signature, validated again (and its own exit code)
    other = _validate(st, "--if-changed", "--only-shapes", str(SHAPES / "user-violation.ttl"))
    assert other.exit_code == 1 and "unchanged" not in other.stderr
    again = _validate(st, "--if-changed", "--only-shapes", str(SHAPES / "user-violation.ttl"))
    assert again.exit_code == 1 and "unchanged" in again.stderr  # the skipped run keeps exit 1
    # a changed store: a new source -> validated again
    (src / "note.txt").write_text("A/RES/80/1\nGeneral Assembly\nResolution adopted on 1 December 2025\n",
                                  encoding="utf-8")
    assert r.invoke(main, ["build", str(src), "--store", str(st)]).exit_code in (0, 1)
    third = _validate(st, "--if-changed")
    assert "unchanged" not in third.stderr and "engine " in third.stderr
    # without --if-changed it always validates
    assert "unchanged" not in _validate(st).stderr


def test_make_run_stage_lines(tmp_path: Path) -> None:
    """scripts/stage.sh (each stage of `make run`): a line before, the time after, the status kept."""
    ok = subprocess.run(["bash", str(ROOT / "scripts" / "stage.sh"), "build", "true"],
                        capture_output=True, text=True, timeout=30, check=False)
    assert ok.returncode == 0
    assert "[make run] build ..." in ok.stderr and "[make run] build: done in " in ok.stderr
    bad = subprocess.run(["bash", str(ROOT / "scripts" / "stage.sh"), "validate", "false"],
                         capture_output=True, text=True, timeout=30, check=False)
    assert bad.returncode == 1 and "validate: failed (exit 1)" in bad.stderr
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = make.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    for stage in ("install", "build", "validate", "serve"):
        assert f"stage.sh {stage} " in run
    assert "validate --store $(STORE) --if-changed --progress" in run and "--engine pyshacl" not in run


def test_auto_refuses_when_the_store_is_too_large_for_the_fallback(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above AUTO_TURBO_MAX_QUADS, auto does not load the store into rdflib memory: exit 2, named."""
    from mandategraph.validate import engines

    monkeypatch.setattr(engines, "AUTO_TURBO_MAX_QUADS", 10)
    res = _validate(store, "--only-shapes", str(SHAPES / "qualified.ttl"))
    assert res.exit_code == 2
    assert "too large for pyshacl-turbo" in res.stderr and "sh:qualified" in res.stderr
    # shapes the compiled engine accepts are still validated, whatever the size
    assert _validate(store, "--only-shapes", str(SHAPES / "user-violation.ttl")).exit_code == 1
