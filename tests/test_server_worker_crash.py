"""A worker that dies in the middle of a query is logged with its cause, its client gets a
clear error, and the pool replaces it (issue 15)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from fixtures_server import sample_store

HEAVY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?x ?y ?z }"


async def crash_one(folder: Path) -> tuple[str, int, str]:
    from mandategraph.server.dependencies import snapshot_source
    from mandategraph.server.workers import QueryFailed, QueryJob, WorkerPool

    pool = WorkerPool(snapshot_source(sample_store(), folder), size=1, sandbox=True)
    await pool.start()
    try:
        job = QueryJob(text=HEAVY, kind="select", fmt="json", cap=10)
        task = asyncio.ensure_future(pool.run(job, timeout=20))
        await asyncio.sleep(0.5)
        os.kill(pool.pids()[0], signal.SIGSEGV)  # as a crash in native code would
        try:
            await task
            message, status = "answered", 200
        except QueryFailed as e:
            message, status = e.message, e.status
        for _ in range(100):  # the replacement starts
            if pool.pids():
                break
            await asyncio.sleep(0.1)
        ok = await pool.run(QueryJob(text="ASK {}", kind="ask", fmt="json", cap=1), timeout=20)
        return message, status, ok.body.decode()
    finally:
        await pool.stop()


@pytest.mark.server
def test_a_crashing_worker_is_logged_with_its_cause(caplog):
    caplog.set_level(logging.ERROR, logger="mandategraph.server.workers")
    with tempfile.TemporaryDirectory() as d, ThreadPoolExecutor(1) as ex:
        message, status, after = ex.submit(asyncio.run, crash_one(Path(d))).result(timeout=120)
    assert status == 500 and "SIGSEGV" in message, message
    assert any("SIGSEGV" in r.getMessage() and "died" in r.getMessage() for r in caplog.records), \
        [r.getMessage() for r in caplog.records]
    assert '"boolean":true' in after
