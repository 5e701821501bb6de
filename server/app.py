"""The FastAPI application: ``create_app(settings)`` and ``run_server(...)``.

Routers: sparql (protocol + service description), linkeddata (dereferenceable IRIs),
dataset (VoID/DCAT), dumps, namedqueries, update (authenticated, off without a token), and
the browser pages of ``routers/pages.py`` when present (another module owns them; it plugs in
by defining ``router``). Linked-data HTML is delegated to ``server.views.render_resource``.

The store and the query worker pool are opened in the lifespan and reached through
``server.dependencies``, so tests build as many apps as they like. Not yet per app: the
browser's caches (``server.views``: whole pages, node rows, label facts) are module-level,
sized from the settings by ``create_app``; their keys carry the store's token and write
generation, so apps over different stores do not see each other's entries.
"""

from __future__ import annotations

import importlib
import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mandategraph import __version__
from mandategraph.store.interface import Store
from mandategraph.store.remote import RemoteError, RemoteStore

from .dependencies import close_state, is_remote, open_state
from .fastpath import SparqlFastPath
from .settings import Settings
from .views import configure as configure_views

log = logging.getLogger("mandategraph.server")
HERE = Path(__file__).resolve().parent

#: Routers of this package, in include order (linked data before pages: the IRIs are ours).
CORE_ROUTERS = ("sparql", "namedqueries", "dataset", "dumps", "update", "linkeddata", "ontology")


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` (413) before they are read into memory.

    A pure ASGI middleware (no BaseHTTPMiddleware overhead on the hot path): it checks
    Content-Length, and counts chunked bodies as they arrive.
    """

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
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    too_big = True
                if too_big:
                    await self._refuse(send)
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

    async def _refuse(self, send: Send) -> None:
        body = f"request body over the limit of {self.max_bytes:,} bytes\n".encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """Build the app. ``store``: an already-open (e.g. in-memory) store to serve instead of
    ``settings.store``; its workers get an N-Quads snapshot of it."""
    configure_views(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.mg = await open_state(settings, store)
        app.state.store = app.state.mg.store  # for the pages (server.views.env.store_of)
        log.info("query workers: %d, sandbox: %s", settings.workers,
                 ", ".join(sorted(app.state.mg.pool.stats.sandbox)))
        try:
            yield
        finally:
            await close_state(app.state.mg)

    app = FastAPI(
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
    for name in CORE_ROUTERS:
        module = importlib.import_module(f"{__package__}.routers.{name}")
        app.include_router(module.router)
    pages = _optional("routers.pages")
    if pages is not None and hasattr(pages, "router"):
        app.include_router(pages.router)
    static = HERE / "static"
    if static.is_dir() and any(static.iterdir()) and not any(
            getattr(r, "path", None) == "/static" for r in app.routes):
        from fastapi.staticfiles import StaticFiles  # noqa: PLC0415

        app.mount("/static", StaticFiles(directory=static), name="static")
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "Authorization"],
        expose_headers=["X-Result-Truncated", "X-Row-Cap", "Link", "ETag", "Last-Modified"],
        max_age=86400,
    )
    # Outermost of ours: answers plain SPARQL requests without the FastAPI layers.
    app.add_middleware(SparqlFastPath, max_body_bytes=settings.max_body_bytes)
    return app


def _offline_docs(app: FastAPI) -> None:
    """OpenAPI docs at /docs with Swagger UI's files served from the swagger-ui-bundle
    package, so the page works offline and the browser fetches nothing from the internet."""
    import swagger_ui_bundle  # noqa: PLC0415
    from fastapi.openapi.docs import get_swagger_ui_html  # noqa: PLC0415
    from fastapi.staticfiles import StaticFiles  # noqa: PLC0415

    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
              name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui():
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} - API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png")


def _optional(name: str):
    """Import a sibling module another engineer owns, if it exists yet."""
    try:
        return importlib.import_module(f"{__package__}.{name}")
    except ModuleNotFoundError as e:
        if e.name and e.name.endswith(name.split(".")[-1]):
            return None
        raise


def run_server(store: str | None = None, host: str = "127.0.0.1", port: int = 8000,
               config_file: str | None = None, **overrides: object) -> None:
    """Serve with uvicorn (httptools + uvloop when installed). Blocks until stopped."""
    import uvicorn  # noqa: PLC0415

    settings = Settings.load(config_file, store=store, **overrides)
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
                log_level="info", timeout_graceful_shutdown=5)
