"""The mandate-lineage browser's page contexts (frozen dataclasses built from named queries)
and the entry point Server I's linked-data router calls for HTML requests on minted IRIs.

``render_resource(request, iri)`` returns the HTML page of any node in the graph, or None
when the graph says nothing about ``iri`` (the caller then answers 404).
"""

from __future__ import annotations

from typing import Any

from rdflib import URIRef
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, Response

from .env import PageEnv
from .nodes import load_node
from .pages import build_page
from .render import render

__all__ = ["render_resource", "render_resource_sync", "html_response", "PageEnv"]


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

    A coroutine: the page is built in a worker thread (many small bounded store lookups), so
    the event loop keeps serving other requests meanwhile.
    """
    return await run_in_threadpool(render_resource_sync, request, iri)


def render_resource_sync(request: Any, iri: str) -> Response | None:
    penv = PageEnv.from_request(request)
    info = load_node(penv, URIRef(iri))
    if not info.exists:
        return None
    page, template = build_page(penv, info)
    alternates = tuple((penv.href(iri, sfx), mt) for sfx, mt in (
        (".ttl", "text/turtle"), (".jsonld", "application/ld+json"),
        (".nt", "application/n-triples"), (".rdf", "application/rdf+xml"))) if penv.is_local(iri) else ()
    return html_response(request, penv, template, page=page, alternates=alternates)
