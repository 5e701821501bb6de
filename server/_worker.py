"""Code that runs inside a query worker process (see :mod:`server.workers`).

Kept apart and import-light on purpose: the worker first drops its network (a new, empty
network namespace, where the kernel allows it) and only then imports pyoxigraph and opens the
store. pyoxigraph's SERVICE client is in Rust, out of reach of Python audit hooks, so the parse
guard (server.guard) is the first line and this sandbox the second.

Protocol over the pipe (pickled tuples, trusted both ways: the parent made them):
request ``("query", QueryJob)``; reply one frame (multiprocessing's framing: a 4-byte length)
holding a 4-byte length, the pickled ``(status, meta)`` (status 200 or an HTTP error code,
``meta`` a dict: kind, truncated, rows, error) and then the answer's bytes as they are, written
with one scatter ``sendmsg`` (the body is never pickled or copied; :func:`send_reply`).
"""

from __future__ import annotations

import csv
import ctypes
import io
import json
import os
import pickle
import socket
import struct
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice
from typing import Any, Iterable
from xml.sax.saxutils import escape, quoteattr

from ._results import limited_text, results_format, rust_solutions

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


@dataclass(frozen=True)
class GuardSpec:
    """What the guard (server.guard.check_query) needs, for a check run inside the worker."""

    max_length: int
    local_base: str
    service_allowlist: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryJob:
    """One query for a worker. ``guard``: set when the text must still pass the parser check
    of server.guard (it contains a watched word); the check then runs here, in the sandbox,
    under the job's time and memory limits. ``kind`` "" = the engine's result decides: ``fmt``
    serves solutions and booleans, ``graph_fmt`` triples (None = 406 with ``not_acceptable``)."""

    text: str
    kind: str  # select | ask | construct | describe | "" (decided by the result)
    fmt: str | None  # json | xml | csv | tsv | turtle | ntriples | jsonld | rdfxml | trig | nquads
    cap: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    union_default: bool = True
    graph_fmt: str | None = None
    not_acceptable: str = ""
    guard: GuardSpec | None = None
    base_iri: str | None = None  # relative IRIs resolve against the endpoint's IRI
    #: For a text from the web that needed no check: when the engine finds it malformed and it
    #: holds an update verb, the parser check words the 400 ("read-only"; guard.update_hint).
    explain: GuardSpec | None = None


def drop_network() -> str:
    """Move this process into a new network namespace with no interfaces up.

    Returns "netns" on success, else the reason it could not (the guard still applies).
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(CLONE_NEWNET) == 0:
            return "netns"
        if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
            return "userns+netns"
        return "unavailable: " + os.strerror(ctypes.get_errno())
    except (OSError, AttributeError) as e:  # pragma: no cover - non-Linux
        return f"unavailable: {e}"


def limit_memory(mb: int) -> str:
    """Cap this process's data segment (heap and anonymous mappings) at ``mb`` MiB: an
    allocation over it fails (Rust aborts, Python raises MemoryError) and the parent answers
    503 and starts a fresh worker. 0 = no cap."""
    if not mb:
        return ""
    try:
        import resource  # noqa: PLC0415 - POSIX only

        limit = mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
        return f", memory cap {mb} MiB"
    except (ImportError, ValueError, OSError) as e:  # pragma: no cover - non-Linux
        return f", memory cap unavailable: {e}"


def worker_main(conn: Any, store_path: str | None, snapshot: str | None, sandbox: bool,
                remote: str | None = None, memory_mb: int = 0) -> None:
    """Entry point of a worker process: open the store, then answer jobs until told to stop.

    ``remote``: a ``sparql+http(s)://`` URL; the worker then forwards each job to that server.
    It needs the network for that (a new namespace has its own, empty loopback), so the sandbox
    is off; the parse guard has already refused SERVICE, LOAD and foreign FROM in the parent.
    """
    net = "off (remote store)" if remote else drop_network() if sandbox else "off"
    import pyoxigraph as ox  # noqa: PLC0415 - after the sandbox on purpose

    try:
        if remote:
            # Only a remote store's worker loads the HTTP client (~130 ms of imports, measured
            # with -X importtime on a shared machine); a local one stays import-light.
            from mandategraph.store.remote import RemoteStore  # noqa: PLC0415

            # no retries: a failing query must fail within the job's time budget
            store = RemoteStore.from_url(remote, retries=0)
        elif store_path:
            store = ox.Store.read_only(store_path)
        else:
            store = ox.Store()
            if snapshot:
                store.bulk_load(path=snapshot, format=ox.RdfFormat.N_QUADS)
    except Exception as e:  # noqa: BLE001 - reported to the parent, which fails clearly
        conn.send_bytes(pickle.dumps(("error", f"cannot open the store: {e}")))
        return
    net += limit_memory(memory_mb)
    conn.send_bytes(pickle.dumps(("ready", net)))
    out = socket.socket(fileno=os.dup(conn.fileno()))  # replies: scatter writes (send_reply)
    while True:
        try:
            raw = conn.recv_bytes()
        except (EOFError, OSError):
            return
        msg = pickle.loads(raw)
        if msg is None:
            return
        op, job = msg
        try:
            refused, job = guard_check(job)
            if refused is not None:
                reply = refused
            else:
                reply = run_remote_job(ox, store, job) if remote else run_job(ox, store, job)
        except SyntaxError as e:
            reply = explain_syntax_error(job, e)
        except MemoryError:
            reply = (503, {"error": f"the query went over the worker memory limit ({memory_mb} MiB) "
                                    "and was stopped", "replace": True}, b"")
        except Exception as e:  # noqa: BLE001 - any engine error becomes a 500 for this query only
            reply = (500, {"error": f"query failed: {type(e).__name__}: {e}"}, b"")
        try:
            send_reply(out, reply)
        except MemoryError:
            send_reply(out, (503, {"error": "the answer went over the worker memory limit",
                                   "replace": True}, b""))
        if reply[1].get("replace"):
            return  # the parent starts a fresh worker


_LEN = struct.Struct("!i")


def reply_frame(reply: tuple[int, dict, bytes]) -> list[bytes]:
    """A job's reply as the parts of one frame (see the module docstring)."""
    status, meta, body = reply
    head = pickle.dumps((status, meta), protocol=pickle.HIGHEST_PROTOCOL)
    size = _LEN.size + len(head) + len(body)
    prefix = _LEN.pack(size) if size <= 0x7FFFFFFF else _LEN.pack(-1) + struct.pack("!Q", size)
    return [prefix, _LEN.pack(len(head)), head, body]


