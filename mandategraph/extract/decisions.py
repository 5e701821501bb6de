"""GA decision records (the General Assembly's decisions database) -> one named graph per file.

A record is one JSON object as the database's public API returns it (``docs/decisions.md``):
``ED_DecisionNumber`` ("71/401", "71/405 A and B"), ``ED_Type``, ``ED_Title``,
``ED_AgendaItem`` ("3 (a)", "115(a)"), ``ED_Session`` ("71st session of the General
Assembly"), ``ED_OriginatingBody``, ``ED_DecisionText``, ``ED_Disclaimer``, ``ED_Meeting``
(a list of ``{ED_Number: "35th plenary meeting", ED_Date: "2016-10-27T05:00:00.000Z"}``).
Values may carry stray whitespace and tabs.

Each record is a decision of the General Assembly: ``InstrumentRef("A", "decision", n)`` -
the node a resolution PDF mints when it cites "decision 78/560", so both are one IRI; a record
"74/402 A and B" states the two parts "74/402 A" and "74/402 B". Its text states mandates
(agenda inclusion of an item at a later session, deferral to a session), the documents the
Assembly took note of, the committee report it was adopted on ("(See A/71/503, para. 5)"),
other documents and the instruments it cites. Provenance: every fact is annotated with the
rule ``decision-record.<field>`` and the character offsets of its quote in that field's
value as stored in the record.

A bad field is reported as ``<file>: field <name>: <what was expected>`` and left out; the
rest of the record goes in. A record without a usable decision number is not built.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.facts import (
    AgendaItemFact, AgendaItemRef, DocRef, DocumentFact, Facts, InstrumentFact,
    InstrumentRef, MandateFact, MandateRef, PlannedItemFact, PlannedItemRef, Prov, Relation,
    SessionFact, SessionRef, SourceInfo, Span,
)
from ..core.slugs import slugify
from ..ingest.source import IngestError, sha256_file
from ..symbols.text import find_symbols
from .common import EN_ORDINAL_RE, en_ordinal
from .res_masthead import symbol_key
from .res_instruments import find_instruments, unify
from .resolution import agenda_symbol, rules_for

MEDIA_TYPE = "application/x-ga-decision-record+json"
RULE = "decision-record"
KEY = "ED_DecisionNumber"  #: a JSON file with this key is a decision record

_WS = re.compile(r"\s+")
_NUMBER = re.compile(r"^(?P<base>\d{1,3}/\d{3})(?:\s+(?P<parts>[A-Z](?:(?:,\s*|\s+and\s+|\s+)[A-Z])*"
                     r"|(?P<first>[A-Z])-(?P<last>[A-Z])))?[\s.]*$")
#: one agenda item: "70", "3 (a)", "115(a)", "75c", "31 b"
_ITEM = re.compile(r"(?P<n>\d{1,3})\s*(?P<sub>[a-z](?![a-z])|(?:\([a-z]{1,3}\)\s*)*)")
_ITEM_LIST = re.compile(r"^\d{1,3}\s*(?:\([a-z]{1,3}\)\s*|[a-z](?![a-z])\s*)*"
                        r"(?:(?:,\s*|\s+and\s+)\d{1,3}\s*(?:\([a-z]{1,3}\)\s*|[a-z](?![a-z])\s*)*)*$")
_SESSION = re.compile(r"^(?P<n>\d{1,3})(?:st|nd|rd|th) (?:special |emergency special )?session\b")
#: "35th plenary meeting", "3 plenary meeting", "48th (resumed) plenary meeting", "56th plenary
#: meeting (resumed)", and the database's typos ("65thplenary", "1 st", "75h", "45th lenary")
_MEETING = re.compile(r"^(?P<n>\d{1,3})\s*(?:st|nd|rd|th|h)?\s*(?P<r1>\(?resumed\)?)?\s*"
                      r"(?P<kind>p?lenary)?\s*meeting\s*(?P<r2>\(resumed\))?")
_NO_MEETING = re.compile(r"^(?:N\.?/?A\.?|no)\b", re.IGNORECASE)

_Q = r"[“\"](?P<title>[^”\"]{3,400})[”\"]"
_AGENDA = r"(?:provisional |draft )?agenda of its (?P<ord>" + EN_ORDINAL_RE + r") session"
#: (kind, pattern): what the Assembly decided to do at a later session
MANDATE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("deferral", re.compile(r"decided to defer consideration of the (?:sub-)?item entitled\s+" + _Q
                            + r"\s+and to include it in the " + _AGENDA)),
    ("deferral", re.compile(r"decided to defer (?:consideration of|a decision on|until the "
                            r"(?P<ord2>" + EN_ORDINAL_RE + r") session consideration of)\s+"
                            r"(?P<what>[^.;]{3,400}?)(?:\s+(?:to|until) (?:its|the) (?P<ord>"
                            + EN_ORDINAL_RE + r") session|[.;:])")),
    ("agenda-inclusion", re.compile(r"decided to include in the " + _AGENDA
                                    + r",?\s*(?:under the item entitled\s+[“\"][^”\"]+[”\"],\s*)?"
                                    r"(?:an additional item entitled|the (?:sub-)?item entitled|"
                                    r"the (?:sub-)?item)\s+" + _Q)),
    ("agenda-inclusion", re.compile(r"decided to include the (?:sub-)?item entitled\s+" + _Q
                                    + r"(?:\s+of the item entitled\s+[“\"][^”\"]+[”\"])?\s+in the "
                                    + _AGENDA)),
)
_TOOK_NOTE = re.compile(r"took note of\b")
_PARA = re.compile(r"^,?\s*paras?\.")


class RecordError(ValueError):
    """A record that cannot be built at all (no usable decision number)."""


@dataclass
class Meeting:
    number: int | None
    plenary: bool
    resumed: bool
    date: dt.date | None
    index: int  #: position in ED_Meeting


@dataclass
class DecisionRecord:
    path: str
    sha256: str
    raw: dict
    number: str  #: cleaned: "74/402 A and B"
    base: str  #: "74/402"
    parts: tuple[str, ...]  #: ("A", "B") or ()
    session: int
    type: str | None = None
    title: str | None = None
    agenda_items: tuple[str, ...] = ()  #: normalised "115(a)"
    originating_body: str | None = None
    meetings: list[Meeting] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def refs(self) -> list[InstrumentRef]:
        return [InstrumentRef("A", "decision", f"{self.base} {p}" if p else self.base)
                for p in (self.parts or ("",))]


def _parts_text(parts: tuple[str, ...]) -> str:
    """("A", "B", "C") -> "A, B and C" (as the database writes the number)."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _expand_range(m: re.Match) -> str:
    a, b = int(m.group(1)), int(m.group(2))
    return ", ".join(str(n) for n in range(a, b + 1)) if 0 < b - a <= 50 else m.group(0)


