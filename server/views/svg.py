"""Server-rendered SVG of a lineage: readable without JavaScript, linkable, accessible.

Laid out by Graphviz ``dot`` (:mod:`server.views.dot_layout`: ranks top to bottom, edges
routed around boxes), or, when dot is not installed, a layered row layout (one row per level:
the document, the mandating paragraph, the instrument, then each generation of recalled
instruments); ``data-layout`` on the ``<svg>`` says which. Boxes link to their pages, arrows
carry the relation's name. Every string is XML-escaped here; the markup is inserted into pages as
trusted output of this function only.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import re
import unicodedata
from xml.sax.saxutils import escape, quoteattr

from . import dot_layout
from .model import Lineage, LineageEdge, LineageNode

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 230, 52, 26, 56, 16
CHARS = 30  #: characters per text line in a box
MAX_PER_ROW = 6
WIDE_RANK = 4  #: more boxes than this on one level: the dot layout runs left to right
KIND_CLASS = MappingProxyType({"document": "n-doc", "mandate": "n-mandate", "paragraph": "n-para",
              "instrument": "n-inst", "more": "n-more"})


def _cols(text: str) -> int:
    """Display width: a CJK (East Asian wide) character counts as two Latin ones."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, width: int) -> str:
    """The longest head of ``text`` that fits ``width`` columns with an ellipsis."""
    out = ""
    for c in text:
        if _cols(out + c) > width - 1:
            return out + "…"
        out += c
    return out


def _chunks(word: str, width: int) -> list[str]:
    """A word without spaces (Chinese) split into pieces of at most ``width`` columns."""
    out, cur = [], ""
    for c in word:
        if _cols(cur + c) > width:
            out.append(cur)
            cur = c
        else:
            cur += c
    return out + ([cur] if cur else [])


def _wrap(text: str, width: int = CHARS, lines: int = 2) -> list[str]:
    words: list[str] = []
    for w in text.split():
        words.extend(_chunks(w, width) if _cols(w) > width else [w])
    out, cur = [], ""
    for w in words:
        if _cols(cur) + _cols(w) + (1 if cur else 0) <= width:
            cur = f"{cur} {w}".strip() if not (cur and _cols(cur[-1:]) == 2 and _cols(w[:1]) == 2) else cur + w
        else:
            if cur:
                out.append(cur)
            cur = w
        if len(out) == lines:
            break
    if cur and len(out) < lines:
        out.append(cur)
    if "".join(out).replace(" ", "") != text.replace(" ", ""):
        out[-1] = _cut(out[-1], width) if _cols(out[-1]) >= width else out[-1] + "…"
    return out or [""]


def _box_lines(n: LineageNode) -> list[str]:
    """Two lines of a box; a long citation keeps its end ("... resolution 9/1", "第9/1号决议")
    whole on the second line, so the number is never cut."""
    if n.note:
        return _wrap(n.label, lines=1)
    lines = _wrap(n.label, lines=2)
    if not lines[-1].endswith("…"):
        return lines
    words = n.label.split()
    if len(words) >= 3 and _cols(" ".join(words[-2:])) <= CHARS:  # "resolution 9/1"
        return [_wrap(" ".join(words[:-2]), lines=1)[0], " ".join(words[-2:])]
    m = re.search(r"第[^第]*$", n.label)  # "…第9/1号决议"
    if m and m.start() > 0 and _cols(m.group(0)) <= CHARS:
        return [_wrap(n.label[: m.start()], lines=1)[0], m.group(0)]
    return lines


def layout(nodes: tuple[LineageNode, ...]) -> dict[str, tuple[float, float]]:
    """Top-left corner of each box: levels as rows, nodes centred in their row."""
    rows: dict[int, list[LineageNode]] = {}
    for n in nodes:
        rows.setdefault(n.level, []).append(n)
    widest = max((min(len(r), MAX_PER_ROW) for r in rows.values()), default=1)
    total_w = widest * BOX_W + (widest - 1) * GAP_X
    pos: dict[str, tuple[float, float]] = {}
    y = PAD
    for level in sorted(rows):
        row = rows[level]
        for start in range(0, len(row), MAX_PER_ROW):
            chunk = row[start:start + MAX_PER_ROW]
            w = len(chunk) * BOX_W + (len(chunk) - 1) * GAP_X
            x = PAD + (total_w - w) / 2
            for n in chunk:
                pos[n.key] = (x, y)
                x += BOX_W + GAP_X
            y += BOX_H + GAP_Y
    return pos


