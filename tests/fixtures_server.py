"""Fixtures for the server area (Server I): an app over the hand-written sample, a live
uvicorn on a free 127.0.0.1 port, and a loopback listener that records connections.

Servers are started here and stopped by their process id; nothing talks to any address other
than 127.0.0.1.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "server-sample.trig"
BASE = "https://w3id.org/mandategraph"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample_store():
    """An in-memory Oxigraph store holding tests/fixtures/server-sample.trig."""
    import pyoxigraph as ox

    from mandategraph.store.factory import open_store

    st = open_store(None)
    st.ox.load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    return st


@pytest.fixture(scope="session")
def server_sample_size() -> int:
    return len(sample_store().ox)


def make_client(**settings_kw):
    from fastapi.testclient import TestClient

    from mandategraph.server.app import create_app
    from mandategraph.server.settings import Settings

    # public_url: absolute IRIs come from the configuration, never from the Host header
    kw = {"timeout_s": 2.0, "row_cap": 50, "workers": 2, "public_url": "http://testserver"}
    kw.update(settings_kw)
    return TestClient(create_app(Settings(**kw), sample_store()))


@pytest.fixture(scope="session")
def client() -> Iterator:
    """TestClient over the sample (read-only, 2 workers, timeout 2 s, row cap 50)."""
    with make_client() as c:
        yield c


@pytest.fixture()
def writable_client() -> Iterator:
    """A fresh app with updates on (token 's3cret')."""
    with make_client(update_token="s3cret") as c:
        yield c


@dataclass
class Listener:
    """A TCP listener on 127.0.0.1 that records every connection (and what it received)."""

    port: int
    connections: list[bytes] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"


@pytest.fixture()
def listener() -> Iterator[Listener]:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.2)
    rec = Listener(sock.getsockname()[1])
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except (socket.timeout, OSError):
                continue
            conn.settimeout(0.5)
            try:
                rec.connections.append(conn.recv(65536))
            except OSError:
                rec.connections.append(b"")
            finally:
                conn.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield rec
    stop.set()
    t.join(2)
    sock.close()


@dataclass
class LiveServer:
    url: str
    pid: int
    store: Path


def _build_disk_store(path: Path) -> None:
    """Load the sample into an on-disk store in a child process (so no handle stays open here)."""
    code = ("import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
            "s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.TRIG); s.flush(); s.optimize()")
    subprocess.run([sys.executable, "-c", code, str(path), str(SAMPLE)], check=True, timeout=60)


@pytest.fixture(scope="session")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("server-store") / "store"
    _build_disk_store(path)
    return path


def start_serve(store: str, config: str, cfg_dir: Path, wait_s: float = 40) -> tuple[subprocess.Popen, str]:
    """Start ``mandategraph serve`` on a free 127.0.0.1 port with a TOML config; wait until
    /sparql answers. Returns the process and its base URL (stop it with :func:`stop_serve`)."""
    port = _free_port()
    cfg = cfg_dir / "server.toml"
    cfg.write_text(config, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "mandategraph", "serve", "--store", store,
                             "--host", "127.0.0.1", "--port", str(port), "--config", str(cfg)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait_s
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/sparql?query=ASK%7B%7D", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            pass
        if time.monotonic() > deadline:
            os.kill(proc.pid, signal.SIGKILL)
            raise RuntimeError(f"server did not answer within {wait_s:.0f} s")
        time.sleep(0.1)


def stop_serve(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(5)


@pytest.fixture(scope="session")
def live_server(disk_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``mandategraph serve`` (uvicorn) on a free 127.0.0.1 port over an on-disk copy of the sample."""
    config = ("[server]\ntimeout_s = 2.0\nrow_cap = 50\nworkers = 2\n"
              f"dumps_dir = \"{tmp_path_factory.mktemp('dumps')}\"\n")
    proc, url = start_serve(str(disk_store), config, tmp_path_factory.mktemp("server-cfg"), wait_s=30)
    yield LiveServer(url, proc.pid, disk_store)
    stop_serve(proc)
