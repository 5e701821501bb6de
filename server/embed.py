"""Serving mandategraph's query operation inside another ASGI app.

    from contextlib import asynccontextmanager
    from fastapi import FastAPI
    from mandategraph.server.embed import serving
    from mandategraph.server.routers.sparql import sparql_router
    from mandategraph.server.settings import Settings

    holder = {}

    @asynccontextmanager
    async def lifespan(app):
        async with serving(Settings(store="path/to/store")) as state:
            holder["state"] = state
            yield

    app = FastAPI(lifespan=lifespan)
    app.include_router(sparql_router(lambda request: holder["state"]), prefix="/kg")

The state object (server.dependencies.ServerState) is explicit: the store, the worker pool,
the settings, the browser's caches and the per-client bookkeeping live on it, nothing in
module globals, so two apps (or two mounts) can serve two stores side by side. Every router
of server/routers is such a factory (``dataset_router(state)``, ``pages_router(state)`` ...).
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from mandategraph.store.interface import Store

from .dependencies import ServerState, close_state, open_state
from .settings import Settings


@asynccontextmanager
async def serving(settings: Settings, store: Store | None = None) -> AsyncIterator[ServerState]:
    """Open the store and start the query workers for the block; stop them after."""
    state = await open_state(settings, store)
    try:
        yield state
    finally:
        await close_state(state)
