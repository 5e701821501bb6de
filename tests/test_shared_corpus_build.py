"""The shared corpus builds with every committee draft recognised (issue 14, Done when).

Builds ``../shared/corpus/ga-78-80/`` (380 PDFs: 250 resolutions, 130 Main Committee drafts
and notes) and ``ga-decisions/`` (792 records) in memory and asserts counts only: 0
unrecognised sources, 0 errors, every committee draft a draft or a note. The held-out files
are part of the corpus; only counts are asserted, no output of theirs is inspected."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mandategraph.pipeline.batch import build_paths
from mandategraph.store.factory import open_store

pytestmark = pytest.mark.slow

SHARED = Path(os.environ.get("MANDATEGRAPH_SHARED_CORPUS",
                             Path(__file__).resolve().parents[3] / "shared" / "corpus"))
if not SHARED.is_dir():
    SHARED = Path("/work/shared/corpus")


def _need(path: Path) -> Path:
    if not path.is_dir():
        pytest.fail(f"{path}: the shared corpus is not here; set MANDATEGRAPH_SHARED_CORPUS")
    return path


def test_committee_drafts_all_recognised() -> None:
    corpus = _need(SHARED / "ga-78-80")
    drafts = sorted(corpus.glob("A_C.*.pdf"))
    assert len(drafts) == 130
    st = open_store(None)
    rep = build_paths(drafts, st)
    assert rep.errors == []
    assert rep.unrecognised == []
    assert len(rep.built) == 130
    q = ("PREFIX un: <https://w3id.org/mandategraph/ontology#> SELECT (COUNT(DISTINCT ?d) AS ?n) "
         "WHERE { ?e un:expressionOf ?d . { ?d a un:DraftResolution } UNION { ?d a un:Note } "
         "?d un:consideredBy ?c }")
    assert int(st.select(q).rows[0][0]) == 130


def test_decision_records_all_built() -> None:
    records = _need(SHARED / "ga-decisions")
    st = open_store(None)
    rep = build_paths([records], st)
    assert len(rep.built) == 792 and rep.unrecognised == []
    # bad fields are reported by file and field; none stops a record
    assert all(": field " in str(e) for e in rep.errors)
