"""One validation run as ``mandategraph validate`` and ``make run`` do it: engine choice, timing,
the exit rule, and skipping a store that has not changed since its last report.

Why a module: the CLI stays a thin layer, and the skip rule is tested on its own (issue 18 item 1:
``make run`` re-validated an unchanged store on every run for 99 s).

**Unchanged** means the same *signature*: the number of quads, each source graph with its
``un:sha256`` and ``un:extractorVersion`` (one query), the shapes (their N-Triples, sorted,
hashed), the engine and mandategraph's version. Every build writes a source graph's digest
with it, so a rebuilt or added source changes the signature; an edit made to the store by
hand with SPARQL UPDATE that keeps the quad count is not seen (run without ``--if-changed``).
The last report is kept beside the store (``<store>.last-validation.json``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from .. import __version__
from ..core.namespaces import UN as UN_NS
from .engines import choose_engine, validate_store_with
from .report import ValidationOutcome

UN = str(UN_NS)


def shapes_digest(shapes: Graph) -> str:
    """A digest of the shapes that does not depend on blank-node labels (rdflib's canonical
    form: the same file parsed twice gives the same digest)."""
    canon = to_canonical_graph(shapes)
    lines = sorted(" ".join(t.n3() for t in triple) for triple in canon)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def store_signature(store, shapes: Graph, engine: str) -> str:
    """The signature described in the module doc."""
    h = hashlib.sha256()
    h.update(f"{__version__}\n{engine}\n{shapes_digest(shapes)}\n".encode())
    ox = getattr(store, "ox", None)
    h.update(f"{len(ox) if ox is not None else -1}\n".encode())
    rows = store.select(f"SELECT ?g ?sha ?v WHERE {{ ?g a <{UN}SourceGraph> . "
                        f"OPTIONAL {{ ?g <{UN}sha256> ?sha }} OPTIONAL {{ ?g <{UN}extractorVersion> ?v }} }}").rows
    for row in sorted(tuple(str(x) for x in r) for r in rows):
        h.update(("\t".join(row) + "\n").encode())
    return h.hexdigest()


def report_file(store_dir: Path) -> Path:
    return store_dir.with_name(store_dir.name + ".last-validation.json")


@dataclass
class Run:
    engine: str
    reason: str  # why this engine (auto: which rule)
    outcome: ValidationOutcome | None  # None when skipped
    seconds: float
    skipped: bool = False
    last: dict | None = None  # the last report's record when skipped

    @property
    def exit_code(self) -> int:
        if self.skipped:
            return int(self.last.get("exit_code", 1)) if self.last else 1
        return 0 if self.outcome.passes else 1


def validate(store, shapes: Graph, engine: str = "auto", store_dir: Path | None = None,
             if_changed: bool = False, workers: int | None = None) -> Run:
    """Validate (or skip, with ``if_changed``, when the signature equals the last report's)."""
    used, reason = choose_engine(store, engine, shapes)
    record_path = report_file(store_dir) if store_dir is not None else None
    sig = store_signature(store, shapes, used) if record_path is not None else None
    if if_changed and record_path is not None and record_path.exists():
        try:
            last = json.loads(record_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            last = None
        if last and last.get("signature") == sig:
            return Run(used, reason, None, 0.0, skipped=True, last=last)
    t = time.perf_counter()
    used, outcome = validate_store_with(store, used, shapes, workers=workers)
    secs = time.perf_counter() - t
    run = Run(used, reason, outcome, secs)
    if record_path is not None:
        record = {"signature": sig, "engine": used, "exit_code": run.exit_code,
                  "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                  "seconds": round(secs, 2), "violations": len(outcome.violations),
                  "warnings": len(outcome.warnings), "results": len(outcome.results),
                  "text": outcome.text()}
        try:
            tmp = record_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
            tmp.replace(record_path)  # whole or absent, never half-written
        except OSError:
            pass  # a read-only location: validation still answers, it just cannot skip next time
    return run


def skipped_line(run: Run, record_path: Path) -> str:
    last = run.last or {}
    return (f"unchanged, last report: {last.get('at')} ({last.get('engine')}, "
            f"{last.get('violations')} violation(s), {last.get('warnings')} warning(s); "
            f"{record_path})")
