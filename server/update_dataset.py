"""SPARQL 1.1 Protocol section 2.2.3: ``using-graph-uri`` / ``using-named-graph-uri`` on an
update request are equivalent to USING / USING NAMED clauses in each of its DELETE/INSERT
operations; an update that has its own USING or WITH and such parameters is refused (400).

pyoxigraph's ``Store.update`` takes no dataset, so the clauses are written into the text:
before the WHERE of each operation (a WHERE at brace depth 0 right after a template's ``}``;
``DELETE WHERE`` takes no USING). The graphs are written by ``bound_term`` (parsed IRIs), and
the result is read again by the reference parser: every DELETE/INSERT operation must now
carry exactly the requested clauses, else the request is refused rather than run differently.
"""

from __future__ import annotations

from mandategraph.store.sparql_text import ReadError, bound_term, parse_iri, parse_update_tree, skip_lexeme

from .guard import GuardError


def _modify_ops(text: str) -> list:
    try:
        return [op for op in parse_update_tree(text) if getattr(op, "name", "") == "Modify"]
    except ReadError as e:
        raise GuardError(400, f"malformed update: {e}") from None


def _where_positions(text: str) -> list[int]:
    """Indexes of the WHERE keywords that follow a template group at depth 0."""
    out, i, n, depth, last = [], 0, len(text), 0, ""
    while i < n:
        j = skip_lexeme(text, i)
        if j != i:
            i, last = j, "x"
            continue
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                last = "}"
                i += 1
                continue
        elif depth == 0 and text[i:i + 5].upper() == "WHERE" and not text[i - 1:i].isalnum() \
                and not text[i + 5:i + 6].isalnum():
            if last == "}":
                out.append(i)
            last = "w"
            i += 5
            continue
        if not c.isspace():
            last = c
        i += 1
    return out


def apply_using(text: str, using: list[str], using_named: list[str]) -> str:
    """The update with the protocol's dataset written in; GuardError(400) on a conflict."""
    if not using and not using_named:
        return text
    graphs = [bound_term(parse_iri(g, "using-graph-uri")) for g in using]
    named = [bound_term(parse_iri(g, "using-named-graph-uri")) for g in using_named]
    ops = _modify_ops(text)
    for op in ops:
        if "using" in op or "withClause" in op:
            raise GuardError(400, "the update has its own USING or WITH and the request names "
                                  "using-graph-uri / using-named-graph-uri: a dataset conflict")
    clause = " ".join([f"USING {g}" for g in graphs] + [f"USING NAMED {g}" for g in named]) + " "
    positions = _where_positions(text)
    if len(positions) != len(ops):
        raise GuardError(400, "cannot apply using-graph-uri to this update (its operations could "
                              "not be located)")
    for pos in reversed(positions):
        text = text[:pos] + clause + text[pos:]
    after = _modify_ops(text)
    want = len(graphs) + len(named)
    if len(after) != len(ops) or any(len(op.get("using") or []) != want for op in after):
        raise GuardError(400, "cannot apply using-graph-uri to this update")
    return text
