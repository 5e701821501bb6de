"""The fast paths of the PDF build (issue 6, 40 PDFs/s/core) give the same results as the
straightforward code they replaced: raw pdfium calls vs pypdfium2's wrapper, the factored
squeeze and hint regexes vs the original patterns, and the registry's lazy module loading."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mandategraph.ingest import pdf
from mandategraph.extract import res_mentions

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "data" / "corpus" / "pdf").glob("*.pdf"))


def test_raw_page_text_is_the_wrapper_text():
    assert CORPUS, "the PDF corpus is missing from data/corpus/pdf"
    rw = pdf._raw()
    for path in CORPUS[:: max(1, len(CORPUS) // 12)]:
        doc = rw.pdfium.PdfDocument(str(path))
        try:
            for i in range(len(doc)):
                page = doc[i]
                tp = page.get_textpage()
                assert rw.page_text(tp.raw) == tp.get_text_range(), (path.name, i)
                tp.close()
                page.close()
        finally:
            doc.close()


_OLD_SQUEEZE = re.compile(r" +\n *|\n +| {2,}|(?<=[^\W\d]) (?=-[^\W\d])")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \n-aZé1–/.", max_size=60))
def test_squeeze_pattern_matches_the_original(text):
    assert [m.span() for m in pdf._SQUEEZE.finditer(text)] == \
        [m.span() for m in _OLD_SQUEEZE.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="RrequstIinvCcalUugEeoMmdAazDdpcrion ", max_size=40))
def test_hints_match_the_original_patterns(text):
    old_request = re.compile(r"[Rr]equests|[Ii]nvites|[Cc]alls u|[Cc]alls on|[Uu]rges|[Ee]ncourages"
                             r"|[Ee]ntrusts|[Mm]andates|[Aa]uthorizes|[Dd]irects|provisional agenda")
    old_instrument = re.compile(r"[Rr]esolution|[Dd]ecision")
    for words in ("requests", "Invites", "calls on", "Directs", "provisional agenda", "resolution",
                  "Decision", "REQUESTS", "Provisional agenda"):
        sample = f"{text} {words} {text}"
        assert bool(res_mentions._REQUEST_HINT.search(sample)) == bool(old_request.search(sample))
        assert bool(res_mentions._INSTRUMENT_HINT.search(sample)) == bool(old_instrument.search(sample))


def test_a_resolution_does_not_import_the_agenda_extractor():
    assert CORPUS, "the PDF corpus is missing from data/corpus/pdf"
    code = (
        "import sys\n"
        "from mandategraph.ingest.load import load_source\n"
        "from mandategraph.extract import extract, extractors\n"
        "facts = extract(load_source(sys.argv[1]))\n"
        "assert facts.items and not facts.warnings, 'the resolution extractor did not read it'\n"
        "assert 'mandategraph.extract.agenda' not in sys.modules\n"
        "names = [e.name for e in extractors()]\n"
        "assert names[:2] == ['resolution', 'agenda'], names\n"
        "assert 'mandategraph.extract.agenda' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code, str(CORPUS[0])], cwd=ROOT, check=True)
