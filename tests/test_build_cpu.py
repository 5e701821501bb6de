"""The on-disk build's CPU savings (issue 14) keep the output: the quick hygiene pre-check,
the digest a worker is told, the N-Quads parts workers write for a bulk build."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from mandategraph.build.ntriples import nquads
from mandategraph.ingest import source as src
from mandategraph.ingest.source import remember_sha256, scrub, sha256_file, xml_safe
from mandategraph.pipeline.batch import build_paths
from mandategraph.store.oxigraph_store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
PDFS = sorted((ROOT / "data" / "corpus" / "pdf").glob("*.pdf"))[:6]


def test_quick_hygiene_check_is_a_superset_of_the_forbidden_characters() -> None:
    """Every code point _FORBIDDEN matches is matched by the pre-check (or a text with a
    forbidden character would be written unmapped)."""
    missed = [c for c in range(0x110000)
              if src._FORBIDDEN.match(chr(c)) and not src._MAYBE_FORBIDDEN.match(chr(c))]
    assert missed == []


@pytest.mark.parametrize("text", ["plain text\r\n", "page\fbreak", "eighty\ufffefirst",
                                  "astral \U0001F600 kept", "astral non-char \U0002FFFE gone",
                                  "ctl \x01\x0b end", "lone \ud800 surrogate", "\ufdd0x"])
def test_hygiene_mapping_unchanged(text: str) -> None:
    """xml_safe and scrub give what the full regex alone gives."""
    want = src._FORBIDDEN.sub(lambda m: src._HYGIENE_MAP.get(m.group(), ""), text)
    assert xml_safe(text) == want
    norm, offs = scrub(text, list(range(len(text))))
    assert norm == want and len(offs) == len(norm)


def test_remembered_digest_only_for_the_same_file_state(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("one")
    real = sha256_file(f)
    remember_sha256(f, "0" * 64)
    assert sha256_file(f) == "0" * 64
    f.write_text("two, longer")  # size (and time) changed: computed again
    assert sha256_file(f) != real and sha256_file(f) != "0" * 64


def test_nquads_lines_name_the_graph() -> None:
    nt = b'<http://e/s> <http://e/p> "a .\\n b" .\n<http://e/s> <http://e/p> <http://e/o> .'
    out = nquads(nt, "http://e/g")
    quads = list(ox.parse(out, ox.RdfFormat.N_QUADS))
    assert [q.graph_name.value for q in quads] == ["http://e/g"] * 2
    assert quads[0].object.value == "a .\n b"


@pytest.mark.parametrize("workers", [0, 2])
def test_bulk_build_with_worker_parts_equals_transactional_build(tmp_path: Path, workers: int) -> None:
    """A fresh on-disk build (workers write N-Quads parts, one bulk load) holds exactly the
    quads of a build into a memory store (N-Triples through the pipe, one load per graph),
    and leaves no spool or parts behind."""
    disk = OxigraphStore(tmp_path / "store")
    build_paths(PDFS, disk, workers=workers)
    mem = OxigraphStore(None)
    build_paths(PDFS, mem, workers=workers)
    assert disk.count() > 1000
    assert set(disk.ox) == set(mem.ox)
    for leftover in (".bulk", ".bulk.nq", ".bulk.d"):
        assert not (tmp_path / f"store{leftover}").exists()
    assert not re.search(r"\.bulk", " ".join(p.name for p in tmp_path.iterdir()))


def test_a_clashing_source_s_part_is_not_loaded(tmp_path: Path) -> None:
    """Two files with the same symbol and language in one fresh bulk build: the second is an
    error and its part (written by its worker) is not loaded: the store holds the first one's
    graph only, exactly as a build of the first file alone."""
    a, b = tmp_path / "in" / "a.pdf", tmp_path / "in" / "b.pdf"
    a.parent.mkdir()
    a.write_bytes(PDFS[0].read_bytes())
    b.write_bytes(PDFS[0].read_bytes() + b"\n%extra\n")  # another file, same document
    both = OxigraphStore(tmp_path / "both")
    report = build_paths([a, b], both, workers=2)
    assert len(report.built) == 1 and any("not stored" in e.message for e in report.errors)
    one = OxigraphStore(tmp_path / "one")
    build_paths([a], one, workers=2)
    assert set(both.ox) == set(one.ox)
    assert not (tmp_path / "both.bulk.d").exists()


def test_stale_parts_folder_removed_on_open(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    store.close()
    parts = tmp_path / "s.bulk.d"
    parts.mkdir()
    (parts / "0.nq").write_text("<http://e/s> <http://e/p> <http://e/o> <http://e/g> .\n")
    OxigraphStore(tmp_path / "s").close()
    assert not parts.exists()
