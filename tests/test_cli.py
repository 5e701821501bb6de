"""The command line as users' scripts rely on it (issue 2, "Interface ... keep it stable")."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from conftest import SEED
from mandategraph.cli import main


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_symbol_explains(runner: CliRunner) -> None:
    res = runner.invoke(main, ["symbol", "CTOC/COP/2024/CRP.3"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0] == "CTOC/COP/2024/CRP.3"
    assert "conference room paper" in res.output.lower()
    assert "Conference of the Parties" in res.output


def test_symbol_json(runner: CliRunner) -> None:
    res = runner.invoke(main, ["symbol", "ctoc/cop/2024/crp.3", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["canonical"] == "CTOC/COP/2024/CRP.3"
    assert data["components"]["body_series"] == "CTOC/COP"
    assert data["components"]["special"] == "CRP"


def test_symbol_invalid_exit_2_message_on_stderr() -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["symbol", "A//1"])
    assert res.exit_code == 2
    assert "A//1" in res.stderr and res.stdout == ""


@pytest.fixture(scope="module")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    shutil.copy(SEED, src / SEED.name)
    store = tmp_path_factory.mktemp("store") / "st"
    res = CliRunner().invoke(main, ["build", str(src), "--store", str(store)])
    assert res.exit_code == 0, res.output
    assert "1 built" in res.output
    return store


def test_build_bad_inputs_reported_rest_goes_in(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEED, src / SEED.name)
    (src / "empty.txt").write_text("", encoding="utf-8")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\xff\xfe" * 200)
    (src / "latin1.txt").write_bytes("Caf\xe9 au lait, pas un document".encode("latin-1"))
    (src / "broken.pdf").write_bytes(b"%PDF-1.7\nthis is not really a pdf\n")
    (src / "notes.rtf").write_text("{\\rtf1 not supported}", encoding="utf-8")
    store = tmp_path / "st"
    res = CliRunner().invoke(main, ["build", str(src), str(src / "notes.rtf"), str(tmp_path / "missing.txt"),
                                    "--store", str(store)])
    assert res.exit_code == 1, res.output
    err = res.stderr
    for name, what in [("empty.txt", "empty"), ("binary.txt", ""), ("broken.pdf", ""),
                       ("notes.rtf", "unsupported"), ("missing.txt", "no such file")]:
        line = next((l for l in err.splitlines() if name in l), None)
        assert line is not None, f"no error line for {name}:\n{err}"
        assert what in line.lower(), line
    assert "2 built" in res.stdout  # the seed, and latin1.txt (decoded since issue 19)
    # the good source went in and is queryable
    q = CliRunner().invoke(main, ["query", "documents", "--store", str(store), "--format", "csv"])
    assert q.exit_code == 0, q.output
    assert "CTOC/COP/2024/CRP.3" in q.stdout


def test_rebuild_skips_unchanged(built_store: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEED, src / SEED.name)
    res = CliRunner().invoke(main, ["build", str(src), "--store", str(built_store)])
    assert res.exit_code == 0, res.output
    assert "0 built, 1 unchanged" in res.output


def test_query_formats(built_store: Path) -> None:
    r = CliRunner()
    res = r.invoke(main, ["query", "mandated-by", "--store", str(built_store),
                          "--param", "symbol=CTOC/COP/2024/CRP.3", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert {"body", "kind", "number"} <= set(data["head"]["vars"])
    rows = [(b["body"]["value"], b["kind"]["value"], b["number"]["value"])
            for b in data["results"]["bindings"]]
    assert ("CTOC/COP", "resolution", "9/1") in rows
    table = r.invoke(main, ["query", "mandated-by", "--store", str(built_store),
                            "--param", "symbol=CTOC/COP/2024/CRP.3"])
    assert table.exit_code == 0 and "9/1" in table.stdout


def test_query_errors_exit_2(built_store: Path) -> None:
    r = CliRunner()
    res = r.invoke(main, ["query", "no-such-query", "--store", str(built_store)])
    assert res.exit_code == 2 and "no named query" in res.stderr
    res = r.invoke(main, ["query", "mandated-by", "--store", str(built_store)])
    assert res.exit_code == 2 and "symbol" in res.stderr
    res = r.invoke(main, ["query", "documents", "--store", str(built_store), "--param", "nokeyvalue"])
    assert res.exit_code == 2


def test_validate_exit_0_and_turtle_report(built_store: Path) -> None:
    r = CliRunner()
    res = r.invoke(main, ["validate", "--store", str(built_store)])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("Conforms: yes")
    res = r.invoke(main, ["validate", "--store", str(built_store), "--format", "turtle"])
    assert res.exit_code == 0
    g = rdflib.Graph().parse(data=res.stdout, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, rdflib.RDF.type, sh.ValidationReport) in g


@pytest.mark.parametrize("fmt,parse_as", [("trig", "trig"), ("nquads", "nquads"), ("turtle", "turtle"),
                                          ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_export_formats_parse(built_store: Path, tmp_path: Path, fmt: str, parse_as: str) -> None:
    out = tmp_path / f"out.{fmt}"
    res = CliRunner().invoke(main, ["export", "--store", str(built_store), "--format", fmt, "-o", str(out)])
    assert res.exit_code == 0, res.output
    if parse_as in ("trig", "nquads"):
        ds = rdflib.Dataset()
        ds.parse(out, format=parse_as)
        graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
        assert any("/graph/" in g for g in graphs), graphs
        n = sum(1 for _ in ds.quads())
    else:
        g = rdflib.Graph().parse(out, format=parse_as)
        n = len(g)
    assert n > 1000


def test_every_command_is_documented_in_the_readme() -> None:
    """The README's CLI section stays true to the code (datasette-style docs test)."""
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"mandategraph {name}" in readme, f"`mandategraph {name}` missing from README.md"
