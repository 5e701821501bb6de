"""Prototype for issue 15 item 6: the sandboxed query worker serves HTTP itself.

    python bench/proto_worker_http.py [--docs 20000] [--cell 3] [--procs 2] [--kinds lookup,lineage,big]

Each of ``--procs`` processes inherits one listening socket bound by the parent, drops its
network (``unshare(CLONE_NEWNET)``: the inherited socket keeps accepting, nothing else can
be reached), opens the store read-only and answers ``POST`` SPARQL queries itself (httptools
+ uvloop, ``LIMIT cap+1`` and pyoxigraph's Rust JSON writer as server._results does): no hop
to a second process. It has none of the server's other properties (no time limit, memory
cap, guard, negotiation, cancel, per-client limit); it measures what the request path
costs without the two-process hop, beside ``mandategraph serve`` and ``oxigraph
serve-read-only`` in the same run (interleaved), with each server's CPU per request.
Prints one JSON line per cell; writes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_endpoint import build_store, free_port, sample_symbols, start_ours, stop, wait_ready
from bench.endpoint_oxigraph import cell, start_oxigraph

CAP = 10_000


def serve_one(lsock: socket.socket, store_path: str) -> None:
    """One process: drop the network, then answer queries on the inherited socket."""
    ctypes.CDLL(None, use_errno=True).unshare(0x40000000)  # CLONE_NEWNET
    import httptools  # inside: the prototype's server only (not a dependency of the bench)
    import pyoxigraph as ox  # inside: after the sandbox, as server._worker
    import uvloop  # inside: as httptools

    store = ox.Store.read_only(store_path)
    json_fmt = ox.QueryResultsFormat.JSON

    def run(text: str) -> tuple[bytes, bytes]:
        try:
            try:
                res = store.query(f"{text}\nLIMIT {CAP + 1}\n", use_default_graph_as_union=True)
            except SyntaxError:
                res = store.query(text, use_default_graph_as_union=True)
            if isinstance(res, ox.QueryBoolean):
                return b"200 OK", b'{"head":{},"boolean":%s}' % (b"true" if res else b"false")
            return b"200 OK", res.serialize(format=json_fmt)
        except (SyntaxError, OSError, ValueError) as e:
            return b"400 Bad Request", str(e).encode()

    class Http(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.t = transport
            self.parser = httptools.HttpRequestParser(self)
            self.body: list[bytes] = []
            transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def data_received(self, data: bytes) -> None:
            self.parser.feed_data(data)

        def on_body(self, body: bytes) -> None:
            self.body.append(body)

        def on_message_complete(self) -> None:
            status, out = run(b"".join(self.body).decode("utf-8"))
            self.body = []
            self.t.write(b"HTTP/1.1 %s\r\ncontent-type: application/sparql-results+json\r\n"  # type: ignore[attr-defined]
                         b"content-length: %d\r\n\r\n%s" % (status, len(out), out))

    async def main() -> None:
        await asyncio.get_running_loop().create_server(Http, sock=lsock)
        await asyncio.Event().wait()

    uvloop.run(main())


def serve(port: int, procs: int, store_path: str) -> None:
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", port))
    lsock.listen(1024)
    lsock.setblocking(False)
    kids = []
    for _ in range(procs):
        pid = os.fork()
        if pid == 0:
            serve_one(lsock, store_path)
            os._exit(0)
        kids.append(pid)

    def bye(*_: object) -> None:
        for k in kids:
            os.kill(k, signal.SIGKILL)
        os._exit(0)

    signal.signal(signal.SIGTERM, bye)
    for k in kids:
        os.waitpid(k, 0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--cell", type=float, default=3.0)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--kinds", default="lookup,lineage,big")
    ap.add_argument("--serve", type=int, default=0, help=argparse.SUPPRESS)  # the child
    ap.add_argument("--store", default="", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.serve:
        serve(a.serve, a.procs, a.store)
        return 0
    _nq, store = build_store(a.docs)
    symbols = sample_symbols(store, n=5000)
    port = free_port()
    proto = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--procs", str(a.procs),
                              "--store", str(store)])
    servers = []
    try:
        wait_ready(f"http://127.0.0.1:{port}/sparql", proto, 60)
        servers.append(("worker-http prototype", f"http://127.0.0.1:{port}/sparql", proto))
        ours, ours_url = start_ours(store, a.procs, free_port())
        servers.append(("mandategraph", ours_url, ours))
        theirs, theirs_url = start_oxigraph(store, free_port())
        servers.append(("oxigraph", theirs_url, theirs))
        for kind in (k for k in a.kinds.split(",") if k):
            for name, url, proc in servers:
                c = cell(url, kind, symbols, a.clients, a.cell, seed=11, pid=proc.pid)
                c.update(server=name, load=round(os.getloadavg()[0], 2))
                print(json.dumps(c), flush=True)
    finally:
        for _name, _url, proc in servers or [("", "", proto)]:
            stop(proc)
        stop(proto)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
