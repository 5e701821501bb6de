"""Server III (issue 15, the soak): the whole-store SHACL report reused across pages and made
again on a new store generation, the pages' merged queries giving the rows of the queries they
replace, the dot layout cache, the cache bounds and ``serve --prime``."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from rdflib import URIRef

from fixtures_pages import SAMPLE, SAMPLE_BASE, load_trig, page_app
from mandategraph.query import get as get_query
from mandategraph.server.caches import BoundedLRU, GenerationSlot, PageCaches
from mandategraph.server.settings import Settings
from mandategraph.server.views import dot_layout, shacl
from mandategraph.server.views.env import PageEnv
from mandategraph.server.views.mandates import all_mandates, session_mandates

UN = "https://w3id.org/mandategraph/ontology#"


@pytest.fixture(scope="module")
def store():
    return load_trig(SAMPLE)


def _nodes(store, cls: str | None = None) -> list[URIRef]:
    where = f"?x a <{cls}>" if cls else "?x ?p ?o FILTER(isIRI(?x))"
    return [r[0] for r in store.select(f"SELECT DISTINCT ?x WHERE {{ {where} }}").rows]


def _env(store) -> PageEnv:
    return PageEnv(store=store, base=SAMPLE_BASE, prefs=("en",))


# ---------------------------------------------------------------------------- the SHACL report
def test_generation_slot_runs_once_per_key_and_once_for_concurrent_callers() -> None:
    slot: GenerationSlot[int] = GenerationSlot()
    calls = []

    def make() -> int:
        calls.append(1)
        time.sleep(0.05)
        return len(calls)

    out: list[int] = []
    ts = [threading.Thread(target=lambda: out.append(slot.get(0, make))) for _ in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert out == [1] * 8 and slot.runs == 1
    assert slot.get(1, make) == 2 and slot.get(1, make) == 2 and slot.peek(0) is None


def test_one_report_for_every_page_and_a_new_one_on_a_new_generation(store, monkeypatch) -> None:
    runs = []
    real = shacl.whole_store_report

    def counted(s):
        runs.append(1)
        return real(s)

    monkeypatch.setattr(shacl, "whole_store_report", counted)
    app = page_app(store)
    state = SimpleNamespace(generation=0, store=store, query_store=None, caches=PageCaches(),
                            settings=SimpleNamespace(base_iri=SAMPLE_BASE))
    app.state.mg = state
    client = TestClient(app)
    docs = [str(x)[len(SAMPLE_BASE):] for x in _nodes(store, UN + "Document")][:5]
    assert len(docs) >= 2
    for path in docs:
        assert client.get(path).status_code == 200
    assert client.get("/shacl", params={"node": SAMPLE_BASE + docs[0]}).status_code == 200
    assert len(runs) == 1
    state.generation = 1  # a write (Server I bumps it): the report is made again, once
    for path in docs:
        client.get(path)
    assert len(runs) == 2 and state.caches.report.runs == 2


def test_the_report_gives_each_node_the_results_of_pyshacl_over_the_whole_graph(store) -> None:
    """The whole-store report, filtered to a node, equals pySHACL's validation of the whole
    graph filtered to it. (The earlier per-node run on the node's neighbourhood flagged a
    mandate of the fixture, ctoc-cop 10/1 op-7, status un:OralReport, as breaking
    FulfilledMandateShape: a false violation the whole-graph runs do not give.)"""
    from mandategraph.validate.pyshacl_engine import validate_graph
    from mandategraph.validate.report import shapes_graph

    rep = shacl.whole_store_report(store)
    assert rep.error is None and not rep.unsupported and rep.results
    ref = validate_graph(store.union_graph(), shapes_graph()).results

    def key(rs):
        return sorted((str(r.focus), r.severity, str(r.source_shape), str(r.path)) for r in rs)

    assert key(r for rs in rep.by_focus.values() for r in rs) == key(ref)


def test_the_report_runs_on_the_query_path_only() -> None:
    """The compiled engine sees select/ask and nothing else of the store (no ``ox`` to go
    around the workers), and a WorkerStore's generated texts go through ``run_text``."""
    seen = []

    class Fake:
        ox = object()

        def run_text(self, text, kind):
            seen.append(kind)
            from mandategraph.store.interface import SelectResult
            return False if kind == "ask" else SelectResult([], [])

    wrapped = shacl._QueryPathStore(Fake())
    assert not hasattr(wrapped, "ox")
    rep = shacl.whole_store_report(Fake())
    assert rep.error is None and seen and set(seen) <= {"select", "ask"}


# ---------------------------------------------------------------------------- merged page queries
def test_page_node_gives_the_rows_of_the_four_queries_it_replaces(store) -> None:
    for node in _nodes(store):
        b = {"iri": node}
        new = store.select(get_query("page-node").text, b).dicts()

        def part(name, keys, rename=None):
            rename = rename or {}
            return sorted(tuple(sorted((rename.get(k, k), str(r[k])) for k in keys if k in r))
                          for r in new if str(r["part"]) == name)

        def old(q, keys, rename=None):
            rename = rename or {}
            return sorted(tuple(sorted((rename.get(k, k), str(r[k])) for k in keys if k in r))
                          for r in store.select(get_query(q).text, b).dicts())

        assert part("out", ["p", "o"]) == old("page-node-out", ["p", "o"]), node
        cols = ["kind", "s", "p", "o", "ann", "source", "rule", "method", "confidence"]
        assert part("prov", cols) == old("page-prov", cols), node
        assert part("quote", ["ann", "quote", "start", "end"]) == old("page-prov-quotes", ["ann", "quote", "start", "end"])
        assert part("label", ["x", "lp", "v"]) == old("page-labels-out", ["x", "p", "v"], {"p": "lp"}), node


