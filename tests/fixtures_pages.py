"""Fixtures of the browser pages (issue 4): a small hand-written store and a page app over it,
and, for end-to-end tests, the real seed + PDF corpus built into a store once per session."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from rdflib import Dataset, URIRef

from mandategraph.store.factory import open_store

SAMPLE = Path(__file__).parent / "fixtures" / "pages-sample.trig"
SAMPLE_BASE = "https://w3id.org/mandategraph"


def load_trig(path: Path, backend: str = "oxigraph"):
    store = open_store(None, backend=backend)
    ds = Dataset()
    ds.parse(path, format="trig")
    for g in ds.graphs():
        if isinstance(g.identifier, URIRef) and len(g) and str(g.identifier) != "urn:x-rdflib:default":
            store.replace_graph(str(g.identifier), list(g))
    return store


def page_app(store, base: str = SAMPLE_BASE):
    """The browser routes alone over a store (no SPARQL workers): for page-context tests."""
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from mandategraph.server.routers.pages import pages_router, resource_router

    app = FastAPI()
    app.state.store = store
    app.state.settings = SimpleNamespace(base_iri=base)
    app.include_router(pages_router())
    app.include_router(resource_router())
    static = Path(__file__).resolve().parent.parent / "server" / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    return app


@pytest.fixture(scope="session")
def pages_store():
    return load_trig(SAMPLE)


@pytest.fixture(scope="session")
def pages_client(pages_store):
    from fastapi.testclient import TestClient

    with TestClient(page_app(pages_store)) as client:
        yield client


# ------------------------------------------------------------------------------ live servers
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "artifacts"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving an app on 127.0.0.1 in a thread of the test process."""

    def __init__(self, app) -> None:
        import threading

        import uvicorn

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True, name="pages-uvicorn")

    def __enter__(self) -> "LiveServer":
        import time

        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start on {self.url}")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. Install it "
                    "with the project's install step (`make deps` / `.ci/run`, i.e. "
                    "`apt-get install chromium`); never `playwright install`.", pytrace=False)
    return CHROMIUM


@pytest.fixture(scope="session")
def pages_browser(chromium_path: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def pages_sample_site(pages_store):
    """The browser routes over the hand-written sample, live on 127.0.0.1."""
    with LiveServer(page_app(pages_store)) as live:
        yield live


@pytest.fixture(scope="session")
def pages_artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save a PNG under tests/artifacts/ and check it is a real, non-empty picture."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    data = page.screenshot(path=str(path), full_page=full_page)
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    assert len(data) > 5_000, f"{path}: screenshot suspiciously small ({len(data)} bytes)"
    return path


@pytest.fixture(scope="session")
def pages_real_store(seed_path: Path, corpus_dir: Path):
    """The seed and the 140-PDF corpus built by the real pipeline into an in-memory store."""
    from mandategraph.pipeline.batch import build_paths

    store = open_store(None)
    report = build_paths([seed_path.parent, corpus_dir], store)
    assert len(report.built) >= 141, report.summary()
    return store


@pytest.fixture(scope="session")
def pages_real_site(pages_real_store):
    """The browser routes over the real data, live on 127.0.0.1 (the full app's own HTML path,
    linked data -> render_resource, is tested in test_pages.py with create_app)."""
    with LiveServer(page_app(pages_real_store)) as live:
        yield live
