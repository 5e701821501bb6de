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
Anything else raises :class:`UnsupportedShape` naming the shape and the construct before any
query runs: :func:`.sparql_support.check_shapes` walks the shapes graph and accepts, in each
place (node shape, property shape, member of a logical constraint), only what is translated
there; SPARQL constraints that one whole-graph run would not answer as pre-binding does are
run per focus node (:func:`.sparql_support.sparql_plan`). So a new shape never silently goes
unchecked (tests/test_w3c_shacl.py, tests/test_shacl_probes.py).

Generated queries follow docs/prior/measurements.md: IRIs and literals are put in triple
patterns or ``VALUES``, never in an equality ``FILTER``; a ``*`` path is never put inside a
sequence (class closures are computed up front and inlined as ``VALUES``).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from ..build.ntriples import nt_term
from ..core.namespaces import SH
from ..store.interface import Store
from .report import severity_name
from .sparql_select import sparql_checks
from .sparql_shapes import Check, UnsupportedShape, _ShapeReader
from .sparql_support import check_datatype, check_shapes


class _Ignored(set):
    """Parameters a check does not translate itself: the listed ``sh:`` ones and every predicate
    outside the ``sh:`` namespace (annotations such as rdfs:subClassOf or skos:definition)."""

    def __contains__(self, p: object) -> bool:
        return not str(p).startswith(str(SH)) or super().__contains__(p)


_IGNORED = _Ignored({SH.property, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                     SH.targetObjectsOf, SH.severity, SH.message, SH.path, SH.name, SH.description,
                     SH.order, SH.group, SH.deactivated, SH.flags, SH.defaultValue, SH.declare, SH.prefixes,
                     SH.select})  # (sh:select on a shape that is its own sh:sparql: sparql_support)
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
    SH.node: SH.NodeConstraintComponent, SH.languageIn: SH.LanguageInConstraintComponent,
}
#: XSD types whose lexical form is checked by the store's cast (sparql_support.CASTABLE minus string)
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


