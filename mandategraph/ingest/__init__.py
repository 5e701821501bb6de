"""Ingest: a source file -> :class:`Source` (original text, normalised text, offset map).

Supported: plain text (.txt), Markdown (.md), HTML (.html/.htm), DOCX (.docx) and PDF (.pdf).
``source`` holds the Source type, language detection and normalisation; ``text``, ``html``,
``docx`` and ``pdf`` (with its layout pass, ``pdf_layout``) are the loaders; ``load`` picks one
by suffix.

Import from the module that defines a name: this file imports nothing, so that importing one
module of the stage does not load the others (start-up time of the command line).
"""
