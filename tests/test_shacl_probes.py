"""Probes of the SHACL forms a validator gets wrong silently (issue 16), on every engine.

Each probe is valid SHACL with data that violates it. Every engine must either refuse it
(``UnsupportedShape`` / ``ValidationFailed``, before any query) or give pySHACL's results --
never ``sh:conforms true``. Report fidelity (custom severities, message language tags, whole
result-path lists, one result per spec result) is checked on the report graphs themselves.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from mandategraph.validate.engines import validate_graph_with
from mandategraph.validate.report import ValidationFailed
from mandategraph.validate.sparql_support import UnsupportedShape

ENGINES = ("pyshacl", "turbo", "sparql")
PRE = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""
EX = "http://example.org/"

PROBES: dict[str, str] = {
    "property-in-and": """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:and ( [ sh:property [ sh:path ex:p ; sh:minCount 1 ] ] ) .
        ex:a a ex:C .""",
    "property-in-or": """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:or ( [ sh:property [ sh:path ex:p ; sh:minCount 1 ] ] [ sh:property [ sh:path ex:q ; sh:minCount 1 ] ] ) .
        ex:a a ex:C .""",
    "property-in-xone": """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:xone ( [ sh:property [ sh:path ex:p ; sh:minCount 1 ] ] [ sh:property [ sh:path ex:q ; sh:minCount 1 ] ] ) .
        ex:a a ex:C ; ex:p 1 ; ex:q 2 .""",
    "property-in-not": """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:not [ sh:property [ sh:path ex:p ; sh:minCount 1 ] ] .
        ex:a a ex:C ; ex:p 1 .""",
    "nested-property": """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:path ex:p ; sh:property [ sh:path ex:q ; sh:minCount 1 ] ] .
        ex:a a ex:C ; ex:p ex:b .""",
    "this-in-filter": """ex:S a sh:NodeShape ; sh:targetNode ex:a ;
        sh:sparql [ sh:select "SELECT $this WHERE { FILTER ($this = <http://example.org/a>) }" ] .
        ex:a ex:p 1 .""",
    "this-in-union": """ex:S a sh:NodeShape ; sh:targetNode ex:a ;
        sh:sparql [ sh:select "SELECT $this WHERE { { FILTER (false) } UNION { FILTER ($this = <http://example.org/a>) } }" ] .
        ex:a ex:p 1 .""",
    "this-in-bind": """ex:S a sh:NodeShape ; sh:targetNode ex:a ;
        sh:sparql [ sh:select "SELECT $this WHERE { BIND ($this AS ?that) FILTER (?that = <http://example.org/a>) }" ] .
        ex:a ex:p 1 .""",
    "this-in-subselect": """ex:S a sh:NodeShape ; sh:targetNode ex:a ;
        sh:sparql [ sh:select "SELECT $this WHERE { { SELECT $this WHERE { FILTER ($this = <http://example.org/a>) } } }" ] .
        ex:a ex:p 1 .""",
    "deactivated-member": """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:not [ sh:deactivated true ; sh:class ex:Nothing ] .
        ex:a a ex:C .""",
    "af-sparql-target": """ex:S a sh:NodeShape ;
        sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this ex:p ?x }" ] ;
        sh:property [ sh:path ex:q ; sh:minCount 1 ] .
        ex:a ex:p 1 .""",
    "lessThan-pairs": """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:path ex:start ; sh:lessThan ex:end ] .
        ex:a a ex:C ; ex:start 5 ; ex:end 3, 4 .""",
    "uniqueLang-per-language": """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:path ex:label ; sh:uniqueLang true ] .
        ex:a a ex:C ; ex:label "a"@en, "b"@en, "c"@fr, "d"@fr, "e"@de .""",
    "custom-severity": """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:severity ex:Critical ;
        sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:severity ex:Critical ] .
        ex:a a ex:C .""",
    "message-languages": """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "p is missing"@en, "缺少 p"@zh ] .
        ex:a a ex:C .""",
    "resultPath-list": """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:path ( ex:p [ sh:inversePath ex:q ] ) ; sh:datatype xsd:string ] .
        ex:a a ex:C ; ex:p ex:b . ex:c ex:q ex:b .""",
    "datatype-int": """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:path ex:p ; sh:datatype xsd:int ] .
        ex:a a ex:C ; ex:p "5"^^xsd:integer .""",
    "datatype-byte": """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:path ex:p ; sh:datatype xsd:byte ] .
        ex:a a ex:C ; ex:p "300"^^xsd:byte .""",
    "datatype-nonNegativeInteger": """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:path ex:p ; sh:datatype xsd:nonNegativeInteger ] .
        ex:a a ex:C ; ex:p "-1"^^xsd:nonNegativeInteger .""",
    "recursive-node": """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:R .
        ex:R a sh:NodeShape ; sh:property [ sh:path ex:next ; sh:node ex:R ] ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .
        ex:a a ex:C ; ex:next ex:b . ex:b ex:p 1 ; ex:next ex:c .""",
    "node-with-property-shapes": """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:path ex:address ; sh:node ex:Address ] .
        ex:Address a sh:NodeShape ; sh:property [ sh:path ex:city ; sh:minCount 1 ] .
        ex:a a ex:C ; ex:address ex:addr . ex:addr ex:street "x" .""",
    "annotations-ignored": """ex:S a sh:NodeShape ; sh:targetClass ex:C ; rdfs:subClassOf ex:Other ;
        skos:definition "a shape with annotations" ;
        sh:property [ sh:path ex:p ; sh:minCount 1 ; skos:note "annotated" ] .
        ex:a a ex:C .""",
}
#: probes an engine must answer (not refuse): annotations are never a reason to refuse
MUST_ANSWER = {"annotations-ignored", "node-with-property-shapes", "property-in-or", "property-in-and",
               "property-in-xone", "property-in-not", "lessThan-pairs", "uniqueLang-per-language", "custom-severity",
               "message-languages", "resultPath-list", "deactivated-member"}


def _graph(name: str) -> Graph:
    g = Graph()
    g.parse(data=PRE + PROBES[name], format="turtle")
    return g


def _key(r) -> tuple:
    path = str(r.path) if isinstance(r.path, URIRef) else ("complex" if r.path is not None else None)
    value = "_:b" if isinstance(r.value, BNode) else (None if r.value is None else r.value.n3())
    shape = "_:shape" if isinstance(r.source_shape, BNode) else str(r.source_shape)
    return (str(r.focus), path, r.severity, shape, str(r.constraint), value)


def _run(engine: str, name: str):
    g = _graph(name)
    try:
        return validate_graph_with(g, engine, g)
    except (UnsupportedShape, ValidationFailed) as e:
        return e


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", sorted(PROBES))
def test_probe_is_refused_or_right(engine: str, name: str) -> None:
    out = _run(engine, name)
    if isinstance(out, Exception):
        assert name not in MUST_ANSWER, f"{engine} refused {name}: {out}"
        if engine == "sparql":
            assert "shape " in str(out), f"the refusal does not name the shape: {out}"
        return
    assert not out.conforms, f"{engine}: silent sh:conforms true on {name}"
    assert (None, SH.conforms, Literal(False)) in out.report
    ref = _run("pyshacl", name)
    assert not isinstance(ref, Exception), f"pySHACL refused {name}: {ref}"
    got, want = Counter(map(_key, out.results)), Counter(map(_key, ref.results))
    assert got == want, f"{engine} on {name}:\n  only here: {got - want}\n  only pySHACL: {want - got}"


@pytest.mark.parametrize("engine", ENGINES)
def test_one_result_per_spec_result(engine: str) -> None:
    assert len(_run(engine, "lessThan-pairs").results) == 2  # (5, 3) and (5, 4)
    assert len(_run(engine, "uniqueLang-per-language").results) == 2  # en and fr


@pytest.mark.parametrize("engine", ENGINES)
def test_report_keeps_custom_severity_and_message_languages(engine: str) -> None:
    rep = _run(engine, "custom-severity").report
    assert set(rep.objects(None, SH.resultSeverity)) == {URIRef(EX + "Critical")}
    out = _run(engine, "message-languages")
    msgs = set(out.report.objects(None, SH.resultMessage))
    assert msgs == {Literal("p is missing", lang="en"), Literal("缺少 p", lang="zh")}, msgs
    assert set(out.results[0].messages) == msgs


@pytest.mark.parametrize("engine", ENGINES)
def test_report_has_the_whole_result_path(engine: str) -> None:
    rep = _run(engine, "resultPath-list").report
    paths = list(rep.objects(None, SH.resultPath))
    assert paths, "no sh:resultPath"
    for p in paths:
        items = list(Collection(rep, p))
        assert items[0] == URIRef(EX + "p")
        assert rep.value(items[1], SH.inversePath) == URIRef(EX + "q")


def test_sparql_engine_names_source_constraint() -> None:
    g = Graph()
    g.parse(data=PRE + """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:sparql ex:Q . ex:Q sh:select "SELECT $this WHERE { $this <http://example.org/p> ?x }" .
        ex:a a ex:C ; ex:p 1 .""", format="turtle")
    for engine in ENGINES:
        rep = validate_graph_with(g, engine, g).report
        assert set(rep.objects(None, SH.sourceConstraint)) == {URIRef(EX + "Q")}, engine


def test_refusal_before_any_query() -> None:
    """The structural walk runs on the shapes alone: no store is needed to refuse."""
    from mandategraph.validate.sparql_compile import compile_checks

    for name in ("nested-property", "af-sparql-target", "datatype-int", "datatype-byte"):
        with pytest.raises(UnsupportedShape, match="shape "):
            compile_checks(_graph(name))


def test_probe_rdf_types_are_sane() -> None:
    assert all((None, RDF.type, SH.NodeShape) in _graph(n) for n in PROBES)


SHAPE_CASES = sorted((Path(__file__).resolve().parent / "shapes").glob("*/*.ttl"))


@pytest.mark.parametrize("path", SHAPE_CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_turbo_gives_pyshacls_results_on_the_project_shape_cases(path: Path) -> None:
    """The reference engine `auto` falls back to, on every shape case of tests/shapes/."""
    from mandategraph.validate.report import shapes_graph

    data = Graph()
    data.parse(path, format="turtle")
    ref = validate_graph_with(data, "pyshacl", shapes_graph())
    out = validate_graph_with(data, "turbo", shapes_graph())
    assert Counter(map(_key, out.results)) == Counter(map(_key, ref.results))
    assert out.conforms == ref.conforms


def test_bind_before_this_is_bound_runs_per_focus() -> None:
    """A top-level BIND of $this that precedes the triple binding it: one whole-graph run would
    see $this unbound there; the compiled engine runs it per focus node, with pySHACL's results."""
    g = Graph()
    g.parse(data=PRE + """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:sparql [ sh:select "SELECT $this ?value WHERE { BIND (STR($this) AS ?s) $this <http://example.org/p> ?value . FILTER (STRSTARTS(?s, 'http://example.org/a')) }" ] .
        ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p 2 .""", format="turtle")
    for engine in ENGINES:
        out = validate_graph_with(g, engine, g)
        assert [str(r.focus) for r in out.results] == [EX + "a"], engine


def test_optional_before_this_is_bound_runs_per_focus() -> None:
    """An OPTIONAL using $this before the triple that binds it (a left join on an empty left
    side in one whole-graph run): per focus node, with pySHACL's results."""
    g = Graph()
    g.parse(data=PRE + """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:sparql [ sh:select "SELECT $this WHERE { OPTIONAL { ?x <http://example.org/cites> $this } $this a <http://example.org/C> . FILTER (!bound(?x)) }" ] .
        ex:a a ex:C . ex:b a ex:C . ex:z ex:cites ex:b .""", format="turtle")
    for engine in ENGINES:
        out = validate_graph_with(g, engine, g)
        assert [str(r.focus) for r in out.results] == [EX + "a"], engine
