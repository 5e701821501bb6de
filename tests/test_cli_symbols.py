"""`mandategraph query` with a symbol parameter (issue 18, point 9): a malformed symbol exits 2
with the symbol parser's error; a symbol the store does not hold prints "no document with
symbol X in the store" on stderr and exits 1 (it printed an empty table and exited 0)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED
from mandategraph.cli import main


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    shutil.copy(SEED, src / SEED.name)
    store = tmp_path_factory.mktemp("store") / "st"
    res = CliRunner().invoke(main, ["build", str(src), "--store", str(store)])
    assert res.exit_code == 0, res.output
    return store


def _run(store: Path, *args: str):
    return CliRunner().invoke(main, ["query", *args, "--store", str(store)])


@pytest.mark.parametrize("name", ["mandated-by", "lineage", "mandates-of", "drafts-of"])
@pytest.mark.parametrize("bad", ["not a symbol!!", "A//RES", "/"])
def test_malformed_symbol_exits_2_with_the_symbol_error(seed_store: Path, name: str, bad: str) -> None:
    res = _run(seed_store, name, "--param", f"symbol={bad}")
    assert res.exit_code == 2, (res.stdout, res.stderr)
    assert "parameter 'symbol': invalid document symbol" in res.stderr, res.stderr
    assert res.stdout == ""


@pytest.mark.parametrize("name", ["mandated-by", "lineage", "mandates-of"])
def test_unknown_document_exits_1(seed_store: Path, name: str) -> None:
    res = _run(seed_store, name, "--param", "symbol=a/res/80/9999")
    assert res.exit_code == 1, (res.stdout, res.stderr)
    assert "no document with symbol A/RES/80/9999 in the store" in res.stderr
    assert res.stdout == ""


def test_unknown_instrument_form_exits_1(seed_store: Path) -> None:
    res = _run(seed_store, "lineage", "--param", "symbol=A:resolution:1/9999")
    assert res.exit_code == 1 and "no instrument A:resolution:1/9999 in the store" in res.stderr


def test_known_document_still_answers(seed_store: Path) -> None:
    res = _run(seed_store, "mandated-by", "--param", "symbol=ctoc/cop/2024/crp.3", "--format", "csv")
    assert res.exit_code == 0, res.stderr
    assert len(res.stdout.strip().splitlines()) >= 2
