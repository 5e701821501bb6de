"""Replacement no kill can leave half-done (issue 19, part 5): no staging graph for queries or
exports to see, staging graphs of older versions dropped at the next open, what a killed
``load`` leaves beside the store removed (or put back) at the next open."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pyoxigraph as ox

from mandategraph.store.interface import STAGING
from mandategraph.store.oxigraph_store import OxigraphStore
from mandategraph.store.recovery import exchange, recover

G = "https://w3id.org/mandategraph/graph/test/@en"


def _nt(n: int, tag: str) -> bytes:
    return "\n".join(f'<http://ex/s{i}> <http://ex/p> "{tag} {i}" .' for i in range(n)).encode()


def test_replacing_a_graph_makes_no_staging_graph(tmp_path) -> None:
    st = OxigraphStore(tmp_path / "st")
    st.replace_graph_nt(G, _nt(5, "old"))
    st.replace_graph_nt(G, _nt(3, "new"), checked=True)
    assert [g.value for g in st.ox.named_graphs()] == [G]
    rows = st.select("SELECT ?o WHERE { ?s ?p ?o }").values()
    assert sorted(r[0] for r in rows) == ["new 0", "new 1", "new 2"]
    st.close()


def test_a_left_staging_graph_is_dropped_at_the_next_open(tmp_path) -> None:
    raw = ox.Store(str(tmp_path / "st"))  # what a build of an earlier version killed mid-way left
    raw.load(_nt(2, "real"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(G))
    raw.load(_nt(4, "half"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(STAGING + G))
    raw.flush()
    del raw
    st = OxigraphStore(tmp_path / "st")
    assert [g.value for g in st.ox.named_graphs()] == [G]
    out = io.BytesIO()
    st.dump(out, "nquads")
    assert b"half" not in out.getvalue() and st.count() == 2
    st.close()


def test_leftovers_of_a_dead_load_are_removed_and_a_moved_store_put_back(tmp_path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    target = tmp_path / "store"
    (tmp_path / f"store.loading-{dead}-1").mkdir()
    (tmp_path / f"store.loading-{dead}-1" / "junk").write_bytes(b"x" * 1000)
    (tmp_path / f"store.loading-{os.getpid()}-1").mkdir()  # a live load: left alone
    old = tmp_path / f"store.old-{dead}"
    OxigraphStore(old).close()  # a kill between the two renames of a replace
    done = recover(target)
    assert target.is_dir() and not old.exists()
    assert f"restored store.old-{dead}" in done and f"removed store.loading-{dead}-1" in done
    assert (tmp_path / f"store.loading-{os.getpid()}-1").exists()


def test_exchange_swaps_two_folders(tmp_path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "which").write_text("a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "which").write_text("b")
    assert exchange(tmp_path / "a", tmp_path / "b"), "renameat2(RENAME_EXCHANGE) unavailable"
    assert (tmp_path / "a" / "which").read_text() == "b"
    assert (tmp_path / "b" / "which").read_text() == "a"


def test_a_new_store_is_created_whole_and_a_killed_creation_leaves_none(tmp_path) -> None:
    # RocksDB writes CURRENT before its column families: a creation killed in between used to
    # leave a folder no open accepted ("Column family not found"); now it is made aside
    target = tmp_path / "fresh"
    st = OxigraphStore(target)
    st.replace_graph_nt(G, _nt(2, "x"))
    del st
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh"]
    assert len(OxigraphStore(target, read_only=True).ox) == 2
    empty = tmp_path / "made-empty"
    empty.mkdir()  # a caller's empty folder is a new store too
    OxigraphStore(empty)
    assert (empty / "CURRENT").is_file()
    # a creation killed mid-way: its staging folder, named after a dead process, goes away
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    half = tmp_path / f"other.loading-{dead}-0"
    half.mkdir()
    (half / "CURRENT").write_text("MANIFEST-000001\n")
    OxigraphStore(tmp_path / "other")
    assert not half.exists() and (tmp_path / "other" / "CURRENT").is_file()
