"""`mandategraph load`: parallel bulk load of dumps, all-or-nothing per file, errors with lines."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from mandategraph.store.bulkload import LoadError, chunks, load_file, load_store
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
    from mandategraph.store.factory import open_store

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
    from mandategraph.store.bulkload import line_ranges

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
    from mandategraph.store.bulkload import load_into

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


# --------------------------------------------------------------------------- signed dumps

# An IRI Oxigraph's full validation refuses ('|' is not allowed) but its lenient parser takes:
# a signed dump that contains it loads only if the lenient path ran.
ODD = b'<http://example.org/a|b> <http://example.org/p> "x" <http://example.org/g/odd> .\n'


def signed(path: Path, body: bytes) -> Path:
    from mandategraph.store.bulkload import trailer_line
    import hashlib

    path.write_bytes(body + trailer_line(hashlib.sha256(body).hexdigest()))
    return path


def test_signed_dump_into_an_empty_store_skips_iri_validation(tmp_path: Path) -> None:
    from mandategraph.store.bulkload import dump_trailer, load_into

    p = signed(tmp_path / "s.nq", nquads(2000) + ODD)
    digest, length = dump_trailer(p)  # type: ignore[misc]
    assert length == p.stat().st_size - len(b"# mandategraph-dump sha256=\n") - 64
    for transactional in (True, False):
        store, warnings = ox.Store(), []
        load_into(store, [p], transactional=transactional, warnings=warnings)
        assert len(store) == 2001 and warnings == []
    # strict, or a store that already holds quads: every IRI is validated, the odd one refused
    with pytest.raises(LoadError, match="s.nq:2001"):
        load_into(ox.Store(), [p], transactional=True, strict=True)
    busy = ox.Store()
    busy.load(input=nquads(3), format=ox.RdfFormat.N_QUADS)
    with pytest.raises(LoadError, match="s.nq:2001"):
        load_into(busy, [p], transactional=True)


def test_a_changed_signed_dump_is_loaded_again_with_full_validation(tmp_path: Path) -> None:
    from mandategraph.store.bulkload import load_into

    good = nquads(2000)
    p = signed(tmp_path / "s.nq", good)
    p.write_bytes(p.read_bytes().replace(b'"v7 ', b'"v8 ', 1))  # edited after it was written
    store, warnings = ox.Store(), []
    load_into(store, [p], transactional=True, warnings=warnings)
    assert len(store) == 2000
    assert warnings and "digest does not match" in warnings[0] and str(p) in warnings[0]
    # an edited dump with an IRI full validation refuses: refused, named with its line
    q = signed(tmp_path / "t.nq", good + ODD)
    q.write_bytes(q.read_bytes().replace(b'"v7 ', b'"v8 ', 1))
    with pytest.raises(LoadError, match="t.nq:2001"):
        load_into(ox.Store(), [q], transactional=True)
    # on disk: the lenient load is thrown away (new staging directory), the file refused
    report = load_store(tmp_path / "st", [q, p])
    assert [e.path for e in report.errors] == [q] and report.loaded == [p]
    assert any("digest does not match" in w for w in report.warnings)
    assert len(ox.Store.read_only(str(tmp_path / "st"))) == 2000
    assert not list(tmp_path.glob("st.loading-*"))


def test_export_nquads_is_signed_and_round_trips(tmp_path: Path) -> None:
    """`export --format nquads` ends with the trailer (a comment any N-Quads parser skips);
    `load` takes the signed path and restores the same quads."""
    import rdflib

    from mandategraph.store.bulkload import body_digest, dump_trailer
    from mandategraph.export import export_store
    from mandategraph.store.factory import open_store

    src = open_store(tmp_path / "src")
    src.ox.bulk_load(nquads(1500, graphs=4), ox.RdfFormat.N_QUADS)
    before = quad_set(src.ox)
    out = tmp_path / "dump.nq"
    with open(out, "wb") as fh:
        export_store(src, "nquads", fh)
    src.close()
    digest, length = dump_trailer(out)  # type: ignore[misc]
    assert body_digest(out, length) == digest
    assert len(rdflib.Dataset().parse(out, format="nquads")) == 1500
    res = CliRunner().invoke(main, ["load", str(out), "--store", str(tmp_path / "restored")])
    assert res.exit_code == 0 and "warning" not in res.output, res.output
    assert quad_set(ox.Store.read_only(str(tmp_path / "restored"))) == before


def test_synthetic_corpus_files_are_signed_streams_are_not(tmp_path: Path) -> None:
    import io

    from mandategraph.store.bulkload import body_digest, dump_trailer
    from bench.synth import write_nquads

    p = tmp_path / "c.nq"
    stats = write_nquads(p, 300, layout="catalogue")
    digest, length = dump_trailer(p)  # type: ignore[misc]
    assert body_digest(p, length) == digest
    buf = io.StringIO()
    write_nquads(buf, 300, layout="catalogue")
    assert buf.getvalue().encode() == p.read_bytes()[:length]
    assert buf.getvalue().count("\n") == stats.triples
