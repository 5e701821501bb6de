"""Pipeline: files -> ingest -> extract -> build -> store, one source at a time.

A bad source is reported (file, line when known, what was expected) and skipped; the rest of
the batch goes in and nothing already stored for that source changes. An unchanged source
(same SHA-256 as its stored graph) is skipped unless ``force``.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from rdflib import URIRef

from ..build.catalogue import catalogue_header, expected_header
from ..build.iris import Iris
from ..build.reference_graph import iter_reference_triples, reference_graph_iri
from ..core.namespaces import UN
from ..core.resources import asset_files
from ..extract.decisions import is_decision_record
from ..ingest.limits import Limits
from ..ingest.source import IngestError, sha256_file, supported
from ..store.interface import Store
from .linking import link_store
from .report import BuildReport, SourceError
from .walk import display, escape, not_regular, safe_text, walk
from .workers import SourceResult, SourceWarning, Task, default_workers, run_tasks


def _is_source(f: Path) -> bool:
    """Inside a folder: supported files, except hidden ones and README/LICENSE files, which
    describe the folder rather than being UN documents. Name a file directly to build it anyway."""
    if f.stem.upper() in ("README", "LICENSE", "CHANGELOG"):
        return False
    return supported(f) or _is_csv(f) or _is_json(f)


def _is_json(f: Path) -> bool:
    """A .json file: a GA decision record when it has the ``ED_DecisionNumber`` field
    (``mandategraph/extract/decisions.py``, ``docs/decisions.md``)."""
    return f.suffix.lower() == ".json"


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


def collect(paths: Iterable[str | Path], warnings: list[str] | None = None,
            follow_links: bool = False) -> tuple[list[Path], list[SourceError]]:
    """Expand folders to every supported file under them (sorted); report unusable paths.
    A .csv file is a source when it is a catalogue (a ``symbol`` column); inside a folder, other
    .csv files (reference tables) are skipped with a warning appended to ``warnings``. Symbolic
    links out of a folder, FIFOs and other non-files are skipped with a warning
    (:mod:`mandategraph.walk`); a path named on the command line is read as named."""
    files: list[Path] = []
    errors: list[SourceError] = []

    def warn(kind: str, message: str) -> None:
        if warnings is not None:
            warnings.append(SourceWarning(message, kind))

    for raw in paths:
        p = Path(raw)
        name = escape(str(p))
        try:
            st = p.stat()
        except OSError:
            errors.append(SourceError(name, "no such file or folder"))
            continue
        if p.is_dir():
            if supported(p) or _is_csv(p):
                warn("folder", f"{name}: a folder, not a {p.suffix} file: its files are read "
                               "as sources of the folder")
            for f in walk(p, _is_source, warn, follow_links):
                if _is_csv(f) and _is_reference_table(f):
                    continue  # the build reads the reference tables already (reference graph)
                if _is_json(f):
                    if is_decision_record(f):
                        files.append(f)
                    else:
                        warn("skipped", f"{display(f)}: skipped: a .json file without an "
                                        "'ED_DecisionNumber' field is not a decision record")
                    continue
                try:
                    why = _catalogue_check(f, named=False) if _is_csv(f) else None
                except IngestError as e:
                    errors.append(SourceError(display(f), str(e)))
                    continue
                if why is None:
                    files.append(f)
                else:
                    warn("skipped", why)
        elif not_regular(st.st_mode):
            errors.append(SourceError(name, f"not a regular file ({not_regular(st.st_mode)}); "
                                            "expected a source file or a folder"))
        elif supported(p):
            files.append(p)
        elif _is_json(p):
            if is_decision_record(p):
                files.append(p)
            else:
                errors.append(SourceError(display(p), f"{display(p)}: not a decision record: "
                                          "expected a JSON object with an 'ED_DecisionNumber' "
                                          "field (a GA decisions database record)"))
        elif _is_csv(p):
            try:
                why = _catalogue_check(p, named=True)
            except IngestError as e:
                why = str(e)
            if why is None:
                files.append(p)
            else:
                errors.append(SourceError(display(p), why))
        else:
            errors.append(SourceError(name, f"unsupported file type {p.suffix or '(none)'!r}; "
                                      "expected .txt .md .html .htm .docx .pdf, a catalogue .csv or a decision .json"))
    return files, errors


def _display(path: Path) -> str:
    return display(path)


def build_paths(paths: Iterable[str | Path], store: Store, iris: Iris | None = None,
                force: bool = False,
                progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None, *,
                workers: int | None = None, limits: Limits | None = None,
                follow_links: bool = False) -> BuildReport:
    """Build every source under ``paths`` into ``store``. Each source is read, extracted and
    built in one of ``workers`` processes (default: one per core; 0: in this process) under
    ``limits`` (default :class:`Limits`); this process is the one writer (module
    :mod:`mandategraph.pipeline.workers`). ``report.results`` holds every source's outcome
    (built / unchanged / error / unrecognised, warnings with a kind) in file order."""
    iris = iris or Iris()
    limits = limits or Limits()
    workers = default_workers() if workers is None else workers
    report = BuildReport()
    t0 = time.monotonic()
    files, errors = collect(paths, report.warnings, follow_links)
    report.errors.extend(errors)
    # a fresh on-disk store: written by the bulk loader, swapped in whole (docs/scale.md)
    bulk = hasattr(store, "begin_bulk") and store.begin_bulk()
    store.replace_graph(str(reference_graph_iri(iris)), iter_reference_triples(iris))
    known = {} if force else set(store.source_digests().values())
    # a bulk build: each worker writes its source's N-Quads into the store's spool folder
    spool = store.spool_dir() if bulk else None  # type: ignore[attr-defined]
    plan: list[SourceResult | Task] = []
    for path in files:
        name = display(path)
        try:
            digest = sha256_file(path)
        except OSError as e:
            plan.append(SourceResult(name, "error", errors=[f"{name}: cannot read: {e.strerror}"]))
            continue
        if digest in known:
            plan.append(SourceResult(name, "unchanged"))
        else:
            plan.append(Task(path, name, iris.base, _is_csv(path), decision=_is_json(path), digest=digest,
                             spool=str(spool / f"{len(plan)}.nq") if spool else None))
    results = run_tasks([t for t in plan if isinstance(t, Task)], workers, limits)
    owners: dict[str, str] = {}  # graph IRI -> the file of this batch stored in it
    for path, item in zip(progress(files) if progress else files, plan):
        res = item if isinstance(item, SourceResult) else next(results)
        report.results.append(res)
        if res.status == "unchanged":
            report.skipped.append(res.name)
            continue
        if res.stored:
            clash = _duplicate(store, res, owners, path)
            if clash:
                res.status, res.nt = "error", b""
                res.errors.insert(0, clash)
            else:
                owners[res.graph_iri] = res.name  # type: ignore[index]
                if res.spooled:
                    store.add_spooled(res.graph_iri, res.spooled, checked=res.checked)  # type: ignore[attr-defined]
                    res.spooled = None
                else:
                    store.replace_graph_nt(res.graph_iri, res.nt, checked=res.checked)  # type: ignore[arg-type]
                res.nt = b""  # written: do not hold it
                report.built.append(res.name)
                if res.status == "unrecognised":
                    report.unrecognised.append(res.name)
                report.warnings.extend(res.warnings)
        report.errors.extend(SourceError(res.name, safe_text(e)) for e in res.errors)
    if bulk:
        store.end_bulk()
    _post_passes(store, iris, report)
    store.flush()
    if report.built and hasattr(store, "compact"):
        # on disk: many small transactions -> compact files; after a bulk build only the reopen
        store.compact(optimize=not bulk)  # (optimize would make the loader's files larger, docs/scale.md)
    report.triples = store.count()
    report.seconds = time.monotonic() - t0
    return report


def _same(a: str, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


_SOURCE_FILE = f"SELECT ?f WHERE {{ GRAPH ?g {{ ?g <{UN.sourceFile}> ?f }} }}"


def _duplicate(store: Store, res: SourceResult, owners: dict[str, str], path: Path) -> str | None:
    """Why ``res`` must not replace its graph: another file of this batch went into it, or the
    store holds it from another file that still exists (same symbol and language, or for a
    catalogue the same file name). None when it may."""
    g = res.graph_iri
    other = owners.get(g)  # type: ignore[arg-type]
    if other is None:
        rows = store.select(_SOURCE_FILE, {"g": URIRef(g)}).rows
        stored = str(rows[0][0]) if rows and rows[0][0] is not None else None
        if stored and stored != res.name and os.path.exists(stored) and not _same(stored, path):
            other = stored  # still there: not this file under another name (built from elsewhere)
    if other is None or other == res.name:
        return None
    what = ("the same file name" if res.catalogue or "/graph/file/" in str(g)
            else "the same document symbol and language")
    return (f"{res.name}: not stored: {other} has {what} and its graph <{g}>; expected one "
            "source file per symbol and language (remove or rename one of them)")


def _post_passes(store: Store, iris: Iris, report: BuildReport) -> None:
    """Cross-document passes (draft -> resolution links) over the whole store."""
    try:
        link_store(store, iris)
    except Exception as e:  # noqa: BLE001 - a failing linking pass is reported, the sources stay stored
        report.errors.append(SourceError("(linking pass)", f"{type(e).__name__}: {e}"))
