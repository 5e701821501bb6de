"""The SHACL-to-SPARQL compiler's base (see :mod:`.sparql_compile`): a compiled :class:`Check`,
:class:`UnsupportedShape`, and reading shapes (property paths, class closures, focus nodes)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from ..build.ntriples import nt_term
from ..core.namespaces import SH
from .sparql_support import UnsupportedShape

#: shapes extension: the same constraint as the sh:select beside it, written for one run over
#: the whole union graph (where each source's copy of a triple is a row of its own)
WHOLE_GRAPH_SELECT = URIRef("https://w3id.org/mandategraph/shapes#wholeGraphSelect")


__all__ = ["WHOLE_GRAPH_SELECT", "Check", "UnsupportedShape"]  # UnsupportedShape: .sparql_support


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a SELECT returning ?this [?value] [?path] and message variables."""

    shape: Node
    component: URIRef
    severity: str
    messages: tuple[Literal, ...]
    path: Node | None  # the sh:path node of a property shape (None for node shapes)
    query: str
    constraint: Node | None = None  # the sh:sparql node for SPARQL constraints
    value_is_focus: bool = False  # node shapes: the value node is the focus node
    #: what the shape targets: classes (with subclasses) and predicates (subjectsOf/objectsOf);
    #: None when it targets explicit nodes (always run). Lets small validations skip checks.
    target_classes: frozenset[str] | None = None
    target_predicates: frozenset[str] = frozenset()
    #: a simple-path predicate without which the check cannot find anything (skip if absent)
    needs_predicate: str | None = None
    #: several value constraints in one scan: the query returns ?_f0.. flags, one per component
    flags: tuple[URIRef, ...] = ()
    #: the same check driven by the focus class instead of the predicate scan; chosen at run
    #: time when the targeted classes are much smaller than the predicate (e.g. un:title of
    #: the few bodies among a million document titles)
    focus_first: str | None = None
    #: a class check written as a MINUS of the class members (hashed once) also has a form that
    #: looks each scanned value up (EXISTS per row); the runner takes it when the class is much
    #: larger than the scan (e.g. the few un:fulfilledBy links against a million documents).
    #: ``scan``/``members``: triple patterns (?s ?o) counting the rows of each side
    per_row: str | None = None
    scan: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    #: relative cost estimate set by the runner (costliest checks are started first)
    cost: float = 0.0
    #: a cheaper query answering ?n and ?d; when they are equal the check cannot find anything
    #: and its query is not run (maxCount: as many path solutions as subjects, so no subject
    #: has two values -- one hash of the subjects instead of a grouped count per subject)
    precheck: str | None = None
    #: a SPARQL constraint that is not equivalent to one run over the whole graph: the query
    #: lists the focus nodes, ``query`` runs once per focus node with $this substituted
    per_focus: str | None = None
    #: the constraint's parameter value when one shape has several (two sh:class): the spec
    #: keeps a result per constraint, so results carry it (ValidationResult.pair)
    param_value: Node | None = None
    #: the result path is the row's ?path (sh:closed: the predicate that is not allowed)
    path_from_row: bool = False

    def applies_to(self, classes: set[str], predicates: set[str]) -> bool:
        """Could this check have a focus node in a graph with these types and predicates?"""
        if self.target_classes is None:
            return True
        return bool(self.target_classes & classes) or bool(self.target_predicates & predicates)


