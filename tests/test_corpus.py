"""The 140 official GA PDFs of data/corpus/pdf, end to end: every masthead, adoption block,
draft link, recall and paragraph, and a figures report printed on every run.

The corpus is built once per module (extraction for the figures, and the real pipeline into an
in-memory Oxigraph store for the named queries). Facts of this corpus (which draft became which
resolution, reference counts measured in docs/prior/peer-pipeline-measured.md) belong
here, never in the extractor.
"""

from __future__ import annotations

import collections
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from mandategraph import query
from mandategraph.extract import extract
from mandategraph.extract import resolution as R
from mandategraph.core.facts import (
    AgendaItemFact, Facts, InstrumentFact, InstrumentRef, MandateFact, PlannedItemFact, Relation,
)
from mandategraph.ingest.load import load_source
from mandategraph.pipeline.batch import build_paths
from mandategraph.store.factory import open_store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus" / "pdf"

#: The drafts the adoption blocks name (and the original of the revised one), by resolution.
PLENARY = {"A/80/L.2/Rev.1": "80/1", "A/80/L.2": "80/1", "A/80/L.4": "80/3", "A/80/L.6": "80/4",
           "A/80/L.5": "80/5", "A/80/L.9": "80/6", "A/80/L.7": "80/7", "A/80/L.10": "80/8",
           "A/80/L.8": "80/9", "A/80/L.11": "80/10", "A/80/L.15": "80/11",
           "A/80/L.16": "80/72", "A/80/L.12": "80/73"}
FURNITURE = re.compile(r"\b\d{2}-\d{5}\b|\*\d{7}\*|\b\d{1,2}/\d{1,2} \d{2}-\d{5}")
DATED = re.compile(r"\b((?:ES-|S-)?\d{1,2}/\d{1,3}(?: [A-Z])?) of (\d{1,2} [A-Z][a-z]+ \d{4})")


@dataclass
class Corpus:
    facts: dict[str, Facts] = field(default_factory=dict)
    parsed: dict[str, R.Parsed] = field(default_factory=dict)
    store: object = None
    seconds_extract: float = 0.0
    seconds_pipeline: float = 0.0


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    c = Corpus()
    t = time.perf_counter()
    for path in sorted(CORPUS.glob("*.pdf")):
        src = load_source(path)
        src.path = path.name
        c.facts[path.name] = extract(src)
        c.parsed[path.name] = R.parse(src)
    c.seconds_extract = time.perf_counter() - t
    t = time.perf_counter()
    c.store = open_store(None)
    report = build_paths([CORPUS], c.store)
    c.seconds_pipeline = time.perf_counter() - t
    assert not report.errors, report.errors
    assert len(report.built) == 140
    return c


def resolutions(c: Corpus) -> dict[str, R.Parsed]:
    return {n: p for n, p in c.parsed.items() if n.startswith("A_RES_")}


def test_every_masthead_symbol_parses_and_equals_its_file_name(corpus: Corpus) -> None:
    from mandategraph.symbols import parse

    assert len(corpus.parsed) == 140
    for name, parsed in corpus.parsed.items():
        symbol = parsed.masthead.symbol
        assert str(parse(symbol)) == symbol
        assert symbol == name[:-4].replace("_", "/"), name
        assert corpus.facts[name].source.symbol == symbol


def test_every_resolution_has_its_adoption_block(corpus: Corpus) -> None:
    res = resolutions(corpus)
    assert len(res) == 98
    committees = collections.Counter()
    for name, parsed in res.items():
        a = parsed.masthead.adoption
        assert a is not None and a.date is not None and a.date.year == 2025, name
        assert a.symbol, name
        committees[a.committee if a.via == "report" else "plenary"] += 1
        got = query.run(corpus.store, "adopted-on", {"symbol": parsed.masthead.symbol}).values()
        assert [r[0] for r in got] == [a.symbol], name
    assert committees == {"A/C.1": 60, "A/C.4": 25, "A/C.5": 1, "plenary": 12}


def test_plenary_drafts_linked_and_nothing_else(corpus: Corpus) -> None:
    links: dict[str, str] = {}
    for parsed in resolutions(corpus).values():
        for row in query.run(corpus.store, "drafts-of", {"symbol": parsed.masthead.symbol}).dicts():
            assert str(row["draft"]) not in links
            links[str(row["draft"])] = parsed.masthead.number
    assert links == PLENARY


