"""The W3C SHACL core + SHACL-SPARQL suite on every engine the project offers (issue 16).

Each engine's passes are compared with its expected-pass list, ``tests/w3c/expected/<engine>.txt``:
the test fails when an engine passes fewer (a regression, named) and prints the tests that newly
pass (add them to the list). On no engine may a report say ``sh:conforms true`` where the suite
expects false, and the store-scale engine (``sparql``) passes every test it does not refuse.
"""

from __future__ import annotations

import functools

import pytest
import w3c_shacl
from rdflib import Graph

from mandategraph.validate.engines import validate_graph_with
from mandategraph.validate.sparql_support import UnsupportedShape

ENGINES = ("pyshacl", "turbo", "sparql")


def _engine(name: str):
    def run(data: Graph, shapes: Graph) -> Graph:
        return validate_graph_with(data, name, shapes).report
    return run


@functools.cache
def outcomes(engine: str) -> tuple[w3c_shacl.Outcome, ...]:
    return tuple(w3c_shacl.run_suite(_engine(engine), (UnsupportedShape,)))


def test_the_suite_is_whole() -> None:
    names = [t.name for t in w3c_shacl.tests()]
    assert len(names) == 120 == len(set(names))
    assert sum(n.startswith("core/") for n in names) == 98
    assert sum(n.startswith("sparql/") for n in names) == 22


@pytest.mark.parametrize("engine", ENGINES)
def test_engine_passes_its_list(engine: str) -> None:
    got = {o.test for o in outcomes(engine) if o.outcome == "pass"}
    listed = w3c_shacl.expected_passes(engine)
    lost = sorted(listed - got)
    new = sorted(got - listed)
    if new:
        print(f"{engine}: newly passing, add to tests/w3c/expected/{engine}.txt: {new}")
    detail = {o.test: f"{o.outcome}: {o.detail}" for o in outcomes(engine)}
    assert not lost, f"{engine} passes {len(got)}, fewer than its list ({len(listed)}): " + \
        "; ".join(f"{t} ({detail[t]})" for t in lost)


@pytest.mark.parametrize("engine", ENGINES)
def test_no_silent_wrong_conforms(engine: str) -> None:
    wrong = [o.test for o in outcomes(engine) if o.wrong_conforms]
    assert not wrong, f"{engine} answers sh:conforms true where the suite expects false: {wrong}"


def test_reference_engines_reach_118() -> None:
    for engine in ("pyshacl", "turbo"):
        assert sum(o.outcome == "pass" for o in outcomes(engine)) >= 118, engine


def test_store_scale_engine_passes_all_it_does_not_refuse() -> None:
    """Every test the sparql engine does not refuse is passed, but for the deviations listed
    with their reason in tests/w3c/expected/sparql-deviations.txt (a term of the report differs;
    never a wrong sh:conforms)."""
    lines = (w3c_shacl.EXPECTED / "sparql-deviations.txt").read_text(encoding="utf-8").splitlines()
    deviations = {ln.split("\t", 1)[0] for ln in lines if ln.strip() and not ln.startswith("#")}
    bad = [f"{o.test} ({o.outcome}: {o.detail})" for o in outcomes("sparql")
           if o.outcome not in ("pass", "refused") and o.test not in deviations]
    assert not bad, "the sparql engine answered wrongly instead of refusing:\n" + "\n".join(bad)
    still = {o.test for o in outcomes("sparql") if o.outcome in ("fail", "error")}
    assert deviations <= still | {o.test for o in outcomes("sparql") if o.outcome == "pass"}


def test_refusals_name_shape_and_construct() -> None:
    for o in outcomes("sparql"):
        if o.outcome == "refused":
            assert o.detail.startswith("shape ") and ("sh:" in o.detail or "SPARQL" in o.detail), o.detail
