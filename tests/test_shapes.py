"""The SHACL shapes, tested with data: tests/shapes/<shapes file>/{valid,invalid}-*.ttl.

Every file is validated against the whole shapes graph (as ``mandategraph validate`` does), and
its results must be exactly the ``# expect: <focus> <source shape> <severity>`` lines it holds
(see tests/shapes/README.md). The shapes themselves are checked against SHACL-for-SHACL and
against the project's own rules (comments, named property shapes, the subset of SHACL that
can be compiled into SPARQL).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from mandategraph.core.resources import asset_files
from mandategraph.symbols import try_parse
from mandategraph.validate.sparql_support import check_shapes
from mandategraph.validate.report import shapes_graph
from mandategraph.validate.pyshacl_engine import validate_graph

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "shapes"
SHAPES_DIR = ROOT / "shapes"
FILES = sorted(CASES.glob("*/*.ttl"))
EXPECT = re.compile(r"^#\s*expect:\s*(\S+)\s+(\S+)\s+(Violation|Warning|Info)\s*$")


def _term(token: str, g: Graph) -> URIRef:
    if token.startswith("<") and token.endswith(">"):
        return URIRef(token[1:-1])
    return URIRef(g.namespace_manager.expand_curie(token))


def expectations(path: Path, g: Graph) -> Counter:
    out: Counter = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        m = EXPECT.match(line.strip())
        if m:
            out[(_term(m.group(1), g), _term(m.group(2), g), m.group(3))] += 1
        elif line.strip().startswith("# expect"):
            raise AssertionError(f"{path}: malformed expectation line {line!r}")
    return out


def test_every_shapes_file_has_cases() -> None:
    families = {p.stem for p in SHAPES_DIR.glob("*.ttl")} - {"prefixes"}
    have = {p.name for p in CASES.iterdir() if p.is_dir()}
    assert families <= have, f"shapes files without test cases: {sorted(families - have)}"
    for fam in families:
        names = [p.name for p in (CASES / fam).glob("*.ttl")]
        assert any(n.startswith("valid-") for n in names), f"{fam}: no valid-*.ttl case"
        assert sum(n.startswith("invalid-") for n in names) >= 2, f"{fam}: fewer than 2 invalid cases"


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shape_case(path: Path) -> None:
    assert path.name.startswith(("valid-", "invalid-")), f"{path}: name must start with valid- or invalid-"
    data = Graph()
    data.parse(path, format="turtle")
    expected = expectations(path, data)
    outcome = validate_graph(data)
    got = Counter((r.focus, r.source_shape, r.severity) for r in outcome.results)
    blank = [r for r in outcome.results if isinstance(r.focus, BNode)]
    assert not blank, f"{path.name}: results on blank nodes cannot be named in a case:\n" + \
        "\n".join(r.line() for r in blank)
    if path.name.startswith("valid-"):
        assert not outcome.violations, f"{path.name}: a valid case has violations:\n{outcome.text()}"
        if "warning" not in path.name:
            assert not outcome.warnings, f"{path.name}: warnings in a case not named *warning*:\n{outcome.text()}"
        else:
            assert expected, f"{path.name}: named *warning* but expects none"
    else:
        assert expected, f"{path.name}: an invalid case must list its expected results"
    missing, extra = expected - got, got - expected
    assert not missing and not extra, (
        f"{path.name}:\n  expected but not reported: {sorted(missing)}\n"
        f"  reported but not expected: {sorted(extra)}\n{outcome.text()}")


# ------------------------------------------------------------------------ the shapes themselves

SEVERITIES = {SH.Violation, SH.Warning, SH.Info}
#: The SHACL subset the SPARQL compiler (mandategraph.validate.sparql_compile) is asked to support.
ALLOWED = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property, SH.path,
           SH.inversePath, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH["in"],
           SH.pattern, SH.minLength, SH.minInclusive, SH.maxInclusive, SH.nodeKind,
           SH.lessThan, SH.lessThanOrEquals, SH["or"], SH["not"], SH.uniqueLang, SH.sparql,
           SH.select, SH.prefixes, SH.alternativePath, SH.declare, SH.prefix, SH.namespace, SH.message,
           SH.severity}


def _simple_path(g: Graph, path, top: bool = False) -> bool:
    if isinstance(path, URIRef):
        return True
    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        return isinstance(inverse, URIRef)
    if not top:
        return False
    alternative = g.value(path, SH.alternativePath)
    members = list(g.items(alternative if alternative is not None else path))
    return len(members) >= 2 and all(_simple_path(g, m) for m in members)


def _shapes(g: Graph) -> set:
    return set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))


def test_shapes_conform_to_shacl_shacl() -> None:
    """pySHACL's bundled SHACL-for-SHACL graph (the W3C one) accepts our shapes graph."""
    import pyshacl

    from pyshacl.errors import ReportableRuntimeError

    assert Path(pyshacl.__file__).with_name("assets").joinpath("shacl-shacl.ttl").is_file()
    # meta_shacl validates the shapes graph against SHACL-for-SHACL first and raises if it does
    # not conform; the data graph here is empty, so the run itself must conform.
    try:
        conforms, _report, text = pyshacl.validate(Graph(), shacl_graph=shapes_graph(),
                                                   meta_shacl=True, inference="none")
    except ReportableRuntimeError as e:
        pytest.fail(f"shapes/ does not conform to SHACL-for-SHACL: {e}")
    assert conforms, text


