"""The vocabulary (N-Triples terms) and record types of the synthetic corpus (:mod:`bench.synth`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from mandategraph.core.namespaces import UN

R = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD_DATE = "<http://www.w3.org/2001/XMLSchema#date>"
XSD_INT = "<http://www.w3.org/2001/XMLSchema#integer>"
OA_ = "http://www.w3.org/ns/oa#"
PROV_ = "http://www.w3.org/ns/prov#"
DCT_SOURCE = "<http://purl.org/dc/terms/source>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SEE_ALSO = "<http://www.w3.org/2000/01/rdf-schema#seeAlso>"


def u(local: str) -> str:
    return f"<{UN}{local}>"


# (series key, first session, sessions, year-numbered?, doc share, classes of documents)
BODIES: tuple[tuple[str, int, int, bool, float], ...] = (
    ("A", 40, 40, False, 0.45),
    ("A/HRC", 36, 20, False, 0.20),
    ("E/CN.7", 2005, 20, True, 0.15),
    ("E/CN.15", 2010, 15, True, 0.12),
    ("CTOC/COP", 2016, 5, True, 0.08),
)
TOPICS = ("crime prevention", "drug control", "human rights", "sustainable development",
          "technical assistance", "firearms", "trafficking in persons", "corruption",
          "international cooperation", "women and peace and security")
STATUSES = ("Fulfilled", "OralReport", "NotCarriedOut", "Open", "Planned")
VIOLATIONS = ("bad-symbol", "untyped-date", "unknown-status", "no-issuedBy", "untyped-resolution-date")
LAYOUTS = ("files", "catalogue")


@dataclass(frozen=True)
class Session:
    body: str
    number: int
    year: int
    iri: str
    items: tuple[str, ...]
    agenda: str  #: symbol of the session's agenda document (its items' IRIs are minted from it)


@dataclass(frozen=True)
class Resolution:
    iri: str
    body: str
    session: int  # index into sessions
    number: str
    symbol: str


@dataclass(frozen=True)
class Record:
    """One generated document, as its catalogue record would describe it."""

    i: int
    symbol: str
    lit_symbol: str  #: the symbol as written (lower case for a deliberate bad-symbol violation)
    kind: str
    title: str
    date: str
    date_typed: bool  #: False for a deliberate untyped-date violation
    session: int  #: index into Corpus.sessions
    item: int  #: agenda item number (1-based)
    pred: str | None  #: "mandatedBy", "draftOf" or None
    res: int | None  #: index into Corpus.resolutions
    doc: str  #: the document's IRI as an N-Triples term


@dataclass
class SynthStats:
    """What was generated: counts, sample symbols for benchmarks, deliberate violations."""

    docs: int
    seed: int
    triples: int = 0
    graphs: int = 0
    sessions: int = 0
    resolutions: int = 0
    mandates: int = 0
    expressions: int = 0
    annotations: int = 0
    violations: dict[str, int] = field(default_factory=dict)
    sample_symbols: list[str] = field(default_factory=list)
    sample_resolutions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
