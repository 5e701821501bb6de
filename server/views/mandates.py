"""Mandates and their status as the browser shows them.

The graph states a status from the text (``un:mandateStatus``) and fulfilling documents
(``un:fulfilledBy``). The browser adds one derived status, *overdue*: the mandate is open, its
due session's number is below the latest session of that body that the graph documents
(held: dates, documents submitted, instruments adopted or agenda items; a session only named
as somebody's due date does not count), nothing fulfils it, and the due session was still to
come when the instrument was adopted: a session of the adopting body numbered at or below the
adopting session ("the report submitted at its seventy-second session", read as a due
session) is a reference to the past, not a deadline, and never makes a mandate overdue.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from types import MappingProxyType

from rdflib import Literal, URIRef
from rdflib.term import Node

from mandategraph.core.namespaces import UN

from .env import PageEnv, local_name
from .lang import data_lang
from .model import Link, MandateView, MandatesPage, Provenance, Value
from .nodes import link, load_node, natural_key

STATUS_ORDER = ("overdue", "open", "planned", "oral-report", "not-carried-out", "fulfilled")
_NOTATION = MappingProxyType({str(UN.Fulfilled): "fulfilled", str(UN.OralReport): "oral-report",
             str(UN.NotCarriedOut): "not-carried-out", str(UN.Open): "open",
             str(UN.Planned): "planned"})


@dataclass
class _Raw:
    iri: str
    instrument: str
    props: dict[str, list[Node]] = field(default_factory=dict)
    due_number: int | None = None
    due_body: str | None = None
    body: str | None = None
    adopted: tuple[str, int] | None = None  #: (body IRI, session number) that adopted the instrument


def latest_sessions(env: PageEnv) -> dict[str, int]:
    """Body IRI -> number of the latest documented session (once per store state: a scan of
    every session, 8-10 ms at 20,000 documents, that instrument and session pages need)."""
    def make() -> dict[str, int]:
        out: dict[str, int] = {}
        for row in env.select("page-session-activity"):
            if row.get("latest") is not None:
                out[str(row["body"])] = int(row["latest"])
        return out

    return env.memo("latest-sessions", lambda: env.derived("latest-sessions", make))


def effective_status(stated: str, fulfilled: bool, due_number: int | None, due_body: str | None,
                     latest: dict[str, int], adopted: tuple[str, int] | None = None) -> str:
    if fulfilled:
        return "fulfilled"
    if stated == "open" and due_number is not None and due_body is not None:
        if adopted is not None and adopted[0] == due_body and due_number <= adopted[1]:
            return stated  # the due session had already come when the instrument was adopted
        if due_number < latest.get(due_body, -1):
            return "overdue"
    return stated


def status_label(env: PageEnv, status: str) -> str:
    if status == "overdue":
        return env.msg("overdue")
    for iri, notation in _NOTATION.items():
        if notation == status:
            return env.term(iri)
    return status


def _collect(rows: list[dict], instrument: URIRef | None = None) -> list[_Raw]:
    raws: dict[str, _Raw] = {}
    for row in rows:
        m = str(row["m"])
        inst = str(instrument if instrument is not None else row["inst"])
        raw = raws.setdefault(m, _Raw(m, inst))
        vals = raw.props.setdefault(str(row["p"]), [])
        if row["o"] not in vals:
            vals.append(row["o"])
        if str(row["p"]) == str(UN.dueAt) and row.get("onum") is not None and row.get("obody") is not None:
            raw.due_number = int(row["onum"])
            raw.due_body = str(row["obody"])
        if row.get("ibody") is not None:
            raw.body = str(row["ibody"])
        if row.get("abody") is not None and row.get("anum") is not None:  # page-session-mandates
            raw.adopted = (str(row["abody"]), int(row["anum"]))
    return list(raws.values())


def _view(env: PageEnv, raw: _Raw, latest: dict[str, int],
          provs: tuple[Provenance, ...] = (), paragraph_text: dict[str, str] | None = None,
          fulfil_provs: dict[str, tuple[Provenance, ...]] | None = None) -> MandateView:
    p = raw.props
    source_lang = next((pr.source_lang for pr in provs if pr.source_lang), None)

    def one(prop: URIRef) -> Node | None:
        vals = p.get(str(prop))
        if not vals:
            return None
        lits = [v for v in vals if isinstance(v, Literal)]
        return env.pick(lits) if lits else vals[0]

    def val(node: Node | None) -> Value | None:
        if node is None:
            return None
        if isinstance(node, Literal):
            return Value(str(node), None, data_lang(node, source_lang), provs)
        return Value(env.label(node), link(env, node), None, provs)

    statuses = [_NOTATION.get(str(s), local_name(str(s))) for s in p.get(str(UN.mandateStatus), [])]
    stated = max(statuses, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else -1) \
        if statuses else "open"
    fulfilled = tuple(sorted(
        (Value(env.label(d), link(env, d), None, (fulfil_provs or {}).get(str(d), ()))
         for d in p.get(str(UN.fulfilledBy), [])), key=lambda v: natural_key(v.text)))
    status = effective_status(stated, bool(fulfilled), raw.due_number, raw.due_body, latest, raw.adopted)
    para = one(UN.inParagraph)
    addressee = one(UN.addressee) or one(UN.addresseeText)
    note = one(UN.statusNote)
    verb = one(UN.verb)
    return MandateView(
        link=Link(raw.iri, env.href(raw.iri), env.label(raw.iri)),
        instrument=link(env, URIRef(raw.instrument)),
        paragraph=link(env, para) if para is not None else None,
        paragraph_text=(paragraph_text or {}).get(str(para)) if para is not None else None,
        verb=str(verb) if verb is not None else None,
        addressee=val(addressee),
        output=val(one(UN.requestsOutput)),
        due=val(one(UN.dueAt)),
        due_number=raw.due_number,
        due_body=raw.due_body,
        status=status,
        status_label=status_label(env, status),
        status_note=str(note) if note is not None else None,
        status_note_lang=data_lang(note, source_lang) if note is not None else None,
        fulfilled_by=fulfilled,
        body=link(env, URIRef(raw.body)) if raw.body else None,
        provs=provs,
    )


def _adopted(env: PageEnv, instrument: URIRef, raws: list[_Raw]) -> list[_Raw]:
    """Set each mandate's adopting session (one small query per instrument)."""
    rows = env.select("page-adopted-at", iri=instrument)
    if rows and rows[0].get("abody") is not None and rows[0].get("anum") is not None:
        for raw in raws:
            raw.adopted = (str(rows[0]["abody"]), int(rows[0]["anum"]))
    return raws


