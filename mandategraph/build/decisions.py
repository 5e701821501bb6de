"""Build a GA decision record (``mandategraph/extract/decisions.py`` reads it) into its named
graph: the facts of the record through the document builder, plus the record's type and
originating body as literals on each decision."""

from __future__ import annotations

from pathlib import Path

from ..extract.decisions import read_record, record_facts
from .builder import BuiltSource, build_graph
from .iris import Iris
from .ntriples import nt_literal
from .vocab import N


def build_decision(path: str | Path, name: str | None = None,
                   iris: Iris | None = None) -> tuple[BuiltSource, list[str]]:
    """Read and build one record: (its graph, the errors of its bad fields). Raises
    IngestError when the file cannot be read, RecordError when it cannot be built."""
    rec = read_record(path, name)
    facts = record_facts(rec)
    built = build_graph(facts, iris)
    extra = []
    for ref in rec.refs:
        iri = (iris or Iris()).instrument(ref.body, ref.kind, ref.number)
        if rec.type:
            extra.append(f"<{iri}> {N.UN.decisionType} {nt_literal(rec.type)} .")
        if rec.originating_body:
            extra.append(f"<{iri}> {N.UN.originatingBody} {nt_literal(rec.originating_body)} .")
    if extra:
        built.nt = built.nt + "\n" + "\n".join(extra)
    return built, rec.errors
