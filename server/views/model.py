"""Typed, frozen page contexts: what each template receives (no dicts of dicts).

Every value shown on a page is a :class:`Value` carrying its provenance (the quoted source
text, its position and source document, the extraction rule), so the templates can put a
quote behind every fact.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    iri: str
    href: str
    label: str
    #: the part of ``label`` that is data in another language than the interface (an
    #: agenda item's English title after "项目 2(a): "), and that language
    tail: str | None = None
    tail_lang: str | None = None


@dataclass(frozen=True)
class Provenance:
    rule: str
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    source: Link | None = None  #: the expression (language version) the quote is from
    source_lang: str | None = None
    method: str | None = None  #: how a derived link was made
    confidence: float | None = None


@dataclass(frozen=True)
class Value:
    text: str
    link: Link | None = None
    lang: str | None = None
    provs: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class FactRow:
    prop: str  #: property IRI
    label: str  #: property label in the user's language
    values: tuple[Value, ...]
    inverse: bool = False  #: the node is the object of these statements


@dataclass(frozen=True)
class Shacl:
    """Validation state of one node: counts and a link to its report."""

    state: str  #: "ready", "pending", "error"
    violations: int = 0
    warnings: int = 0
    href: str = ""


@dataclass(frozen=True)
class LineageNode:
    key: str
    label: str
    kind: str  #: document, mandate, paragraph, instrument
    href: str
    level: int
    note: str = ""
    note_lang: str | None = None  #: the note quotes the source: its language


@dataclass(frozen=True)
class LineageEdge:
    source: str
    target: str
    label: str


@dataclass(frozen=True)
class Lineage:
    nodes: tuple[LineageNode, ...]
    edges: tuple[LineageEdge, ...]
    svg: str = ""  #: server-rendered picture (inline SVG markup)


@dataclass(frozen=True)
class RecallItem:
    """One line of the recall chain drawn as a nested list."""

    link: Link
    relation: str
    depth: int
    provs: tuple[Provenance, ...] = ()
    repeated: bool = False  #: already listed above (a cycle or a shared ancestor)


@dataclass(frozen=True)
class MandateView:
    link: Link
    instrument: Link
    paragraph: Link | None
    paragraph_text: str | None
    verb: str | None
    addressee: Value | None
    output: Value | None
    due: Value | None
    due_number: int | None
    due_body: str | None
    status: str  #: fulfilled, oral-report, not-carried-out, planned, open, overdue
    status_label: str
    status_note: str | None
    fulfilled_by: tuple[Value, ...]
    body: Link | None  #: body that adopted the instrument
    provs: tuple[Provenance, ...] = ()
    status_note_lang: str | None = None


@dataclass(frozen=True)
class MandateLink:
    """How a document is tied to the instrument that asked for it."""

    via: str  #: "mandatedBy" or "fulfilledBy"
    mandate: MandateView | None
    paragraph: Link | None
    paragraph_text: str | None
    instrument: Link | None
    provs: tuple[Provenance, ...]
    siblings: tuple[Link, ...]  #: other documents produced under the same mandate / instrument
    recalls: tuple[RecallItem, ...]
    #: the document whose words ``paragraph_text`` are, when it is not the instrument's own
    #: text (an agenda's summary of the paragraph): the page says "as summarised in ..."
    paragraph_source: Link | None = None


@dataclass(frozen=True)
class Header:
    """What every resource page shares: identity, twins, validation."""

    iri: str
    title: str
    kind: str
    types: tuple[str, ...]
    twins: tuple[Link, ...]
    shacl: Shacl
    node_provs: tuple[Provenance, ...]
    title_lang: str | None = None  #: the title is data in this language (a State's English name)


@dataclass(frozen=True)
class DocumentPage:
    header: Header
    symbol: str
    components: tuple[tuple[str, str], ...]
    titles: tuple[tuple[str, str], ...]
    date: Value | None
    distribution: str | None
    original_language: str | None
    body: Link | None
    sessions: tuple[Value, ...]
    agenda_items: tuple[Value, ...]
    expressions: tuple[Link, ...]
    mandates: tuple[MandateLink, ...]
    carries: tuple[Value, ...]  #: instruments this document carries
    carried_recalls: tuple[tuple[Link, tuple[RecallItem, ...]], ...]  #: their recall chains
    draft_of: tuple[Value, ...]
    lineage: Lineage
    facts: tuple[FactRow, ...]


@dataclass(frozen=True)
class ParagraphView:
    link: Link
    part: str | None
    number: str | None
    verb: str | None
    text: str | None
    mandates: tuple[Link, ...] = ()


@dataclass(frozen=True)
class InstrumentPage:
    header: Header
    number: str | None
    titles: tuple[tuple[str, str], ...]
    body: Link | None
    date: Value | None
    adopted_at: tuple[Value, ...]
    carried_by: tuple[Value, ...]
    adopted_on_report_of: tuple[Value, ...]
    drafts: tuple[Value, ...]
    paragraphs: tuple[ParagraphView, ...]
    mandates: tuple[MandateView, ...]
    recalls: tuple[RecallItem, ...]
    recalled_by: tuple[Value, ...]
    mandated_documents: tuple[Value, ...]
    lineage: Lineage
    facts: tuple[FactRow, ...]


@dataclass(frozen=True)
class DocEntry:
    """A document listed under an agenda item: its symbol link and its title, if any."""

    value: Value
    title: str | None = None
    title_lang: str | None = None


@dataclass(frozen=True)
class AgendaEntry:
    item: Link | None
    number: str
    title: str
    documents: tuple[DocEntry, ...]
    mandates: tuple[MandateView, ...]  #: mandates the item's documents fulfil
    depth: int = 0
    title_lang: str | None = None


@dataclass(frozen=True)
class SessionPage:
    header: Header
    number: str | None
    body: Link | None
    start: str | None
    end: str | None
    place: str | None
    agenda: tuple[AgendaEntry, ...]
    due: tuple[MandateView, ...]
    adopted: tuple[Value, ...]
    planned: tuple[Value, ...]
    facts: tuple[FactRow, ...]
    place_lang: str | None = None


@dataclass(frozen=True)
class MeetingGroup:
    body: Link
    meetings: tuple[Link, ...]


@dataclass(frozen=True)
class BodyPage:
    header: Header
    names: tuple[tuple[str, str], ...]
    notation: str | None
    parent: Link | None
    sessions: tuple[Link, ...]
    subsidiaries: tuple[MeetingGroup, ...]
    meetings: tuple[Link, ...]
    instruments: tuple[Link, ...]
    facts: tuple[FactRow, ...]


@dataclass(frozen=True)
class GenericPage:
    header: Header
    facts: tuple[FactRow, ...]


@dataclass(frozen=True)
class BodySessions:
    body: Link
    sessions: tuple[tuple[Link, int], ...]  #: session link, documents submitted


@dataclass(frozen=True)
class HomePage:
    counts: tuple[tuple[str, int], ...]
    bodies: tuple[BodySessions, ...]  #: organs and subsidiary bodies (the reference table's, or with sessions)
    others: tuple[Link, ...] = ()  #: Member States and other sponsors: bodies known only as issuers of drafts


@dataclass(frozen=True)
class SearchHit:
    link: Link
    kind: str
    why: str


@dataclass(frozen=True)
class SearchPage:
    query: str
    normalised: str | None
    error: str | None
    exact: tuple[SearchHit, ...]
    suggestions: tuple[SearchHit, ...]
    results: tuple[SearchHit, ...]


@dataclass(frozen=True)
class MandatesPage:
    rows: tuple[MandateView, ...]
    counts: tuple[tuple[str, str, int], ...]  #: status, label, count (after body/session filters)
    bodies: tuple[Link, ...]
    sessions: tuple[int, ...]
    status: str | None
    body: str | None
    session: int | None
    latest: tuple[tuple[str, int], ...] = field(default_factory=tuple)  #: body label, latest session
