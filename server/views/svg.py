"""Server-rendered SVG of a lineage: readable without JavaScript, linkable, accessible.

Layered layout (one row per level: the document, the mandating paragraph, the instrument,
then each generation of recalled instruments), boxes that link to their pages, arrows with
the relation's name. Every string is XML-escaped here; the markup is inserted into pages as
trusted output of this function only.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .model import Lineage, LineageEdge, LineageNode

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 230, 52, 26, 56, 16
CHARS = 30  #: characters per text line in a box
MAX_PER_ROW = 6
KIND_CLASS = {"document": "n-doc", "mandate": "n-mandate", "paragraph": "n-para",
              "instrument": "n-inst", "more": "n-more"}


def _wrap(text: str, width: int = CHARS, lines: int = 2) -> list[str]:
    words, out, cur = text.split(), [], ""
    for w in words:
        if len(cur) + len(w) + (1 if cur else 0) <= width:
            cur = f"{cur} {w}".strip()
        else:
            if cur:
                out.append(cur)
            cur = w if len(w) <= width else w[: width - 1] + "…"
        if len(out) == lines:
            break
    if cur and len(out) < lines:
        out.append(cur)
    if len(out) == lines and " ".join(out) != " ".join(words):
        last = out[-1]
        out[-1] = (last[: width - 1] + "…") if len(last) >= width else last + "…"
    return out or [""]


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


def render(lineage: Lineage, title: str, desc: str = "") -> str:
    """The SVG markup for a lineage (empty string when there is nothing to draw)."""
    if not lineage.nodes:
        return ""
    pos = layout(lineage.nodes)
    width = max(x for x, _ in pos.values()) + BOX_W + PAD
    height = max(y for _, y in pos.values()) + BOX_H + PAD
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lineage" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'aria-labelledby="lineage-title lineage-desc">',
        f'<title id="lineage-title">{escape(title)}</title>',
        f'<desc id="lineage-desc">{escape(desc or title)}</desc>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'class="arrowhead"/></marker></defs>',
    ]
    out.extend(_edge(e, pos) for e in lineage.edges if e.source in pos and e.target in pos)
    out.extend(_node(n, pos[n.key]) for n in lineage.nodes)
    out.append("</svg>")
    return "\n".join(out)


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
    lines = _wrap(n.label, lines=2 if not n.note else 1)
    if n.note:
        lines.append(_wrap(n.note, lines=1)[0])
    text_y = y + BOX_H / 2 - (len(lines) - 1) * 8 + 5
    note_cls = ' class="note"'
    tspans = "".join(
        f'<tspan x="{x + BOX_W / 2:.0f}" y="{text_y + i * 16:.0f}"'
        f'{note_cls if n.note and i == len(lines) - 1 else ""}>{escape(t)}</tspan>'
        for i, t in enumerate(lines))
    cls = KIND_CLASS.get(n.kind, "n-other")
    body = (f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="8" class="{cls}"/>'
            f'<text text-anchor="middle">{tspans}</text>')
    label = quoteattr(f"{n.label}{' — ' + n.note if n.note else ''}")
    if n.href:
        return f'<a href={quoteattr(n.href)} aria-label={label}><title>{escape(n.label)}</title>{body}</a>'
    return f'<g aria-label={label}><title>{escape(n.label)}</title>{body}</g>'
