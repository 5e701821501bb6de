"""The validation engines the project offers, one entry point, and the automatic choice.

Why a module of its own: ``mandategraph validate``, ``make run`` and the W3C suite runner
(tests/w3c_shacl.py) must run the same engines the same way. Engines (issue 16; measured side by
side in bench/README.md, "Validation engines"):

- ``sparql``  the shapes compiled to SPARQL and run inside the store
              (:mod:`.sparql_engine`): the fastest at every size measured (``data/``:
              2.6 s against 18 s for pyshacl-turbo and minutes for pySHACL) and the only one that
              holds a million documents in < 30 s and < 2 GB (the others load the whole graph
              into memory). It refuses, before any query runs, every construct outside its
              supported set (:mod:`.sparql_support`).
- ``turbo``   pyshacl-turbo, a maintained Rust engine with pySHACL's API (118/120 of the W3C core
              + SPARQL suite): the reference, and what ``auto`` falls back to for shapes the
              compiled engine refuses, on a store of up to :data:`AUTO_TURBO_MAX_QUADS` quads.
- ``pyshacl`` pySHACL (118/120), slow; on request and in the tests.

``auto`` = ``sparql`` when it accepts the shapes, else ``turbo`` if the store is small enough,
else a clear refusal naming the shape and the construct.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph

from ..store.oxigraph_store import OxigraphStore
from .pyshacl_engine import validate_graph
from .report import ValidationFailed, ValidationOutcome, outcome_of_report, shapes_graph
from .sparql_compile import compile_checks
from .sparql_engine import validate_store_sparql
from .sparql_support import UnsupportedShape

ENGINES = ("auto", "turbo", "pyshacl", "sparql")

#: the largest store ``auto`` hands to pyshacl-turbo (when the compiled engine refuses a shape).
#: It needs the whole graph in rdflib memory first: at 100k documents (1.05M quads) 47.5 s to
#: convert and 66.9 s to validate, 1.7 GB, on a machine loaded 5-6x (bench/README.md,
#: "Validation engines"); so twice that is about the most that stays within a few GB and
#: minutes; above it the refusal is reported instead.
AUTO_TURBO_MAX_QUADS = 2_000_000


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
        except Exception as e:
            raise ValidationFailed(f"{f}: not a readable RDF shapes file ({type(e).__name__}: {e})") from e
    return g


def _format(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    return {".nt": "nt", ".rdf": "xml", ".xml": "xml", ".jsonld": "json-ld", ".n3": "n3"}.get(suffix, "turtle")


def validate_turbo(data: Graph, shapes: Graph | None = None) -> ValidationOutcome:
    import pyshacl_turbo  # noqa: PLC0415 - a native engine and rdflib glue: loaded only when it validates

    sg = shapes if shapes is not None else shapes_graph()
    _conforms, report, text = pyshacl_turbo.validate(
        data, shacl_graph=sg, inference="none", advanced=True)
    if not isinstance(report, Graph):  # a ValidationFailure: the shapes are not valid SHACL
        raise ValidationFailed(f"pyshacl-turbo: {text}")
    return outcome_of_report(report)


def choose_engine(store, engine: str = "auto", shapes: Graph | None = None) -> tuple[str, str]:
    """(engine, reason): the engine ``validate`` uses for this store and these shapes."""
    if engine not in ENGINES:
        raise ValidationFailed(f"unknown engine {engine!r} (expected one of {', '.join(ENGINES)})")
    if engine != "auto":
        return engine, "chosen with --engine"
    try:
        compile_checks(shapes if shapes is not None else shapes_graph())
        return "sparql", "auto: the compiled engine checks every shape"
    except UnsupportedShape as e:
        ox = getattr(store, "ox", None)
        n = len(ox) if ox is not None else None
        if n is None or n > AUTO_TURBO_MAX_QUADS:
            size = "a remote store" if n is None else f"{n:,} quads > {AUTO_TURBO_MAX_QUADS:,}"
            raise UnsupportedShape(f"{e}; and the store ({size}) is too large for pyshacl-turbo: "
                                   "use --engine turbo to try anyway") from e
        return "turbo", f"auto: the compiled engine refuses ({e}); {n:,} quads <= {AUTO_TURBO_MAX_QUADS:,}"


def validate_store_with(store, engine: str = "auto", shapes: Graph | None = None,
                        workers: int | None = None) -> tuple[str, ValidationOutcome]:
    """Validate the whole store with the chosen engine: (engine used, outcome)."""
    used = engine if engine in ("sparql", "turbo", "pyshacl") else choose_engine(store, engine, shapes)[0]
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
