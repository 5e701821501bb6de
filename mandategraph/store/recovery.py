"""What a killed build or load leaves behind, cleaned up when the store is next opened (issue 19).

- ``<store>.loading-<pid>-<n>``: a bulk load in progress (``mandategraph load``). A kill left
  up to 222 MB of them; one whose process is gone is deleted.
- ``<store>.old-<pid>``: the store a ``load --replace`` moved aside. Where the atomic exchange
  of two folders is available (Linux ``renameat2(RENAME_EXCHANGE)``) the old store is swapped
  out in one step and this name is never used; otherwise a kill between the two renames leaves
  the target missing, and the old store is put back (the replaced store is the old one or the
  new one, never neither).
- staging graphs (``urn:mandategraph:staging:...``) of earlier versions, which replaced a graph
  in two transactions: dropped at the next writable open (:meth:`OxigraphStore.drop_staging`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
from pathlib import Path

_LEFTOVER = re.compile(r"\.(loading|old)-(\d+)(?:-\d+)?$")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(target: Path) -> list[str]:
    """Clean what dead loads left beside ``target``; put a moved-aside store back if the target
    is missing. Returns what was done, for tests and logs."""
    target = Path(target)
    parent = target.parent
    done: list[str] = []
    try:
        entries = list(parent.iterdir()) if parent.is_dir() else []
    except OSError:
        return done
    olds = []
    for p in entries:
        if not p.name.startswith(target.name + "."):
            continue
        m = _LEFTOVER.fullmatch(p.name[len(target.name):])
        if not m or _alive(int(m.group(2))):
            continue
        if m.group(1) == "old":
            olds.append(p)
            continue
        shutil.rmtree(p, ignore_errors=True)
        done.append(f"removed {p.name}")
    for p in olds:
        if not target.exists():
            p.rename(target)
            done.append(f"restored {p.name}")
        else:
            shutil.rmtree(p, ignore_errors=True)
            done.append(f"removed {p.name}")
    return done


def _renameat2():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return fn


_EXCHANGE = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step; False when the system cannot (then the caller
    renames in two steps and :func:`recover` repairs a kill between them)."""
    if _EXCHANGE is None:
        return False
    rc = _EXCHANGE(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0
