"""The SPARQL validation engine gives the same results as pySHACL (the reference).

Equality is on the set of (focus node, path, severity, source shape, constraint component,
value) over every shape test file (tests/shapes/*/*.ttl), the hand-written fixtures, the seed
built by the pipeline and a small synthetic corpus; messages are compared where the shape
gives its own sh:message without a template.
"""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from mandategraph.core.namespaces import SH
from mandategraph.validate.sparql_shapes import UnsupportedShape
from mandategraph.validate.sparql_compile import compile_checks
from mandategraph.validate.sparql_engine import validate_store_sparql
from mandategraph.store.oxigraph_store import OxigraphStore
from bench.synth import write_nquads
from mandategraph.validate.report import ValidationOutcome, shapes_graph
from mandategraph.validate.pyshacl_engine import validate_graph

TESTS = Path(__file__).resolve().parent
SHAPE_FILES = sorted((TESTS / "shapes").glob("*/*.ttl"))
TRIG_FILES = sorted((TESTS / "fixtures").glob("*.trig"))


def _key(r) -> tuple:
    path = str(r.path) if isinstance(r.path, URIRef) else ("complex-path" if r.path is not None else None)
    value = "_:b" if isinstance(r.value, BNode) else (None if r.value is None else r.value.n3())
    focus = "_:b" + str(r.focus) if isinstance(r.focus, BNode) else str(r.focus)
    return (focus, path, r.severity, str(r.source_shape), str(r.constraint), value)


def assert_same(ours: ValidationOutcome, ref: ValidationOutcome) -> None:
    a, b = set(map(_key, ours.results)), set(map(_key, ref.results))
    assert a == b, f"only SPARQL engine: {sorted(a - b)[:5]}\nonly pySHACL: {sorted(b - a)[:5]}"
    assert ours.conforms == ref.conforms
    sg = shapes_graph()
    for r in ours.results:
        msgs = [str(m) for m in sg.objects(r.source_shape, SH.message)]
        if r.constraint != SH.SPARQLConstraintComponent and msgs and "{" not in msgs[0]:
            assert r.message in msgs


def store_of_graph(g: Graph | Dataset) -> OxigraphStore:
    st = OxigraphStore(None)
    if isinstance(g, Dataset):
        by_graph: dict = {}
        for s, p, o, gi in g.quads((None, None, None, None)):
            by_graph.setdefault(str(gi), []).append((s, p, o))
        for gi, ts in by_graph.items():
            st.replace_graph(gi if gi.startswith(("http", "urn")) else "urn:x-test:default", ts)
    else:
        st.replace_graph("urn:x-test:data", list(g))
    return st


def compare(st: OxigraphStore) -> ValidationOutcome:
    ours = validate_store_sparql(st)
    ref = validate_graph(st.union_graph())  # same bnode labels as the store's
    assert_same(ours, ref)
    return ours


def test_every_shape_compiles() -> None:
    checks = compile_checks(shapes_graph())
    shapes = {str(c.shape) for c in checks}
    # every named shape with a constraint of shapes/ produces at least one check
    sg = shapes_graph()
    constrained = {str(s) for s in sg.subjects(SH.path, None) if isinstance(s, URIRef)}
    assert constrained <= shapes, sorted(constrained - shapes)[:5]
    for c in checks:
        assert "FILTER(?s =" not in c.query and "FILTER (?s =" not in c.query


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_results_as_pyshacl_on_shape_tests(path: Path) -> None:
    g = Graph()
    g.parse(path, format="turtle")
    out = compare(store_of_graph(g))
    if path.name.startswith("invalid-"):
        assert out.results, f"{path.name}: an invalid case must give results"


@pytest.mark.parametrize("path", TRIG_FILES, ids=lambda p: p.name)
def test_same_results_as_pyshacl_on_fixtures(path: Path) -> None:
    ds = Dataset()
    ds.parse(path, format="trig")
    compare(store_of_graph(ds))


