"""Remote store: any SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki, ...) as a Store.

Why: one Python process is not a deployment. Users who outgrow the embedded store run a
SPARQL server that replicates or clusters; the CLI (``query --endpoint``, ``push``,
``serve --store sparql+http://...``) then talks to it through this class.

- One HTTP client (httpx, a connection pool per store and process) sends everything. Queries
  are POSTed as a form (the SPARQL 1.1 protocol; SPARQL 1.1 Query Results JSON back) and come
  back as the same :class:`~mandategraph.store.interface.SelectResult` the embedded store
  returns; parameters are bound by the same escaped ``VALUES`` block
  (:func:`~mandategraph.store.sparql_text.inject_values`), so a named query means the same on
  every backend.
- Writes use the Graph Store Protocol when a graph-store URL is known (``PUT`` a named graph
  as N-Triples: one request replaces the graph) and SPARQL Update otherwise
  (``DROP SILENT GRAPH`` + ``INSERT DATA`` in batches).
- Authentication: HTTP basic (user/password) or a bearer token.
- Transient failures (connection refused or reset, 5xx, 429) are retried a bounded number of
  times with exponential backoff (tenacity); everything else fails at once with a
  :class:`RemoteError` that names the URL, the HTTP status and the server's own message.

The union of all named graphs is the default graph of the embedded store. Oxigraph server
offers the same through its ``union-default-graph`` request parameter (sent by default;
servers that do not know it ignore it); Virtuoso's default graph is already the union.
"""

from __future__ import annotations

import base64
import json
import os
import re
import threading
import urllib.parse
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping, TypeVar

import httpx
import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from ..build.ntriples import from_ox, nt_term
from ..core.formats import RDFLIB_NAMES, by_media_type
from .interface import Quad, SelectResult, Store, StoreError, Triple, result_from_json
from .sparql_text import inject_values

T = TypeVar("T")

#: Graphs a server keeps for itself (Virtuoso's schema and system graphs); never ours.
SYSTEM_GRAPH_PREFIXES = (
    "http://www.openlinksw.com/",
    "http://www.w3.org/ns/ldp#",
    "http://www.w3.org/2002/07/owl#",
    "http://localhost:8890/",
    "http://localuriqaserver/",
    "urn:activitystreams-owl:map",
    "urn:core:services:sparql",
    "virtrdf-label",
)

#: Virtuoso's own graphs, excluded from the default graph of every query sent to it (its default
#: graph is the union of all graphs, system ones included).
VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://www.w3.org/2002/07/owl#",
    "http://localuriqaserver/sparql",
)

_RETRY_STATUS = {429, 500, 502, 503, 504}
_CONST_GRAPH = re.compile(r"GRAPH\s*<", re.IGNORECASE)


class RemoteError(StoreError):
    """The remote SPARQL server is unreachable, refused the request or answered an error."""

    def __init__(self, message: str, status: int | None = None, url: str | None = None):
        super().__init__(message)
        self.status = status
        self.url = url


@dataclass(frozen=True)
class _Response:
    status: int
    body: bytes
    content_type: str


