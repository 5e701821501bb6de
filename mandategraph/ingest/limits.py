"""Limits on what one source may cost: wall time, memory, pages, characters, decompressed
bytes, nesting depth (issue 19).

Why: one hostile file (a 50 MB text, 20,000 nested HTML lists, a PDF page of 200,000 text
operators, a DOCX zip bomb, a PDF of 50,000 pages) used to stop or kill a whole build. Each
source is now read in a worker process (:mod:`mandategraph.pipeline.workers`) that the parent stops when
it runs over its wall time or memory; the loaders check the cheap limits themselves as they
read (``check_*`` below) and raise :class:`LimitError`, an :class:`IngestError` that says which
limit and where ("over the 5,000 pages limit: 50,000 pages").

The defaults fit the largest real UN documents with a wide margin: the 140 PDFs of the shared
corpus have at most a few hundred pages, a few thousand characters per page, and read in under
2 s and 200 MB each, with at most 55 pages, 369 objects and 4,395 characters on a page.
pdfium's text pass is quadratic in the objects of a page (20,000 took 5 s, 40,000 took 29 s),
hence the limit on objects per page, checked before that pass (objects inside a form XObject
count as one: counting into forms takes a call per object of every page, so the wall-time
limit stops those; tests/hostile_corpus.py has such a file). ``Limits.off()`` disables every check (the benchmark's peer).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .source import IngestError

MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    seconds: float | None = 60.0  #: wall time to read, extract and build one source
    memory: int | None = 1024 * MB  #: resident memory of the worker reading one source
    pages: int | None = 5_000  #: pages of one PDF
    page_objects: int | None = 20_000  #: objects (text runs, paths, images) on one PDF page
    page_chars: int | None = 100_000  #: characters of text on one PDF page
    chars: int | None = 10_000_000  #: characters of text in one source
    decompressed: int | None = 256 * MB  #: bytes a DOCX package inflates to
    depth: int | None = 100  #: nesting depth of lists (HTML) in one source

    @classmethod
    def off(cls) -> Limits:
        return cls(**{f.name: None for f in fields(cls)})

    def with_(self, **changes: object) -> Limits:
        """A copy with the given limits changed (None values leave the default)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def describe(self) -> str:
        """One line naming every limit (for --help, the README and the build report)."""
        parts = []
        for f in fields(self):
            v = getattr(self, f.name)
            parts.append(f"{f.name}={'off' if v is None else _fmt(f.name, v)}")
        return ", ".join(parts)


def _fmt(name: str, v: float) -> str:
    if name in ("memory", "decompressed"):
        return size_text(int(v))
    if name == "seconds":
        return f"{v:g} s"
    return f"{int(v):,}"


def size_text(n: int) -> str:
    """1073741824 -> '1 GB', 268435456 -> '256 MB' (binary units, as the limits are set)."""
    if n >= 1 << 30 and n % (1 << 28) == 0:
        return f"{n / (1 << 30):g} GB"
    return f"{n / MB:,.0f} MB"


def parse_size(text: str) -> int:
    """'1G', '1 GB', '512M', '800MB', '1048576' -> bytes (for the CLI and settings)."""
    t = text.strip().upper().replace(" ", "").removesuffix("B").removesuffix("I")
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if t and t[-1] in units:
        return int(float(t[:-1]) * units[t[-1]])
    return int(t)


class LimitError(IngestError):
    """A source went over one of its limits; nothing of it is stored."""


#: The limits in force in this process (the worker sets them from the build's settings).
_active: Limits = Limits()
#: Where the current source is, for the message of a limit the parent enforces (time, memory):
#: a callable the worker installs that publishes the page being read.
_page_hook = None
_page = 0


def active() -> Limits:
    return _active


def use(limits: Limits) -> None:
    global _active
    _active = limits


def set_page_hook(hook) -> None:
    global _page_hook
    _page_hook = hook


def at_page(n: int) -> None:
    """The loader is now reading page ``n`` (1-based) of the current source."""
    global _page
    _page = n
    if _page_hook is not None:
        _page_hook(n)


def current_page() -> int:
    return _page


def check_pages(path: object, n: int) -> None:
    lim = _active.pages
    if lim is not None and n > lim:
        raise LimitError(path, f"over the {lim:,} pages limit: {n:,} pages "
                               "(raise it with --max-pages)")


def check_page_objects(path: object, page: int, n: int) -> None:
    lim = _active.page_objects
    if lim is not None and n > lim:
        raise LimitError(path, f"over the {lim:,} objects per page limit at page {page:,}: "
                               f"{n:,} objects (raise it with --max-page-objects)")


def check_page_chars(path: object, page: int, n: int) -> None:
    lim = _active.page_chars
    if lim is not None and n > lim:
        raise LimitError(path, f"over the {lim:,} characters per page limit at page {page:,}: "
                               f"{n:,} characters (raise it with --max-page-chars)")


def check_chars(path: object, n: int, where: str = "") -> None:
    lim = _active.chars
    if lim is not None and n > lim:
        raise LimitError(path, f"over the {lim:,} characters limit{where}: {n:,} characters "
                               "of text (raise it with --max-chars)")


def check_decompressed(path: object, n: int) -> None:
    lim = _active.decompressed
    if lim is not None and n > lim:
        raise LimitError(path, f"over the {size_text(lim)} decompressed size limit: the package "
                               f"inflates to {size_text(n)} (raise it with --max-decompressed)")


def check_depth(path: object, depth: int, line: int | None = None) -> None:
    lim = _active.depth
    if lim is not None and depth > lim:
        raise LimitError(path, f"over the nesting depth limit of {lim:,}: lists nested "
                               f"{depth:,} deep (raise it with --max-depth)", line=line)


_SIZES = ("memory", "decompressed")


def build_limits(config_file: str | Path | None = None, *, off: bool = False,
                 **maxima: object) -> Limits:
    """The build's limits: the defaults, then a settings file's ``[build.limits]`` table, then
    the command line's ``max_<name>`` options; ``off`` switches them all off. Sizes may be given
    as text ("1G"). Raises ValueError naming the bad setting."""
    if off:
        return Limits.off()
    values: dict[str, object] = {}
    if config_file:
        try:
            data = tomllib.loads(Path(config_file).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise ValueError(f"{config_file}: cannot read the settings: {e}") from None
        table = data.get("build", {}).get("limits", {})
        names = {f.name for f in fields(Limits)}
        for k, v in table.items():
            if k not in names:
                raise ValueError(f"{config_file}: [build.limits] {k}: unknown limit; expected one "
                                 f"of {', '.join(sorted(names))}")
            values[k] = v
    for k, v in maxima.items():
        if v is not None:
            values[k.removeprefix("max_")] = v
    out: dict[str, object] = {}
    for k, v in values.items():
        if v is False or (isinstance(v, str) and v.lower() == "off"):
            out[k] = None
            continue
        try:
            out[k] = parse_size(str(v)) if k in _SIZES else (float(v) if k == "seconds" else int(v))
        except ValueError:
            raise ValueError(f"limit {k}: {v!r} is not a number"
                             + (" or a size such as 512M, 1G" if k in _SIZES else "")) from None
    base = Limits()
    return replace(base, **out)