def read_reply(raw: bytes) -> tuple[int, dict, memoryview]:
    """The parent's side of :func:`reply_frame` (a frame's payload): status, meta, body."""
    view = memoryview(raw)
    (n,) = _LEN.unpack_from(view)
    status, meta = pickle.loads(view[_LEN.size:_LEN.size + n])
    return status, meta, view[_LEN.size + n:]


def send_reply(sock: socket.socket, reply: tuple[int, dict, bytes]) -> None:
    """Write a reply with one ``sendmsg`` of its parts (a blocking socket: the rest, if the
    kernel took only part, follows with ``sendall``)."""
    parts = reply_frame(reply)
    sent = sock.sendmsg(parts)
    for part in parts:  # the rest without a joined copy (no allocation once a frame has begun)
        if sent >= len(part):
            sent -= len(part)
            continue
        sock.sendall(memoryview(part)[sent:])
        sent = 0


def update_main(conn: Any, store_path: str | None, snapshot: str | None, text: str,
                base_iri: str | None, sandbox: bool, memory_mb: int = 0) -> None:
    """A one-off process that applies one SPARQL Update, in the same sandbox as the query
    workers (no network: a LOAD or SERVICE that got past the guard cannot reach anything),
    then flushes (a store directory) or writes the snapshot back (an in-memory store)."""
    net = drop_network() if sandbox else "off"
    limit_memory(memory_mb)
    import pyoxigraph as ox  # noqa: PLC0415 - after the sandbox on purpose

    try:
        if store_path:
            store = ox.Store(store_path)
        else:
            store = ox.Store()
            store.bulk_load(path=snapshot, format=ox.RdfFormat.N_QUADS)
        store.update(text, base_iri=base_iri) if base_iri else store.update(text)
        if store_path:
            store.flush()
        else:
            store.dump(snapshot, format=ox.RdfFormat.N_QUADS)
        reply = ("ok", net)
    except SyntaxError as e:
        reply = ("syntax", str(e))
    except MemoryError:
        reply = ("memory", f"the update went over the memory limit ({memory_mb} MiB)")
    except Exception as e:  # noqa: BLE001 - reported to the parent, which answers for it
        reply = ("error", f"{type(e).__name__}: {e}")
    conn.send_bytes(pickle.dumps(reply))


def guard_check(job: QueryJob) -> tuple[tuple[int, dict, bytes] | None, QueryJob]:
    """The parser check of server.guard, here in the sandbox: (refusal or None, the job)."""
    if job.guard is None:
        return None, job
    from .guard import GuardError, check_query, on_allowlist  # noqa: PLC0415 - rdflib loads on first use

    g = job.guard
    try:
        checked = check_query(job.text, max_length=g.max_length, local_base=g.local_base,
                              service_allowed=lambda iri: on_allowlist(g.service_allowlist, iri))
    except GuardError as e:
        return (e.status, {"error": e.message}, b""), job
    if checked.from_graphs or checked.from_named:
        job = replace(job, union_default=False)  # the engine builds the dataset from them
    return None, job


