"""SELECT answers serialised once, in Rust, inside the query worker (see server._worker).

Why: writing the rows in Python (a term object per binding, then orjson) cost ~30 us of a
~110 us symbol lookup and ~40 % of a 2,000-row answer (measured in-process on the bench
store: lookup 113 -> 84 us, 1,300 rows 11.0 -> 6.9 ms). pyoxigraph's own writers
(``QuerySolutions.serialize``) write JSON, XML, CSV and TSV, but only for a whole result,
and the row cap needs a prefix. So the worker asks the engine for one row more than the cap
(``LIMIT cap+1`` appended to the text: it binds to the outermost query only, as the text
ends there; a text that does not parse with it, e.g. one with its own LIMIT or a trailing
VALUES, takes the Python writers of server._worker), counts the rows in the bytes (exactly,
see :func:`count_rows`), and when there are more than the cap, leaves the answer to the
Python writers, which cut it and say so (``truncated``). The bytes go to the client as they
are: no row becomes a Python object on the common path.
"""

from __future__ import annotations

import csv
import io
from typing import Any

try:
    from orjson import loads as _loads
except ImportError:  # pragma: no cover - orjson is a declared dependency
    from json import loads as _loads


def limited_text(text: str, cap: int) -> str:
    """The query text asking for at most ``cap + 1`` solutions (a newline ends a trailing
    comment first)."""
    return f"{text}\nLIMIT {cap + 1}\n"


def results_format(ox: Any, fmt: str | None) -> Any:
    return {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
            "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}.get(fmt or "")


def count_rows(body: bytes, fmt: str) -> int:
    """The number of solutions in a results document written by pyoxigraph, exactly.

    - XML: ``<result>`` elements (a ``<`` in text is written ``&lt;``).
    - TSV: lines after the header (terms are written in N-Triples form: newlines escaped).
    - JSON: rows start with ``[{"`` or ``,{"``; a ``"`` inside a string is always written
      ``\\"``, so neither sequence occurs inside a value. Rows with no binding (``{}``)
      can, so a body containing ``{}`` anywhere is parsed instead.
    - CSV: lines after the header when no value is quoted, else parsed (a quoted value may
      hold a newline).
    """
    if fmt == "xml":
        return body.count(b"<result>")
    if fmt == "tsv":
        return body.count(b"\n") - 1
    if fmt == "json":
        if b"{}" in body:
            return len(_loads(body)["results"]["bindings"])
        return body.count(b',{"') + body.count(b'[{"')
    if fmt == "csv":
        if b'"' not in body:
            return body.count(b"\n") - 1
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))) - 1
    raise ValueError(f"unknown results format {fmt!r}")


def rust_solutions(ox: Any, res: Any, fmt: str, cap: int) -> tuple[int, dict, bytes] | None:
    """The worker's reply for solutions written by pyoxigraph, or None when there are more
    than ``cap`` rows (the caller then cuts them with the Python writers)."""
    body = res.serialize(format=results_format(ox, fmt))
    rows = count_rows(body, fmt)
    if rows > cap:
        return None
    return 200, {"kind": "select", "truncated": False, "rows": rows, "fmt": fmt, "writer": "rust"}, body
