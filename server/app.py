"""The FastAPI application: ``create_app(settings)`` and ``run_server(...)``.

Routers, each made by its factory over the app's state (``sparql_router(state)``, ...):
sparql (protocol + service description), namedqueries, dataset (VoID/DCAT), dumps, update
(authenticated, off without a token), linkeddata (dereferenceable IRIs; their HTML is
``server.views.render_resource``) and the browser pages (``routers/pages.py``).

The state (``server.dependencies.ServerState``: the store, the query worker pool and the
browser's caches) is opened in the lifespan, one per app, and handed to the routers; nothing
lives in module globals, so one process can serve many apps over many stores (tests do).
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

import swagger_ui_bundle
import uvicorn
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mandategraph import __version__
from mandategraph.store.interface import Store
from mandategraph.store.remote import RemoteError, RemoteStore

from .dependencies import ServerState, close_state, is_remote, open_state
from .fastpath import SparqlFastPath
from .prime import prime
from .http_protocol import IdleClosingProtocol
from .routers.dataset import dataset_router
from .routers.dumps import dumps_router
from .routers.linkeddata import linkeddata_router
from .routers.namedqueries import namedqueries_router
from .routers.ontology import ontology_router
from .routers.pages import pages_router
from .routers.sparql import sparql_router
from .routers.update import update_router
from .settings import Settings

log = logging.getLogger("mandategraph.server")
HERE = Path(__file__).resolve().parent

#: The routers' factories, in include order (linked data before pages: the IRIs are ours).
ROUTERS = (sparql_router, namedqueries_router, dataset_router, dumps_router, update_router,
           linkeddata_router, ontology_router, pages_router)


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` (413) before they are read into memory.

    A pure ASGI middleware (no BaseHTTPMiddleware overhead on the hot path): it checks
    Content-Length, and counts chunked bodies as they arrive.
    """

    #: An oversize body declared by Content-Length up to this size is read and dropped before
    #: the 413, so the client reads the answer and its connection stays usable (keep-alive);
    #: a larger one gets the 413 at once and the connection is closed.
    DRAIN_MAX = 64 << 20

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > self.max_bytes:
                    keep = 0 <= declared <= self.DRAIN_MAX and await self._drain(receive)
                    await self._refuse(send, close=not keep)
                    return
                break
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge()
            return msg

        async def tracking_send(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    @staticmethod
    async def _drain(receive: Receive) -> bool:
        """Read the body and drop it; False when the client went away meanwhile."""
        while True:
            msg = await receive()
            if msg["type"] != "http.request":
                return False
            if not msg.get("more_body", False):
                return True

    async def _refuse(self, send: Send, close: bool = True) -> None:
        body = f"request body over the limit of {self.max_bytes:,} bytes\n".encode()
        headers = [(b"content-type", b"text/plain; charset=utf-8"),
                   (b"content-length", str(len(body)).encode())]
        if close:
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class HeadAsGet:
    """HEAD on every GET route (RFC 9110 9.3.2): the request is run as GET and the body is
    dropped, headers (Content-Length included) kept."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headless(msg: Message) -> None:
            if msg["type"] == "http.response.body":
                msg = {**msg, "body": b""}
            await send(msg)

        await self.app({**scope, "method": "GET"}, receive, headless)


class App(FastAPI):
    """The FastAPI app with the SPARQL fast path (server.fastpath) in front of all of its
    layers (FastAPI's error, telemetry and body-limit middleware included), so a plain
    query costs the event loop nothing of them; every other request goes on as before."""

    def __init__(self, *args: object, max_body_bytes: int, **kw: object):
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self._fast = SparqlFastPath(super().__call__, max_body_bytes,
                                    state_of=lambda scope: self.state.mg)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._fast(scope, receive, send)


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """Build the app. ``store``: an already-open (e.g. in-memory) store to serve instead of
    ``settings.store``; its workers get an N-Quads snapshot of it.

    The state (server.dependencies.ServerState: store, workers, caches) is opened once per
    app by the lifespan, inside the running event loop the workers need, and every router
    is made by its factory over it (``dataset_router(state)`` ...)."""

    def state(request: Request) -> ServerState:
        return app.state.mg

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.mg = await open_state(settings, store)
        # The pages' store: every page query a job in the workers (server.querypath).
        app.state.store = app.state.mg.query_store
        log.info("query workers: %d, sandbox: %s", settings.workers,
                 ", ".join(sorted(app.state.mg.pool.stats.sandbox)))
        if settings.prime:  # serve --prime (the default there): see server/prime.py
            log.info("primed: %s", await prime(app, app.state.mg))
        try:
            yield
        finally:
            await close_state(app.state.mg)

    app = App(
        max_body_bytes=settings.max_body_bytes,
        title="mandategraph",
        version=__version__,
        description=("SPARQL 1.1 endpoint, linked data, dumps and named queries over a knowledge "
                     "graph of United Nations documents. See docs/server.md."),
        lifespan=lifespan,
        docs_url=None,  # served below from a local copy of Swagger UI: no CDN, no network
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    _offline_docs(app)
    for factory in ROUTERS:
        app.include_router(factory(state))
    static = HERE / "static"
    if static.is_dir() and any(static.iterdir()) and not any(
            getattr(r, "path", None) == "/static" for r in app.routes):
        app.mount("/static", StaticFiles(directory=static), name="static")
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["*"],  # any header a client asks for (x-requested-with, cache-control ...)
        expose_headers=["X-Result-Truncated", "X-Row-Cap", "Link", "ETag", "Last-Modified"],
        max_age=86400,
    )
    app.add_middleware(HeadAsGet)
    return app


def _offline_docs(app: FastAPI) -> None:
    """OpenAPI docs at /docs with Swagger UI's files served from the swagger-ui-bundle
    package, so the page works offline and the browser fetches nothing from the internet."""
    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
              name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui():
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} - API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png")


def serve_settings(config_file: str | None = None, **overrides: object) -> Settings:
    """The settings of ``mandategraph serve``: as :meth:`Settings.load`, except that priming is
    on unless the flag (``--no-prime``), the settings file (``prime = false``) or the environment
    (``MANDATEGRAPH_SERVER_PRIME``) says otherwise (apps made in code do not prime)."""
    settings = Settings.load(config_file, **overrides)
    if overrides.get("prime") is None and "prime" not in settings.model_fields_set:
        settings = settings.with_(prime=True)
    return settings


def run_server(store: str | None = None, host: str = "127.0.0.1", port: int = 8000,
               config_file: str | None = None, **overrides: object) -> None:
    """Serve with uvicorn (httptools + uvloop when installed). Blocks until stopped."""
    settings = serve_settings(config_file, store=store, **overrides)
    if is_remote(settings.store):
        try:
            RemoteStore.from_url(settings.store, retries=1).ping()
        except RemoteError as e:
            raise SystemExit(f"error: remote store {settings.store}: {e}") from None
    elif settings.store and not (Path(settings.store) / "CURRENT").exists():
        raise SystemExit(f"error: no store at {settings.store}; build one first "
                         "(mandategraph build --store DIR data/)")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    uvicorn.run(create_app(settings), host=host, port=port, access_log=False,
                log_level="info", timeout_graceful_shutdown=5, http=IdleClosingProtocol,
                timeout_keep_alive=max(1, int(settings.idle_timeout_s)))