def explain_syntax_error(job: QueryJob, e: SyntaxError) -> tuple[int, dict, bytes]:
    """The engine's 400; for a text with an update verb, the parser check's words instead
    (an update sent to the query endpoint: "read-only")."""
    if job.explain is not None and job.guard is None:
        from .guard import update_hint  # noqa: PLC0415 - rdflib loads on first use, as guard_check

        if update_hint(job.text):
            refused, _ = guard_check(replace(job, guard=job.explain))
            if refused is not None:
                return refused
    return 400, {"error": f"malformed query: {e}"}, b""


def run_job(ox: Any, store: Any, job: QueryJob) -> tuple[int, dict, bytes]:
    kwargs: dict[str, Any] = {"base_iri": job.base_iri} if job.base_iri else {}
    if job.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    else:
        kwargs["use_default_graph_as_union"] = job.union_default
    if job.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    fast = _rust_path(ox, store, job, kwargs)
    if fast is not None:
        return fast
    return answer(ox, store.query(job.text, **kwargs), job)


def _rust_path(ox: Any, store: Any, job: QueryJob, kwargs: dict) -> tuple[int, dict, bytes] | None:
    """Solutions and booleans with ``LIMIT cap+1``, written by pyoxigraph (server._results);
    None leaves the job to the capped Python path: a text that does not parse with the
    LIMIT, a graph result (its cap counts triples) or an answer over the cap."""
    if job.kind not in ("", "select", "ask") or results_format(ox, job.fmt) is None:
        return None
    try:
        res = store.query(limited_text(job.text, job.cap), **kwargs)
    except SyntaxError:
        return None  # its own LIMIT, a trailing VALUES ...: the original text decides
    if isinstance(res, ox.QuerySolutions):
        return rust_solutions(ox, res, job.fmt, job.cap)  # type: ignore[arg-type]
    if isinstance(res, ox.QueryBoolean):
        return answer(ox, res, job)
    return None


def run_remote_job(ox: Any, store: Any, job: QueryJob) -> tuple[int, dict, bytes]:
    """Forward a job to the remote SPARQL server, then cap and serialise like the local path.

    Results come back as SPARQL JSON (SELECT/ASK) or N-Triples (CONSTRUCT/DESCRIBE) and are
    parsed by Oxigraph, so the row cap, the truncation signal and every output format are the
    same as for a local store.
    """
    from mandategraph.store.remote import RemoteError  # noqa: PLC0415 - remote workers only, as above

    if job.kind:
        graph = job.kind in ("construct", "describe")
    else:  # the remote answers in a type per form: learn the form from the reference parser
        from mandategraph.store.sparql_text import ReadError, read_query  # noqa: PLC0415 - rdflib on first use

        try:
            graph = read_query(job.text).kind in ("construct", "describe")
        except ReadError as e:
            return 400, {"error": f"malformed query: {e}"}, b""
    accept = ("application/n-triples, text/turtle;q=0.9" if graph
              else "application/sparql-results+json")
    try:
        body, ctype = store.passthrough(job.text, accept, default_graphs=job.default_graphs,
                                        named_graphs=job.named_graphs,
                                        union_default=job.union_default)
    except RemoteError as e:
        status = 400 if e.status == 400 else 502
        return status, {"error": f"remote store: {e}"}, b""
    media = (ctype or "").split(";")[0].strip().lower()
    if graph:
        fmt = ox.RdfFormat.from_media_type(media) if media else ox.RdfFormat.N_TRIPLES
        if fmt is None:
            return 502, {"error": f"remote store answered an unexpected type {ctype!r}"}, b""
        res: Any = (ox.Triple(t.subject, t.predicate, t.object) if isinstance(t, ox.Quad) else t
                    for t in ox.parse(body, format=fmt))
    else:
        res = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return answer(ox, res, job)