def instrument_mandates(env: PageEnv, instrument: URIRef, paragraph_text: dict[str, str],
                        with_provenance: bool = True) -> tuple[MandateView, ...]:
    latest = latest_sessions(env)
    raws = _adopted(env, instrument, _collect(env.select("page-instrument-mandates", iri=instrument), instrument))
    out = []
    for raw in raws:
        provs: tuple[Provenance, ...] = ()
        fprovs: dict[str, tuple[Provenance, ...]] = {}
        if with_provenance:
            info = load_node(env, URIRef(raw.iri))
            provs = tuple(info.node_provs)
            for d in raw.props.get(str(UN.fulfilledBy), []):
                fprovs[str(d)] = info.provs(URIRef(raw.iri), UN.fulfilledBy, d)
        out.append(_view(env, raw, latest, provs, paragraph_text, fprovs))
    return tuple(sorted(out, key=lambda m: natural_key(local_name(m.link.iri))))


def mandate_view(env: PageEnv, mandate: URIRef, instrument: URIRef,
                 provs: tuple[Provenance, ...] = ()) -> MandateView | None:
    """One mandate (for a document's lineage), by filtering its instrument's mandates."""
    raws = [r for r in _adopted(env, instrument, _collect(env.select("page-instrument-mandates", iri=instrument),
                                                          instrument)) if r.iri == str(mandate)]
    if not raws:
        return None
    return _view(env, raws[0], latest_sessions(env), provs)


