"""Extraction: a :class:`~mandategraph.ingest.source.Source` -> :class:`~mandategraph.core.facts.Facts`.

Document-type extractors (annotated agendas, GA resolutions and drafts, ...) register here;
language-specific wording lives in rule sets (``zh``, ``en``) behind one interface so that
French, Spanish, Russian and Arabic can be added as data and small modules.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
from typing import NamedTuple

from ..core.facts import DocRef, DocumentFact, Facts, Prov, SourceInfo, Span
from ..ingest.source import Source
from ..symbols.text import find_symbols


class Extractor(NamedTuple):
    """A document-type extractor: ``accepts`` looks at a source, ``extract`` reads it."""

    name: str
    accepts: Callable[[Source], bool]
    extract: Callable[[Source], Facts]


#: The registry, tried in order; the first extractor that accepts a source reads it.
#: Other modules append with :func:`register`. Modules named in ``_MODULES`` are imported on
#: first use and must call ``register`` themselves or expose ``accepts``/``extract``.
EXTRACTORS: list[Extractor] = []
_MODULES = (("resolution", "resolution"), ("agenda", "agenda"))
_loaded = False
LOAD_ERRORS: list[str] = []


def register(name: str, accepts: Callable[[Source], bool], extract: Callable[[Source], Facts]) -> None:
    if not any(e.name == name for e in EXTRACTORS):
        EXTRACTORS.append(Extractor(name, accepts, extract))


def _load_module(index: int) -> None:
    """Import the ``index``-th module of ``_MODULES`` (once) and register its extractor."""
    if index in _loaded_modules:
        return
    _loaded_modules.add(index)
    name, module = _MODULES[index]
    try:
        mod = importlib.import_module(f"{__name__}.{module}")
    except Exception as e:  # noqa: BLE001 - one broken extractor must not stop the others
        LOAD_ERRORS.append(f"extractor {name!r} could not be loaded: {type(e).__name__}: {e}")
        warnings.warn(LOAD_ERRORS[-1], RuntimeWarning, stacklevel=3)
        return
    if any(e.name == name for e in EXTRACTORS):
        return
    fn = getattr(mod, "extract_agenda", None) if name == "agenda" else getattr(mod, "extract", None)
    if hasattr(mod, "accepts") and fn is not None:
        register(name, mod.accepts, fn)


_loaded_modules: set[int] = set()


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for index in range(len(_MODULES)):
        _load_module(index)


def extractors() -> list[Extractor]:
    _load()
    return list(EXTRACTORS)


def extract(source: Source) -> Facts:
    """Pick the document-type extractor for a source and run it. A source no extractor
    accepts still yields the document symbols it mentions, with a warning that names the file
    and what was missing.

    The modules of ``_MODULES`` are imported one at a time, only as far as needed: the
    extractors registered so far are tried first, then the next module's (the order is that
    of :func:`extractors`). A PDF build never imports the agenda extractor."""
    tried = 0
    for index in range(len(_MODULES) + 1):
        for ex in EXTRACTORS[tried:]:
            if ex.accepts(source):
                return ex.extract(source)
        tried = len(EXTRACTORS)
        if index < len(_MODULES):
            _load_module(index)
    return _mentions_only(source)


def _mentions_only(source: Source) -> Facts:
    facts = Facts(SourceInfo(path=source.path, sha256=source.sha256, media_type=source.media_type,
                             language=source.language), recognised=False)
    facts.warnings.append(
        f"{source.path}: no recognisable structure (expected an annotated agenda with a "
        "provisional agenda and annotations, or a resolution/draft masthead); "
        "only document symbols were extracted")
    for m in find_symbols(source.norm):
        a, b = source.to_original(m.start, m.end)
        parts = [p.identifier for p in m.symbol.parts]
        facts.add(DocumentFact(DocRef(parts[0]), Prov(Span(a, b, source.text[a:b]),
                                                      f"{source.language}.symbol"),
                               joint_symbols=tuple(parts[1:]), printed=m.printed))
    return facts
