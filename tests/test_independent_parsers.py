"""Every export and dump, read back by parsers nobody here wrote (issue 17, points 1 and 2).

``data/`` (what ``make run`` builds) and, in the ``slow`` test, the shared corpus
(``../shared/corpus/pdf`` + ``ga-78-80`` beside the checkout, or
``$MANDATEGRAPH_SHARED_CORPUS``) are built, exported in every format
(``export --format trig|nquads|turtle|jsonld|rdfxml``) and as the published dumps, and each
file is parsed by rapper, riot, rdflib and (JSON-LD) pyld. Each parser's statements must be
exactly the store's: the same count, and the same terms, so a literal whose datatype or
lexical form changes on the way (``1.0`` read back as ``xsd:integer`` or ``xsd:double``, a
date as a plain string) fails like a dropped statement. The quad formats keep the named
graphs; Turtle, JSON-LD and RDF/XML carry the union (distinct triples).

The held-out files of ``tests/gold/heldout.json`` are left out of the corpus build (the
project's rule: nobody looks at mandategraph's output on them before the lead scores them);
``MANDATEGRAPH_CORPUS_HELDOUT=1`` puts them back in for the lead's final run.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdf_tools import PARSERS, QUAD_FORMATS, SYNTAX, ParseFailed, diff, statements

from mandategraph.export import DUMP_FILES, VOID_FILE, export_store, write_dumps
from mandategraph.pipeline.batch import build_paths
from mandategraph.store.factory import open_store

ROOT = Path(__file__).resolve().parent.parent
#: the shared corpus: $MANDATEGRAPH_SHARED_CORPUS, else ../shared/corpus beside the checkout or
#: beside its worktree folder (as bench/quality.py finds it)
SHARED = Path(os.environ.get("MANDATEGRAPH_SHARED_CORPUS") or next(
    (p for p in (ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus") if p.is_dir()),
    ROOT.parent / "shared" / "corpus"))
EXPORTS = {"trig": "export.trig", "nquads": "export.nq", "turtle": "export.ttl",
           "jsonld": "export.jsonld", "rdfxml": "export.rdf"}


@dataclass
class Exported:
    folder: Path
    files: dict[str, tuple[str, Path]] = field(default_factory=dict)  #: label -> (format, file)
    quads: set[str] = field(default_factory=set)
    triples: set[str] = field(default_factory=set)


def _corpus_folder(tmp: Path) -> Path:
    """The shared corpus without the held-out files (symlinks into a folder of our own)."""
    held = json.loads((ROOT / "tests" / "gold" / "heldout.json").read_text(encoding="utf-8"))
    skip = set() if os.environ.get("MANDATEGRAPH_CORPUS_HELDOUT") == "1" else (
        set(held["heldout_resolutions"]) | set(held["heldout_committee_drafts"]))
    out = tmp / "corpus"
    for sub in ("pdf", "ga-78-80"):
        src = SHARED / sub
        if not src.is_dir():
            pytest.fail(f"shared corpus missing: {src}")
        (out / sub).mkdir(parents=True)
        for f in sorted(src.iterdir()):
            if f.name not in skip:
                (out / sub / f.name).symlink_to(f)
    return out


def _export_all(source: Path, folder: Path) -> Exported:
    store = open_store(folder / "store")
    report = build_paths([source], store)
    assert not report.errors, report.errors[:5]
    ex = Exported(folder)
    for fmt, name in EXPORTS.items():
        with open(folder / name, "wb") as fh:
            export_store(store, fmt, fh)
        ex.files[f"export-{fmt}"] = (fmt, folder / name)
    write_dumps(store, folder / "dumps")
    for fmt, name in DUMP_FILES:
        ex.files[f"dump-{fmt}"] = (fmt, folder / "dumps" / name)
    nq = (folder / EXPORTS["nquads"]).read_bytes()
    ex.quads = statements(nq, True)
    ex.triples = statements(nq, False)
    assert len(ex.quads) == store.count()
    store.close()
    return ex


@pytest.fixture(scope="module", params=["data", pytest.param("corpus", marks=pytest.mark.slow)])
def exported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    tmp = tmp_path_factory.mktemp(f"parsers-{request.param}")
    source = ROOT / "data" if request.param == "data" else _corpus_folder(tmp)
    return _export_all(source, tmp)


LABELS = [f"export-{f}" for f in EXPORTS] + [f"dump-{f}" for f, _ in DUMP_FILES]
CASES = [(label, parser) for label in LABELS for parser in PARSERS
         if not (parser == "rapper" and SYNTAX[label.split("-", 1)[1]][0] is None)
         and not (parser == "pyld" and label != "export-jsonld")]


@pytest.mark.parametrize(("label", "parser"), CASES, ids=[f"{p}-{lb}" for lb, p in CASES])
def test_parser_reads_every_statement(exported: Exported, label: str, parser: str) -> None:
    if parser == "pyld" and exported.folder.name.startswith("parsers-corpus"):
        # pyld (pure Python) takes most of an hour on the corpus's 80 MB JSON-LD; issue 17 asks
        # rapper, riot and rdflib of the corpus, and pyld reads the data/ export in this test
        pytest.skip("pyld reads the data/ JSON-LD; on the corpus the independent parsers are rapper, riot, rdflib")
    fmt, path = exported.files[label]
    try:
        got = PARSERS[parser](path, fmt, exported.folder)
    except ParseFailed as e:
        pytest.fail(str(e))
    assert got is not None
    expected = exported.quads if fmt in QUAD_FORMATS else exported.triples
    assert got == expected, f"{parser} on {path.name}: {diff(expected, got)}"


@pytest.mark.parametrize("parser", ["rapper", "riot", "rdflib"])
def test_dataset_description_parses(exported: Exported, parser: str) -> None:
    """void.ttl (VoID + DCAT) is read to the same statements by each parser (its blank nodes
    aside, which each parser names its own way)."""
    path = exported.folder / "dumps" / VOID_FILE
    try:
        got = PARSERS[parser](path, "turtle", exported.folder)
    except ParseFailed as e:
        pytest.fail(str(e))
    ref = PARSERS["rdflib"](path, "turtle", exported.folder)
    assert got is not None and len(got) == len(ref) > 50

    def named(s: set[str]) -> set[str]:
        return {t for t in s if "_:" not in t}

    assert named(got) == named(ref)


def test_typed_literals_survive_jsonld(exported: Exported) -> None:
    """The JSON-LD export states each datatype: a double is ``{"@value": "1.0", "@type":
    "xsd:double"}``, not the JSON number 1.0 (which pyld read as xsd:integer 1); dates stay
    xsd:date, integers xsd:integer. Read back by pyld, each typed literal is the store's."""
    if exported.folder.name.startswith("parsers-corpus"):
        # on the corpus, test_parser_reads_every_statement already compares every typed literal
        # term by term for each parser (JSON-LD by rapper's peers riot and rdflib)
        pytest.skip("typed literals of the corpus are compared term by term by the parser tests")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    types = [f"^^<{xsd}{t}>" for t in ("double", "date", "integer", "dateTime", "decimal")]
    want = {t: {s for s in exported.triples if s.endswith(t)} for t in types}
    for t in types[:3]:
        assert want[t], f"the build has no {t} literal: the check cannot fail"
    doc = json.loads(exported.files["export-jsonld"][1].read_text(encoding="utf-8"))
    native = [(node["@id"], key) for node in doc["@graph"] for key, values in node.items()
              if key != "@id" for v in values if isinstance(v, (bool, int, float))]
    assert not native, f"JSON numbers or booleans stand for literals: {native[:5]}"
    got = PARSERS["pyld"](exported.files["export-jsonld"][1], "jsonld", exported.folder)
    assert got is not None
    for t in types:
        assert {s for s in got if s.endswith(t)} == want[t], t
