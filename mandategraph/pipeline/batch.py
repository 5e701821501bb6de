"""Pipeline: files -> ingest -> extract -> build -> store, one source at a time.

A bad source is reported (file, line when known, what was expected) and skipped; the rest of
the batch goes in and nothing already stored for that source changes. An unchanged source
(same SHA-256 as its stored graph) is skipped unless ``force``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from ..build.builder import build_graph
from ..build.catalogue import build_catalogue, catalogue_header, expected_header
from ..build.iris import Iris
from ..build.reference_graph import iter_reference_triples, reference_graph_iri
from ..core.resources import asset_files
from ..extract import extract
from ..ingest.load import load_source
from ..ingest.source import IngestError, sha256_file, supported
from ..store.interface import Store
from .linking import link_store


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
    triples: int = 0

    def summary(self) -> str:
        sources = len({e.path for e in self.errors})  # a catalogue may have several bad rows
        rows = f" ({len(self.errors)} errors)" if len(self.errors) > sources else ""
        return (f"sources: {len(self.built)} built, {len(self.skipped)} unchanged, "
                f"{sources} with errors{rows}; triples in store: {self.triples}")


def _is_source(f: Path, root: Path) -> bool:
    """Inside a folder: supported files, except hidden ones and README/LICENSE files, which
    describe the folder rather than being UN documents. Name a file directly to build it anyway."""
    rel = f.relative_to(root).parts
    if any(part.startswith(".") for part in rel):
        return False
    if f.stem.upper() in ("README", "LICENSE", "CHANGELOG"):
        return False
    return f.is_file() and (supported(f) or _is_csv(f))


def _is_csv(f: Path) -> bool:
    """A .csv file: a catalogue of document records when its header has a ``symbol`` column
    (``mandategraph/build/catalogue.py``, ``docs/catalogue.md``)."""
    return f.suffix.lower() == ".csv"


def _catalogue_check(p: Path, named: bool) -> str | None:
    """Why the .csv file ``p`` is not a catalogue, as an error (``named``: given on the command
    line) or a warning (found in a folder); None when it is one. Raises IngestError when its
    header cannot be read (an error either way: it may be a broken catalogue)."""
    name = _display(p)
    cols = catalogue_header(p, name)
    if "symbol" in cols:
        return None
    if named:
        return (f"{name}: not a catalogue: no 'symbol' column (columns: "
                f"{', '.join(cols) or 'none'}); expected {expected_header()}")
    return (f"{name}: skipped: a .csv file without a 'symbol' column is not a catalogue "
            f"(columns: {', '.join(cols) or 'none'})")


@lru_cache(maxsize=1)
def _reference_digests() -> frozenset[str]:
    """SHA-256 of the project's reference tables (data/reference/*.csv, packaged as assets)."""
    return frozenset(hashlib.sha256(f.read_bytes()).hexdigest() for f in asset_files("data/reference", ".csv"))


def _is_reference_table(p: Path) -> bool:
    """Is ``p`` one of the reference tables the build reads itself (same bytes)? Then a folder
    build (`make run` builds data/) skips it without a warning."""
    known = _reference_digests()
    try:
        return sha256_file(p) in known
    except OSError:
        return False


def collect(paths: Iterable[str | Path],
            warnings: list[str] | None = None) -> tuple[list[Path], list[SourceError]]:
    """Expand folders to every supported file under them (sorted); report unusable paths.
    A .csv file is a source when it is a catalogue (a ``symbol`` column); inside a folder, other
    .csv files (reference tables) are skipped with a warning appended to ``warnings``."""
    files: list[Path] = []
    errors: list[SourceError] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(f for f in p.rglob("*") if _is_source(f, p)):
                if _is_csv(f) and _is_reference_table(f):
                    continue  # the build reads the reference tables already (reference graph)
                try:
                    why = _catalogue_check(f, named=False) if _is_csv(f) else None
                except IngestError as e:
                    errors.append(SourceError(_display(f), str(e)))
                    continue
                if why is None:
                    files.append(f)
                elif warnings is not None:
                    warnings.append(why)
        elif p.is_file():
            if supported(p):
                files.append(p)
            elif _is_csv(p):
                try:
                    why = _catalogue_check(p, named=True)
                except IngestError as e:
                    why = str(e)
                if why is None:
                    files.append(p)
                else:
                    errors.append(SourceError(_display(p), why))
            else:
                errors.append(SourceError(str(p), f"unsupported file type {p.suffix or '(none)'!r}; "
                                          "expected .txt .md .html .htm .docx .pdf or a catalogue .csv"))
        else:
            errors.append(SourceError(str(p), "no such file or folder"))
    return files, errors


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def build_paths(paths: Iterable[str | Path], store: Store, iris: Iris | None = None,
                force: bool = False,
                progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None) -> BuildReport:
    iris = iris or Iris()
    report = BuildReport()
    files, errors = collect(paths, report.warnings)
    report.errors.extend(errors)
    if hasattr(store, "drop_staging"):
        store.drop_staging()
    store.replace_graph(str(reference_graph_iri(iris)), iter_reference_triples(iris))
    known = {} if force else set(store.source_digests().values())
    catalogue_graphs: dict[str, str] = {}  # graph IRI -> catalogue file built into it
    for path in (progress(files) if progress else files):
        name = _display(path)
        try:
            digest = sha256_file(path)
            if digest in known:
                report.skipped.append(name)
                continue
            row_errors: list[str] = []
            if _is_csv(path):  # a catalogue: its bad rows are errors, its other rows go in

                built, row_errors = build_catalogue(path, name, iris)
            else:
                source = load_source(path)
                source.path = name
                facts = extract(source)
                built = build_graph(facts, iris)
        except IngestError as e:
            report.errors.append(SourceError(name, str(e)))
            continue
        except Exception as e:  # noqa: BLE001 - one bad source must not stop the batch
            report.errors.append(SourceError(name, f"{type(e).__name__}: {e}"))
            continue
        if _is_csv(path):
            other = catalogue_graphs.setdefault(str(built.graph_iri), name)
            if other != name:  # same file name in two folders: one graph, the first would be lost
                report.errors.append(SourceError(name, f"{name}: not stored: {other} has the same "
                                                 f"file name and its graph <{built.graph_iri}>; "
                                                 "expected catalogue files with distinct names"))
                continue
        store.replace_graph_nt(str(built.graph_iri), built.nt, checked=built.checked)
        report.built.append(name)
        report.errors.extend(SourceError(name, e) for e in row_errors)
        if _is_csv(path):  # catalogue warnings name the file and line themselves
            report.warnings.extend(built.warnings)
        else:
            report.warnings.extend(f"{name}: {w}" for w in built.warnings)
    _post_passes(store, iris, report)
    store.flush()
    report.triples = store.count()
    return report


def _post_passes(store: Store, iris: Iris, report: BuildReport) -> None:
    """Cross-document passes (draft -> resolution links) over the whole store."""
    try:
        link_store(store, iris)
    except Exception as e:  # noqa: BLE001 - a failing linking pass is reported, the sources stay stored
        report.errors.append(SourceError("(linking pass)", f"{type(e).__name__}: {e}"))