class RemoteStore(Store):
    """A Store over a SPARQL 1.1 query endpoint (+ update and graph-store endpoints)."""

    backend = "remote"

    def __init__(self, endpoint: str, update_endpoint: str | None = None,
                 graph_store: str | None = None, user: str | None = None,
                 password: str | None = None, token: str | None = None, *,
                 timeout: float = 60.0, retries: int = 3, backoff: float = 0.25,
                 batch_size: int = 20_000, update_batch_size: int = 500,
                 union_default_graph: bool = True, dialect: str = "auto",
                 ignore_graph_prefixes: tuple[str, ...] = SYSTEM_GRAPH_PREFIXES):
        if not endpoint or not endpoint.startswith(("http://", "https://")):
            raise RemoteError(f"remote endpoint must be an http(s) URL, got {endpoint!r}")
        self.endpoint = endpoint
        derived_update, derived_store = _derive_endpoints(endpoint)
        self.update_endpoint = update_endpoint or derived_update
        self.graph_store = graph_store or derived_store
        self.user = user
        self.password = password
        self.token = token
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.batch_size = max(1, batch_size)
        #: INSERT DATA batches are small: Virtuoso compiles each to SQL and refuses big ones
        self.update_batch_size = max(1, update_batch_size)
        self.union_default_graph = union_default_graph
        #: "virtuoso", "standard" or "auto" (ask the server once, from its Server header)
        self.dialect = dialect
        self.ignore_graph_prefixes = ignore_graph_prefixes
        if (user is None) != (password is None):
            raise RemoteError("HTTP basic authentication needs both a user and a password")
        self._client: httpx.Client | None = None
        self._client_pid = 0
        self._client_lock = threading.Lock()

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_url(cls, url: str, **kwargs: object) -> "RemoteStore":
        """``sparql+http://[user:pass@]HOST:PORT/query[?update=URL&store=URL]`` -> RemoteStore.

        Without ``update``/``store``, Oxigraph's layout is assumed (``/query`` -> ``/update``
        and ``/store``). A bearer token comes from ``$MANDATEGRAPH_REMOTE_TOKEN``, a password
        from the URL or ``$MANDATEGRAPH_REMOTE_PASSWORD``.
        """
        if not url.startswith(("sparql+http://", "sparql+https://")):
            raise RemoteError(f"expected sparql+http://... or sparql+https://..., got {url!r}")
        parts = urllib.parse.urlsplit(url[len("sparql+"):])
        extra = dict(urllib.parse.parse_qsl(parts.query))
        netloc = parts.hostname or ""
        if parts.port:
            netloc += f":{parts.port}"
        endpoint = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path or "/", "", ""))
        user = urllib.parse.unquote(parts.username) if parts.username else None
        password = urllib.parse.unquote(parts.password) if parts.password else None
        if user and password is None:
            password = os.environ.get("MANDATEGRAPH_REMOTE_PASSWORD")
        return cls(endpoint, update_endpoint=extra.get("update"), graph_store=extra.get("store"),
                   user=user, password=password,
                   token=os.environ.get("MANDATEGRAPH_REMOTE_TOKEN"), **kwargs)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ HTTP plumbing
    def _auth_headers(self) -> dict[str, str]:
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.user is not None:
            raw = f"{self.user}:{self.password}".encode("utf-8")
            return {"Authorization": "Basic " + base64.b64encode(raw).decode("ascii")}
        return {}

    @property
    def client(self) -> httpx.Client:
        """The store's HTTP client (one connection pool), made on first use; a forked process
        makes its own (sockets are not shared across a fork)."""
        with self._client_lock:
            if self._client is None or self._client_pid != os.getpid():
                self._client = httpx.Client(timeout=self.timeout, headers=self._auth_headers())
                self._client_pid = os.getpid()
            return self._client

    def close(self) -> None:
        with self._client_lock:
            if self._client is not None and self._client_pid == os.getpid():
                self._client.close()
            self._client = None

    def _http(self, method: str, url: str, body: bytes | None = None,
              headers: Mapping[str, str] | None = None, ok: tuple[int, ...] = (200, 201, 204), *,
              what: str | None = None, data: Mapping[str, object] | None = None) -> _Response:
        """One HTTP request, retried on transient failures (connection errors, 5xx, 429) with
        exponential backoff; errors become RemoteError with the server's message."""

        def once() -> _Response:
            try:
                r = self.client.request(method, url, content=body, data=data, headers=headers)
            except httpx.TransportError as e:
                raise _down_error(url, e) from None
            if not (r.is_success or r.status_code in ok):
                raise _http_error(what or method, url, r.status_code, r.content)
            return _Response(r.status_code, r.content, r.headers.get("Content-Type", ""))

        retrying = Retrying(stop=stop_after_attempt(self.retries + 1), reraise=True,
                            wait=wait_exponential(multiplier=self.backoff),
                            retry=retry_if_exception(_transient))
        return retrying(once)

    def _detect_dialect(self) -> None:
        """Virtuoso needs its system graphs excluded from the default graph; find out once."""
        try:
            r = self.client.get(self.endpoint, params={"query": "ASK {}"},
                                headers={"Accept": "application/sparql-results+json"})
        except httpx.TransportError:
            return  # unreachable: the real request will report it
        server = r.headers.get("Server", "")
        self.dialect = "virtuoso" if "virtuoso" in server.lower() else "standard"

    def _dialect_prologue(self, sparql: str) -> str:
        if self.dialect == "auto":
            self._detect_dialect()
        if self.dialect == "virtuoso" and not _CONST_GRAPH.search(sparql):
            # (Virtuoso 7.2 then also hides GRAPH <constant> data: only for the other queries)
            return "".join(f"DEFINE input:default-graph-exclude <{g}>\n" for g in VIRTUOSO_SYSTEM_GRAPHS)
        return ""

    def _query_raw(self, sparql: str, accept: str, *, default_graphs: Iterable[str] = (),
                   named_graphs: Iterable[str] = (), union_default: bool | None = None) -> _Response:
        """POST a query (application/x-www-form-urlencoded, the SPARQL 1.1 protocol).

        ``default_graphs``/``named_graphs``: the protocol's ``default-graph-uri`` and
        ``named-graph-uri``; ``union_default`` overrides :attr:`union_default_graph` for one
        query (False when the query has its own FROM, which the union parameter would override).
        """
        sparql = self._dialect_prologue(sparql) + sparql
        default_graphs, named_graphs = tuple(default_graphs), tuple(named_graphs)
        union = self.union_default_graph if union_default is None else union_default
        union = union and not default_graphs and not named_graphs
        form: dict[str, object] = {"query": sparql}
        if union:
            form["union-default-graph"] = "true"
        if default_graphs:
            form["default-graph-uri"] = list(default_graphs)
        if named_graphs:
            form["named-graph-uri"] = list(named_graphs)
        return self._http("POST", self.endpoint, data=form, headers={"Accept": accept}, ok=(),
                          what="query")

    def passthrough(self, sparql: str, accept: str = "application/sparql-results+json", *,
                    default_graphs: Iterable[str] = (), named_graphs: Iterable[str] = (),
                    union_default: bool | None = None) -> tuple[bytes, str]:
        """Run a query and return the server's bytes and content type untouched (for proxies)."""
        r = self._query_raw(sparql, accept, default_graphs=default_graphs,
                            named_graphs=named_graphs, union_default=union_default)
        return r.body, r.content_type

    # ------------------------------------------------------------------ reads
    def _json(self, sparql: str, bindings: Mapping[str, Node] | None) -> dict:
        r = self._query_raw(inject_values(sparql, bindings), "application/sparql-results+json")
        try:
            return json.loads(r.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise RemoteError(f"{self.endpoint}: expected SPARQL results JSON, got "
                              f"{r.content_type or 'no content type'}: {r.body[:200]!r}") from e

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> SelectResult:
        data = self._json(sparql, bindings)
        if "results" not in data:
            raise RemoteError(f"{self.endpoint}: expected a SELECT result, got keys {sorted(data)}")
        return result_from_json(data)

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        data = self._json(sparql, bindings)
        if "boolean" not in data:
            raise RemoteError(f"{self.endpoint}: expected an ASK result, got keys {sorted(data)}")
        return bool(data["boolean"])

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[Triple]:
        r = self._query_raw(inject_values(sparql, bindings), "application/n-triples, text/turtle;q=0.9")
        return list(_parse_triples(r.body, r.content_type, self.endpoint))

    def named_graphs(self) -> list[str]:
        # a grouped count, not SELECT DISTINCT ?g: Virtuoso 7.2 stalls on the DISTINCT form
        return sorted(g for g in self.graph_sizes() if not g.startswith("_:"))

    def _ignored(self, graph: str) -> bool:
        return graph.startswith(self.ignore_graph_prefixes)

    def graph_triples(self, graph_iri: str) -> list[Triple]:
        """All triples of one named graph (GSP GET when available, else a CONSTRUCT)."""
        if self.graph_store:
            url = _graph_url(self.graph_store, graph_iri)
            r = self._http("GET", url, headers={"Accept": "application/n-triples"}, ok=(200, 404))
            if r.status == 404:
                return []
            return list(_parse_triples(r.body, r.content_type or "application/n-triples", url))
        return self.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}")

    def quads(self, graph_iri: str | None = None) -> Iterator[Quad]:
        graphs = [graph_iri] if graph_iri else self.named_graphs()
        for g in graphs:
            gi = URIRef(g)
            for s, p, o in self.graph_triples(g):
                yield s, p, o, gi

    def count(self) -> int:
        res = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sum(int(r[1]) for r in res.rows if r[0] is not None and not self._ignored(str(r[0])))

    def graph_sizes(self) -> dict[str, int]:
        """graph IRI -> number of triples (one grouped query; used by push)."""
        res = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {str(r[0]): int(r[1]) for r in res.rows if r[0] is not None and not self._ignored(str(r[0]))}

    # ------------------------------------------------------------------ writes
    def update(self, sparql: str) -> None:
        """Run a SPARQL Update on the update endpoint."""
        if not self.update_endpoint:
            raise RemoteError(f"{self.endpoint}: no update endpoint configured (use --update-endpoint)")
        self._http("POST", self.update_endpoint, data={"update": sparql})

    def replace_graph(self, graph_iri: str, triples: Iterable[Triple]) -> None:
        """Replace one named graph: GSP PUT of the first batch (+ POST of the rest), or Update."""
        if self.graph_store:
            url = _graph_url(self.graph_store, graph_iri)
            first = True
            for chunk in _batches(triples, self.batch_size):
                body = "".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in chunk)
                self._http("PUT" if first else "POST", url, body.encode("utf-8"),
                           {"Content-Type": "application/n-triples"})
                first = False
            if first:  # no triples at all: the graph must end up empty
                self.remove_graph(graph_iri)
            return
        g = f"<{graph_iri}>"
        first = True
        for chunk in _batches(triples, self.update_batch_size):
            data = "\n".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} ." for s, p, o in chunk)
            pre = f"DROP SILENT GRAPH {g} ;\n" if first else ""
            self.update(f"{pre}INSERT DATA {{ GRAPH {g} {{\n{data}\n}} }}")
            first = False
        if first:
            self.remove_graph(graph_iri)

    def remove_graph(self, graph_iri: str) -> None:
        if self.graph_store:
            self._http("DELETE", _graph_url(self.graph_store, graph_iri), ok=(200, 204, 404))
        else:
            self.update(f"DROP SILENT GRAPH <{graph_iri}>")

    def ping(self) -> None:
        """Fail with a RemoteError unless the endpoint answers a trivial ASK."""
        self.ask("ASK { }")


