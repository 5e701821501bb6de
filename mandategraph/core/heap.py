"""Give freed heap back to the OS: glibc keeps the arenas a process freed, so a long-lived
process's RSS is its past peak, not what it holds. One helper for every stage that needs it
(the SHACL checks of ``validate.sparql_run``, the server's page builds)."""

from __future__ import annotations

import ctypes
from functools import cache
from typing import Any


@cache
def _malloc_trim() -> Any:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None  # not glibc


def release_memory() -> None:
    """``malloc_trim(0)`` where glibc has it (elsewhere nothing; never raises)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
