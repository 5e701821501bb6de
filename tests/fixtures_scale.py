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
import sys
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
    beside = Path(sys.executable).with_name("oxigraph")  # the test venv's own copy first
    exe = str(beside) if beside.is_file() else shutil.which("oxigraph")
    assert exe, "the `oxigraph` CLI (PyPI package oxigraph) is required: pip install oxigraph"
    if read_only and not location.exists():  # serve-read-only needs an existing store
        import pyoxigraph

        st = pyoxigraph.Store(str(location))
        st.flush()
        del st
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
           "VIRTUOSO_SQL_PORT": str(sql_port), "PYTHON": sys.executable}
    subprocess.run(["bash", str(script), "start"], env=env, check=True, timeout=120)
    try:
        yield VirtuosoServer(port, sql_port, directory)
    finally:
        subprocess.run(["bash", str(script), "stop"], env=env, check=False, timeout=60)


# ----------------------------------------------------------------------------- named queries


def query_kind(text: str) -> str:
    """SELECT / ASK / CONSTRUCT / DESCRIBE of a query text (the one SPARQL text layer's reading)."""
    from mandategraph.store.sparql_text import query_form

    return query_form(text)


def _norm_term(t):
    from decimal import Decimal, InvalidOperation

    from rdflib import BNode, Literal

    if t is None:
        return None
    if isinstance(t, BNode):
        return "_:b"
    if isinstance(t, Literal) and t.datatype is not None and str(t.datatype).endswith(
            ("#integer", "#int", "#long", "#decimal", "#double", "#float", "#short", "#nonNegativeInteger")):
        try:
            return ("num", str(Decimal(str(t)).normalize()))
        except InvalidOperation:
            return ("num", str(t))
    if isinstance(t, Literal) and str(t) == "" and not t.language and t.datatype is None:
        return None  # GROUP_CONCAT over nothing: "" (SPARQL 1.1, Virtuoso) or unbound (Oxigraph)
    if isinstance(t, Literal):
        return ("lit", str(t), t.language, str(t.datatype) if t.datatype else None)
    return ("iri", str(t))


def normalised_answer(store, text: str, bindings=None):
    """A named query's answer in a form comparable across engines (multiset of rows)."""
    kind = query_kind(text)
    if kind == "ASK":
        return store.ask(text, bindings)
    if kind in ("CONSTRUCT", "DESCRIBE"):
        return sorted(repr(tuple(_norm_term(x) for x in t)) for t in store.construct(text, bindings))
    res = store.select(text, bindings)
    return sorted(repr(tuple(_norm_term(x) for x in row)) for row in res.rows)


def sample_bindings(store, query) -> list[dict]:
    """Parameter values to try a named query with, taken from the data in ``store``.

    ``?iri`` parameters get one node of each main class; ``?symbol`` a document symbol,
    ``?number`` an instrument number, ``?text`` and ``?prefix`` short strings.
    """
    from mandategraph.query import QueryError

    un = "https://w3id.org/mandategraph/ontology#"
    if not query.params:
        return [{}]
    pick: dict[str, list[str]] = {}
    for cls in ("Document", "Resolution", "Decision", "Body", "Session", "Mandate", "AgendaItem"):
        rows = store.select(f"SELECT ?x WHERE {{ ?x a <{un}{cls}> }} ORDER BY ?x LIMIT 1").rows
        pick.setdefault("iri", []).extend(str(r[0]) for r in rows)
    syms = store.select(f"SELECT ?s WHERE {{ ?d a <{un}Document> ; <{un}symbol> ?s }} ORDER BY ?s LIMIT 1").rows
    nums = store.select(f"SELECT ?n WHERE {{ ?i a <{un}Instrument> ; <{un}number> ?n }} ORDER BY ?n LIMIT 1").rows
    pick["symbol"] = [str(r[0]) for r in syms]
    pick["number"] = [str(r[0]) for r in nums]
    pick["text"] = ["report", "commission"]
    pick["prefix"] = ["E/CN.7/", "A/"]
    out: list[dict] = []
    width = max(len(pick.get(p, ["x"])) for p in query.params)
    for k in range(width):
        raw = {p: pick.get(p, ["x"])[k % max(1, len(pick.get(p, ["x"])))] for p in query.params}
        try:
            out.append(query.bindings(raw))
        except QueryError:
            continue
    return out
