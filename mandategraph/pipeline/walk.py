"""The files of a source folder, safely: odd names, symbolic links, things that are not files.

Issue 19: a file name that is not valid UTF-8 ended a build in ``UnicodeEncodeError``; a
symbolic link in a folder that points outside it (to /etc/passwd) was read and built; a folder
named ``x.pdf`` and a FIFO were passed over in silence (and reading a FIFO blocks forever). So:

- names are reported with undecodable bytes escaped (``r\\xe9solution.txt``), see :func:`display`;
- a symbolic link whose target lies outside the named folder is skipped with a warning, unless
  ``follow_links`` (``--follow-links``); a link inside it is read once (as its target);
- anything that is not a regular file or a folder (FIFO, socket, device) is skipped with a
  warning, and a folder with a source suffix gets a warning saying it was read as a folder.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"))


def escape(name: str) -> str:
    """A file name as text that can always be printed and stored: bytes that are not UTF-8
    (``os.fsdecode`` keeps them as lone surrogates) become ``\\xNN``."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def safe_text(text: str) -> str:
    """A message that can be printed whatever it quotes: a file name's undecodable bytes (lone
    surrogates from ``os.fsdecode``) become ``\\xNN``, any other lone surrogate ``\\udNNN``."""
    try:
        return escape(text)
    except UnicodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def display(path: Path) -> str:
    """The path relative to the working folder when it is below it (else as given), escaped."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        rel = str(path)
    return escape(rel)


def not_regular(mode: int) -> str | None:
    """What a file that is not a regular file or folder is ("a FIFO"), or None."""
    for test, what in _KINDS:
        if test(mode):
            return what
    return None


def walk(root: Path, want: Callable[[Path], bool], warn: Callable[[str, str], None],
         follow_links: bool = False) -> Iterator[Path]:
    """Every file under ``root`` that ``want`` accepts, in sorted order, with the warnings
    above given to ``warn(kind, message)``. Hidden files and folders are left out."""
    top = root.resolve()
    seen: set[Path] = set()
    visited: set[Path] = {top}
    stack = [root]
    found: list[Path] = []
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            warn("not-a-file", f"{display(folder)}: skipped: cannot list the folder ({e.strerror})")
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            p = Path(entry.path)
            try:
                link = entry.is_symlink()
                st = os.stat(p) if link else entry.stat(follow_symlinks=False)
            except OSError:
                warn("symlink", f"{display(p)}: skipped: a broken symbolic link")
                continue
            real = p.resolve() if link else None
            if link and not follow_links and not _inside(real, top):
                warn("symlink", f"{display(p)}: skipped: a symbolic link to {escape(str(real))}, "
                                "outside the folder (pass --follow-links to follow it)")
                continue
            if stat.S_ISDIR(st.st_mode):
                key = real or p.resolve()
                if key in visited:
                    continue  # a link to a folder already read (or a loop)
                visited.add(key)
                if want(p):
                    warn("folder", f"{display(p)}: a folder, not a {p.suffix} file: its files "
                                   "are read as sources of the folder")
                stack.append(p)
                continue
            what = not_regular(st.st_mode)
            if what:
                if want(p):
                    warn("not-a-file", f"{display(p)}: skipped: not a regular file ({what})")
                continue
            key = real or p.resolve()
            if key in seen or not want(p):
                continue
            seen.add(key)
            found.append(p)
    yield from sorted(found)


def _inside(path: Path | None, top: Path) -> bool:
    return path is not None and (path == top or top in path.parents)
