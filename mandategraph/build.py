"""Build: :class:`~mandategraph.facts.Facts` of one source -> the triples of its named graph.

Every node and link stated by a fact gets an ``oa:Annotation`` (W3C Web Annotation) that
points at the exact characters of the source expression (TextQuoteSelector and
TextPositionSelector) and names the rule that produced it (``un:rule``), plus
``prov:wasDerivedFrom`` the expression. Links are annotated through an ``rdf:Statement`` node
(subject, predicate, object) so a quote can be found for any edge.

The output is a plain list of rdflib triples (fast to make; the store turns them into quads);
``BuiltSource.graph()`` gives an rdflib Graph for validation and golden tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from . import __version__
from .facts import (
    AgendaItemFact, AgendaItemRef, BodyFact, BodyRef, ConstructiveDialogueFact, DeadlineFact, DocRef,
    DocumentFact, Fact, Facts, InstrumentFact, InstrumentRef, MandateFact, MandateRef,
    MeetingFact, MeetingRef, ParagraphFact, ParagraphRef, PlannedItemFact, PlannedItemRef,
    Prov, Ref, Relation, SessionFact, SessionRef, PREDICATES,
)
from .iris import Iris
from .namespaces import OA as _OA, ORG as _ORG, PROV as _PROV, RDF as _RDF, UN as _UN, XSD as _XSD


class _Terms:
    """A namespace whose terms are made once: rdflib builds (and validates) a new URIRef on
    every attribute access, which was a fifth of the build time on the PDF corpus."""

    def __init__(self, ns: object):
        self._ns = ns

    def __getattr__(self, name: str) -> URIRef:
        term = self._ns[name] if not hasattr(type(self._ns), "__members__") else getattr(self._ns, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return getattr(self, name)


OA, ORG, PROV, RDF, UN, XSD = (_Terms(n) for n in (_OA, _ORG, _PROV, _RDF, _UN, _XSD))

Triple = tuple[Node, Node, Node]

STATUS_IRIS = {
    "fulfilled": UN.Fulfilled,
    "oral-report": UN.OralReport,
    "not-carried-out": UN.NotCarriedOut,
    "open": UN.Open,
    "planned": UN.Planned,
}
#: When several mentions state a status for one mandate, the most final one wins.
_STATUS_RANK = {"open": 0, "planned": 1, "not-carried-out": 2, "oral-report": 3, "fulfilled": 4}

_EXTERNAL_PREDICATES = {"subOrganizationOf": ORG.subOrganizationOf}


class BuildError(ValueError):
    """A fact could not be turned into RDF (names the fact and what was wrong)."""


@dataclass
class BuiltSource:
    graph_iri: URIRef
    triples: list[Triple]
    source_path: str
    sha256: str
    warnings: list[str] = field(default_factory=list)

    def graph(self) -> Graph:
        g = Graph(identifier=self.graph_iri)
        for t in self.triples:
            g.add(t)
        return g


def predicate_iri(name: str) -> URIRef:
    if name not in PREDICATES:
        raise BuildError(f"unknown relation predicate {name!r}; expected one of {sorted(PREDICATES)}")
    return _EXTERNAL_PREDICATES.get(name, UN[name])


def _date(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


class _Builder:
    def __init__(self, facts: Facts, iris: Iris):
        self.facts = facts
        self.iris = iris
        src = facts.source
        self.graph_iri = iris.graph_for(src.symbol, src.language, src.path.rsplit("/", 1)[-1])
        self.expression = iris.expression(src.symbol, src.language) if src.symbol else self.graph_iri
        self.out: list[Triple] = []
        self.seen: set[Triple] = set()
        self.declared: set[URIRef] = set()
        self.iri_of: dict[Ref, URIRef] = {}
        self.statuses: dict[URIRef, str] = {}
        self.fulfilled: set[URIRef] = set()
        self.mandates: set[URIRef] = set()

    # ------------------------------------------------------------------ primitives
    def add(self, s: Node, p: Node, o: Node) -> None:
        t = (s, p, o)
        if t not in self.seen:
            self.seen.add(t)
            self.out.append(t)

    def lit(self, s: URIRef, p: URIRef, value: object, lang: str | None = None) -> None:
        if value is None or value == "":
            return
        if isinstance(value, dt.date):
            self.add(s, p, _date(value))
        elif lang:
            self.add(s, p, Literal(str(value), lang=lang))
        else:
            self.add(s, p, Literal(value))

    def annotate(self, body: URIRef, prov: Prov, linking: bool = False) -> None:
        span = prov.span
        key = _digest(body, prov.rule, span.start if span else "", span.end if span else "")
        ann = self.iris.annotation(self.graph_iri, key)
        self.add(ann, RDF.type, OA.Annotation)
        self.add(ann, OA.motivatedBy, OA.linking if linking else OA.identifying)
        self.add(ann, OA.hasBody, body)
        self.add(ann, UN.rule, Literal(prov.rule))
        self.add(ann, PROV.wasDerivedFrom, self.expression)
        self.add(ann, PROV.wasGeneratedBy, self.iris.activity(self.graph_iri))
        if span is not None:
            target = URIRef(f"{ann}-target")
            quote = URIRef(f"{ann}-quote")
            pos = URIRef(f"{ann}-pos")
            self.add(ann, OA.hasTarget, target)
            self.add(target, RDF.type, OA.SpecificResource)
            self.add(target, OA.hasSource, self.expression)
            self.add(target, OA.hasSelector, quote)
            self.add(target, OA.hasSelector, pos)
            self.add(quote, RDF.type, OA.TextQuoteSelector)
            self.add(quote, OA.exact, Literal(span.quote))
            self.add(pos, RDF.type, OA.TextPositionSelector)
            self.add(pos, OA.start, Literal(span.start))
            self.add(pos, OA.end, Literal(span.end))

    # ------------------------------------------------------------------ node identity
    def node(self, ref: Ref) -> URIRef:
        """IRI of a ref, declaring its minimal type and identity triples once."""
        known = self.iri_of.get(ref)
        if known is not None:
            return known
        iris = self.iris
        if isinstance(ref, DocRef):
            iri = iris.doc(ref.symbol)
            if iri not in self.declared:
                self.add(iri, RDF.type, UN.Document)
                self.add(iri, UN.symbol, Literal(ref.symbol))
        elif isinstance(ref, BodyRef):
            iri = iris.body(ref.key)
            if iri not in self.declared:
                self.add(iri, RDF.type, UN.Body)
        elif isinstance(ref, InstrumentRef):
            iri = iris.instrument(ref.body, ref.kind, ref.number)
            if iri not in self.declared:
                if ref.kind not in ("resolution", "decision"):
                    raise BuildError(f"instrument {ref}: kind must be 'resolution' or 'decision'")
                self.add(iri, RDF.type, UN.Instrument)
                self.add(iri, RDF.type, UN.Resolution if ref.kind == "resolution" else UN.Decision)
                self.add(iri, UN.number, Literal(ref.number))
                self.add(iri, UN.issuedBy, self.node(BodyRef(ref.body)))
        elif isinstance(ref, SessionRef):
            iri = iris.session(ref.body, ref.number)
            if iri not in self.declared:
                self.add(iri, RDF.type, UN.Session)
                self.add(iri, UN.number, Literal(int(ref.number)))
                self.add(iri, UN.sessionOf, self.node(BodyRef(ref.body)))
        elif isinstance(ref, MeetingRef):
            iri = iris.meeting(ref.body, ref.number)
            if iri not in self.declared:
                self.add(iri, RDF.type, UN.Meeting)
                self.add(iri, UN.number, Literal(int(ref.number)))
                self.add(iri, UN.meetingOf, self.node(BodyRef(ref.body)))
        elif isinstance(ref, AgendaItemRef):
            iri = iris.agenda_item(ref.agenda, ref.item)
            if iri not in self.declared:
                self.add(iri, RDF.type, UN.AgendaItem)
                self.add(iri, UN.itemNumber, Literal(ref.item))
                parent = ref.item.split("(", 1)[0].strip()
                if parent and parent != ref.item:
                    self.add(iri, UN.partOf, self.node(AgendaItemRef(ref.agenda, parent)))
        elif isinstance(ref, ParagraphRef):
            iri = iris.paragraph(self.node(ref.instrument), ref.label)
            if iri not in self.declared:
                self.add(iri, RDF.type, UN.Paragraph)
                self.add(iri, UN.partOf, self.node(ref.instrument))
        elif isinstance(ref, MandateRef):
            instrument = self.node(ref.instrument)
            iri = iris.mandate(instrument, ref.local)
            if iri not in self.declared:
                self.add(iri, RDF.type, UN.Mandate)
                self.add(instrument, UN.hasMandate, iri)
                self.mandates.add(iri)
        elif isinstance(ref, PlannedItemRef):
            iri = iris.planned_item(ref.session.body, ref.session.number, ref.local)
            if iri not in self.declared:
                self.add(iri, RDF.type, UN.AgendaItem)
                self.add(iri, RDF.type, UN.PlannedAgendaItem)
                self.add(iri, UN.plannedFor, self.node(ref.session))
        else:  # pragma: no cover - guarded by the Fact union
            raise BuildError(f"unknown reference type {type(ref).__name__}")
        self.declared.add(iri)
        self.iri_of[ref] = iri
        return iri

    # ------------------------------------------------------------------ facts
    def fact(self, f: Fact) -> None:
        if isinstance(f, Relation):
            self.relation(f)
            return
        if isinstance(f, ConstructiveDialogueFact):
            meeting = self.node(f.after)
            iri = URIRef(f"{meeting}/dialogue")
            self.add(iri, RDF.type, UN.Meeting)
            self.add(iri, RDF.type, UN.ConstructiveDialogue)
            self.add(iri, UN.followsMeeting, meeting)
            self.add(iri, UN.meetingOf, self.node(BodyRef(f.after.body)))
            self.lit(iri, UN.startDate, f.date)
            self.lit(iri, UN.endDate, f.date)
            self.lit(iri, UN.title, f.topic)
            self.annotate(iri, f.prov)
            return
        if isinstance(f, DeadlineFact):
            from .iris import slugify  # noqa: PLC0415

            session = self.node(f.session)
            iri = URIRef(f"{session}/deadline/{slugify(f.local)}")
            self.add(iri, RDF.type, UN.Deadline)
            self.add(iri, UN.deadlineFor, session)
            self.lit(iri, UN.date, f.date)
            self.lit(iri, UN.title, f.topic, f.topic_lang)
            self.annotate(iri, f.prov)
            return
        iri = self.node(f.ref)
        if isinstance(f, DocumentFact):
            if f.doc_class and f.doc_class != "Document":
                self.add(iri, RDF.type, UN[f.doc_class])
            self.lit(iri, UN.title, f.title, f.title_lang)
            self.lit(iri, UN.date, f.date)
            self.lit(iri, UN.distribution, f.distribution)
            self.lit(iri, UN.originalLanguage, f.original_language)
            self.lit(iri, UN.reissueDate, f.reissue_date)
            self.lit(iri, UN.printedSymbol, f.printed)
            for other in f.joint_symbols:
                self.add(iri, UN.symbol, Literal(other))
        elif isinstance(f, BodyFact):
            if f.cls and f.cls != "Body":
                self.add(iri, RDF.type, UN[f.cls])
            self.lit(iri, UN.title, f.name, f.name_lang)
        elif isinstance(f, InstrumentFact):
            self.lit(iri, UN.title, f.title, f.title_lang)
            self.lit(iri, UN.date, f.date)
        elif isinstance(f, (SessionFact, MeetingFact)):
            self.lit(iri, UN.startDate, f.start)
            self.lit(iri, UN.endDate, f.end)
            self.lit(iri, UN.place, f.place)
        elif isinstance(f, AgendaItemFact):
            self.lit(iri, UN.title, f.title, f.title_lang)
        elif isinstance(f, ParagraphFact):
            self.lit(iri, UN.paragraphPart, f.part)
            self.lit(iri, UN.paragraphNumber, f.number)
            self.lit(iri, UN.verb, f.verb)
            self.lit(iri, UN.text, f.text)
        elif isinstance(f, MandateFact):
            self.lit(iri, UN.verb, f.verb)
            if f.addressee:
                from .reference import bodies

                if f.addressee in bodies():
                    self.add(iri, UN.addressee, self.node(BodyRef(f.addressee)))
                else:
                    self.lit(iri, UN.addresseeText, f.addressee)
            self.lit(iri, UN.requestsOutput, f.output)
            self.lit(iri, UN.recurrence, f.recurrence)
            self.lit(iri, UN.statusNote, f.status_note)
            if f.status not in STATUS_IRIS:
                raise BuildError(f"mandate {f.ref}: status {f.status!r} not in {sorted(STATUS_IRIS)}")
            old = self.statuses.get(iri)
            if old is None or _STATUS_RANK[f.status] > _STATUS_RANK[old]:
                self.statuses[iri] = f.status
        elif isinstance(f, PlannedItemFact):
            self.lit(iri, UN.title, f.title, f.title_lang)
        self.annotate(iri, f.prov)

    def relation(self, r: Relation) -> None:
        s = self.node(r.subject)
        p = predicate_iri(r.predicate)
        o = self.node(r.object)
        self.add(s, p, o)
        if r.predicate == "fulfilledBy":
            self.fulfilled.add(s)
        stmt = self.iris.statement(self.graph_iri, _digest(s, p, o))
        self.add(stmt, RDF.type, RDF.Statement)
        self.add(stmt, RDF.subject, s)
        self.add(stmt, RDF.predicate, p)
        self.add(stmt, RDF.object, o)
        self.lit(stmt, UN.method, r.method)
        if r.confidence is not None:
            self.add(stmt, UN.confidence, Literal(float(r.confidence)))
        self.annotate(stmt, r.prov, linking=True)

    def finish(self) -> None:
        for mandate in self.mandates:
            status = self.statuses.get(mandate, "open")
            if status == "open" and mandate in self.fulfilled:
                status = "fulfilled"
            self.add(mandate, UN.mandateStatus, STATUS_IRIS[status])
        src = self.facts.source
        g = self.graph_iri
        self.add(g, RDF.type, UN.SourceGraph)
        self.add(g, UN.sourceFile, Literal(src.path))
        self.add(g, UN.sha256, Literal(src.sha256))
        self.add(g, UN.extractorVersion, Literal(__version__))
        self.add(g, UN.language, Literal(src.language))
        self.add(self.iris.activity(g), RDF.type, PROV.Activity)
        self.add(self.iris.activity(g), PROV.used, g if not src.symbol else self.expression)
        if src.symbol:
            doc = self.node(DocRef(src.symbol))
            self.add(g, PROV.wasDerivedFrom, self.expression)
            self.add(self.expression, RDF.type, UN.Expression)
            self.add(self.expression, UN.expressionOf, doc)
            self.add(self.expression, UN.language, Literal(src.language))
            self.lit(self.expression, UN.title, src.title, src.language)


def build_graph(facts: Facts, iris: Iris | None = None) -> BuiltSource:
    """Turn one source's facts into the triples of its named graph."""
    b = _Builder(facts, iris or Iris())
    for f in facts.items:
        b.fact(f)
    b.finish()
    return BuiltSource(b.graph_iri, b.out, facts.source.path, facts.source.sha256,
                       list(facts.warnings))


def iter_reference_triples(iris: Iris | None = None) -> Iterable[Triple]:
    """The reference bodies (data/reference/bodies.csv) as triples, with their sources."""
    from rdflib.namespace import DCTERMS, SKOS

    from .reference import bodies

    iris = iris or Iris()
    for body in bodies().values():
        iri = iris.body(body.key)
        yield iri, RDF.type, UN.Body
        if body.cls != "Body":
            yield iri, RDF.type, UN[body.cls]
        if body.series:
            yield iri, SKOS.notation, Literal(body.series)
        yield iri, SKOS.prefLabel, Literal(body.name_en, lang="en")
        if body.name_zh:
            yield iri, SKOS.prefLabel, Literal(body.name_zh, lang="zh")
        for alias in body.aliases_en:
            yield iri, SKOS.altLabel, Literal(alias, lang="en")
        for alias in body.aliases_zh:
            yield iri, SKOS.altLabel, Literal(alias, lang="zh")
        if body.parent:
            yield iri, ORG.subOrganizationOf, iris.body(body.parent)
        yield iri, DCTERMS.source, Literal(body.source)


def reference_graph_iri(iris: Iris | None = None) -> URIRef:
    return URIRef(f"{(iris or Iris()).base}/graph/reference")
