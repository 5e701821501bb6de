"""Ingest: a source file -> :class:`Source` (original text, normalised text, offset map).

Supported: plain text (.txt), Markdown (.md), HTML (.html/.htm), DOCX (.docx) and PDF (.pdf).
Every fact points at characters of ``Source.text`` (the original text as read); extractors
work on ``Source.norm`` and map offsets back with ``Source.to_original``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path


class IngestError(Exception):
    """A source could not be read. Names the file, the line when known, and what was expected."""

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


@dataclass
class Source:
    path: str
    media_type: str
    text: str  #: the original text, as extracted from the file
    norm: str  #: normalised text the extractors read
    offsets: list[int]  #: offsets[i] = index in ``text`` of ``norm[i]`` (len(norm)+1 entries)
    language: str
    sha256: str
    pages: list[tuple[int, int]] = field(default_factory=list)  #: (start, end) in text per page
    footnotes: list[tuple[int, int]] = field(default_factory=list)  #: spans in text

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of ``norm`` to the span of ``text`` it came from."""
        o_start = self.offsets[start]
        o_end = self.offsets[end - 1] + 1 if end > start else o_start
        return o_start, o_end


SUFFIXES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def supported(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES
