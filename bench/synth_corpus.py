"""The seeded synthetic corpus (:mod:`bench.synth`): documents, resolutions, mandates, sessions."""

from __future__ import annotations

import random
from typing import Iterator

from mandategraph.build.iris import Iris
from mandategraph.build.links import agenda_document, digital_library_url, symbol_relation, undocs_url

from .synth_terms import (
    BODIES,
    DCT_SOURCE,
    RDFS_LABEL,
    SEE_ALSO,
    LAYOUTS,
    OA_,
    PROV_,
    STATUSES,
    TOPICS,
    VIOLATIONS,
    XSD_DATE,
    XSD_INT,
    R,
    Record,
    Resolution,
    Session,
    SynthStats,
    _hex,
    u,
)


class Corpus:
    """The fixed skeleton (sessions, resolutions) of a synthetic corpus of ``docs`` documents."""

    def __init__(self, docs: int, seed: int = 42, base: str = "", violation_share: float = 0.001,
                 expression_share: float = 0.10, annotation_share: float = 0.02,
                 layout: str = "files", per_file: int = 1000):
        if docs < 1:
            raise ValueError(f"docs must be >= 1, got {docs}")
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
        if per_file < 1:
            raise ValueError(f"per_file must be >= 1, got {per_file}")
        self.layout = layout
        self.per_file = per_file
        # benchmark samples: the catalogue layout writes documents in session order, so it
        # samples sparsely enough to reach the last sessions
        self.sample_share = 0.05 if layout == "files" else min(0.05, 2000 / docs)
        self.docs = docs
        self.seed = seed
        self.iris = Iris(base)
        self.violation_every = max(1, round(1 / violation_share)) if violation_share > 0 else 0
        self.expression_share = expression_share
        self.annotation_share = annotation_share
        self.structure_graph = f"<{self.iris.base}/graph/synthetic/structure>"
        rnd = random.Random(seed)
        self.sessions: list[Session] = []
        self.body_sessions: dict[str, list[int]] = {}
        for key, first, count, yearly, _share in BODIES:
            for k in range(count):
                number = first + k
                year = number if yearly else 1945 + number
                iri = str(self.iris.session(key, number))
                agenda = f"{key}/{number}/1" if yearly else f"{key}/{number}/251"
                items = tuple(str(self.iris.agenda_item(agenda, str(n))) for n in range(1, 11))
                self.body_sessions.setdefault(key, []).append(len(self.sessions))
                self.sessions.append(Session(key, number, year, iri, items, agenda))
        self.weights = [share for *_x, share in BODIES]
        self.keys = [b[0] for b in BODIES]
        # resolutions: spread over each body's sessions; topic j renewed every year (chains of 5)
        n_res = max(docs // 20, 10)
        self.resolutions: list[Resolution] = []
        self.res_by_session: dict[int, list[int]] = {}
        per_body = {k: max(1, round(n_res * w)) for k, w in zip(self.keys, self.weights)}
        for key in self.keys:
            idxs = self.body_sessions[key]
            q, rem = divmod(per_body[key], len(idxs))
            for k, si in enumerate(idxs):
                s = self.sessions[si]
                for j in range(max(1, q + (1 if k < rem else 0))):
                    number = f"{s.number}/{j + 1}"
                    iri = str(self.iris.instrument(key, "resolution", number))
                    symbol = (f"{key}/RES/{number}" if key in ("A", "A/HRC")
                              else f"{key}/{s.year}/RES/{j + 1}")
                    self.res_by_session.setdefault(si, []).append(len(self.resolutions))
                    self.resolutions.append(Resolution(iri, key, si, number, symbol))
        self.res_index = {r.iri: i for i, r in enumerate(self.resolutions)}
        self.fulfilling: dict[int, str] = {}
        del rnd

    # ------------------------------------------------------------------ skeleton
    def structure_lines(self) -> Iterator[str]:
        g = self.structure_graph
        for key, *_ in BODIES:
            b = f"<{self.iris.body(key)}>"
            yield f"{b} {R} {u('Body')} {g} .\n"
            yield f'{b} {DCT_SOURCE} "synthetic corpus (bench.synth)" {g} .\n'
        for s in self.sessions:
            si = f"<{s.iri}>"
            yield f"{si} {R} {u('Session')} {g} .\n"
            yield f'{si} {u("number")} "{s.number}"^^{XSD_INT} {g} .\n'
            yield f"{si} {u('sessionOf')} <{self.iris.body(s.body)}> {g} .\n"
            yield f'{si} {u("startDate")} "{s.year}-03-01"^^{XSD_DATE} {g} .\n'
            yield f'{si} {u("endDate")} "{s.year}-03-12"^^{XSD_DATE} {g} .\n'
            yield f'{si} {DCT_SOURCE} "synthetic corpus" {g} .\n'
            for n, item in enumerate(s.items, 1):
                it = f"<{item}>"
                yield f"{it} {R} {u('AgendaItem')} {g} .\n"
                yield f'{it} {u("itemNumber")} "{n}" {g} .\n'
                yield f"{it} {u('agendaOf')} {si} {g} .\n"
                yield f'{it} {DCT_SOURCE} "synthetic corpus" {g} .\n'

    def resolution_lines(self, ri: int, stats: SynthStats) -> Iterator[str]:
        r = self.resolutions[ri]
        s = self.sessions[r.session]
        g = f"<{self.iris.graph_for(r.symbol, 'en', '')}>"
        x = f"<{r.iri}>"
        yield f"{x} {R} {u('Instrument')} {g} .\n"
        yield f"{x} {R} {u('Resolution')} {g} .\n"
        yield f'{x} {u("number")} "{r.number}" {g} .\n'
        # a deliberate violation: catalogue files declare the instruments they cite with
        # un:issuedBy (as build/builder.py does), which would mask a missing one, so that layout
        # gets an untyped adoption date instead
        bad = self.violation_every and ri % self.violation_every == 7
        kind = "no-issuedBy" if self.layout == "files" else "untyped-resolution-date"
        if bad:
            stats.violations[kind] = stats.violations.get(kind, 0) + 1
        if not (bad and kind == "no-issuedBy"):
            yield f"{x} {u('issuedBy')} <{self.iris.body(r.body)}> {g} .\n"
        yield f"{x} {u('adoptedAt')} <{s.iri}> {g} .\n"
        if bad and kind == "untyped-resolution-date":
            yield f'{x} {u("date")} "{s.year}-03-12" {g} .\n'
        else:
            yield f'{x} {u("date")} "{s.year}-03-12"^^{XSD_DATE} {g} .\n'
        # yearly renewal: same topic j in the previous session of the same body
        body_idx = self.body_sessions[r.body]
        pos = body_idx.index(r.session)
        j = int(r.number.split("/")[1]) - 1
        depth = pos % 5
        if depth >= 1:
            prev = self.res_by_session.get(body_idx[pos - 1], [])
            if j < len(prev):
                yield f"{x} {u('reaffirms')} <{self.resolutions[prev[j]].iri}> {g} .\n"
                if depth >= 2:
                    prev2 = self.res_by_session.get(body_idx[pos - 2], [])
                    if j < len(prev2):
                        yield f"{x} {u('recalls')} <{self.resolutions[prev2[j]].iri}> {g} .\n"
        # one mandate per resolution, due at the next session of the body
        m = f"<{r.iri}/mandate/op-1>"
        stats.mandates += 1
        yield f"{x} {u('hasMandate')} {m} {g} .\n"
        yield f"{m} {R} {u('Mandate')} {g} .\n"
        a = f"<{g[1:-1]}#a-m{ri:x}>"
        yield f"{a} {R} <{OA_}Annotation> {g} .\n"
        yield f"{a} <{OA_}hasBody> {m} {g} .\n"
        yield f'{a} {u("rule")} "synthetic.mandate" {g} .\n'
        yield f"{a} <{PROV_}wasDerivedFrom> <{self.iris.expression(r.symbol, 'en')}> {g} .\n"
        yield f"{m} {u('addressee')} <{self.iris.body('A' if r.body == 'A/HRC' else r.body)}> {g} .\n"
        if pos + 1 < len(body_idx):
            yield f"{m} {u('dueAt')} <{self.sessions[body_idx[pos + 1]].iri}> {g} .\n"
        yield f"{g} {R} {u('SourceGraph')} {g} .\n"
        yield f'{g} {u("sha256")} "{_hex(r.iri)}" {g} .\n'
        yield f'{g} {u("sourceFile")} "synthetic/res-{ri}.txt" {g} .\n'
        yield f'{g} {u("extractorVersion")} "synthetic" {g} .\n'
        stats.graphs += 1

    # ------------------------------------------------------------------ documents
    def document_record(self, i: int, si: int, rnd: random.Random, stats: SynthStats,
                        counters: dict[tuple[int, str], int]) -> Record:
        """Document ``i`` submitted to session ``si``: its symbol, class, title, links."""
        s = self.sessions[si]
        key = s.body
        roll = rnd.random()
        kind = ("DraftResolution" if roll < 0.10 else "Note" if roll < 0.20 else
                "ConferenceRoomPaper" if roll < 0.25 and "/" in key else
                "InformationDocument" if roll < 0.28 else "Report")
        special = {"DraftResolution": "L.", "ConferenceRoomPaper": "CRP.",
                   "InformationDocument": "INF/"}.get(kind, "")
        n = counters.get((si, special), 0) + 1
        counters[(si, special)] = n
        symbol = f"{key}/{s.number}/{special}{n}"
        if kind == "Report" and n > 1 and rnd.random() < 0.03:  # an addendum to the previous report
            symbol = f"{key}/{s.number}/{n - 1}/Add.1"
        bad_kind = None
        if self.violation_every and i % self.violation_every == 13 and i < self.docs:
            bad_kind = VIOLATIONS[(i // self.violation_every) % 2]  # bad-symbol / untyped-date
            stats.violations[bad_kind] = stats.violations.get(bad_kind, 0) + 1
        topic = TOPICS[rnd.randrange(len(TOPICS))]
        day = 1 + rnd.randrange(28)
        item_no = 1 + rnd.randrange(len(s.items))
        res = self._resolution_for(si, rnd)
        pred = None if res is None else "draftOf" if kind == "DraftResolution" else "mandatedBy"
        doc = f"<{self.iris.doc(symbol)}>"
        if pred == "mandatedBy":
            self.fulfilling.setdefault(res, doc)  # type: ignore[arg-type]
            if len(stats.sample_symbols) < 1000 and bad_kind is None and rnd.random() < self.sample_share:
                stats.sample_symbols.append(symbol)
        return Record(i, symbol, symbol.lower() if bad_kind == "bad-symbol" else symbol, kind,
                      f"{kind} on {topic} ({n})", f"{s.year - 1}-12-{day:02d}",
                      bad_kind != "untyped-date", si, item_no, pred, res, doc)

    def doc_identity(self, symbol: str, g: str, source: str | None) -> Iterator[str]:
        """A cited document as build/builder.py's ``_Builder.node`` declares it (with
        ``dcterms:source`` its file in a catalogue graph)."""
        d = f"<{self.iris.doc(symbol)}>"
        yield f"{d} {R} {u('Document')} {g} .\n"
        yield f'{d} {u("symbol")} "{symbol}" {g} .\n'
        yield f'{d} {RDFS_LABEL} "{symbol}" {g} .\n'
        yield f"{d} {SEE_ALSO} <{undocs_url(symbol)}> {g} .\n"
        yield f"{d} {SEE_ALSO} <{digital_library_url(symbol)}> {g} .\n"
        if source:
            yield f"{d} {DCT_SOURCE} {source} {g} .\n"

    def record_lines(self, r: Record, g: str) -> Iterator[str]:
        """The quads of one document in graph ``g`` (8, as a catalogue record gives them)."""
        doc = r.doc
        s = self.sessions[r.session]
        yield f"{doc} {R} {u('Document')} {g} .\n"
        yield f"{doc} {R} {u(r.kind)} {g} .\n"
        yield f'{doc} {u("symbol")} "{r.lit_symbol}" {g} .\n'
        yield f'{doc} {u("title")} "{r.title}"@en {g} .\n'
        yield f'{doc} {RDFS_LABEL} "{r.lit_symbol}" {g} .\n'  # issue 17: labels and symbol links
        yield f'{doc} {RDFS_LABEL} "{r.title}"@en {g} .\n'
        yield f"{doc} {SEE_ALSO} <{undocs_url(r.lit_symbol)}> {g} .\n"
        yield f"{doc} {SEE_ALSO} <{digital_library_url(r.lit_symbol)}> {g} .\n"
        related = symbol_relation(r.lit_symbol)
        if related:
            yield f"{doc} {u(related[0])} <{self.iris.doc(related[1])}> {g} .\n"
        if r.date_typed:
            yield f'{doc} {u("date")} "{r.date}"^^{XSD_DATE} {g} .\n'
        else:
            yield f'{doc} {u("date")} "{r.date}" {g} .\n'
        yield f"{doc} {u('submittedTo')} <{s.iri}> {g} .\n"
        yield f"{doc} {u('underAgendaItem')} <{s.items[r.item - 1]}> {g} .\n"
        if r.pred is not None:
            yield f"{doc} {u(r.pred)} <{self.resolutions[r.res].iri}> {g} .\n"  # type: ignore[index]

    def document_lines(self, i: int, rnd: random.Random, stats: SynthStats,
                       counters: dict[tuple[int, str], int]) -> Iterator[str]:
        """The named graph of document ``i`` as built from its own file (about 13 quads)."""
        key = rnd.choices(self.keys, self.weights)[0]
        idxs = self.body_sessions[key]
        si = idxs[rnd.randrange(len(idxs))]
        r = self.document_record(i, si, rnd, stats, counters)
        symbol, doc = r.symbol, r.doc
        g = f"<{self.iris.graph_for(symbol, 'en', '')}>"
        yield from self.record_lines(r, g)
        yield f"{g} {R} {u('SourceGraph')} {g} .\n"
        yield f'{g} {u("sha256")} "{rnd.getrandbits(256):064x}" {g} .\n'
        yield f'{g} {u("sourceFile")} "synthetic/{i}.txt" {g} .\n'
        yield f'{g} {u("extractorVersion")} "synthetic" {g} .\n'
        # provenance: the source's own language version realises the document (as build/builder.py does)
        yield f"<{self.iris.expression(symbol, 'en')}> {u('expressionOf')} {doc} {g} .\n"
        if rnd.random() < self.expression_share:
            stats.expressions += 1
            e = f"<{self.iris.expression(symbol, 'zh')}>"
            yield f"{e} {R} {u('Expression')} {g} .\n"
            yield f"{e} {u('expressionOf')} {doc} {g} .\n"
            yield f'{e} {u("language")} "zh" {g} .\n'
        if rnd.random() < self.annotation_share:
            stats.annotations += 1
            a = f"<{self.iris.annotation(self.iris.graph_for(symbol, 'en', ''), f'{i:x}')}>"
            yield f"{a} {R} <{OA_}Annotation> {g} .\n"
            yield f"{a} <{OA_}hasBody> {doc} {g} .\n"
            yield f'{a} {u("rule")} "synthetic.masthead" {g} .\n'
            yield f"{a} <{PROV_}wasDerivedFrom> <{self.iris.expression(symbol, 'en')}> {g} .\n"

    # ------------------------------------------------------------------ catalogue layout
    def catalogue_batches(self, stats: SynthStats) -> Iterator[tuple[int, list[Record]]]:
        """The documents as catalogue exports: per session, files of ``per_file`` records.

        Each session of a body gets an equal share of the body's documents (the largest
        remainders first), in session order, as a library exports its catalogue.
        """
        rnd = random.Random(self.seed)
        counters: dict[tuple[int, str], int] = {}
        shares: list[tuple[int, float]] = []
        for key, w in zip(self.keys, self.weights):
            idxs = self.body_sessions[key]
            shares.extend((si, self.docs * w / sum(self.weights) / len(idxs)) for si in idxs)
        per_session = {si: int(x) for si, x in shares}
        rest = self.docs - sum(per_session.values())
        for si, _x in sorted(shares, key=lambda t: (-(t[1] - int(t[1])), t[0]))[:rest]:
            per_session[si] += 1
        i = 0
        k = 0
        for si in range(len(self.sessions)):
            left = per_session.get(si, 0)
            while left > 0:
                take = min(self.per_file, left)
                records = [self.document_record(i + j, si, rnd, stats, counters) for j in range(take)]
                i += take
                left -= take
                k += 1
                yield k, records

    def catalogue_graph(self, k: int) -> str:
        return f"<{self.iris.graph_for(None, None, f'catalogue-{k:05d}.csv')}>"

    def catalogue_lines(self, k: int, records: list[Record]) -> Iterator[str]:
        """One catalogue file's named graph: its records' quads, each node they cite declared
        once (as build/builder.py's ``_Builder.node`` declares it), and the source graph description."""
        g = self.catalogue_graph(k)
        declared: set[str] = set()
        for r in records:
            yield from self.record_lines(r, g)
            yield f"{r.doc} {DCT_SOURCE} {g} {g} .\n"  # the record's provenance: its file
            s = self.sessions[r.session]
            if s.iri not in declared:
                declared.add(s.iri)
                yield from self._declare_body(s.body, g, declared)
                yield f"<{s.iri}> {R} {u('Session')} {g} .\n"
                yield f'<{s.iri}> {u("number")} "{s.number}"^^{XSD_INT} {g} .\n'
                yield f"<{s.iri}> {u('sessionOf')} <{self.iris.body(s.body)}> {g} .\n"
                yield f"<{s.iri}> {DCT_SOURCE} {g} {g} .\n"
            item = s.items[r.item - 1]
            if item not in declared:
                declared.add(item)
                yield f"<{item}> {R} {u('AgendaItem')} {g} .\n"
                yield f'<{item}> {u("itemNumber")} "{r.item}" {g} .\n'
                yield f"<{item}> {DCT_SOURCE} {g} {g} .\n"
                agenda = agenda_document(s.agenda)
                if agenda:
                    yield f"<{item}> {u('agendaDocument')} <{self.iris.doc(agenda)}> {g} .\n"
                    if self.iris.doc(agenda) not in declared:
                        declared.add(self.iris.doc(agenda))
                        yield from self.doc_identity(agenda, g, g)
            related = symbol_relation(r.lit_symbol)
            if related and self.iris.doc(related[1]) not in declared:
                declared.add(self.iris.doc(related[1]))
                yield from self.doc_identity(related[1], g, g)
            if r.res is not None:
                x = self.resolutions[r.res]
                if x.iri not in declared:
                    declared.add(x.iri)
                    yield from self._declare_body(x.body, g, declared)
                    yield f"<{x.iri}> {R} {u('Instrument')} {g} .\n"
                    yield f"<{x.iri}> {R} {u('Resolution')} {g} .\n"
                    yield f'<{x.iri}> {u("number")} "{x.number}" {g} .\n'
                    yield f"<{x.iri}> {u('issuedBy')} <{self.iris.body(x.body)}> {g} .\n"
                    yield f"<{x.iri}> {DCT_SOURCE} {g} {g} .\n"
        yield f"{g} {R} {u('SourceGraph')} {g} .\n"
        yield f'{g} {u("sha256")} "{_hex(g)}" {g} .\n'
        yield f'{g} {u("sourceFile")} "synthetic/catalogue-{k:05d}.csv" {g} .\n'
        yield f'{g} {u("extractorVersion")} "synthetic" {g} .\n'

    def _declare_body(self, key: str, g: str, declared: set[str]) -> Iterator[str]:
        b = str(self.iris.body(key))
        if b not in declared:
            declared.add(b)
            yield f"<{b}> {R} {u('Body')} {g} .\n"  # (its provenance: reference data)

    def catalogue_rows(self, records: list[Record]) -> Iterator[dict[str, str]]:
        """The records as catalogue CSV rows (see docs/catalogue.md), for ingest tests and demos."""
        for r in records:
            s = self.sessions[r.session]
            x = self.resolutions[r.res] if r.res is not None else None
            cite = "" if x is None else (x.symbol if "/RES/" in x.symbol and x.body in ("A", "A/HRC")
                                          else f"{x.body} resolution {x.number}")
            yield {"symbol": r.lit_symbol, "type": r.kind, "title": r.title, "language": "en",
                   "date": r.date, "session": str(s.number), "agenda": s.agenda,
                   "agenda_item": str(r.item),
                   "mandated_by": cite if r.pred == "mandatedBy" else "",
                   "draft_of": cite if r.pred == "draftOf" else ""}

    def _resolution_for(self, si: int, rnd: random.Random) -> int | None:
        """A resolution of the same body adopted at this session or the one before."""
        s = self.sessions[si]
        idxs = self.body_sessions[s.body]
        pos = idxs.index(si)
        pool = self.res_by_session.get(idxs[max(0, pos - 1)], []) or self.res_by_session.get(si, [])
        return pool[rnd.randrange(len(pool))] if pool else None

    # ------------------------------------------------------------------ everything
    def lines(self, stats: SynthStats) -> Iterator[str]:
        stats.sessions = len(self.sessions)
        stats.resolutions = len(self.resolutions)
        yield from self.structure_lines()
        stats.graphs += 1
        for ri in range(len(self.resolutions)):
            yield from self.resolution_lines(ri, stats)
        for ri in range(0, len(self.resolutions), max(1, len(self.resolutions) // 200)):
            stats.sample_resolutions.append(self.resolutions[ri].iri)
        self.fulfilling = {}
        if self.layout == "catalogue":
            for k, records in self.catalogue_batches(stats):
                yield from self.catalogue_lines(k, records)
                stats.graphs += 1
        else:
            rnd = random.Random(self.seed)
            counters: dict[tuple[int, str], int] = {}
            for i in range(self.docs):
                yield from self.document_lines(i, rnd, stats, counters)
                stats.graphs += 1
        for ri in range(len(self.resolutions)):
            yield from self.status_lines(ri, stats)

    def status_lines(self, ri: int, stats: SynthStats) -> Iterator[str]:
        """Mandate status, written last: "fulfilled" needs a report mandated by the resolution."""
        r = self.resolutions[ri]
        g = f"<{self.iris.graph_for(r.symbol, 'en', '')}>"
        m = f"<{r.iri}/mandate/op-1>"
        status = STATUSES[ri % len(STATUSES)]
        doc = self.fulfilling.get(ri)
        if status == "Fulfilled" and doc is None:
            status = "Open"
        if self.violation_every and ri % self.violation_every == 3:
            status = "Unknown"
            stats.violations["unknown-status"] = stats.violations.get("unknown-status", 0) + 1
        yield f"{m} {u('mandateStatus')} {u(status)} {g} .\n"
        if status == "Fulfilled":
            yield f"{m} {u('fulfilledBy')} {doc} {g} .\n"

    def extra_document(self, k: int = 0) -> tuple[str, list[str]]:
        """A new document (not part of the corpus) as (graph IRI, N-Quads lines).

        Used to time incremental validation of "one new document" at any corpus size. Its
        symbol uses a sequence number above any the corpus uses, so it is really new.
        """
        rnd = random.Random(f"{self.seed}-extra-{k}")
        counters: dict[tuple[int, str], int] = {}
        for si in range(len(self.sessions)):
            for special in ("", "L.", "CRP.", "INF/"):
                counters[(si, special)] = 10_000_000 + k
        stats = SynthStats(1, self.seed)
        self.fulfilling = {}
        lines = list(self.document_lines(self.docs + k, rnd, stats, counters))
        graph = next(line.rsplit(" ", 2)[-2] for line in lines if "SourceGraph" in line)
        return graph.strip("<>"), lines
