"""Lineage: from a document to the paragraph that asked for it, its instrument, and the
chain of instruments that instrument recalls, as a list and as a layered picture."""

from __future__ import annotations

from dataclasses import replace

from rdflib import URIRef
from rdflib.term import Node

from mandategraph.core.namespaces import UN

from .env import PageEnv, local_name
from .lang import data_lang
from .model import (
    Lineage,
    LineageEdge,
    LineageNode,
    Link,
    MandateLink,
    Provenance,
    RecallItem,
)
from .nodes import NodeInfo, link, load_node, natural_key
from .svg import render
from .mandates import mandate_view

MAX_NODES = 40
MAX_DEPTH = 8


def recall_edges(env: PageEnv, instrument: URIRef) -> dict[str, list[tuple[str, str]]]:
    """from-IRI -> [(predicate, to-IRI)] for everything reachable by recalls and its kin."""
    out: dict[str, list[tuple[str, str]]] = {}
    for row in env.select("page-recalls", iri=instrument):
        edge = (str(row["p"]), str(row["to"]))
        lst = out.setdefault(str(row["from"]), [])
        if edge not in lst:
            lst.append(edge)
    for lst in out.values():
        lst.sort(key=lambda e: natural_key(env.label(e[1])))
    return out


def recall_list(env: PageEnv, instrument: URIRef,
                edges: dict[str, list[tuple[str, str]]] | None = None) -> tuple[RecallItem, ...]:
    """Depth-first list of the recall tree; a node met again is listed once more, marked."""
    edges = recall_edges(env, instrument) if edges is None else edges
    items: list[RecallItem] = []
    seen: set[str] = {str(instrument)}
    prov_cache: dict[str, NodeInfo] = {}

    def provs(src: str, p: str, dst: str) -> tuple[Provenance, ...]:
        if src not in prov_cache:
            prov_cache[src] = load_node(env, URIRef(src), labels=("out",))
        return prov_cache[src].provs(URIRef(src), URIRef(p), URIRef(dst))

    def walk(node: str, depth: int) -> None:
        if depth > MAX_DEPTH or len(items) >= MAX_NODES:
            return
        for p, dst in edges.get(node, []):
            repeated = dst in seen
            items.append(RecallItem(link(env, URIRef(dst)), env.term(p), depth, provs(node, p, dst),
                                    repeated))
            if not repeated:
                seen.add(dst)
                walk(dst, depth + 1)

    walk(str(instrument), 1)
    return tuple(items)


class _Graph:
    def __init__(self, env: PageEnv):
        self.env = env
        self.nodes: dict[str, LineageNode] = {}
        self.edges: list[LineageEdge] = []

    def node(self, iri: str, kind: str, level: int, label: str | None = None, note: str = "",
             note_lang: str | None = None) -> str:
        if iri not in self.nodes and len(self.nodes) < MAX_NODES:
            self.nodes[iri] = LineageNode(iri, label or self.env.label(iri), kind,
                                          self.env.href(iri), level, note, note_lang)
        return iri

    def edge(self, a: str, b: str, label: str) -> None:
        e = LineageEdge(a, b, label)
        if a in self.nodes and b in self.nodes and e not in self.edges:
            self.edges.append(e)

    def recalls(self, start: str, level: int, edges: dict[str, list[tuple[str, str]]]) -> None:
        frontier, depth = [start], 0
        while frontier and depth < MAX_DEPTH:
            nxt = []
            for src in frontier:
                for p, dst in edges.get(src, []):
                    fresh = dst not in self.nodes
                    self.node(dst, "instrument", level + depth + 1)
                    self.edge(src, dst, self.env.term(p))
                    if fresh and dst in self.nodes:
                        nxt.append(dst)
            frontier, depth = nxt, depth + 1

    def build(self, title: str, desc: str) -> Lineage:
        bare = Lineage(tuple(self.nodes.values()), tuple(self.edges))
        return Lineage(bare.nodes, bare.edges, render(bare, title, desc, self.env.caches.dot))


def document_mandates(env: PageEnv, doc: NodeInfo) -> tuple[MandateLink, ...]:
    """Each mandate / instrument that asked for the document, with quotes and recall chains."""
    found: dict[tuple[str, str], MandateLink] = {}
    targets: list[tuple[str, URIRef, tuple[Provenance, ...]]] = []
    for x in doc.objects(UN.mandatedBy):
        targets.append(("mandatedBy", x, doc.provs(doc.iri, UN.mandatedBy, x)))
    for m in doc.subjects(UN.fulfilledBy):
        targets.append(("fulfilledBy", m, doc.provs(m, UN.fulfilledBy, doc.iri)))
    for via, x, provs in targets:
        info = load_node(env, URIRef(x))
        mandate = paragraph = instrument = None
        if str(UN.Mandate) in info.types:
            mandate = info
            insts = info.subjects(UN.hasMandate)
            instrument = insts[0] if insts else None
            paras = info.objects(UN.inParagraph)
            paragraph = load_node(env, URIRef(paras[0])) if paras else None
        elif str(UN.Paragraph) in info.types:
            paragraph = info
            parents = info.objects(UN.partOf)
            instrument = parents[0] if parents else None
            ms = info.subjects(UN.inParagraph)
            mandate = load_node(env, URIRef(ms[0])) if ms else None
        else:
            instrument = x
        key = (str(instrument), str(mandate.iri) if mandate else (str(paragraph.iri) if paragraph else ""))
        if key in found:
            old = found[key]
            found[key] = replace(old, provs=old.provs + provs)
            continue
        siblings: set[str] = set()
        if mandate is not None:
            siblings.update(str(d) for d in mandate.objects(UN.fulfilledBy))
        if paragraph is not None:
            siblings.update(str(d) for d in paragraph.subjects(UN.mandatedBy))
        if mandate is None and paragraph is None and instrument is not None:
            siblings.update(str(d) for d in info.subjects(UN.mandatedBy))
        siblings.discard(str(doc.iri))
        text = paragraph.first(UN.text) if paragraph else None
        summary_of = _paraphrase_source(env, paragraph, text, instrument)
        mview = None
        if mandate is not None and instrument is not None:
            mview = mandate_view(env, URIRef(mandate.iri), URIRef(instrument), tuple(mandate.node_provs))
        found[key] = MandateLink(
            via=via, mandate=mview,
            paragraph=link(env, paragraph.iri) if paragraph else None,
            paragraph_text=str(text) if text is not None else None,
            paragraph_source=summary_of,
            instrument=link(env, instrument) if instrument is not None else None,
            provs=provs,
            siblings=tuple(sorted((link(env, URIRef(s)) for s in siblings),
                                  key=lambda lk: natural_key(lk.label))),
            recalls=recall_list(env, URIRef(instrument)) if instrument is not None else (),
        )
    return _merge(found)


