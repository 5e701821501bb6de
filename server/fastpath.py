"""A lean ASGI path for the commonest SPARQL requests, in front of the FastAPI stack.

Why: FastAPI's routing, dependency and middleware layers cost about 0.12 ms of CPU per request
on this machine, a sixth of a symbol lookup's total. Requests that need none of it are
answered here with the very same code (``routers.sparql.answer``: guard, negotiation, worker
pool, caps):

- ``POST /sparql`` with ``Content-Type: application/sparql-query`` and no URL parameters;
- ``GET /sparql?query=...`` with only ``query`` (and ``format``) parameters.

Everything else (CORS requests, i.e. any request with an ``Origin`` header; forms; dataset
parameters; service description; errors of the body limit) goes down the normal stack.
"""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Receive, Scope, Send

from .routers.sparql import Answer, _error_answer, answer, client_of


class SparqlFastPath:
    """``state_of(scope)``: the ServerState to query (default: the Starlette app's, which
    is in the scope inside the app; server.app.App puts this path before the app itself)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int,
                 state_of: Callable[[Scope], Any] = lambda scope: scope["app"].state.mg):
        self.app = app
        self.max_body = max_body_bytes
        self.state_of = state_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        ctype = accept = length = None
        for name, value in scope["headers"]:
            if name == b"origin":
                await self.app(scope, receive, send)
                return
            if name == b"content-type":
                ctype = value
            elif name == b"accept":
                accept = value.decode("latin-1")
            elif name == b"content-length":
                length = value
        qs = scope.get("query_string", b"")
        text: str | None = None
        fmt: str | None = None
        if method == "POST" and not qs and ctype is not None and \
                ctype.split(b";")[0].strip().lower() == b"application/sparql-query":
            if length is None or not length.isdigit() or int(length) > self.max_body:
                await self.app(scope, receive, send)  # chunked or too big: the normal path decides
                return
            body = b""
            more = True
            while more:
                msg = await receive()
                if msg["type"] != "http.request":
                    return  # client went away
                body += msg.get("body", b"")
                more = msg.get("more_body", False)
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                await self._send(send, _error_answer(400, "the query is not UTF-8"))
                return
        elif method == "GET" and qs:
            pairs = parse_qs(qs.decode("latin-1"), keep_blank_values=True)
            if set(pairs) - {"query", "format"} or len(pairs.get("query", ())) != 1:
                await self.app(scope, receive, send)
                return
            text = pairs["query"][0]
            fmt = ",".join(pairs["format"]) if "format" in pairs else None
        else:
            await self.app(scope, receive, send)
            return
        state = self.state_of(scope)
        await self._send(send, await answer(state, accept, text, [], [], fmt,
                                            client=client_of(scope), receive=receive))

    @staticmethod
    async def _send(send: Send, a: Answer) -> None:
        headers = [(b"content-type", a.media_type.encode()), (b"content-length", str(len(a.body)).encode())]
        for k, v in a.headers:
            if k == "Vary":  # as the CORS layer does on the full stack: caches must key on Origin
                v += ", Origin"
            headers.append((k.lower().encode(), v.encode("latin-1")))
        await send({"type": "http.response.start", "status": a.status, "headers": headers})
        await send({"type": "http.response.body", "body": a.body})
