"""The one way to reach the project's asset files (ontology, shapes, queries, reference data).

In a source checkout ``mandategraph/_assets/*`` are symlinks to the top-level folders of the
repository; in the wheel the same paths hold copies (see ``pyproject.toml``). Either way the
files are read through :mod:`importlib.resources`, never from the current directory.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

_ROOT = "mandategraph"


def asset(*parts: str) -> Traversable:
    """Return a traversable for an asset path such as ``asset("shapes", "document.ttl")``."""
    node = resources.files(_ROOT).joinpath("_assets")
    for part in parts:
        node = node.joinpath(part)
    return node


def asset_files(folder: str, suffix: str) -> list[Traversable]:
    """All files of an asset folder with the given suffix, sorted by name."""
    base = asset(*folder.split("/"))
    return sorted((f for f in base.iterdir() if f.name.endswith(suffix)), key=lambda f: f.name)


@lru_cache(maxsize=None)
def read_text(*parts: str) -> str:
    return asset(*parts).read_text(encoding="utf-8")


def server_dir() -> Traversable:
    """The web front's folder (templates, static) inside the package."""
    return resources.files(_ROOT).joinpath("server")
