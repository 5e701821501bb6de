"""Pipeline: files -> ingest -> extract -> build -> store, one source at a time.

A bad source is reported (file, line when known, what was expected) and skipped; the rest of
the batch goes in and nothing already stored for that source changes. An unchanged source
(same SHA-256 as its stored graph) is skipped unless ``force``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .build import build_graph, iter_reference_triples, reference_graph_iri
from .ingest import IngestError, sha256_file, supported
from .iris import Iris
from .store import Store


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
        return (f"sources: {len(self.built)} built, {len(self.skipped)} unchanged, "
                f"{len(self.errors)} with errors; triples in store: {self.triples}")


def _is_source(f: Path, root: Path) -> bool:
    """Inside a folder: supported files, except hidden ones and README/LICENSE files, which
    describe the folder rather than being UN documents. Name a file directly to build it anyway."""
    rel = f.relative_to(root).parts
    if any(part.startswith(".") for part in rel):
        return False
    if f.stem.upper() in ("README", "LICENSE", "CHANGELOG"):
        return False
    return f.is_file() and supported(f)


def collect(paths: Iterable[str | Path]) -> tuple[list[Path], list[SourceError]]:
    """Expand folders to every supported file under them (sorted); report unusable paths."""
    files: list[Path] = []
    errors: list[SourceError] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if _is_source(f, p)))
        elif p.is_file():
            if supported(p):
                files.append(p)
            else:
                errors.append(SourceError(str(p), f"unsupported file type {p.suffix or '(none)'!r}; "
                                          "expected .txt .md .html .htm .docx or .pdf"))
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
    from .extract import extract  # noqa: PLC0415 - keeps `mandategraph symbol` start-up light
    from .ingest import load_source  # noqa: PLC0415

    iris = iris or Iris()
    report = BuildReport()
    files, errors = collect(paths)
    report.errors.extend(errors)
    if hasattr(store, "drop_staging"):
        store.drop_staging()
    store.replace_graph(str(reference_graph_iri(iris)), iter_reference_triples(iris))
    known = {} if force else set(store.source_digests().values())
    for path in (progress(files) if progress else files):
        name = _display(path)
        try:
            digest = sha256_file(path)
            if digest in known:
                report.skipped.append(name)
                continue
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
        store.replace_graph_nt(str(built.graph_iri), built.nt, checked=built.checked)
        report.built.append(name)
        report.warnings.extend(f"{name}: {w}" for w in built.warnings)
    _post_passes(store, iris, report)
    store.flush()
    report.triples = store.count()
    return report


def _post_passes(store: Store, iris: Iris, report: BuildReport) -> None:
    """Cross-document passes (draft -> resolution links) over the whole store."""
    try:
        from .extract.linking import link_store  # noqa: PLC0415
    except ImportError:
        return
    try:
        link_store(store, iris)
    except Exception as e:  # noqa: BLE001
        report.errors.append(SourceError("(linking pass)", f"{type(e).__name__}: {e}"))
