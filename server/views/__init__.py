"""The mandate-lineage browser's page contexts (frozen dataclasses built from named queries)
and the entry point Server I's linked-data router calls for HTML requests on minted IRIs.

The caches (whole pages, node rows, label facts, SHACL results) belong to the app's state
(``ServerState.caches``, a :class:`server.caches.PageCaches`), reached through
``caches_of(request)`` and ``PageEnv.caches``; nothing is cached in module globals.

``render_resource(request, iri)`` returns the HTML page of any node in the graph, or None
when the graph says nothing about ``iri`` (the caller then answers 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable

import anyio.to_thread
from rdflib import URIRef
from starlette.responses import HTMLResponse, Response

from mandategraph.store.sparql_text import BindError

from ..guard import GuardError
from ..workers import QueryFailed, QueryTimeout
from . import shacl
from .env import PageEnv, base_of, caches_of, generation_of
from .lang import negotiate
from .nodes import load_node
from .pages import build_page
from .render import render

__all__ = ["render_resource", "render_resource_sync", "html_response", "PageEnv", "run_page",
           "caches_of", "page_key"]


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    status_code: int
    headers: tuple[tuple[str, str], ...]

    def response(self) -> HTMLResponse:
        return HTMLResponse(self.body, status_code=self.status_code, headers=dict(self.headers))


def page_key(request: Any, kind: str, *parts: Hashable) -> tuple:
    qlang = request.query_params.get("lang")
    prefs = negotiate(qlang, request.headers.get("accept-language"))
    query = tuple(sorted((k, v) for k, v in request.query_params.multi_items() if k != "lang"))
    return (kind, generation_of(request), base_of(request),
            request.scope.get("root_path", "") or "", prefs, qlang is not None, request.url.path, query,
            shacl.enabled()) + parts


async def run_page(request: Any, fn: Callable[..., Any], *args: Any) -> Any:
    """Run a page builder in a worker thread, at most ``browser_builders`` at once per app."""
    caches = caches_of(request)
    limiter = caches.page_limiter()

    def build() -> Any:
        try:
            return fn(request, *args)
        finally:
            caches.built()

    try:
        return await anyio.to_thread.run_sync(build, limiter=limiter)
    except query_errors() as e:  # a page query refused, stopped or failed in the workers
        status = getattr(e, "status", 503 if type(e).__name__ == "QueryTimeout" else 400)
        return Response(f"{getattr(e, 'message', None) or e}\n", status_code=status,
                        media_type="text/plain; charset=utf-8")


def query_errors() -> tuple[type[BaseException], ...]:
    """What the one query path raises (server.workers, server.guard, sparql_text)."""
    return (QueryTimeout, QueryFailed, GuardError, BindError)


def html_response(request: Any, penv: PageEnv, template: str, status_code: int = 200,
                  alternates: tuple[tuple[str, str], ...] = (), **context: Any) -> HTMLResponse:
    """Render a page with the headers every page carries (language, Vary, alternates)."""
    body = render(template, penv, request, **context)
    headers = {"Content-Language": penv.ui, "Vary": "Accept, Accept-Language"}
    if alternates:
        headers["Link"] = ", ".join(f'<{href}>; rel="alternate"; type="{mt}"' for href, mt in alternates)
    return HTMLResponse(body, status_code=status_code, headers=headers)


async def render_resource(request: Any, iri: str) -> Response | None:
    """HTML page for a node of the graph (document, instrument, session, body or any other).

    A coroutine: a page already in the page cache is answered at once; otherwise it is built
    in a worker thread (many small bounded store lookups), so the event loop keeps serving
    other requests meanwhile.
    """
    hit = caches_of(request).pages.get(page_key(request, "resource", iri))
    if hit is not None:
        return hit.response()
    return await run_page(request, render_resource_sync, iri)


def render_resource_sync(request: Any, iri: str) -> Response | None:
    key = page_key(request, "resource", iri)
    pages = caches_of(request).pages
    hit = pages.get(key)
    if hit is not None:
        return hit.response()
    penv = PageEnv.from_request(request)
    info = load_node(penv, URIRef(iri))
    if not info.exists:
        return None
    page, template = build_page(penv, info)
    alternates = tuple((penv.href(iri, sfx), mt) for sfx, mt in (
        (".ttl", "text/turtle"), (".jsonld", "application/ld+json"),
        (".nt", "application/n-triples"), (".rdf", "application/rdf+xml"))) if penv.is_local(iri) else ()
    response = html_response(request, penv, template, page=page, alternates=alternates)
    pages.put(key, CachedPage(bytes(response.body), response.status_code,
                                   tuple((k, v) for k, v in response.headers.items()
                                         if k not in ("content-length", "content-type"))))
    return response