def test_meta_shacl_catches_a_broken_shape() -> None:
    """The meta check is real: a shape with a malformed minCount is rejected."""
    import pyshacl
    from pyshacl.errors import ReportableRuntimeError

    bad = Graph()
    bad.parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:minCount "one" ] .
    """, format="turtle")
    with pytest.raises(ReportableRuntimeError):
        pyshacl.validate(Graph(), shacl_graph=bad, meta_shacl=True)


def test_shapes_subset_rules() -> None:
    g = shapes_graph()
    shapes = _shapes(g)
    assert len(shapes) > 60
    for s in shapes:
        assert isinstance(s, URIRef), f"shape {s} must be named (tests assert sh:sourceShape IRIs)"
        comments = [c for c in g.objects(s, RDFS.comment) if isinstance(c, Literal) and c.language == "en"]
        assert comments and str(comments[0]).strip(), f"shape {s} has no English rdfs:comment"
        for sev in g.objects(s, SH.severity):
            assert sev in SEVERITIES, f"shape {s}: sh:severity {sev} not in {SEVERITIES}"
    for ns in g.subjects(RDF.type, SH.NodeShape):
        for ps in g.objects(ns, SH.property):
            assert g.value(ps, SH.path) is not None, f"{ns}: property shape {ps} has no sh:path"
            assert (ps, RDF.type, SH.PropertyShape) in g, f"{ps} must be typed sh:PropertyShape"
        targets = [p for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
                   if g.value(ns, p) is not None]
        assert targets, f"node shape {ns} has no target"
    for ps in g.subjects(RDF.type, SH.PropertyShape):
        assert _simple_path(g, g.value(ps, SH.path), top=True), (
            f"{ps}: paths are an IRI, [ sh:inversePath IRI ], or a sequence or sh:alternativePath "
            "of those (each compiles to a SPARQL property path)")
    used = {p for p in g.predicates() if str(p).startswith(str(SH))}
    assert used <= ALLOWED, f"SHACL features outside the compiled subset: {sorted(used - ALLOWED)}"
    # the real guard: the compiled engine's structural walk accepts every shape, in its place
    # (a predicate list cannot see sh:property inside an sh:or member, say: issue 16)
    check_shapes(g)


def test_sparql_constraints_have_messages_and_prefixes() -> None:
    g = shapes_graph()
    constraints = list(g.objects(None, SH.sparql))
    assert len(constraints) >= 3
    declared = {str(g.value(d, SH.prefix)) for d in g.objects(None, SH.declare)}
    for c in constraints:
        assert g.value(c, SH.message) is not None, f"SPARQL constraint {c} has no sh:message"
        select = str(g.value(c, SH.select))
        assert "$this" in select
        used = set(re.findall(r"\b([a-z]+):[A-Za-z]", select))
        assert used <= declared, f"undeclared prefixes {used - declared} in {select}"


def test_shapes_assets_are_the_checkout_files() -> None:
    """validate/pyshacl_engine.py reads shapes through resources; the checkout folder and the asset agree."""
    names = [f.name for f in asset_files("shapes", ".ttl")]
    assert names == sorted(p.name for p in SHAPES_DIR.glob("*.ttl"))


# ------------------------------------------------------------------------ symbol pattern vs. parser

def _symbol_pattern() -> re.Pattern:
    g = shapes_graph()
    return re.compile(str(g.value(URIRef("https://w3id.org/mandategraph/shapes#Document-symbol"), SH.pattern)))


@pytest.mark.parametrize("text", [
    "A/RES/80/1", "S/RES/1325 (2000)", "E/CN.4/Sub.2/1999/1", "A/ES-10/L.1", "UNEP/EA.5/Res.1",
    "A/RES/3363 (XXX)", "CTOC/COP/WG.2/2024/2", "ctoc/cop/2024/crp.3", "A/80/251*",
    "A/C.3/80/L.5/Rev.1", "CTOC/COP/2024/INF/1", "E/2001/28", "S/PV.9999 (Resumption 1)",
    "A/S-20/2", "E/CN.7/2024/17–E/CN.15/2024/18", "A / 80 / 1", "A/80/1/Summary",
])
def test_symbol_pattern_accepts_every_identifier_the_parser_writes(text: str) -> None:
    parsed = try_parse(text)
    assert parsed is not None, text
    pattern = _symbol_pattern()
    for part in parsed.parts:
        assert pattern.match(part.identifier), f"{part.identifier!r} (from {text!r}) fails the shape pattern"
    if parsed.is_joint or parsed.reissue:
        assert not pattern.match(parsed.canonical), f"{parsed.canonical!r} must not be a single key"


@pytest.mark.parametrize("text", ["a/80/1", "A//1", "A/80/1/", "A", "A/80/1 (2000", "A/80/1-A/80/2",
                                  "A/80/1*", "A 80 1", "/A/80"])
def test_symbol_pattern_rejects_non_canonical(text: str) -> None:
    assert not _symbol_pattern().match(text)
