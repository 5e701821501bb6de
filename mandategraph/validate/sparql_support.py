"""What the compiled SPARQL engine supports, decided by a walk of the shapes graph before any query.

Why: the compiled engine (:mod:`.sparql_compile`) must never answer "conforms" for a
shape it did not fully check (issue 16). Looking at which ``sh:`` predicates occur is not
enough: the same predicate is supported in one place and not in another (``sh:property`` under
a node shape, but not inside an ``sh:or`` member or a property shape). So :func:`check_shapes`
walks every shape the validation reaches -- from each targeted shape through ``sh:property``,
the members of ``sh:and``/``sh:or``/``sh:xone`` and ``sh:not`` -- and, in each place, accepts
only the parameters the compiler translates there. Anything else raises
:class:`UnsupportedShape` naming the shape and the construct. Triples whose predicate is not in
the ``sh:`` namespace (``rdfs:subClassOf``, ``skos:definition`` ...) are annotations: ignored.

SPARQL constraints (:func:`sparql_plan`): the SHACL-SPARQL rules refuse ``MINUS``, ``VALUES``,
``SERVICE``, a sub-``SELECT`` that does not project ``$this`` and ``AS $this`` (a failure, by
the spec). A query is run once over the whole graph (``$this`` a free variable joined with the
focus nodes) only when that is equivalent to pre-binding: ``$this`` projected and bound by a
triple pattern of the top-level group, and used elsewhere only in triple patterns or in the
top-level group's ``FILTER``s (not in a ``BIND``, nor in an ``OPTIONAL`` before that triple).
Other queries run once per focus node with ``$this`` substituted (:func:`substitute_this`), which is what pre-binding means.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from ..core.namespaces import SH

_SH = str(SH)
_XSD = "http://www.w3.org/2001/XMLSchema#"


class UnsupportedShape(ValueError):
    """A shape uses a SHACL construct this engine does not translate (names shape and construct)."""


#: datatypes whose lexical forms the store can check: Oxigraph's XSD casts ...
CASTABLE = frozenset({"string", "boolean", "integer", "decimal", "float", "double", "date", "time",
                      "dateTime", "duration", "dayTimeDuration", "yearMonthDuration", "gYear"})
#: the integer types derived from xsd:integer: Oxigraph stores a valid "5"^^xsd:byte as
#: "5"^^xsd:integer (measured, pyoxigraph 0.5), so the store cannot tell them apart at all
DERIVED_INTEGERS = frozenset({"long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger",
                              "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
                              "unsignedShort", "unsignedByte"})

_META = {SH.severity, SH.message, SH.deactivated, SH.name, SH.description, SH.order, SH.group,
         SH.defaultValue, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
         SH.declare, SH.prefixes}
#: value constraints the compiler translates wherever a value is tested
_VALUE = {SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.flags, SH["in"], SH.hasValue,
          SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.minLength,
          SH.maxLength, SH["or"], SH["and"], SH.xone, SH["not"], SH.node, SH.languageIn}
_ALLOWED = {
    "node": _VALUE | {SH.property, SH.sparql, SH.closed, SH.ignoredProperties},
    "property": _VALUE | {SH.path, SH.minCount, SH.maxCount, SH.lessThan, SH.lessThanOrEquals,
                          SH.uniqueLang, SH.sparql, SH.equals, SH.disjoint},
    "member-node": _VALUE | {SH.property},
    "member-property": _VALUE | {SH.path, SH.minCount, SH.maxCount},
}
_LOGICAL_LISTS = (SH["and"], SH["or"], SH.xone)
_NODE_KINDS = {SH.IRI, SH.BlankNode, SH.Literal, SH.BlankNodeOrIRI, SH.BlankNodeOrLiteral, SH.IRIOrLiteral}


def _name(node: Node) -> str:
    return f"<{node}>" if isinstance(node, URIRef) else f"_:{node}"


def targeted_shapes(g: Graph) -> set[Node]:
    """Shapes with a target (explicit, implicit class, or SHACL-AF ``sh:target``)."""
    out: set[Node] = set()
    for pred in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
        out.update(g.subjects(pred, None))
    for kind in (SH.NodeShape, SH.PropertyShape):
        out.update(s for s in g.subjects(RDF.type, kind) if (s, RDF.type, RDFS.Class) in g)
    return out


def check_shapes(g: Graph) -> None:
    """Raise :class:`UnsupportedShape` for the first construct the compiler cannot translate."""
    for shape in sorted(targeted_shapes(g), key=str):
        if (shape, SH.target, None) in g:
            raise UnsupportedShape(f"shape {_name(shape)}: sh:target (a SHACL-AF custom target) "
                                   "is not supported by the SPARQL engine")
        kind = "property" if (shape, SH.path, None) in g else "node"
        try:
            _walk(g, shape, kind, set(), custom_parameters(g), ())
        except UnsupportedShape as e:
            if str(e).startswith(f"shape {_name(shape)}:"):
                raise
            raise UnsupportedShape(f"{e} (reached from the targeted shape {_name(shape)})") from None


def custom_parameters(g: Graph) -> dict[Node, Node]:
    """Parameters of the constraint components a shapes graph declares (SHACL-SPARQL
    ``sh:ConstraintComponent``): not annotations, though outside the ``sh:`` namespace."""
    # any node with sh:parameter: a component may be typed with a subclass of sh:ConstraintComponent
    return {g.value(p, SH.path): comp for comp in set(g.subjects(SH.parameter, None))
            for p in g.objects(comp, SH.parameter) if g.value(p, SH.path) is not None}


def _walk(g: Graph, shape: Node, kind: str, seen: set[tuple[Node, str]],
          custom: dict[Node, Node], stack: tuple[Node, ...]) -> None:
    if kind.startswith("member") and shape in stack:
        raise UnsupportedShape(f"shape {_name(shape)}: a recursive shape (reached again through "
                               "sh:node/sh:and/sh:or/sh:xone/sh:not) is not supported by the SPARQL engine")
    if (shape, kind) in seen and not kind.startswith("member"):
        return
    seen.add((shape, kind))
    stack = (*stack, shape)
    if g.value(shape, SH.deactivated) == Literal(True):
        return  # a deactivated shape checks nothing (all nodes conform)
    allowed = _ALLOWED[kind]
    for p, o in g.predicate_objects(shape):
        if p in custom:
            raise UnsupportedShape(f"shape {_name(shape)}: {_name(p)} is a parameter of the constraint "
                                   f"component {_name(custom[p])} (SHACL-SPARQL custom components are "
                                   "not supported by the SPARQL engine)")
        if not str(p).startswith(_SH) or p in _META or p == RDF.type:
            continue
        if p == SH.select and (None, SH.sparql, shape) in g:
            continue  # the shape is also the SPARQL constraint it names (sh:sparql itself)
        if p not in allowed:
            where = {"node": "a node shape", "property": "a property shape",
                     "member-node": "a member shape of sh:and/sh:or/sh:xone/sh:not",
                     "member-property": "a property shape inside sh:and/sh:or/sh:xone/sh:not"}[kind]
            raise UnsupportedShape(f"shape {_name(shape)}: sh:{str(p)[len(_SH):]} in {where} "
                                   "is not supported by the SPARQL engine")
        _check_value(g, shape, p, o)
        member = lambda m: "member-property" if (m, SH.path, None) in g else "member-node"
        if p == SH.property:
            _walk(g, o, "member-property" if kind.startswith("member") else "property", seen, custom, stack)
        elif p in _LOGICAL_LISTS:
            for m in Collection(g, o):
                _walk(g, m, member(m), seen, custom, stack)
        elif p in (SH["not"], SH.node):
            _walk(g, o, member(o), seen, custom, stack)
        elif p == SH.path:
            _check_path(g, shape, o, set())


def _check_value(g: Graph, shape: Node, p: URIRef, o: Node) -> None:
    if p == SH.datatype:
        check_datatype(shape, o)
    elif p == SH.nodeKind and o not in _NODE_KINDS:
        raise UnsupportedShape(f"shape {_name(shape)}: unknown sh:nodeKind {o}")
    elif p in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength):
        if not (isinstance(o, Literal) and isinstance(o.toPython(), int)):
            raise UnsupportedShape(f"shape {_name(shape)}: sh:{str(p)[len(_SH):]} {o!r} is not an integer")
    elif p in (SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint) and not isinstance(o, URIRef):
        raise UnsupportedShape(f"shape {_name(shape)}: sh:{str(p)[len(_SH):]} with a non-IRI value {o!r}")


def check_datatype(shape: Node, dt: Node) -> None:
    """An XSD datatype the store cannot check lexical forms of is refused at compile time."""
    s = str(dt)
    local = s[len(_XSD):] if s.startswith(_XSD) else None
    if local in DERIVED_INTEGERS:
        raise UnsupportedShape(f"shape {_name(shape)}: sh:datatype {s}: the store keeps such literals "
                               "as xsd:integer, so it cannot check this datatype")
    if local is not None and local not in CASTABLE:
        raise UnsupportedShape(f"shape {_name(shape)}: sh:datatype {s}: the store cannot check "
                               "the lexical forms of this datatype")


def _check_path(g: Graph, shape: Node, p: Node, seen: set[Node]) -> None:
    if isinstance(p, URIRef):
        return
    if p in seen:
        raise UnsupportedShape(f"shape {_name(shape)}: a cyclic sh:path")
    seen = seen | {p}
    if (p, RDF.first, None) in g:
        extra = set(g.predicates(p, None)) - {RDF.first, RDF.rest, RDF.type}
        if extra:  # a list that is also an inverse (or other) path: not a well-formed path
            raise UnsupportedShape(f"shape {_name(shape)}: sh:path {_name(p)} is a list and also has "
                                   f"{', '.join(sorted(str(x) for x in extra))}")
        items = list(Collection(g, p))
        if len(items) < 2:
            raise UnsupportedShape(f"shape {_name(shape)}: a sequence path of fewer than two steps")
        for i in items:
            _check_path(g, shape, i, seen)
        return
    preds = [q for q in g.predicates(p, None)]
    known = {SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath}
    if len(preds) != 1 or preds[0] not in known:
        raise UnsupportedShape(f"shape {_name(shape)}: unsupported sh:path {_name(p)}")
    arg = g.value(p, preds[0])
    if preds[0] == SH.alternativePath:
        for i in Collection(g, arg):
            _check_path(g, shape, i, seen)
    else:
        _check_path(g, shape, arg, seen)


# ------------------------------------------------------------------------ SPARQL constraints

_TOKEN = re.compile("|".join((  # the lexemes whose insides are not code
    r'"""(?:[^"\\]|\\.|"(?!""))*"""', r"'''(?:[^'\\]|\\.|'(?!''))*'''",  # long strings
    r'"(?:[^"\\\n]|\\.)*"', r"'(?:[^'\\\n]|\\.)*'",  # short strings
    r'<[^<>"{}|^`\\\s]*>', r"\#[^\n]*",  # IRIs, comments
)))


def _code_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_code): the text cut into code and literals/IRIs/comments."""
    out, pos = [], 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start(), True))
        out.append((m.start(), m.end(), False))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text), True))
    return out


