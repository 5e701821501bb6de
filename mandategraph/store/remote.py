"""Remote store: any SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki, ...) as a Store.

Why: one Python process is not a deployment. Users who outgrow the embedded store run a
SPARQL server that replicates or clusters; the CLI (``query --endpoint``, ``push``,
``serve --store sparql+http://...``) then talks to it through this class.

- Queries go through SPARQLWrapper (POST, SPARQL 1.1 Query Results JSON) and come back as the
  same :class:`~mandategraph.store.SelectResult` the embedded store returns; parameters are
  bound by the same escaped ``VALUES`` block (:func:`~mandategraph.store.inject_values`), so a
  named query means the same on every backend.
- Writes use the Graph Store Protocol when a graph-store URL is known (``PUT`` a named graph
  as N-Triples: one request replaces the graph) and SPARQL Update otherwise
  (``DROP SILENT GRAPH`` + ``INSERT DATA`` in batches).
- Authentication: HTTP basic (user/password) or a bearer token.
- Transient failures (connection refused or reset, 5xx, 429) are retried a bounded number of
  times with exponential backoff; everything else fails at once with a :class:`RemoteError`
  that names the URL, the HTTP status and the server's own message.

The union of all named graphs is the default graph of the embedded store. Oxigraph server
offers the same through its ``union-default-graph`` request parameter (sent by default;
servers that do not know it ignore it); Virtuoso's default graph is already the union.
"""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import time
import warnings
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Mapping, TypeVar

from rdflib import Graph, URIRef
from rdflib.term import Node

import pyoxigraph as ox

