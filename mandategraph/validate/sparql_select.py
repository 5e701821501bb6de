"""SHACL-SPARQL constraints (``sh:sparql`` with ``sh:select``) as compiled checks.

Why a module: :mod:`.sparql_compile` translates the core constraints; this turns a SELECT-based
constraint into one query over the whole graph (``$this`` a free variable joined with the focus
nodes: what the project's shapes need at a million documents) or, when that would not be
equivalent to SHACL's pre-binding, a check the runner evaluates once per focus node.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rdflib import Graph, Literal
from rdflib.term import Node

from ..core.namespaces import SH
from ..store.sparql_text import _group_end, _where_brace
from .sparql_shapes import WHOLE_GRAPH_SELECT, Check, UnsupportedShape
from .sparql_support import sparql_plan


def sparql_checks(g: Graph, prefix_lines: dict[Node, str], shape: Node, node: Node, focus_filter: str,
                  path: str | None, severity: str, focus: str) -> Iterator[Check]:
    """The checks of one ``sh:sparql`` constraint: one whole-graph query (``focus_filter``
    appended to its WHERE group), or one run per focus node with ``$this`` substituted
    (:func:`.sparql_support.sparql_plan`)."""
    if g.value(node, SH.deactivated) == Literal(True):
        return
    standard = g.value(node, SH.select)
    if standard is None:
        raise UnsupportedShape(f"shape {shape}: sh:sparql without sh:select (only SELECT-based "
                               "constraints are supported)")
    plan = sparql_plan(shape, str(standard))  # refuses what SHACL-SPARQL forbids
    # a constraint may carry, beside the standard sh:select (which pySHACL runs once per
    # focus node, $this bound), an equivalent query written for one evaluation over the
    # whole graph: shp:wholeGraphSelect (docs/scale.md). Equality with pySHACL is tested
    # on every shape test, so the two forms cannot drift apart unnoticed.
    whole = g.value(node, WHOLE_GRAPH_SELECT)
    text = str(whole if whole is not None else standard)
    plan = "whole" if whole is not None else plan
    if path is not None:
        text = re.sub(r"\$PATH\b", path, text)
    prefixes = "\n".join(prefix_lines.get(o, "") for o in g.objects(node, SH.prefixes))
    messages = tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal)) or \
        tuple(m for m in g.objects(shape, SH.message) if isinstance(m, Literal))
    def mk(q: str, **kw: object) -> Check:
        return Check(shape, SH.SPARQLConstraintComponent, severity, messages, g.value(shape, SH.path),
                     f"{prefixes}\n{q}", constraint=node, value_is_focus=path is None, **kw)

    if plan == "per-focus":  # once per focus node, $this substituted (pre-binding)
        yield mk(text, per_focus=f"SELECT DISTINCT ?this WHERE {{ {focus} }}")
        return
    text = re.sub(r"\$this\b", "?this", text)
    pos = _where_brace(text)
    end = _group_end(text, pos) if pos >= 0 else -1
    if end < 0:
        raise UnsupportedShape(f"shape {shape}: cannot find the WHERE group of its sh:select")
    # at the end of the group (a BIND binds what precedes it; sparql_compile.focus_test)
    yield mk(text[:end] + f" {focus_filter} " + text[end:])