def dated_citations(corpus: Corpus) -> tuple[int, list[tuple[str, str]]]:
    """("NN/NN of <date>" occurrences in resolutions' own text, those not resolved to a
    recall/reaffirm link to that instrument with that date)."""
    from mandategraph.extract.common import parse_date

    total = 0
    missing = []
    for name, parsed in resolutions(corpus).items():
        facts = corpus.facts[name]
        ins = InstrumentRef("A", "resolution", parsed.masthead.number)
        linked = {r.object for r in facts.items if isinstance(r, Relation) and r.subject == ins
                  and r.predicate in ("recalls", "reaffirms", "endorses")}
        dated = {(f.ref.number, f.date) for f in facts.items
                 if isinstance(f, InstrumentFact) and f.ref in linked and f.date}
        for p in parsed.paragraphs:
            if p.part == "annex":
                continue
            for m in DATED.finditer(p.text):
                if m.group(1) == parsed.masthead.number:
                    continue
                total += 1
                if (m.group(1), parse_date(m.group(2))) not in dated:
                    missing.append((name, m.group(0)))
    return total, missing


def test_recall_chains_complete(corpus: Corpus) -> None:
    """Every "NN/NN of <date>" of a resolution's own text (annex aside) is a recall or
    reaffirmation of that instrument, with that date."""
    total, missing = dated_citations(corpus)
    assert total > 850 and not missing, missing[:20]
    rows = query.run(corpus.store, "lineage", {"symbol": "A/RES/80/50"}).values()
    yearly = [(r[2], r[3]) for r in rows if r[2].startswith("7")]
    assert yearly[0] == ("70/47", "2015-12-07") and yearly[-1] == ("79/37", "2024-12-02")
    assert len(yearly) == 10 and all(r[4] == "1" for r in rows)
    chain = query.run(corpus.store, "renewal-chain", {"symbol": "A/RES/80/50"}).values()
    assert [r[1] for r in chain][-2:] == ["79/37", "80/50"]


def test_paragraphs_numbered_as_printed_without_furniture_or_annexes(corpus: Corpus) -> None:
    numbered = 0
    for name, parsed in corpus.parsed.items():
        ops = [p for p in parsed.paragraphs if p.part == "operative" and p.number
               and p.number.isdigit()]
        assert [int(p.number) for p in ops] == list(range(1, len(ops) + 1)), name
        if name.startswith("A_RES_"):
            numbered += len(ops)
        for p in parsed.paragraphs:
            assert not FURNITURE.search(p.text), (name, p.label, p.text[:120])
            assert "plenary meeting" not in p.text[-40:], (name, p.label)
    # reference count: numbered operative paragraphs in sequence, annexes cut
    assert numbered == 1237
    for name in ("A_RES_80_3.pdf", "A_RES_80_5.pdf", "A_RES_80_9.pdf"):
        ops = [p for p in corpus.parsed[name].paragraphs if p.part == "operative"]
        assert len(ops) <= 2, name


def test_agenda_items_with_sub_items(corpus: Corpus) -> None:
    with_sub = [n for n, p in corpus.parsed.items() if any("(" in a.item for a in p.masthead.agenda)]
    assert len(with_sub) == 68
    assert [a.item for a in corpus.parsed["A_80_L.14.pdf"].masthead.agenda] == ["13", "75"]
    assert all(p.masthead.agenda and all(a.title for a in p.masthead.agenda)
               for p in corpus.parsed.values())


def test_named_queries_on_the_corpus(corpus: Corpus) -> None:
    rows = query.run(corpus.store, "mandates-of", {"symbol": "A/RES/80/24"}).dicts()
    req = [r for r in rows if str(r.get("verb")) == "requests"]
    assert req and str(req[0]["dueBody"]) == "A" and int(req[0]["dueSession"]) == 81
    assert str(req[0]["output"]) == "report" and str(req[0]["status"]) == "open"
    due = query.run(corpus.store, "due-at", {"body": "A", "session": "81"}).dicts()
    assert sum(1 for r in due if str(r["kind"]) == "planned-item") >= 50
    # "where does this report come from?": the report -> the resolution that requested it
    rows = query.run(corpus.store, "mandated-by", {"symbol": "A/80/125"}).values()
    assert [r[:3] for r in rows] == [("A", "resolution", "79/43")]
    same = query.run(corpus.store, "mandates-of", {"symbol": "A:resolution:80/24"}).values()
    assert same == query.run(corpus.store, "mandates-of", {"symbol": "A/RES/80/24"}).values()


