"""SHACL results per node for the pages: the node's neighbourhood validated with the node as
the only focus node, cached per store state.

Validating a whole store with pySHACL takes minutes at the corpus's size (and holds the
interpreter meanwhile), so a page validates only what its node's shapes look at: the node's
statements, the types of the nodes it points to and the annotations on it
(``queries/page-shacl-neighbourhood.rq``). That is 60-70 ms for a typical node, once per store
state (Server I's write generation), in the app's ``PageCaches.shacl``. Constraints over the whole graph
(unique symbols) need ``mandategraph validate``; the report page says so. Set
``MANDATEGRAPH_BROWSER_SHACL=off`` to skip validation on pages.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from rdflib import Graph, URIRef

from mandategraph.validate import report as validate
from mandategraph.query import get as get_query
from mandategraph.validate.report import ValidationResult

from ..caches import BoundedLRU
from .model import Shacl

#: pySHACL is not documented as thread-safe: one run at a time in the process, whatever app.
_LOCK = threading.Lock()


def enabled() -> bool:
    return os.environ.get("MANDATEGRAPH_BROWSER_SHACL", "on").lower() not in ("off", "0", "no", "false")


def _validate(store: Any, iri: str) -> tuple[ValidationResult, ...]:
    # Lazy: pySHACL takes ~150 ms to import (measured with -X importtime, shared machine) and
    # only a page with SHACL on needs it; the server and the worker processes start without it.
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


def node_results(store: Any, iri: str, generation: int, cache: BoundedLRU,
                 ) -> tuple[str, tuple[ValidationResult, ...], str | None]:
    """(state, results, error) with state "off", "ready" or "error"; ``cache``: the app's
    ``PageCaches.shacl`` (results per write generation and node)."""
    if not enabled():
        return "off", (), None
    key = (generation, iri)
    with _LOCK:
        hit = cache.get(key)
        if hit is None:
            try:
                hit = _validate(store, iri)
            except Exception as e:  # noqa: BLE001 - shown on the page, never breaks it
                hit = f"{type(e).__name__}: {e}"
            cache.put(key, hit)
    if isinstance(hit, str):
        return "error", (), hit
    return "ready", hit, None


def node_state(store: Any, iri: str, href: str, generation: int, cache: BoundedLRU) -> Shacl:
    state, results, _error = node_results(store, iri, generation, cache)
    return Shacl(state, sum(r.severity == "Violation" for r in results),
                 sum(r.severity == "Warning" for r in results), href)
