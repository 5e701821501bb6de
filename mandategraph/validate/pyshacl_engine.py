"""Validate with pySHACL (the reference validator) over the whole store or one graph.

Shapes are the Turtle files of ``shapes/``; the outcome and its exit rule: :mod:`.report`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from rdflib import Graph

from .report import ValidationFailed, ValidationOutcome, outcome_of_report, shapes_graph


@lru_cache(maxsize=512)
def _translated(text: str, base: str | None, ns: tuple[tuple[str, str], ...]):
    # rdflib's SPARQL engine costs ~75 ms to import (python -X importtime, its pyparsing
    # grammar): only when validating, not on every start of the command line
    from rdflib.plugins.sparql.algebra import translateQuery  # noqa: PLC0415 - measured, see above
    from rdflib.plugins.sparql.parser import parseQuery  # noqa: PLC0415 - measured, see above

    return translateQuery(parseQuery(text), base, dict(ns) if ns else None)


@contextmanager
def _sparql_parsed_once() -> Iterator[None]:
    """pySHACL runs a SPARQL constraint once per focus node *as text*, and rdflib parses the
    text every time (~11 ms): 5,000 annotated links cost a minute. While validating, parse each
    distinct text once (a translated query is reusable with other bindings: that is what
    rdflib's prepareQuery is for). Measured 7x faster on 17k triples; results unchanged."""
    from rdflib.plugins.sparql.evaluate import evalQuery  # noqa: PLC0415 - see _translated
    from rdflib.plugins.sparql.processor import SPARQLProcessor  # noqa: PLC0415 - see _translated

    original = getattr(SPARQLProcessor.query, "unpatched", SPARQLProcessor.query)

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(strOrQuery, str):
            ns = tuple(sorted((k, str(v)) for k, v in (initNs or {}).items()))
            strOrQuery = _translated(strOrQuery, base, ns)
        return evalQuery(self.graph, strOrQuery, initBindings or {}, base)

    query.unpatched = original  # type: ignore[attr-defined] - concurrent validations restore the real one
    SPARQLProcessor.query = query
    try:
        yield
    finally:
        SPARQLProcessor.query = original


def validate_graph(data: Graph, shapes: Graph | None = None) -> ValidationOutcome:
    import pyshacl  # noqa: PLC0415 - heavy import, only when validating

    with _sparql_parsed_once():
        # no allow_warnings/allow_infos: sh:conforms stays the spec's (false on any result)
        _conforms, report, text = pyshacl.validate(
            data, shacl_graph=shapes if shapes is not None else shapes_graph(),
            inference="none", advanced=True,
        )
    if not isinstance(report, Graph):  # a ValidationFailure: the shapes are not valid SHACL
        raise ValidationFailed(f"pySHACL: {text}")
    return outcome_of_report(report)


def validate_store(store) -> ValidationOutcome:
    return validate_graph(store.union_graph())
