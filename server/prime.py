"""Priming: what ``mandategraph serve`` does after the workers start and before it reports
ready (``serve --prime``, the default; ``--no-prime``, and ``Settings.prime`` False, the
default of :func:`server.app.create_app`, so tests and embedding apps do not prime).

Two things a first visitor would otherwise wait for, both bounded:

1. the whole-store SHACL report of the pages (views.shacl: every compiled check a query on
   the one query path, about 1 s at 20,000 documents), which every page's SHACL line needs;
2. one round of each kind of page over at most :data:`PER_KIND` documents, instruments and
   sessions (HTML page, Turtle view, lineage picture, SHACL report), through the app itself:
   the templates are compiled, the lazy imports done, the query workers have read the
   store's index blocks a page uses, and the allocator's arenas exist.

Everything priming cached is then dropped (pages, node rows, labels, dot layouts) except the
SHACL report: no page is served from the cache because priming built it. The whole run
stops at :data:`BUDGET_S` seconds; a failure is logged and never keeps the server from
starting. Without priming the same costs land on the first requests (the server's memory
then grows by about half in its first minute: the workers' first queries).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from urllib.parse import quote

import anyio.to_thread
import httpx
import orjson

from .views import shacl

log = logging.getLogger("mandategraph.server")

#: IRIs of each class whose pages priming builds.
PER_KIND = 4
#: Seconds priming may take at most (it stops where it is).
BUDGET_S = 30.0
_UN = "https://w3id.org/mandategraph/ontology#"
_CLASSES = ("Document", "Instrument", "Session")


async def prime(app: Any, state: Any, budget_s: float = BUDGET_S) -> dict[str, Any]:
    """Prime ``app`` (its ``state`` opened); returns what was done, for the log."""
    t0 = time.monotonic()
    done: dict[str, Any] = {"report": False, "requests": 0, "errors": 0}
    if getattr(state.store, "backend", None) == "remote":
        return done  # a remote store's pages key on a clock (views.env.generation_of)
    try:
        if shacl.enabled():
            rep = await asyncio.wait_for(anyio.to_thread.run_sync(
                shacl.store_report, state.query_store, state.generation, state.caches), budget_s)
            done["report"] = rep.error is None
        base = state.settings.base_iri.rstrip("/")
        transport = httpx.ASGITransport(app=app)
        urls: list[tuple[str, str]] = []
        for cls in _CLASSES:
            text = f"SELECT ?x WHERE {{ ?x a <{_UN}{cls}> }} LIMIT {PER_KIND}"
            out = await state.run(text, "select", "json")
            for b in orjson.loads(out.body)["results"]["bindings"]:
                iri = b["x"]["value"]
                if iri.startswith(base + "/"):
                    q = quote(iri, safe="")
                    path = iri[len(base):]
                    urls += [(path, "text/html"), (path + ".ttl", "text/turtle"),
                             (f"/lineage.svg?iri={q}", "image/svg+xml"), (f"/shacl?node={q}", "text/html")]
        # as many at once as the page builders (and some): each builder thread's allocator
        # arena and the connections' buffers exist before the first visitor
        gate = asyncio.Semaphore(2 * state.caches.builders)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://prime") as client:
            async def get(url: str, accept: str) -> None:
                async with gate:
                    r = await client.get(url, headers={"Accept": accept})
                    done["requests"] += 1
                    done["errors"] += r.status_code >= 500

            left = budget_s - (time.monotonic() - t0)
            await asyncio.wait_for(asyncio.gather(*(get(u, a) for u, a in urls)), max(0.1, left))
    except (TimeoutError, asyncio.TimeoutError):
        log.warning("priming stopped after %.0f s (its budget)", budget_s)
    except Exception as e:  # noqa: BLE001 - priming never keeps the server from starting
        log.warning("priming failed: %s: %s", type(e).__name__, e)
    finally:
        c = state.caches
        for cache in (c.pages, c.nodes, c.labels, c.dot, c.derived, c.shacl):
            cache.clear()
    done["seconds"] = round(time.monotonic() - t0, 2)
    return done
