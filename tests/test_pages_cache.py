"""The pages' bounded caches (issue 7): whole pages, node rows and label facts are kept per
store state, served again without a store query, separate per language, dropped by a write
(generation), and never hold more than their bounds."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from rdflib import URIRef

from mandategraph.server.caches import BoundedLRU, PageCaches
from mandategraph.server.settings import Settings

B = "https://w3id.org/mandategraph"
CRP3 = f"{B}/doc/CTOC/COP/2024/CRP.3"


class CountingStore:
    """Delegates to a store and counts the queries the pages send it."""

    def __init__(self, store):
        self.store = store
        self.queries = 0

    def select(self, sparql, bindings=None):
        self.queries += 1
        return self.store.select(sparql, bindings)

    def construct(self, sparql, bindings=None):
        self.queries += 1
        return self.store.construct(sparql, bindings)


@pytest.fixture()
def counted(pages_store):
    """A page app over a counting wrapper of the sample store, with a write generation."""
    from fastapi.testclient import TestClient

    from fixtures_pages import page_app

    store = CountingStore(pages_store)
    app = page_app(store)
    app.state.mg = SimpleNamespace(store=store, generation=0)
    with TestClient(app) as client:
        yield client, store, app.state.mg


def test_lru_keeps_its_bounds_and_order() -> None:
    lru: BoundedLRU[str] = BoundedLRU(3, max_weight=10, weigh=len)
    for k, v in (("a", "xx"), ("b", "yy"), ("c", "zz")):
        lru.put(k, v)
    assert lru.get("a") == "xx"  # a is now the most recent
    lru.put("d", "ww")  # over 3 entries: b (least recent) goes
    assert lru.get("b") is None and lru.get("a") == "xx" and len(lru) == 3
    lru.put("e", "vvvvvv")  # weight 2+2+2+6 = 12 > 10: the least recent go until it fits
    assert len(lru) <= 3 and lru.weight <= 10 and lru.get("e") == "vvvvvv"
    lru.put("huge", "x" * 11)  # bigger than the whole cache: not kept, nothing evicted for it
    assert lru.get("huge") is None and lru.get("e") == "vvvvvv"
    off: BoundedLRU[str] = BoundedLRU(0)
    off.put("a", "x")
    assert off.get("a") is None and len(off) == 0


def test_a_page_seen_before_costs_no_store_query(counted) -> None:
    client, store, _mg = counted
    first = client.get("/doc/CTOC/COP/2024/CRP.3")
    assert first.status_code == 200 and store.queries > 0
    before = store.queries
    again = client.get("/doc/CTOC/COP/2024/CRP.3")
    assert store.queries == before, "the second view ran store queries"
    assert again.text == first.text
    assert again.headers["content-language"] == first.headers["content-language"]
    assert again.headers["link"] == first.headers["link"] and 'rel="alternate"' in again.headers["link"]


def test_languages_and_query_strings_are_cached_apart(counted) -> None:
    client, store, _mg = counted
    en = client.get("/instrument/ctoc-cop/resolution/9-1").text
    zh = client.get("/instrument/ctoc-cop/resolution/9-1", headers={"Accept-Language": "zh"}).text
    zh_param = client.get("/instrument/ctoc-cop/resolution/9-1?lang=zh").text
    assert "附件第53段" in zh and "附件第53段" not in en
    assert 'lang="zh"' in zh_param and "lang=zh" in zh_param  # links keep ?lang=
    assert "lang=zh" not in zh.split("<main", 1)[1]  # negotiated language: links do not carry it
    n = store.queries
    assert client.get("/instrument/ctoc-cop/resolution/9-1", headers={"Accept-Language": "zh"}).text == zh
    assert client.get("/instrument/ctoc-cop/resolution/9-1").text == en
    assert store.queries == n


def test_a_write_generation_rebuilds_pages_and_nodes(counted) -> None:
    client, store, mg = counted
    page = client.get("/doc/CTOC/COP/2024/CRP.3").text
    n = store.queries
    mg.generation += 1  # what ServerState.invalidate() does after /update or /ingest
    assert client.get("/doc/CTOC/COP/2024/CRP.3").text == page
    assert store.queries > n, "a page of an older store state was served after a write"


def test_node_rows_are_read_once_per_store_state(pages_store) -> None:
    from mandategraph.server.views.env import PageEnv
    from mandategraph.server.views.nodes import load_node

    store = CountingStore(pages_store)
    caches = PageCaches()  # one app's caches, shared by its requests' page environments
    penv = PageEnv(store=store, base=B, prefs=("en",), caches=caches)
    first = load_node(penv, URIRef(CRP3))
    n = store.queries
    again = load_node(PageEnv(store=store, base=B, prefs=("zh",), caches=caches), URIRef(CRP3))
    assert store.queries == n
    assert again.out == first.out and again.inn == first.inn and again.edge_provs.keys() == first.edge_provs.keys()
    assert [p.quote for p in again.node_provs] == [p.quote for p in first.node_provs]
    assert any(p.quote for ps in first.edge_provs.values() for p in ps), "sample has quoted statements"
    load_node(PageEnv(store=store, base=B, prefs=("en",), generation=1, caches=caches), URIRef(CRP3))
    assert store.queries > n


def test_page_cache_can_be_turned_off(counted) -> None:
    client, store, _mg = counted
    client.app.state.caches = PageCaches.from_settings(Settings(browser_page_cache=0))
    client.get("/doc/CTOC/COP/2024/CRP.3")
    n = store.queries
    assert client.get("/doc/CTOC/COP/2024/CRP.3").status_code == 200
    assert store.queries > n  # rebuilt (from the node and label caches, plus the page's own queries)


def test_soak_memory_rule() -> None:
    """bench/bench_endpoint.py's verdict: flat or noisy-flat passes, a climb fails."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "bench" / "bench_endpoint.py"
    spec = importlib.util.spec_from_file_location("bench_endpoint", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_endpoint"] = mod  # dataclasses look their module up
    try:
        spec.loader.exec_module(mod)
    finally:
        sys.modules.pop("bench_endpoint", None)
    flat = [300.0, 301.0, 300.5, 300.8, 300.6, 300.7, 300.6, 300.9, 300.7]
    assert mod.no_growth(flat[0], flat[-1], mod.trend_mb_per_min(flat, 2.0))
    climb = [300.0 + 2 * i for i in range(31)]  # 60 MB/min
    trend = mod.trend_mb_per_min(climb, 2.0)
    assert abs(trend - 60.0) < 1e-6 and not mod.no_growth(climb[0], climb[-1], trend)
    late = [300.0] * 20 + [300.0 + 0.5 * i for i in range(11)]  # ends within 2 %, still climbing
    assert not mod.no_growth(late[0], late[-1], mod.trend_mb_per_min(late, 2.0))


def test_a_remote_store_generation_moves_with_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A remote store changes behind our back (push, its own updates): its caches age out."""
    from mandategraph.server.views import env

    clock = [1200.0]
    monkeypatch.setattr(env.time, "monotonic", lambda: clock[0])
    monkeypatch.setenv("MANDATEGRAPH_BROWSER_REMOTE_TTL", "60")

    def request(backend: str) -> SimpleNamespace:
        store = SimpleNamespace(backend=backend)
        return SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(mg=SimpleNamespace(generation=3, store=store))))

    local, remote = request("oxigraph"), request("remote")
    g_local, g_remote = env.generation_of(local), env.generation_of(remote)
    assert g_local == 3
    clock[0] += 30
    assert env.generation_of(remote) == g_remote  # same minute bucket: caches still valid
    clock[0] += 60
    assert env.generation_of(remote) != g_remote  # a TTL later: everything is read again
    assert env.generation_of(local) == 3  # a local store only moves on our own writes
    monkeypatch.setenv("MANDATEGRAPH_BROWSER_REMOTE_TTL", "0")
    assert env.generation_of(remote) == 3  # 0 turns the time bucket off
