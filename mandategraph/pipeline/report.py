"""The build's account of itself: counts, unrecognised sources, warnings by kind, progress.

A build must not look better than it went. Every source whose structure no extractor
recognised (it went in as a symbol-only graph) is counted in the summary line and makes
``mandategraph build`` exit 1 unless ``--allow-unrecognised``; every warning is counted,
grouped by kind with the first few files of each (``--warnings all`` lists every one), and
``--report FILE`` writes all of it as JSON. Long builds show a progress bar with files/s on
stderr (on a terminal, or with ``--progress``).

The pipeline fills a :class:`BuildReport`; this module only reads it, so the way sources are
executed (one process or several) does not matter here.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, TypeVar

T = TypeVar("T")

#: How many files of each warning kind the default output names.
FIRST_FILES = 3

#: (kind, pattern on the message without its file prefix), first match wins; the message of
#: a source no extractor recognised is the one :func:`mandategraph.extract.extract` writes.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("unrecognised structure", re.compile(r"no recognisable structure")),
    ("csv file that is not a catalogue", re.compile(r"^skipped: a \.csv file")),
    ("catalogue row", re.compile(r"^line \d+|:\d+: ")),
    ("unknown catalogue columns", re.compile(r"unknown column", re.IGNORECASE)),
    ("decision record field", re.compile(r"^record field|field ED_", re.IGNORECASE)),
)


@dataclass(frozen=True)
class SourceError:
    path: str
    message: str

    def __str__(self) -> str:
        return self.message if self.message.startswith(self.path) else f"{self.path}: {self.message}"


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)  #: built as symbol-only graphs
    triples: int = 0
    seconds: float = 0.0
    #: every source's outcome in file order (``pipeline.workers.SourceResult``: built /
    #: unchanged / error / unrecognised, warnings with a kind, seconds)
    results: list = field(default_factory=list)

    def summary(self) -> str:
        sources = len({e.path for e in self.errors})  # a catalogue may have several bad rows
        rows = f" ({len(self.errors)} errors)" if len(self.errors) > sources else ""
        return (f"sources: {len(self.built)} built, {len(self.skipped)} unchanged, "
                f"{sources} with errors{rows}, {len(self.unrecognised)} unrecognised; "
                f"{len(self.warnings)} warnings; triples in store: {self.triples}")

    def exit_status(self, allow_unrecognised: bool = False) -> int:
        """0 clean; 1 errors, or unrecognised sources unless allowed; 2 nothing could be read."""
        if self.errors and not self.built and not self.skipped:
            return 2
        if self.errors or (self.unrecognised and not allow_unrecognised):
            return 1
        return 0

    def grouped(self) -> dict[str, list[tuple[str, str]]]:
        """Warnings by kind, each as (file, message), in the order they were raised."""
        out: dict[str, list[tuple[str, str]]] = {}
        for w in self.warnings:
            path, msg = split_warning(w)
            out.setdefault(warning_kind(msg), []).append((path, msg))
        return out

    def to_json(self) -> dict:
        return {
            "summary": self.summary(),
            "built": len(self.built), "unchanged": len(self.skipped),
            "errors": [{"file": e.path, "message": str(e)} for e in self.errors],
            "unrecognised": list(self.unrecognised),
            "warnings": {kind: [{"file": p, "message": m} for p, m in items]
                         for kind, items in self.grouped().items()},
            "warning_count": len(self.warnings),
            "triples": self.triples,
            "seconds": round(self.seconds, 3),
        }


def split_warning(w: str) -> tuple[str, str]:
    """"data/x.pdf: no recognisable structure ..." -> ("data/x.pdf", "no recognisable ...")."""
    head, sep, rest = w.partition(": ")
    if sep and ("/" in head or "." in head) and " " not in head.strip():
        return head, rest
    return "", w


def warning_kind(message: str) -> str:
    for kind, pattern in _KINDS:
        if pattern.search(message):
            return kind
    # otherwise: the words of the message, numbers, symbols and quoted text left out
    words = re.sub(r"'[^']*'|\"[^\"]*\"|“[^”]*”|\S*\d\S*|\S+/\S+", " ", message)
    words = re.sub(r"\s+", " ", words).strip(" :;,.")
    return " ".join(words.split()[:6]) or "other"


def write_text(report: BuildReport, out: IO[str], all_warnings: bool = False,
               first: int = FIRST_FILES) -> None:
    """Errors, then warnings by kind (count, first files; all of them with ``all_warnings``),
    then the summary line is the caller's."""
    for err in report.errors:
        print(f"error: {err}", file=out)
    for kind, items in report.grouped().items():
        if all_warnings:
            for path, msg in items:
                print(f"warning: {path + ': ' if path else ''}{msg}", file=out)
            continue
        files = [p or m for p, m in items]
        shown = ", ".join(files[:first])
        more = f" and {len(items) - first} more" if len(items) > first else ""
        print(f"warning: {len(items)} x {kind}: {shown}{more}", file=out)
    if report.warnings and not all_warnings:
        print("(every warning: --warnings all, or --report FILE for JSON)", file=out)


def write_json(report: BuildReport, path: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(report.to_json(), f, ensure_ascii=False, indent=1)
        f.write("\n")


class Progress:
    """A one-line progress bar with files/s on ``stream`` (stderr), redrawn at most 10 times
    a second; ``total`` files."""

    def __init__(self, total: int, stream: IO[str] | None = None, width: int = 28):
        self.total = max(total, 1)
        self.stream = stream or sys.stderr
        self.width = width
        self.start = time.monotonic()
        self.last = 0.0
        self.done = 0

    def line(self, name: str = "") -> str:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = self.done / elapsed
        fill = int(self.width * self.done / self.total)
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        return (f"\r[{'#' * fill}{'.' * (self.width - fill)}] {self.done}/{self.total} files "
                f"{rate:.1f} files/s ETA {eta:4.0f}s {name[:40]:<40}")

    def step(self, name: str = "") -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.last >= 0.1 or self.done == self.total:
            self.last = now
            self.stream.write(self.line(name))
            self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def with_progress(items: Iterable[T], total: int, stream: IO[str] | None = None,
                  name=lambda x: getattr(x, "name", str(x))) -> Iterator[T]:
    bar = Progress(total, stream)
    try:
        for x in items:
            yield x
            bar.step(name(x))
    finally:
        bar.close()
