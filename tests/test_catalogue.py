"""Catalogue ingest (mandategraph/build/catalogue.py, docs/catalogue.md): document records
from a CSV catalogue export -> one named graph per file, with the quads of the contract, the
nodes they cite declared once per file by build/builder.py's node code, bad rows named by file:line,
and the store's usual guarantees (unchanged files skipped, a changed file replaces its graph,
an unreadable file changes nothing)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from mandategraph import __version__
from mandategraph.cli import main
from mandategraph.build.catalogue import (
    CatalogueError, build_catalogue, document_classes, instrument_ref, read_catalogue,
)
from mandategraph.core.facts import InstrumentRef
from mandategraph.ingest.source import IngestError
from mandategraph.build.iris import Iris
from mandategraph.core.namespaces import UN
from mandategraph.pipeline.batch import build_paths
from mandategraph.validate.sparql_engine import validate_store_sparql
from mandategraph.store.oxigraph_store import OxigraphStore
from mandategraph.store.factory import open_store
from mandategraph.validate.pyshacl_engine import validate_graph

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "catalogue"
RECORDS = DATA / "records.csv"
BAD_ROWS = DATA / "bad-rows.csv"
SEED_AGENDA = DATA / "seed-agenda.csv"
REFERENCE_TABLE = DATA / "reference-table.csv"
IRIS = Iris("https://w3id.org/mandategraph")


def _built(path: Path, name: str | None = None):
    built, errors = build_catalogue(path, name or path.name, IRIS)
    return built, errors


def _about(triples, subject: URIRef) -> set:
    return {(p, o) for s, p, o in triples if s == subject}


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# ----------------------------------------------------------------------------- the quads


def test_report_mandated_by_a_resolution_with_session_and_agenda_item() -> None:
    built, errors = _built(RECORDS)
    assert errors == []
    t = built.triples
    g = IRIS.graph_for(None, None, "records.csv")
    assert built.graph_iri == g
    d = IRIS.doc("A/78/123")
    session = IRIS.session("A", 78)
    item = IRIS.agenda_item("A/78/251", "107")
    res = IRIS.instrument("A", "resolution", "77/232")
    assert _about(t, d) == {
        (RDF.type, UN.Document),
        (UN.symbol, Literal("A/78/123")),
        (RDF.type, UN.Report),
        (UN.title, Literal("Countering the use of information and communications technologies "
                           "for criminal purposes", lang="en")),
        (UN.date, Literal("2023-07-14", datatype=XSD.date)),
        (UN.submittedTo, session),  # session 78 of A, from the symbol
        (UN.underAgendaItem, item),
        (UN.mandatedBy, res),
        (DCTERMS.source, g),  # the record's provenance: its file's graph
    }
    # each node it cites, declared as build/builder.py's _Builder.node declares it
    assert _about(t, session) == {(RDF.type, UN.Session), (UN.number, Literal(78)),
                                  (UN.sessionOf, IRIS.body("A")), (DCTERMS.source, g)}
    assert _about(t, item) == {(RDF.type, UN.AgendaItem), (UN.itemNumber, Literal("107")),
                               (DCTERMS.source, g)}
    assert _about(t, res) == {(RDF.type, UN.Instrument), (RDF.type, UN.Resolution),
                              (UN.number, Literal("77/232")), (UN.issuedBy, IRIS.body("A")),
                              (DCTERMS.source, g)}
    assert _about(t, IRIS.body("A")) == {(RDF.type, UN.Body)}
    # the graph describes its file once; no annotation, no reified statement
    digest = hashlib.sha256(RECORDS.read_bytes()).hexdigest()
    assert _about(t, g) == {(RDF.type, UN.SourceGraph), (UN.sourceFile, Literal("records.csv")),
                            (UN.sha256, Literal(digest)),
                            (UN.extractorVersion, Literal(__version__))}
    assert not [x for x in t if x[1] == RDF.type and x[2] in (RDF.Statement,) or
                "ns/oa#" in str(x[2])]
    assert built.checked


def test_joint_symbol_is_one_node_with_both_symbols_and_a_chinese_title() -> None:
    built, _ = _built(RECORDS)
    d = IRIS.doc("E/CN.7/2024/17")
    about = _about(built.triples, d)
    assert {o for p, o in about if p == UN.symbol} == {Literal("E/CN.7/2024/17"),
                                                      Literal("E/CN.15/2024/18")}
    assert (RDF.type, UN.Note) in about
    assert (UN.title, Literal("联合国毒品和犯罪问题办公室的管理和财务问题", lang="zh")) in about
    # year-numbered series: session 2024 of E/CN.7 (the first part's series)
    assert (UN.submittedTo, IRIS.session("E/CN.7", 2024)) in about
    assert (UN.mandatedBy, IRIS.instrument("E/CN.7", "resolution", "2005/1")) in about
    assert not any(s == IRIS.doc("E/CN.15/2024/18") for s, _p, _o in built.triples)


def test_draft_with_draft_of_and_class_from_the_symbol() -> None:
    built, _ = _built(RECORDS)
    d = IRIS.doc("A/C.3/78/L.5")
    about = _about(built.triples, d)
    assert (RDF.type, UN.DraftResolution) in about  # empty type -> symbols.doc_class (L.)
    assert (UN.draftOf, IRIS.instrument("A", "resolution", "78/1")) in about
    assert (UN.submittedTo, IRIS.session("A/C.3", 78)) in about  # the session column
    assert not [p for p, _o in about if p == UN.mandatedBy]


def test_declarations_once_per_file() -> None:
    """Two records cite A/RES/77/232 and agenda item 107: declared once each."""
    built, _ = _built(RECORDS)
    lines = built.nt.splitlines()
    res = f"<{IRIS.instrument('A', 'resolution', '77/232')}>"
    declared = [ln for ln in lines if ln.startswith(res + " ")]
    assert len(declared) == 5  # a Instrument, a Resolution, number, issuedBy (+ dcterms:source)
    assert sum(ln.endswith(f"{res} .") for ln in lines) == 2  # cited by both reports
    item = f"<{IRIS.agenda_item('A/78/251', '107')}>"
    assert len([ln for ln in lines if ln.startswith(item + " ")]) == 3
    assert len(lines) == len(set(lines))
    # a sub-item is part of its item, as build/builder.py writes it
    sub = IRIS.agenda_item("A/78/251", "2(b)")
    assert (UN.partOf, IRIS.agenda_item("A/78/251", "2")) in _about(built.triples, sub)


@pytest.mark.parametrize("text, ref", [
    ("A/RES/78/1", ("A", "resolution", "78/1")),
    ("A/HRC/RES/36/1", ("A/HRC", "resolution", "36/1")),
    ("A/HRC/RES/55/1", ("A/HRC", "resolution", "55/1")),
    ("S/RES/2719 (2023)", ("S", "resolution", "2719 (2023)")),
    ("A/DEC/78/501", ("A", "decision", "78/501")),
    ("E/RES/2023/1", ("E", "resolution", "2023/1")),
    ("A/RES/ES-10/1", ("A", "resolution", "ES-10/1")),
    ("CTOC/COP resolution 11/1", ("CTOC/COP", "resolution", "11/1")),
    ("E/CN.7 resolution 2005/1", ("E/CN.7", "resolution", "2005/1")),
    ("E/CN.15  Decision  2024/2", ("E/CN.15", "decision", "2024/2")),
])
def test_instrument_ref_both_notations(text: str, ref: tuple) -> None:
    assert instrument_ref(text) == InstrumentRef(*ref)


def test_instrument_ref_is_what_the_resolution_extractor_mints() -> None:
    """The masthead of A/RES/80/1 makes InstrumentRef("A", "resolution", "80/1") (see
    tests/cases/ga-res-80-1-plenary-draft): the symbol gives the same node."""
    assert IRIS.instrument(*instrument_ref("A/RES/80/1").__dict__.values()) == \
        URIRef("https://w3id.org/mandategraph/instrument/ga/resolution/80-1")


@pytest.mark.parametrize("text, expected", [
    ("A/78/1", "not an instrument's"),
    ("A/RES/78/1/Corr.1", "not an instrument's"),
    ("resolution 78/1", "neither an instrument symbol nor a citation"),
    ("A/78 resolution 1", "body series"),
    ("CTOC/COP resolution eleven", "number"),
    ("", "empty"),
])
def test_instrument_ref_errors_say_what_was_expected(text: str, expected: str) -> None:
    with pytest.raises(CatalogueError, match=expected):
        instrument_ref(text)


def test_session_only_when_the_symbol_or_the_row_gives_one(tmp_path: Path) -> None:
    p = _write(tmp_path / "s.csv", "symbol,session\nS/RES/2719 (2023),\nA/RES/S-27/2,\n"
                                   "CTOC/COP/2024/CRP.3,\nS/RES/2720 (2023),9999\n")
    built, errors = build_catalogue(p, "s.csv", IRIS)
    assert errors == []
    sub = {s: o for s, p_, o in built.triples if p_ == UN.submittedTo}
    assert IRIS.doc("S/RES/2719 (2023)") not in sub  # no session component: no submittedTo
    assert IRIS.doc("A/RES/S-27/2") not in sub  # a special session is not a number
    assert sub[IRIS.doc("CTOC/COP/2024/CRP.3")] == IRIS.session("CTOC/COP", 2024)
    assert sub[IRIS.doc("S/RES/2720 (2023)")] == IRIS.session("S", 9999)
    assert (RDF.type, UN.ResolutionDocument) in _about(built.triples, IRIS.doc("S/RES/2719 (2023)"))
    assert (RDF.type, UN.ConferenceRoomPaper) in _about(built.triples, IRIS.doc("CTOC/COP/2024/CRP.3"))


def test_type_accepts_only_document_classes_of_the_ontology() -> None:
    classes = set(document_classes().values())
    assert {"Document", "Report", "Note", "DraftResolution", "ConferenceRoomPaper",
            "InformationDocument", "ResolutionDocument", "AnnotatedAgenda"} <= classes
    assert "Resolution" not in classes and "Session" not in classes


# ----------------------------------------------------------------------------- reading


def test_bom_case_insensitive_header_unknown_columns_and_duplicates(tmp_path: Path) -> None:
    p = _write(tmp_path / "cat.csv", "\ufeff Symbol ,TITLE,Colour,date\n"
                                     "A/79/1,First,red,2024-01-01\n"
                                     "a/79/2,Second,blue,\n"
                                     "A/79/1,First again,green,2024-01-02\n")
    cat = read_catalogue(p, "cat.csv")
    assert cat.errors == []
    assert [r.symbol for r in cat.records] == ["A/79/1", "A/79/2", "A/79/1"]  # canonical
    assert cat.warnings[0].startswith("cat.csv: unknown column(s) 'colour'")
    assert cat.warnings[1] == ("cat.csv:4: A/79/1: duplicate symbol, also on line 2; "
                               "the facts of both rows go in")
    built, _ = build_catalogue(p, "cat.csv", IRIS)
    about = _about(built.triples, IRIS.doc("A/79/1"))
    assert {o for p_, o in about if p_ == UN.title} == {Literal("First", lang="en"),
                                                      Literal("First again", lang="en")}


def test_bad_rows_are_named_by_file_line_and_symbol_and_the_rest_is_stored(tmp_path: Path) -> None:
    src = tmp_path / "bad-rows.csv"
    shutil.copy(BAD_ROWS, src)
    st = OxigraphStore(None)
    report = build_paths([src], st, IRIS)
    name = report.built[0]
    errors = [str(e) for e in report.errors]
    expected = [
        (3, "A/79//11", "expected a UN document symbol"),
        (4, "A/79/12", "date '2024-13-01' is not an ISO date; expected YYYY-MM-DD"),
        (5, "A/79/13", "type 'Memo' is not a document class"),
        (6, "A/79/14", "mandated_by: instrument 'resolution 78/1'"),
        (7, "A/79/15", "agenda_item without agenda"),
        (10, "(no symbol)", "expected a document symbol"),
        (11, "A/79/17", "session 'seventy-nine' is not a session number"),
    ]
    assert len(errors) == len(expected), errors
    assert "1 built, 0 unchanged, 1 with errors (7 errors)" in report.summary()
    for err, (line, symbol, what) in zip(errors, expected):
        assert err.startswith(f"{name}:{line}: {symbol}: "), err
        assert what in err, err
    docs = {str(r[0]) for r in st.select(
        "SELECT ?s WHERE { ?d a <https://w3id.org/mandategraph/ontology#Document> ; "
        "<https://w3id.org/mandategraph/ontology#symbol> ?s }").rows}
    assert docs == {"A/79/10", "A/79/16", "A/79/18"}  # the good rows, the quoted line break too
    title = st.select("SELECT ?t WHERE { ?d <https://w3id.org/mandategraph/ontology#symbol> "
                      "\"A/79/16\" ; <https://w3id.org/mandategraph/ontology#title> ?t }").rows
    assert str(title[0][0]) == "A title with a comma, and\na line break"


def test_unreadable_file_is_one_error_and_changes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "cat.csv"
    shutil.copy(RECORDS, src)
    st = OxigraphStore(None)
    assert not build_paths([src], st, IRIS).errors
    g = str(IRIS.graph_for(None, None, "cat.csv"))
    before = set(st.quads(g))
    # the header decodes, a later NUL byte makes it binary: the whole file is refused
    src.write_bytes(RECORDS.read_bytes() + b"A/78/999,Report,Caf\x00,,,,,,,,\n")
    report = build_paths([src], st, IRIS)
    assert len(report.errors) == 1 and not report.built
    err = str(report.errors[0])
    assert "cat.csv" in err and "binary file" in err and "expected text" in err
    assert set(st.quads(g)) == before
    # a new unreadable file stores nothing at all
    new = tmp_path / "new.csv"
    new.write_bytes(b"symbol,title\nA/78/1,\x00\x01\x02\n")
    report = build_paths([new], st, IRIS)
    assert len(report.errors) == 1 and "new.csv" in str(report.errors[0])
    assert str(IRIS.graph_for(None, None, "new.csv")) not in st.named_graphs()


@pytest.mark.parametrize("encoding, codec", [
    ("cp1252", "cp1252"), ("gb18030", "gb18030"), ("utf-16", "utf_16_le"), ("utf-16-le", "utf_16_le")])
def test_catalogue_in_another_encoding_is_decoded_and_its_encoding_recorded(
        tmp_path: Path, encoding: str, codec: str) -> None:
    title = "Café des Nations" if encoding == "cp1252" else "关于跨国有组织犯罪的报告，第十二届会议"
    src = _write(tmp_path / "cat.csv", f"symbol,title\nA/79/1,{title}\nA/79/2,Second\n" * 1, encoding)
    st = OxigraphStore(None)
    report = build_paths([src], st, IRIS)
    assert not report.errors and len(report.built) == 1
    rows = st.select("SELECT ?t WHERE { ?d <https://w3id.org/mandategraph/ontology#symbol> \"A/79/1\" ; "
                     "<https://w3id.org/mandategraph/ontology#title> ?t }").rows
    assert [str(r[0]) for r in rows] == [title]
    g = str(IRIS.graph_for(None, None, "cat.csv"))
    enc = st.select(f"SELECT ?e WHERE {{ GRAPH <{g}> {{ <{g}> <{UN.sourceEncoding}> ?e }} }}").rows
    assert len(enc) == 1
    # a short Latin text is as readable in several single-byte codecs (cp1250 and cp1252 agree on
    # "é"): the recorded codec must read the file's bytes back to exactly its text
    got = str(enc[0][0])
    assert got == codec or (encoding == "cp1252" and src.read_bytes().decode(got) == src.read_bytes().decode(encoding))


def test_unchanged_file_is_skipped_and_a_changed_file_replaces_its_graph(tmp_path: Path) -> None:
    src = tmp_path / "cat.csv"
    _write(src, "symbol,title\nA/79/1,First\nA/79/2,Second\n")
    st = OxigraphStore(None)
    first = build_paths([src], st, IRIS)
    assert len(first.built) == 1
    again = build_paths([src], st, IRIS)
    assert again.built == [] and len(again.skipped) == 1
    _write(src, "symbol,title\nA/79/1,First (revised)\nA/79/3,Third\n")
    changed = build_paths([src], st, IRIS)
    assert len(changed.built) == 1
    g = str(IRIS.graph_for(None, None, "cat.csv"))
    rows = st.select("SELECT ?s ?t WHERE { GRAPH ?g { ?d <https://w3id.org/mandategraph/ontology#symbol> ?s ; "
                     "<https://w3id.org/mandategraph/ontology#title> ?t } }", {"g": URIRef(g)}).rows
    assert {(str(s), str(t)) for s, t in rows} == {("A/79/1", "First (revised)"), ("A/79/3", "Third")}
    digests = [v for k, v in st.source_digests().items() if k == g]
    assert digests == [hashlib.sha256(src.read_bytes()).hexdigest()]


def test_folder_skips_non_catalogue_csv_with_a_warning_and_a_named_one_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(RECORDS, folder / "records.csv")
    shutil.copy(REFERENCE_TABLE, folder / "reference-table.csv")
    st = OxigraphStore(None)
    report = build_paths([folder], st, IRIS)
    assert report.errors == []
    assert [Path(b).name for b in report.built] == ["records.csv"]
    warning = [w for w in report.warnings if "reference-table.csv" in w]
    assert len(warning) == 1 and "skipped" in warning[0] and "'symbol' column" in warning[0]
    assert "key, name, source" in warning[0]
    named = build_paths([REFERENCE_TABLE], OxigraphStore(None), IRIS)
    assert len(named.errors) == 1 and not named.built
    err = str(named.errors[0])
    assert "reference-table.csv" in err and "no 'symbol' column" in err
    assert "expected a header row with a 'symbol' column" in err and "mandated_by" in err


def test_extra_fields_are_an_error_only_when_they_hold_something(tmp_path: Path) -> None:
    p = _write(tmp_path / "x.csv", "symbol,title\nA/79/1,One,\nA/79/2,Two,,\nA/79/3,Three,oops\n")
    cat = read_catalogue(p, "x.csv")
    assert [r.symbol for r in cat.records] == ["A/79/1", "A/79/2"]  # trailing empty fields
    assert cat.errors == ["x.csv:4: A/79/3: expected at most 2 fields (the header's columns), got 3"]


def test_two_catalogues_with_one_file_name_in_a_batch(tmp_path: Path) -> None:
    """The graph is named after the file name: the second file of a batch with the same name
    is refused (it would silently replace the first), the first stays."""
    for sub, sym in (("2023", "A/78/1"), ("2024", "A/79/1")):
        (tmp_path / sub).mkdir()
        _write(tmp_path / sub / "catalogue-00001.csv", f"symbol\n{sym}\n")
    st = OxigraphStore(None)
    report = build_paths([tmp_path], st, IRIS)
    assert len(report.built) == 1 and len(report.errors) == 1
    err = str(report.errors[0])
    assert "2024" in err and "not stored" in err and "same file name" in err
    symbols = {str(r[0]) for r in st.select(
        "SELECT ?s WHERE { ?d <https://w3id.org/mandategraph/ontology#symbol> ?s }").rows}
    assert symbols == {"A/78/1"}


def test_empty_and_headerless_files_are_errors(tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.csv", "")
    with pytest.raises(IngestError, match="empty"):
        read_catalogue(empty)
    report = build_paths([empty], OxigraphStore(None), IRIS)
    assert len(report.errors) == 1 and "empty.csv" in str(report.errors[0])
    dup = _write(tmp_path / "dup.csv", "symbol,title,Title\nA/79/1,a,b\n")
    with pytest.raises(IngestError, match="'title' appears twice"):
        read_catalogue(dup)


# ----------------------------------------------------------------------------- end to end


def _results(outcome) -> set:
    return {(str(r.focus), str(r.path), r.severity, str(r.source_shape), str(r.constraint),
             None if r.value is None else r.value.n3()) for r in outcome.results}


def test_cli_build_then_validate_with_both_engines(tmp_path: Path) -> None:
    store = tmp_path / "st"
    runner = CliRunner()
    res = runner.invoke(main, ["build", "--store", str(store), str(RECORDS)])
    assert res.exit_code == 0, res.output
    assert "1 built" in res.output and "0 with errors" in res.output
    for engine in ("pyshacl", "sparql"):
        res = runner.invoke(main, ["validate", "--store", str(store), "--engine", engine])
        assert res.exit_code == 0, res.output
        assert res.output.startswith("Conforms: yes - 0 violation(s), 0 warning(s)"), res.output
    with open_store(str(store), read_only=True) as st:
        ref = validate_graph(st.union_graph())
        ours = validate_store_sparql(st)
        assert _results(ours) == _results(ref)
        n = st.select("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a "
                      "<https://w3id.org/mandategraph/ontology#Document> }").rows[0][0]
        assert int(n) == 5


def test_catalogue_record_merges_with_an_extracted_document(tmp_path: Path, seed_path: Path) -> None:
    """The seed (annotated agenda CTOC/COP/2024/1, built from its text) and a catalogue record
    for the same symbol describe one node; each graph keeps its own facts."""
    st = OxigraphStore(None)
    report = build_paths([seed_path, SEED_AGENDA], st, IRIS)
    assert not report.errors and len(report.built) == 2
    d = IRIS.doc("CTOC/COP/2024/1")
    rows = st.select("SELECT DISTINCT ?g ?p ?o WHERE { GRAPH ?g { ?d ?p ?o } }", {"d": d}).rows
    by_graph: dict[str, set] = {}
    for g, p, o in rows:
        by_graph.setdefault(str(g), set()).add((p, o))
    cat_graph = str(IRIS.graph_for(None, None, "seed-agenda.csv"))
    assert set(by_graph) == {cat_graph, str(IRIS.graph_for("CTOC/COP/2024/1", "zh", ""))}
    cat = by_graph[cat_graph]
    assert (UN.title, Literal("Annotated provisional agenda", lang="en")) in cat
    assert (UN.submittedTo, IRIS.session("CTOC/COP", 12)) in cat
    union = {po for s in by_graph.values() for po in s}
    assert (UN.title, Literal("临时议程说明", lang="zh")) in union  # from the text
    assert (UN.submittedTo, IRIS.session("CTOC/COP", 12)) in by_graph[str(IRIS.graph_for(
        "CTOC/COP/2024/1", "zh", ""))]  # the same session node as the extractor's
    n = st.select("SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x "
                  "<https://w3id.org/mandategraph/ontology#symbol> \"CTOC/COP/2024/1\" }").rows[0][0]
    assert int(n) == 1
    ref = validate_graph(st.union_graph())
    assert ref.conforms, ref.text()
    assert _results(validate_store_sparql(st)) == _results(ref)


def test_the_project_reference_tables_in_a_folder_are_skipped_without_a_warning(tmp_path: Path) -> None:
    """`make run` builds data/, where data/reference/*.csv are the tables the build already
    reads as reference data: no warning for them on every build; an edited copy still warns."""
    from mandategraph.pipeline.batch import collect

    data = Path(__file__).resolve().parent.parent / "data" / "reference"
    warnings: list[str] = []
    files, errors = collect([data], warnings)
    assert files == [] and errors == [] and warnings == []
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bodies.csv").write_bytes((data / "bodies.csv").read_bytes() + b"X,x,Body,X,,,,,test\n")
    files, errors = collect([folder], warnings)
    assert files == [] and len(warnings) == 1 and "bodies.csv" in warnings[0]
