"""Build: :class:`~mandategraph.core.facts.Facts` of one source -> the triples of its named graph.

Every node and link stated by a fact gets an ``oa:Annotation`` (W3C Web Annotation) that
points at the exact characters of the source expression (TextQuoteSelector and
TextPositionSelector) and names the rule that produced it (``un:rule``), plus
``prov:wasDerivedFrom`` the expression. Links are annotated through an ``rdf:Statement`` node
(subject, predicate, object) so a quote can be found for any edge.

The output is N-Triples text (``BuiltSource.nt``), made with string formatting: building rdflib
terms and serialising them again was most of the RDF time on the PDF corpus. The store loads
the text with Oxigraph's parser (``Store.replace_graph_nt``); ``BuiltSource.triples`` and
``BuiltSource.graph()`` give the same triples as rdflib terms for validation and golden tests.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from rdflib import Graph, URIRef

from .. import __version__
from ..core.facts import (
    AgendaItemFact, AgendaItemRef, BodyFact, BodyRef, ConstructiveDialogueFact, DeadlineFact,
    DocRef,
    DocumentFact, Fact, Facts, InstrumentFact, InstrumentRef, MandateFact, MandateRef,
    MeetingFact, MeetingRef, ParagraphFact, ParagraphRef, PlannedItemFact, PlannedItemRef,
    Prov, Ref, Relation, SessionFact, SessionRef, PREDICATES,
)
from ..core.reference import bodies
from ..core.slugs import slugify
from ..ingest.source import xml_safe
from .iris import Iris
from .links import agenda_document, digital_library_url, symbol_relation, undocs_url
from .ntriples import Triple, _valid_iri, nt_literal, parse_nt
from .vocab import ORG, UN, N

_TITLE = N.UN.title

#: InstrumentRef body key of an instrument whose adopting body the text does not state
UNSTATED_BODY = "unstated"

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
    nt: str  #: the graph's triples as N-Triples text, one per line, no duplicates
    source_path: str
    sha256: str
    warnings: list[str] = field(default_factory=list)
    #: every IRI and language tag in ``nt`` is known to be valid (minted from checked or
    #: percent-encoded parts), so the store may load it without validating them again
    checked: bool = False

    @cached_property
    def triples(self) -> list[Triple]:
        """The triples as rdflib terms (parsed from :attr:`nt`)."""
        return parse_nt(self.nt)

    def graph(self) -> Graph:
        g = Graph(identifier=self.graph_iri)
        for t in self.triples:
            g.add(t)
        return g


def predicate_iri(name: str) -> URIRef:
    if name not in PREDICATES:
        raise BuildError(f"unknown relation predicate {name!r}; expected one of {sorted(PREDICATES)}")
    return _EXTERNAL_PREDICATES.get(name, UN[name])


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


_N_STATUS = {k: f"<{v}>" for k, v in STATUS_IRIS.items()}
_A_TYPE = f" {N.RDF.type} {N.OA.Annotation} ."
_A_LINKING = f" {N.OA.motivatedBy} {N.OA.linking} ."
_A_IDENTIFYING = f" {N.OA.motivatedBy} {N.OA.identifying} ."
_T_TYPE = f" {N.RDF.type} {N.OA.SpecificResource} ."
_Q_TYPE = f" {N.RDF.type} {N.OA.TextQuoteSelector} ."
_P_TYPE = f" {N.RDF.type} {N.OA.TextPositionSelector} ."


_LANG_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def _minter(mint, graph: URIRef):
    """``digest -> mint(graph, digest)`` as a string concatenation when the scheme of
    :mod:`mandategraph.build.iris` is "a fixed prefix + the digest" (checked with two probes),
    which skips building and validating a URIRef for each of the ~14,000 annotations and
    statements of the corpus; otherwise ``mint`` itself."""
    prefix = str(mint(graph, ""))
    if all(str(mint(graph, probe)) == prefix + probe for probe in ("0123456789abcdef", "x")):
        return prefix.__add__
    return lambda digest: mint(graph, digest)


class _Builder:
    """Writes N-Triples lines; subjects and objects are passed as N-Triples terms
    (``<iri>`` or a literal), IRIs of nodes are kept as URIRefs for minting."""

    def __init__(self, facts: Facts, iris: Iris):
        self.facts = facts
        self.iris = iris
        src = facts.source
        self.graph_iri = iris.graph_for(src.symbol, src.language, src.path.rsplit("/", 1)[-1])
        self.expression = iris.expression(src.symbol, src.language) if src.symbol else self.graph_iri
        self.n_expression = f"<{self.expression}>"
        # IRIs are minted from the base, percent-encoded symbols, slugs, digests and the
        # vocabulary; the parts that are not encoded are checked where they are used
        # (base and language here, session numbers, class names and language tags below).
        self._annotation = _minter(iris.annotation, self.graph_iri)
        self._statement = _minter(iris.statement, self.graph_iri)
        self.checked = ("#" not in self.graph_iri and _valid_iri(str(self.graph_iri))
                        and _valid_iri(str(self.expression)))  # ("#a-…" is appended)
        self.n_activity = f"<{self.iris.activity(self.graph_iri)}>"
        self.out: list[str] = []  #: N-Triples lines (an annotation's block is one item)
        self.seen: set[str] = set()
        self.annotations: set[URIRef] = set()
        self.declared: set[URIRef] = set()
        self.iri_of: dict[Ref, URIRef] = {}
        self.statuses: dict[URIRef, str] = {}
        self.fulfilled: set[URIRef] = set()
        self.mandates: set[URIRef] = set()

    # ------------------------------------------------------------------ primitives
    def add(self, s: str, p: str, o: str) -> None:
        line = f"{s} {p} {o} ."
        if line not in self.seen:
            self.seen.add(line)
            self.out.append(line)

    def lit(self, s: URIRef, p: str, value: object, lang: str | None = None) -> None:
        if value is None or value == "":
            return
        if lang and self.checked and not _LANG_TAG.fullmatch(lang):
            self.checked = False
        # the ingest hygiene mapping: no literal the builder writes holds a character XML 1.0
        # forbids or a Unicode non-character, whatever the source (docs/ontology.md, "Quotes")
        literal = nt_literal(xml_safe(value) if type(value) is str else value, lang)
        self.add(f"<{s}>", p, literal)
        if p == _TITLE:  # every named node has an rdfs:label in each language of its names
            self.add(f"<{s}>", N.RDFS.label, literal)

    def annotate(self, body: URIRef, prov: Prov, linking: bool = False) -> None:
        """The annotation of one statement of a fact. Its IRI is a digest of everything its
        triples say (body, rule, span), so its triples are written as one block, once: no
        other triple has its IRI (or its -target/-quote/-pos nodes) as subject."""
        span = prov.span
        key = _digest(body, prov.rule, span.start if span else "", span.end if span else "")
        ann = self._annotation(key)
        if ann in self.annotations:
            return
        self.annotations.add(ann)
        a = f"<{ann}>"
        block = (f"{a}{_A_TYPE}\n{a}{_A_LINKING if linking else _A_IDENTIFYING}\n"
                 f"{a} {N.OA.hasBody} <{body}> .\n{a} {N.UN.rule} {nt_literal(prov.rule)} .\n"
                 f"{a} {N.PROV.wasDerivedFrom} {self.n_expression} .\n"
                 f"{a} {N.PROV.wasGeneratedBy} {self.n_activity} .")
        if span is not None:
            target = f"<{ann}-target>"
            quote = f"<{ann}-quote>"
            pos = f"<{ann}-pos>"
            block += (f"\n{a} {N.OA.hasTarget} {target} .\n{target}{_T_TYPE}\n"
                      f"{target} {N.OA.hasSource} {self.n_expression} .\n"
                      f"{target} {N.OA.hasSelector} {quote} .\n{target} {N.OA.hasSelector} {pos} .\n"
                      f"{quote}{_Q_TYPE}\n{quote} {N.OA.exact} {nt_literal(xml_safe(span.quote))} .\n"
                      f"{pos}{_P_TYPE}\n{pos} {N.OA.start} {nt_literal(span.start)} .\n"
                      f"{pos} {N.OA.end} {nt_literal(span.end)} .")
        self.out.append(block)

    def _check(self, iri: str, number: object) -> None:
        """An IRI with a session or meeting number in it: valid unless the number is odd."""
        if type(number) is not int and self.checked:
            self.checked = _valid_iri(iri)

    def _class(self, name: str) -> str:
        """``un:<name>`` for a class named by a fact (checked unless it is a plain name)."""
        term = N.UN[name]
        if self.checked and not name.isidentifier():
            self.checked = _valid_iri(term[1:-1])
        return term

    # ------------------------------------------------------------------ node identity
    def node(self, ref: Ref) -> URIRef:
        """IRI of a ref, declaring its minimal type and identity triples once."""
        known = self.iri_of.get(ref)
        if known is not None:
            return known
        iris = self.iris
        add = self.add
        if isinstance(ref, DocRef):
            iri = iris.doc(ref.symbol)
            if iri not in self.declared:
                self.declared.add(iri)  # (before the related document: a cycle stops here)
                n = f"<{iri}>"
                add(n, N.RDF.type, N.UN.Document)
                sym = nt_literal(ref.symbol)
                add(n, N.UN.symbol, sym)
                add(n, N.RDFS.label, sym)
                add(n, N.RDFS.seeAlso, f"<{undocs_url(ref.symbol)}>")
                add(n, N.RDFS.seeAlso, f"<{digital_library_url(ref.symbol)}>")
                related = symbol_relation(ref.symbol)
                if related:
                    add(n, N.UN[related[0]], f"<{self.node(DocRef(related[1]))}>")
        elif isinstance(ref, BodyRef):
            iri = iris.body(ref.key)
            if iri not in self.declared:
                add(f"<{iri}>", N.RDF.type, N.UN.Body)
        elif isinstance(ref, InstrumentRef):
            iri = iris.instrument(ref.body, ref.kind, ref.number)
            if iri not in self.declared:
                if ref.kind not in ("resolution", "decision"):
                    raise BuildError(f"instrument {ref}: kind must be 'resolution' or 'decision'")
                n = f"<{iri}>"
                add(n, N.RDF.type, N.UN.Instrument)
                add(n, N.RDF.type, N.UN.Resolution if ref.kind == "resolution" else N.UN.Decision)
                add(n, N.UN.number, nt_literal(ref.number))
                if ref.body == UNSTATED_BODY:  # the text does not say which body adopted it
                    add(n, N.UN.bodyStatus, N.UN.BodyNotStated)
                else:
                    add(n, N.UN.issuedBy, f"<{self.node(BodyRef(ref.body))}>")
        elif isinstance(ref, SessionRef):
            iri = iris.session(ref.body, ref.number)
            if iri not in self.declared:
                self._check(iri, ref.number)
                n = f"<{iri}>"
                add(n, N.RDF.type, N.UN.Session)
                add(n, N.UN.number, nt_literal(int(ref.number)))
                add(n, N.UN.sessionOf, f"<{self.node(BodyRef(ref.body))}>")
        elif isinstance(ref, MeetingRef):
            iri = iris.meeting(ref.body, ref.number)
            if iri not in self.declared:
                self._check(iri, ref.number)
                n = f"<{iri}>"
                add(n, N.RDF.type, N.UN.Meeting)
                add(n, N.UN.number, nt_literal(int(ref.number)))
                add(n, N.UN.meetingOf, f"<{self.node(BodyRef(ref.body))}>")
        elif isinstance(ref, AgendaItemRef):
            iri = iris.agenda_item(ref.agenda, ref.item)
            if iri not in self.declared:
                n = f"<{iri}>"
                add(n, N.RDF.type, N.UN.AgendaItem)
                add(n, N.UN.itemNumber, nt_literal(ref.item))
                agenda = agenda_document(ref.agenda)
                if agenda:
                    add(n, N.UN.agendaDocument, f"<{self.node(DocRef(agenda))}>")
                parent = ref.item.split("(", 1)[0].strip()
                if parent and parent != ref.item:
                    add(n, N.UN.partOf, f"<{self.node(AgendaItemRef(ref.agenda, parent))}>")
        elif isinstance(ref, ParagraphRef):
            iri = iris.paragraph(self.node(ref.instrument), ref.label)
            if iri not in self.declared:
                n = f"<{iri}>"
                # a draft's paragraph is not a paragraph of an instrument
                add(n, N.RDF.type, N.UN.DraftParagraph if isinstance(ref.instrument, DocRef)
                    else N.UN.Paragraph)
                add(n, N.UN.partOf, f"<{self.node(ref.instrument)}>")
        elif isinstance(ref, MandateRef):
            instrument = self.node(ref.instrument)
            iri = iris.mandate(instrument, ref.local)
            if iri not in self.declared:
                if isinstance(ref.instrument, DocRef):  # proposed by a draft: no status
                    add(f"<{iri}>", N.RDF.type, N.UN.ProposedMandate)
                    add(f"<{instrument}>", N.UN.proposesMandate, f"<{iri}>")
                else:
                    add(f"<{iri}>", N.RDF.type, N.UN.Mandate)
                    add(f"<{instrument}>", N.UN.hasMandate, f"<{iri}>")
                    self.mandates.add(iri)
        elif isinstance(ref, PlannedItemRef):
            iri = iris.planned_item(ref.session.body, ref.session.number, ref.local)
            if iri not in self.declared:
                self._check(iri, ref.session.number)
                n = f"<{iri}>"
                add(n, N.RDF.type, N.UN.AgendaItem)
                add(n, N.RDF.type, N.UN.PlannedAgendaItem)
                add(n, N.UN.plannedFor, f"<{self.node(ref.session)}>")
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
        add = self.add
        if isinstance(f, ConstructiveDialogueFact):
            meeting = self.node(f.after)
            iri = URIRef(f"{meeting}/dialogue")
            n = f"<{iri}>"
            add(n, N.RDF.type, N.UN.Meeting)
            add(n, N.RDF.type, N.UN.ConstructiveDialogue)
            add(n, N.UN.followsMeeting, f"<{meeting}>")
            add(n, N.UN.meetingOf, f"<{self.node(BodyRef(f.after.body))}>")
            self.lit(iri, N.UN.startDate, f.date)
            self.lit(iri, N.UN.endDate, f.date)
            self.lit(iri, N.UN.title, f.topic)
            self.annotate(iri, f.prov)
            return
        if isinstance(f, DeadlineFact):
            session = self.node(f.session)
            iri = URIRef(f"{session}/deadline/{slugify(f.local)}")
            add(f"<{iri}>", N.RDF.type, N.UN.Deadline)
            add(f"<{iri}>", N.UN.deadlineFor, f"<{session}>")
            self.lit(iri, N.UN.date, f.date)
            self.lit(iri, N.UN.title, f.topic, f.topic_lang)
            self.annotate(iri, f.prov)
            return
        iri = self.node(f.ref)
        lit = self.lit
        if isinstance(f, DocumentFact):
            if f.doc_class and f.doc_class != "Document":
                add(f"<{iri}>", N.RDF.type, self._class(f.doc_class))
            lit(iri, N.UN.title, f.title, f.title_lang)
            lit(iri, N.UN.titleAsPrinted, f.title_as_printed, f.title_lang)
            lit(iri, N.UN.date, f.date)
            if f.date is not None and f.date_prov is not None:
                self.literal_statement(iri, N.UN.date, nt_literal(f.date), f.date_prov)
            lit(iri, N.UN.distribution, f.distribution)
            lit(iri, N.UN.originalLanguage, f.original_language)
            lit(iri, N.UN.reissueDate, f.reissue_date)
            lit(iri, N.UN.printedSymbol, f.printed)
            for other in f.joint_symbols:
                add(f"<{iri}>", N.UN.symbol, nt_literal(other))
        elif isinstance(f, BodyFact):
            if f.cls and f.cls != "Body":
                add(f"<{iri}>", N.RDF.type, self._class(f.cls))
            lit(iri, N.UN.title, f.name, f.name_lang)
        elif isinstance(f, InstrumentFact):
            lit(iri, N.UN.title, f.title, f.title_lang)
            lit(iri, N.UN.date, f.date)
        elif isinstance(f, (SessionFact, MeetingFact)):
            lit(iri, N.UN.startDate, f.start)
            lit(iri, N.UN.endDate, f.end)
            lit(iri, N.UN.place, f.place)
        elif isinstance(f, AgendaItemFact):
            lit(iri, N.UN.title, f.title, f.title_lang)
        elif isinstance(f, ParagraphFact):
            lit(iri, N.UN.paragraphPart, f.part)
            lit(iri, N.UN.paragraphNumber, f.number)
            lit(iri, N.UN.verb, f.verb)
            lit(iri, N.UN.text, f.text)
        elif isinstance(f, MandateFact):
            lit(iri, N.UN.verb, f.verb)
            if f.addressee:
                # a row of the reference tables, or a node the facts name ("state:...",
                # a mandate holder "sr:...")
                if f.addressee in bodies() or ":" in f.addressee:
                    add(f"<{iri}>", N.UN.addressee, f"<{self.node(BodyRef(f.addressee))}>")
                else:
                    lit(iri, N.UN.addresseeText, f.addressee)
            lit(iri, N.UN.addresseeText, f.addressee_text)
            lit(iri, N.UN.subItem, f.item)
            lit(iri, N.UN.requestsOutput, f.output)
            lit(iri, N.UN.recurrence, f.recurrence)
            lit(iri, N.UN.statusNote, f.status_note)
            if f.status not in STATUS_IRIS:
                raise BuildError(f"mandate {f.ref}: status {f.status!r} not in {sorted(STATUS_IRIS)}")
            old = self.statuses.get(iri)
            if old is None or _STATUS_RANK[f.status] > _STATUS_RANK[old]:
                self.statuses[iri] = f.status
        elif isinstance(f, PlannedItemFact):
            lit(iri, N.UN.title, f.title, f.title_lang)
        self.annotate(iri, f.prov)

    def relation(self, r: Relation) -> None:
        s = self.node(r.subject)
        p = predicate_iri(r.predicate)
        o = self.node(r.object)
        ns, np_, no = f"<{s}>", f"<{p}>", f"<{o}>"
        add = self.add
        add(ns, np_, no)
        if r.predicate == "fulfilledBy":
            self.fulfilled.add(s)
        stmt = self._statement(_digest(s, p, o))
        n = f"<{stmt}>"
        add(n, N.RDF.type, N.RDF.Statement)
        add(n, N.RDF.subject, ns)
        add(n, N.RDF.predicate, np_)
        add(n, N.RDF.object, no)
        self.lit(stmt, N.UN.method, r.method)
        if r.confidence is not None:
            add(n, N.UN.confidence, nt_literal(float(r.confidence)))
        self.annotate(stmt, r.prov, linking=True)

    def literal_statement(self, s: URIRef, p: str, o: str, prov: Prov) -> None:
        """A literal fact proven by its own words: the triple reified as an rdf:Statement
        whose annotation (oa:identifying) quotes the span the value was read from."""
        stmt = self._statement(_digest(s, p, o))
        n = f"<{stmt}>"
        add = self.add
        add(n, N.RDF.type, N.RDF.Statement)
        add(n, N.RDF.subject, f"<{s}>")
        add(n, N.RDF.predicate, p)
        add(n, N.RDF.object, o)
        self.annotate(stmt, prov)

    def describe_source(self) -> str:
        """The source graph's description (type, file, SHA-256, extractor version); returns
        the graph as an N-Triples term."""
        src = self.facts.source
        g = f"<{self.graph_iri}>"
        self.add(g, N.RDF.type, N.UN.SourceGraph)
        self.add(g, N.UN.sourceFile, nt_literal(xml_safe(src.path)))  # (odd file names: hygiene)
        self.add(g, N.UN.sha256, nt_literal(src.sha256))
        self.add(g, N.UN.extractorVersion, nt_literal(__version__))
        if src.encoding not in (None, "utf_8"):  # UTF-8 is the norm: said by its absence
            self.add(g, N.UN.sourceEncoding, nt_literal(src.encoding))
        return g

    def finish(self) -> None:
        add = self.add
        for mandate in self.mandates:
            status = self.statuses.get(mandate, "open")
            if status == "open" and mandate in self.fulfilled:
                status = "fulfilled"
            add(f"<{mandate}>", N.UN.mandateStatus, _N_STATUS[status])
        src = self.facts.source
        g = self.describe_source()
        add(g, N.UN.language, nt_literal(src.language))
        add(self.n_activity, N.RDF.type, N.PROV.Activity)
        add(self.n_activity, N.PROV.used, g if not src.symbol else self.n_expression)
        if src.symbol:
            doc = self.node(DocRef(src.symbol))
            e = self.n_expression
            add(g, N.PROV.wasDerivedFrom, e)
            add(e, N.RDF.type, N.UN.Expression)
            add(e, N.UN.expressionOf, f"<{doc}>")
            add(e, N.UN.language, nt_literal(src.language))
            self.lit(self.expression, N.UN.title, src.title, src.language)


def build_graph(facts: Facts, iris: Iris | None = None) -> BuiltSource:
    """Turn one source's facts into the triples of its named graph (as N-Triples text)."""
    b = _Builder(facts, iris or Iris())
    for f in facts.items:
        b.fact(f)
    b.finish()
    return BuiltSource(b.graph_iri, "\n".join(b.out), facts.source.path, facts.source.sha256,
                       list(facts.warnings), checked=b.checked)
