"""Cross-document pass: link each draft (A/80/L.n, revisions, addenda) to the instrument
adopted from it.

Per-source extraction already links what one document says about itself: a resolution's
adoption block "[without reference to a Main Committee (A/80/L.2/Rev.1)]" gives
``A/80/L.2/Rev.1 draftOf resolution 80/1`` (method ``adoption-block``, confidence 1). What
needs the whole batch is done here, in order of decreasing certainty:

Main Committee drafts (A/C.1/80/L.5) are never named by the resolution: its block names the
committee's report. They are linked by rule 2 with the committee, session and agenda item.

1. ``revision``: a draft in the batch whose symbol differs from a named draft only by
   ``/Rev.n``, ``/Add.n`` or ``/Corr.n`` (A/80/L.2 when the block names A/80/L.2/Rev.1) is a
   draft of the same instrument (confidence 0.95);
2. ``title-agenda``: a draft that nothing names, whose title equals the instrument's title
   (case, quotes and spacing aside) and which shares an agenda item with it (0.85); the same
   title without agenda information gives 0.6. Only instruments adopted in plenary
   ("without reference to a Main Committee") or without an adoption block qualify: a
   resolution adopted on a committee report comes from a committee draft, not from A/n/L.m.
   Amendments (whose title is the amended draft's) never match by title.
   A resolution adopted "on the report of the First Committee (A/80/534 ...)" matches only a
   draft considered by that committee, at the same session, under the same agenda item, with
   the same title (``committee-report``, 0.9; evidence: report, committee, item, session).
   Never two instruments for one draft (a tie links none); several drafts with one
   instrument's title: the officer's draft made "on the basis of" the others, or the
   revision, is the one adopted; otherwise none is linked.

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
    committee: str | None = None  #: BodyRef key of the Main Committee considering it ("A/C.1")
    session: int | None = None  #: the Assembly session it is submitted to
    based_on: set[str] = field(default_factory=set)  #: drafts it was made from


@dataclass
class InstrumentInfo:
    ref: InstrumentRef
    symbol: str  #: the document carrying it
    title: str | None = None
    items: set[str] = field(default_factory=set)
    named: set[str] = field(default_factory=set)  #: documents named in the adoption block
    committee: str | None = None  #: the committee whose report it was adopted on
    session: int | None = None


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
    # 2. title, agenda item, session and committee (3. below: title alone)
    taken = set(named_by.values())
    by_title: dict[str, list[DraftInfo]] = {}
    for d in drafts:
        if d.symbol in linked or d.amendment or not d.title:
            continue
        by_title.setdefault(norm_title(d.title), []).append(d)
    proposals: dict[str, list[tuple[float, str, str, InstrumentInfo]]] = {}
    for ins in instruments:
        if ins.ref in taken:
            continue
        for d in by_title.get(norm_title(ins.title), ()):
            got = _title_link(d, ins)
            if got is not None:
                proposals.setdefault(d.symbol, []).append((*got, ins))
    # one instrument per draft: the most certain; a tie between instruments links none
    per_instrument: dict[InstrumentRef, list[tuple[float, str, str, DraftInfo]]] = {}
    drafts_by_symbol = {d.symbol: d for d in drafts}
    for symbol, props in proposals.items():
        props.sort(key=lambda x: -x[0])
        if len(props) > 1 and props[1][0] == props[0][0]:
            continue
        conf, method, evidence, ins = props[0]
        per_instrument.setdefault(ins.ref, []).append((conf, method, evidence,
                                                       drafts_by_symbol[symbol]))
    for ref, cands in per_instrument.items():
        for conf, method, evidence, d in _final_drafts(cands):
            out.append(Relation(DocRef(d.symbol), "draftOf", ref, Prov(None, evidence),
                                method=method, confidence=conf))
            linked.add(d.symbol)
    return out


def _title_link(d: DraftInfo, ins: InstrumentInfo) -> tuple[float, str, str] | None:
    """(confidence, method, evidence) of a draft -> instrument link by the same title, or None.

    - a resolution adopted on a committee's report comes from a draft that committee
      considered: same committee, session and agenda item -> 0.9 (``committee-report``);
      a draft of no committee (A/n/L.m) never matches it;
    - otherwise (plenary adoption or no adoption block): same agenda item -> 0.85
      (``title-agenda``), no agenda information on one side -> 0.6 (``title``);
    - a different session or a disjoint agenda item never matches."""
    if d.session and ins.session and d.session != ins.session:
        return None
    if d.items and ins.items and not d.items & ins.items:
        return None
    report = sorted(s for s in ins.named if not _is_draft_symbol(s))
    if ins.committee or report:
        if not d.committee or d.committee != ins.committee or not (d.items and ins.items):
            return None
        item = sorted(d.items & ins.items)[0]
        return 0.9, "committee-report", (f"link.committee-report:{','.join(report)}"
                                         f"|committee={d.committee}|item={item}|session={d.session}")
    if d.committee:
        return None  # a committee draft becomes a resolution on the committee's report
    if d.items and ins.items:
        item = sorted(d.items & ins.items)[0]
        return 0.85, "title-agenda", f"link.title-agenda|item={item}"
    return 0.6, "title", "link.title"


def _final_drafts(cands: list) -> list:
    """Several drafts with the instrument's title: the one adopted is the draft the others
    led to (an officer's draft "on the basis of informal consultations on" another, a
    revision of it); when that leaves more than one, none is linked (ambiguous)."""
    symbols = {c[3].symbol for c in cands}
    superseded = set()
    for c in cands:
        d = c[3]
        superseded |= d.based_on & symbols
        if d.symbol != base_symbol(d.symbol) and base_symbol(d.symbol) in symbols:
            superseded.add(base_symbol(d.symbol))
    left = [c for c in cands if c[3].symbol not in superseded]
    if len(left) == 1:
        return left
    return []


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
        committee = session = None
        based_on: set[str] = set()
        issuers: dict[str, str] = {}
        for f in facts.items:
            if isinstance(f, DocumentFact) and f.ref.symbol == own:
                info_title = f.title
            elif isinstance(f, Relation):
                if f.prov.rule == AMENDS_RULE:
                    amendment = True
                if f.subject == DocRef(own or ""):
                    if f.predicate == "consideredBy":
                        committee = f.object.key  # type: ignore[union-attr]
                    elif f.predicate == "submittedTo" and hasattr(f.object, "number"):
                        session = f.object.number  # type: ignore[union-attr]
                    elif f.predicate == "basedOn":
                        based_on.add(f.object.symbol)  # type: ignore[union-attr]
                elif f.predicate == "issuedBy" and isinstance(f.subject, DocRef) \
                        and hasattr(f.object, "key"):
                    issuers[f.subject.symbol] = f.object.key  # type: ignore[union-attr]
                if f.predicate == "underAgendaItem" and f.subject == DocRef(own or ""):
                    doc_items.add(f.object.item)  # type: ignore[union-attr]
                elif f.predicate == "carriedBy" and f.object == DocRef(own or ""):
                    carried.append(f.subject)  # type: ignore[arg-type]
        if own is None:
            continue
        for ref in carried:
            ins = instruments.setdefault(ref, InstrumentInfo(ref, own))
            ins.items |= doc_items
            ins.session = ins.session or session
            for f in facts.items:
                if isinstance(f, Relation) and f.subject == ref:
                    if f.predicate == "adoptedOnReportOf":
                        ins.named.add(f.object.symbol)  # type: ignore[union-attr]
                        ins.committee = issuers.get(f.object.symbol) or ins.committee  # type: ignore[union-attr]
                elif getattr(f, "ref", None) == ref and getattr(f, "title", None):
                    ins.title = f.title  # type: ignore[union-attr]
        if _is_draft_symbol(own) and not carried:
            d = drafts.setdefault(own, DraftInfo(own))
            d.title = d.title or info_title
            d.items |= doc_items
            d.amendment = d.amendment or amendment
            d.committee = d.committee or committee
            d.session = d.session or session
            d.based_on |= based_on
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
            if "committee" in row:
                d.committee = str(row["committee"])
            if "session" in row:
                d.session = int(str(row["session"]))
            if "basedon" in row:
                d.based_on.add(str(row["basedon"]))
        else:
            ref = InstrumentRef(str(row["body"]), str(row["ikind"]), str(row["number"]))  # type: ignore[arg-type]
            ins = instruments.setdefault(ref, InstrumentInfo(ref, symbol))
            ins.title = ins.title or title
            if item:
                ins.items.add(item)
            if "named" in row:
                ins.named.add(str(row["named"]))
            if "committee" in row:
                ins.committee = str(row["committee"])
            if "session" in row:
                ins.session = int(str(row["session"]))
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
