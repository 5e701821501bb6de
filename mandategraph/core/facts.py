"""The typed values that extraction produces and :mod:`mandategraph.build` turns into RDF.

Extractors never make IRIs or triples: they emit *facts* about nodes (identified by ``*Ref``
keys) and *relations* between them, each with the span of source text it was read from and
the name of the rule that read it. The same node may be stated many times (once per mention);
``build`` merges them and keeps every mention as provenance.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Literal, Union

Kind = Literal["resolution", "decision"]
Status = Literal["fulfilled", "oral-report", "not-carried-out", "open", "planned"]

# --------------------------------------------------------------------------- provenance


@dataclass(frozen=True)
class Span:
    """Characters ``text[start:end]`` of the source's original text (``Source.text``)."""

    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Prov:
    span: Span | None
    rule: str  #: e.g. "zh.agenda.documentation-list"; names the function or pattern that fired


# --------------------------------------------------------------------------- node keys


@dataclass(frozen=True)
class DocRef:
    symbol: str  #: canonical symbol (first part of a joint symbol)


@dataclass(frozen=True)
class BodyRef:
    key: str  #: series notation ("CTOC/COP", "A", "E/CN.15") or a reference slug ("unodc")


@dataclass(frozen=True)
class InstrumentRef:
    body: str  #: BodyRef key of the adopting body
    kind: Kind
    number: str  #: as cited: "10/1", "80/1", "55/25", "2024/12"


@dataclass(frozen=True)
class SessionRef:
    body: str
    number: int


@dataclass(frozen=True)
class MeetingRef:
    body: str
    number: int


@dataclass(frozen=True)
class AgendaItemRef:
    agenda: str  #: symbol of the agenda document ("CTOC/COP/2024/1", "A/80/251")
    item: str  #: as printed, normalised to "2(b)", "99(cc)", "7"


@dataclass(frozen=True)
class ParagraphRef:
    instrument: InstrumentRef | DocRef  #: a DocRef: a paragraph of a draft (un:DraftParagraph)
    label: str  #: "op-5", "pp-2", "annex-53" (annex paragraph 53)


@dataclass(frozen=True)
class MandateRef:
    instrument: InstrumentRef | DocRef  #: a DocRef: a mandate a draft proposes (un:ProposedMandate)
    local: str  #: stable local id within the instrument, e.g. "op-5" or "annex-53"


@dataclass(frozen=True)
class PlannedItemRef:
    session: SessionRef
    local: str


Ref = Union[DocRef, BodyRef, InstrumentRef, SessionRef, MeetingRef, AgendaItemRef,
            ParagraphRef, MandateRef, PlannedItemRef]

# --------------------------------------------------------------------------- node facts


@dataclass(frozen=True)
class DocumentFact:
    ref: DocRef
    prov: Prov
    doc_class: str = "Document"  #: Report, Note, ConferenceRoomPaper, InformationDocument,
    #: DraftResolution, AnnotatedAgenda, ResolutionDocument, Document
    title: str | None = None
    title_lang: str | None = None
    #: the title line as printed when it differs from ``title`` (a kind-of-document preamble
    #: such as "会议室文件，题为“…”" removed); built as ``un:titleAsPrinted``
    title_as_printed: str | None = None
    date: _dt.date | None = None
    distribution: str | None = None
    original_language: str | None = None
    reissue_date: _dt.date | None = None
    joint_symbols: tuple[str, ...] = ()  #: the other symbols of a joint document
    printed: str | None = None  #: the symbol exactly as printed at this mention
    #: where the date itself is printed ("16 July 2024"), when the extractor knows it: the
    #: date then gets its own annotation quoting those words, not the symbol line's
    date_prov: Prov | None = None


@dataclass(frozen=True)
class BodyFact:
    ref: BodyRef
    prov: Prov
    name: str | None = None
    name_lang: str | None = None
    cls: str | None = None  #: Body, Conference, WorkingGroup, Bureau, Secretariat


@dataclass(frozen=True)
class InstrumentFact:
    ref: InstrumentRef
    prov: Prov
    title: str | None = None
    title_lang: str | None = None
    date: _dt.date | None = None  #: adoption date


