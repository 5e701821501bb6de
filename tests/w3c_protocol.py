"""A runner for the W3C SPARQL 1.1 Protocol and Service Description test suites
(``tests/w3c-sparql-protocol/``, copied from w3c/rdf-tests with its LICENSE.md).

Each protocol test is a list of ht:Request records (method, path, headers, body) with the
expected status class, result format and boolean. Paths start with ``/sparql/``; the runner
sends query requests to the server's query endpoint and update requests to its update
endpoint (an update is a POST whose body or form says so, or any request with ``update=``),
adds the update credentials, and loads each test's ``ut:graphData`` first (by SPARQL Update:
``CLEAR ALL`` then ``INSERT DATA`` per graph). Used by ``tests/test_w3c_protocol.py`` for
``mandategraph serve`` and ``oxigraph serve`` in the same run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

HERE = Path(__file__).resolve().parent / "w3c-sparql-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


@dataclass
class Endpoint:
    name: str
    query_url: str
    update_url: str
    headers: dict[str, str] = field(default_factory=dict)  # credentials of the update route


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]  # accepted status classes: 2, 3, 4 ...
    fmt: str | None
    boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    iri: str
    requests: list[Request]
    data: list[tuple[str, Path]]  # (graph IRI, N-Triples file)


def load_tests() -> list[ProtocolTest]:
    g = Graph()
    path = HERE / "protocol" / "manifest.ttl"
    g.parse(path, format="turtle", publicID=path.as_uri())
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    entries = list(Collection(g, g.value(manifest, MF.entries)))
    tests = []
    for t in entries:
        action = g.value(t, MF.action)
        reqs = []
        for r in Collection(g, g.value(action, HT.requests)):
            headers = {}
            hl = g.value(r, HT.headers)
            if hl is not None:
                for h in Collection(g, hl):
                    headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            body_node = g.value(r, HT.body)
            body = None
            if body_node is not None:
                enc = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(body_node, CNT.chars)).encode(enc.lower().replace("utf-16", "utf-16"))
            resp = g.value(r, HT.resp)
            statuses = {int(str(s).rsplit("StatusCode", 1)[1][0]) for s in g.objects(resp, MF.expectedStatus)}
            fmt = g.value(resp, MF.expectedFormat)
            boolean = g.value(resp, MF.expectedBoolean)
            reqs.append(Request(str(g.value(r, HT.methodName)), str(g.value(r, HT.absolutePath)),
                                headers, body, statuses, str(fmt) if fmt else None,
                                boolean.toPython() if isinstance(boolean, Literal) else None))
        data = [(str(g.value(d, RDFS.label)), Path(str(g.value(d, UT.graph)).replace("file://", "")))
                for d in g.objects(t, UT.graphData)]
        tests.append(ProtocolTest(str(g.value(t, MF.name)), str(t), reqs, data))
    return tests


def _is_update(req: Request) -> bool:
    ctype = req.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/sparql-update":
        return True
    qs = parse_qs(urlsplit(req.path).query)
    if "update" in qs:
        return True
    if req.body and ctype == "application/x-www-form-urlencoded":
        return "update" in parse_qs(req.body.decode("utf-8", "replace"))
    if req.body and b"INSERT" in req.body.upper() and ctype != "application/sparql-query" \
            and b"ASK" not in req.body.upper()[:10]:
        return True  # the malformed-update tests (wrong or missing media type)
    return False


def _target(ep: Endpoint, req: Request) -> tuple[str, dict[str, str]]:
    query = urlsplit(req.path).query
    if _is_update(req):
        return ep.update_url + ("?" + query if query else ""), dict(ep.headers)
    return ep.query_url + ("?" + query if query else ""), {}


def load_data(client: httpx.Client, ep: Endpoint, data: list[tuple[str, Path]]) -> None:
    parts = ["CLEAR ALL"]
    for graph, f in data:
        parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{ {f.read_text(encoding='utf-8')} }} }}")
    r = client.post(ep.update_url, content=" ;\n".join(parts).encode(), headers={
        **ep.headers, "Content-Type": "application/sparql-update"})
    r.raise_for_status()


def _format_of(ctype: str) -> str:
    ct = ctype.split(";")[0].strip().lower()
    if ct in ("application/sparql-results+xml", "application/sparql-results+json"):
        return "results"
    if ct in ("text/csv", "text/tab-separated-values"):
        return "tabular-only"
    if ct in ("application/rdf+xml", "text/turtle", "application/n-triples", "text/plain",
              "application/ld+json", "application/x-turtle", "application/xhtml+xml", "text/html"):
        return "RDF"
    return ct


def _boolean(resp: httpx.Response) -> bool | None:
    ct = resp.headers.get("content-type", "")
    try:
        if "json" in ct:
            return json.loads(resp.content).get("boolean")
        if "xml" in ct:
            text = resp.text
            if "<boolean>true</boolean>" in text:
                return True
            if "<boolean>false</boolean>" in text:
                return False
    except ValueError:
        return None
    return None


def run_test(client: httpx.Client, ep: Endpoint, test: ProtocolTest) -> str | None:
    """None when the test passes, else why it failed."""
    if test.data:
        load_data(client, ep, [(g, HERE / "protocol" / f.name) for g, f in test.data])
    for i, req in enumerate(test.requests):
        url, extra = _target(ep, req)
        headers = {**req.headers, **extra}
        resp = client.request(req.method, url, content=req.body, headers=headers)
        cls = resp.status_code // 100
        if cls not in req.statuses:
            return f"request {i + 1}: status {resp.status_code}, expected {sorted(req.statuses)}xx: {resp.text[:150]!r}"
        if req.fmt:
            got = _format_of(resp.headers.get("content-type", ""))
            ok = {"boolean": got == "results", "tabular": got in ("results", "tabular-only"),
                  "RDF": got == "RDF"}[req.fmt]
            if not ok:
                return f"request {i + 1}: content type {resp.headers.get('content-type')!r} for {req.fmt}"
        if req.boolean is not None and _boolean(resp) is not req.boolean:
            return f"request {i + 1}: boolean {_boolean(resp)!r}, expected {req.boolean}"
    return None


def run_service_description(client: httpx.Client, ep: Endpoint) -> dict[str, str | None]:
    """The three Service Description tests on ``GET`` of the query endpoint."""
    out: dict[str, str | None] = {}
    r = client.get(ep.query_url, headers={"Accept": "text/turtle, application/rdf+xml;q=0.9"})
    g = Graph()
    try:
        fmt = "xml" if "rdf+xml" in r.headers.get("content-type", "") else "turtle"
        g.parse(data=r.content, format=fmt, publicID=ep.query_url)
        out["GET on endpoint returns RDF"] = None if r.status_code == 200 and len(g) else f"status {r.status_code}"
    except Exception as e:  # noqa: BLE001 - a parse error is the test's failure
        out["GET on endpoint returns RDF"] = f"not RDF: {e}"
    endpoints = {str(o) for o in g.objects(None, SD.endpoint)}
    out["Service description contains a matching sd:endpoint triple"] = (
        None if ep.query_url in endpoints else f"sd:endpoint {sorted(endpoints)} != {ep.query_url}")
    services = list(g.subjects(RDF.type, SD.Service))
    ok = bool(services) and all(g.value(s, SD.endpoint) is not None for s in services)
    bad_lang = [o for o in g.objects(None, SD.supportedLanguage)
                if o not in (SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update)]
    out["Service description conforms to schema"] = (
        None if ok and not bad_lang else f"sd:Service {len(services)}, bad languages {bad_lang}")
    return out


def _key(t: ProtocolTest) -> str:
    """The test's IRI fragment and name (two tests share a name: describe and construct)."""
    return f"{t.iri.rsplit('#', 1)[-1]}: {t.name}"


def run_all(ep: Endpoint, timeout: float = 30) -> dict[str, str | None]:
    results: dict[str, str | None] = {}
    with httpx.Client(timeout=timeout) as client:
        for t in load_tests():
            try:
                results[_key(t)] = run_test(client, ep, t)
            except httpx.HTTPError as e:
                results[_key(t)] = f"{type(e).__name__}: {e}"
        results.update(run_service_description(client, ep))
    return results


__all__ = ["Endpoint", "run_all", "load_tests", "URIRef"]