def test_same_results_as_pyshacl_on_the_seed(seed_path: Path) -> None:
    from mandategraph.pipeline.batch import build_paths

    st = OxigraphStore(None)
    report = build_paths([seed_path], st)
    assert report.built and not report.errors
    compare(st)


@pytest.mark.parametrize("layout", ["files", "catalogue"])
def test_same_results_on_synthetic_corpus_with_its_deliberate_violations(layout: str) -> None:
    buf = io.StringIO()
    stats = write_nquads(buf, 150, seed=5, violation_share=0.02, layout=layout, per_file=40)
    st = OxigraphStore(None)
    st.ox.bulk_load(buf.getvalue().encode(), format=ox.RdfFormat.N_QUADS)
    out = compare(st)
    assert len(out.violations) == sum(stats.violations.values()) > 0
    # every document has provenance: no ProvenanceShape warning (a catalogue record names its
    # file with dcterms:source, an extracted document has its language version)
    assert not [r for r in out.results if str(r.source_shape).endswith("ProvenanceShape")]


def test_unsupported_constraint_is_an_error_not_a_silent_pass() -> None:
    g = Graph()
    g.parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ;
          sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedMinCount 1 ] .""", format="turtle")
    with pytest.raises(UnsupportedShape, match="qualified"):
        compile_checks(g)


def test_core_constraints_on_custom_shapes() -> None:
    """Constraints our shapes use rarely (xone, hasValue, exclusive bounds, maxLength, sequence
    and alternative paths, targetNode/ObjectsOf, flags, minCount 2) against pySHACL."""
    shapes = Graph()
    shapes.parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
      @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
      ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:targetNode ex:n9 ;
        sh:property [ sh:path ex:p ; sh:minCount 2 ; sh:maxCount 3 ] ,
          [ sh:path ex:q ; sh:hasValue "x" ] ,
          [ sh:path ex:r ; sh:minExclusive 0 ; sh:maxExclusive 10 ; sh:maxLength 1 ] ,
          [ sh:path ( ex:s ex:t ) ; sh:nodeKind sh:IRI ] ,
          [ sh:path [ sh:alternativePath ( ex:u ex:w ) ] ; sh:pattern "^ab" ; sh:flags "i" ] ,
          [ sh:path ex:x ; sh:xone ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:string ] [ sh:pattern "1" ] ) ] ,
          [ sh:path [ sh:oneOrMorePath ex:parent ] ; sh:class ex:C ] .
      ex:T a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:not [ sh:nodeKind sh:Literal ] ;
        sh:severity sh:Info .""", format="turtle")
    data = Graph()
    data.parse(data="""@prefix ex: <https://example.org/> .
      ex:a a ex:C ; ex:p ex:v1 ; ex:q "y" ; ex:r 5, 11, "z" ; ex:s [ ex:t "lit" ] ; ex:u "ABc", "xab" ;
        ex:x 1, "1", "2", 2.5 ; ex:parent ex:b .
      ex:b ex:parent ex:c . ex:c a ex:C .
      ex:d a ex:C ; ex:p 1, 2, 3, 4 ; ex:q "x" ; ex:w "abd" .""", format="turtle")
    st = store_of_graph(data)
    ours = validate_store_sparql(st, shapes)
    ref = validate_graph(st.union_graph(), shapes)
    a, b = set(map(_key, ours.results)), set(map(_key, ref.results))
    assert a == b, f"only SPARQL engine: {sorted(a - b)}\nonly pySHACL: {sorted(b - a)}"
    assert len(a) >= 10
    assert {r.severity for r in ours.results} == {"Violation", "Info"}


def test_report_graph_is_a_shacl_report() -> None:
    buf = io.StringIO()
    write_nquads(buf, 120, seed=2, violation_share=0.05)
    st = OxigraphStore(None)
    st.ox.bulk_load(buf.getvalue().encode(), format=ox.RdfFormat.N_QUADS)
    out = validate_store_sparql(st)
    rep = out.report
    assert (None, SH.conforms, Literal(False)) in rep
    assert len(set(rep.subjects(SH.focusNode, None))) == len(out.results)