class _Compiler(_ShapeReader):
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
            if dt.startswith(_XSD) and dt[len(_XSD):] in _CAST_TYPES:
                return f"({base} && COALESCE(isLiteral(<{dt}>(STR({x}))), false))"
            return base
        if param == SH.nodeKind:
            kinds = {SH.IRI: "isIRI({x})", SH.BlankNode: "isBlank({x})", SH.Literal: "isLiteral({x})",
                     SH.BlankNodeOrIRI: "(isIRI({x}) || isBlank({x}))",
                     SH.BlankNodeOrLiteral: "(isBlank({x}) || isLiteral({x}))",
                     SH.IRIOrLiteral: "(isIRI({x}) || isLiteral({x}))"}
            if arg not in kinds:
                raise UnsupportedShape(f"shape {shape}: unknown sh:nodeKind {arg}")
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
        if param == SH.languageIn:  # a tagged literal whose tag matches a range (basic filtering)
            ranges = [str(r) for r in Collection(g, arg)]
            tests = " || ".join(f"langMatches(LANG({x}), {nt_term(Literal(r))})" for r in ranges) or "false"
            return f"COALESCE(LANG({x}) != \"\" && ({tests}), false)"
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
        if param == SH.node:  # (the walk of sparql_support refuses recursive shapes)
            return self.shape_conforms(arg, x)
        raise UnsupportedShape(f"shape {shape}: constraint {param} is not supported by the SPARQL engine")

    def shape_conforms(self, shape: Node, x: str) -> str:
        """A boolean expression: node ``x`` conforms to (member) shape ``shape``."""
        g = self.g
        conds: list[str] = []
        if g.value(shape, SH.deactivated) == Literal(True):
            return "true"  # a deactivated shape: every node conforms to it
        path = g.value(shape, SH.path)
        if path is None:
            for param, arg in g.predicate_objects(shape):
                if param == SH.property:  # a member's property shape: x conforms to it too
                    conds.append(self.shape_conforms(arg, x))
                    continue
                if param in _IGNORED or param == SH.sparql:
                    if param == SH.sparql:
                        raise UnsupportedShape(f"shape {shape}: sh:sparql inside sh:or/and/not")
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
        mk = lambda comp, q, **kw: Check(shape, comp, severity, messages, path, q, **kw)
        if path is None:  # node shape: constraints apply to the focus node itself
            for param, arg in g.predicate_objects(shape):
                if param in _IGNORED:
                    continue
                if param == SH.sparql:
                    yield from self.sparql_check(shape, arg, is_focus, None, severity, focus)
                    continue
                if param == SH.closed:
                    if not (isinstance(arg, Literal) and arg.datatype == _BOOLEAN and str(arg) == "true"):
                        continue
                    allowed = {str(q) for ps in g.objects(shape, SH.property)
                               for q in [g.value(ps, SH.path)] if isinstance(q, URIRef)}
                    ign = g.value(shape, SH.ignoredProperties)
                    allowed |= {str(q) for q in Collection(g, ign)} if ign is not None else set()
                    keep = f"FILTER(?path NOT IN ({', '.join(f'<{q}>' for q in sorted(allowed))}))" if allowed else ""
                    q = f"SELECT DISTINCT ?this ?path ?value WHERE {{ {{ {focus} }} ?this ?path ?value {keep} }}"
                    yield mk(SH.ClosedConstraintComponent, q, path_from_row=True)
                    continue
                if param == SH.ignoredProperties:
                    continue
                if param == SH.hasValue:  # (no sh:value in a hasValue result)
                    q = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER(!sameTerm(?this, {nt_term(arg)})) }}"
                    yield mk(SH.HasValueConstraintComponent, q)
                    continue
                if param in (SH.minCount, SH.maxCount, SH.lessThan, SH.lessThanOrEquals, SH.uniqueLang):
                    raise UnsupportedShape(f"shape {shape}: {param} on a node shape")
                comp = _VALUE_COMPONENTS.get(param)
                if comp is None:
                    raise UnsupportedShape(f"shape {shape}: constraint {param} is not supported by the SPARQL engine")
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
                q = (f"SELECT DISTINCT ?this ?value (?_o AS ?_pair) WHERE {{ {{ ?this {p} ?value . "
                     f"?this <{arg}> ?_o . FILTER(!COALESCE(?value {op} ?_o, false)) }} {focus_test(is_focus)} }}")
                yield mk(comp, q, needs_predicate=pred)
            elif param == SH.uniqueLang:
                if not (isinstance(arg, Literal) and arg.datatype == _BOOLEAN and str(arg) == "true"):
                    continue  # only the literal true activates it ("1"^^xsd:boolean does not)
                # one result per duplicated language: ?_pair tells them apart
                q = (f"SELECT DISTINCT ?this (LCASE(LANG(?_a)) AS ?_pair) WHERE {{ {{ ?this {p} ?_a . "
                     f"?this {p} ?_b . FILTER(!sameTerm(?_a, ?_b) && LANG(?_a) != \"\" && "
                     f"LCASE(LANG(?_a)) = LCASE(LANG(?_b))) }} {focus_test(is_focus)} }}")
                yield mk(SH.UniqueLangConstraintComponent, q, needs_predicate=pred)
            elif param in (SH.equals, SH.disjoint):
                if param == SH.equals:  # values of the path not of the other property, and back
                    q = (f"SELECT DISTINCT ?this ?value WHERE {{ {{ {focus} }} {{ ?this {p} ?value "
                         f"FILTER NOT EXISTS {{ ?this <{arg}> ?value }} }} UNION {{ ?this <{arg}> ?value "
                         f"FILTER NOT EXISTS {{ ?this {p} ?value }} }} }}")
                    comp = SH.EqualsConstraintComponent
                else:
                    q = f"SELECT DISTINCT ?this ?value WHERE {{ {{ {focus} }} ?this {p} ?value . ?this <{arg}> ?value }}"
                    comp = SH.DisjointConstraintComponent
                yield mk(comp, q, param_value=arg)
            elif param == SH.sparql:
                yield from self.sparql_check(shape, arg, is_focus, p, severity, focus)
            else:
                comp = _VALUE_COMPONENTS.get(param)
                if comp is None:
                    raise UnsupportedShape(f"shape {shape}: constraint {param} is not supported by the SPARQL engine")
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
        yield from sparql_checks(self.g, self.prefixes, shape, node, focus_test(is_focus), path, severity, focus)


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


def compiled_checks(shapes: Graph, subclasses: dict[str, set[str]]) -> list[Check]:
    """compile_checks, memoised per shapes graph (an rdflib graph is hashed by its identifier,
    a fresh one for every Graph()) and data subclasses."""
    return _compiled(shapes, frozenset((k, frozenset(v)) for k, v in subclasses.items()))


@lru_cache(maxsize=8)
def _compiled(shapes: Graph, subclasses: frozenset[tuple[str, frozenset[str]]]) -> list[Check]:
    return compile_checks(shapes, {k: set(v) for k, v in sorted(subclasses)})


def data_subclasses(store: Store) -> dict[str, set[str]]:
    """rdfs:subClassOf statements in the data (SHACL class targets and sh:class follow them)."""
    res = store.select(f"SELECT ?sub ?sup WHERE {{ ?sub <{RDFS.subClassOf}> ?sup }}")
    out: dict[str, set[str]] = {}
    for sub, sup in res.rows:
        out.setdefault(str(sup), set()).add(str(sub))
    return out
