"""Synthetic corpus shaped like UN documentation, for benchmarks and scale tests.

Why: the real corpus is a few hundred documents; the UN Digital Library holds over a million.
To measure load, query and validation at 10k / 100k / 1M documents we need a graph with the
same vocabulary, IRI scheme (:class:`~mandategraph.build.iris.Iris`) and named-graph layout as
:mod:`mandategraph.build.builder`, with realistic symbols and link structure:

- bodies (from data/reference/bodies.csv), 100 sessions, agenda items per session;
- resolutions (N/20) adopted at sessions, in yearly renewal chains of depth 5
  (``un:reaffirms`` the previous year's, ``un:recalls`` the one before);
- one mandate per resolution (``un:hasMandate``, ``un:mandateStatus``, ``un:dueAt`` the next
  session, ``un:addressee``, ``un:fulfilledBy`` a report when fulfilled);
- documents with symbols in the real series (``A/78/123``, ``E/CN.7/2024/17``,
  ``CTOC/COP/2024/CRP.3``, ``A/HRC/55/L.12``, ``.../Add.1``), a class, title, date, session,
  agenda item, ``un:mandatedBy`` (reports) or ``un:draftOf`` (drafts);
- language versions (``un:Expression``) and provenance annotations on a fraction;
- two layouts of the documents' named graphs:

  - ``files`` (the default): one named graph per document, as build/builder.py makes from the
    document's own file (an ``un:SourceGraph`` with ``un:sha256``, the link to its language
    version, provenance annotations on a fraction): about 14 quads per document;
  - ``catalogue``: the documents as catalogue records (docs/catalogue.md), in files of
    ``per_file`` records (default 1,000) of one session each, as a library exports its
    catalogue; each record's 8 facts plus ``dcterms:source`` naming its file, and each node
    the file cites declared once per file as build/builder.py's ``_Builder.node`` declares it: about
    12 quads per document at 1M. This is the shape of the issue's targets (about 10 triples
    per document) and of a UN Digital Library sized graph: a million documents come in as
    catalogue records, not as a million extracted files;

  resolutions are in the graphs of their resolution documents, structure in one graph;
- 0.1 % deliberate violations (bad symbol, untyped date, unknown mandate status, resolution
  without ``un:issuedBy`` or, in the catalogue layout, where catalogue files declare every
  instrument they cite with its body, with an untyped adoption date) so validation has
  something to find.

Every node conforms to shapes/ except the deliberate violations, comparable with
docs/prior/measurements.md. Output is streamed N-Quads built with string formatting (no
rdflib objects in the hot loop), loadable with ``pyoxigraph.Store.bulk_load``. Seeded: the
same (docs, seed, layout) gives the same bytes. :func:`write_catalogue_csv` writes the
catalogue layout's records as the CSV files they would come from.

Three modules: ``synth_terms`` (the vocabulary and the record types), ``synth_corpus`` (the
seeded corpus), this one (the writers and ``python -m bench.synth``).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import IO, Callable

from mandategraph.store.bulkload import SigningWriter

from .synth_corpus import Corpus
from .synth_terms import LAYOUTS, Record, SynthStats


def write_nquads(out: IO[str] | str | Path, docs: int, seed: int = 42, **kwargs: object) -> SynthStats:
    """Write the corpus of ``docs`` documents as N-Quads; return what was written.

    Written to a path, the file is a signed dump (:class:`mandategraph.store.bulkload.SigningWriter`,
    as ``mandategraph export`` writes it): the IRIs are minted by :class:`Iris`, so
    ``mandategraph load`` may check the digest instead of every IRI. A text stream gets the
    quads alone."""
    corpus = Corpus(docs, seed, **kwargs)  # type: ignore[arg-type]
    stats = SynthStats(docs, seed)
    if isinstance(out, (str, Path)):
        with open(out, "wb", buffering=1 << 20) as raw:
            signing = SigningWriter(raw)
            _write(corpus, stats, lambda text: signing.write(text.encode("utf-8")))
            signing.finish()
        return stats
    return _write(corpus, stats, out.write)


def _write(corpus: Corpus, stats: SynthStats, write: Callable[[str], object]) -> SynthStats:
    buf: list[str] = []
    n = 0
    for line in corpus.lines(stats):
        buf.append(line)
        if len(buf) >= 50_000:
            write("".join(buf))
            n += len(buf)
            buf.clear()
    write("".join(buf))
    stats.triples = n + len(buf)
    return stats


CSV_COLUMNS = ("symbol", "type", "title", "language", "date", "session", "agenda", "agenda_item",
               "mandated_by", "draft_of")


def write_catalogue_csv(folder: str | Path, docs: int, seed: int = 42, per_file: int = 1000,
                        **kwargs: object) -> list[Path]:
    """Write the documents of the catalogue layout as catalogue CSV files (docs/catalogue.md),
    one per batch, named as the graphs of :meth:`Corpus.catalogue_graph`. The resolutions,
    sessions and agenda items they cite are not in them (they come from the N-Quads)."""
    corpus = Corpus(docs, seed, layout="catalogue", per_file=per_file, **kwargs)  # type: ignore[arg-type]
    stats = SynthStats(docs, seed)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, records in corpus.catalogue_batches(stats):
        path = out / f"catalogue-{k:05d}.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, CSV_COLUMNS)
            w.writeheader()
            w.writerows(corpus.catalogue_rows(records))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.synth DOCS OUT.nq [SEED] [--layout files|catalogue] [--per-file N]
    [--csv DIR]``."""
    ap = argparse.ArgumentParser(prog="python -m bench.synth",
                                 description="Write a synthetic UN-shaped corpus as N-Quads.")
    ap.add_argument("docs", type=int, help="number of documents")
    ap.add_argument("out", help="N-Quads file to write")
    ap.add_argument("seed", type=int, nargs="?", default=42, help="random seed (default 42)")
    ap.add_argument("--layout", choices=LAYOUTS, default="files",
                    help="files: one named graph per document, as built from its own file; "
                         "catalogue: documents as catalogue records, files of --per-file records")
    ap.add_argument("--per-file", type=int, default=1000, help="records per catalogue file (default 1000)")
    ap.add_argument("--csv", metavar="DIR", help="also write the catalogue layout's records as CSV files in DIR")
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    stats = write_nquads(args.out, args.docs, args.seed, layout=args.layout, per_file=args.per_file)
    if args.csv:
        write_catalogue_csv(args.csv, args.docs, args.seed, per_file=args.per_file)
    summary = {k: v for k, v in stats.as_dict().items() if not k.startswith("sample")}
    print(json.dumps(summary))
    return 0


__all__ = ["Corpus", "Record", "SynthStats", "write_catalogue_csv", "write_nquads"]

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