def test_cli_validate_engine_sparql_same_exit_codes_as_pyshacl(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mandategraph.cli import main

    store_dir = tmp_path / "store"
    buf = io.StringIO()
    write_nquads(buf, 60, seed=4, violation_share=0.05)
    st = OxigraphStore(store_dir)
    st.ox.bulk_load(buf.getvalue().encode(), format=ox.RdfFormat.N_QUADS)
    st.close()
    del st
    runner = CliRunner()
    ours = runner.invoke(main, ["validate", "--store", str(store_dir), "--engine", "sparql"])
    ref = runner.invoke(main, ["validate", "--store", str(store_dir), "--engine", "pyshacl"])
    assert ours.exit_code == ref.exit_code == 1, (ours.output, ref.output)
    assert ours.output.splitlines()[0] == ref.output.splitlines()[0]  # same counts in the head line
    turtle = runner.invoke(main, ["validate", "--store", str(store_dir), "--engine", "sparql", "--format", "turtle"])
    assert "sh:ValidationReport" in turtle.output


def test_rewritten_value_checks_match_pyshacl_on_edge_values() -> None:
    """The compiler's cheaper forms (sh:class and sh:or of classes as a MINUS of the typed
    values; sh:datatype as one DATATYPE test; one conjunction as the pre-filter of several
    value constraints) against pySHACL on the values where they could differ: IRIs, blank
    nodes, tagged and ill-formed literals for a datatype; literals, subclass members and
    untyped nodes for a class."""
    shapes = Graph()
    shapes.parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
      @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
      ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:path ex:s ; sh:datatype xsd:string ; sh:pattern "^[a-z]+$" ; sh:minLength 2 ] ,
          [ sh:path ex:d ; sh:datatype xsd:date ] ,
          [ sh:path ex:t ; sh:datatype <http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> ] ,
          [ sh:path ex:k ; sh:class ex:K ] ,
          [ sh:path ex:o ; sh:or ( [ sh:class ex:K ] [ sh:class ex:L ] ) ] ,
          [ sh:path ex:m ; sh:class ex:K ; sh:nodeKind sh:IRI ] .
      ex:N a sh:NodeShape ; sh:targetClass ex:Sub ; sh:class ex:K .""", format="turtle")
    data = Graph()
    data.parse(data="""@prefix ex: <https://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
      @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
      ex:K2 rdfs:subClassOf ex:K .
      ex:a a ex:C ; ex:s "ok", "x", "Bad1", "tagged"@en, ex:iri, [ ex:q 1 ], "12"^^xsd:integer,
          "typed"^^xsd:string ;
        ex:d "2020-01-02"^^xsd:date, "2020-13-45"^^xsd:date, "2020-01-02", ex:iri ;
        ex:t "tagged"@en, "plain", ex:iri, [ ex:q 2 ], 3 ;
        ex:k ex:k1, ex:k2, ex:untyped, "lit", [ a ex:K ] ;
        ex:o ex:k1, ex:l1, ex:untyped, "lit" ;
        ex:m ex:k1, ex:untyped, [ a ex:K ] .
      ex:k1 a ex:K . ex:k2 a ex:K2 . ex:l1 a ex:L .
      ex:sub1 a ex:Sub , ex:K . ex:sub2 a ex:Sub . ex:sub3 a ex:Sub , ex:K2 .
      ex:other ex:s 5 ; ex:k "not a focus node" .""", format="turtle")
    st = store_of_graph(data)
    ours = validate_store_sparql(st, shapes)
    ref = validate_graph(st.union_graph(), shapes)
    a, b = set(map(_key, ours.results)), set(map(_key, ref.results))
    assert a == b, f"only SPARQL engine: {sorted(a - b)}\nonly pySHACL: {sorted(b - a)}"
    comps = {str(r.constraint).rsplit("#", 1)[-1] for r in ours.results}
    assert {"DatatypeConstraintComponent", "PatternConstraintComponent", "MinLengthConstraintComponent",
            "ClassConstraintComponent", "OrConstraintComponent", "NodeKindConstraintComponent"} <= comps
    assert len(a) >= 15


def test_class_checks_give_the_same_rows_hashed_or_looked_up() -> None:
    """A class check has two forms (the scan MINUS the class members, or an EXISTS lookup per
    row; the runner picks one by capped counts): both return the same rows."""
    from mandategraph.validate.sparql_run import _rows
    from mandategraph.validate.sparql_compile import data_subclasses

    buf = io.StringIO()
    write_nquads(buf, 150, seed=5, violation_share=0.05)
    st = OxigraphStore(None)
    st.ox.bulk_load(buf.getvalue().encode(), format=ox.RdfFormat.N_QUADS)
    for i, path in enumerate(SHAPE_FILES):  # the shape tests bring the class violations
        st.ox.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"urn:x-test:{i}"))
    checks = [c for c in compile_checks(shapes_graph(), data_subclasses(st)) if c.per_row]
    assert len(checks) >= 10 and all(c.members for c in checks)
    rows = 0
    for c in checks:
        hashed = {tuple(sorted(r.items())) for r in _rows(st, c.query)}
        looked_up = {tuple(sorted(r.items())) for r in _rows(st, c.per_row)}
        assert hashed == looked_up, c.shape
        rows += len(hashed)
    assert rows >= 5


def test_maxcount_precheck_skips_only_when_no_subject_has_two_values() -> None:
    """maxCount first compares path solutions with distinct subjects: equal means no subject
    has two values (the grouped query is skipped), a second value makes them differ."""
    from mandategraph.validate.sparql_run import _check_results, _rows

    shapes = Graph()
    shapes.parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
      ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] .""",
                 format="turtle")
    (check,) = [c for c in compile_checks(shapes) if c.precheck]
    one = store_of_graph(Graph().parse(data="""@prefix ex: <https://example.org/> .
      ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p 2 .""", format="turtle"))
    pre = next(_rows(one, check.precheck))
    assert pre["n"] == pre["d"] and not list(_check_results(one, check))
    two = store_of_graph(Graph().parse(data="""@prefix ex: <https://example.org/> .
      ex:a a ex:C ; ex:p 1, 3 . ex:b a ex:C ; ex:p 2 .""", format="turtle"))
    pre = next(_rows(two, check.precheck))
    assert pre["n"] != pre["d"]
    assert [str(r.focus) for r in _check_results(two, check)] == ["https://example.org/a"]


