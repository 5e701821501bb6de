"""The mandate-lineage browser's page contexts (frozen dataclasses built from named queries)
and the entry point Server I's linked-data router calls for HTML requests on minted IRIs.

``render_resource(request, iri)`` returns the HTML page of any node in the graph, or None
when the graph says nothing about ``iri`` (the caller then answers 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable

from rdflib import URIRef
from starlette.responses import HTMLResponse, Response

from mandategraph.store.sparql_text import BindError

from ..guard import GuardError
from ..settings import Settings
from ..workers import QueryFailed, QueryTimeout
from . import env, nodes, shacl
from .cache import BoundedLRU
from .env import PageEnv, base_of, generation_of, store_of, store_token
from .lang import negotiate
from .nodes import load_node
from .pages import build_page
from .render import render

__all__ = ["render_resource", "render_resource_sync", "html_response", "PageEnv", "run_page",
           "page_cache"]


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    status_code: int
    headers: tuple[tuple[str, str], ...]

    def response(self) -> HTMLResponse:
        return HTMLResponse(self.body, status_code=self.status_code, headers=dict(self.headers))


_DEFAULTS = Settings()

#: Whole rendered pages of graph nodes, keyed on everything the HTML depends on: the store
#: and its write generation, the node, the user's languages, the app's root path, the URL's
#: path and query (the language switch links repeat them) and whether SHACL runs on pages.
#: Bounded by pages and by bytes (settings ``browser_page_cache``, ``..._bytes``; 0 pages
#: turns it off), so it fills while the server warms up and then holds steady.
page_cache: BoundedLRU[CachedPage] = BoundedLRU(
    _DEFAULTS.browser_page_cache, _DEFAULTS.browser_page_cache_bytes, weigh=lambda c: len(c.body) + 256)

#: Page builds run at once (threads of the main process; more only fight for the GIL and
#: each holds its own allocations). Others wait their turn in the event loop, at no cost.
BUILDERS = _DEFAULTS.browser_builders or 4


def configure(settings: Settings) -> None:
    """Size the browser's caches and page builders from the settings (create_app, at start-up)."""
    global BUILDERS
    page_cache.resize(settings.browser_page_cache, settings.browser_page_cache_bytes)
    nodes._NODES.resize(settings.browser_node_cache)
    env._LABEL_FACTS.resize(settings.browser_label_cache)
    BUILDERS = settings.browser_builders or 4


def page_key(request: Any, kind: str, *parts: Hashable) -> tuple:
    qlang = request.query_params.get("lang")
    prefs = negotiate(qlang, request.headers.get("accept-language"))
    query = tuple(sorted((k, v) for k, v in request.query_params.multi_items() if k != "lang"))
    return (kind, store_token(store_of(request)), generation_of(request), base_of(request),
            request.scope.get("root_path", "") or "", prefs, qlang is not None, request.url.path, query,
            shacl.enabled()) + parts


async def run_page(request: Any, fn: Callable[..., Any], *args: Any) -> Any:
    """Run a page builder in a worker thread, at most ``BUILDERS`` at once per app."""
    import anyio.to_thread  # noqa: PLC0415

    state = request.app.state
    limiter = getattr(state, "page_builders", None)
    if limiter is None:
        limiter = anyio.CapacityLimiter(BUILDERS)
        try:
            state.page_builders = limiter
        except AttributeError:  # a read-only state object (tests): one limiter per call
            pass
    try:
        return await anyio.to_thread.run_sync(lambda: fn(request, *args), limiter=limiter)
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
    hit = page_cache.get(page_key(request, "resource", iri))
    if hit is not None:
        return hit.response()
    return await run_page(request, render_resource_sync, iri)


def render_resource_sync(request: Any, iri: str) -> Response | None:
    key = page_key(request, "resource", iri)
    hit = page_cache.get(key)
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
    page_cache.put(key, CachedPage(bytes(response.body), response.status_code,
                                   tuple((k, v) for k, v in response.headers.items()
                                         if k not in ("content-length", "content-type"))))
    return response
