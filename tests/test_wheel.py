"""The wheel ships the assets: build it, install it in a fresh virtualenv outside the checkout,
and run `mandategraph build`, `validate` and `query` there (issue 2, part 1)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SEED

pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600):
    res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return res


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    res = _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)], ROOT)
    assert res.returncode == 0, res.stdout + res.stderr
    wheels = list(out.glob("mandategraph-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_contains_assets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "mandategraph/_assets/ontology/mandategraph.ttl" in names
    assert any(n.startswith("mandategraph/_assets/shapes/") and n.endswith(".ttl") for n in names)
    assert any(n.startswith("mandategraph/_assets/queries/") and n.endswith(".rq") for n in names)
    assert "mandategraph/_assets/data/reference/bodies.csv" in names
    assert "mandategraph/server/app.py" in names
    # no symlink leftovers or checkout-only files
    assert not any(n.startswith(("tests/", "bench/", "data/corpus")) for n in names)


def test_wheel_installs_and_builds_outside_checkout(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    res = _run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    assert res.returncode == 0, res.stderr
    pip = venv / "bin" / "pip"
    res = _run([str(pip), "install", "--quiet", str(wheel)], tmp_path, timeout=900)
    assert res.returncode == 0, res.stdout + res.stderr
    work = tmp_path / "work"
    (work / "in").mkdir(parents=True)
    shutil.copy(SEED, work / "in" / SEED.name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '')}"
    exe = str(venv / "bin" / "mandategraph")
    res = _run([exe, "build", "in", "--store", "st"], work, env)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "1 built" in res.stdout
    res = _run([exe, "validate", "--store", "st"], work, env)
    assert res.returncode == 0, res.stdout + res.stderr
    res = _run([exe, "query", "documents", "--store", "st", "--format", "csv"], work, env)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "CTOC/COP/2024/CRP.3" in res.stdout
    # the installed package reads its assets from the wheel, not from a checkout
    res = _run([str(venv / "bin" / "python"), "-c",
                "import mandategraph.core.resources as r; print(r.asset('ontology'))"], work, env)
    assert str(ROOT) not in res.stdout, res.stdout