def _paraphrase_source(env: PageEnv, paragraph: NodeInfo | None, text: Node | None,
                       instrument: Node | None) -> Link | None:
    """The document a paragraph's text was read from, when that is not a document carrying
    the instrument (then the text is someone's summary of the paragraph, not the paragraph)."""
    if paragraph is None or text is None:
        return None
    provs = paragraph.provs(paragraph.iri, UN.text, text) or tuple(paragraph.node_provs)  # literals: the node's own
    sources = [p.source for p in provs if p.source is not None]
    if not sources:
        return None
    carriers = {str(d) for d in load_node(env, URIRef(instrument)).objects(UN.carriedBy)} if instrument else set()
    docs = [(env.expression_parts(s.iri)[0], s) for s in sources]
    if any(d in carriers for d, _ in docs):
        return None
    doc = docs[0][0]
    return Link(doc, env.href(doc), env.label(doc))


def _merge(found: dict[tuple[str, str], MandateLink]) -> tuple[MandateLink, ...]:
    """Fold "mandated by instrument X" into "fulfils a mandate of X" when both are known."""
    specific = {k[0] for k in found if k[1]}
    out: list[MandateLink] = []
    extra: dict[str, tuple[Provenance, ...]] = {}
    for (inst, detail), ml in found.items():
        if not detail and inst in specific:
            extra[inst] = extra.get(inst, ()) + ml.provs
        else:
            out.append(ml)
    merged = []
    for ml in out:
        add = extra.pop(ml.instrument.iri, ()) if ml.instrument else ()
        if add:
            ml = replace(ml, via="mandatedBy", provs=add + ml.provs)
        merged.append(ml)
    return tuple(merged)


def document_lineage(env: PageEnv, doc: NodeInfo, symbol: str,
                     mandates: tuple[MandateLink, ...], carried: tuple[Link, ...] = ()) -> Lineage:
    g = _Graph(env)
    root = g.node(str(doc.iri), "document", 0, symbol)
    for inst in carried:  # a resolution document: the instrument it carries, then its recalls
        g.node(inst.iri, "instrument", 1)
        g.edge(root, inst.iri, env.msg("carries-short"))
        g.recalls(inst.iri, 1, recall_edges(env, URIRef(inst.iri)))
    for ml in mandates:
        parent = root
        mid = ml.paragraph or (ml.mandate.link if ml.mandate else None)
        if mid is not None:
            inst_label = ml.instrument.label if ml.instrument is not None else ""
            short = (mid.label[len(inst_label):].lstrip(", ") if inst_label and mid.label.startswith(inst_label)
                     else mid.label) if ml.paragraph else local_name(mid.iri)
            # the note quotes the paragraph's stored text: data, in its own language
            g.node(mid.iri, "paragraph", 1, label=short, note=_short(ml.paragraph_text),
                   note_lang=data_lang(None) if ml.paragraph_text else None)
            g.edge(root, mid.iri, env.term(UN.mandatedBy) if ml.via == "mandatedBy"
                   else env.msg("fulfils"))
            parent = mid.iri
        if ml.instrument is not None:
            g.node(ml.instrument.iri, "instrument", 2 if mid is not None else 1)
            g.edge(parent, ml.instrument.iri,
                   env.term(UN.partOf) if mid is not None else env.term(UN.mandatedBy))
            g.recalls(ml.instrument.iri, g.nodes[ml.instrument.iri].level if ml.instrument.iri in g.nodes
                      else 2, recall_edges(env, URIRef(ml.instrument.iri)))
    if len(g.nodes) == 1:
        return Lineage((), ())
    return g.build(env.msg("lineage-of", name=symbol), env.msg("lineage-desc"))


def instrument_lineage(env: PageEnv, inst: URIRef, label: str,
                       edges: dict[str, list[tuple[str, str]]]) -> Lineage:
    g = _Graph(env)
    g.node(str(inst), "instrument", 0, label)
    g.recalls(str(inst), 0, edges)
    if len(g.nodes) == 1:
        return Lineage((), ())
    return g.build(env.msg("recalls-of", name=label), env.msg("lineage-desc"))


def _short(text: str | None, n: int = 60) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


__all__ = [
    "Link",
    "document_lineage",
    "document_mandates",
    "instrument_lineage",
    "recall_edges",
    "recall_list",
]
