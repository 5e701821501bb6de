"""The query guard: decides whether /sparql may run a query, on a real parser's reading.

Two steps, so that the guard can never read a text differently from the engine:

1. :func:`screen_query` (microseconds, in the web process): a SPARQL keyword is a run of
   ASCII letters, so a text in which the letters ``service`` and ``from`` appear nowhere (in
   any case, compatibility form or ``\\u`` escape; :func:`mandategraph.store.sparql_text.folded`)
   has no SERVICE and no dataset clause under *any* reading, and may run as it is: the engine
   then decides alone what it means (a query endpoint cannot run updates at all).
2. Otherwise :func:`check_query` reads the text with rdflib's SPARQL 1.1 parser and algebra
   (prefixes and BASE resolved) and refuses what that reading contains. It runs in the query
   worker (sandboxed, under the time and memory limits): a text the parser cannot read is
   refused, never guessed at.

What it refuses (docs/server.md, "Endpoint security"): SERVICE unless its IRI is on the
allowlist (403); FROM / FROM NAMED outside this dataset's base (403); any ``file:`` IRI (403);
updates (400: this endpoint is read-only). As a second line, workers have no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from mandategraph.store.sparql_text import ReadError, folded, keywords_present, read_query, read_update

from .limits import TooDeep, check_text_depth

#: Words whose absence proves a query needs no parser check (see the module docstring).
WATCHED = ("service", "from", "file:")
#: Update verbs: only to answer "read-only" instead of "malformed" (the engine would refuse).
_UPDATE_HINT = re.compile(r"\b(insert|delete|load|clear|create|drop|copy|move|add|with)\b")
#: Watched words for updates: LOAD and SERVICE make the server fetch; file: reads files.
WATCHED_UPDATE = ("load", "service", "file:")


class GuardError(Exception):
    """A query /sparql will not run. ``status``: 400 (not a query), 403 (refused by policy),
    413 (too long)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    kind: str  # select | construct | ask | describe
    from_graphs: tuple[str, ...]
    from_named: tuple[str, ...]
    services: tuple[str, ...]


def on_allowlist(allowlist: tuple[str, ...], iri: str) -> bool:
    """An IRI is on the allowlist exactly, or under an entry ending in '/' or '#'."""
    for allowed in allowlist:
        if iri == allowed or (allowed.endswith(("/", "#")) and iri.startswith(allowed)):
            return True
    return False


def _bounds(text: str, max_length: int, what: str = "query") -> None:
    if len(text) > max_length:
        raise GuardError(413, f"the {what} is {len(text):,} characters long; the limit is {max_length:,}")
    if not text.strip():
        raise GuardError(400, f"empty {what}")
    try:
        check_text_depth(text, what=what)
    except TooDeep as e:
        raise GuardError(400, str(e)) from None


def screen_query(text: str, *, max_length: int) -> bool:
    """Length and emptiness checks; True when the text must pass :func:`check_query` (it
    holds a watched word). An update verb alone needs no check: the query engine cannot run
    an update (it refuses it as malformed), and :func:`update_hint` then only words the 400
    as "read-only" (the worker runs the parser for that message, after the engine refused).
    Why not check those too: symbols such as ``.../Add.1`` made every such lookup pay the
    reference parser (~1 ms) for a message (py-spy on the bench, issue 15)."""
    _bounds(text, max_length)
    return bool(keywords_present(text, WATCHED))


def update_hint(text: str) -> bool:
    """The text holds an update verb: a syntax error from the engine may be an update."""
    return bool(_UPDATE_HINT.search(folded(text)))


def check_query(text: str, *, max_length: int, local_base: str,
                service_allowed: Callable[[str], bool] = lambda iri: False) -> CheckedQuery:
    """Read ``text`` with the reference parser; return what it is, or raise GuardError."""
    _bounds(text, max_length)
    try:
        reading = read_query(text)
    except ReadError as e:
        try:
            read_update(text)
        except ReadError:
            if keywords_present(text, ("service",)):  # it may call out: refused, not guessed at
                raise GuardError(403, f"a query that mentions SERVICE must parse to be checked; "
                                      f"it does not: {e}") from None
            raise GuardError(400, f"malformed query: {e}") from None
        raise GuardError(400, "this endpoint is read-only: SPARQL Update is not accepted "
                              "at /sparql") from None
    for iri in reading.iris:
        if iri.lower().startswith("file:"):
            raise GuardError(403, f"file: IRIs are not allowed in queries (<{iri}>)")
    for target in reading.services:
        if target.startswith("?"):
            raise GuardError(403, f"SERVICE {target} (a variable endpoint) is not allowed")
        if not service_allowed(target):
            raise GuardError(403, f"SERVICE <{target}> is not allowed: federated queries are "
                                  "off unless the IRI is on the server's service_allowlist")
    for named, graphs in ((False, reading.from_graphs), (True, reading.from_named)):
        for g in graphs:
            if not g.startswith(local_base):
                raise GuardError(403, f"FROM {'NAMED ' if named else ''}<{g}>: only graphs of "
                                      f"this dataset (under {local_base}) can be named")
    if not reading.kind:
        raise GuardError(400, "malformed query: expected SELECT, CONSTRUCT, ASK or DESCRIBE")
    return CheckedQuery(text, reading.kind, reading.from_graphs, reading.from_named,
                        reading.services)


def check_graph_iris(iris: list[str], local_base: str) -> None:
    """Protocol parameters default-graph-uri / named-graph-uri: local graphs only."""
    for iri in iris:
        if not iri.startswith(local_base):
            raise GuardError(403, f"graph <{iri}> is not part of this dataset (expected an IRI "
                                  f"under {local_base})")


def check_update(text: str, *, max_length: int) -> None:
    """The authenticated update route takes no outside sources: no LOAD, no SERVICE, no
    ``file:`` IRIs (a request never makes the server fetch anything), on the parser's reading."""
    _bounds(text, max_length, "update")
    if not keywords_present(text, WATCHED_UPDATE):
        return
    try:
        reading = read_update(text)
    except ReadError as e:
        raise GuardError(400, f"malformed update (or one this server cannot check): {e}") from None
    if reading.loads:
        raise GuardError(403, "LOAD is not allowed: the server never fetches data on a request's "
                              "behalf; send the data to /ingest instead")
    if reading.services:
        raise GuardError(403, "SERVICE is not allowed in updates: the server never fetches data "
                              "on a request's behalf")
    for iri in reading.iris:
        if iri.lower().startswith("file:"):
            raise GuardError(403, f"file: IRIs are not allowed (<{iri}>)")
