"""Running compiled SHACL checks in a store: in this process or in worker processes.

Why a module of its own: :mod:`mandategraph.validate.sparql_compile` turns shapes into queries; this
decides which of them to run (skipping absent classes and predicates, choosing the
focus-first variant for small classes and the per-row form of a class check against a large
class, running a check's cheap precheck first) and runs them, on a large read-only on-disk
store in several processes at once (Oxigraph evaluates one query on one core; the checks are
independent; costliest first), returning results in the same order as a sequential run.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..build.ntriples import from_ox, nt_term
from ..core.heap import release_memory
from ..store.interface import Store
from ..store.oxigraph_store import OxigraphStore
from .report import ValidationResult, shapes_graph
from .sparql_compile import compiled_checks, data_subclasses
from .sparql_shapes import Check, UnsupportedShape
from .sparql_support import substitute_this


def _rows(store: Store, query: str) -> Iterator[dict[str, Node]]:
    """Stream the rows of a SELECT (Oxigraph: lazily, one solution at a time)."""
    ox_store = getattr(store, "ox", None)
    if ox_store is not None:
        sols = ox_store.query(query, use_default_graph_as_union=True)
        names = [v.value for v in sols.variables]
        for sol in sols:
            yield {n: from_ox(sol[n]) for n in names if sol[n] is not None}
        return
    for row in store.select(query).dicts():
        yield row


def _messages(check: Check, row: dict[str, Node], focus: Node,
              component: URIRef | None = None) -> tuple[Literal, ...]:
    """Every sh:message of the shape, ``{?var}`` filled from the row, language tags kept."""
    if check.messages:
        bound = {**row, "this": focus}
        out = []
        for m in check.messages:
            text = re.sub(r"\{[?$](\w+)\}", lambda g: str(bound.get(g.group(1), g.group(0))), str(m))
            out.append(Literal(text, lang=m.language) if m.language else Literal(text, datatype=m.datatype))
        return tuple(sorted(out, key=lambda m: (m.language or "", str(m))))
    comp = str(component or check.component).rsplit("#", 1)[-1].replace("ConstraintComponent", "")
    return (Literal(f"{comp} constraint not satisfied"),)


def _runnable(store: Store, checks: list[Check],
              only: Callable[[Check], bool] | None) -> Iterator[Check]:
    """The checks worth running: skip those whose targeted classes or needed predicate the
    store lacks (one cheap ASK each, cached) -- this never changes a result."""
    has_pred: dict[str, bool] = {}
    has_class: dict[str, bool] = {}

    def exists(cache: dict[str, bool], key: str, pattern: str) -> bool:
        if key not in cache:
            cache[key] = store.ask(f"ASK {{ {pattern} }}")
        return cache[key]

    n_class: dict[str, int] = {}
    n_pred: dict[str, int] = {}

    def count(cache: dict[str, int], key: str, pattern: str, cap: int) -> int:
        """Solutions of a pattern, counted up to a cap (cheap even on a huge store)."""
        if key not in cache:
            rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT * WHERE {{ {pattern} }} "
                                f"LIMIT {cap} }} }}").rows
            cache[key] = int(rows[0][0]) if rows else 0
        return cache[key]

    for check in checks:
        if only is not None and not only(check):
            continue
        if check.target_classes is not None and not check.target_predicates and not any(
                exists(has_class, c, f"?s a <{c}>") for c in sorted(check.target_classes)):
            continue
        if check.needs_predicate and not exists(has_pred, check.needs_predicate,
                                                f"?s <{check.needs_predicate}> ?o"):
            continue
        # (not for a filtered run: that is the incremental one, on a small local graph where
        # the counts would cost more than the choice saves)
        if only is None and check.per_row and check.scan and check.members:
            scan_n = sum(count(n_pred, f"{p} {_SCAN_CAP}", p, _SCAN_CAP) for p in check.scan)
            if scan_n < _SCAN_CAP:
                cap = _FOCUS_RATIO * scan_n + 1  # counted only as far as the decision needs
                if sum(count(n_class, f"{m} {cap}", m, cap) for m in check.members) >= cap:
                    yield dataclasses.replace(check, query=check.per_row, focus_first=None,
                                              cost=scan_n / _SCAN_CAP)
                    continue
        if only is None and check.focus_first and check.needs_predicate \
                and check.target_classes is not None and not check.target_predicates:
            focus_n = sum(count(n_class, c, f"?s a <{c}>", _FOCUS_CAP) for c in sorted(check.target_classes))
            if focus_n < _FOCUS_CAP:
                cap = _FOCUS_RATIO * focus_n + 1  # only as far as the decision needs
                pattern = f"?s <{check.needs_predicate}> ?o"
                if count(n_pred, f"{check.needs_predicate} {cap}", pattern, cap) >= cap:
                    yield dataclasses.replace(check, query=check.focus_first, cost=focus_n / _FOCUS_CAP,
                                              precheck=None)
                    continue
                # the predicate has fewer than 4x as many triples as the (small) focus class
                yield dataclasses.replace(check, cost=_FOCUS_RATIO * focus_n / _FOCUS_CAP)
                continue
        yield dataclasses.replace(check, cost=_static_cost(check))


def _static_cost(check: Check) -> float:
    """A rough relative cost when nothing was counted (a scan of unknown size): SPARQL
    constraints (joins) and value checks (each condition decodes the value of every row)
    weigh more than one grouped or hashed scan (1M profile, bench/README.md)."""
    if check.constraint is not None:
        return 3.0
    return 1.0 + len(check.flags) if check.flags else 2.0


_FOCUS_CAP = 200_000  # focus-first only for class sets below this many instances ...
_FOCUS_RATIO = 4  # ... and at least this many times fewer than the predicate's triples
#: class checks look each value up (instead of hashing the class) when the scan has fewer rows
#: than this and the class _FOCUS_RATIO times more members
_SCAN_CAP = 200_000


def _check_rows(store: Store, check: Check) -> Iterator[dict[str, Node]]:
    """The rows of a check: one query, or (a per-focus SPARQL constraint) one per focus node."""
    if check.per_focus is None:
        yield from _rows(store, check.query)
        return
    for f in _rows(store, check.per_focus):
        focus = f.get("this")
        if isinstance(focus, BNode):  # a query cannot name a blank node: refuse, never skip
            raise UnsupportedShape(f"shape {check.shape}: a SPARQL constraint that must run per focus "
                                   "node (validate.sparql_support) has a blank-node focus node")
        for row in _rows(store, substitute_this(check.query, nt_term(focus))):
            yield {**row, "this": focus}


def _check_results(store: Store, check: Check) -> Iterator[ValidationResult]:
    """Run one check; its rows as validation results (names the shape if the query fails)."""
    try:
        if check.precheck is not None:
            pre = next(_rows(store, check.precheck), {})
            if pre.get("n") is not None and pre.get("n") == pre.get("d"):
                return
        for row in _check_rows(store, check):
            focus = row.get("this")
            if focus is None:
                continue
            value = row.get("value")
            if value is None and check.value_is_focus:
                value = focus
            path = row.get("path") if (check.constraint is not None or check.path_from_row) \
                and "path" in row else check.path
            components = [c for i, c in enumerate(check.flags)
                          if row.get(f"_f{i}") == _TRUE] if check.flags else [check.component]
            for comp in components:
                msgs = _messages(check, row, focus, comp)
                yield ValidationResult(focus=focus, path=path, severity=check.severity,
                                       source_shape=check.shape, constraint=comp,
                                       message=str(msgs[0]), value=value, messages=msgs,
                                       source_constraint=check.constraint,
                                       pair=row.get("_pair", check.param_value))
    except Exception as e:
        if isinstance(e, UnsupportedShape):
            raise
        raise RuntimeError(f"SPARQL check of shape {check.shape} ({check.component}) failed: {e}\n"
                           f"{check.query}") from e


def iter_results(store: Store, shapes: Graph | None = None,
                 only: Callable[[Check], bool] | None = None, workers: int = 1) -> Iterator[ValidationResult]:
    """Run every compiled check (or those ``only`` accepts) in the store; yield results as they come.

    A check is skipped, without changing any result, when the store has no instance of any
    class its shape targets, or no triple with the predicate its value constraints need.
    With ``workers > 1`` and a read-only on-disk Oxigraph store, the checks run in that many
    worker processes, each opening the store read-only (Oxigraph evaluates one query on one
    core; the checks are independent). Results come back check by check, in the same order
    as the sequential run.
    """
    sg = shapes if shapes is not None else shapes_graph()
    path = getattr(store, "path", None)
    if workers > 1 and path is not None and getattr(store, "read_only", False):
        # the workers start (spawn, import, open the store) while the checks are chosen here
        with _pool(Path(path), workers) as pool:
            warm = [pool.submit(_worker_ready) for _ in range(workers)]
            checks = list(_runnable(store, compiled_checks(sg, data_subclasses(store)), only))
            for f in warm:
                f.result()
            yield from _parallel_results(pool, checks)
        return
    for check in _runnable(store, compiled_checks(sg, data_subclasses(store)), only):
        yield from _check_results(store, check)


_WORKER_STORE: Store | None = None


def _worker_open(path: str) -> None:
    global _WORKER_STORE

    _WORKER_STORE = OxigraphStore(path, read_only=True)


def _worker_run(check: Check) -> list[ValidationResult]:
    assert _WORKER_STORE is not None
    try:
        return list(_check_results(_WORKER_STORE, check))
    finally:
        release_memory()  # a worker's peak is then its largest check, not the fragments of all




def _worker_ready() -> bool:
    return _WORKER_STORE is not None


def _pool(path: Path, workers: int):

    ctx = multiprocessing.get_context("spawn")  # no fork of a process holding an open store
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                               initializer=_worker_open, initargs=(str(path),))


def _parallel_results(pool, checks: list[Check]) -> Iterator[ValidationResult]:
    """The checks spread over the pool's processes (pulled one at a time, costliest first, so
    a slow check does not hold up the others); yielded in check order as results arrive."""
    # submitted costliest first (longest-processing-time order: the workers then finish
    # together, the cheap checks filling the end), results still yielded in check order
    order = sorted(range(len(checks)), key=lambda i: -checks[i].cost)
    futures: list = [None] * len(checks)
    for i in order:
        futures[i] = pool.submit(_worker_run, checks[i])
    try:
        for f in futures:
            yield from f.result()
    finally:
        for f in futures:
            f.cancel()


def default_workers() -> int:
    """Worker processes for a full validation: MANDATEGRAPH_VALIDATE_WORKERS, else up to 2 cores."""
    env = os.environ.get("MANDATEGRAPH_VALIDATE_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    return max(1, min(2, os.cpu_count() or 1))


_TRUE = Literal(True)
