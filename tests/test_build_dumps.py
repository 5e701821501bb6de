"""Dumps are written at build time (issue 18, point 9): `build` leaves <store>-dumps beside an
on-disk store, and the server's /dumps/ then serves those files without writing any (the
first /dumps/ call took 22 s on the data/ build, writing them on demand)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from conftest import SEED
from mandategraph.cli import main
from mandategraph.export import default_dumps_dir


def _build(src: Path, store: Path, *extra: str):
    return CliRunner().invoke(main, ["build", str(src), "--store", str(store), *extra])


def test_build_writes_the_dumps_and_the_server_serves_them_as_they_are(tmp_path: Path) -> None:
    from mandategraph.server.app import create_app
    from mandategraph.server.settings import Settings

    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED, src / SEED.name)
    store = tmp_path / "st"
    res = _build(src, store)
    assert res.exit_code == 0, res.output
    folder = default_dumps_dir(store)
    assert folder == tmp_path / "st-dumps" and f"written to {folder}" in res.output
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    names = {f["name"] for f in manifest["files"]}
    assert names == {"mandategraph.trig.gz", "mandategraph.nq.gz", "mandategraph.ttl.gz"}
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}

    again = _build(src, store)  # nothing changed: the dumps stay
    assert again.exit_code == 0 and "dumps: unchanged" in again.output
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == stamps

    with TestClient(create_app(Settings(store=str(store), workers=1))) as client:
        listing = client.get("/dumps/")
        assert listing.status_code == 200
        served = {f["name"]: f["sha256"] for f in listing.json()["files"]} if isinstance(listing.json(), dict) \
            else {f["name"]: f["sha256"] for f in listing.json()}
        assert served == {f["name"]: f["sha256"] for f in manifest["files"]}
        assert client.get("/dumps/mandategraph.nq.gz").status_code == 200
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == stamps, "the server rewrote the dumps"


def test_no_dumps_and_memory_builds_write_none(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED, src / SEED.name)
    res = _build(src, tmp_path / "st", "--no-dumps")
    assert res.exit_code == 0 and not (tmp_path / "st-dumps").exists()
    res = CliRunner().invoke(main, ["build", str(src), "--memory"])
    assert res.exit_code == 0 and "dumps:" not in res.output
