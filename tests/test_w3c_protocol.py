"""The W3C SPARQL 1.1 Protocol (34 tests) and Service Description (3 tests) suites against
``mandategraph serve`` in a test configuration (base IRI of the suite's data, updates on with
a token), and against ``oxigraph serve`` (PyPI ``oxigraph``) in the same run.

Every test passes, or is listed in ``POLICY`` with the reason (a deliberate policy of this
server); and this server passes at least as many as Oxigraph's own server.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from fixtures_server import stop_serve
from w3c_protocol import Endpoint, run_all

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "w3c-token"
#: Tests this server fails on purpose, with the reason.
POLICY: dict[str, str] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, wait_s: float = 40) -> None:
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {wait_s:.0f} s")


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    d = tmp_path_factory.mktemp("w3c-ours")
    store = d / "store"
    subprocess.run([sys.executable, "-c", "import sys, pyoxigraph as ox; ox.Store(sys.argv[1]).flush()",
                    str(store)], check=True, timeout=60)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    (d / "server.toml").write_text(
        "[server]\nbase_iri = \"http://kasei.us/2009/09/sparql/data\"\n"
        f"public_url = \"{url}\"\nupdate_token = \"{TOKEN}\"\ntimeout_s = 10.0\nworkers = 2\n"
        f"dumps_dir = \"{d / 'dumps'}\"\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "mandategraph", "serve", "--store", str(store),
                             "--host", "127.0.0.1", "--port", str(port), "--config", str(d / "server.toml")],
                            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait(url + "/sparql", proc)
        yield Endpoint("mandategraph", url + "/sparql", url + "/update",
                       {"Authorization": f"Bearer {TOKEN}"})
    finally:
        stop_serve(proc)


@pytest.fixture(scope="module")
def oxigraph_server() -> Iterator[Endpoint]:
    exe = Path(sys.executable).with_name("oxigraph")
    if not exe.exists():
        pytest.fail("the oxigraph server (PyPI 'oxigraph', a test dependency) is not installed")
    port = _free_port()
    proc = subprocess.Popen([str(exe), "serve", "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url + "/query", proc)
        yield Endpoint("oxigraph", url + "/query", url + "/update")
    finally:
        stop_serve(proc)


@pytest.mark.server
def test_w3c_protocol_and_service_description(ours, oxigraph_server, tmp_path):
    mine = run_all(ours)
    theirs = run_all(oxigraph_server)
    report = {"mandategraph": {k: v for k, v in mine.items()},
              "oxigraph": {k: v for k, v in theirs.items()}}
    (tmp_path / "w3c-protocol.json").write_text(json.dumps(report, indent=1))
    failed = {k: v for k, v in mine.items() if v is not None and k not in POLICY}
    passed_ours = sum(v is None for v in mine.values())
    passed_oxi = sum(v is None for v in theirs.values())
    print(f"\nW3C protocol + service description: mandategraph {passed_ours}/{len(mine)}, "
          f"oxigraph {passed_oxi}/{len(theirs)}")
    for k, v in sorted(theirs.items()):
        if v is not None:
            print(f"  oxigraph fails {k}: {v}")
    assert failed == {}, json.dumps(failed, indent=1)
    assert passed_ours >= passed_oxi
