"""Catalogue ingest: document records from a CSV catalogue export -> one named graph per file.

A library catalogue (the UN Digital Library exports its records in batches) describes each
document by its symbol, class, titles, date, session, agenda item and the instruments that
mandate it or that it is a draft of. This module reads such a file (``docs/catalogue.md``)
and writes the quads of its records with the builder of :mod:`mandategraph.build`
(``_Builder.node`` declares every session, body, agenda item and instrument once per file,
exactly as for a document built from its text).

Provenance is the named graph: one graph per catalogue file, described once (``un:SourceGraph``,
``un:sourceFile``, ``un:sha256``, ``un:extractorVersion``); a record is found in the file by
its symbol. No per-record annotation and no ``rdf:Statement`` reification: each document,
session, agenda item and instrument the file states points at the graph with
``dcterms:source`` (once per file), which the provenance shape accepts.

Errors follow the project rule: a bad row is reported as ``<file>:<line>: <symbol>: <what was
expected>`` and left out, the other rows are built; a file that cannot be read or decoded at
all raises :class:`~mandategraph.ingest.IngestError` before anything is built.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDFS, Graph
from rdflib.namespace import DCTERMS

from ..core.facts import (
    AgendaItemRef,
    DocRef,
    Facts,
    InstrumentRef,
    SessionRef,
    SourceInfo,
)
from ..core.namespaces import UN
from ..core.resources import asset_files
from ..ingest.textcodec import decode_text
from ..ingest.source import IngestError, sha256_file
from ..symbols.grammar import DocumentSymbol, SymbolError
from ..symbols.grammar import parse as parse_symbol
from .builder import BuiltSource, _Builder
from .iris import Iris
from .ntriples import nt_literal
from .vocab import N

__all__ = [
    "COLUMNS", "TITLE_LANGUAGES", "CatalogueRecord", "Catalogue", "CatalogueError",
    "instrument_ref", "catalogue_header", "is_catalogue", "read_catalogue", "build_catalogue",
]

#: The six official languages: a ``title_<lang>`` column each.
TITLE_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
#: Every column a catalogue may have (lower case); only ``symbol`` is required.
COLUMNS = ("symbol", "type", "title", "language", "date", "session", "agenda", "agenda_item",
           "mandated_by", "draft_of", *(f"title_{lang}" for lang in TITLE_LANGUAGES))
MEDIA_TYPE = "text/csv"
#: separates several values in one cell
SEP = "|"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LANG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*")
_SESSION = re.compile(r"[1-9]\d{0,5}")
#: an agenda item as the shapes accept it (shapes/agenda.ttl): "7", "2(b)", "99(cc)", "4(a)(ii)"
_ITEM = re.compile(r"[0-9A-Z][0-9A-Za-z.]*(?:\([a-z0-9]+\))*")
#: an instrument number as the shapes accept it (shapes/instrument.ttl)
_NUMBER = re.compile(r"[0-9A-Z][0-9A-Za-z.()\-]*(?:/[0-9A-Za-z.()\-]+)*"
                     r"(?: [A-Z]{1,2}| \((?:[IVXLCDM]+|E?S-[IVXLCDM]+|[0-9]{4})\))?")
_CITATION = re.compile(r"(?P<body>\S+)\s+(?P<kind>resolution|decision)\s+(?P<number>\S.*)", re.I)
_INSTRUMENT_KINDS = {"RES": "resolution", "DEC": "decision"}


class CatalogueError(ValueError):
    """One value of a record is not what the catalogue format expects (says what was)."""


# ----------------------------------------------------------------------------- instruments


def instrument_ref(text: str) -> InstrumentRef:
    """An instrument as a catalogue cites it -> the :class:`InstrumentRef` the extractors make.

    Two notations: an instrument symbol (``A/RES/78/1`` -> ``("A", "resolution", "78/1")``,
    ``A/HRC/RES/55/1``, ``S/RES/2719 (2023)`` -> number ``"2719 (2023)"``, ``A/DEC/78/501``,
    ``E/RES/2023/1``, ``A/RES/ES-10/1``) or a citation ``<body series> resolution|decision
    <number>`` (``CTOC/COP resolution 11/1``, ``E/CN.7 resolution 2005/1``). The body is the
    symbol's issuing series (:attr:`DocumentSymbol.body_series`), the number is written as the
    extractors cite it (session/number, or number plus the parenthetical year or session).
    Raises :class:`CatalogueError` naming what was expected.
    """
    raw = " ".join(text.split())
    if not raw:
        raise CatalogueError("expected an instrument symbol (A/RES/78/1) or a citation "
                             "('CTOC/COP resolution 11/1'), got an empty value")
    m = _CITATION.fullmatch(raw)
    if m:
        body = _series(m.group("body"))
        number = m.group("number")
        if body is None or not _NUMBER.fullmatch(number):
            what = (f"body series {m.group('body')!r}" if body is None else f"number {number!r}")
            raise CatalogueError(f"instrument {raw!r}: {what} is not valid; expected "
                                 "'<body series> resolution|decision <number>' such as "
                                 "'CTOC/COP resolution 11/1' or 'E/CN.7 decision 2005/1'")
        return InstrumentRef(body, m.group("kind").lower(), number)  # type: ignore[arg-type]
    try:
        sym = parse_symbol(raw)
    except SymbolError as e:
        raise CatalogueError(f"instrument {raw!r} is neither an instrument symbol nor a citation "
                             f"('<body series> resolution|decision <number>'): {e}") from None
    return _instrument_of_symbol(raw, sym)


def _instrument_of_symbol(raw: str, sym: DocumentSymbol) -> InstrumentRef:
    part = sym.first
    kinds = [c.text for c in part.components if c.role == "kind"]
    kind = _INSTRUMENT_KINDS.get(kinds[0]) if kinds else None
    if sym.is_joint or kind is None or part.modifiers or "." in part.item:
        raise CatalogueError(f"instrument {raw!r} is a document symbol but not an instrument's: "
                             "expected <series>/RES/<number> or <series>/DEC/<number> "
                             "(A/RES/78/1, S/RES/2719 (2023), A/DEC/78/501) without "
                             "Add./Corr./Rev.")
    number = f"{part.session}/{part.item}" if part.session else part.item
    if part.paren:
        number += f" ({part.paren})"
    return InstrumentRef(part.body_series, kind, number)  # type: ignore[arg-type]


@lru_cache(maxsize=1024)
def _series(text: str) -> str | None:
    """A body series as written in a citation ("CTOC/COP", "E/CN.7", "A") in its canonical
    form, or None when it is not the issuing series of any symbol."""
    if "/" in text and text.rsplit("/", 1)[1].isdigit():
        return None
    try:
        sym = parse_symbol(f"{text}/1")
    except SymbolError:
        return None
    series = sym.body_series
    return series if series.upper() == text.upper() else None


# ----------------------------------------------------------------------------- classes


@lru_cache(maxsize=1)
def document_classes() -> dict[str, str]:
    """Lower-case local name -> local name of un:Document and every class declared below it
    (rdfs:subClassOf, transitively) in ontology/."""
    g = Graph()
    for f in asset_files("ontology", ".ttl"):
        g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    top = UN["Document"]
    out = {}
    for c in g.transitive_subjects(RDFS.subClassOf, top):
        name = str(c)
        if name.startswith(str(UN)):
            local = name[len(str(UN)):]
            out[local.lower()] = local
    return out


# ----------------------------------------------------------------------------- records


@dataclass(frozen=True)
class CatalogueRecord:
    """One row of a catalogue, checked and keyed (what the builder writes)."""

    line: int  #: CSV line the record starts on (the header is line 1)
    symbol: str  #: the document key: canonical identifier of the first part
    joint: tuple[str, ...] = ()  #: identifiers of the other parts of a joint symbol
    doc_class: str = "Document"
    titles: tuple[tuple[str, str], ...] = ()  #: (text, language tag)
    date: dt.date | None = None
    session: SessionRef | None = None
    items: tuple[AgendaItemRef, ...] = ()
    mandated_by: tuple[InstrumentRef, ...] = ()
    draft_of: tuple[InstrumentRef, ...] = ()


@dataclass
class Catalogue:
    """A catalogue file read: its good records, its bad rows and its warnings."""

    path: str  #: as the build reports it
    sha256: str
    records: list[CatalogueRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  #: "<file>:<line>: <symbol>: <expected>"
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf_8"  #: the codec the file was written in (``un:sourceEncoding``)


def _values(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(SEP) if v.strip()]


def _record(row: dict[str, str], line: int) -> CatalogueRecord:
    """A row -> a record; raises CatalogueError on the first value that is not as expected."""
    text = row.get("symbol", "")
    if not text:
        raise CatalogueError("expected a document symbol in column 'symbol', got an empty value")
    try:
        sym = parse_symbol(text)
    except SymbolError as e:
        raise CatalogueError(f"expected a UN document symbol: {e}") from None
    parts = [p.identifier for p in sym.parts]
    first = sym.first

    cls_text = row.get("type", "")
    if cls_text:
        cls = document_classes().get(cls_text.lower())
        if cls is None:
            raise CatalogueError(f"type {cls_text!r} is not a document class of the ontology; "
                                 f"expected one of {', '.join(sorted(document_classes().values()))}")
    else:
        cls = sym.doc_class

    lang = (row.get("language", "") or "en").lower()
    if not _LANG.fullmatch(lang):
        raise CatalogueError(f"language {row.get('language')!r} is not a language code; "
                             "expected a BCP 47 tag such as 'en', 'zh' or 'fr'")
    titles: list[tuple[str, str]] = []
    if row.get("title"):
        titles.append((row["title"], lang))
    for code in TITLE_LANGUAGES:
        if row.get(f"title_{code}"):
            titles.append((row[f"title_{code}"], code))

    date = None
    if row.get("date"):
        d = row["date"]
        try:
            date = dt.date.fromisoformat(d) if _DATE.fullmatch(d) else None
        except ValueError:
            date = None
        if date is None:
            raise CatalogueError(f"date {d!r} is not an ISO date; expected YYYY-MM-DD")

    body = first.body_series
    session = None
    if row.get("session"):
        s = row["session"]
        if not _SESSION.fullmatch(s):
            raise CatalogueError(f"session {s!r} is not a session number; expected a positive "
                                 f"integer (the session or year of {body})")
        session = SessionRef(body, int(s))
    elif first.session and first.session.isdigit() and int(first.session) > 0:
        session = SessionRef(body, int(first.session))

    items: tuple[AgendaItemRef, ...] = ()
    agenda_text = row.get("agenda", "")
    item_texts = _values(row.get("agenda_item", ""))
    if item_texts and not agenda_text:
        raise CatalogueError("agenda_item without agenda: expected the symbol of the agenda "
                             "document in column 'agenda' (e.g. A/78/251)")
    if agenda_text:
        if not item_texts:
            raise CatalogueError(f"agenda {agenda_text!r} without agenda_item: expected one or "
                                 "more item numbers in column 'agenda_item' (e.g. 19 or 2(b))")
        try:
            agenda = parse_symbol(agenda_text).first.identifier
        except SymbolError as e:
            raise CatalogueError(f"agenda: expected the symbol of the agenda document: {e}") from None
        norm = []
        for it in item_texts:
            n = re.sub(r"\s+", "", it)
            if not _ITEM.fullmatch(n):
                raise CatalogueError(f"agenda_item {it!r} is not an item number; expected an "
                                     "item as printed, such as '19', '2(b)' or '4(a)(ii)'")
            norm.append(AgendaItemRef(agenda, n))
        items = tuple(norm)

    mandated = tuple(_instruments(row.get("mandated_by", ""), "mandated_by"))
    drafts = tuple(_instruments(row.get("draft_of", ""), "draft_of"))
    return CatalogueRecord(line, parts[0], tuple(parts[1:]), cls, tuple(titles), date, session,
                           items, mandated, drafts)


def _instruments(cell: str, column: str) -> list[InstrumentRef]:
    out = []
    for v in _values(cell):
        try:
            out.append(instrument_ref(v))
        except CatalogueError as e:
            raise CatalogueError(f"{column}: {e}") from None
    return out


# ----------------------------------------------------------------------------- reading


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, codec name): catalogue exports come in the encodings text sources do (UTF-8,
    UTF-16 from spreadsheet programs, GB18030, Windows-1252 ...), detected the same way
    (:func:`mandategraph.ingest.textcodec.decode_text`); NUL bytes outside UTF-16/32 are an error."""
    text, enc = decode_text(name, data)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise IngestError(name, "contains NUL bytes (a binary file?); expected a CSV catalogue",
                          text[:text.index("\x00")].count("\n") + 1)
    return text, enc


