"""Full SHACL validation inside the store: the shapes compiled to SPARQL queries, per shape.

Why: pySHACL (the reference) walks the data graph in Python and needs the whole graph in
rdflib memory; at a million documents that is minutes and many gigabytes. The SHACL Core
constraints our shapes use are each one SPARQL query over the focus nodes of a shape, which
the store's engine (Oxigraph, on disk) answers in seconds with bounded memory. Results are
streamed query by query and come back as the same :class:`~mandategraph.validate.ValidationOutcome`
pySHACL's run produces, with equal focus nodes, paths, source shapes, severities, constraint
components and values (tests/test_shacl_sparql.py checks that on every shape test and on the
seed).

Supported (read from shapes/*.ttl at run time): targets ``sh:targetClass`` (with subclasses
stated in the data), ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``,
implicit class targets; paths: predicate, inverse, sequence, alternative, zero-or-more,
one-or-more, zero-or-one; constraints ``minCount maxCount datatype class nodeKind pattern
(+flags) in hasValue minInclusive maxInclusive minExclusive maxExclusive minLength maxLength
lessThan lessThanOrEquals uniqueLang or and not xone`` (members made of the same
constraints) and ``sh:sparql`` SELECT constraints with ``$this``/``$PATH`` and
``sh:prefixes``; ``sh:severity``, ``sh:message`` (with ``{?var}`` templates), ``sh:deactivated``.
Anything else raises :class:`UnsupportedShape` naming the shape and the constraint, so a new
shape never silently goes unchecked.

Generated queries follow ../shared/docs/measurements.md: IRIs and literals are put in triple
patterns or ``VALUES``, never in an equality ``FILTER``; a ``*`` path is never put inside a
sequence (class closures are computed up front and inlined as ``VALUES``).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import sys
from dataclasses import dataclass
from typing import Callable, Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from .namespaces import SH

#: shapes extension: the same constraint as the sh:select beside it, written for one run over
#: the whole union graph (where each source's copy of a triple is a row of its own)
WHOLE_GRAPH_SELECT = URIRef("https://w3id.org/mandategraph/shapes#wholeGraphSelect")
from .shacl_support import UnsupportedShape, check_datatype, check_shapes, sparql_plan
from .store import Store, nt_term
from .validate import SEVERITY, ValidationOutcome, ValidationResult, severity_name, shapes_graph


class _Ignored(set):
    """Parameters a check does not translate itself: the listed ``sh:`` ones and every predicate
    outside the ``sh:`` namespace (annotations such as rdfs:subClassOf or skos:definition)."""

    def __contains__(self, p: object) -> bool:
        return not str(p).startswith(str(SH)) or super().__contains__(p)


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

    def applies_to(self, classes: set[str], predicates: set[str]) -> bool:
        """Could this check have a focus node in a graph with these types and predicates?"""
        if self.target_classes is None:
            return True
        return bool(self.target_classes & classes) or bool(self.target_predicates & predicates)


_IGNORED = _Ignored({SH.property, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                     SH.targetObjectsOf, SH.severity, SH.message, SH.path, SH.name, SH.description,
                     SH.order, SH.group, SH.deactivated, SH.flags, SH.defaultValue, SH.declare, SH.prefixes})
_VALUE_COMPONENTS = {  # constraint parameter -> component, for constraints tested value by value
    SH["class"]: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent, SH.pattern: SH.PatternConstraintComponent,
    SH["in"]: SH.InConstraintComponent, SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent, SH.maxLength: SH.MaxLengthConstraintComponent,
    SH["or"]: SH.OrConstraintComponent, SH["and"]: SH.AndConstraintComponent,
    SH["not"]: SH.NotConstraintComponent, SH.xone: SH.XoneConstraintComponent,
}
#: XSD types whose lexical form is checked by the store's cast (shacl_support.CASTABLE minus string)
_CAST_TYPES = {"date", "dateTime", "integer", "decimal", "double", "float", "boolean", "time",
               "duration", "dayTimeDuration", "yearMonthDuration", "gYear"}
_XSD = "http://www.w3.org/2001/XMLSchema#"
_BOOLEAN = URIRef(_XSD + "boolean")


def focus_test(is_focus: str) -> str:
    """The focus-membership test after a scan: ``BIND(EXISTS ...) FILTER``, evaluated row by row.

    Oxigraph plans ``FILTER(EXISTS {?this a C})`` as a join with every member of C (a scan of
    the whole class, hashed) even when the scan before it yields no row; bound to a variable
    first, the EXISTS is evaluated only for the rows that reach it (100k documents,
    SourceGraph-sha256: 1.04 -> 0.28 s CPU). Same solutions: EXISTS never errors."""
    return f"BIND({is_focus} AS ?_isf) FILTER(?_isf)"


class _Compiler:
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

    # ------------------------------------------------------------------ value conditions
    def violates(self, param: URIRef, arg: Node, x: str, shape: Node) -> str:
        """A FILTER expression true when value ``x`` violates ``param arg``."""
        return f"!({self.conforms(param, arg, x, shape)})"

    def conforms(self, param: URIRef, arg: Node, x: str, shape: Node) -> str:
        """A boolean SPARQL expression: value ``x`` satisfies constraint ``param arg``."""
        g = self.g
        if param == SH["class"]:
            cs = self.classes(arg)
            if len(cs) == 1:
                return f"EXISTS {{ {x} a <{cs[0]}> }}"
            k = self.var("k")
            return f"EXISTS {{ VALUES {k} {{ {' '.join(f'<{c}>' for c in cs)} }} {x} a {k} }}"
        if param == SH.datatype:
            dt = str(arg)
            if dt == str(RDF.langString):  # LANG errors on IRIs and blank nodes (-> false)
                return f"COALESCE(LANG({x}) != \"\", false)"
            # DATATYPE errors on IRIs and blank nodes (-> false) and is rdf:langString for a
            # tagged literal, so no isLiteral/LANG tests (each decodes the term again: 1.6x)
            check_datatype(shape, arg)
            base = f"COALESCE(sameTerm(DATATYPE({x}), <{dt}>), false)"
            local = dt[len(_XSD):] if dt.startswith(_XSD) else None
            if local in _CAST_TYPES:
                return f"({base} && COALESCE(isLiteral(<{dt}>(STR({x}))), false))"
            return base
        if param == SH.nodeKind:
            kinds = {SH.IRI: "isIRI({x})", SH.BlankNode: "isBlank({x})", SH.Literal: "isLiteral({x})",
                     SH.BlankNodeOrIRI: "(isIRI({x}) || isBlank({x}))",
                     SH.BlankNodeOrLiteral: "(isBlank({x}) || isLiteral({x}))",
                     SH.IRIOrLiteral: "(isIRI({x}) || isLiteral({x}))"}
            if arg not in kinds:
                raise UnsupportedShape(f"{shape}: unknown sh:nodeKind {arg}")
            return kinds[arg].format(x=x)
        if param == SH.pattern:
            flags = g.value(shape, SH.flags)
            fl = f", {nt_term(Literal(str(flags)))}" if flags is not None else ""
            # STR errors on a blank node (-> false: a violation, as in SHACL) -- no isBlank
            # test, which would decode the term once more per row
            return f"COALESCE(REGEX(STR({x}), {nt_term(Literal(str(arg)))}{fl}), false)"
        if param == SH["in"]:
            items = list(Collection(g, arg))
            if not items:
                return "false"
            return "(" + " || ".join(f"sameTerm({x}, {nt_term(i)})" for i in items) + ")"
        if param == SH.hasValue:
            return f"sameTerm({x}, {nt_term(arg)})"
        cmp = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
        if param in cmp:
            return f"COALESCE({x} {cmp[param]} {nt_term(arg)}, false)"
        if param in (SH.minLength, SH.maxLength):
            op = ">=" if param == SH.minLength else "<="
            return f"COALESCE(STRLEN(STR({x})) {op} {int(arg)}, false)"  # blank node: STR errors
        if param in (SH["or"], SH["and"], SH.xone):
            members = [self.shape_conforms(m, x) for m in Collection(g, arg)]
            if not members:
                return "true" if param != SH["or"] else "false"
            if param == SH.xone:
                return "(" + " + ".join(f"IF({m}, 1, 0)" for m in members) + ") = 1"
            op = " || " if param == SH["or"] else " && "
            return "(" + op.join(members) + ")"
        if param == SH["not"]:
            return f"!({self.shape_conforms(arg, x)})"
        raise UnsupportedShape(f"{shape}: constraint {param} is not supported by the SPARQL engine")

    def shape_conforms(self, shape: Node, x: str) -> str:
        """A boolean expression: node ``x`` conforms to (member) shape ``shape``."""
        g = self.g
        conds: list[str] = []
        if g.value(shape, SH.deactivated) == Literal(True):
            return "true"  # a deactivated shape: every node conforms to it
        path = g.value(shape, SH.path)
        if path is None:
            for param, arg in g.predicate_objects(shape):
                if param in _IGNORED or param == SH.sparql:
                    if param == SH.sparql:
                        raise UnsupportedShape(f"{shape}: sh:sparql inside sh:or/and/not")
                    continue
                conds.append(self.conforms(param, arg, x, shape))
            return "(" + " && ".join(conds or ["true"]) + ")"
        p = self.path(path)
        for param, arg in g.predicate_objects(shape):
            if param in _IGNORED:
                continue
            if param == SH.minCount:
                n = int(arg)
                if n == 1:
                    conds.append(f"EXISTS {{ {x} {p} {self.var()} }}")
                elif n > 1:
                    vs = [self.var() for _ in range(n)]
                    trip = " . ".join(f"{x} {p} {v}" for v in vs)
                    neq = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(vs, 2))
                    conds.append(f"EXISTS {{ {trip} FILTER({neq}) }}")
            elif param == SH.maxCount:
                n = int(arg)
                vs = [self.var() for _ in range(n + 1)]
                trip = " . ".join(f"{x} {p} {v}" for v in vs)
                neq = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(vs, 2)) or "true"
                conds.append(f"NOT EXISTS {{ {trip} FILTER({neq}) }}")
            elif param == SH.hasValue:
                conds.append(f"EXISTS {{ {x} {p} {nt_term(arg)} }}")
            else:
                v = self.var()
                conds.append(f"NOT EXISTS {{ {x} {p} {v} FILTER({self.violates(param, arg, v, shape)}) }}")
        return "(" + " && ".join(conds or ["true"]) + ")"

    def class_minus(self, param: URIRef, arg: Node, shape: Node, x: str) -> tuple[str, tuple[str, ...]] | None:
        """``MINUS { x a C }`` over the classes that make ``x`` conform to ``param arg`` (sh:class,
        or an sh:or whose members are each just an sh:class) and those classes, else None.

        A value conforms exactly when it is typed with one of those classes, so the violating
        rows are the scan MINUS the typed ones: one hashed scan of the classes instead of an
        EXISTS lookup per row (1M documents, un:submittedTo / sh:class un:Session: 3.5 -> 0.3 s
        CPU; DocumentSubclassShape 5.9 -> 2.0 s)."""
        g = self.g
        if param == SH["class"]:
            cs = self.classes(arg)
        elif param == SH["or"]:
            cs = []
            for m in Collection(g, arg):
                own = [(q, o) for q, o in g.predicate_objects(m) if q not in _IGNORED]
                if len(own) != 1 or own[0][0] != SH["class"] or (m, SH.path, None) in g:
                    return None
                cs.extend(self.classes(own[0][1]))
            if not cs:
                return None
        else:
            return None
        cs = sorted(set(cs))
        if len(cs) == 1:
            return f"MINUS {{ {x} a <{cs[0]}> }}", tuple(cs)
        k = self.var("k")
        return f"MINUS {{ VALUES {k} {{ {' '.join(f'<{c}>' for c in cs)} }} {x} a {k} }}", tuple(cs)

    def focus_scan(self, shape: Node) -> tuple[str, ...]:
        """Triple patterns whose solutions enumerate the focus nodes of ``shape`` (() if unknown)."""
        g = self.g
        if (shape, SH.targetNode, None) in g:
            return ()
        classes: list[str] = []
        for c in g.objects(shape, SH.targetClass):
            classes.extend(self.classes(c))
        if (shape, RDF.type, RDFS.Class) in g:
            classes.extend(self.classes(shape))
        pats = [f"?s a <{c}>" for c in sorted(set(classes))]
        pats += [f"?s <{p}> ?o" for p in g.objects(shape, SH.targetSubjectsOf)]
        pats += [f"?s <{p}> ?o" for p in g.objects(shape, SH.targetObjectsOf)]
        return tuple(pats)

    # ------------------------------------------------------------------ checks
    def checks(self, shape: Node, focus: str, root: Node | None = None) -> Iterator[Check]:
        """Checks of ``shape`` (and its property shapes) for the focus nodes of ``root``.

        Value constraints scan the path first and test membership of the focus set last
        (``FILTER(violation && is-focus)``): the engine then touches the focus test only for
        the rare violating rows. All value constraints of one property shape share one scan.
        """
        g = self.g
        root = shape if root is None else root
        is_focus = self.focus_expr(root)
        if g.value(shape, SH.deactivated) == Literal(True):
            return
        severity = severity_name(g.value(shape, SH.severity))  # a custom severity kept as its IRI
        messages = tuple(m for m in g.objects(shape, SH.message) if isinstance(m, Literal))
        path = g.value(shape, SH.path)
        mk = lambda comp, q, **kw: Check(shape, comp, severity, messages, path, q, **kw)  # noqa: E731
        if path is None:  # node shape: constraints apply to the focus node itself
            for param, arg in g.predicate_objects(shape):
                if param in _IGNORED:
                    continue
                if param == SH.sparql:
                    yield from self.sparql_check(shape, arg, is_focus, None, severity, focus)
                    continue
                if param == SH.hasValue:  # (no sh:value in a hasValue result)
                    q = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER(!sameTerm(?this, {nt_term(arg)})) }}"
                    yield mk(SH.HasValueConstraintComponent, q)
                    continue
                if param in (SH.minCount, SH.maxCount, SH.lessThan, SH.lessThanOrEquals, SH.uniqueLang):
                    raise UnsupportedShape(f"{shape}: {param} on a node shape")
                comp = _VALUE_COMPONENTS.get(param)
                if comp is None:
                    raise UnsupportedShape(f"{shape}: constraint {param} is not supported by the SPARQL engine")
                minus_cs = self.class_minus(param, arg, shape, "?this")
                if minus_cs is not None:
                    minus, cs = minus_cs
                    q = f"SELECT DISTINCT ?this WHERE {{ {{ {focus} }} {minus} }}"
                    row = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER({self.violates(param, arg, '?this', shape)}) }}"
                    yield mk(comp, q, value_is_focus=True, per_row=row, scan=self.focus_scan(shape),
                             members=tuple(f"?s a <{c}>" for c in cs), param_value=arg)
                    continue
                q = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER({self.violates(param, arg, '?this', shape)}) }}"
                yield mk(comp, q, value_is_focus=True)
            for prop in g.objects(shape, SH.property):
                yield from self.checks(prop, focus, root)
            return
        p = self.path(path)
        pred = str(path) if isinstance(path, URIRef) else None
        value_parts: list[tuple[URIRef, str]] = []
        value_args: list[tuple[URIRef, Node]] = []
        for param, arg in g.predicate_objects(shape):
            if param in _IGNORED or param in (SH.property,):
                continue
            if param == SH.minCount:
                n = int(arg)
                if n <= 0:
                    continue
                alts = self.alternatives(path)
                # MINUS (one scan of the path, hashed) beats a per-node NOT EXISTS lookup:
                # 2.5x on one predicate, 15x on a 13-branch alternative path (100k documents)
                if n == 1 and alts:
                    # one variable name in every branch: the hashed rows stay two terms wide
                    # (ProvenanceShape, 13 branches, 1M documents: 861 -> 490 MB, 3.5 -> 2.7 s)
                    x = self.var("x")
                    union = " UNION ".join(f"{{ ?this {a} {x} }}" for a in alts)
                    q = f"SELECT DISTINCT ?this WHERE {{ {focus} MINUS {{ {union} }} }}"
                elif n == 1:
                    q = f"SELECT DISTINCT ?this WHERE {{ {focus} MINUS {{ ?this {p} ?_any }} }}"
                else:
                    q = (f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?_v) AS ?_n) WHERE {{ "
                         f"{focus} OPTIONAL {{ ?this {p} ?_v }} }} GROUP BY ?this }} FILTER(?_n < {n}) }}")
                yield mk(SH.MinCountConstraintComponent, q)
            elif param == SH.maxCount:
                # one scan grouped by subject (not a self-join of the path: ~8x faster on disk)
                q = (f"SELECT ?this WHERE {{ {{ SELECT ?this WHERE {{ ?this {p} ?_v }} GROUP BY ?this "
                     f"HAVING (COUNT(DISTINCT ?_v) > {int(arg)}) }} {focus_test(is_focus)} }}")
                ff = (f"SELECT ?this WHERE {{ {focus} ?this {p} ?_v }} GROUP BY ?this "
                      f"HAVING (COUNT(DISTINCT ?_v) > {int(arg)})")
                pre = (f"SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?this) AS ?d) WHERE {{ ?this {p} ?_v }}"
                       if int(arg) >= 1 else None)
                yield mk(SH.MaxCountConstraintComponent, q, needs_predicate=pred, focus_first=ff, precheck=pre)
            elif param == SH.hasValue:
                q = f"SELECT DISTINCT ?this WHERE {{ {focus} MINUS {{ ?this {p} {nt_term(arg)} }} }}"
                yield mk(SH.HasValueConstraintComponent, q)
            elif param in (SH.lessThan, SH.lessThanOrEquals):
                op = "<" if param == SH.lessThan else "<="
                comp = SH.LessThanConstraintComponent if param == SH.lessThan else SH.LessThanOrEqualsConstraintComponent
                # one result per (value, other value) pair, as the spec has it: ?_pair tells them apart
                q = (f"SELECT DISTINCT ?this ?value (?_o AS ?_pair) WHERE {{ {{ ?this {p} ?value . ?this <{arg}> ?_o . "
                     f"FILTER(!COALESCE(?value {op} ?_o, false)) }} {focus_test(is_focus)} }}")
                yield mk(comp, q, needs_predicate=pred)
            elif param == SH.uniqueLang:
                if not (isinstance(arg, Literal) and arg.datatype == _BOOLEAN and str(arg) == "true"):
                    continue  # only the literal true activates it ("1"^^xsd:boolean does not)
                # one result per duplicated language: ?_pair tells them apart
                q = (f"SELECT DISTINCT ?this (LCASE(LANG(?_a)) AS ?_pair) WHERE {{ {{ ?this {p} ?_a . "
                     f"?this {p} ?_b . FILTER(!sameTerm(?_a, ?_b) && LANG(?_a) != \"\" && "
                     f"LCASE(LANG(?_a)) = LCASE(LANG(?_b))) }} {focus_test(is_focus)} }}")
                yield mk(SH.UniqueLangConstraintComponent, q, needs_predicate=pred)
            elif param == SH.sparql:
                yield from self.sparql_check(shape, arg, is_focus, p, severity, focus)
            else:
                comp = _VALUE_COMPONENTS.get(param)
                if comp is None:
                    raise UnsupportedShape(f"{shape}: constraint {param} is not supported by the SPARQL engine")
                minus_cs = self.class_minus(param, arg, shape, "?value")
                if minus_cs is not None:  # a check of its own: the scan MINUS the typed values
                    minus, cs = minus_cs
                    q = (f"SELECT DISTINCT ?this ?value WHERE {{ {{ ?this {p} ?value {minus} }} "
                         f"{focus_test(is_focus)} }}")
                    ff = f"SELECT DISTINCT ?this ?value WHERE {{ {{ {focus} ?this {p} ?value }} {minus} }}"
                    row = (f"SELECT DISTINCT ?this ?value WHERE {{ {{ ?this {p} ?value . "
                           f"FILTER({self.violates(param, arg, '?value', shape)}) }} {focus_test(is_focus)} }}")
                    yield mk(comp, q, needs_predicate=pred, focus_first=ff, per_row=row,
                             scan=(f"?s <{pred}> ?o",) if pred else (),
                             members=tuple(f"?s a <{c}>" for c in cs), param_value=arg)
                    continue
                value_parts.append((comp, self.conforms(param, arg, "?value", shape)))
                value_args.append((param, arg))
        if value_parts:
            # filter the scan first, in an inner group: the flags (BIND) and the focus test are
            # then computed for violating rows only (a BIND before the FILTER costs 3-10x)
            flags = [f"?_f{i}" for i in range(len(value_parts))]
            binds = " ".join(f"BIND(COALESCE(!({cond}), false) AS {f})" for f, (_c, cond) in zip(flags, value_parts))
            # a superset of the violating rows (the flags decide): one conjunction of the
            # conditions costs less per row than a disjunction of negations (1.4x)
            any_bad = f"!COALESCE({' && '.join(cond for _c, cond in value_parts)}, false)"
            string_facets = [(a, b) for a, b in value_args if a in (SH.pattern, SH.minLength, SH.maxLength)]
            if (SH.datatype, URIRef(_XSD + "string")) in value_args and string_facets \
                    and len(string_facets) + 1 == len(value_args):
                # xsd:string and string facets: the facets on STRDT(?value, xsd:string), which is
                # an error (-> violation) for anything but an xsd:string literal, so the datatype
                # test is implied and the value is decoded once per row, not twice (1M: 3.5 -> 2.3 s)
                x = f"STRDT(?value, <{_XSD}string>)"
                any_bad = f"!COALESCE({' && '.join(self.conforms(a, b, x, shape) for a, b in string_facets)}, false)"
            q = (f"SELECT DISTINCT ?this ?value {' '.join(flags)} WHERE {{ {{ ?this {p} ?value . "
                 f"FILTER({any_bad}) }} {binds} {focus_test(is_focus)} }}")
            ff = (f"SELECT DISTINCT ?this ?value {' '.join(flags)} WHERE {{ {{ {focus} ?this {p} ?value . "
                  f"FILTER({any_bad}) }} {binds} }}")
            yield mk(value_parts[0][0], q, needs_predicate=pred,
                     flags=tuple(c for c, _ in value_parts), focus_first=ff)

    def sparql_check(self, shape: Node, node: Node, is_focus: str, path: str | None, severity: str,
                     focus: str) -> Iterator[Check]:
        from .store import _group_end, _where_brace  # noqa: PLC0415 - the lexer of parameter binding

        g = self.g
        if g.value(node, SH.deactivated) == Literal(True):
            return
        standard = g.value(node, SH.select)
        if standard is None:
            raise UnsupportedShape(f"{shape}: sh:sparql without sh:select (only SELECT-based "
                                   "constraints are supported)")
        plan = sparql_plan(shape, str(standard))  # refuses what SHACL-SPARQL forbids
        # a constraint may carry, beside the standard sh:select (which pySHACL runs once per
        # focus node, $this bound), an equivalent query written for one evaluation over the
        # whole graph: shp:wholeGraphSelect (docs/scale.md). Equality with pySHACL is tested
        # on every shape test, so the two forms cannot drift apart unnoticed.
        whole = g.value(node, WHOLE_GRAPH_SELECT)
        text = str(whole if whole is not None else standard)
        if whole is not None:
            plan = "whole"
        if path is not None:
            text = re.sub(r"\$PATH\b", path, text)
        prefixes = "\n".join(self.prefixes.get(o, "") for o in g.objects(node, SH.prefixes))
        messages = tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal)) or \
            tuple(m for m in g.objects(shape, SH.message) if isinstance(m, Literal))
        if plan == "per-focus":  # run once per focus node, $this substituted (pre-binding)
            yield Check(shape, SH.SPARQLConstraintComponent, severity, messages, g.value(shape, SH.path),
                        f"{prefixes}\n{text}", constraint=node, value_is_focus=path is None,
                        per_focus=f"SELECT DISTINCT ?this WHERE {{ {focus} }}")
            return
        text = re.sub(r"\$this\b", "?this", text)
        pos = _where_brace(text)
        if pos < 0:
            raise UnsupportedShape(f"{shape}: cannot find the WHERE group of its sh:select")
        end = _group_end(text, pos)
        if end < 0:
            raise UnsupportedShape(f"{shape}: cannot find the end of the WHERE group of its sh:select")
        # at the end of the group (a BIND binds what precedes it; see focus_test)
        text = text[:end] + f" {focus_test(is_focus)} " + text[end:]
        yield Check(shape, SH.SPARQLConstraintComponent, severity, messages, g.value(shape, SH.path),
                    f"{prefixes}\n{text}", constraint=node, value_is_focus=path is None)


def compile_checks(shapes: Graph, subclasses: dict[str, set[str]] | None = None) -> list[Check]:
    """Every constraint of every targeted shape as a SPARQL check."""
    check_shapes(shapes)  # refuses, before any query, every construct it cannot translate
    c = _Compiler(shapes, subclasses or {})
    out: list[Check] = []
    targeted = set()
    for pred in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        targeted.update(shapes.subjects(pred, None))
    for s in shapes.subjects(RDF.type, SH.NodeShape):
        if (s, RDF.type, RDFS.Class) in shapes:
            targeted.add(s)
    for shape in sorted(targeted, key=str):
        focus = c.focus(shape)
        if focus is None:
            continue
        classes: set[str] | None = set()
        for cls in shapes.objects(shape, SH.targetClass):
            classes.update(c.classes(cls))
        if (shape, RDF.type, RDFS.Class) in shapes:
            classes.update(c.classes(shape))
        preds = {str(p) for pred in (SH.targetSubjectsOf, SH.targetObjectsOf)
                 for p in shapes.objects(shape, pred)}
        if (shape, SH.targetNode, None) in shapes:
            classes = None
        for check in c.checks(shape, focus):
            out.append(dataclasses.replace(check, target_classes=None if classes is None else frozenset(classes),
                                           target_predicates=frozenset(preds)))
    return out


_COMPILED: dict[tuple[int, frozenset], tuple[Graph, list[Check]]] = {}


def compiled_checks(shapes: Graph, subclasses: dict[str, set[str]]) -> list[Check]:
    """compile_checks, memoised per shapes graph object (kept alive, so ids stay unique)."""
    key = (id(shapes), frozenset((k, frozenset(v)) for k, v in subclasses.items()))
    hit = _COMPILED.get(key)
    if hit is None or hit[0] is not shapes:
        if len(_COMPILED) > 8:
            _COMPILED.clear()
        hit = _COMPILED[key] = (shapes, compile_checks(shapes, subclasses))
    return hit[1]


def data_subclasses(store: Store) -> dict[str, set[str]]:
    """rdfs:subClassOf statements in the data (SHACL class targets and sh:class follow them)."""
    res = store.select(f"SELECT ?sub ?sup WHERE {{ ?sub <{RDFS.subClassOf}> ?sup }}")
    out: dict[str, set[str]] = {}
    for sub, sup in res.rows:
        out.setdefault(str(sup), set()).add(str(sub))
    return out


def iter_results(store: Store, shapes: Graph | None = None,
                 only: Callable[[Check], bool] | None = None, workers: int = 1) -> Iterator[ValidationResult]:
    """Run the compiled checks in the store (see :func:`mandategraph.shacl_run.iter_results`)."""
    from .shacl_run import iter_results as run  # noqa: PLC0415 - shacl_run imports this module

    yield from run(store, shapes, only, workers)


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


def validate_store_sparql(store: Store, shapes: Graph | None = None,
                          workers: int | None = None) -> ValidationOutcome:
    """Full validation inside the store; the same outcome type (and results) as pySHACL's.

    A read-only on-disk store is validated by ``workers`` processes (default
    :func:`default_workers`); any other store in this process."""
    from .shacl_run import default_workers  # noqa: PLC0415

    workers = default_workers() if workers is None else workers
    results = tuple(dict.fromkeys(iter_results(store, shapes, workers=workers)))  # de-duplicated, order kept
    return ValidationOutcome(results, report_graph(results, shapes))


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - debugging aid
    """``python -m mandategraph.shacl_sparql`` prints the compiled queries of shapes/."""
    for check in compile_checks(shapes_graph()):
        print(f"# {check.shape} {check.component} [{check.severity}]\n{check.query}\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
