"""The W3C SHACL test suite (core + SHACL-SPARQL), run against an engine, judged by the suite's rule.

The suite is vendored in ``tests/w3c/data-shapes/`` (README there: provenance and licence). Its
``index.html`` ("Validate RDF data", full compliance) states how a report is compared; this
module does exactly that:

- expected = the triples of the manifest whose subject is ``R`` (the ``mf:result`` node), the
  triples of each ``sh:result`` of ``R``, and the structure of each ``sh:resultPath``;
- actual = the engine's report, post-processed as the suite allows: no ``sh:details``; report
  and results typed only ``sh:ValidationReport`` / ``sh:ValidationResult`` and blank; only the
  predicates rdf:type, sh:result, sh:conforms, sh:focusNode, sh:resultPath (with its structure,
  cloned per result), sh:resultSeverity, sh:sourceConstraint, sh:sourceConstraintComponent,
  sh:sourceShape, sh:value kept; ``sh:resultMessage`` kept only for objects that the expected
  graph has as a message;
- pass when the two graphs are isomorphic; a test whose ``mf:result`` is ``sht:Failure``
  passes when the engine reports a failure (raises).

Outcomes: ``pass``, ``fail`` (a report that is not the expected one), ``refused`` (the engine
raised :class:`UnsupportedShape`, before any query ran), ``error`` (anything else raised).
``wrong_conforms`` marks a report whose ``sh:conforms`` is true where the suite expects false:
the silent failure the project must never have (issue 16).

Used by ``tests/test_w3c_shacl.py`` (one expected-pass list per engine in
``tests/w3c/expected/<engine>.txt``) and by ``bench/run.py`` (pass counts beside the timings).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH
from rdflib.term import Node

SUITE = Path(__file__).resolve().parent / "w3c" / "data-shapes" / "tests"
EXPECTED = Path(__file__).resolve().parent / "w3c" / "expected"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
_KEPT = {SH.focusNode, SH.resultSeverity, SH.sourceConstraint, SH.sourceConstraintComponent,
         SH.sourceShape, SH.value}


@dataclass(frozen=True)
class SuiteTest:
    name: str  # path of the test file below tests/, without .ttl, e.g. "core/node/and-001"
    manifest: Path
    data: Path
    shapes: Path
    expect_failure: bool
    status: str


@dataclass(frozen=True)
class Outcome:
    test: str
    outcome: str  # pass | fail | refused | error
    wrong_conforms: bool = False
    detail: str = ""
    seconds: float = 0.0


def _uri(m: URIRef | Path) -> URIRef:
    return URIRef(Path(m).resolve().as_uri()) if isinstance(m, Path) else m


def _parse(path: Path) -> Graph:
    g = Graph()
    g.parse(path, format="turtle", publicID=_uri(path))
    return g


def tests(root: Path = SUITE) -> list[SuiteTest]:
    """Every sht:Validate entry reachable from the root manifest, in manifest order."""
    out: list[SuiteTest] = []
    seen: set[Path] = set()

    def walk(path: Path) -> None:
        path = path.resolve()
        if path in seen:
            return
        seen.add(path)
        g = _parse(path)
        me = _uri(path)
        for inc in g.objects(me, URIRef(MF + "include")):
            walk(Path(str(inc).removeprefix("file://")))
        for lst in g.objects(me, URIRef(MF + "entries")):
            for entry in Collection(g, lst):
                if (entry, RDF.type, URIRef(SHT + "Validate")) not in g:
                    continue
                action = g.value(entry, URIRef(MF + "action"))
                data = Path(str(g.value(action, URIRef(SHT + "dataGraph"))).removeprefix("file://"))
                shapes = Path(str(g.value(action, URIRef(SHT + "shapesGraph"))).removeprefix("file://"))
                result = g.value(entry, URIRef(MF + "result"))
                status = str(g.value(entry, URIRef(MF + "status")) or "").rsplit("#", 1)[-1]
                name = str(Path(str(entry).removeprefix("file://")).relative_to(root.resolve()))
                out.append(SuiteTest(name, path, data, shapes, result == URIRef(SHT + "Failure"), status))

    walk(root / "manifest.ttl")
    return out


def _copy_path(src: Graph, node: Node, dst: Graph) -> Node:
    """Copy a path structure (lists, sh:inversePath ...) into ``dst`` with fresh blank nodes."""
    if not isinstance(node, BNode):
        return node
    fresh = BNode()
    for p, o in src.predicate_objects(node):
        dst.add((fresh, p, _copy_path(src, o, dst)))
    return fresh


def expected_graph(manifest: Graph, result: Node) -> Graph:
    g = Graph()
    for p, o in manifest.predicate_objects(result):
        g.add((result, p, o))
    for r in manifest.objects(result, SH.result):
        for p, o in manifest.predicate_objects(r):
            g.add((r, p, _copy_path(manifest, o, g) if p == SH.resultPath else o))
    return g


def normalised_report(report: Graph, messages: set[Node]) -> Graph:
    """The engine's report reduced as the suite's rule says (module doc)."""
    g = Graph()
    reps = list(report.subjects(RDF.type, SH.ValidationReport))
    if len(reps) != 1:
        raise AssertionError(f"{len(reps)} sh:ValidationReport nodes in the report")
    rep = BNode()
    g.add((rep, RDF.type, SH.ValidationReport))
    for c in report.objects(reps[0], SH.conforms):
        g.add((rep, SH.conforms, c))
    for r in report.objects(reps[0], SH.result):
        n = BNode()
        g.add((rep, SH.result, n))
        g.add((n, RDF.type, SH.ValidationResult))
        for p, o in report.predicate_objects(r):
            if p in _KEPT:
                g.add((n, p, o))
            elif p == SH.resultPath:
                g.add((n, p, _copy_path(report, o, g)))
            elif p == SH.resultMessage and o in messages:
                g.add((n, p, o))
    return g


#: an engine: (data graph, shapes graph) -> report graph; raises to report a failure
Engine = Callable[[Graph, Graph], Graph]


def run_test(t: SuiteTest, engine: Engine, unsupported: tuple[type[BaseException], ...] = ()) -> Outcome:
    manifest = _parse(t.manifest)
    data = manifest if t.data == t.manifest else _parse(t.data)
    shapes = manifest if t.shapes == t.manifest else (data if t.shapes == t.data else _parse(t.shapes))
    start = time.perf_counter()
    try:
        report = engine(data, shapes)
    except unsupported as e:
        secs = time.perf_counter() - start
        if t.expect_failure:
            return Outcome(t.name, "pass", detail=f"failure reported (refused): {e}", seconds=secs)
        return Outcome(t.name, "refused", detail=str(e), seconds=secs)
    except Exception as e:  # noqa: BLE001 - the suite's failure tests expect an error
        secs = time.perf_counter() - start
        if t.expect_failure:
            return Outcome(t.name, "pass", detail=f"failure reported: {type(e).__name__}: {e}", seconds=secs)
        return Outcome(t.name, "error", detail=f"{type(e).__name__}: {e}"[:500], seconds=secs)
    secs = time.perf_counter() - start
    if t.expect_failure:
        return Outcome(t.name, "fail", detail="a report where the suite expects a failure", seconds=secs)
    entry = _entry(manifest, t)
    result = manifest.value(entry, URIRef(MF + "result"))
    expected = expected_graph(manifest, result)
    messages = set(expected.objects(None, SH.resultMessage))
    try:
        actual = normalised_report(report, messages)
    except AssertionError as e:
        return Outcome(t.name, "fail", detail=str(e), seconds=secs)
    exp_conforms = next(iter(expected.objects(result, SH.conforms)), None)
    act_conforms = next(iter(actual.objects(None, SH.conforms)), None)
    wrong = exp_conforms == Literal(False) and act_conforms == Literal(True)
    if isomorphic(expected, actual):
        return Outcome(t.name, "pass", seconds=secs)
    return Outcome(t.name, "fail", wrong_conforms=wrong, seconds=secs,
                   detail=f"expected {len(set(expected.objects(None, SH.result)))} result(s), "
                          f"got {len(set(actual.objects(None, SH.result)))}; conforms "
                          f"{act_conforms} (expected {exp_conforms})")


def _entry(manifest: Graph, t: SuiteTest) -> Node:
    base = str(_uri(t.manifest))
    for s in manifest.subjects(RDF.type, URIRef(SHT + "Validate")):
        if str(s).removeprefix("file://").endswith("/" + t.name):
            return s
    raise KeyError(f"{t.name} not in {base}")


def run_suite(engine: Engine, unsupported: tuple[type[BaseException], ...] = ()) -> list[Outcome]:
    return [run_test(t, engine, unsupported) for t in tests()]


def expected_passes(engine: str) -> set[str]:
    f = EXPECTED / f"{engine}.txt"
    return {ln.strip() for ln in f.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")}


def summary(outcomes: list[Outcome]) -> dict:
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.outcome] = counts.get(o.outcome, 0) + 1
    return {"tests": len(outcomes), **counts,
            "wrong_conforms": sorted(o.test for o in outcomes if o.wrong_conforms)}


def write_expected(engine: str, outcomes: list[Outcome]) -> Path:
    """Write ``tests/w3c/expected/<engine>.txt``: the passing tests, the others as comments."""
    EXPECTED.mkdir(parents=True, exist_ok=True)
    passed = sorted(o.test for o in outcomes if o.outcome == "pass")
    others = sorted((o.test, o.outcome, o.detail) for o in outcomes if o.outcome != "pass")
    lines = [(f"# W3C SHACL core + SPARQL suite: tests the {engine!r} engine passes ({len(passed)} of "
              f"{len(outcomes)}), one per line."),
             "# Written by `python tests/w3c_shacl.py ENGINE`; tests/test_w3c_shacl.py fails when the engine",
             "# passes fewer. Not passed (outcome: detail):"]
    lines += [f"#   {t} ({oc}: {d[:160]})".replace("\n", " ") for t, oc, d in others]
    f = EXPECTED / f"{engine}.txt"
    f.write_text("\n".join(lines + passed) + "\n", encoding="utf-8")
    return f


if __name__ == "__main__":  # pragma: no cover - regenerate an expected list
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from mandategraph.validate.engines import validate_graph_with
    from mandategraph.validate.sparql_support import UnsupportedShape

    for name in sys.argv[1:]:
        res = run_suite(lambda d, s, n=name: validate_graph_with(d, n, s).report, (UnsupportedShape,))
        print(name, summary(res), write_expected(name, res))
