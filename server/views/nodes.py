"""What the graph says about one node, with the provenance of every statement.

Two named queries per node (page-node: statements out, annotations, their quotes and the
label facts of the nodes it points to; page-node-in: statements in) give everything a page
needs; the page builders pick from :class:`NodeInfo` instead of running one
query per field. The rows are kept per store state in the app's bounded LRU
(``PageCaches.nodes``, reached as ``env.caches``), so nodes many pages show (a resolution and its recall chain) are read once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from mandategraph.core.namespaces import UN

from .env import PageEnv
from .lang import data_lang
from .model import FactRow, Link, Provenance, Value

#: Statements shown elsewhere on every page or that are plumbing, not facts.
_HIDDEN = frozenset({str(RDF.type), str(OWL.sameAs)})


@dataclass
class NodeInfo:
    iri: URIRef
    out: dict[str, list[Node]] = field(default_factory=dict)
    inn: dict[str, list[Node]] = field(default_factory=dict)
    node_provs: list[Provenance] = field(default_factory=list)
    edge_provs: dict[tuple[str, str, str], list[Provenance]] = field(default_factory=dict)

    @property
    def exists(self) -> bool:
        return bool(self.out or self.inn)

    @property
    def types(self) -> set[str]:
        return {str(t) for t in self.out.get(str(RDF.type), [])}

    def objects(self, p: URIRef) -> list[Node]:
        return self.out.get(str(p), [])

    def subjects(self, p: URIRef) -> list[Node]:
        return self.inn.get(str(p), [])

    def first(self, p: URIRef) -> Node | None:
        vals = self.objects(p)
        return vals[0] if vals else None

    def provs(self, s: Node, p: URIRef, o: Node) -> tuple[Provenance, ...]:
        return tuple(self.edge_provs.get((str(s), str(p), str(o)), ()))


@dataclass
class _Raw:
    out: list[tuple[Node, Node]]
    inn: list[tuple[Node, Node]]
    provs: list[dict[str, Node | None]]
    quotes: dict[str, list[tuple[str, int, int]]]
    #: directions ("out", "in") whose neighbours' label facts went to the label cache
    labelled: set[str] = field(default_factory=set)

    @property
    def weight(self) -> int:
        return 1 + len(self.out) + len(self.inn) + len(self.provs) + sum(map(len, self.quotes.values()))


def _raw_node(env: PageEnv, iri: URIRef) -> _Raw:
    """A node's rows: two queries (page-node: statements out, provenance, quotes and the
    label facts of what it points to; page-node-in: statements in), where there were five."""
    key = (env.generation, str(iri))
    raw = env.caches.nodes.get(key)
    if raw is not None:
        return raw
    out: list[tuple[Node, Node]] = []
    provs: list[dict[str, Node | None]] = []
    quotes: dict[str, list[tuple[str, int, int]]] = {}
    labels: dict[str, list[tuple[str, Node]]] = {}
    for row in env.select("page-node", iri=iri):
        part = str(row["part"])
        if part == "out":
            out.append((row["p"], row["o"]))
        elif part == "prov":
            provs.append({k: row.get(k) for k in _PROV_COLUMNS})
        elif part == "quote":
            quotes.setdefault(str(row["ann"]), []).append((str(row["quote"]), int(row["start"]), int(row["end"])))
        elif part == "label":
            labels.setdefault(str(row["x"]), []).append((str(row["lp"]), row["v"]))
    env.store_labels(labels)
    inn = [(row["p"], row["s"]) for row in env.select("page-node-in", iri=iri)]
    raw = _Raw(out, inn, provs, quotes, {"out"})
    env.caches.nodes.put(key, raw)
    return raw


#: The columns of page-node's "prov" rows (those of page-prov).
_PROV_COLUMNS = ("kind", "s", "p", "o", "ann", "source", "rule", "method", "confidence")


_KINDS = ("node", "subject", "object")


def load_node(env: PageEnv, iri: URIRef, labels: tuple[str, ...] = ("out", "in")) -> NodeInfo:
    """A node's statements (out and in) and the provenance of each.

    ``labels``: also load the label facts of the node's neighbours in these directions, which
    a page linking to them needs (one query each way, skipped when done before for this store
    state). A recall chain links only to what an instrument recalls: ``("out",)``.
    """
    info = NodeInfo(iri)
    raw = _raw_node(env, iri)
    todo = tuple(d for d in labels if d not in raw.labelled)
    if todo:
        env.prefetch_labels(iri, todo)
        raw.labelled.update(todo)
    for p, o in raw.out:
        info.out.setdefault(str(p), []).append(o)
    for p, s in raw.inn:
        info.inn.setdefault(str(p), []).append(s)
    by_kind: dict[str, list[dict[str, Node | None]]] = {k: [] for k in _KINDS}
    for row in raw.provs:
        by_kind[str(row["kind"])].append(row)
    for kind in _KINDS:
        seen: set[tuple] = set()
        for row in by_kind[kind]:
            ann = str(row["ann"])
            spans = raw.quotes.get(ann) or [(None, None, None)]
            for quote, start, end in spans:
                prov = provenance_of(env, row, quote, start, end)
                s = row.get("s") if kind == "object" else iri
                o = row.get("o") if kind == "subject" else iri
                key = (kind, str(s), str(row.get("p")), str(o), prov)
                if key in seen:
                    continue
                seen.add(key)
                if kind == "node":
                    info.node_provs.append(prov)
                else:
                    info.edge_provs.setdefault((str(s), str(row["p"]), str(o)), []).append(prov)
    return info


def provenance_of(env: PageEnv, row: dict[str, Node | None], quote: str | None,
                  start: int | None, end: int | None) -> Provenance:
    source = row.get("source")
    link_ = None
    lang = None
    if source is not None:
        doc_iri, lang, label = env.expression_parts(str(source))
        link_ = Link(str(source), env.href(doc_iri), label)
    conf = row.get("confidence")
    return Provenance(
        rule=str(row.get("rule") or ""), quote=quote, start=start, end=end,
        source=link_, source_lang=lang,
        method=str(row["method"]) if row.get("method") is not None else None,
        confidence=float(conf) if conf is not None else None,
    )


def link(env: PageEnv, iri: Node) -> Link:
    tail, tail_lang = env.label_tail(iri)
    return Link(str(iri), env.href(iri), env.label(iri), tail, tail_lang)


def value(env: PageEnv, info: NodeInfo, p: URIRef, o: Node, inverse: bool = False) -> Value:
    """One statement's object (or subject, when ``inverse``) as a displayable value."""
    provs = info.provs(o, p, info.iri) if inverse else info.provs(info.iri, p, o)
    if isinstance(o, Literal):
        # literal facts are stated by the node's own mentions
        # its language: its own tag, else that of the text its own statement quotes (the
        # node's mentions may be in another language than, say, a reference-table source)
        source_lang = next((pr.source_lang for pr in provs if pr.source_lang), None)
        return Value(str(o), None, data_lang(o, source_lang), provs or tuple(info.node_provs))
    return Value(env.label(o), link(env, o), None, provs)