from ..build.ntriples import from_ox, nt_term
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

    def _retrying(self, what: str, url: str, fn: Callable[[], T]) -> T:
        """Run ``fn`` with bounded retries on transient failures (connection errors, 5xx, 429)."""
        attempt = 0
        while True:
            try:
                return fn()
            except RemoteError as e:
                transient = e.status is None or e.status in _RETRY_STATUS
                if not transient or attempt >= self.retries:
                    raise
            attempt += 1
            time.sleep(self.backoff * (2 ** (attempt - 1)))

    def _http(self, method: str, url: str, body: bytes | None = None,
              headers: Mapping[str, str] | None = None, ok: tuple[int, ...] = (200, 201, 204)) -> _Response:
        """One HTTP request with retries; errors become RemoteError with the server's message."""

        def once() -> _Response:
            req = urllib.request.Request(url, data=body, method=method,
                                         headers={**self._auth_headers(), **(headers or {})})
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 - configured URL
                    return _Response(resp.status, resp.read(), resp.headers.get("Content-Type", ""))
            except urllib.error.HTTPError as e:
                if e.code in ok:
                    return _Response(e.code, e.read(), e.headers.get("Content-Type", ""))
                raise _http_error(method, url, e.code, e.read()) from None
            except (urllib.error.URLError, ConnectionError, socket.timeout, TimeoutError) as e:
                raise _down_error(url, e) from None

        return self._retrying(method, url, once)

    def _detect_dialect(self) -> None:
        """Virtuoso needs its system graphs excluded from the default graph; find out once."""
        req = urllib.request.Request(f"{self.endpoint}?{urllib.parse.urlencode({'query': 'ASK {}'})}",
                                     headers={**self._auth_headers(),
                                              "Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                server = resp.headers.get("Server", "")
        except urllib.error.HTTPError as e:
            server = e.headers.get("Server", "") if e.headers else ""
        except (urllib.error.URLError, OSError):
            return  # unreachable: the real request will report it
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
        """POST a query (application/x-www-form-urlencoded, as SPARQLWrapper does).

        ``default_graphs``/``named_graphs``: the protocol's ``default-graph-uri`` and
        ``named-graph-uri``; ``union_default`` overrides :attr:`union_default_graph` for one
        query (False when the query has its own FROM, which the union parameter would override).
        """
        sparql = self._dialect_prologue(sparql) + sparql
        default_graphs, named_graphs = tuple(default_graphs), tuple(named_graphs)
        union = self.union_default_graph if union_default is None else union_default
        union = union and not default_graphs and not named_graphs
        from SPARQLWrapper import POST, SPARQLWrapper  # noqa: PLC0415 - optional at import
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException  # noqa: PLC0415

        def once() -> _Response:
            sw = SPARQLWrapper(self.endpoint)
            sw.setMethod(POST)
            sw.setQuery(sparql)
            # SPARQLWrapper guesses the query form from keywords, which comments can fool into
            # sending a query as an update; this store only sends queries on this path.
            sw.queryType = _query_form(sparql)
            sw.setTimeout(int(self.timeout))
            sw.setOnlyConneg(True)
            if union:
                sw.addParameter("union-default-graph", "true")
            for g in default_graphs:
                sw.addParameter("default-graph-uri", g)
            for g in named_graphs:
                sw.addParameter("named-graph-uri", g)
            for k, v in self._auth_headers().items():
                sw.addCustomHttpHeader(k, v)
            sw.addCustomHttpHeader("Accept", accept)
            try:
                with warnings.catch_warnings():  # SPARQLWrapper warns on query types it cannot guess
                    warnings.simplefilter("ignore", RuntimeWarning)
                    resp = sw.query().response
                return _Response(resp.status, resp.read(), resp.headers.get("Content-Type", ""))
            except urllib.error.HTTPError as e:
                raise _http_error("query", self.endpoint, e.code, e.read()) from None
            except SPARQLWrapperException as e:
                status = {"QueryBadFormed": 400, "Unauthorized": 401, "EndPointNotFound": 404,
                          "URITooLong": 414, "EndPointInternalError": 500}.get(type(e).__name__)
                raise RemoteError(f"{self.endpoint}: the server refused the query"
                                  f"{f' (HTTP {status})' if status else ''}: {_clean(str(e))}",
                                  status, self.endpoint) from None
            except (urllib.error.URLError, ConnectionError, socket.timeout, TimeoutError) as e:
                raise _down_error(self.endpoint, e) from None

        return self._retrying("query", self.endpoint, once)

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
        body = urllib.parse.urlencode({"update": sparql}).encode("utf-8")
        self._http("POST", self.update_endpoint, body,
                   {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})

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
        mk = lambda p: urllib.parse.urlunsplit((parts.scheme, parts.netloc, base + p, "", ""))  # noqa: E731
        return mk("update"), mk("store")
    if parts.path.endswith("/sparql"):  # Virtuoso, Fuseki-style: updates on the same URL
        return endpoint, None
    return None, None


_PROLOGUE = re.compile(r"(?is)\A(?:\s+|#[^\n]*\n?|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)*")


def _query_form(sparql: str) -> str:
    """SELECT / ASK / CONSTRUCT / DESCRIBE: the first keyword after the prologue."""
    m = re.match(r"\s*([A-Za-z]+)", sparql[_PROLOGUE.match(sparql).end():])
    form = m.group(1).upper() if m else "SELECT"
    return form if form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") else "SELECT"


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


def _down_error(url: str, e: BaseException) -> RemoteError:
    reason = getattr(e, "reason", e)
    if isinstance(reason, ConnectionRefusedError):
        text = "connection refused (is the server running?)"
    elif isinstance(reason, (socket.timeout, TimeoutError)):
        text = "timed out"
    else:
        text = str(reason)
    return RemoteError(f"{url}: cannot reach the SPARQL server: {text}", None, url)


def _parse_triples(body: bytes, content_type: str, url: str) -> Iterator[Triple]:
    ct = content_type.split(";")[0].strip().lower()
    fmt = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
           "application/rdf+xml": "xml", "application/ld+json": "json-ld"}.get(ct)
    if fmt is None:
        raise RemoteError(f"{url}: unexpected RDF content type {content_type!r}")
    if fmt == "nt":
        yield from _parse_nt_fast(body)
        return
    g = Graph()
    try:
        g.parse(data=body.decode("utf-8"), format=fmt)
    except Exception as e:  # noqa: BLE001 - any parser error is the server's fault here
        raise RemoteError(f"{url}: could not parse the {ct} the server sent: {e}") from e
    yield from g


def _parse_nt_fast(body: bytes) -> Iterator[Triple]:
    """N-Triples through pyoxigraph's parser (fast), converted to rdflib terms."""
    for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
        yield from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)


__all__ = ["RemoteStore", "RemoteError"]
