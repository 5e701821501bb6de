"""SHACL validation inside the store: the shapes compiled to SPARQL (:mod:`.sparql_compile`), run
by :mod:`.sparql_run`; the same outcome type (and results) as pySHACL's.

``python -m mandategraph.validate.sparql_engine`` prints the compiled queries of shapes/.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

from rdflib import Graph

from ..store.interface import Store
from .report import ValidationOutcome, ValidationResult, report_graph, shapes_graph
from .sparql_compile import compile_checks
from .sparql_run import default_workers
from .sparql_run import iter_results as run
from .sparql_shapes import Check


def iter_results(store: Store, shapes: Graph | None = None,
                 only: Callable[[Check], bool] | None = None, workers: int = 1) -> Iterator[ValidationResult]:
    """Run the compiled checks in the store (see :func:`mandategraph.validate.sparql_run.iter_results`)."""
    yield from run(store, shapes, only, workers)


def validate_store_sparql(store: Store, shapes: Graph | None = None,
                          workers: int | None = None) -> ValidationOutcome:
    """Full validation inside the store; the same outcome type (and results) as pySHACL's.

    A read-only on-disk store is validated by ``workers`` processes (default
    :func:`default_workers`); any other store in this process."""
    workers = default_workers() if workers is None else workers
    results = tuple(dict.fromkeys(iter_results(store, shapes, workers=workers)))  # de-duplicated, order kept
    return ValidationOutcome(results, report_graph(results, shapes))


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - debugging aid
    """``python -m mandategraph.validate.sparql_engine`` prints the compiled queries of shapes/."""
    for check in compile_checks(shapes_graph()):
        print(f"# {check.shape} {check.component} [{check.severity}]\n{check.query}\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
