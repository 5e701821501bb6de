"""Validation results, outcomes and reports (shared by every engine), and the shapes graph.

Shapes are the Turtle files of ``shapes/``. ``sh:conforms`` is the spec's: false when there is
any result, of any severity (:attr:`ValidationOutcome.conforms`). The project's rule that
warnings (for example a fact without provenance) do not fail a build is an exit-status rule of
the CLI (:attr:`ValidationOutcome.passes`: no violation): 0 passes, 1 violations, 2 error.
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


class ValidationFailed(ValueError):
    """The validation could not be run as asked (bad shapes file, an engine's failure report)."""


@dataclass(frozen=True)
class ValidationResult:
    focus: Node
    path: Node | None
    severity: str  # Violation | Warning | Info, or the IRI of a custom severity
    source_shape: Node
    constraint: Node | None  # the sh:sourceConstraintComponent
    message: str
    value: Node | None
    #: every sh:resultMessage as a literal (language tags kept); () when only ``message`` is known
    messages: tuple[Node, ...] = ()
    source_constraint: Node | None = None  # sh:sourceConstraint (the sh:sparql node)
    #: what tells apart results the spec keeps apart although their report triples are equal
    #: (the other value of an sh:lessThan pair, the language of an sh:uniqueLang duplicate)
    pair: Node | None = None

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
        """sh:Violation results and those of a custom severity (only Warning and Info are mild)."""
        return [r for r in self.results if r.severity not in ("Warning", "Info")]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        """The spec's sh:conforms: no result of any severity."""
        return not self.results

    @property
    def passes(self) -> bool:
        """The project's exit rule: no violation (warnings and infos do not fail a build)."""
        return not self.violations

    def text(self) -> str:
        head = (f"Conforms: {'yes' if self.conforms else 'no'} - {len(self.violations)} violation(s), "
                f"{len(self.warnings)} warning(s), {len(self.results)} result(s) in all"
                f"{'' if self.conforms or not self.passes else ' (no violation: passes)'}")
        return "\n".join([head, *sorted(r.line() for r in self.results)])


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    g = Graph()
    for f in asset_files("shapes", ".ttl"):
        g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return g


def severity_name(node: Node | None) -> str:
    """Violation/Warning/Info, or the IRI of a custom severity (kept, never turned into Violation)."""
    if node is None:
        return "Violation"
    return SEVERITY.get(node, str(node))


def _results(report: Graph) -> tuple[ValidationResult, ...]:
    out = []
    # the report's sh:result values only: an engine may add nested results (sh:detail) that are
    # not results of the validation (pySHACL does, for sh:node)
    tops = [r for rep in report.subjects(RDF.type, SH.ValidationReport) for r in report.objects(rep, SH.result)]
    for r in tops or report.subjects(SH.resultSeverity, None):
        msgs = tuple(sorted(report.objects(r, SH.resultMessage),
                            key=lambda m: (getattr(m, "language", "") or "", str(m))))
        out.append(ValidationResult(
            focus=report.value(r, SH.focusNode),
            path=report.value(r, SH.resultPath),
            severity=severity_name(report.value(r, SH.resultSeverity)),
            source_shape=report.value(r, SH.sourceShape),
            constraint=report.value(r, SH.sourceConstraintComponent),
            message=str(msgs[0]) if msgs else "",
            value=report.value(r, SH.value),
            messages=msgs,
            source_constraint=report.value(r, SH.sourceConstraint),
        ))
    return tuple(out)


def outcome_of_report(report: Graph) -> ValidationOutcome:
    """An engine's own report graph (pySHACL's format) as an outcome; the graph kept as it is."""
    return ValidationOutcome(_results(report), report)


def _copy_structure(src: Graph, node: Node, dst: Graph, depth: int = 0) -> None:
    """Copy the blank-node structure under ``node`` (a path: lists, sh:inversePath ...)."""
    if not isinstance(node, BNode) or depth > 64:
        return
    for p, o in src.predicate_objects(node):
        dst.add((node, p, o))
        _copy_structure(src, o, dst, depth + 1)


def report_graph(results: tuple[ValidationResult, ...], shapes: Graph | None = None) -> Graph:
    """A SHACL validation report graph (sh:ValidationReport) for the results: sh:conforms by
    the spec (false when there is any result), custom severities, every message with its
    language tag, the whole sh:resultPath structure and sh:sourceConstraint."""
    g = Graph()
    g.bind("sh", SH)
    rep = BNode()
    g.add((rep, RDF.type, SH.ValidationReport))
    g.add((rep, SH.conforms, Literal(not results)))
    sg = shapes if shapes is not None else shapes_graph()
    sev = {v: k for k, v in SEVERITY.items()}
    for r in results:
        n = BNode()
        g.add((rep, SH.result, n))
        g.add((n, RDF.type, SH.ValidationResult))
        g.add((n, SH.focusNode, r.focus))
        g.add((n, SH.resultSeverity, sev.get(r.severity) or URIRef(r.severity)))
        g.add((n, SH.sourceShape, r.source_shape))
        if r.constraint is not None:
            g.add((n, SH.sourceConstraintComponent, r.constraint))
        if r.source_constraint is not None:
            g.add((n, SH.sourceConstraint, r.source_constraint))
        if r.path is not None:
            g.add((n, SH.resultPath, r.path))
            _copy_structure(sg, r.path, g)  # the whole path, so the report stands alone
        if r.value is not None:
            g.add((n, SH.value, r.value))
        for m in r.messages or ((Literal(r.message),) if r.message else ()):
            g.add((n, SH.resultMessage, m))
    return g
