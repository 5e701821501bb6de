"""HTML files -> :class:`~mandategraph.ingest.source.Source` (text with block structure)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from . import limits
from .source import IngestError, Source, make_source
from .text import _read_text


class _HtmlText(HTMLParser):
    """HTML -> text with block structure: blocks end in a blank line, list items get the
    markers a plain-text agenda would have ("1. ", "(a) ", "- "), table cells are tab-separated."""

    _BLOCK = {"p", "div", "section", "article", "header", "footer", "h1", "h2", "h3", "h4", "h5",
              "h6", "table", "blockquote", "pre", "ul", "ol", "main", "nav", "aside", "dl", "dt",
              "dd", "figure", "caption", "hr", "title", "address"}
    _SKIP = {"script", "style", "head", "template", "noscript"}

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.parts: list[str] = []
        self.skip = 0
        self.lists: list[list] = []  # [tag, counter]

    def _nl(self, n: int) -> None:
        text = "".join(self.parts[-3:])
        have = len(text) - len(text.rstrip("\n"))
        if self.parts and have < n:
            self.parts.append("\n" * (n - have))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skip += 1
        elif tag in ("ul", "ol"):
            limits.check_depth(self.path, len(self.lists) + 1, self.getpos()[0])
            self._nl(1)
            self.lists.append([tag, 0])
        elif tag == "li":
            self._nl(1)
            depth = max(len(self.lists), 1)
            kind, n = self.lists[-1] if self.lists else ("ul", 0)
            if self.lists:
                self.lists[-1][1] += 1
                n += 1
            indent = " " * (depth - 1)
            if kind == "ol" and depth == 1:
                self.parts.append(f"{indent}{n}. ")
            elif kind == "ol":
                self.parts.append(f"{indent}({chr(ord('a') + (n - 1) % 26)}) ")
            else:
                self.parts.append(f"{indent}- ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            if self.parts and not self.parts[-1].endswith(("\n", "\t")):
                self.parts.append("\t")
        elif tag == "tr":
            self._nl(1)
        elif tag in self._BLOCK:
            self._nl(2)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._nl(2 if not self.lists else 1)
        elif tag in self._BLOCK or tag == "li":
            self._nl(2 if tag in self._BLOCK else 1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        data = re.sub(r"\s+", " ", data)
        if self.parts and self.parts[-1].endswith(("\n", "\t", " ")):
            data = data.lstrip(" ")
        if data:
            self.parts.append(data)

    def text(self) -> str:
        return re.sub(r"[ \t]+\n", "\n", "".join(self.parts)).strip() + "\n"


def _load_html(path: Path) -> Source:
    raw, encoding = _read_text(path)
    parser = _HtmlText(path)
    parser.feed(raw)
    parser.close()
    text = parser.text()
    if not text.strip():
        raise IngestError(path, "no text in the HTML body; expected a document with text")
    return make_source(path, "text/html", text, encoding=encoding)
