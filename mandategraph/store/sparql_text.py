"""SPARQL text: parameter binding by a ``VALUES`` block and the small lexer it needs (where the
WHERE group of a query opens and closes, skipping comments, strings and IRIs)."""

from __future__ import annotations

import re
from typing import Mapping

from rdflib.term import Node

from ..build.ntriples import nt_term


def inject_values(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """Bind parameters by a ``VALUES`` block at the start of the query's WHERE group.

    The values are RDF terms serialised by :func:`nt_term` (escaped), never raw user text.
    One mechanism for every backend (Oxigraph, rdflib, remote servers), so a named query
    means the same everywhere. Parameters must be used in the top-level group (SPARQL
    evaluates sub-selects bottom-up, so a VALUES outside does not reach into them).
    """
    if not bindings:
        return sparql
    pos = _where_brace(sparql)
    if pos < 0:
        raise ValueError("cannot bind parameters: the query has no WHERE group")
    names = " ".join(f"?{k}" for k in bindings)
    vals = " ".join(nt_term(v) for v in bindings.values())
    block = f" VALUES ({names}) {{ ({vals}) }} "
    return sparql[: pos + 1] + block + sparql[pos + 1:]


_IRI_REF = re.compile(r"<[^\s<>\"{}|^`]*>")


def _skip_lexeme(q: str, i: int) -> int:
    """If a comment, string or IRI starts at ``i``, the index just after it; else ``i``.
    The braces and keywords inside those are not SPARQL structure."""
    c, n = q[i], len(q)
    if c == "#":
        j = q.find("\n", i)
        return n if j < 0 else j
    if c in "\"'":
        end_tok = q[i:i + 3] if q[i:i + 3] in ('"""', "'''") else c
        j = i + len(end_tok)
        while j < n and not q.startswith(end_tok, j):
            j += 2 if q[j] == "\\" else 1
        return j + len(end_tok)
    if c == "<" and _IRI_REF.match(q, i):
        return q.index(">", i) + 1
    return i


def _where_brace(q: str) -> int:
    """Index of the '{' that opens the outermost WHERE group (-1 if none)."""
    i, n, depth, first_brace, saw_where = 0, len(q), 0, -1, False
    while i < n:
        j = _skip_lexeme(q, i)
        if j != i:
            i = j
            continue
        c = q[i]
        if depth == 0 and q[i:i + 5].upper() == "WHERE" and not q[i - 1:i].isalnum():
            saw_where = True
        if c == "{":
            if depth == 0:
                if saw_where:
                    return i
                if first_brace < 0:
                    first_brace = i
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    return first_brace


def _group_end(q: str, open_pos: int) -> int:
    """Index of the '}' closing the group opened at ``open_pos`` (-1 if none)."""
    i, n, depth = open_pos, len(q), 0
    while i < n:
        j = _skip_lexeme(q, i)
        if j != i:
            i = j
            continue
        if q[i] == "{":
            depth += 1
        elif q[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1