class _ShapeReader:
    """Reads shapes: property paths, class closures and focus nodes (the compiler's base)."""

    def __init__(self, shapes: Graph, subclasses: dict[str, set[str]]):
        self.g = shapes
        self.subclasses = subclasses
        self.fresh = itertools.count()
        self.prefixes = self._prefixes()

    # ------------------------------------------------------------------ helpers
    def var(self, stem: str = "v") -> str:
        return f"?_{stem}{next(self.fresh)}"

    def classes(self, c: Node) -> list[str]:
        """The class and every subclass stated in the data (transitively)."""
        out, todo = {str(c)}, [str(c)]
        while todo:
            for sub in self.subclasses.get(todo.pop(), ()):
                if sub not in out:
                    out.add(sub)
                    todo.append(sub)
        return sorted(out)

    def path(self, p: Node) -> str:
        """A SHACL path node -> SPARQL property path text."""
        g = self.g
        if isinstance(p, URIRef):
            return f"<{p}>"
        if (p, RDF.first, None) in g:
            items = list(Collection(g, p))
            inner = [self.path(i) for i in items]
            if any(self._has_star(i) for i in items) and len(items) > 1:
                # measurements.md: oxigraph mis-plans `*` inside a sequence; still correct
                pass
            return "(" + "/".join(inner) + ")"
        inv = g.value(p, SH.inversePath)
        if inv is not None:
            return f"^{self.path(inv)}" if isinstance(inv, URIRef) else f"^({self.path(inv)})"
        alt = g.value(p, SH.alternativePath)
        if alt is not None:
            return "(" + "|".join(self.path(i) for i in Collection(g, alt)) + ")"
        for pred, op in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            x = g.value(p, pred)
            if x is not None:
                return f"({self.path(x)}){op}"
        raise UnsupportedShape(f"unsupported SHACL path {p!r}")

    def alternatives(self, p: Node) -> list[str] | None:
        """The branches of an sh:alternativePath as SPARQL paths (None for other paths)."""
        alt = self.g.value(p, SH.alternativePath) if not isinstance(p, URIRef) else None
        return [self.path(i) for i in Collection(self.g, alt)] if alt is not None else None

    def _has_star(self, p: Node) -> bool:
        return (p, SH.zeroOrMorePath, None) in self.g or (p, SH.oneOrMorePath, None) in self.g

    def _prefixes(self) -> dict[Node, str]:
        """sh:prefixes owner -> PREFIX lines (from its sh:declare entries)."""
        out: dict[Node, str] = {}
        owl_imports = URIRef("http://www.w3.org/2002/07/owl#imports")
        for owner in set(self.g.subjects(SH.declare, None)) | set(self.g.objects(None, SH.prefixes)):
            lines: set[str] = set()
            todo, seen = [owner], set()
            while todo:  # the owner's declarations and those of what it owl:imports (SHACL 5.2.1)
                o = todo.pop()
                if o in seen:
                    continue
                seen.add(o)
                for d in self.g.objects(o, SH.declare):
                    pre, ns = self.g.value(d, SH.prefix), self.g.value(d, SH.namespace)
                    if pre is not None and ns is not None:
                        lines.add(f"PREFIX {pre}: <{ns}>")
                todo.extend(self.g.objects(o, owl_imports))
            out[owner] = "\n".join(sorted(lines))
        return out

    # ------------------------------------------------------------------ targets
    def focus(self, shape: Node) -> str | None:
        """The focus-node pattern of a shape (binds ?this), or None if it has no targets."""
        g = self.g
        parts: list[str] = []
        classes: list[str] = []
        for c in g.objects(shape, SH.targetClass):
            classes.extend(self.classes(c))
        if (shape, RDF.type, RDFS.Class) in g:
            classes.extend(self.classes(shape))
        if classes:
            cs = sorted(set(classes))
            if len(cs) == 1:
                parts.append(f"?this a <{cs[0]}> .")
            else:
                v = self.var("c")
                parts.append(f"VALUES {v} {{ {' '.join(f'<{c}>' for c in cs)} }} ?this a {v} .")
        nodes = list(g.objects(shape, SH.targetNode))
        if nodes:
            parts.append(f"VALUES ?this {{ {' '.join(nt_term(n) for n in nodes)} }}")
        for p in g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"?this <{p}> {self.var('o')} .")
        for p in g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{self.var('s')} <{p}> ?this .")
        if not parts:
            return None
        if len(parts) == 1 and len(classes) >= 1 and not nodes:
            return parts[0]  # one class (or class set): a plain pattern, results are DISTINCT
        if len(parts) == 1:
            return f"{{ SELECT DISTINCT ?this WHERE {{ {parts[0]} }} }}"
        union = " UNION ".join(f"{{ {p} }}" for p in parts)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    def focus_expr(self, shape: Node, x: str = "?this") -> str:
        """A boolean expression: ``x`` is a focus node of ``shape`` (to FILTER late and cheaply)."""
        g = self.g
        ors: list[str] = []
        classes: list[str] = []
        for c in g.objects(shape, SH.targetClass):
            classes.extend(self.classes(c))
        if (shape, RDF.type, RDFS.Class) in g:
            classes.extend(self.classes(shape))
        cs = sorted(set(classes))
        if len(cs) == 1:
            ors.append(f"EXISTS {{ {x} a <{cs[0]}> }}")
        elif cs:
            k = self.var("k")
            ors.append(f"EXISTS {{ VALUES {k} {{ {' '.join(f'<{c}>' for c in cs)} }} {x} a {k} }}")
        ors.extend(f"sameTerm({x}, {nt_term(n)})" for n in g.objects(shape, SH.targetNode))
        ors.extend(f"EXISTS {{ {x} <{p}> {self.var('o')} }}" for p in g.objects(shape, SH.targetSubjectsOf))
        ors.extend(f"EXISTS {{ {self.var('s')} <{p}> {x} }}" for p in g.objects(shape, SH.targetObjectsOf))
        return "(" + " || ".join(ors or ["false"]) + ")"
