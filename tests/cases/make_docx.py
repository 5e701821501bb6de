"""Regenerate tests/cases/en-cosp-docx/input.docx (run: python tests/cases/make_docx.py).

The agenda items are Word list paragraphs ("List Number" styles), so their numbers are not in
the text, as in converted UN documents; the annex is a Word table.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx

OUT = Path(__file__).parent / "en-cosp-docx" / "input.docx"

PARAS: list[tuple[str, str]] = [
    ("Normal", "United Nations\tCAC/COSP/IRG/2027/1"),
    ("Normal", "Conference of the States Parties to the United Nations Convention against Corruption"),
    ("Normal", "Distr.: General"),
    ("Normal", "22 March 2027"),
    ("Normal", "Original: English"),
    ("Normal", "Implementation Review Group"),
    ("Normal", "Sixteenth session"),
    ("Normal", "Vienna, 9–13 June 2027"),
    ("Title", "Annotated provisional agenda"),
    ("Heading 1", "Provisional agenda"),
    ("List Number", "Organizational matters:"),
    ("List Number 2", "Opening of the session;"),
    ("List Number 2", "Adoption of the agenda and organization of work."),
    ("List Number", "Review of implementation of the United Nations Convention against Corruption."),
    ("List Number", "Other matters."),
    ("Heading 1", "Annotations"),
    ("Heading 2", "1. Organizational matters"),
    ("Heading 3", "(a) Opening of the session"),
    ("Normal", "The sixteenth session of the Implementation Review Group will be opened on Wednesday, 9 June 2027, at 10 a.m."),
    ("Heading 3", "(b) Adoption of the agenda and organization of work"),
    ("Normal", "In its resolution 3/1, the Conference established the Implementation Review Group as an open-ended intergovernmental group of States parties. The fifteenth session of the Group, held in Vienna from 10 to 14 June 2026, approved the provisional agenda."),
    ("Normal", "Documentation"),
    ("Normal", "Annotated provisional agenda (CAC/COSP/IRG/2027/1)"),
    ("Heading 2", "2. Review of implementation of the United Nations Convention against Corruption"),
    ("Normal", "In its resolution 11/1, the Conference requested the Secretariat to prepare a thematic report on the implementation of chapter II of the Convention. The Group will have before it a thematic report (CAC/COSP/IRG/2027/2), prepared pursuant to resolution 11/1."),
    ("Normal", "Documentation"),
    ("Normal", "Thematic report prepared by the Secretariat on the implementation of chapter II (CAC/COSP/IRG/2027/2)"),
    ("Heading 2", "3. Other matters"),
    ("Normal", "No documentation is expected under this item."),
    ("Heading 1", "Annex"),
]


def main() -> None:
    d = docx.Document()
    for style, text in PARAS:
        d.add_paragraph(text, style=style)
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([("Date and time", "Item", "Title"),
                             ("Wednesday, 9 June", "1(a)", "Opening of the session")]):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    fixed = dt.datetime(2027, 3, 22, 0, 0, 0)
    d.core_properties.created = fixed
    d.core_properties.modified = fixed
    d.core_properties.author = "mandategraph tests"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(OUT))


if __name__ == "__main__":
    main()
