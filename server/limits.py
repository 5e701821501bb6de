"""Bounds on request input checked before any parser sees it (issue 15: a deep JSON-LD body
crashed the server in the parser, with a stack overflow).

The scans are single regex passes with no nested quantifiers (linear in the input): the
deepest nesting of brackets, in JSON with its strings skipped exactly, in Turtle-family RDF
and SPARQL over the whole text (a string holding hundreds of unbalanced brackets is refused
too: an over-count errs on the side of refusal, never of a crash).
"""

from __future__ import annotations

import re

#: Deepest nesting accepted in JSON-LD bodies (our own exports nest under 10 levels).
MAX_JSON_DEPTH = 64
#: Deepest nesting of ( [ { accepted in Turtle, TriG, N3 and SPARQL texts.
MAX_TEXT_DEPTH = 256

_JSON = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)
_TEXT = re.compile(r"[\[\](){}]")
_TEXT_B = re.compile(rb"[\[\](){}]")


class TooDeep(ValueError):
    """The input nests deeper than the limit; the message says how deep and the limit."""


def _deepest(tokens, opening: frozenset, limit: int, what: str) -> None:
    depth = 0
    for m in tokens:
        c = m.group()
        if len(c) != 1:
            continue  # a JSON string
        if c in opening:
            depth += 1
            if depth > limit:
                raise TooDeep(f"the {what} nests deeper than {limit} levels; refused before parsing")
        else:
            depth = max(0, depth - 1)


def check_json_depth(body: bytes, limit: int = MAX_JSON_DEPTH) -> None:
    _deepest(_JSON.finditer(body), frozenset((b"[", b"{")), limit, "JSON body")


def check_text_depth(data: bytes | str, limit: int = MAX_TEXT_DEPTH, what: str = "text") -> None:
    if isinstance(data, bytes):
        _deepest(_TEXT_B.finditer(data), frozenset((b"[", b"(", b"{")), limit, what)
    else:
        _deepest(_TEXT.finditer(data), frozenset("[({"), limit, what)
