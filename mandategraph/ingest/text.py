"""Plain text and Markdown files -> :class:`~mandategraph.ingest.source.Source`
(any encoding :mod:`.textcodec` detects: UTF-8/16/32, GB18030, Big5, Shift-JIS, Windows-125x ...)."""

from __future__ import annotations

from pathlib import Path

from . import limits
from .source import SUFFIXES, IngestError, Source, make_source
from .textcodec import decode_text


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file (:mod:`.textcodec` detects the encoding)."""
    text, encoding = decode_text(path, data)
    limits.check_chars(path, len(text))
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > 8:
        raise IngestError(path, "binary file (control characters); expected text")
    return text, encoding


def _read_text(path: Path) -> tuple[str, str]:
    return _decode(path, path.read_bytes())


def _load_text(path: Path) -> Source:
    text, encoding = _read_text(path)
    return make_source(path, SUFFIXES[path.suffix.lower()], text, encoding=encoding)
