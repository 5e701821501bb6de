"""The Chinese interface is Chinese (issue 18, point 6): each page kind rendered with
``?lang=zh`` carries no Latin-script interface word. Not counted: symbols and numbers
(CTOC/COP/2024/CRP.3, A/RES/80/50), IRIs, quotes and source text (blockquote, q, code, pre,
textarea), values marked with another language (``lang="en"``) and the proper names of
standards and formats listed below."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fixtures_pages import page_app

from mandategraph.pipeline.batch import build_paths
from mandategraph.store.factory import open_store

#: names of standards, formats and the product: written as they are in Chinese text too
PROPER = {"mandategraph", "SPARQL", "SELECT", "DISTINCT", "GRAPH", "JSON", "CSV", "TSV", "XML",
          "RDF", "IRI", "API", "SHACL", "Turtle", "N-Triples", "JSON-LD", "RDF/XML", "NAME", "rq",
          "YYYY-MM-DD", "English", "LIMIT", "OFFSET"}
SKIP_TAGS = {"script", "style", "code", "pre", "blockquote", "q", "textarea", "template", "title"}
ATTRS = ("placeholder", "aria-label")
_WORD = re.compile(r"[A-Za-z][A-Za-z\-']*[A-Za-z]|[A-Za-z]")
_SYMBOLISH = re.compile(r"\S*[/\d]\S*")  # a token with a slash or digit: a symbol, number or path


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.words: list[tuple[str, str]] = []

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        lang = a.get("lang")
        skip = tag in SKIP_TAGS or (lang is not None and not lang.startswith("zh")) or \
            "lang-tag" in (a.get("class") or "") or "rule" in (a.get("class") or "").split()
        if not self._skipping() and not skip:
            for name in ATTRS:
                if a.get(name):
                    self._scan(a[name] or "", f"@{name}")
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "path", "rect"):
            self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self._scan(data, self.stack[-1][0] if self.stack else "")

    def _scan(self, text: str, where: str) -> None:
        text = re.sub(r"https?://\S+", " ", text)
        for token in text.split():
            if (_SYMBOLISH.fullmatch(token) and re.search(r"[/\d]", token)) or token.startswith("?"):
                continue  # a symbol, number or path; a SPARQL variable
            for w in _WORD.findall(token):
                if w not in PROPER:
                    self.words.append((w, where))


def latin_words(html: str) -> list[tuple[str, str]]:
    p = _Text()
    p.feed(html)
    return p.words


SAMPLE_PAGES = [
    "/", "/search?q=10/1&all=1", "/search?q=nothing-like-this", "/doc/CTOC/COP/2024/CRP.3",
    "/instrument/ctoc-cop/resolution/10-1", "/instrument/ctoc-cop/resolution/9-1",
    "/body/ctoc-cop/session/12", "/body/ctoc-cop", "/mandates", "/mandates?status=overdue",
    "/sparql-editor", "/named-queries", "/named-queries/mandated-by",
    "/resource?iri=http://example.org/nothing",
]


@pytest.fixture(scope="module")
def zh_client(pages_store):
    with TestClient(page_app(pages_store)) as c:
        yield c


@pytest.mark.parametrize("path", SAMPLE_PAGES)
def test_chinese_pages_have_no_latin_interface_words(zh_client, path: str) -> None:
    r = zh_client.get(path + ("&" if "?" in path else "?") + "lang=zh")
    assert r.status_code in (200, 404), (path, r.status_code)
    assert '<html lang="zh">' in r.text
    words = latin_words(r.text)
    assert not words, f"{path}: Latin-script words in the Chinese interface: {sorted(set(words))[:30]}"


def test_the_checker_finds_english(zh_client) -> None:
    html = '<html lang="zh"><p>第1段 recalling</p><p lang="en">Recalling</p><code>x</code><p>A/RES/80/50</p></html>'
    assert latin_words(html) == [("recalling", "p")]
    en = zh_client.get("/instrument/ctoc-cop/resolution/10-1?lang=en").text
    en = en.replace('<html lang="en">', '<html lang="zh">')  # the English interface, claimed Chinese
    assert len(latin_words(en)) > 20  # is caught: the check can fail


def test_data_is_marked_with_its_language_and_interface_words_are_not(zh_client) -> None:
    """Extracted values stored without a language tag (outputs, status notes, places,
    agenda-item titles) are data: marked ``lang="und"`` (BCP 47 undetermined) or with their
    source's language, while the interface words around them stay unmarked Chinese."""
    html = zh_client.get("/body/ctoc-cop/session/12?lang=zh").text
    assert '<p class="note" lang="und">report orally</p>' in html
    assert '<dd lang="und">Vienna</dd>' in html
    assert re.search(r'<span class="num">3</span> <span lang="(?:en|und)">Technical assistance</span>', html)
    crp = zh_client.get("/doc/CTOC/COP/2024/CRP.3?lang=zh").text
    # an agenda item's label: the interface word unmarked, the English title marked
    assert re.search(r'>项目 2\(a\): <span lang="(?:en|und)">Constructive dialogues</span></a>', crp)
    # the mark is on the data alone: the heading around it is the interface's Chinese
    assert '<h2 id="agenda">议程</h2>' in html


@pytest.fixture(scope="module")
def sponsors_client(seed_path):
    """The seed and one draft with some 60 sponsoring Member States, built for real."""
    store = open_store(None, backend="oxigraph")
    draft = Path(__file__).resolve().parent.parent / "data" / "corpus" / "pdf" / "A_80_L.9.pdf"
    assert not build_paths([seed_path, draft], store).errors
    with TestClient(page_app(store)) as c:
        yield c


def test_member_states_in_their_own_section_named_as_data(sponsors_client) -> None:
    """Home and body pages (issue 18, point 4): organs first, the Member States (known only as
    sponsors) in their own collapsible section; their names, English only in the data, are
    marked as English data in the Chinese interface, so no page shows unmarked English."""
    html = sponsors_client.get("/?lang=zh").text
    organs, _, states = html.partition('<details class="sponsors">')
    assert states and "/body/ga?" in organs and "/body/state-austria" not in organs
    assert '<a href="/body/state-austria?lang=zh"><span lang="en">Austria</span></a>' in states
    assert not latin_words(html)
    state = sponsors_client.get("/body/state-austria?lang=zh").text
    assert '<h1><span lang="en">Austria</span>' in state
    assert not latin_words(state), sorted(set(latin_words(state)))
    # the English interface marks nothing: a name in the interface's own language is plain
    en = sponsors_client.get("/?lang=en").text
    assert '<a href="/body/state-austria?lang=en">Austria</a>' in en
