"""Imported once by the forkserver that forks the build's workers (pipeline/workers.py), never
by anything else: it loads what a worker would otherwise import lazily on its first source
(the extractor modules, pypdfium2, python-docx), so that each new worker, forked from the
warmed server, starts ready (a pool of fresh workers cost 0.7 s more per build without it)."""

from __future__ import annotations

import contextlib

import docx  # noqa: F401 - warm import (module docstring)
import pypdfium2.raw  # noqa: F401 - warm import (module docstring)

from ..extract import extractors

with contextlib.suppress(Exception):  # a broken extractor is reported where it is used
    extractors()