def _code(text: str) -> str:
    """The text with literals, IRIs and comments blanked (same length): safe to scan for keywords."""
    return "".join(text[a:b] if code else " " * (b - a) for a, b, code in _code_spans(text))


_THIS = re.compile(r"[?$]this\b")


def substitute_this(text: str, term: str) -> str:
    """Pre-binding: ``$this`` replaced by the N-Triples ``term`` in code (after GROUP/ORDER BY
    as ``(term)``; a projection keeps ``?this``, unbound: the runner knows the focus node)."""
    # bound($this) is true under pre-binding (and bound() takes only a variable)
    text = "".join(re.sub(r"\bbound\s*\(\s*[?$]this\s*\)", "(true)", text[a:b], flags=re.IGNORECASE) if code else text[a:b]
                   for a, b, code in _code_spans(text))
    code = _code(text)
    up = code.upper()
    out, pos = [], 0
    for m in _THIS.finditer(code):
        out.append(text[pos:m.start()])
        sel, brace = up.rfind("SELECT", 0, m.start()), code.rfind("{", 0, m.start())
        close = code.rfind("}", 0, m.start())
        if sel > brace and sel > close:
            out.append("?this")  # left unbound in a projection; the runner names the focus node
        elif re.search(r"\b(GROUP|ORDER)\s+BY\b", up[close + 1:m.start()]) and close > brace:
            out.append(f"({term})")
        else:
            out.append(term)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def _groups(code: str, start: int) -> list[tuple[int, int, int]]:
    """Brace groups of the code from ``start``: (open, close, depth)."""
    out, stack = [], []
    for i in range(start, len(code)):
        c = code[i]
        if c == "{":
            stack.append(i)
        elif c == "}" and stack:
            o = stack.pop()
            out.append((o, i, len(stack)))
    return out