def all_mandates(env: PageEnv) -> list[MandateView]:
    def make() -> list[MandateView]:
        adopted = {str(r["inst"]): (str(r["abody"]), int(r["anum"])) for r in env.select("page-adopted-sessions")}
        raws = _collect(env.select("page-mandates"))
        for raw in raws:
            raw.adopted = adopted.get(raw.instrument)
        return _sorted_views(env, raws)

    return env.memo("all-mandates", make)


def _sorted_views(env: PageEnv, raws: list[_Raw]) -> list[MandateView]:
    latest = latest_sessions(env)
    views = [_view(env, raw, latest) for raw in raws]
    return sorted(views, key=lambda m: (natural_key(m.instrument.label), natural_key(local_name(m.link.iri))))


def session_mandates(env: PageEnv, session: URIRef) -> list[MandateView]:
    """The mandates a session's page can show (due at it, or fulfilled by a document of it),
    in the order of :func:`all_mandates`: one query (page-session-mandates) instead of every
    mandate of the graph; the page keeps its own tests on these."""
    return _sorted_views(env, _collect(env.select("page-session-mandates", iri=session)))


def mandates_page(env: PageEnv, status: str | None, body: str | None,
                  session: int | None) -> MandatesPage:
    """The status view. ``body`` is a body IRI (or its path), ``session`` a due-session number."""
    views = all_mandates(env)
    bodies = {m.body.iri: m.body for m in views if m.body}
    sessions = sorted({m.due_number for m in views if m.due_number is not None})
    body_iri = None
    if body:
        body_iri = body if body.startswith(("http://", "https://")) else str(env.iri(
            body if body.startswith("/") else f"/body/{body}"))
    scoped = [m for m in views
              if (body_iri is None or (m.body and m.body.iri == body_iri) or m.due_body == body_iri)
              and (session is None or m.due_number == session)]
    counts = tuple((s, status_label(env, s), sum(1 for m in scoped if m.status == s))
                   for s in STATUS_ORDER)
    rows = tuple(m for m in scoped if status is None or m.status == status)
    latest = latest_sessions(env)
    return MandatesPage(
        rows=rows, counts=counts,
        bodies=tuple(sorted(bodies.values(), key=lambda b: b.label)),
        sessions=tuple(sessions), status=status, body=body, session=session,
        latest=tuple(sorted((env.label(b), n) for b, n in latest.items())),
    )


CSV_COLUMNS = ("mandate", "instrument", "body", "paragraph", "addressee", "output",
               "due_session", "status", "status_note", "fulfilled_by")


def mandates_csv(page: MandatesPage) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for m in page.rows:
        w.writerow([
            m.link.iri, m.instrument.label, m.body.label if m.body else "",
            m.paragraph.label if m.paragraph else "",
            m.addressee.text if m.addressee else "", m.output.text if m.output else "",
            m.due.text if m.due else "", m.status, m.status_note or "",
            " ".join(v.text for v in m.fulfilled_by),
        ])
    return buf.getvalue()


def mandates_json(page: MandatesPage) -> dict:
    return {
        "filters": {"status": page.status, "body": page.body, "session": page.session},
        "counts": {s: n for s, _, n in page.counts},
        "mandates": [{
            "iri": m.link.iri, "instrument": m.instrument.iri, "instrument_label": m.instrument.label,
            "body": m.body.iri if m.body else None,
            "paragraph": m.paragraph.iri if m.paragraph else None,
            "addressee": m.addressee.text if m.addressee else None,
            "output": m.output.text if m.output else None,
            "due_session": m.due.link.iri if m.due and m.due.link else None,
            "due_session_number": m.due_number,
            "status": m.status, "status_note": m.status_note,
            "fulfilled_by": [v.link.iri for v in m.fulfilled_by if v.link],
        } for m in page.rows],
    }