def test_figures_report(corpus: Corpus, capsys: pytest.CaptureFixture) -> None:
    """Printed on every run (outside pytest's capture)."""
    res = resolutions(corpus)
    count = collections.Counter()
    recalled: set[InstrumentRef] = set()
    bodies = collections.Counter()
    for name, facts in corpus.facts.items():
        for f in facts.items:
            if isinstance(f, Relation):
                count["rel:" + f.predicate] += 1
                if f.predicate in ("recalls", "reaffirms", "endorses"):
                    recalled.add(f.object)  # type: ignore[arg-type]
            elif isinstance(f, MandateFact):
                count["mandates"] += 1
                count["mandates:" + f.status] += 1
            elif isinstance(f, PlannedItemFact):
                count["planned"] += 1
            elif isinstance(f, AgendaItemFact):
                count["agenda"] += 1
            elif isinstance(f, InstrumentFact) and f.date and f.ref in recalled:
                pass
    for ref in recalled:
        bodies[ref.body] += 1
    parts = collections.Counter()
    for name, parsed in corpus.parsed.items():
        for p in parsed.paragraphs:
            parts[("res" if name.startswith("A_RES_") else "draft", p.part)] += 1
    linked_res = sum(1 for p in res.values() if p.masthead.adoption and p.masthead.adoption.symbol)
    methods = collections.Counter()
    for p in res.values():
        for row in query.run(corpus.store, "drafts-of", {"symbol": p.masthead.symbol}).dicts():
            methods[str(row.get("method"))] += 1
    total_dated, missing_dated = dated_citations(corpus)
    dated = sum(1 for p in res.values() if p.masthead.adoption and p.masthead.adoption.date)
    lines = [
        "",
        "=== GA corpus figures (data/corpus/pdf, 140 PDFs) ===",
        f"masthead symbols read from the PDF and equal to the file name: "
        f"{sum(1 for n, p in corpus.parsed.items() if p.masthead.symbol == n[:-4].replace('_', '/'))}/140",
        f"resolutions with adoption date: {dated}/{len(res)}; linked to their draft or report "
        f"(adoptedOnReportOf): {linked_res}/{len(res)}",
        f"draft -> resolution links in the store (drafts-of): {sum(methods.values())} "
        f"(" + ", ".join(f"{m} {n}" for m, n in methods.most_common()) + "); "
        f"plenary drafts named by adoption blocks: {count['rel:draftOf']}",
        f"dated citations (\"NN/NN of <date>\") in resolutions' own text resolved to a "
        f"recall with that date: {total_dated - len(missing_dated)}/{total_dated}",
        f"recall/reaffirm links: {count['rel:recalls']} recalls + {count['rel:reaffirms']} "
        f"reaffirms to {len(recalled)} distinct instruments; by body: "
        + ", ".join(f"{b} {n}" for b, n in bodies.most_common()),
        f"document citations (cites): {count['rel:cites']}; reports tied to the instrument that "
        f"requested them (mandatedBy, through footnote markers): {count['rel:mandatedBy']}",
        f"mandates: {count['mandates']} ({count['mandates:open']} open requests, "
        f"{count['mandates:planned']} planned agenda items); due-session links: {count['rel:dueAt']}",
        f"paragraphs: resolutions {parts[('res', 'preamble')]} preambular / "
        f"{parts[('res', 'operative')]} operative / {parts[('res', 'annex')]} annex; drafts "
        f"{parts[('draft', 'preamble')]} / {parts[('draft', 'operative')]} / {parts[('draft', 'annex')]}",
        f"agenda item mentions: {count['agenda']} (sub-items kept)",
        f"time: extraction {corpus.seconds_extract:.1f} s, pipeline build into Oxigraph "
        f"{corpus.seconds_pipeline:.1f} s",
    ]
    with capsys.disabled():
        print("\n".join(lines))
    assert linked_res == dated == 98
