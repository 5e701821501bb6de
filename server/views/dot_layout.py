"""Lineage layout by Graphviz ``dot`` (Debian ``graphviz``), run server-side (issue 18).

Only generated node names (``n0``, ``n1`` ...) and fixed box sizes go into the DOT text, never
a label or IRI, so nothing a document says can reach dot's parser. The run is bounded: at most
:data:`MAX_NODES` boxes and :data:`MAX_EDGES` arrows, :data:`TIMEOUT_S` seconds of wall clock,
:data:`MAX_OUTPUT` bytes read back. It runs in the page builder's worker thread (pages are
built off the event loop, ``server.views.run_page``). ``dot -Tplain`` gives box centres and
each edge's B-spline; the SVG itself is drawn by :mod:`server.views.svg`. When dot is missing
or fails, :func:`layout` returns None and the caller falls back to its row layout.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

MAX_NODES = 200
MAX_EDGES = 600
TIMEOUT_S = 5.0
MAX_OUTPUT = 2_000_000
POINTS = 72.0  #: dot's unit: inches in -Tplain; we draw 1 point = 1 px


@dataclass(frozen=True)
class DotLayout:
    width: float
    height: float
    boxes: dict[str, tuple[float, float]]  #: key -> top-left corner (px, y down)
    splines: dict[tuple[str, str], list[tuple[float, float]]]  #: (source, target) -> points


def dot_binary() -> str | None:
    return shutil.which("dot")


def dot_source(keys: list[str], edges: list[tuple[str, str]], box_w: float, box_h: float,
               gap_x: float, gap_y: float, rankdir: str = "TB") -> tuple[str, dict[str, str]]:
    """The DOT text (generated names only) and the name -> key map."""
    if rankdir not in ("TB", "LR"):
        raise ValueError(f"rankdir must be TB or LR, got {rankdir!r}")
    names = {k: f"n{i}" for i, k in enumerate(keys)}
    lines = ["digraph L {",
             (f"graph [rankdir={rankdir}, splines=spline, "
              f"nodesep={gap_x / POINTS:.3f}, ranksep={gap_y / POINTS:.3f}];"),
             (f"node [shape=box, fixedsize=true, width={box_w / POINTS:.3f}, "
              f"height={box_h / POINTS:.3f}, label=\"\"];"),
             "edge [arrowhead=none, arrowtail=none];"]
    lines.extend(f"{names[k]};" for k in keys)
    lines.extend(f"{names[a]} -> {names[b]};" for a, b in edges if a in names and b in names)
    lines.append("}")
    return "\n".join(lines), {v: k for k, v in names.items()}


def layout(keys: list[str], edges: list[tuple[str, str]], box_w: float, box_h: float,
           gap_x: float = 26, gap_y: float = 56, pad: float = 16, rankdir: str = "TB",
           cache: Any = None) -> DotLayout | None:
    """Boxes and splines from dot, or None (dot missing, failed, over time, graph too big).

    ``rankdir="LR"`` puts ranks in columns: a resolution with many direct recalls then lists
    them one under the other instead of one wide row. ``cache`` (the app's
    ``PageCaches.dot``, get/put): layouts keyed by the DOT text, which holds only generated
    names and sizes, so every lineage of the same shape (a report, its paragraph, its
    resolution and a chain of three recalls) is laid out once: dot is a process started
    from the server (a fork of a large process and ~5 ms), a page and its lineage picture
    would each start one."""
    binary = dot_binary()
    if binary is None or not keys or len(keys) > MAX_NODES or len(edges) > MAX_EDGES:
        return None
    text, back = dot_source(keys, edges, box_w, box_h, gap_x, gap_y, rankdir)
    key = (text, pad)
    shaped = cache.get(key) if cache is not None else None
    if shaped is None:
        shaped = _run_dot(binary, text, {n: n for n in back}, box_w, box_h, pad)
        if shaped is None:
            return None
        if cache is not None:
            cache.put(key, shaped)
    return DotLayout(shaped.width, shaped.height, {back[n]: xy for n, xy in shaped.boxes.items()},
                     {(back[a], back[b]): pts for (a, b), pts in shaped.splines.items()})


def _run_dot(binary: str, text: str, back: dict[str, str], box_w: float, box_h: float,
             pad: float) -> DotLayout | None:
    try:
        done = subprocess.run([binary, "-Tplain"], input=text.encode("ascii"), capture_output=True,
                              timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        log.warning("dot layout failed (%s); using the row layout", e)
        return None
    if done.returncode != 0 or len(done.stdout) > MAX_OUTPUT:
        log.warning("dot exited %s (%d bytes); using the row layout", done.returncode, len(done.stdout))
        return None
    return _parse_plain(done.stdout.decode("ascii", "replace"), back, box_w, box_h, pad)


def _parse_plain(out: str, back: dict[str, str], box_w: float, box_h: float, pad: float) -> DotLayout | None:
    height = width = None
    boxes: dict[str, tuple[float, float]] = {}
    splines: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for line in out.splitlines():
        f = line.split()
        if not f:
            continue
        if f[0] == "graph":
            width, height = float(f[2]) * POINTS, float(f[3]) * POINTS
        elif f[0] == "node" and height is not None and f[1] in back:
            cx, cy = float(f[2]) * POINTS, height - float(f[3]) * POINTS
            boxes[back[f[1]]] = (pad + cx - box_w / 2, pad + cy - box_h / 2)
        elif f[0] == "edge" and height is not None and f[1] in back and f[2] in back:
            n = int(f[3])
            pts = [(pad + float(f[4 + 2 * i]) * POINTS, pad + height - float(f[5 + 2 * i]) * POINTS)
                   for i in range(n)]
            splines[(back[f[1]], back[f[2]])] = pts
    if width is None or height is None or len(boxes) != len(back):
        return None
    return DotLayout(width + 2 * pad, height + 2 * pad, boxes, splines)


__all__ = ["MAX_NODES", "TIMEOUT_S", "DotLayout", "dot_binary", "dot_source", "layout"]
