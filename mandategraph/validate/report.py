"""Validation results, outcomes and reports (shared by every engine), and the shapes graph.

Shapes are the Turtle files of ``shapes/``. Violations make a graph non-conforming; warnings
(for example a fact without provenance) are reported but do not. Exit codes used by the CLI:
0 conforms, 1 violations, 2 error.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ..core.namespaces import SH
from ..core.resources import asset_files

SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class ValidationResult:
    focus: Node
    path: Node | None
    severity: str
    source_shape: Node
    constraint: Node | None
    message: str
    value: Node | None

    def line(self) -> str:
        path = f" {self.path.n3()}" if isinstance(self.path, URIRef) else ""
        value = f" (value {self.value})" if self.value is not None else ""
        return f"{self.severity}: <{self.focus}>{path}: {self.message}{value} [{self.source_shape}]"


@dataclass(frozen=True)
class ValidationOutcome:
    results: tuple[ValidationResult, ...]
    report: Graph

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def text(self) -> str:
        head = (f"Conforms: {'yes' if self.conforms else 'no'} - {len(self.violations)} violation(s), "
                f"{len(self.warnings)} warning(s), {len(self.results)} result(s) in all")
        return "\n".join([head, *sorted(r.line() for r in self.results)])


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    g = Graph()
    for f in asset_files("shapes", ".ttl"):
        g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return g


def _results(report: Graph) -> tuple[ValidationResult, ...]:
    out = []
    for r in report.subjects(SH.resultSeverity, None):
        msgs = [str(m) for m in report.objects(r, SH.resultMessage)]
        out.append(ValidationResult(
            focus=report.value(r, SH.focusNode),
            path=report.value(r, SH.resultPath),
            severity=SEVERITY.get(report.value(r, SH.resultSeverity), "Violation"),
            source_shape=report.value(r, SH.sourceShape),
            constraint=report.value(r, SH.sourceConstraintComponent),
            message=msgs[0] if msgs else "",
            value=report.value(r, SH.value),
        ))
    return tuple(out)


def report_graph(results: tuple[ValidationResult, ...], shapes: Graph | None = None) -> Graph:
    """A SHACL validation report graph (sh:ValidationReport) for the results."""
    g = Graph()
    g.bind("sh", SH)
    rep = BNode()
    g.add((rep, RDF.type, SH.ValidationReport))
    g.add((rep, SH.conforms, Literal(not any(r.severity == "Violation" for r in results))))
    sg = shapes if shapes is not None else shapes_graph()
    sev = {v: k for k, v in SEVERITY.items()}
    for r in results:
        n = BNode()
        g.add((rep, SH.result, n))
        g.add((n, RDF.type, SH.ValidationResult))
        g.add((n, SH.focusNode, r.focus))
        g.add((n, SH.resultSeverity, sev.get(r.severity, SH.Violation)))
        g.add((n, SH.sourceShape, r.source_shape))
        if r.constraint is not None:
            g.add((n, SH.sourceConstraintComponent, r.constraint))
        if r.path is not None:
            g.add((n, SH.resultPath, r.path))
            if isinstance(r.path, BNode):  # copy the path structure so the report stands alone
                for t in sg.triples((r.path, None, None)):
                    g.add(t)
        if r.value is not None:
            g.add((n, SH.value, r.value))
        if r.message:
            g.add((n, SH.resultMessage, Literal(r.message)))
    return g
