"""The error a source that cannot be read raises, and its kind for a source over a limit.

Its own module so that :mod:`mandategraph.limits` (which the loaders call as they read) and
:mod:`mandategraph.ingest` share it without importing each other.
"""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A source could not be read. Names the file, the line when known, and what was expected."""

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")
