"""Titles cleaned of the document-kind preamble (issue 18, point 7): an agenda that lists
"会议室文件，题为“X”" or "conference room paper entitled “X”" gives the document the title X,
keeps the printed line as un:titleAsPrinted, and still reads the kind (ConferenceRoomPaper)
from the printed line. The preambles are rule-set data (mandategraph/extract/lang/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED

from mandategraph.build.builder import build_graph
from mandategraph.build.iris import Iris
from mandategraph.core.facts import DocumentFact
from mandategraph.core.namespaces import UN
from mandategraph.extract import extract
from mandategraph.extract.lang import load
from mandategraph.ingest.load import load_source


@pytest.mark.parametrize("lang,printed,title", [
    ("zh", "会议室文件，题为“缔约方会议的观察员”", "缔约方会议的观察员"),
    ("zh", "秘书处的说明，题为\"批准状况\"", "批准状况"),
    ("zh", "会议室文件，其中载有一份议题文件的未编辑版本，题为“刑事事项国际合作”", "刑事事项国际合作"),
    ("en", "Conference room paper entitled “Observers at the twelfth session”", "Observers at the twelfth session"),
    ("en", "note by the Secretariat entitled \"Status of ratification\"", "Status of ratification"),
])
def test_preamble_rules(lang: str, printed: str, title: str) -> None:
    m = load(lang).title_preamble.match(printed)
    assert m is not None and m.group("title") == title


@pytest.mark.parametrize("lang,text", [
    ("zh", "秘书处的报告"), ("zh", "题为“”"), ("zh", "关于“某事”的报告"),
    ("en", "Report of the Secretary-General"), ("en", "Conference room paper"),
    ("en", "entitled"), ("en", "A paper entitled “one” and “two”"),
])
def test_titles_without_the_preamble_are_left_alone(lang: str, text: str) -> None:
    m = load(lang).title_preamble.match(text)
    assert m is None or not m.group("title").strip()


def test_seed_agenda_titles_and_titles_as_printed() -> None:
    source = load_source(Path(SEED))
    facts = extract(source)
    docs = {f.ref.symbol: f for f in facts.items if isinstance(f, DocumentFact) and f.title}
    crp3 = docs["CTOC/COP/2024/CRP.3"]
    assert not crp3.title.startswith("会议室文件") and "题为" not in crp3.title
    assert crp3.title_as_printed.startswith("会议室文件，题为“") and crp3.title in crp3.title_as_printed
    assert crp3.doc_class == "ConferenceRoomPaper"
    plain = docs["CTOC/COP/2024/CRP.2"]  # listed without a preamble: no printed variant
    assert plain.title_as_printed is None
    g = build_graph(facts, Iris("https://w3id.org/mandategraph")).graph()
    iri = next(s for s in g.subjects(UN.title, None) if str(s).endswith("/doc/CTOC/COP/2024/CRP.3"))
    printed = list(g.objects(iri, UN.titleAsPrinted))
    assert [str(p) for p in printed] == [crp3.title_as_printed] and printed[0].language == "zh"