def values(env: PageEnv, info: NodeInfo, p: URIRef, inverse: bool = False) -> tuple[Value, ...]:
    nodes = info.subjects(p) if inverse else info.objects(p)
    out = [value(env, info, p, o, inverse) for o in nodes]
    return tuple(sorted(out, key=lambda v: natural_key(v.text)))


def fact_rows(env: PageEnv, info: NodeInfo, skip: set[str] | None = None) -> tuple[FactRow, ...]:
    """Every statement about the node, grouped by property, each value with provenance."""
    skip = (skip or set()) | _HIDDEN
    rows: list[FactRow] = []
    for p in sorted(info.out, key=lambda p: env.term(p).lower()):
        if p in skip:
            continue
        rows.append(FactRow(p, env.term(p), values(env, info, URIRef(p))))
    for p in sorted(info.inn, key=lambda p: env.term(p).lower()):
        if p in skip or p == str(RDF.type):
            continue
        rows.append(FactRow(p, env.term(p), values(env, info, URIRef(p), inverse=True), inverse=True))
    return tuple(rows)


def natural_key(text: str) -> tuple:
    """Sort "item 2", "item 10", "CRP.3" in human order."""
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t.lower())
                 for t in re.findall(r"\d+|\D+", text))


def kind_of(types: set[str]) -> str:
    """The page kind for a node's types."""
    if str(UN.Instrument) in types or str(UN.Resolution) in types or str(UN.Decision) in types:
        return "instrument"
    if str(UN.Session) in types:
        return "session"
    if str(UN.Mandate) in types:
        return "mandate"
    if str(UN.Body) in types or any(t.endswith(("#Conference", "#WorkingGroup", "#Secretariat", "#Bureau"))
                                    for t in types):
        return "body"
    if str(UN.Document) in types:
        return "document"
    return "resource"
