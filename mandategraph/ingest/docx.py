"""DOCX files -> :class:`~mandategraph.ingest.source.Source` (python-docx)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from . import limits
from .source import SUFFIXES, IngestError, Source, make_source

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _load_docx(path: Path) -> Source:
    """DOCX -> text: paragraphs end in a blank line, list paragraphs get "- " markers (Word's
    automatic numbering is not in the text, like the first page of the seed), tables rows are
    lines with tab-separated cells."""
    if not zipfile.is_zipfile(path):
        raise IngestError(path, "not a DOCX file; expected a ZIP package with word/document.xml")
    try:  # the sizes the package declares bound what reading it inflates (zipfile stops there)
        with zipfile.ZipFile(path) as z:
            limits.check_decompressed(path, sum(i.file_size for i in z.infolist()))
    except zipfile.BadZipFile as e:
        raise IngestError(path, f"not a DOCX file ({e}); expected a ZIP package with "
                                "word/document.xml") from None
    try:
        # python-docx (and lxml) cost ~60 ms to import (python -X importtime): only when a
        # DOCX file is read, not on every start of the command line
        import docx  # noqa: PLC0415 - measured, see above
        from docx.table import Table  # noqa: PLC0415 - measured, see above
        from docx.text.paragraph import Paragraph  # noqa: PLC0415 - measured, see above

        document = docx.Document(str(path))
    except Exception as e:  # noqa: BLE001 - python-docx raises many kinds
        raise IngestError(path, f"unreadable DOCX ({type(e).__name__}: {e}); expected a Word "
                          "document") from None
    blocks: list[str] = []
    for el in document.element.body.iterchildren():
        if el.tag == f"{_W}p":
            para = Paragraph(el, document)
            text = para.text.strip()
            if not text:
                continue
            level = _list_level(el, para)
            if level is not None:
                text = " " * level + "- " + text
            blocks.append(text)
        elif el.tag == f"{_W}tbl":
            rows = []
            for row in Table(el, document).rows:
                rows.append("\t".join(c.text.strip() for c in row.cells))
            blocks.append("\n".join(rows))
    text = "\n\n".join(blocks) + "\n"
    if not text.strip():
        raise IngestError(path, "no text in the DOCX body; expected a document with text")
    return make_source(path, SUFFIXES[".docx"], text)


def _list_level(el, para) -> int | None:
    """Nesting level of a list paragraph (direct numbering or a "List ..." style), else None."""
    num = el.find(f"{_W}pPr/{_W}numPr")
    if num is not None:
        ilvl = num.find(f"{_W}ilvl")
        return int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
    name = (para.style.name if para.style is not None else "") or ""
    m = re.match(r"List (?:Number|Bullet|Paragraph)(?: (\d))?$", name)
    if m:
        return int(m.group(1)) - 1 if m.group(1) else 0
    return None
