"""The query guard: decides, before any engine sees a query, whether /sparql may run it.

Why a tokenizer and not rdflib's parser: rdflib's ``parseQuery`` costs 1-5 ms a query, more
than the whole budget of a symbol lookup at 2,000 requests/s. This scanner costs tens of
microseconds and errs on the side of refusal: strings, IRIs and comments are recognised
exactly as in the SPARQL 1.1 grammar (section 19.8: IRIREF, STRING_LITERAL*, PN_LOCAL_ESC),
everything else is a token that is checked, so text it cannot classify is looked at, never
skipped. SPARQL's ``\\uXXXX`` escapes are decoded first (section 19.2), as the engine does.

What it refuses (measurements.md, "Endpoint security"):
- updates (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD, WITH, USING): read-only;
- SERVICE unless its IRI is on the allowlist (pyoxigraph would fetch it, from Rust);
- FROM / FROM NAMED with an IRI outside this dataset's base;
- any ``file:`` IRI.

The engine still parses the query afterwards and answers 400 with its message when it is
malformed. As a second line, query workers run without a network (server._worker).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<str>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
          | '''(?:[^'\\]|\\.|'(?!''))*'''
          | "(?:[^"\\\n\r]|\\.)*"
          | '(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<pname>(?:[^\W\d_][\w.\-\u00b7\u0300-\u036f\u203f-\u2040]*)?:
              (?:[\w.:%\-\u00b7\u0300-\u036f\u203f-\u2040]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<bnode>_:(?:[\w.\-\u00b7\u0300-\u036f\u203f-\u2040])*)
  | (?P<word>[^\W\d][\w\-]*)
  | (?P<other>.)
    """,
    re.X | re.S,
)
_UESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE",
                          "ADD", "WITH", "USING"})
FORMS = {"SELECT": "select", "CONSTRUCT": "construct", "ASK": "ask", "DESCRIBE": "describe"}


class GuardError(Exception):
    """A query /sparql will not run. ``status``: 400 (not a query) or 403 (refused by policy)."""

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


def _unescape(text: str) -> str:
    if "\\u" not in text and "\\U" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        try:
            return chr(code)
        except ValueError:
            raise GuardError(400, f"malformed query: bad escape {m.group(0)}") from None

    return _UESCAPE.sub(repl, text)


def check_query(text: str, *, max_length: int, local_base: str,
                service_allowed: Callable[[str], bool] = lambda iri: False) -> CheckedQuery:
    """Scan ``text``; return what it is, or raise GuardError saying why it is refused."""
    if len(text) > max_length:
        raise GuardError(413, f"the query is {len(text):,} characters long; the limit is {max_length:,}")
    if not text.strip():
        raise GuardError(400, "empty query")
    scan = _unescape(text)
    prefixes: dict[str, str] = {}
    base = ""
    kind = ""
    from_graphs: list[str] = []
    from_named: list[str] = []
    services: list[str] = []
    toks = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(scan)
            if m.lastgroup not in ("ws", "comment")]
    n = len(toks)

    def iri_value(i: int) -> str | None:
        """The absolute IRI written at token i (IRIREF or prefixed name), if resolvable."""
        if i >= n:
            return None
        t, v = toks[i]
        if t == "iri":
            raw = v[1:-1]
            return raw if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", raw) else base + raw
        if t == "pname":
            p, _, local = v.partition(":")
            if p in prefixes:
                return prefixes[p] + re.sub(r"\\(.)", r"\1", local)
            return None
        return None

    for i, (t, v) in enumerate(toks):
        if t == "iri" and v[1:].lower().startswith("file:"):
            raise GuardError(403, f"file: IRIs are not allowed in queries ({v})")
        if t != "word":
            continue
        w = v.upper()
        if w == "PREFIX" and i + 2 < n and toks[i + 1][0] == "pname":
            target = iri_value(i + 2) or ""
            prefixes[toks[i + 1][1].rstrip(":").partition(":")[0]] = target
        elif w == "BASE":
            base = iri_value(i + 1) or ""
        elif w in FORMS and not kind:
            kind = FORMS[w]
        elif w in UPDATE_WORDS:
            raise GuardError(400, f"this endpoint is read-only: SPARQL Update ({w}) is not accepted "
                                  "at /sparql")
        elif w == "SERVICE":
            j = i + 1
            if j < n and toks[j][0] == "word" and toks[j][1].upper() == "SILENT":
                j += 1
            target = iri_value(j)
            if target is None:
                raise GuardError(403, "SERVICE with a variable or unknown IRI is not allowed")
            if not service_allowed(target):
                raise GuardError(403, f"SERVICE <{target}> is not allowed: federated queries are "
                                      "off unless the IRI is on the server's service_allowlist")
            services.append(target)
        elif w == "FROM":
            j = i + 1
            named = j < n and toks[j][0] == "word" and toks[j][1].upper() == "NAMED"
            if named:
                j += 1
            target = iri_value(j)
            if target is None or not target.startswith(local_base):
                raise GuardError(403, f"FROM {'NAMED ' if named else ''}{toks[j][1] if j < n else ''}: "
                                      f"only graphs of this dataset (under {local_base}) can be named")
            (from_named if named else from_graphs).append(target)
    for iri in prefixes.values():
        if iri.lower().startswith("file:"):
            raise GuardError(403, "file: IRIs are not allowed in queries")
    if base.lower().startswith("file:"):
        raise GuardError(403, "file: IRIs are not allowed in queries")
    if not kind:
        raise GuardError(400, "malformed query: expected SELECT, CONSTRUCT, ASK or DESCRIBE")
    return CheckedQuery(text, kind, tuple(from_graphs), tuple(from_named), tuple(services))


def check_graph_iris(iris: list[str], local_base: str) -> None:
    """Protocol parameters default-graph-uri / named-graph-uri: local graphs only."""
    for iri in iris:
        if not iri.startswith(local_base):
            raise GuardError(403, f"graph <{iri}> is not part of this dataset (expected an IRI "
                                  f"under {local_base})")


def check_update(text: str, *, max_length: int) -> None:
    """The authenticated update route still takes no outside sources: no LOAD, no SERVICE, no
    ``file:`` IRIs (a request never makes the server fetch anything)."""
    if len(text) > max_length:
        raise GuardError(413, f"the update is {len(text):,} characters long; the limit is {max_length:,}")
    scan = _unescape(text)
    for m in _TOKEN.finditer(scan):
        kind, v = m.lastgroup, m.group()
        if kind == "iri" and v[1:].lower().startswith("file:"):
            raise GuardError(403, f"file: IRIs are not allowed ({v})")
        if kind == "word" and v.upper() in ("LOAD", "SERVICE"):
            raise GuardError(403, f"{v.upper()} is not allowed: the server never fetches data on a "
                                  "request's behalf; send the data to /ingest instead")
