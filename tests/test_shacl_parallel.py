"""Full in-store validation in worker processes gives exactly the sequential results.

Why: validate_store_sparql spreads the compiled checks over processes that each open the
on-disk store read-only; a lost, duplicated or reordered result would change the report.
"""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox

from mandategraph.validate.sparql_engine import validate_store_sparql
from mandategraph.store.oxigraph_store import OxigraphStore
from bench.synth import write_nquads


def test_two_workers_same_results_in_same_order_as_one(tmp_path: Path) -> None:
    buf = io.StringIO()
    stats = write_nquads(buf, 120, seed=7, violation_share=0.05)
    st = OxigraphStore(tmp_path / "store")
    st.ox.bulk_load(buf.getvalue().encode(), format=ox.RdfFormat.N_QUADS)
    st.close()
    del st
    ro = OxigraphStore(tmp_path / "store", read_only=True)
    one = validate_store_sparql(ro, workers=1)
    two = validate_store_sparql(ro, workers=2)
    assert len(one.violations) == sum(stats.violations.values()) > 0
    assert two.results == one.results