def answer(ox: Any, res: Any, job: QueryJob) -> tuple[int, dict, bytes]:
    """Cap and serialise a result (boolean, solutions or triples) in the job's format; with
    ``job.kind`` "", the engine's result type picks between ``fmt`` and ``graph_fmt``."""
    graph = not isinstance(res, (ox.QueryBoolean, ox.QuerySolutions))
    fmt = (job.graph_fmt if graph else job.fmt) if not job.kind else job.fmt
    if fmt is None:
        return 406, {"error": job.not_acceptable or "no acceptable format"}, b""
    if isinstance(res, ox.QueryBoolean):
        return 200, {"kind": "ask", "truncated": False, "rows": 1, "fmt": fmt}, boolean_bytes(bool(res), fmt)
    if isinstance(res, ox.QuerySolutions):
        variables = [v.value for v in res.variables]
        rows = list(islice(res, job.cap + 1))
        truncated = len(rows) > job.cap
        rows = rows[: job.cap]
        body = solutions_bytes(ox, variables, rows, fmt, truncated)
        return 200, {"kind": "select", "truncated": truncated, "rows": len(rows), "fmt": fmt}, body
    triples = list(islice(res, job.cap + 1))
    truncated = len(triples) > job.cap
    triples = triples[: job.cap]
    body = ox.serialize(triples, format=RDF_FORMATS(ox)[fmt], prefixes=_prefixes())
    return 200, {"kind": "graph", "truncated": truncated, "rows": len(triples), "fmt": fmt}, body or b""


def RDF_FORMATS(ox: Any) -> dict[str, Any]:
    # the one format table imports pyoxigraph: only after the sandbox (module docstring)
    from mandategraph.core.formats import FORMATS  # noqa: PLC0415 - see above

    return FORMATS


@lru_cache(maxsize=1)
def _prefixes() -> dict[str, str]:
    """The prefixes graph answers are written with (read once per worker process)."""
    from mandategraph.core.namespaces import PREFIXES  # noqa: PLC0415 - after the sandbox, like pyoxigraph

    return {k: str(v) for k, v in PREFIXES.items()}


# --------------------------------------------------------------------------- result writers
# pyoxigraph serializes a whole QuerySolutions only; the row cap needs a prefix of it, so the
# four SPARQL results formats are written here (they are small and specified exactly).

try:  # orjson is ~7x faster than json for a results document; the output is the same JSON
    from orjson import dumps as _dumps
except ImportError:  # pragma: no cover - orjson is a declared dependency
    def _dumps(doc: Any) -> bytes:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _json_term(ox: Any, t: Any) -> dict[str, str]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != _XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    return {"type": "triple", "value": str(t)}  # RDF-star terms: rare; shown as text


def _nt(ox: Any, t: Any) -> str:
    return str(t)  # Oxigraph's N-Triples form: a plain string without ^^xsd:string, tabs escaped


def _plain(ox: Any, t: Any) -> str:
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    return t.value if hasattr(t, "value") else str(t)


def solutions_bytes(ox: Any, variables: list[str], rows: Iterable[Any], fmt: str,
                    truncated: bool) -> bytes:
    if fmt == "json":
        bindings = []
        for sol in rows:
            b = {}
            for v in variables:
                t = sol[v]
                if t is not None:
                    b[v] = _json_term(ox, t)
            bindings.append(b)
        doc: dict[str, Any] = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        if truncated:
            # An extra member, ignored by standard clients, visible to people and scripts.
            doc["truncated"] = True
        return _dumps(doc)
    if fmt == "xml":
        out = io.StringIO()
        out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>')
        for v in variables:
            out.write(f"<variable name={quoteattr(v)}/>")
        if truncated:
            out.write('<link href="urn:mandategraph:truncated"/>')
        out.write("</head>\n<results>\n")
        for sol in rows:
            out.write("<result>")
            for v in variables:
                t = sol[v]
                if t is None:
                    continue
                out.write(f"<binding name={quoteattr(v)}>")
                if isinstance(t, ox.NamedNode):
                    out.write(f"<uri>{escape(t.value)}</uri>")
                elif isinstance(t, ox.BlankNode):
                    out.write(f"<bnode>{escape(t.value)}</bnode>")
                elif isinstance(t, ox.Literal):
                    attr = ""
                    if t.language:
                        attr = f" xml:lang={quoteattr(t.language)}"
                    elif t.datatype.value != _XSD_STRING:
                        attr = f" datatype={quoteattr(t.datatype.value)}"
                    out.write(f"<literal{attr}>{escape(t.value)}</literal>")
                else:
                    out.write(f"<literal>{escape(str(t))}</literal>")
                out.write("</binding>")
            out.write("</result>\n")
        out.write("</results>\n</sparql>\n")
        return out.getvalue().encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for sol in rows:
            w.writerow(["" if sol[v] is None else _plain(ox, sol[v]) for v in variables])
        return buf.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        for sol in rows:
            lines.append("\t".join("" if sol[v] is None else _nt(ox, sol[v]) for v in variables))
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown results format {fmt!r}")


def boolean_bytes(value: bool, fmt: str) -> bytes:
    text = "true" if value else "false"
    if fmt == "json":
        return ('{"head":{},"boolean":%s}' % text).encode()
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{text}</boolean></sparql>\n").encode()
    return (text + "\n").encode()
