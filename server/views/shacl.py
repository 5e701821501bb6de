"""SHACL results per node for the pages, from one whole-store validation report per store
state.

The shapes of shapes/ are compiled to SPARQL (:mod:`mandategraph.validate.sparql_engine`, the
engine ``mandategraph validate`` uses) and run once over the whole store per write generation,
each check a query on the one query path (the app's workers: guard, time limit, row cap,
sandbox). The report (results grouped by focus node) is kept on the app's state
(``PageCaches.report``); every page then counts its node's results with a dictionary lookup.
The first page after a start or a write waits for the run (about 1 s at 20,000 documents;
single flight: the other pages wait for the same run). Constraints over the whole graph
(unique symbols) are in the report, unlike the earlier per-node runs.

Earlier each page validated its node's neighbourhood with pySHACL (60-70 ms, under a process
lock): under a soak over thousands of distinct pages that was half of a page's time and made
the page builders queue. When the compiled engine refuses the shapes (a SHACL feature it does
not support), pages fall back to that per-node validation
(``queries/page-shacl-neighbourhood.rq``), cached per node in ``PageCaches.shacl``. Set
``MANDATEGRAPH_BROWSER_SHACL=off`` to skip validation on pages.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from rdflib import Graph, URIRef

from mandategraph.query import get as get_query
from mandategraph.validate import report as validate
from mandategraph.validate.report import ValidationResult

from ..caches import BoundedLRU, PageCaches
from .model import Shacl

#: pySHACL is not documented as thread-safe: one run at a time in the process, whatever app.
_LOCK = threading.Lock()


def enabled() -> bool:
    return os.environ.get("MANDATEGRAPH_BROWSER_SHACL", "on").lower() not in ("off", "0", "no", "false")


@dataclass(frozen=True)
class StoreReport:
    """One whole-store validation: results by focus node IRI, or why there are none."""

    by_focus: Mapping[str, tuple[ValidationResult, ...]] = field(default_factory=lambda: MappingProxyType({}))
    results: int = 0
    #: the run failed (a query refused or over time): shown on every page as an error
    error: str | None = None
    #: the compiled engine cannot check these shapes: pages validate their node with pySHACL
    unsupported: bool = False


class _QueryPathStore:
    """What the compiled engine needs of a store (``select``, ``ask``), nothing more: no
    ``ox`` attribute, so :mod:`mandategraph.validate.sparql_run` cannot reach the store
    directly; with the app's :class:`server.querypath.WorkerStore` every check is a job of the
    one query path (the text screened and guarded like any other)."""

    def __init__(self, store: Any):
        self._store = store
        self._run = getattr(store, "run_text", None)

    def select(self, sparql: str) -> Any:
        return self._run(sparql, "select") if self._run else self._store.select(sparql)

    def ask(self, sparql: str) -> bool:
        return self._run(sparql, "ask") if self._run else self._store.ask(sparql)


def whole_store_report(store: Any) -> StoreReport:
    """Run every compiled check of the shapes over ``store`` (through its query path)."""
    from mandategraph.validate.sparql_engine import iter_results  # noqa: PLC0415
    from mandategraph.validate.sparql_shapes import UnsupportedShape  # noqa: PLC0415

    by_focus: dict[str, list[ValidationResult]] = {}
    try:
        results = tuple(dict.fromkeys(iter_results(_QueryPathStore(store), validate.shapes_graph())))
    except UnsupportedShape:
        return StoreReport(unsupported=True)
    except Exception as e:  # noqa: BLE001 - shown on the pages, never breaks them
        return StoreReport(error=f"{type(e).__name__}: {e}")
    for r in results:
        by_focus.setdefault(str(r.focus), []).append(r)
    return StoreReport(MappingProxyType({k: tuple(v) for k, v in by_focus.items()}), len(results))


def store_report(store: Any, generation: int, caches: PageCaches) -> StoreReport:
    """The report of this store state, run once (the first caller runs it, others wait)."""
    return caches.report.get(generation, lambda: whole_store_report(store))


def _validate(store: Any, iri: str) -> tuple[ValidationResult, ...]:
    # Lazy: pySHACL takes ~150 ms to import and only the fallback needs it.
    import pyshacl  # noqa: PLC0415
    data = Graph()
    for t in store.construct(get_query("page-shacl-neighbourhood").text, {"iri": URIRef(iri)}):
        data.add(t)
    if not len(data):
        return ()
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=validate.shapes_graph(), inference="none", advanced=True,
        allow_warnings=True, allow_infos=True, focus_nodes=[URIRef(iri)])
    return tuple(r for r in validate._results(report) if str(r.focus) == iri)


def _node_fallback(store: Any, iri: str, generation: int, cache: BoundedLRU) -> Any:
    key = (generation, iri)
    with _LOCK:
        hit = cache.get(key)
        if hit is None:
            try:
                hit = _validate(store, iri)
            except Exception as e:  # noqa: BLE001 - shown on the page, never breaks it
                hit = f"{type(e).__name__}: {e}"
            cache.put(key, hit)
    return hit


def node_results(store: Any, iri: str, generation: int, caches: PageCaches,
                 ) -> tuple[str, tuple[ValidationResult, ...], str | None]:
    """(state, results, error) with state "off", "ready" or "error"; ``caches``: the app's
    :class:`PageCaches` (the whole-store report per write generation)."""
    if not enabled():
        return "off", (), None
    rep = store_report(store, generation, caches)
    if rep.unsupported:
        hit = _node_fallback(store, iri, generation, caches.shacl)
        if isinstance(hit, str):
            return "error", (), hit
        return "ready", hit, None
    if rep.error is not None:
        return "error", (), rep.error
    return "ready", rep.by_focus.get(iri, ()), None


def node_state(store: Any, iri: str, href: str, generation: int, caches: PageCaches) -> Shacl:
    state, results, _error = node_results(store, iri, generation, caches)
    return Shacl(state, sum(r.severity == "Violation" for r in results),
                 sum(r.severity == "Warning" for r in results), href)
