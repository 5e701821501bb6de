"""Page builders: one function per kind of page, each returning a frozen page context."""

from __future__ import annotations

from types import MappingProxyType

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from mandategraph.build.iris import Iris
from mandategraph.core.namespaces import ORG, UN
from mandategraph.symbols import try_parse
from mandategraph.symbols.explain import explain

from . import citation, shacl
from .env import PageEnv, local_name
from .lang import data_lang
from .lineage import (
    document_lineage,
    document_mandates,
    instrument_lineage,
    recall_edges,
    recall_list,
)
from .mandates import instrument_mandates, session_mandates
from .model import (
    AgendaEntry,
    BodyPage,
    DocEntry,
    DocumentPage,
    GenericPage,
    Header,
    InstrumentPage,
    Link,
    MeetingGroup,
    ParagraphView,
    SessionPage,
    Value,
)
from .nodes import NodeInfo, fact_rows, kind_of, link, natural_key, value, values

TWIN_FORMATS = ((".ttl", "Turtle"), (".jsonld", "JSON-LD"), (".nt", "N-Triples"), (".rdf", "RDF/XML"))


def header(env: PageEnv, info: NodeInfo, title: str) -> Header:
    twins = tuple(Link(str(info.iri), env.href(info.iri, suffix), name) for suffix, name in TWIN_FORMATS) \
        if env.is_local(str(info.iri)) else ()
    types = tuple(sorted({env.term(t) for t in info.types if str(t).startswith(str(UN))}))
    return Header(
        iri=str(info.iri), title=title, kind=kind_of(info.types), types=types, twins=twins,
        shacl=shacl.node_state(env.store, str(info.iri), env.url("/shacl", node=str(info.iri)), env.generation,
                              env.caches),
        node_provs=tuple(info.node_provs),
        title_lang=_data_title_lang(env, info.iri, title),
    )


def _data_title_lang(env: PageEnv, iri: URIRef, title: str) -> str | None:
    tail, lang = env.label_tail(iri)
    return lang if tail is not None and tail == title else None


def _titles(env: PageEnv, info: NodeInfo, p: URIRef = UN.title) -> tuple[tuple[str, str], ...]:
    lits = [o for o in info.objects(p) if isinstance(o, Literal)]
    order = {tag: i for i, tag in enumerate(env.prefs)}
    lits.sort(key=lambda lit: (order.get((lit.language or "").split("-")[0], len(order)), lit.language or "", str(lit)))
    return tuple(((lit.language or ""), str(lit)) for lit in lits)


def _one(env: PageEnv, info: NodeInfo, p: URIRef) -> Value | None:
    vals = info.objects(p)
    if not vals:
        return None
    lits = [v for v in vals if isinstance(v, Literal)]
    chosen = env.pick(lits) if lits else vals[0]
    return value(env, info, p, chosen)


def _text(info: NodeInfo, p: URIRef) -> str | None:
    v = info.first(p)
    return str(v) if v is not None else None


# ---------------------------------------------------------------------------- document
def document_page(env: PageEnv, info: NodeInfo) -> DocumentPage:
    symbols = sorted(str(s) for s in info.objects(UN.symbol))
    symbol = symbols[0] if symbols else local_name(str(info.iri))
    components: list[tuple[str, str]] = []
    parsed = try_parse(symbol)
    if parsed is not None:
        comps = explain(parsed)["components"]
        for key in ("body_series", "session", "special", "number", "modifiers", "paren"):
            v = comps.get(key)
            if v:
                components.append((env.msg(f"comp-{key}"), ", ".join(v) if isinstance(v, list) else str(v)))
        if comps.get("reissue"):
            components.append((env.msg("comp-reissue"), "*"))
    body = info.first(UN.issuedBy)
    body_link = link(env, body) if body is not None else None
    if body_link is None and parsed is not None:
        derived = Iris(env.base).body(parsed.body_series)
        if env.select("page-label", iri=derived):
            body_link = link(env, derived)
    expressions = []
    for e in info.subjects(UN.expressionOf):
        lang = str(e).rsplit("/@", 1)[-1] if "/@" in str(e) else ""
        expressions.append(Link(str(e), env.href(e), lang or env.label(e)))
    mandates = document_mandates(env, info)
    carries = values(env, info, UN.carriedBy, inverse=True)
    carried = tuple((v.link, recall_list(env, URIRef(v.link.iri))) for v in carries if v.link)
    shown = {str(p) for p in (UN.symbol, UN.title, UN.date, UN.distribution, UN.originalLanguage,
                              UN.issuedBy, UN.submittedTo, UN.underAgendaItem, UN.expressionOf,
                              UN.mandatedBy, UN.fulfilledBy, UN.carriedBy, UN.draftOf)}
    orig = _text(info, UN.originalLanguage)
    return DocumentPage(
        header=header(env, info, symbol),
        symbol=symbol,
        components=tuple(components),
        titles=_titles(env, info),
        date=_one(env, info, UN.date),
        distribution=_text(info, UN.distribution),
        original_language=orig,
        body=body_link,
        sessions=values(env, info, UN.submittedTo),
        agenda_items=values(env, info, UN.underAgendaItem),
        expressions=tuple(sorted(expressions, key=lambda lk: lk.label)),
        mandates=mandates,
        carries=carries,
        carried_recalls=carried,
        draft_of=values(env, info, UN.draftOf),
        lineage=document_lineage(env, info, symbol, mandates, tuple(lk for lk, _ in carried)),
        facts=fact_rows(env, info, shown),
    )