def test_copies_of_a_triple_in_several_source_graphs_give_one_result_each() -> None:
    """Every source that cites an instrument or a document declares its number or symbol in
    its own graph; the union keeps each copy. The key constraints (their shp:wholeGraphSelect)
    must give each result once, as pySHACL does on the merged graph, not once per pair of
    copies."""
    from mandategraph.validate.sparql_shapes import WHOLE_GRAPH_SELECT

    sg = shapes_graph()
    assert len(set(sg.subjects(WHOLE_GRAPH_SELECT, None))) >= 2
    # the SPARQL engine compiles the whole-graph form (pySHACL reads sh:select)
    by_shape = {str(c.shape).rsplit("#", 1)[1]: c.query for c in compile_checks(sg)}
    assert "SELECT DISTINCT ?this ?value WHERE { ?this un:number ?value }" in by_shape["InstrumentKeyShape"]
    assert "HAVING (COUNT(DISTINCT ?x) > 1)" in by_shape["SymbolUniqueShape"]
    data = ""
    for case in ("instrument/invalid-duplicate-key.ttl", "document/invalid-symbol-duplicate.ttl"):
        data += (TESTS / "shapes" / case).read_text(encoding="utf-8") + "\n"
    g = Graph()
    g.parse(data=data, format="turtle")
    st = OxigraphStore(None)
    for k in range(4):  # the same triples from four sources
        st.replace_graph(f"urn:x-test:source-{k}", list(g))
    ours = compare(st)
    keyed = [r for r in ours.results if str(r.source_shape).endswith(("InstrumentKeyShape", "SymbolUniqueShape"))]
    assert len(keyed) == len(set(map(_key, keyed))) >= 4
