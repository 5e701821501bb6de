"""Plain text and Markdown files -> :class:`~mandategraph.ingest.source.Source`
(UTF-8, or UTF-16 with a byte-order mark)."""

from __future__ import annotations

from pathlib import Path

from .source import SUFFIXES, IngestError, Source, make_source


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise IngestError(path, f"unreadable UTF-16 text at byte {e.start}") from None
    if b"\x00" in data[:4096]:
        raise IngestError(path, "binary file; expected UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise IngestError(path, f"unsupported encoding (invalid UTF-8 at byte {e.start}); "
                          "expected UTF-8 or UTF-16 with a byte-order mark", line=line) from None
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > 8:
        raise IngestError(path, "binary file (control characters); expected text")
    return text


def _read_text(path: Path) -> str:
    return _decode(path, path.read_bytes())


def _load_text(path: Path) -> Source:
    return make_source(path, SUFFIXES[path.suffix.lower()], _read_text(path))