def _header(fields: list[str], name: str) -> list[str]:
    cols = [c.strip().lower() for c in fields]
    seen: set[str] = set()
    for c in cols:
        if c and c in seen:
            raise IngestError(name, f"column {c!r} appears twice in the header; expected each "
                              "column once", 1)
        seen.add(c)
    return cols


def catalogue_header(path: str | Path, name: str | None = None) -> list[str]:
    """The lower-case column names of a CSV file's header row. Raises IngestError when the
    file cannot be read or decoded, or is empty."""
    name = name or str(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
    except OSError as e:
        raise IngestError(name, f"cannot be read: {e.strerror or e}") from None
    if not head.strip():
        raise IngestError(name, "is empty; expected a CSV header row with a 'symbol' column")
    # a header never spans 64 KiB: cut at the last complete line to decode safely
    if len(head) == 1 << 16 and b"\n" in head:
        head = head[:head.rindex(b"\n")]
    try:
        text, _ = _decode(head, name)
    except IngestError:  # the cut fell inside a UTF-16 big-endian line end: one byte more
        text, _ = _decode(head[:len(head) & ~1] if len(head) % 2 else head[:-1], name)
    try:
        first = next(csv.reader(io.StringIO(text)), [])
    except csv.Error as e:
        raise IngestError(name, f"header is not valid CSV: {e}", 1) from None
    return _header(first, name)


def is_catalogue(path: str | Path) -> bool:
    """Is ``path`` a CSV whose header has a ``symbol`` column? (False when unreadable.)"""
    try:
        return "symbol" in catalogue_header(path)
    except IngestError:
        return False


def expected_header() -> str:
    """What a catalogue header must have, for error messages."""
    return ("a header row with a 'symbol' column (optional: "
            + ", ".join(c for c in COLUMNS if c != "symbol") + ")")


def read_catalogue(path: str | Path, name: str | None = None) -> Catalogue:
    """Read a catalogue file: records of the good rows, one error per bad row, warnings for
    unknown columns and duplicate symbols. Raises IngestError when the file as a whole cannot
    be read (I/O, encoding, CSV syntax, no ``symbol`` column): then nothing of it is built."""
    name = name or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise IngestError(name, f"cannot be read: {e.strerror or e}") from None
    cat = Catalogue(name, sha256_file(Path(path)))  # memoised: the build hashed it already
    text, cat.encoding = _decode(data, name)
    if not text.strip():
        raise IngestError(name, f"is empty; expected {expected_header()}")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(_rows(reader))
    except csv.Error as e:
        raise IngestError(name, f"is not valid CSV: {e}", reader.line_num) from None
    header_line, header = rows[0]
    cols = _header(header, name)
    if "symbol" not in cols:
        raise IngestError(name, f"has no 'symbol' column (columns: {', '.join(cols) or 'none'}); "
                          f"expected {expected_header()}", header_line)
    unknown = [repr(c) if c else "(unnamed)" for c in cols if c not in COLUMNS]
    if unknown:
        cat.warnings.append(f"{name}: unknown column(s) {', '.join(unknown)} "
                            "ignored; expected only " + ", ".join(COLUMNS))
    first_line: dict[str, int] = {}
    for line, fields in rows[1:]:
        if not any(f.strip() for f in fields):
            continue
        shown = fields[cols.index("symbol")].strip() if len(fields) > cols.index("symbol") else ""
        shown = shown or "(no symbol)"
        if len(fields) > len(cols) and any(f.strip() for f in fields[len(cols):]):
            cat.errors.append(f"{name}:{line}: {shown}: expected at most {len(cols)} fields "
                              f"(the header's columns), got {len(fields)}")
            continue
        row = {c: f.strip() for c, f in zip(cols, fields) if c}
        try:
            rec = _record(row, line)
        except CatalogueError as e:
            cat.errors.append(f"{name}:{line}: {shown}: {e}")
            continue
        earlier = first_line.get(rec.symbol)
        if earlier is not None:
            cat.warnings.append(f"{name}:{line}: {rec.symbol}: duplicate symbol, also on line "
                                f"{earlier}; the facts of both rows go in")
        else:
            first_line[rec.symbol] = line
        cat.records.append(rec)
    return cat


def _rows(reader):
    """Rows with the line each starts on (a quoted field may span lines)."""
    end = 0
    for fields in reader:
        yield end + 1, fields
        end = reader.line_num


# ----------------------------------------------------------------------------- building


#: ``dcterms:source``: a record's provenance is its file (the named graph)
DCT_SOURCE = f"<{DCTERMS.source}>"
#: the nodes a catalogue states (not bodies: they are reference data, whose dcterms:source is a
#: string naming the reference, shapes/body.ttl)
_SOURCED = (DocRef, SessionRef, AgendaItemRef, InstrumentRef)


class _CatalogueBuilder(_Builder):
    """The document builder of :mod:`mandategraph.build`, fed catalogue records: nodes are
    declared by ``_Builder.node`` (once per file), no annotation is written. Each document,
    session, agenda item and instrument the file states gets ``dcterms:source`` its graph,
    once: the provenance shape (shapes/provenance.ttl) accepts it, and the file and its
    SHA-256 are described on the graph."""

    def node(self, ref):
        new = ref not in self.iri_of
        iri = super().node(ref)
        if new and isinstance(ref, _SOURCED):
            self.add(f"<{iri}>", DCT_SOURCE, self.n_graph)
        return iri

    def record(self, r: CatalogueRecord) -> None:
        add = self.add
        iri = self.node(DocRef(r.symbol))
        d = f"<{iri}>"
        for other in r.joint:
            add(d, N.UN.symbol, nt_literal(other))
        if r.doc_class != "Document":
            add(d, N.RDF.type, self._class(r.doc_class))
        for text, lang in r.titles:
            self.lit(iri, N.UN.title, text, lang)
        self.lit(iri, N.UN.date, r.date)
        if r.session is not None:
            add(d, N.UN.submittedTo, f"<{self.node(r.session)}>")
        for item in r.items:
            add(d, N.UN.underAgendaItem, f"<{self.node(item)}>")
        for ref in r.mandated_by:
            add(d, N.UN.mandatedBy, f"<{self.node(ref)}>")
        for ref in r.draft_of:
            add(d, N.UN.draftOf, f"<{self.node(ref)}>")

    def finish(self) -> None:
        """The source graph's description (``_Builder.describe_source``, without a language:
        a catalogue's records each have their own)."""
        self.describe_source()


def build_records(cat: Catalogue, iris: Iris | None = None) -> BuiltSource:
    """The named graph of a catalogue read by :func:`read_catalogue` (N-Triples text)."""
    iris = iris or Iris()
    info = SourceInfo(path=cat.path, sha256=cat.sha256, media_type=MEDIA_TYPE, language="und",
                      encoding=cat.encoding)
    b = _CatalogueBuilder(Facts(info), iris)  # graph: Iris.graph_for(None, None, file name)
    b.n_graph = f"<{b.graph_iri}>"
    for r in cat.records:
        b.record(r)
    b.finish()
    return BuiltSource(b.graph_iri, "\n".join(b.out), cat.path, cat.sha256, list(cat.warnings),
                       checked=b.checked)


def build_catalogue(path: str | Path, name: str | None = None,
                    iris: Iris | None = None) -> tuple[BuiltSource, list[str]]:
    """Read and build one catalogue file: (its graph, the errors of its bad rows).
    Raises IngestError when the file cannot be read at all."""
    cat = read_catalogue(path, name)
    return build_records(cat, iris), cat.errors