def _blank_parens(code: str) -> str:
    """Expressions (everything inside parentheses) and FILTER/BIND keywords blanked."""
    out, depth = [], 0
    for ch in code:
        if ch == "(":
            depth += 1
        out.append(" " if depth else ch)
        if ch == ")" and depth:
            depth -= 1
    return re.sub(r"\b(FILTER|BIND)\b", lambda m: " " * len(m.group(0)), "".join(out), flags=re.IGNORECASE)


def sparql_plan(shape: Node, text: str) -> str:
    """``"whole"`` (one run over the graph) or ``"per-focus"`` (pre-bound per focus node).

    Raises :class:`UnsupportedShape` for what SHACL-SPARQL forbids with pre-binding."""
    code = _code(text)
    up = code.upper()
    for kw in ("MINUS", "VALUES", "SERVICE"):
        if re.search(rf"\b{kw}\b", up):
            raise UnsupportedShape(f"shape {_name(shape)}: {kw} in a SPARQL constraint "
                                   "(not allowed with pre-binding, SHACL 5.3.1)")
    if re.search(r"\bAS\s+[?$]this\b", code, re.IGNORECASE):
        raise UnsupportedShape(f"shape {_name(shape)}: AS $this in a SPARQL constraint (SHACL 5.3.1)")
    if re.search(r"[?$](shapesGraph|currentShape)\b", code):
        raise UnsupportedShape(f"shape {_name(shape)}: $shapesGraph/$currentShape in a SPARQL constraint")
    selects = [m.start() for m in re.finditer(r"\bSELECT\b", up)]
    if not selects:
        raise UnsupportedShape(f"shape {_name(shape)}: sh:select without a SELECT")
    first_brace = code.find("{", selects[0])
    groups = _groups(code, first_brace) if first_brace >= 0 else []
    top = next(((o, c) for o, c, d in groups if d == 0), None)
    if top is None:
        raise UnsupportedShape(f"shape {_name(shape)}: cannot find the WHERE group of its sh:select")
    # sub-SELECTs must project $this (or not mention it)
    for s in selects[1:]:
        brace = code.find("{", s)
        head = code[s:brace]
        if not _THIS.search(head):  # (SELECT * does not count: pre-binding-006)
            raise UnsupportedShape(f"shape {_name(shape)}: a sub-SELECT that does not project $this "
                                   "(SHACL 5.3.1)")
    head = code[selects[0]:top[0]]
    if "*" not in head and not _THIS.search(head):
        raise UnsupportedShape(f"shape {_name(shape)}: its SELECT does not project $this")
    if len(selects) > 1 or re.search(r"\b(LIMIT|OFFSET|GROUP|HAVING|ORDER)\b", up):
        return "per-focus"
    # the top-level group's own text (nested groups blanked): where $this is surely bound
    o, c = top
    own = list(code[o + 1:c])
    for go, gc, d in groups:
        if d >= 1 and o < go < c:
            for i in range(go - o - 1, gc - o):
                if 0 <= i < len(own):
                    own[i] = " "
    top_code = "".join(own)
    # a top-level BIND is evaluated where it stands: before the triple that binds $this it would
    # see $this unbound, which pre-binding never does (run per focus node then)
    for m in re.finditer(r"\bBIND\s*\(", top_code, re.I):
        depth, i = 0, m.end() - 1
        while i < len(top_code):
            depth += {"(": 1, ")": -1}.get(top_code[i], 0)
            if depth == 0:
                break
            i += 1
        if _THIS.search(top_code[m.start():i]):
            return "per-focus"
    own_text = _blank_parens(top_code)

    def binds_this(text: str) -> bool:  # a top-level triple pattern with $this as subject or object
        return bool(re.search(r"(^|[.;{\s])[?$]this\s+\S", text) or re.search(r"\S\s+[?$]this\s*[.;}]", text))

    if not binds_this(own_text):
        return "per-focus"
    # an OPTIONAL with $this before the triple that binds it: its left side is then empty, and
    # the left join keeps other nodes' rows only (pre-binding would not): run per focus node
    for go, gc, d in groups:
        if d == 1 and o < go < c and _THIS.search(code[go:gc]) and \
                code[o:go].upper().rstrip().endswith("OPTIONAL") and not binds_this(own_text[:go - o - 1]):
            return "per-focus"
    # $this inside a nested group: only in a triple pattern (not in FILTER/BIND/sub-select there)
    for go, gc, d in groups:
        if d >= 1 and o < go < c:
            seg = code[go:gc]
            if re.search(r"\b(FILTER|BIND)\b", seg.upper()) and _THIS.search(seg):
                before = code[o:go].upper().rstrip()
                if not before.endswith("EXISTS"):
                    return "per-focus"
    return "whole"
