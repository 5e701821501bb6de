"""Whole-corpus properties of resolution extraction (#13), over every PDF of the shared corpus
(``../shared/corpus/ga-78-80`` and ``pdf/``, held-out files included: these tests look at no
output value, they only assert invariants that hold on any document):

* no General Assembly due session before the resolution's own session;
* no addressee outside the reference tables unless it is kept as written and flagged
  (``addressee_text`` + a build warning);
* no instrument number given to two bodies in one document unless the text names both bodies.

Extraction only (no store); about a minute on the 520 PDFs, so ``slow``.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path

import pytest

from mandategraph.core.facts import (
    BodyFact,
    InstrumentRef,
    MandateFact,
    Relation,
    SessionRef,
)
from mandategraph.core.reference import bodies
from mandategraph.extract import extract
from mandategraph.extract.res_instruments import UNSTATED
from mandategraph.ingest.load import load_source

ROOT = Path(__file__).resolve().parent.parent
#: $MANDATEGRAPH_SHARED_CORPUS, else ../shared/corpus beside the checkout (or its worktree folder)
SHARED = Path(os.environ["MANDATEGRAPH_SHARED_CORPUS"]) if os.environ.get("MANDATEGRAPH_SHARED_CORPUS") \
    else next((p for p in (ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus")
               if p.is_dir()), ROOT.parent / "shared" / "corpus")

pytestmark = pytest.mark.slow


def _pdfs() -> list[Path]:
    out = sorted((SHARED / "ga-78-80").glob("*.pdf")) + sorted((SHARED / "pdf").glob("*.pdf"))
    return out


@pytest.fixture(scope="module")
def extracted() -> list[tuple[Path, object, object]]:
    files = _pdfs()
    if len(files) < 500:
        pytest.fail(f"the shared corpus is not where expected ({SHARED}): {len(files)} PDFs; "
                    "set MANDATEGRAPH_SHARED_CORPUS")
    out = []
    for p in files:
        source = load_source(p)
        out.append((p, source, extract(source)))
    return out


def _own_session(facts) -> int | None:
    m = re.match(r"A/RES/(\d+)/", facts.source.symbol or "")
    return int(m.group(1)) if m else None


def test_no_ga_due_session_before_the_resolutions_own(extracted) -> None:
    bad = []
    checked = 0
    for path, _, facts in extracted:
        own = _own_session(facts)
        if own is None:
            continue
        for r in facts.items:
            if isinstance(r, Relation) and r.predicate == "dueAt" and isinstance(r.object, SessionRef) \
                    and r.object.body == "A":
                checked += 1
                if r.object.number < own:
                    bad.append((path.name, r.subject.local, r.object.number, r.prov.span.quote[:80]))
    assert checked > 300, f"only {checked} GA due sessions: the check would prove nothing"
    assert not bad, bad[:20]


def test_no_addressee_outside_the_table_unless_flagged(extracted) -> None:
    table = bodies()
    bad = []
    flagged = 0
    n = 0
    for path, _, facts in extracted:
        named = {f.ref.key for f in facts.items if isinstance(f, BodyFact)}
        for f in facts.items:
            if not isinstance(f, MandateFact) or f.verb is None:
                continue
            n += 1
            if f.addressee is None:
                if f.addressee_text:
                    flagged += 1
                    if not any(f.addressee_text in w for w in facts.warnings):
                        bad.append((path.name, f.ref.local, "flag missing", f.addressee_text))
                continue
            if f.addressee not in table and f.addressee not in named:
                bad.append((path.name, f.ref.local, f.addressee))
    assert n > 1000, f"only {n} mandates on the corpus"
    assert not bad, bad[:20]


def _names_of(key: str) -> list[str]:
    b = bodies().get(key)
    if b is None:
        return []
    return [n.removeprefix("the ") for n in (b.name_en, *b.aliases_en) if n] + ([b.series] if b.series else [])


def test_no_instrument_number_with_two_bodies_unless_both_are_named(extracted) -> None:
    bad = []
    for path, source, facts in extracted:
        refs: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in facts.items:
            for x in ((r.subject, r.object) if isinstance(r, Relation) else ()):
                if isinstance(x, InstrumentRef):
                    refs[(x.kind, x.number)].add(x.body)
        text = " ".join(source.text.split())  # a name broken over lines (or \r\n) is still named
        for (kind, number), found in refs.items():
            if len(found) < 2:
                continue
            for body in found:
                if body == UNSTATED or not any(n in text for n in _names_of(body)):
                    bad.append((path.name, kind, number, sorted(found)))
                    break
    assert not bad, bad[:20]
