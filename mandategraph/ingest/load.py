"""The one dispatch point of ingest: a file -> :class:`~mandategraph.ingest.source.Source`,
the loader chosen by suffix."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .docx import _load_docx
from .html import _load_html
from .pdf import load_pdf
from .source import IngestError, Source
from .text import _load_text


Loader = Callable[[Path], Source]


def load_source(path: str | Path) -> Source:
    """Read one file into a :class:`Source`; the loader is chosen by suffix (see LOADERS).

    Raises IngestError naming the file and what was expected: missing, empty, binary, in an
    unsupported encoding or format, or without any text.
    """
    p = Path(path)
    if not p.is_file():
        raise IngestError(p, "no such file")
    suffix = p.suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        raise IngestError(p, f"unsupported format {suffix or '(no suffix)'!r}; expected one of "
                          + " ".join(sorted(LOADERS)))
    if p.stat().st_size == 0:
        raise IngestError(p, "empty file; expected a document with text")
    return loader(p)


#: Loaders by file suffix: the single dispatch point. Add a format by adding an entry.
LOADERS: dict[str, Loader] = {
    ".txt": _load_text,
    ".md": _load_text,
    ".markdown": _load_text,
    ".html": _load_html,
    ".htm": _load_html,
    ".docx": _load_docx,
    ".pdf": load_pdf,
}
