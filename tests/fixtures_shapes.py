"""Fixtures for the shapes / foundation area: hand-made Facts and the hand-written TriG dataset.

``sample_facts()`` is a small, realistic extraction result (an annotated provisional agenda of
a COP session, in Chinese) written by hand with true character offsets into ``SAMPLE_TEXT``,
so ``build_graph`` can be tested without any extractor. ``tests/fixtures/handwritten.trig``
is the same kind of data written directly as RDF, in exactly the shape build/builder.py produces.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Iterator

import pytest
from rdflib import Dataset, URIRef

from mandategraph.core.facts import (
    AgendaItemFact, AgendaItemRef, ConstructiveDialogueFact, DocRef, DocumentFact, Facts,
    InstrumentFact, InstrumentRef, MandateFact, MandateRef, MeetingFact, MeetingRef, ParagraphFact,
    ParagraphRef, PlannedItemFact, PlannedItemRef, Prov, Relation, SessionFact, SessionRef,
    SourceInfo, Span,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HANDWRITTEN = FIXTURES / "handwritten.trig"
HANDWRITTEN_INVALID = FIXTURES / "handwritten-invalid.trig"

SAMPLE_TEXT = (
    "联合国打击跨国有组织犯罪公约 缔约方会议\n"
    "Distr.: General\n16 July 2024\nChinese\nOriginal: English\n"
    "第十二届会议\n2024年10月14日至18日，维也纳\n"
    "临时议程说明\n"
    "2. 审议《公约》及其各项议定书的实施情况：\n"
    "(b) 《关于预防、禁止和惩治贩运人口特别是妇女和儿童行为的议定书》\n"
    "贩运人口问题工作组 2023 年 10 月 2 日和 3 日举行了第十三次会议。"
    "根据第 7/1 号决议，会议的报告将提交缔约方会议第十二届会议（见 CTOC/COP/2024/5）。\n"
    "于 2023 年 10 月 4 日，与相关利益攸关方进行了建设性对话。\n"
    "7. 缔约方会议第十三届会议临时议程。\n"
)

COP = "CTOC/COP"
WG = "CTOC/COP/WG.4"
AGENDA = "CTOC/COP/2024/1"
RES_7_1 = InstrumentRef(COP, "resolution", "7/1")
DEC_5_6 = InstrumentRef(COP, "decision", "5/6")


def prov(quote: str, rule: str) -> Prov:
    """Provenance with the true offsets of ``quote`` (its first occurrence) in SAMPLE_TEXT."""
    start = SAMPLE_TEXT.index(quote)
    return Prov(Span(start, start + len(quote), quote), rule)


def sample_source() -> SourceInfo:
    return SourceInfo(
        path="seeds/ctoc-cop-2024-1.zh.txt",
        sha256=hashlib.sha256(SAMPLE_TEXT.encode("utf-8")).hexdigest(),
        media_type="text/plain", language="zh", symbol=AGENDA, title="临时议程说明",
    )


def sample_facts() -> Facts:
    """A hand-made extraction of SAMPLE_TEXT covering every kind of fact build/builder.py handles."""
    s12, s13 = SessionRef(COP, 12), SessionRef(COP, 13)
    item2, item2b = AgendaItemRef(AGENDA, "2"), AgendaItemRef(AGENDA, "2(b)")
    note = DocRef("CTOC/COP/2024/5")
    m_report = MandateRef(RES_7_1, "op-4")  # report of the working group to the COP: fulfilled
    m_oral = MandateRef(DEC_5_6, "op-2")  # two mentions, statuses merged by priority
    meeting = MeetingRef(WG, 13)
    facts = Facts(sample_source())
    for f in (
        DocumentFact(DocRef(AGENDA), prov("临时议程说明", "zh.masthead.title"),
                     doc_class="AnnotatedAgenda", title="临时议程说明", title_lang="zh",
                     date=dt.date(2024, 7, 16), distribution="General", original_language="en"),
        SessionFact(s12, prov("2024年10月14日至18日，维也纳", "zh.masthead.session-dates"),
                    start=dt.date(2024, 10, 14), end=dt.date(2024, 10, 18), place="维也纳"),
        AgendaItemFact(item2, prov("2. 审议《公约》及其各项议定书的实施情况", "zh.agenda.item"),
                       title="审议《公约》及其各项议定书的实施情况", title_lang="zh"),
        AgendaItemFact(item2b, prov("(b) 《关于预防、禁止和惩治贩运人口特别是妇女和儿童行为的议定书》",
                                    "zh.agenda.sub-item"),
                       title="《关于预防、禁止和惩治贩运人口特别是妇女和儿童行为的议定书》",
                       title_lang="zh"),
        Relation(item2, "agendaOf", s12, prov("第十二届会议", "zh.agenda.session")),
        DocumentFact(note, prov("CTOC/COP/2024/5", "zh.agenda.documentation"), doc_class="Note"),
        Relation(note, "submittedTo", s12, prov("提交缔约方会议第十二届会议", "zh.agenda.submitted-to")),
        Relation(note, "underAgendaItem", item2b, prov("CTOC/COP/2024/5", "zh.agenda.documentation")),
        InstrumentFact(RES_7_1, prov("第 7/1 号决议", "zh.citation.resolution")),
        Relation(note, "mandatedBy", RES_7_1, prov("根据第 7/1 号决议", "zh.mandate.by-instrument"),
                 method="citation", confidence=0.9),
        MandateFact(m_report, prov("根据第 7/1 号决议，会议的报告将提交缔约方会议第十二届会议",
                                   "zh.mandate.report-to-session"),
                    verb="requests", addressee=WG, output="report"),
        Relation(m_report, "fulfilledBy", note, prov("（见 CTOC/COP/2024/5）", "zh.mandate.fulfilled-by")),
        Relation(m_report, "dueAt", s12, prov("提交缔约方会议第十二届会议", "zh.mandate.due")),
        MandateFact(m_oral, prov("临时议程", "zh.mandate.planned"), verb="decides",
                    addressee="secretariat", status="planned"),
        MandateFact(m_oral, prov("与相关利益攸关方进行了建设性对话", "zh.mandate.oral"), verb="decides",
                    addressee="secretariat", status="oral-report",
                    status_note="与相关利益攸关方进行了建设性对话"),
        ParagraphFact(ParagraphRef(RES_7_1, "op-4"), prov("根据第 7/1 号决议", "zh.paragraph"),
                      part="operative", number="4", verb="requests"),
        MeetingFact(meeting, prov("2023 年 10 月 2 日和 3 日举行了第十三次会议", "zh.meeting.dates"),
                    start=dt.date(2023, 10, 2), end=dt.date(2023, 10, 3)),
        ConstructiveDialogueFact(meeting, prov("于 2023 年 10 月 4 日，与相关利益攸关方进行了建设性对话",
                                               "zh.meeting.dialogue"),
                                 date=dt.date(2023, 10, 4)),
        PlannedItemFact(PlannedItemRef(s13, "provisional-agenda"),
                        prov("7. 缔约方会议第十三届会议临时议程", "zh.agenda.planned"),
                        title="缔约方会议第十三届会议临时议程", title_lang="zh"),
    ):
        facts.add(f)
    return facts


def load_trig(path: Path) -> Dataset:
    ds = Dataset()
    ds.parse(path, format="trig")
    return ds


def dataset_quads(ds: Dataset) -> Iterator[tuple]:
    """(s, p, o, graph IRI) of every named graph of an rdflib Dataset."""
    for s, p, o, g in ds.quads((None, None, None, None)):
        gid = g.identifier if hasattr(g, "identifier") else g
        if gid is not None and str(gid) != "urn:x-rdflib:default":
            yield s, p, o, URIRef(str(gid))


def fill_store(store, ds: Dataset) -> None:
    """Put every named graph of ``ds`` into ``store`` through its public replace_graph."""
    graphs: dict[URIRef, list] = {}
    for s, p, o, g in dataset_quads(ds):
        graphs.setdefault(g, []).append((s, p, o))
    for g, triples in graphs.items():
        store.replace_graph(str(g), triples)
    store.flush()


@pytest.fixture(scope="session")
def handwritten_dataset() -> Dataset:
    assert HANDWRITTEN.is_file(), f"missing fixture {HANDWRITTEN}"
    return load_trig(HANDWRITTEN)


@pytest.fixture()
def facts_sample() -> Facts:
    return sample_facts()
