"""Fixtures for the scale area: real SPARQL servers on 127.0.0.1 (Oxigraph server, Virtuoso).

Servers are started on a free loopback port and stopped by their process id at the end.
Virtuoso tests are marked ``virtuoso``; they run when ``virtuoso-t`` is installed, and fail
(not skip) when it is missing under CI=true, because CI installs it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 20.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answered (even 4xx means it is up)
        except OSError as e:
            last = e
            time.sleep(0.05)
    raise RuntimeError(f"server at {url} did not come up in {timeout} s: {last}")


@dataclass
class OxigraphServer:
    port: int
    location: Path
    proc: subprocess.Popen

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query(self) -> str:
        return f"{self.base}/query"

    @property
    def update(self) -> str:
        return f"{self.base}/update"

    @property
    def store(self) -> str:
        return f"{self.base}/store"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def start_oxigraph(location: Path, read_only: bool = False) -> OxigraphServer:
    exe = shutil.which("oxigraph")
    assert exe, "the `oxigraph` CLI (PyPI package oxigraph) is required: pip install oxigraph"
    port = free_port()
    cmd = [exe, "serve-read-only" if read_only else "serve", "--location", str(location),
           "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    srv = OxigraphServer(port, location, proc)
    try:
        wait_http(f"{srv.query}?query=ASK%7B%7D", proc=proc)
    except RuntimeError:
        srv.stop()
        raise
    return srv


@pytest.fixture()
def oxigraph_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A fresh, empty, read-write Oxigraph server on a free loopback port."""
    srv = start_oxigraph(tmp_path / "oxigraph")
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def oxigraph_server_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    srv = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    try:
        yield srv
    finally:
        srv.stop()


# ----------------------------------------------------------------------------- virtuoso


@dataclass
class VirtuosoServer:
    port: int
    sql_port: int
    directory: Path

    @property
    def sparql(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"


def virtuoso_available() -> bool:
    return shutil.which("virtuoso-t") is not None


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """Virtuoso started by scripts/virtuoso.sh in a throwaway directory (loopback ports)."""
    if not virtuoso_available():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("virtuoso-opensource is not installed but CI=true: run scripts/virtuoso.sh install")
        pytest.skip("virtuoso-opensource not installed (scripts/virtuoso.sh install); CI runs these")
    directory = tmp_path_factory.mktemp("virtuoso")
    port, sql_port = free_port(), free_port()
    script = ROOT / "scripts" / "virtuoso.sh"
    env = {**os.environ, "VIRTUOSO_DIR": str(directory), "VIRTUOSO_HTTP_PORT": str(port),
           "VIRTUOSO_SQL_PORT": str(sql_port)}
    subprocess.run(["bash", str(script), "start"], env=env, check=True, timeout=120)
    try:
        yield VirtuosoServer(port, sql_port, directory)
    finally:
        subprocess.run(["bash", str(script), "stop"], env=env, check=False, timeout=60)
