"""Text hygiene at ingest (issue 17, point 1): no character XML 1.0 forbids and no Unicode
non-character reaches the reading text or a literal, and every quote still points at its
place in the original text.

The documented mapping (``ingest.xml_safe``, docs/ontology.md "Quotes"): form feed and
vertical tab -> line break, U+FFFE (pdfium's hyphen) -> "-", every other such character
removed. The annotation's ``oa:exact`` is ``xml_safe(Source.text[oa:start:oa:end])``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mandategraph.build.builder import build_graph
from mandategraph.extract import extract
from mandategraph.ingest.load import load_source
from mandategraph.ingest.source import (
    _FORBIDDEN,
    make_source,
    normalise,
    scrub,
    xml_safe,
)

ROOT = Path(__file__).resolve().parent.parent
OA = "http://www.w3.org/ns/oa#"
#: every kind of character the mapping handles, one of each
HOSTILE = ("\x00\x01\x08\x0b\x0c\x0e\x1f\ud800\udfff\ufdd0\ufdef\ufffe\uffff"
           "\U0001fffe\U0001ffff\U0010fffe\U0010ffff")
#: what XML 1.0 allows (https://www.w3.org/TR/xml/#charsets), minus the non-characters
_XML_OK = re.compile("^[\t\n\r\x20-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd"
                     + "".join(f"{chr(p << 16)}-{chr(p << 16 | 0xFFFD)}" for p in range(1, 17))
                     + "]*$")


def xml_ok(s: str) -> bool:
    return _XML_OK.match(s) is not None


def test_every_forbidden_character_is_mapped() -> None:
    for c in HOSTILE:
        assert _FORBIDDEN.fullmatch(c), f"U+{ord(c):04X} is not recognised"
        assert xml_ok(xml_safe(f"a{c}b")), f"U+{ord(c):04X} survives"
    assert xml_safe("a\fb\vc\ufffed") == "a\nb\nc-d"
    assert xml_safe("a\x01b\ufdd0c\U0010ffffd") == "abcd"
    # what XML allows is kept as it is
    ok = "tab\tline\ncr\r é 中文 \ud7ff\ue000\ufffd\U00010000\U0010fffd"
    assert xml_ok(ok) and xml_safe(ok) == ok


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(HOSTILE) + list("ab .\n\r\t\u00a0\uff21")), max_size=60),
       st.sampled_from(["en", "zh"]), st.booleans())
def test_normalised_text_is_clean_and_maps_back(text: str, lang: str, markdown: bool) -> None:
    norm, offsets = normalise(text, lang, markdown=markdown)
    assert xml_ok(norm), repr(norm)
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(text)
    assert offsets[:-1] == sorted(offsets[:-1])
    for i, c in enumerate(norm):
        o = text[offsets[i]]
        if _FORBIDDEN.fullmatch(o):  # a mapped character keeps its place in the original
            assert c == xml_safe(o)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(HOSTILE) + list("ab \n")), max_size=40))
def test_scrub_keeps_offsets(text: str) -> None:
    norm, offs = scrub(text, list(range(len(text))) + [len(text)])
    assert norm == xml_safe(text)
    assert len(offs) == len(norm) + 1 and offs[-1] == len(text)
    for i, c in enumerate(norm):
        assert xml_safe(text[offs[i]]) == c


def annotations(nt: str) -> list[tuple[str, int, int]]:
    """(exact, start, end) of every annotation of a built graph."""
    exact: dict[str, str] = {}
    start: dict[str, int] = {}
    end: dict[str, int] = {}
    for t in ox.parse(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
        s, p = t.subject.value, t.predicate.value
        if p == OA + "exact":
            exact[s.removesuffix("-quote")] = t.object.value
        elif p == OA + "start":
            start[s.removesuffix("-pos")] = int(t.object.value)
        elif p == OA + "end":
            end[s.removesuffix("-pos")] = int(t.object.value)
    assert exact.keys() == start.keys() == end.keys()
    return [(exact[a], start[a], end[a]) for a in exact]


def check_source(path: Path) -> int:
    source = load_source(path)
    built = build_graph(extract(source))
    anns = annotations(built.nt)
    for quote, a, b in anns:
        assert xml_ok(quote), f"{path.name} [{a}:{b}]: {quote!r}"
        assert quote == xml_safe(source.text[a:b]), f"{path.name} [{a}:{b}]"
    assert xml_ok(built.nt), f"{path.name}: a forbidden character in a literal"
    return len(anns)


def test_hostile_text_file(tmp_path: Path) -> None:
    """A plain-text document with every forbidden character inside its quoted sentences."""
    body = ("Conference of the Parties to the United Nations Convention against Transnational "
            "Organized Crime\n\nCTOC/COP/2024/1\n\n1. The Conference requests the Secretariat"
            "\f to submit a report\ufffe on the implementation\x01 of resolution 10/4\ufdd0 to "
            "the Conference at its thirteenth session.\v\n")
    f = tmp_path / "hostile.txt"
    f.write_text(body, encoding="utf-8")
    src = make_source(f, "text/plain", body)
    assert xml_ok(src.norm)
    assert "\f" in src.text and "\n to submit a report- on the implementation of" in src.norm
    assert check_source(f) > 0


def test_pdf_quotes_point_at_the_original(corpus_dir: Path) -> None:
    """Every annotation of the GA PDFs of data/ (page breaks are form feeds, pdfium writes
    U+FFFE for hyphens): the original text at its offsets, mapped, is its quote."""
    files = sorted(corpus_dir.glob("*.pdf"))
    n = 0
    hostile = 0
    for f in files:
        n += check_source(f)
        text = load_source(f).text
        hostile += bool(_FORBIDDEN.search(text))
    assert n > 5000
    assert hostile > 10, "no PDF with a form feed or U+FFFE: the check cannot fail"


@pytest.mark.parametrize("name", ["seeds", "reference"])
def test_other_sources_of_data(name: str) -> None:
    folder = ROOT / "data" / name
    files = [f for f in sorted(folder.rglob("*")) if f.suffix in (".txt", ".md", ".html", ".docx")]
    if not files:
        assert name == "reference"  # the reference folder holds CSV tables only
        return
    assert sum(check_source(f) for f in files) > 0
