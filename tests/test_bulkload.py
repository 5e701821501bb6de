"""`mandategraph load`: parallel bulk load of dumps, all-or-nothing per file, errors with lines."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from mandategraph.bulkload import LoadError, chunks, load_file, load_store
from mandategraph.cli import main

G = "http://example.org/g/"


def nquads(n: int, graphs: int = 7) -> bytes:
    lines = [f'<http://example.org/s{i}> <http://example.org/p{i % 5}> "v{i} é" <{G}{i % graphs}> .\n'
             for i in range(n)]
    return "".join(lines).encode()


def quad_set(store: ox.Store) -> set[str]:
    return {str(q) for q in store}


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    p = tmp_path / "a.nq"
    p.write_bytes(nquads(5000))
    return p


def test_chunks_cut_at_line_ends_and_count_lines(dump: Path) -> None:
    pieces = list(chunks(dump, size=4096))
    assert len(pieces) > 10
    assert b"".join(data for _, data in pieces) == dump.read_bytes()
    line = 1
    for first, data in pieces:
        assert first == line and data.endswith(b"\n")
        line += data.count(b"\n")


def test_parallel_load_equals_single_thread_load(dump: Path) -> None:
    one, many = ox.Store(), ox.Store()
    load_file(one, dump, threads=1)
    load_file(many, dump, threads=3)
    gz = dump.with_suffix(".nq.gz")
    gz.write_bytes(gzip.compress(dump.read_bytes()))
    chunked = ox.Store()
    load_file(chunked, gz, threads=3, chunk_bytes=4096)
    assert quad_set(chunked) == quad_set(one)
    assert len(one) == 5000
    assert quad_set(one) == quad_set(many)


def test_syntax_error_names_the_file_line_of_the_whole_file(tmp_path: Path) -> None:
    lines = nquads(3000).decode().splitlines(keepends=True)
    lines[2345] = '<http://example.org/x> <http://example.org/p> "unterminated <http://example.org/g> .\n'
    p = tmp_path / "bad.nq"
    p.write_text("".join(lines))
    gz = p.with_suffix(".nq.gz")  # gzip: the chunked path
    gz.write_bytes(gzip.compress(p.read_bytes()))
    with pytest.raises(LoadError) as info:
        load_file(ox.Store(), gz, threads=2, chunk_bytes=8192)
    assert info.value.line == 2346
    assert str(info.value).startswith(f"{gz}:2346: not valid N-Quads")
    assert "line 2346" in str(info.value)


def test_load_store_refuses_a_bad_file_and_loads_the_rest(tmp_path: Path, dump: Path) -> None:
    gz = tmp_path / "b.nq.gz"
    gz.write_bytes(gzip.compress(nquads(200, graphs=2).replace(b"/s", b"/t")))
    bad = tmp_path / "c.nt"
    bad.write_bytes(b"<http://example.org/a> <http://example.org/b> <not an iri> .\n")
    unknown = tmp_path / "d.json"
    unknown.write_text("{}")
    report = load_store(tmp_path / "store", [dump, bad, gz, unknown], threads=2)
    assert report.loaded == [dump, gz]
    assert report.quads == 5200
    assert sorted(e.path.name for e in report.errors) == ["c.nt", "d.json"]
    assert any("c.nt:1: not valid N-Triples" in str(e) for e in report.errors)
    assert any("unknown format" in str(e) for e in report.errors)
    # no staging directory left behind
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["store"]
    assert len(ox.Store.read_only(str(tmp_path / "store"))) == 5200


def test_existing_store_is_kept_unless_replace_and_whole_after_a_failed_load(tmp_path: Path, dump: Path) -> None:
    target = tmp_path / "store"
    load_store(target, [dump])
    small = tmp_path / "small.nq"
    small.write_bytes(nquads(10))
    with pytest.raises(LoadError, match="a store already exists here"):
        load_store(target, [small])
    bad = tmp_path / "bad.nq"
    bad.write_bytes(b"garbage\n")
    report = load_store(target, [bad], replace=True)  # nothing loadable: the old store stays
    assert report.loaded == [] and len(report.errors) == 1
    assert len(ox.Store.read_only(str(target))) == 5000
    report = load_store(target, [small], replace=True)
    assert report.quads == 10
    assert len(ox.Store.read_only(str(target))) == 10
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["store"]


def test_cli_load_round_trips_an_export(tmp_path: Path) -> None:
    """`export --dumps` then `load`: the same quads, named graphs included."""
    from mandategraph.export import write_dumps
    from mandategraph.store import open_store

    src = open_store(tmp_path / "src")
    src.ox.bulk_load(nquads(1000, graphs=3), ox.RdfFormat.N_QUADS)
    files = write_dumps(src, tmp_path / "dumps")
    before = quad_set(src.ox)
    src.close()
    nq = next(f for f in files if f.name.endswith(".nq.gz"))
    runner = CliRunner()
    res = runner.invoke(main, ["load", str(nq), "--store", str(tmp_path / "restored")])
    assert res.exit_code == 0, res.output
    assert "loaded 1 file(s), 1,000 quads" in res.output
    assert quad_set(ox.Store.read_only(str(tmp_path / "restored"))) == before
    res = runner.invoke(main, ["load", str(nq), "--store", str(tmp_path / "restored")])
    assert res.exit_code == 2 and "pass --replace" in res.output
    bad = tmp_path / "bad.nq"
    bad.write_bytes(b"<http://a> <http://b> .\n")
    res = runner.invoke(main, ["load", str(bad), str(nq), "--store", str(tmp_path / "r2")])
    assert res.exit_code == 1
    assert f"{bad}:1:" in res.output


def test_line_ranges_cover_the_file_at_line_starts(dump: Path) -> None:
    from mandategraph.bulkload import line_ranges

    data = dump.read_bytes()
    for parts in (1, 2, 3, 7):
        ranges = line_ranges(dump, parts)
        assert b"".join(data[a:b] for a, b in ranges) == data
        assert all(a == 0 or data[a - 1:a] == b"\n" for a, _ in ranges)


def test_syntax_error_in_a_later_range_of_a_plain_file(tmp_path: Path) -> None:
    """The parallel path over byte ranges reports the file's line, not the range's."""
    lines = nquads(3000).decode().splitlines(keepends=True)
    lines[2800] = "<http://example.org/x> <http://example.org/p> .\n"
    p = tmp_path / "bad.nq"
    p.write_text("".join(lines))
    with pytest.raises(LoadError) as info:
        load_file(ox.Store(), p, threads=3)
    assert info.value.line == 2801 and "line 2801" in str(info.value)


def test_transactional_load_is_all_or_nothing_per_file(tmp_path: Path, dump: Path) -> None:
    """The in-memory path (one Store.load per file): same quads; a bad file adds nothing."""
    from mandategraph.bulkload import load_into

    store = ox.Store()
    load_into(store, [dump], transactional=True)
    ref = ox.Store()
    load_file(ref, dump, threads=1)
    assert quad_set(store) == quad_set(ref)
    lines = nquads(3000).decode().replace("/s", "/u").splitlines(keepends=True)
    lines[2900] = "<http://example.org/x> .\n"
    bad = tmp_path / "bad.nq"
    bad.write_text("".join(lines))
    with pytest.raises(LoadError) as info:
        load_into(store, [bad], transactional=True)
    assert info.value.line == 2901
    assert len(store) == 5000  # none of the bad file's 2,900 good lines went in