# ---------------------------------------------------------------------------- instrument
def instrument_page(env: PageEnv, info: NodeInfo) -> InstrumentPage:
    label = env.label(info.iri)
    paragraphs: list[ParagraphView] = []
    texts: dict[str, str] = {}
    for row in env.select("page-instrument-paragraphs", iri=info.iri):
        para = row["para"]
        if row.get("text") is not None:
            texts[str(para)] = str(row["text"])
        full = link(env, para)
        paragraphs.append(ParagraphView(
            Link(full.iri, full.href, full.label.rsplit(", ", 1)[-1]), _s(row.get("part")), _s(row.get("number")),
            _s(row.get("verb")),
            _s(row.get("text"))))
    mandates = instrument_mandates(env, info.iri, texts)
    by_para: dict[str, list[Link]] = {}
    for m in mandates:
        if m.paragraph:
            by_para.setdefault(m.paragraph.iri, []).append(m.link)
    part_order = {"preamble": 0, "operative": 1, "annex": 2}
    paragraphs = sorted(
        (ParagraphView(p.link, p.part, p.number, p.verb, p.text, tuple(by_para.get(p.link.iri, ())))
         for p in paragraphs),
        key=lambda p: (part_order.get(p.part or "", 3), natural_key(p.number or p.link.label)))
    edges = recall_edges(env, info.iri)
    recalled_by: list[Value] = []
    for p in (UN.recalls, UN.reaffirms, UN.endorses):
        recalled_by.extend(values(env, info, p, inverse=True))
    mandated = {v.link.iri: v for v in values(env, info, UN.mandatedBy, inverse=True) if v.link}
    for m in mandates:
        for v in m.fulfilled_by:
            if v.link:
                mandated.setdefault(v.link.iri, v)
    shown = {str(p) for p in (UN.number, UN.title, UN.issuedBy, UN.date, UN.adoptedAt, UN.carriedBy,
                              UN.adoptedOnReportOf, UN.draftOf, UN.hasMandate, UN.recalls,
                              UN.reaffirms, UN.endorses, UN.partOf, UN.mandatedBy)}
    return InstrumentPage(
        header=header(env, info, label),
        number=_text(info, UN.number),
        titles=_titles(env, info),
        body=link(env, info.first(UN.issuedBy)) if info.first(UN.issuedBy) is not None else None,
        date=_one(env, info, UN.date),
        adopted_at=values(env, info, UN.adoptedAt),
        carried_by=values(env, info, UN.carriedBy),
        adopted_on_report_of=values(env, info, UN.adoptedOnReportOf),
        drafts=values(env, info, UN.draftOf, inverse=True),
        paragraphs=tuple(paragraphs),
        mandates=mandates,
        recalls=recall_list(env, info.iri, edges),
        recalled_by=tuple(sorted(recalled_by, key=lambda v: natural_key(v.text))),
        mandated_documents=tuple(sorted(mandated.values(), key=lambda v: natural_key(v.text))),
        lineage=instrument_lineage(env, info.iri, label, edges),
        facts=fact_rows(env, info, shown),
    )


def _s(node: object) -> str | None:
    return str(node) if node is not None else None


# ---------------------------------------------------------------------------- session
def session_page(env: PageEnv, info: NodeInfo) -> SessionPage:
    items: dict[str, list[str]] = {}
    loose: list[str] = []
    for row in env.select("page-session-documents", iri=info.iri):
        item, doc = row.get("item"), row.get("doc")
        if item is not None:
            lst = items.setdefault(str(item), [])
            if doc is not None and str(doc) not in lst:
                lst.append(str(doc))
        elif doc is not None and str(doc) not in loose:
            loose.append(str(doc))
    every = session_mandates(env, info.iri)
    entries: list[AgendaEntry] = []
    for item, docs in items.items():
        number, title, parent, title_lang = _item_facts(env, URIRef(item))
        doc_values = _doc_entries(env, docs)
        ms = tuple(m for m in every if any(v.link and v.link.iri in docs for v in m.fulfilled_by))
        entries.append(AgendaEntry(link(env, URIRef(item)), number or local_name(item), title,
                                   doc_values, ms, 1 if parent and parent in items else 0, title_lang))
    entries.sort(key=lambda e: natural_key(e.number))
    loose_docs = [d for d in loose if not any(d in docs for docs in items.values())]
    if loose_docs:
        entries.append(AgendaEntry(None, "", env.msg("no-item"), _doc_entries(env, loose_docs), ()))
    due = tuple(m for m in every if m.due and m.due.link and m.due.link.iri == str(info.iri))
    shown = {str(p) for p in (UN.number, UN.sessionOf, UN.startDate, UN.endDate, UN.place,
                              UN.dueAt, UN.submittedTo, UN.agendaOf, UN.adoptedAt, UN.plannedFor)}
    return SessionPage(
        header=header(env, info, env.label(info.iri)),
        number=_text(info, UN.number),
        body=link(env, info.first(UN.sessionOf)) if info.first(UN.sessionOf) is not None else None,
        start=_text(info, UN.startDate), end=_text(info, UN.endDate), place=_text(info, UN.place),
        place_lang=data_lang(info.first(UN.place)) if info.first(UN.place) is not None else None,
        agenda=tuple(entries), due=due,
        adopted=values(env, info, UN.adoptedAt, inverse=True),
        planned=values(env, info, UN.plannedFor, inverse=True),
        facts=fact_rows(env, info, shown),
    )