def _norm_item(m: re.Match) -> str:
    sub = re.sub(r"\s+", "", m.group("sub"))
    if sub and not sub.startswith("("):
        sub = f"({sub})"
    return m.group("n") + sub


def clean(value: object) -> str:
    return _WS.sub(" ", str(value)).strip() if value is not None else ""


def is_decision_record(path: str | Path) -> bool:
    """A .json file whose first 4 KiB name the ``ED_DecisionNumber`` field."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return f'"{KEY}"'.encode() in head


def ny_date(stamp: str) -> dt.date | None:
    """The calendar date in New York of an ISO timestamp ("2016-10-27T05:00:00.000Z": the
    database stores midnight New York time in UTC)."""
    try:
        t = dt.datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        return t.date()
    try:
        from zoneinfo import ZoneInfo  # noqa: PLC0415 - the tz database may be missing: fallback below

        return t.astimezone(ZoneInfo("America/New_York")).date()
    except Exception:  # noqa: BLE001 - no tz database: UTC-5 is right for midnight stamps
        return (t - dt.timedelta(hours=5)).date()


def read_record(path: str | Path, name: str | None = None) -> DecisionRecord:
    """Read and check one record. Raises IngestError (unreadable, not JSON, not an object)
    or RecordError (no usable number); bad other fields are in ``errors``."""
    name = name or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise IngestError(name, f"cannot be read: {e.strerror or e}") from None
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise IngestError(name, f"not valid UTF-8 at byte {e.start}; expected a JSON decision record") from None
    except json.JSONDecodeError as e:
        raise IngestError(name, f"is not valid JSON: {e.msg}", e.lineno) from None
    if not isinstance(raw, dict):
        raise IngestError(name, f"expected a JSON object (one decision record), got a {type(raw).__name__}")
    number = clean(raw.get(KEY))
    m = _NUMBER.match(number)
    if not m:
        raise RecordError(f"{name}: field {KEY}: expected a decision number such as '71/401' or "
                          f"'71/405 A and B', got {raw.get(KEY)!r}; record not built")
    if m.group("first"):  # "73/408 A-C"
        parts = tuple(chr(c) for c in range(ord(m.group("first")), ord(m.group("last")) + 1))
    else:
        parts = tuple(re.findall(r"[A-Z]", m.group("parts") or ""))
    number = m.group("base") + (" " + _parts_text(parts) if parts else "")
    session = int(m.group("base").split("/")[0])
    rec = DecisionRecord(name, sha256_file(Path(path)), raw, number, m.group("base"), parts, session)
    err = rec.errors.append
    s = clean(raw.get("ED_Session"))
    sm = _SESSION.match(s)
    if s and (not sm or int(sm.group("n")) != session):
        err(f"{name}: field ED_Session: expected the session of decision {number} "
            f"('{session}th session of the General Assembly'), got {raw.get('ED_Session')!r}")
    rec.type = clean(raw.get("ED_Type")) or None
    rec.title = clean(raw.get("ED_Title")) or None
    rec.originating_body = clean(raw.get("ED_OriginatingBody")) or None
    item = clean(raw.get("ED_AgendaItem"))
    if item:
        rng = re.sub(r"(\d{1,3})\s+to\s+(\d{1,3})", _expand_range, item)  # "149 to 165"
        if _ITEM_LIST.match(rng):
            rec.agenda_items = tuple(_norm_item(im) for im in _ITEM.finditer(rng))
        else:
            err(f"{name}: field ED_AgendaItem: expected an agenda item number such as '70' or "
                f"'3 (a)', got {raw.get('ED_AgendaItem')!r}")
    meetings = raw.get("ED_Meeting") or []
    if not isinstance(meetings, list):
        err(f"{name}: field ED_Meeting: expected a list of meetings, got {type(meetings).__name__}")
        meetings = []
    for k, mt in enumerate(meetings):
        if not isinstance(mt, dict):
            err(f"{name}: field ED_Meeting[{k}]: expected an object with ED_Number and ED_Date")
            continue
        label = clean(mt.get("ED_Number"))
        mm = _MEETING.match(label)
        date = ny_date(str(mt.get("ED_Date") or ""))
        if mt.get("ED_Date") and date is None:
            err(f"{name}: field ED_Meeting[{k}].ED_Date: expected an ISO timestamp, got {mt.get('ED_Date')!r}")
        if label and not mm and not _NO_MEETING.match(label):
            err(f"{name}: field ED_Meeting[{k}].ED_Number: expected '<n>th plenary meeting', got {label!r}")
        rec.meetings.append(Meeting(int(mm.group("n")) if mm else None,
                                    bool(mm and mm.group("kind")) or "plenary" in label,
                                    bool(mm and (mm.group("r1") or mm.group("r2"))), date, k))
    text = raw.get("ED_DecisionText")
    if text is not None and not isinstance(text, str):
        err(f"{name}: field ED_DecisionText: expected a string, got {type(text).__name__}")
    return rec


# ----------------------------------------------------------------------------- facts


def _span(raw: str, start: int, end: int, fieldname: str) -> Prov:
    return Prov(Span(start, end, raw[start:end]), f"{RULE}.{fieldname}")


def _whole(raw: dict, fieldname: str) -> Prov:
    v = str(raw.get(fieldname) or "")
    a = len(v) - len(v.lstrip())
    b = len(v.rstrip())
    return _span(v, a, max(a, b), fieldname)


def record_facts(rec: DecisionRecord) -> Facts:
    """The facts a record states (see the module docstring)."""
    raw = rec.raw
    facts = Facts(SourceInfo(path=rec.path, sha256=rec.sha256, media_type=MEDIA_TYPE,
                             language="en"))
    add = facts.add
    num = _whole(raw, KEY)
    session = SessionRef("A", rec.session)
    add(SessionFact(session, num))
    dates = sorted({m.date for m in rec.meetings if m.date})
    for ref in rec.refs:
        add(InstrumentFact(ref, _whole(raw, "ED_Title") if rec.title else num, title=rec.title,
                           title_lang="en" if rec.title else None,
                           date=dates[0] if len(dates) == 1 else None))
        add(Relation(ref, "adoptedAt", session, num))
        for it in rec.agenda_items:
            item = AgendaItemRef(agenda_symbol("A", rec.session), it)
            ip = _whole(raw, "ED_AgendaItem")
            add(AgendaItemFact(item, ip))
            add(Relation(item, "agendaOf", session, ip))
            add(Relation(ref, "underAgendaItem", item, ip))
        for m in rec.meetings:
            if m.number is not None and m.plenary:
                pv = DocRef(f"A/{rec.session}/PV.{m.number}")
                mp = Prov(None, f"{RULE}.ED_Meeting[{m.index}]")
                add(DocumentFact(pv, mp, date=m.date))
                add(Relation(ref, "recordedIn", pv, mp))
    text = raw.get("ED_DecisionText")
    if isinstance(text, str):
        _text_facts(rec, facts, text)
        unify(facts, None)  # bodies taken by default -> the GA (res_instruments.unify)
    return facts


def _text_facts(rec: DecisionRecord, facts: Facts, text: str) -> None:
    add = facts.add
    F = "ED_DecisionText"
    refs = rec.refs
    k = 0
    for kind, pattern in MANDATE_RULES:
        for m in pattern.finditer(text):
            ordinal = m.groupdict().get("ord") or m.groupdict().get("ord2")
            if not ordinal:
                continue
            try:
                n = en_ordinal(ordinal)
            except ValueError:
                continue
            k += 1
            pv = _span(text, m.start(), m.end(), F)
            session = SessionRef("A", n)
            add(SessionFact(session, pv))
            title = m.groupdict().get("title") or m.groupdict().get("what")
            planned = PlannedItemRef(session, slugify(title)[:80]) if title else None
            if planned is not None:
                add(PlannedItemFact(planned, pv, title=_WS.sub(" ", title).strip(), title_lang="en"))
                add(Relation(planned, "plannedFor", session, pv))
            for ref in refs:
                mref = MandateRef(ref, f"{kind}-{k}")
                add(MandateFact(mref, pv, verb="decides",
                                output="agenda item" if kind == "agenda-inclusion" else "deferral",
                                status="planned"))
                add(Relation(mref, "dueAt", session, pv))
    took = _TOOK_NOTE.search(text)
    for sm in find_symbols(text):
        ident = symbol_key(sm.symbol)
        pv = _span(text, sm.start, sm.end, F)
        is_pv = "/PV." in ident
        after = text[sm.end:sm.end + 12]
        add(DocumentFact(DocRef(ident), pv, printed=sm.printed))
        for ref in refs:
            if _PARA.match(after):  # "(See A/71/503, para. 5)": the committee report it was adopted on
                add(Relation(ref, "adoptedOnReportOf", DocRef(ident), pv))
            elif took and not is_pv and sm.start > took.start():
                add(Relation(ref, "takesNoteOf", DocRef(ident), pv))
            else:
                add(Relation(ref, "cites", DocRef(ident), pv))
    R = rules_for("en")
    own = {r.number for r in refs}
    for start, end, iref, date in find_instruments(text, R, "A"):
        if iref.number in own:
            continue
        pv = _span(text, start, end, F)
        add(InstrumentFact(iref, pv, date=date))
        for ref in refs:
            add(Relation(ref, "recalls", iref, pv))
