"""The validation engines the project offers, one entry point, and the automatic choice.

Why a module of its own: ``mandategraph validate``, ``make run`` and the W3C suite runner
(tests/w3c_shacl.py) must run the same engines the same way. Engines (issue 16, measured in
bench/README.md "Validation engines"):

- ``turbo``   pyshacl-turbo (a maintained Rust engine with pySHACL's API; 118/120 of the W3C
              core + SPARQL suite): the default for stores up to :data:`AUTO_SPARQL_QUADS`.
- ``pyshacl`` pySHACL, the reference (118/120), slow (minutes on ``data/``); on request.
- ``sparql``  the shapes compiled to SPARQL and run inside the store
              (:mod:`mandategraph.shacl_sparql`): the one that holds a million documents in
              < 30 s and < 2 GB (the others load the whole graph into memory). It refuses, before
              any query runs, every construct outside its supported set.

``auto`` takes ``sparql`` above :data:`AUTO_SPARQL_QUADS` quads, else ``turbo``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from rdflib import Graph

from .shacl_sparql import validate_store_sparql
from .store import OxigraphStore
from .validate import ValidationOutcome, ValidationFailed, outcome_of_report, shapes_graph, validate_graph

ENGINES = ("auto", "turbo", "pyshacl", "sparql")

#: above this many quads ``auto`` validates inside the store (``sparql``). Measured
#: (bench/README.md, one run): pyshacl-turbo holds the whole graph in memory, about 1.2 GB per
#: 10M quads and 4 s per million; at 2M quads it still answers in seconds well under 1 GB,
#: while the compiled engine's fixed cost (one query per constraint) is then a second or two.
AUTO_SPARQL_QUADS = 2_000_000


def load_shapes(extra: Iterable[Path] = (), only: Iterable[Path] = ()) -> Graph:
    """The shapes to validate with: the project's plus ``extra``, or ``only`` alone.

    A file that does not parse raises :class:`ValidationFailed` naming it."""
    only, extra = list(only), list(extra)
    if only and extra:
        raise ValidationFailed("--shapes and --only-shapes cannot be combined")
    g = Graph()
    if not only:
        g += shapes_graph()
    for f in only or extra:
        try:
            g.parse(f, format=_format(f))
        except Exception as e:  # noqa: BLE001 - name the file and what was expected
            raise ValidationFailed(f"{f}: not a readable RDF shapes file ({type(e).__name__}: {e})") from e
    return g


def _format(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    return {".nt": "nt", ".rdf": "xml", ".xml": "xml", ".jsonld": "json-ld", ".n3": "n3"}.get(suffix, "turtle")


def validate_turbo(data: Graph, shapes: Graph | None = None) -> ValidationOutcome:
    import pyshacl_turbo  # noqa: PLC0415 - a native module, loaded only when it validates

    sg = shapes if shapes is not None else shapes_graph()
    _conforms, report, text = pyshacl_turbo.validate(
        data, shacl_graph=sg, inference="none", advanced=True)
    if not isinstance(report, Graph):  # a ValidationFailure: the shapes are not valid SHACL
        raise ValidationFailed(f"pyshacl-turbo: {text}")
    return outcome_of_report(report)


def choose_engine(store, engine: str = "auto") -> str:  # noqa: ANN001 - any Store
    """The engine ``validate`` uses for this store (``auto``: by size, module doc)."""
    if engine not in ENGINES:
        raise ValidationFailed(f"unknown engine {engine!r} (expected one of {', '.join(ENGINES)})")
    if engine != "auto":
        return engine
    if getattr(store, "ox", None) is None:  # a remote or rdflib store: only in-store queries scale
        return "sparql"
    return "sparql" if len(store.ox) > AUTO_SPARQL_QUADS else "turbo"


def validate_store_with(store, engine: str = "auto", shapes: Graph | None = None,  # noqa: ANN001
                        workers: int | None = None) -> tuple[str, ValidationOutcome]:
    """Validate the whole store with the chosen engine: (engine used, outcome)."""
    used = choose_engine(store, engine)
    if used == "sparql":
        return used, validate_store_sparql(store, shapes, workers=workers)
    data = store.union_graph()
    if used == "turbo":
        return used, validate_turbo(data, shapes)
    return used, validate_graph(data, shapes)


def validate_graph_with(data: Graph, engine: str, shapes: Graph | None = None) -> ValidationOutcome:
    """Validate an rdflib graph with a named engine (``sparql``: loaded into a memory store)."""
    if engine == "turbo":
        return validate_turbo(data, shapes)
    if engine == "pyshacl":
        return validate_graph(data, shapes)
    if engine == "sparql":
        st = OxigraphStore(None)
        st.replace_graph("urn:x-mandategraph:data", list(data))
        return validate_store_sparql(st, shapes, workers=1)
    raise ValidationFailed(f"unknown engine {engine!r}")
