"""SPARQL Update in the query workers' sandbox (issue 15: updates ran in the web process,
so a LOAD or SERVICE that got past a guard reached the network from there).

A write already runs while every query worker is stopped (routers/update._write). Here the
web process also lets go of the store: an on-disk store is closed, a one-off sandboxed
process (server._worker.update_main: no network, memory cap) opens it read-write, applies the
update and flushes; then the web process opens it again (the same OxigraphStore object, so
every reference stays valid). An in-memory store goes through an N-Quads file the same way.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import signal
import tempfile
from pathlib import Path

import pyoxigraph as ox

from mandategraph.store.oxigraph_store import OxigraphStore

from ._worker import update_main
from .guard import GuardError


def apply_update(store: OxigraphStore, text: str, base_iri: str | None, *, sandbox: bool = True,
                 timeout: float = 60.0, memory_mb: int = 0) -> None:
    """Apply ``text`` to ``store`` in a sandboxed child (blocking: call it from a thread).
    SyntaxError for a malformed update, GuardError(503/500) when the child fails or overruns."""
    ctx = mp.get_context("spawn")
    tmp = None
    if store.path is not None:
        path, snapshot = str(store.path.resolve()), None
        store.close()  # the child needs the write lock
    else:
        tmp = tempfile.NamedTemporaryFile(prefix="mandategraph-update-", suffix=".nq", delete=False)
        tmp.close()
        store.ox.dump(tmp.name, format=ox.RdfFormat.N_QUADS)
        path, snapshot = None, tmp.name
    status, info = "error", "the update process did not answer"
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=update_main, name="mandategraph-update",
                       args=(child, path, snapshot, text, base_iri, sandbox, memory_mb), daemon=True)
    try:
        proc.start()
        child.close()
        if not parent.poll(timeout):
            raise GuardError(503, f"the update ran over the {timeout:g} s limit and was stopped; "
                                  "nothing was written")
        status, info = pickle.loads(parent.recv_bytes())
    except EOFError:
        raise GuardError(500, f"the update process died (exit code {proc.exitcode})") from None
    finally:
        if proc.is_alive():
            os.kill(proc.pid, signal.SIGKILL)
        proc.join(5)
        parent.close()
        if path is not None:
            store.ox = ox.Store(path)  # open again, whatever happened
        elif status == "ok":  # the child's snapshot is the new data
            store.ox.clear()
            store.ox.bulk_load(path=snapshot, format=ox.RdfFormat.N_QUADS)
        if tmp is not None:
            Path(tmp.name).unlink(missing_ok=True)
    if status == "syntax":
        raise SyntaxError(info)
    if status == "memory":
        raise GuardError(503, info)
    if status != "ok":
        raise GuardError(500, f"the update failed: {info}")