def render(lineage: Lineage, title: str, desc: str = "", layouts: Any = None) -> str:
    """The SVG markup for a lineage (empty string when there is nothing to draw); ``layouts``:
    the app's cache of dot layouts (``PageCaches.dot``, see dot_layout.layout)."""
    if not lineage.nodes:
        return ""
    keys = [n.key for n in lineage.nodes]
    pairs = [(e.source, e.target) for e in lineage.edges]
    per_level: dict[int, int] = {}
    for n in lineage.nodes:
        per_level[n.level] = per_level.get(n.level, 0) + 1
    # many boxes side by side would not fit a screen: ranks as columns instead
    rankdir = "LR" if max(per_level.values()) > WIDE_RANK else "TB"
    dot = dot_layout.layout(keys, pairs, BOX_W, BOX_H, GAP_X, GAP_Y if rankdir == "TB" else 90, PAD, rankdir,
                            cache=layouts)
    if dot is not None:
        pos, splines, kind = dot.boxes, dot.splines, "dot"
        width, height = dot.width, dot.height
    else:
        pos, splines, kind = layout(lineage.nodes), {}, "rows"
        width = max(x for x, _ in pos.values()) + BOX_W + PAD
        height = max(y for _, y in pos.values()) + BOX_H + PAD
    out = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" class="lineage" role="img" data-layout="{kind}" '
         f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
         f'aria-labelledby="lineage-title lineage-desc">'),
        f'<title id="lineage-title">{escape(title)}</title>',
        f'<desc id="lineage-desc">{escape(desc or title)}</desc>',
        ('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
         'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
         'class="arrowhead"/></marker></defs>'),
    ]
    for e in lineage.edges:
        if e.source in pos and e.target in pos:
            pts = splines.get((e.source, e.target))
            out.append(_spline_edge(e, pts) if pts else _edge(e, pos))
    out.extend(_node(n, pos[n.key]) for n in lineage.nodes)
    out.append("</svg>")
    return "\n".join(out)


def _spline_edge(e: LineageEdge, pts: list[tuple[float, float]]) -> str:
    """dot's B-spline (3n+1 control points) as cubic Béziers; the label at its middle point."""
    d = f"M{pts[0][0]:.1f},{pts[0][1]:.1f}"
    for i in range(1, len(pts) - 2, 3):
        (ax, ay), (bx, by), (cx, cy) = pts[i], pts[i + 1], pts[i + 2]
        d += f" C{ax:.1f},{ay:.1f} {bx:.1f},{by:.1f} {cx:.1f},{cy:.1f}"
    mx, my = pts[len(pts) // 2]
    return (f'<g class="edge" data-from={quoteattr(e.source)} data-to={quoteattr(e.target)}>'
            f'<path d="{d}" marker-end="url(#arrow)"/>'
            f'<text x="{mx + 6:.0f}" y="{my + 4:.0f}" class="edge-label">{escape(e.label)}</text></g>')


def _edge(e: LineageEdge, pos: dict[str, tuple[float, float]]) -> str:
    (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
    sx, sy = x1 + BOX_W / 2, y1 + BOX_H
    tx, ty = x2 + BOX_W / 2, y2
    if ty <= sy:  # same row or upwards (a cycle): bend around the side
        sx, sy, tx, ty = x1 + BOX_W, y1 + BOX_H / 2, x2 + BOX_W, y2 + BOX_H / 2
        cx = max(sx, tx) + 40
        path = f"M{sx:.0f},{sy:.0f} C{cx:.0f},{sy:.0f} {cx:.0f},{ty:.0f} {tx:.0f},{ty:.0f}"
        lx, ly = cx - 4, (sy + ty) / 2
    else:
        my = (sy + ty) / 2
        path = f"M{sx:.0f},{sy:.0f} C{sx:.0f},{my:.0f} {tx:.0f},{my:.0f} {tx:.0f},{ty - 2:.0f}"
        lx, ly = (sx + tx) / 2 + 6, my + 4
    return (f'<g class="edge"><path d="{path}" marker-end="url(#arrow)"/>'
            f'<text x="{lx:.0f}" y="{ly:.0f}" class="edge-label">{escape(e.label)}</text></g>')


def _node(n: LineageNode, xy: tuple[float, float]) -> str:
    x, y = xy
    lines = _box_lines(n)
    if n.note:
        lines.append(_wrap(n.note, lines=1)[0])
    text_y = y + BOX_H / 2 - (len(lines) - 1) * 8 + 5
    note_cls = ' class="note"' + (f' lang={quoteattr(n.note_lang)}' if n.note_lang else "")
    tspans = "".join(
        f'<tspan x="{x + BOX_W / 2:.0f}" y="{text_y + i * 16:.0f}"'
        f'{note_cls if n.note and i == len(lines) - 1 else ""}>{escape(t)}</tspan>'
        for i, t in enumerate(lines))
    cls = KIND_CLASS.get(n.kind, "n-other")
    body = (f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="8" class="{cls}"/>'
            f'<text text-anchor="middle">{tspans}</text>')
    label = quoteattr(n.label)
    # the note (a quote of the source) is the box's description, in the quote's language
    desc = (f'<desc{" lang=" + quoteattr(n.note_lang) if n.note_lang else ""}>{escape(n.note)}</desc>'
            if n.note else "")
    inner = f'data-key={quoteattr(n.key)} aria-label={label}><title>{escape(n.label)}</title>{desc}{body}'
    if n.href:
        return f'<a href={quoteattr(n.href)} class="node" {inner}</a>'
    return f'<g class="node" {inner}</g>'