def _doc_entries(env: PageEnv, docs: list[str]) -> tuple[DocEntry, ...]:
    out = []
    for d in docs:
        titles = [v for p, v in env.label_facts(URIRef(d)) if p == str(UN.title)]
        chosen = env.pick(titles)
        out.append(DocEntry(Value(env.label(d), link(env, URIRef(d))),
                            str(chosen) if chosen is not None else None,
                            chosen.language if chosen is not None else None))
    return tuple(sorted(out, key=lambda e: natural_key(e.value.text)))


def _item_facts(env: PageEnv, item: URIRef) -> tuple[str | None, str, str | None, str | None]:
    number, titles, parent = None, [], None
    for row in env.select("page-label", iri=item):
        p = str(row["p"])
        if p == str(UN.itemNumber):
            number = str(row["v"])
        elif p == str(UN.title):
            titles.append(row["v"])
        elif p == str(UN.partOf):
            parent = str(row["v"])
    chosen = env.pick(titles)
    return number, str(chosen) if chosen is not None else "", parent, \
        data_lang(chosen) if chosen is not None else None


# ---------------------------------------------------------------------------- body
def body_page(env: PageEnv, info: NodeInfo) -> BodyPage:
    sessions: list[tuple[int, Link]] = []
    subs: dict[str, list[Link]] = {}
    meetings: list[tuple[int, Link]] = []
    instruments: list[Link] = []
    for row in env.select("page-body", iri=info.iri):
        kind, node = str(row["kind"]), row["node"]
        num = int(row["number"]) if row.get("number") is not None else 0
        if kind == "session":  # under the body's own heading: "twelfth session"
            sessions.append((num, Link(str(node), env.href(node), citation.session_short(env.ui, num))))
        elif kind == "subsidiary":
            subs.setdefault(str(node), [])
        elif kind == "meeting":
            meetings.append((num, link(env, node)))
        elif kind == "subsidiary-meeting":
            subs.setdefault(str(row["owner"]), []).append(link(env, node))
        elif kind == "instrument":
            instruments.append(link(env, node))
    names = _titles(env, info, SKOS.prefLabel) or _titles(env, info, UN.title) or _titles(env, info, RDFS.label)
    groups = tuple(MeetingGroup(link(env, URIRef(b)), tuple(sorted(ms, key=lambda lk: natural_key(lk.label))))
                   for b, ms in sorted(subs.items(), key=lambda kv: env.label(kv[0])))
    parent = info.first(ORG.subOrganizationOf)
    shown = {str(p) for p in (SKOS.prefLabel, SKOS.notation, UN.sessionOf, ORG.subOrganizationOf,
                              UN.meetingOf, UN.issuedBy)}
    return BodyPage(
        header=header(env, info, env.label(info.iri)),
        names=names, notation=_text(info, SKOS.notation),
        parent=link(env, parent) if parent is not None else None,
        sessions=tuple(lk for _, lk in sorted(sessions, key=lambda t: -t[0])),
        subsidiaries=groups,
        meetings=tuple(lk for _, lk in sorted(meetings, key=lambda t: t[0])),
        instruments=tuple(sorted(instruments, key=lambda lk: natural_key(lk.label)))[:500],
        facts=fact_rows(env, info, shown),
    )


def generic_page(env: PageEnv, info: NodeInfo) -> GenericPage:
    return GenericPage(header(env, info, env.label(info.iri)), fact_rows(env, info))


BUILDERS = MappingProxyType({
    "document": (document_page, "document.html"),
    "instrument": (instrument_page, "instrument.html"),
    "session": (session_page, "session.html"),
    "body": (body_page, "body.html"),
})


def build_page(env: PageEnv, info: NodeInfo) -> tuple[object, str]:
    """(context, template name) for any node."""
    builder, template = BUILDERS.get(kind_of(info.types), (generic_page, "resource.html"))
    return builder(env, info), template


__all__ = ["RDF", "build_page", "header"]
