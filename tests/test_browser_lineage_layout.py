"""Lineage pictures laid out by Graphviz dot (issue 18, point 5), measured in Chromium.

A lineage of 30 boxes (a resolution with eleven direct recalls, chains and shared ancestors,
long English and Chinese citations, hostile characters) is rendered by server.views.svg and
shown in Debian's Chromium; the browser's own geometry says that no two boxes overlap, that
every arrow starts on its source box and ends on its target box, and that the 13 px text is
shown at 13 px (not shrunk to fit). The real corpus page of a resolution is checked the same way.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixtures_pages import screenshot

from mandategraph.server.views import dot_layout, svg
from mandategraph.server.views.model import Lineage, LineageEdge, LineageNode

pytestmark = pytest.mark.browser

TOL = 2.5  #: px: an end point this close to a box's border is on it

GEOMETRY = """() => {
  const svg = document.querySelector('svg.lineage');
  const boxes = {};
  svg.querySelectorAll('.node').forEach(n => {
    const r = n.querySelector('rect');
    boxes[n.getAttribute('data-key')] = {x: +r.getAttribute('x'), y: +r.getAttribute('y'),
      w: +r.getAttribute('width'), h: +r.getAttribute('height')};
  });
  const edges = [...svg.querySelectorAll('g.edge')].map(g => {
    const p = g.querySelector('path'), len = p.getTotalLength();
    const a = p.getPointAtLength(0), b = p.getPointAtLength(len);
    return {from: g.getAttribute('data-from'), to: g.getAttribute('data-to'),
            start: [a.x, a.y], end: [b.x, b.y]};
  });
  const t = svg.querySelector('.node text');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return {boxes, edges, layout: svg.getAttribute('data-layout'), scale,
          fontPx: parseFloat(getComputedStyle(t).fontSize)};
}"""


def _on_border(pt: list[float], b: dict) -> bool:
    x, y = pt
    inside_x = b["x"] - TOL <= x <= b["x"] + b["w"] + TOL
    inside_y = b["y"] - TOL <= y <= b["y"] + b["h"] + TOL
    near = min(abs(x - b["x"]), abs(x - b["x"] - b["w"]), abs(y - b["y"]), abs(y - b["y"] - b["h"]))
    return inside_x and inside_y and near <= TOL


def _overlaps(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and \
        a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


def check_geometry(geo: dict, n_boxes: int) -> None:
    boxes = geo["boxes"]
    assert len(boxes) == n_boxes, (len(boxes), n_boxes)
    keys = sorted(boxes)
    bad = [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:] if _overlaps(boxes[a], boxes[b])]
    assert not bad, f"overlapping boxes: {bad[:5]}"
    assert geo["edges"], "no arrows drawn"
    for e in geo["edges"]:
        assert _on_border(e["start"], boxes[e["from"]]), f"edge {e} does not start on its box"
        assert _on_border(e["end"], boxes[e["to"]]), f"edge {e} does not end on its box {boxes[e['to']]}"


def thirty() -> Lineage:
    nodes = [LineageNode("doc", "A/RES/80/50", "document", "/doc/A/RES/80/50", 0),
             LineageNode("root", "General Assembly resolution 80/50", "instrument", "/i/root", 1)]
    edges = [LineageEdge("doc", "root", "carries")]
    for i in range(11):  # eleven direct recalls
        k = f"r{i}"
        name = (f"大会第{70 + i}/{i + 1}号决议" if i % 3 == 0 else
                f"Conference of the Parties to the United Nations Convention against Transnational "
                f"Organized Crime resolution {i}/1 <&\"'>")
        nodes.append(LineageNode(k, name, "instrument", f"/i/{k}", 2))
        edges.append(LineageEdge("root", k, "recalls"))
    for i in range(17):  # chains and shared ancestors below them
        k = f"s{i}"
        nodes.append(LineageNode(k, f"General Assembly resolution {60 - i}/{i}", "instrument", f"/i/{k}", 3 + i % 3))
        edges.append(LineageEdge(f"r{i % 11}", k, "recalls"))
        if i >= 11:
            edges.append(LineageEdge(f"s{i - 11}", k, "reaffirms"))
    assert len(nodes) == 30
    return Lineage(tuple(nodes), tuple(edges))


@pytest.fixture()
def page(pages_browser):
    ctx = pages_browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    yield pg
    ctx.close()


def test_dot_is_installed() -> None:
    assert shutil.which("dot"), "Graphviz `dot` is missing: scripts/install-system-deps.sh installs it"


def test_thirty_boxes_do_not_overlap_and_edges_end_on_their_boxes(page) -> None:
    lineage = thirty()
    markup = svg.render(lineage, "Lineage of A/RES/80/50")
    assert 'data-layout="dot"' in markup
    assert "<&" not in markup  # labels are escaped
    css = (Path(__file__).resolve().parent.parent / "server" / "static" / "browser.css").read_text(encoding="utf-8")
    page.set_content(f"<!doctype html><html><head><style>{css}</style></head><body>"
                     f"<div class='svg-wrap'>{markup}</div></body></html>")
    geo = page.evaluate(GEOMETRY)
    assert geo["layout"] == "dot"
    check_geometry(geo, 30)
    assert geo["scale"] == pytest.approx(1.0, abs=0.01), "the picture is shown at its own size"
    assert geo["fontPx"] >= 12
    screenshot(page, "lineage-30-boxes")


def test_the_fan_of_eleven_recalls_is_one_column_not_two_rows() -> None:
    lineage = thirty()
    keys = [n.key for n in lineage.nodes]
    lay = dot_layout.layout(keys, [(e.source, e.target) for e in lineage.edges], svg.BOX_W, svg.BOX_H,
                            rankdir="LR")
    assert lay is not None
    xs = {round(lay.boxes[f"r{i}"][0]) for i in range(11)}
    assert len(xs) == 1, f"the eleven direct recalls share one rank (one x), got {sorted(xs)}"


def test_dot_input_carries_no_text_from_the_graph() -> None:
    text, back = dot_layout.dot_source(['"]; evil -> x [label="', "b"], [('"]; evil -> x [label="', "b")],
                                       230, 52, 26, 56)
    assert "evil" not in text and set(back) == {"n0", "n1"}
    with pytest.raises(ValueError):
        dot_layout.dot_source(["a"], [], 230, 52, 26, 56, rankdir="BT; x")


def test_a_graph_over_the_cap_falls_back_to_rows() -> None:
    keys = [f"k{i}" for i in range(dot_layout.MAX_NODES + 1)]
    assert dot_layout.layout(keys, [], 230, 52) is None
    nodes = tuple(LineageNode(k, k, "instrument", "/", 1) for k in keys)
    assert 'data-layout="rows"' in svg.render(Lineage(nodes, ()), "t")


def test_real_resolution_page_layout(page, pages_real_site) -> None:
    page.goto(pages_real_site.url + "/instrument/ga/resolution/80-8")
    geo = page.evaluate(GEOMETRY)
    assert geo["layout"] == "dot"
    check_geometry(geo, len(geo["boxes"]))
    assert len(geo["boxes"]) >= 5
    screenshot(page, "real-resolution-80-8-lineage")
