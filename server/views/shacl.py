"""SHACL results per node for the pages, computed once per store state in the background.

Validating the whole store with pySHACL takes from milliseconds (tests) to minutes (a UN-scale
graph), so pages never wait for it: the first page view starts a background run; pages show
"validation pending" until it finishes and then a link to the node's report when the node has
violations or warnings. The run is keyed by the store's size and graph list, so a rebuilt
store is validated again. Set ``MANDATEGRAPH_BROWSER_SHACL=off`` to never start it.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any

from mandategraph.validate import ValidationResult

from .model import Shacl


@dataclass
class _Run:
    key: tuple
    done: threading.Event = field(default_factory=threading.Event)
    by_focus: dict[str, list[ValidationResult]] = field(default_factory=dict)
    error: str | None = None


_runs: dict[int, _Run] = {}
_lock = threading.Lock()


def enabled() -> bool:
    return os.environ.get("MANDATEGRAPH_BROWSER_SHACL", "on").lower() not in ("off", "0", "no")


def _key(store: Any) -> tuple:
    try:
        return (store.count(), tuple(store.named_graphs()))
    except Exception:  # noqa: BLE001 - a remote store may not count cheaply
        return (0, ())


def _work(store: Any, run: _Run) -> None:
    try:
        from mandategraph.validate import validate_store  # noqa: PLC0415

        outcome = validate_store(store)
        for r in outcome.results:
            run.by_focus.setdefault(str(r.focus), []).append(r)
    except Exception as e:  # noqa: BLE001 - shown on the report page
        run.error = f"{type(e).__name__}: {e}"
    finally:
        run.done.set()


def ensure(store: Any, wait: float | None = None) -> _Run | None:
    """The current run for this store (started when missing or stale); optionally wait."""
    if not enabled():
        return None
    key = _key(store)
    with _lock:
        run = _runs.get(id(store))
        if run is None or run.key != key:
            run = _Run(key)
            _runs[id(store)] = run
            threading.Thread(target=_work, args=(store, run), daemon=True,
                             name="mandategraph-shacl").start()
    if wait:
        run.done.wait(wait)
    return run


def node_state(store: Any, iri: str, href: str) -> Shacl:
    run = ensure(store)
    if run is None:
        return Shacl("off", href=href)
    if not run.done.is_set():
        return Shacl("pending", href=href)
    if run.error:
        return Shacl("error", href=href)
    results = run.by_focus.get(iri, [])
    return Shacl("ready", sum(r.severity == "Violation" for r in results),
                 sum(r.severity == "Warning" for r in results), href)


def node_results(store: Any, iri: str, wait: float = 5.0) -> tuple[str, list[ValidationResult], str | None]:
    """(state, results for the node, error) for the report page; waits a little for a run."""
    run = ensure(store, wait=wait)
    if run is None:
        return "off", [], None
    if not run.done.is_set():
        return "pending", [], None
    return ("error" if run.error else "ready"), list(run.by_focus.get(iri, [])), run.error