def test_the_fixture_has_provenance_for_the_page_node_test(store) -> None:
    rows = [r for n in _nodes(store) for r in store.select(get_query("page-node").text, {"iri": n}).dicts()]
    assert {"out", "prov", "quote", "label"} <= {str(r["part"]) for r in rows}


def test_session_mandates_are_those_the_page_kept_from_every_mandate(store) -> None:
    sessions = _nodes(store, UN + "Session")
    assert sessions
    every = all_mandates(_env(store))
    for s in sessions:
        env = _env(store)
        docs = {str(r["doc"]) for r in env.select("page-session-documents", iri=s) if r.get("doc") is not None}

        def kept(ms):
            return [m for m in ms if any(v.link and v.link.iri in docs for v in m.fulfilled_by)
                    or (m.due and m.due.link and m.due.link.iri == str(s))]

        assert kept(session_mandates(env, s)) == kept(every), s


# ---------------------------------------------------------------------------- dot, bounds
@pytest.mark.skipif(dot_layout.dot_binary() is None, reason="Graphviz dot not installed")
def test_dot_layouts_are_cached_by_shape(monkeypatch) -> None:
    runs = []
    real = dot_layout._run_dot

    def counted(*a, **kw):
        runs.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(dot_layout, "_run_dot", counted)
    cache = BoundedLRU(8)
    one = dot_layout.layout(["a", "b", "c"], [("a", "b"), ("b", "c")], 230, 52, cache=cache)
    two = dot_layout.layout(["x", "y", "z"], [("x", "y"), ("y", "z")], 230, 52, cache=cache)
    assert len(runs) == 1 and cache.hits == 1
    assert set(two.boxes) == {"x", "y", "z"} and two.boxes["y"] == one.boxes["b"]
    assert two.splines[("x", "y")] == one.splines[("a", "b")]
    dot_layout.layout(["x", "y", "z"], [("x", "y"), ("x", "z")], 230, 52, cache=cache)
    assert len(runs) == 2  # another shape


def test_cache_bounds_hold_over_many_distinct_pages() -> None:
    caches = PageCaches.from_settings(Settings())
    assert caches.pages.max_entries == 256 and caches.nodes.max_entries == 512
    assert caches.labels.max_entries == 4096
    page = SimpleNamespace(body=b"x" * 30_000)
    for i in range(5_000):
        caches.pages.put(("p", i), page)
        caches.labels.put(("l", i), [])
    assert len(caches.pages) <= 256 and caches.pages.weight <= 4 << 20
    assert len(caches.labels) == 4096


# ---------------------------------------------------------------------------- priming
def test_prime_builds_the_report_and_drops_the_pages_it_built(store) -> None:
    from mandategraph.server.app import create_app

    with TestClient(create_app(Settings(workers=1, prime=True), store)) as client:
        state = client.app.state.mg
        assert state.caches.report.runs == 1
        assert len(state.caches.pages) == 0 and len(state.caches.nodes) == 0
        docs = _nodes(store, UN + "Document")
        assert client.get(str(docs[0])[len(SAMPLE_BASE):]).status_code == 200
        assert state.caches.report.runs == 1  # the page used the primed report


def test_apps_made_in_code_do_not_prime(store) -> None:
    from mandategraph.server.app import create_app

    assert Settings().prime is False
    with TestClient(create_app(Settings(workers=1), store)) as client:
        assert client.app.state.mg.caches.report.runs == 0


def test_page_builds_trim_the_heap_every_so_often(monkeypatch) -> None:
    import mandategraph.server.caches as caches_mod

    trims = []
    monkeypatch.setattr(caches_mod, "release_memory", lambda: trims.append(1))
    caches = PageCaches()
    for _ in range(caches_mod.TRIM_EVERY * 3 + 1):
        caches.built()
    assert len(trims) == 3
    caches_mod._TRIM = None
    monkeypatch.undo()
    caches_mod.release_memory()  # glibc or not: never raises


def test_serve_primes_unless_the_flag_the_file_or_the_environment_says_no(tmp_path, monkeypatch):
    from server.app import serve_settings

    monkeypatch.delenv("MANDATEGRAPH_SERVER_PRIME", raising=False)
    off = tmp_path / "off.toml"
    off.write_text("prime = false\n")
    assert serve_settings(None).prime is True
    assert serve_settings(None, prime=None).prime is True
    assert serve_settings(None, prime=False).prime is False
    assert serve_settings(str(off)).prime is False
    assert serve_settings(str(off), prime=True).prime is True
    monkeypatch.setenv("MANDATEGRAPH_SERVER_PRIME", "false")
    assert serve_settings(None).prime is False