@dataclass(frozen=True)
class SessionFact:
    ref: SessionRef
    prov: Prov
    start: _dt.date | None = None
    end: _dt.date | None = None
    place: str | None = None


@dataclass(frozen=True)
class MeetingFact:
    ref: MeetingRef
    prov: Prov
    start: _dt.date | None = None
    end: _dt.date | None = None
    place: str | None = None


@dataclass(frozen=True)
class ConstructiveDialogueFact:
    """A constructive dialogue held after a meeting (key: the meeting it follows)."""

    after: MeetingRef
    prov: Prov
    date: _dt.date | None = None
    topic: str | None = None


@dataclass(frozen=True)
class DeadlineFact:
    """A date by which something must be done for a session (key: session + local id)."""

    session: SessionRef
    local: str  #: stable within the source, e.g. "2024-09-30"
    prov: Prov
    date: _dt.date | None = None
    topic: str | None = None  #: the words of the source that state the deadline
    topic_lang: str | None = None


@dataclass(frozen=True)
class AgendaItemFact:
    ref: AgendaItemRef
    prov: Prov
    title: str | None = None
    title_lang: str | None = None


@dataclass(frozen=True)
class ParagraphFact:
    ref: ParagraphRef
    prov: Prov
    part: Literal["preamble", "operative", "annex"] = "operative"
    number: str | None = None  #: as printed: "5", "53"
    verb: str | None = None  #: "requests", "decides", "recalling" ... (lower case, English lemma)
    text: str | None = None


@dataclass(frozen=True)
class MandateFact:
    ref: MandateRef
    prov: Prov
    verb: str | None = None  #: "requests", "decides", ...
    addressee: str | None = None  #: BodyRef key when known ("secretariat", "unodc") or text
    output: str | None = None  #: requested output in words: "report", "note", "study", ...
    recurrence: str | None = None  #: "annually", "biennially", ...
    status: Status = "open"
    status_note: str | None = None  #: the words that state the status
    item: str | None = None  #: the sub-item of the paragraph: "b", "iv"
    #: the addressee as printed when it matches no row of the reference tables (flagged)
    addressee_text: str | None = None


@dataclass(frozen=True)
class PlannedItemFact:
    ref: PlannedItemRef
    prov: Prov
    title: str | None = None
    title_lang: str | None = None


# --------------------------------------------------------------------------- relations

#: Predicates a Relation may use (local names in the ontology).
PREDICATES = frozenset({
    "submittedTo", "underAgendaItem", "mandatedBy", "hasMandate", "dueAt", "fulfilledBy",
    "adoptedAt", "adoptedOnReportOf", "draftOf", "recalls", "reaffirms", "cites", "establishes",
    "makesPermanent", "sessionOf", "meetingOf", "partOf", "issuedBy", "addressee",
    "carriedBy", "inParagraph", "endorses", "agendaOf", "plannedFor", "followsMeeting",
    "requestsOutput", "subOrganizationOf", "consideredBy", "basedOn",
    "takesNoteOf", "recordedIn",
})


@dataclass(frozen=True)
class Relation:
    subject: Ref
    predicate: str  #: one of PREDICATES
    object: Ref
    prov: Prov
    method: str | None = None  #: how a derived link was made ("adoption-block", "title-match")
    confidence: float | None = None


Fact = Union[DocumentFact, BodyFact, InstrumentFact, SessionFact, MeetingFact,
             ConstructiveDialogueFact, DeadlineFact, AgendaItemFact, ParagraphFact, MandateFact,
             PlannedItemFact, Relation]


@dataclass(frozen=True)
class SourceInfo:
    """What is known of the source file itself."""

    path: str  #: file name as given (relative to the build root when possible)
    sha256: str
    media_type: str  #: text/plain, text/markdown, text/html, application/pdf, ...docx
    language: str  #: detected language code: zh, en, fr, es, ru, ar
    symbol: str | None = None  #: the source document's own symbol, when found
    title: str | None = None
    #: the codec a text file was decoded with (ingest/textcodec.py); None: UTF-8, PDF, DOCX
    encoding: str | None = None


@dataclass
class Facts:
    source: SourceInfo
    items: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: False when no extractor recognised the source's structure (symbol-only graph)
    recognised: bool = True

    def add(self, fact: Fact) -> None:
        self.items.append(fact)