# ----------------------------------------------------------------------------- helpers


def _derive_endpoints(endpoint: str) -> tuple[str | None, str | None]:
    """Oxigraph server layout: ``.../query`` -> (``.../update``, ``.../store``)."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.path.endswith("/query"):
        base = parts.path[: -len("query")]
        mk = lambda p: urllib.parse.urlunsplit((parts.scheme, parts.netloc, base + p, "", ""))
        return mk("update"), mk("store")
    if parts.path.endswith("/sparql"):  # Virtuoso, Fuseki-style: updates on the same URL
        return endpoint, None
    return None, None


def _graph_url(graph_store: str, graph_iri: str) -> str:
    sep = "&" if "?" in graph_store else "?"
    return f"{graph_store}{sep}{urllib.parse.urlencode({'graph': graph_iri})}"


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _clean(message: str, limit: int = 500) -> str:
    text = " ".join(message.split())
    return text if len(text) <= limit else text[:limit] + "..."


def _http_error(what: str, url: str, status: int, body: bytes) -> RemoteError:
    msg = _clean(body.decode("utf-8", "replace")) or "(no message)"
    kind = {401: "refused the credentials", 403: "forbids this request",
            404: "has no such endpoint"}.get(status, "answered an error")
    return RemoteError(f"{url}: the server {kind} (HTTP {status} on {what}): {msg}", status, url)


def _transient(e: BaseException) -> bool:
    """Worth another try: the server is unreachable, overloaded or failed (429, 5xx)."""
    return isinstance(e, RemoteError) and (e.status is None or e.status in _RETRY_STATUS)


def _down_error(url: str, e: httpx.TransportError) -> RemoteError:
    if isinstance(e, httpx.ConnectError) and "refused" in str(e).lower():
        text = "connection refused (is the server running?)"
    elif isinstance(e, httpx.TimeoutException):
        text = "timed out"
    else:
        text = str(e) or type(e).__name__
    return RemoteError(f"{url}: cannot reach the SPARQL server: {text}", None, url)


def _parse_triples(body: bytes, content_type: str, url: str) -> Iterator[Triple]:
    ct = content_type.split(";")[0].strip().lower()
    name = by_media_type(ct) if ct else None
    if name not in ("ntriples", "turtle", "rdfxml", "jsonld"):
        raise RemoteError(f"{url}: unexpected RDF content type {content_type!r}")
    fmt = RDFLIB_NAMES[name]
    if name == "ntriples":
        yield from _parse_nt_fast(body)
        return
    g = Graph()
    try:
        g.parse(data=body.decode("utf-8"), format=fmt)
    except Exception as e:
        raise RemoteError(f"{url}: could not parse the {ct} the server sent: {e}") from e
    yield from g


def _parse_nt_fast(body: bytes) -> Iterator[Triple]:
    """N-Triples through pyoxigraph's parser (fast), converted to rdflib terms."""
    for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
        yield from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)


__all__ = ["RemoteStore", "RemoteError"]
