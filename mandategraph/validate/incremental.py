"""Incremental SHACL validation: one source's named graph and the nodes it links to.

Why: when a source is (re)ingested into a store of a million documents, re-validating the
whole store takes tens of seconds; the new graph can only break constraints on its own nodes
and on the nodes it links to. So we fetch a bounded neighbourhood from the store with a few
VALUES-bound queries (their cost depends on the size of the source graph, not of the store),
validate that small graph with the compiled SPARQL checks (:mod:`.sparql_compile`) and keep the
results whose focus node is a node of the source graph.

The neighbourhood of the graph's nodes N (every IRI or blank node it mentions):

1. every triple whose subject is in N (their full descriptions, from any graph);
2. the ``rdf:type`` of every object of those triples (for ``sh:class`` checks one hop out);
3. for each predicate the shapes use in an inverse path (``^oa:hasBody``, ``^un:hasMandate``,
   ...), up to ``INVERSE_CAP`` subjects per node: enough for every ``minCount``/``maxCount`` a
   shape puts on an inverse path (``maxCount`` + 1), never the 50,000 instruments of a body;
4. for each literal value of a predicate that a SPARQL-based constraint joins on (``un:symbol``,
   ``un:number``: the uniqueness constraints), up to ``INVERSE_CAP`` other nodes with that value,
   with their descriptions.

Limits, by design: a constraint that needs more than this (a count over an inverse path
above the cap, a SPARQL constraint joining on something else) is only checked by the full
validation (:func:`mandategraph.validate.sparql_engine.validate_store_sparql`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from ..build.ntriples import nt_term
from ..core.namespaces import SH
from ..store.interface import Store, Triple
from ..store.oxigraph_store import OxigraphStore
from ..store.sparql_text import ReadError, read_query
from .report import ValidationOutcome, report_graph, shapes_graph
from .sparql_engine import iter_results

INVERSE_CAP = 3
_CHUNK = 400  # VALUES rows per query


@dataclass(frozen=True)
class _ShapeUse:
    """How the shapes use inverse paths and SPARQL joins (decides what to fetch)."""

    counted: frozenset[str]  # inverse predicates with a maxCount (or count > 1): always looked up
    single: frozenset[str]  # inverse predicates with a standalone minCount 1
    or_lists: tuple[tuple[tuple[str, bool], ...], ...]  # existence-only sh:or lists: (pred, inverse)
    #: (p1, p2): nodes sharing a value ?v with a focus node (``?this p1 ?v . ?x p2 ?v``) matter,
    #: from paths like ``( p1 [ sh:inversePath p2 ] )`` and predicates a sh:sparql query repeats
    joined: frozenset[tuple[str, str]]
    #: inverse predicate -> classes of the focus nodes it is checked on (None: any node)
    targets: tuple[tuple[str, frozenset[str] | None], ...] = ()

    def needs(self, pred: str, types: set[str]) -> bool:
        for p, classes in self.targets:
            if p == pred:
                return classes is None or bool(classes & types)
        return True

    @property
    def or_only(self) -> frozenset[str]:
        inv = {p for lst in self.or_lists for p, is_inv in lst if is_inv}
        return frozenset(inv - self.counted - self.single)


def _root_classes(sg: Graph, shape: Node, depth: int = 0) -> set[str] | None:
    """Target classes of the shape(s) a (nested) shape is checked under; None if unknown."""
    if depth > 8:
        return None
    out: set[str] = {str(c) for c in sg.objects(shape, SH.targetClass)}
    if (shape, SH.targetNode, None) in sg or (shape, SH.targetSubjectsOf, None) in sg or \
            (shape, SH.targetObjectsOf, None) in sg:
        return None
    parents = list(sg.subjects(SH.property, shape))
    for cell in sg.subjects(RDF.first, shape):  # member of a logical list: find the list's owner
        head = cell
        while True:
            prev = next(iter(sg.subjects(RDF.rest, head)), None)
            if prev is None:
                break
            head = prev
        parents.extend(s for s, p in sg.subject_predicates(head) if p in (SH["or"], SH["and"], SH.xone))
        parents.extend(sg.subjects(SH["not"], shape))
    parents.extend(sg.subjects(SH["not"], shape))
    for parent in parents:
        sub = _root_classes(sg, parent, depth + 1)
        if sub is None:
            return None
        out |= sub
    return out


@lru_cache(maxsize=8)
def _shape_use(sg: Graph) -> _ShapeUse:
    """What the shapes graph needs of a neighbourhood, once per shapes graph (an rdflib graph is
    hashed by its identifier, a fresh one for every Graph())."""
    members = set(sg.objects(None, RDF.first))
    counted, single = set(), set()
    for prop, path in sg.subject_objects(SH.path):
        inv = sg.value(path, SH.inversePath)
        if not isinstance(inv, URIRef):
            continue
        mx, mn = sg.value(prop, SH.maxCount), sg.value(prop, SH.minCount)
        if mx is not None or (mn is not None and int(mn) > 1):
            counted.add(str(inv))
        elif mn is not None and prop not in members:
            single.add(str(inv))
        elif prop not in members:
            counted.add(str(inv))  # another constraint on an inverse path: look it up fully
    or_lists = []
    for lst in sg.objects(None, SH["or"]):
        branch = []
        for m in Collection(sg, lst):
            path = sg.value(m, SH.path)
            extra = set(sg.predicates(m, None)) - {SH.path, SH.minCount, RDF.type}
            if path is None or extra or sg.value(m, SH.minCount) != Literal(1):
                branch = []
                break
            inv = sg.value(path, SH.inversePath)
            if isinstance(path, URIRef):
                branch.append((str(path), False))
            elif isinstance(inv, URIRef):
                branch.append((str(inv), True))
            else:
                branch = []
                break
        if branch:
            or_lists.append(tuple(branch))
    all_inverse = {str(p) for p in sg.objects(None, SH.inversePath) if isinstance(p, URIRef)}
    in_or = {p for lst in or_lists for p, is_inv in lst if is_inv}
    counted |= all_inverse - single - in_or  # inverse paths used in other ways: full lookup
    ns: dict[str, str] = {}
    for d in sg.objects(None, SH.declare):
        pre, iri = sg.value(d, SH.prefix), sg.value(d, SH.namespace)
        if pre is not None and iri is not None:
            ns[str(pre)] = str(iri)
    joined: set[str] = set()
    prologue = "".join(f"PREFIX {p}: <{i}>\n" for p, i in ns.items())
    for text in sg.objects(None, SH.select):
        # a predicate written twice joins two nodes on a value (uniqueness constraints),
        # counted on the reference parser's reading (the one SPARQL text layer)
        try:
            counts = dict(read_query(prologue + str(text)).iri_counts)
        except ReadError as e:  # the engines could not run it either: say which text
            raise ValueError(f"a SHACL sh:select is not a SPARQL query: {e}\n{str(text)[:300]}") from None
        joined.update((n, n) for n, c in counts.items() if c > 1 and n != str(RDF.type))
    for path in sg.objects(None, SH.path):
        if (path, RDF.first, None) in sg:
            steps = list(Collection(sg, path))
            for a, b in zip(steps, steps[1:]):
                inv = sg.value(b, SH.inversePath)
                if isinstance(a, URIRef) and isinstance(inv, URIRef):
                    joined.add((str(a), str(inv)))
    targets: dict[str, set[str] | None] = {}
    for prop, path in sg.subject_objects(SH.path):
        inv = sg.value(path, SH.inversePath)
        if isinstance(inv, URIRef):
            classes = _root_classes(sg, prop)
            old = targets.get(str(inv), set())
            targets[str(inv)] = None if classes is None or old is None else old | classes
    use = _ShapeUse(frozenset(counted), frozenset(single), tuple(or_lists),
                    frozenset(joined),
                    tuple((p, None if c is None else frozenset(c)) for p, c in sorted(targets.items(), key=lambda t: t[0])))
    return use


def _chunks(items: list, n: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def neighbourhood(store: Store, graph_iri: str, shapes: Graph | None = None) -> tuple[list[Triple], set[Node]]:
    """The source graph's triples plus the bounded neighbourhood described in the module doc."""
    sg = shapes if shapes is not None else shapes_graph()
    use = _shape_use(sg)
    own = [(s, p, o) for s, p, o, _ in store.quads(graph_iri)]
    nodes: set[Node] = set()
    for s, p, o in own:
        nodes.add(s)
        if not isinstance(o, Literal) and p != RDF.type:
            nodes.add(o)
    triples: set[Triple] = set(own)
    iri_nodes = sorted((n for n in nodes if isinstance(n, URIRef)), key=str)
    # 1 + 2: descriptions of the nodes, types of their objects
    for chunk in _chunks(iri_nodes):
        vals = " ".join(nt_term(n) for n in chunk)
        triples.update(store.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {vals} }} ?s ?p ?o }}"))
        triples.update(store.construct(
            f"CONSTRUCT {{ ?o a ?t }} WHERE {{ VALUES ?s {{ {vals} }} ?s ?p ?o . ?o a ?t }}"))
    # 3: a few subjects per (node, inverse predicate), skipping what is already known
    outgoing = {(s, str(p)) for s, p, _o in triples}
    incoming = {(o, str(p)) for _s, p, o in triples}
    extra: set[Node] = set()
    # counted inverse paths (a maxCount): every subject, one VALUES query per predicate; a
    # node with many of them violates the maxCount anyway (capped by the LIMIT)
    for p in sorted(use.counted):
        for chunk in _chunks(iri_nodes):
            vals = " ".join(nt_term(n) for n in chunk)
            res = store.select(f"SELECT ?x ?n WHERE {{ VALUES ?n {{ {vals} }} ?x <{p}> ?n }} "
                               f"LIMIT {len(chunk) * 20}")
            for x, n in res.rows:
                triples.add((x, URIRef(p), n))
                extra.add(x)
    types: dict[Node, set[str]] = {}
    for s_, p_, o_ in triples:
        if p_ == RDF.type:
            types.setdefault(s_, set()).add(str(o_))
    wanted: list[tuple[Node, str]] = []
    for n in iri_nodes:
        nt = types.get(n, set())
        for p in sorted(use.single):
            if (n, p) not in incoming and use.needs(p, nt):
                wanted.append((n, p))
        for lst in use.or_lists:
            if any(((n, p) in incoming) if inv else ((n, p) in outgoing) for p, inv in lst):
                continue
            wanted.extend((n, p) for p, inv in lst if inv and p in use.or_only and use.needs(p, nt))
    branches = [f"{{ SELECT ?x (<{p}> AS ?p) ({nt_term(n)} AS ?n) WHERE {{ ?x <{p}> {nt_term(n)} }} "
                f"LIMIT {INVERSE_CAP} }}" for n, p in dict.fromkeys(wanted)]
    for chunk in _chunks(branches, 200):
        res = store.select("SELECT ?x ?p ?n WHERE { " + " UNION ".join(chunk) + " }")
        for x, p, n in res.rows:
            triples.add((x, p, n))
            extra.add(x)
    joined = use.joined
    # 4: other nodes sharing a literal the SPARQL constraints join on (uniqueness)
    via: dict[str, set[str]] = {}
    for p1, p2 in joined:
        via.setdefault(p1, set()).add(p2)
    shared = sorted({(p2, o) for s, p, o in triples if isinstance(o, Literal) and s in nodes
                     for p2 in via.get(str(p), ())}, key=lambda t: (t[0], str(t[1])))
    branches = [f"{{ SELECT ?x WHERE {{ ?x <{p}> {nt_term(o)} }} LIMIT {INVERSE_CAP + 1} }}" for p, o in shared]
    for chunk in _chunks(branches, 200):
        res = store.select("SELECT DISTINCT ?x WHERE { " + " UNION ".join(chunk) + " }")
        extra.update(r[0] for r in res.rows if r[0] is not None and r[0] not in nodes)
    extra_iris = sorted((n for n in extra if isinstance(n, URIRef) and n not in nodes), key=str)
    for chunk in _chunks(extra_iris):
        vals = " ".join(nt_term(n) for n in chunk)
        triples.update(store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {vals} }} ?s ?p ?o }}"))
    return sorted(triples, key=lambda t: tuple(map(str, t))), nodes


def validate_incremental(store: Store, graph_iri: str, shapes: Graph | None = None) -> ValidationOutcome:
    """Validate the named graph ``graph_iri`` of ``store`` and the nodes it links to.

    Results are those the full validation would give for these nodes (focus node in the
    graph), computed from a bounded neighbourhood, so the time does not grow with the store.
    """
    sg = shapes if shapes is not None else shapes_graph()
    triples, nodes = neighbourhood(store, graph_iri, sg)
    local = OxigraphStore(None)
    local.replace_graph(graph_iri, triples)
    classes = {str(o) for _s, p, o in triples if p == RDF.type}
    predicates = {str(p) for _s, p, _o in triples}
    only = lambda check: check.applies_to(classes, predicates)
    results = tuple(dict.fromkeys(r for r in iter_results(local, sg, only) if r.focus in nodes))
    return ValidationOutcome(results, report_graph(results, sg))


__all__ = ["INVERSE_CAP", "neighbourhood", "validate_incremental"]
