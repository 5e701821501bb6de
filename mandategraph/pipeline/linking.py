"""Cross-document pass: link each draft (A/80/L.n, revisions, addenda) to the instrument
adopted from it.

Per-source extraction already links what one document says about itself: a resolution's
adoption block "[without reference to a Main Committee (A/80/L.2/Rev.1)]" gives
``A/80/L.2/Rev.1 draftOf resolution 80/1`` (method ``adoption-block``, confidence 1). What
needs the whole batch is done here, in order of decreasing certainty:

1. ``revision``: a draft in the batch whose symbol differs from a named draft only by
   ``/Rev.n``, ``/Add.n`` or ``/Corr.n`` (A/80/L.2 when the block names A/80/L.2/Rev.1) is a
   draft of the same instrument (confidence 0.95);
2. ``title-agenda``: a draft that nothing names, whose title equals the instrument's title
   (case, quotes and spacing aside) and which shares an agenda item with it (0.85); the same
   title without agenda information gives 0.6. Only instruments adopted in plenary
   ("without reference to a Main Committee") or without an adoption block qualify: a
   resolution adopted on a committee report comes from a committee draft, not from A/n/L.m.
   Amendments (whose title is the amended draft's) never match by title.

Entry points: :func:`link_drafts` (pure: candidates in, relations out) and
:func:`link_store` (the pipeline's post-pass: reads candidates with the internal query
``_draft-link-candidates`` and stores the relations in the graph ``{base}/graph/linking``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Iterable

from ..build.builder import build_graph
from ..core.facts import (
    DocRef,
    DocumentFact,
    Facts,
    InstrumentRef,
    Prov,
    Relation,
    SourceInfo,
)
from ..core.resources import read_text

AMENDS_RULE = "res.masthead.amends"  #: rule of the cites link from an amendment to its draft
LINKING_PATH = "linking"  #: the pseudo source of the linking graph (graph/file/linking)


@dataclass
class DraftInfo:
    symbol: str
    title: str | None = None
    items: set[str] = field(default_factory=set)
    amendment: bool = False


@dataclass
class InstrumentInfo:
    ref: InstrumentRef
    symbol: str  #: the document carrying it
    title: str | None = None
    items: set[str] = field(default_factory=set)
    named: set[str] = field(default_factory=set)  #: documents named in the adoption block


_MOD = re.compile(r"/(?:Rev|Add|Corr)\.\d+$")


def base_symbol(symbol: str) -> str:
    """A/80/L.2/Rev.1 -> A/80/L.2 (all trailing modifiers)."""
    while _MOD.search(symbol):
        symbol = _MOD.sub("", symbol)
    return symbol


def norm_title(title: str | None) -> str:
    if not title:
        return ""
    t = title.lower().replace("’", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"[^0-9a-z]+", " ", t).strip()


def _is_draft_symbol(symbol: str) -> bool:
    return bool(re.search(r"/L\.\d+", symbol))


def link_drafts(drafts: Iterable[DraftInfo], instruments: Iterable[InstrumentInfo]) -> list[Relation]:
    """``draftOf`` relations the batch supports beyond the adoption blocks themselves."""
    drafts = list(drafts)
    instruments = list(instruments)
    out: list[Relation] = []
    linked: set[str] = set()
    named_by: dict[str, InstrumentRef] = {}
    for ins in instruments:
        for s in ins.named:
            if _is_draft_symbol(s):
                named_by[s] = ins.ref
                linked.add(s)
    # 1. revisions and addenda of a named draft
    by_base: dict[str, list[tuple[str, InstrumentRef]]] = {}
    for s, ref in named_by.items():
        by_base.setdefault(base_symbol(s), []).append((s, ref))
    for d in drafts:
        if d.symbol in linked:
            continue
        fam = by_base.get(base_symbol(d.symbol))
        if fam:
            named, ref = fam[0]
            out.append(Relation(DocRef(d.symbol), "draftOf", ref,
                                Prov(None, f"link.revision:{named}"), method="revision",
                                confidence=0.95))
            linked.add(d.symbol)
    # 2. title and agenda item
    open_instruments = [i for i in instruments
                        if not i.named or all(_is_draft_symbol(s) for s in i.named)]
    taken = {ref for ref in named_by.values()}
    for d in drafts:
        if d.symbol in linked or d.amendment or not d.title:
            continue
        key = norm_title(d.title)
        best: tuple[float, InstrumentInfo] | None = None
        for ins in open_instruments:
            if ins.ref in taken or norm_title(ins.title) != key:
                continue
            if d.items and ins.items:
                if not d.items & ins.items:
                    continue
                conf = 0.85
            else:
                conf = 0.6
            if best is None or conf > best[0]:
                best = (conf, ins)
        if best:
            out.append(Relation(DocRef(d.symbol), "draftOf", best[1].ref,
                                Prov(None, "link.title-agenda"),
                                method="title-agenda" if best[0] > 0.6 else "title",
                                confidence=best[0]))
            linked.add(d.symbol)
    return out


def candidates_from_facts(batches: Iterable[Facts]) -> tuple[list[DraftInfo], list[InstrumentInfo]]:
    """Drafts and instruments stated by the sources themselves (not by mentions)."""
    drafts: dict[str, DraftInfo] = {}
    instruments: dict[InstrumentRef, InstrumentInfo] = {}
    for facts in batches:
        own = facts.source.symbol
        doc_items: set[str] = set()
        carried: list[InstrumentRef] = []
        info_title = None
        amendment = False
        for f in facts.items:
            if isinstance(f, DocumentFact) and f.ref.symbol == own:
                info_title = f.title
            elif isinstance(f, Relation):
                if f.prov.rule == AMENDS_RULE:
                    amendment = True
                if f.predicate == "underAgendaItem" and f.subject == DocRef(own or ""):
                    doc_items.add(f.object.item)  # type: ignore[union-attr]
                elif f.predicate == "carriedBy" and f.object == DocRef(own or ""):
                    carried.append(f.subject)  # type: ignore[arg-type]
        if own is None:
            continue
        for ref in carried:
            ins = instruments.setdefault(ref, InstrumentInfo(ref, own))
            ins.items |= doc_items
            for f in facts.items:
                if isinstance(f, Relation) and f.subject == ref:
                    if f.predicate == "adoptedOnReportOf":
                        ins.named.add(f.object.symbol)  # type: ignore[union-attr]
                elif getattr(f, "ref", None) == ref and getattr(f, "title", None):
                    ins.title = f.title  # type: ignore[union-attr]
        if _is_draft_symbol(own) and not carried:
            d = drafts.setdefault(own, DraftInfo(own))
            d.title = d.title or info_title
            d.items |= doc_items
            d.amendment = d.amendment or amendment
    return list(drafts.values()), list(instruments.values())


def link_facts(batches: Iterable[Facts]) -> list[Relation]:
    """:func:`link_drafts` over the facts of a batch of sources."""
    drafts, instruments = candidates_from_facts(list(batches))
    return link_drafts(drafts, instruments)


def candidates_from_store(store) -> tuple[list[DraftInfo], list[InstrumentInfo]]:
    res = store.select(read_text("queries", "_draft-link-candidates.rq"))
    drafts: dict[str, DraftInfo] = {}
    instruments: dict[InstrumentRef, InstrumentInfo] = {}
    for row in res.dicts():
        kind = str(row["kind"])
        symbol = str(row["symbol"])
        title = str(row["title"]) if "title" in row else None
        item = str(row["item"]) if "item" in row else None
        if kind == "draft":
            d = drafts.setdefault(symbol, DraftInfo(symbol))
            d.title = d.title or title
            if item:
                d.items.add(item)
        else:
            ref = InstrumentRef(str(row["body"]), str(row["ikind"]), str(row["number"]))  # type: ignore[arg-type]
            ins = instruments.setdefault(ref, InstrumentInfo(ref, symbol))
            ins.title = ins.title or title
            if item:
                ins.items.add(item)
            if "named" in row:
                ins.named.add(str(row["named"]))
    carried = {i.symbol for i in instruments.values()}
    ds = [d for s, d in drafts.items() if s not in carried]
    return ds, list(instruments.values())


def link_store(store, iris=None) -> list[Relation]:
    """The pipeline's post-pass: compute the links over everything in the store and replace
    the linking graph with them. Returns the relations."""
    drafts, instruments = candidates_from_store(store)
    _mark_amendments(store, drafts)
    relations = link_drafts(drafts, instruments)
    # A derived graph has no file: its digest is that of its content, so a sync (push) sees
    # it change exactly when the links change.

    digest = hashlib.sha256("\n".join(sorted(map(repr, relations))).encode("utf-8")).hexdigest()
    facts = Facts(SourceInfo(path=LINKING_PATH, sha256=digest, media_type="application/x-linking-pass",
                             language="und"))
    for r in relations:
        facts.add(r)
    built = build_graph(facts, iris)
    store.replace_graph_nt(str(built.graph_iri), built.nt, checked=built.checked)
    return relations


def _mark_amendments(store, drafts: list[DraftInfo]) -> None:
    """Amendments carry the amended draft's title; they are found by their sponsors line rule."""
    res = store.select(read_text("queries", "_amendments.rq"))
    amend = {str(r[0]) for r in res.rows}
    for d in drafts:
        d.amendment = d.symbol in amend


__all__ = ["link_drafts", "link_facts", "link_store", "DraftInfo", "InstrumentInfo",
           "base_symbol"]
