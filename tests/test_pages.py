"""Page contexts and routes of the mandate-lineage browser (issue 4), over the hand-written
scene in tests/fixtures/pages-sample.trig (built through mandategraph.build)."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from rdflib import URIRef

from mandategraph.server.views.env import PageEnv
from mandategraph.server.views.nodes import load_node
from mandategraph.server.views.pages import (
    body_page, document_page, instrument_page, session_page,
)

B = "https://w3id.org/mandategraph"
CRP3 = f"{B}/doc/CTOC/COP/2024/CRP.3"
R91 = f"{B}/instrument/ctoc-cop/resolution/9-1"
R101 = f"{B}/instrument/ctoc-cop/resolution/10-1"
R112 = f"{B}/instrument/ctoc-cop/resolution/11-2"
D55 = f"{B}/instrument/ctoc-cop/decision/5-5"
S12 = f"{B}/body/ctoc-cop/session/12"
COP = f"{B}/body/ctoc-cop"


def env(store, prefs=("en",)) -> PageEnv:
    return PageEnv(store=store, base=B, prefs=tuple(prefs))


def node(penv: PageEnv, iri: str):
    return load_node(penv, URIRef(iri))


# ---------------------------------------------------------------------------- document
def test_document_page_identity_and_placement(pages_store) -> None:
    page = document_page(env(pages_store), node(env(pages_store), CRP3))
    assert page.symbol == "CTOC/COP/2024/CRP.3"
    comps = dict(page.components)
    assert comps["series"] == "CTOC/COP" and comps["special component"] == "CRP" and comps["number"] == "3"
    assert page.header.kind == "document" and "Conference room paper" in page.header.types
    assert [v.link.iri for v in page.sessions] == [S12]
    assert [v.link.iri for v in page.agenda_items] == [f"{B}/agenda/CTOC/COP/2024/1/item/2-a"]
    assert page.agenda_items[0].text == "item 2(a): Constructive dialogues"
    assert page.body is not None and page.body.iri == COP  # derived from the symbol's series
    assert ("en", "Constructive dialogues on the review process: summaries by the Chairs") in page.titles


def test_document_lineage_reaches_the_paragraph_instrument_and_recalls(pages_store) -> None:
    page = document_page(env(pages_store), node(env(pages_store), CRP3))
    assert len(page.mandates) == 1
    ml = page.mandates[0]
    assert ml.instrument.iri == R91 and ml.instrument.label == "Conference of the Parties to the United Nations Convention against Transnational Organized Crime resolution 9/1"
    assert ml.paragraph.iri == f"{R91}/annex-53" and ml.paragraph.label.endswith("resolution 9/1, annex, para. 53")
    assert ml.paragraph_text.startswith("Constructive dialogues with relevant stakeholders")
    assert ml.mandate is not None and ml.mandate.status == "fulfilled"
    assert ml.mandate.addressee.link.iri == f"{B}/body/ctoc-cop-wg-4"
    quotes = [p.quote for p in ml.provs]
    assert any("pursuant to paragraph 53" in q for q in quotes if q)
    prov = next(p for p in ml.provs if p.quote)
    assert prov.source.label == "CTOC/COP/2024/1 (en)" and prov.source.href == "/doc/CTOC/COP/2024/1"
    assert prov.start is not None and prov.end > prov.start and prov.rule == "en.agenda.mandate"
    assert [(r.link.iri, r.relation, r.depth) for r in ml.recalls] == [(D55, "recalls", 1)]
    keys = {n.key for n in page.lineage.nodes}
    assert {CRP3, f"{R91}/annex-53", R91, D55} <= keys
    levels = {n.key: n.level for n in page.lineage.nodes}
    assert levels[CRP3] < levels[f"{R91}/annex-53"] < levels[R91] < levels[D55]


def test_lineage_svg_is_wellformed_linked_and_escaped(pages_store) -> None:
    page = document_page(env(pages_store), node(env(pages_store), CRP3))
    svg = page.lineage.svg
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.get("role") == "img" and root.find("s:title", ns).text.startswith("Lineage of")
    hrefs = {a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")}
    assert {"/doc/CTOC/COP/2024/CRP.3", "/instrument/ctoc-cop/resolution/9-1",
            "/instrument/ctoc-cop/decision/5-5"} <= hrefs
    labels = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}tspan"))
    assert "decision 5/5" in labels and "annex, para. 53" in labels


def test_svg_escapes_labels() -> None:
    from mandategraph.server.views.svg import render
    from mandategraph.server.views.model import Lineage, LineageEdge, LineageNode

    nodes = (LineageNode("a", "<script>alert(1)</script>", "document", "/x?a=1&b=2", 0),
             LineageNode("b", "B & C", "instrument", "/y", 1))
    svg = render(Lineage(nodes, (LineageEdge("a", "b", "recalls"),)), "t <t>")
    root = ET.fromstring(svg)  # well-formed despite markup in labels
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert any(a.get("href") == "/x?a=1&b=2" for a in root.iter("{http://www.w3.org/2000/svg}a"))


# ---------------------------------------------------------------------------- instrument
def test_instrument_page_mandates_with_every_status(pages_store) -> None:
    page = instrument_page(env(pages_store), node(env(pages_store), R101))
    status = {m.link.iri.rsplit("/", 1)[-1]: m.status for m in page.mandates}
    assert status == {"op-3": "overdue", "op-4": "planned", "op-6": "not-carried-out",
                      "op-7": "oral-report", "op-8": "fulfilled"}
    op8 = next(m for m in page.mandates if m.link.iri.endswith("op-8"))
    assert [v.text for v in op8.fulfilled_by] == ["CTOC/COP/2024/8"]
    assert op8.fulfilled_by[0].provs and op8.fulfilled_by[0].provs[0].method == "title-match"
    op3 = next(m for m in page.mandates if m.link.iri.endswith("op-3"))
    assert op3.addressee.text == "Secretariat of the United Nations"
    assert op3.output.text == "report" and op3.due.link.iri == f"{B}/body/ctoc-cop/session/11"
    assert op3.paragraph_text.startswith("Requests the Secretariat to submit a report")
    assert op3.provs and "3. Requests the Secretariat" in op3.provs[0].quote
    op6 = next(m for m in page.mandates if m.link.iri.endswith("op-6"))
    assert op6.status_label == "not carried out" and "extrabudgetary" in op6.status_note


def test_instrument_page_recalls_recalled_by_drafts_paragraphs(pages_store) -> None:
    page = instrument_page(env(pages_store), node(env(pages_store), R101))
    assert [(r.link.iri, r.depth) for r in page.recalls] == [(R91, 1), (D55, 2)]
    assert "Recalling its resolution 9/1" in page.recalls[0].provs[0].quote
    assert [v.link.iri for v in page.recalled_by] == [R112]
    assert [v.text for v in page.drafts] == ["CTOC/COP/2020/L.5"]
    assert page.drafts[0].provs[0].method == "title-match" and page.drafts[0].provs[0].confidence == 0.9
    assert [p.number for p in page.paragraphs] == ["3", "4", "6", "7", "8"]
    assert page.paragraphs[0].mandates[0].iri == f"{R101}/mandate/op-3"
    assert [v.text for v in page.carried_by] == ["CTOC/COP/2020/10"]
    assert [v.link.iri for v in page.adopted_at] == [f"{B}/body/ctoc-cop/session/10"]
    assert ("en", "Launch of the review process") == page.titles[0]
    assert {R101, R91, D55} == {n.key for n in page.lineage.nodes}
    assert "CTOC/COP/2024/8" in [v.text for v in page.mandated_documents]


# ---------------------------------------------------------------------------- session, body
def test_session_page_agenda_documents_and_mandates_due(pages_store) -> None:
    page = session_page(env(pages_store), node(env(pages_store), S12))
    assert page.start == "2024-10-14" and page.end == "2024-10-18" and page.place == "Vienna"
    items = {e.number: e for e in page.agenda}
    assert list(items) == ["2", "2(a)", "3", ""]  # natural order, then documents without an item
    assert items["2(a)"].depth == 1 and items["2(a)"].title == "Constructive dialogues"
    assert [d.value.text for d in items["2(a)"].documents] == ["CTOC/COP/2024/CRP.3"]
    assert items["2(a)"].documents[0].title.startswith("Constructive dialogues on the review process")
    assert [m.link.iri for m in items["3"].mandates] == [f"{R101}/mandate/op-8"]
    assert [d.value.text for d in items[""].documents] == ["CTOC/COP/2024/1"]
    due = {m.link.iri.rsplit("/", 1)[-1]: m.status for m in page.due}
    assert due == {"annex-53": "fulfilled", "op-7": "oral-report", "op-8": "fulfilled"}


def test_body_page_sessions_working_groups_meetings(pages_store) -> None:
    page = body_page(env(pages_store), node(env(pages_store), COP))
    assert [s.label for s in page.sessions] == ["thirteenth session", "twelfth session", "eleventh session", "tenth session"]
    groups = {g.body.iri: g for g in page.subsidiaries}
    wg4 = groups[f"{B}/body/ctoc-cop-wg-4"]
    assert wg4.body.label == "Working Group on Trafficking in Persons"
    assert [m.label for m in wg4.meetings] == ["CTOC/COP/WG.4 · Meeting 13"]
    assert {i.iri for i in page.instruments} == {R91, R101, R112, D55}
    assert page.notation == "CTOC/COP"
    assert ("en", "Conference of the Parties to the United Nations Convention against Transnational Organized Crime") in page.names


# ---------------------------------------------------------------------------- languages
def test_labels_follow_the_users_language_with_fallbacks(pages_store) -> None:
    zh = env(pages_store, ("zh", "en"))
    page = instrument_page(zh, node(zh, R101))
    assert page.titles[0] == ("zh", "启动审议进程")
    assert page.header.title == "联合国打击跨国有组织犯罪公约缔约方会议第10/1号决议"  # UN citation form in Chinese
    assert zh.term("https://w3id.org/mandategraph/ontology#addressee") == "受托方"
    op6 = next(m for m in page.mandates if m.link.iri.endswith("op-6"))
    assert op6.status_label == "未能进行"
    fr = env(pages_store, ("fr", "en"))
    assert fr.label(R101).endswith("Organized Crime resolution 10/1")  # no French: English
    ru = env(pages_store, ("ru",))  # not even English asked for: any language
    assert ru.label(f"{B}/agenda/CTOC/COP/2024/1/item/2") in {"item 2: Review mechanism", "item 2: 审议机制"}


def test_language_negotiation_over_http(pages_client) -> None:
    r = pages_client.get("/instrument/ctoc-cop/resolution/10-1", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert r.status_code == 200 and r.headers["content-language"] == "zh"
    assert '<html lang="zh">' in r.text and "任务授权" in r.text and "启动审议进程" in r.text
    r = pages_client.get("/instrument/ctoc-cop/resolution/10-1?lang=en", headers={"Accept-Language": "zh"})
    assert r.headers["content-language"] == "en" and "Mandates" in r.text
    assert 'href="/instrument/ctoc-cop/resolution/9-1?lang=en"' in r.text  # shared links keep ?lang
    assert "accept-language" in r.headers["vary"].lower()


def test_accept_language_parsing() -> None:
    from mandategraph.server.views.lang import negotiate, parse_accept_language

    assert parse_accept_language("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5") == ["fr", "en", "de"]
    assert parse_accept_language("en;q=0, zh") == ["zh"]
    assert negotiate("zh-Hans", "fr") == ("zh", "fr", "en")
    assert negotiate("<bad>", None) == ("en",)


# ---------------------------------------------------------------------------- mandate status view
def test_mandates_view_filters_and_counts(pages_client) -> None:
    data = pages_client.get("/mandates.json").json()
    assert data["counts"] == {"overdue": 1, "open": 0, "planned": 1, "oral-report": 1,
                              "not-carried-out": 1, "fulfilled": 2}
    over = pages_client.get("/mandates.json?status=overdue").json()["mandates"]
    assert [m["iri"] for m in over] == [f"{R101}/mandate/op-3"]
    s12 = pages_client.get("/mandates.json?session=12").json()["mandates"]
    assert {m["iri"].rsplit("/", 1)[-1] for m in s12} == {"annex-53", "op-7", "op-8"}
    by_body = pages_client.get("/mandates.json", params={"body": COP}).json()["mandates"]
    assert len(by_body) == 6
    assert pages_client.get("/mandates.json?body=ctoc-cop").json()["mandates"] == by_body
    assert pages_client.get("/mandates.json?body=ga").json()["mandates"] == []
    html = pages_client.get("/mandates?status=overdue").text
    assert "s-overdue" in html and "op-3" in html and "op-8" not in html


def test_mandates_csv_download(pages_client) -> None:
    for url in ("/mandates.csv?status=fulfilled", "/mandates?status=fulfilled&format=csv"):
        r = pages_client.get(url)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert "attachment" in r.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert {row["mandate"].rsplit("/", 1)[-1] for row in rows} == {"annex-53", "op-8"}
        assert {row["fulfilled_by"] for row in rows} == {"CTOC/COP/2024/CRP.3", "CTOC/COP/2024/8"}
    r = pages_client.get("/mandates", headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")


# ---------------------------------------------------------------------------- search
@pytest.mark.parametrize("typed", ["ctoc/cop/2024/crp.3", "ＣＴＯＣ／ＣＯＰ／２０２４／ＣＲＰ．３",
                                   " CTOC / COP / 2024 / CRP.3 ", "（CTOC/COP/2024/CRP.3）。"])
def test_search_accepts_any_symbol_form(pages_client, typed: str) -> None:
    r = pages_client.get("/search", params={"q": typed}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/doc/CTOC/COP/2024/CRP.3"


def test_search_suggests_near_misses_and_finds_numbers_and_titles(pages_client) -> None:
    near = pages_client.get("/search.json", params={"q": "ctoc/cop/2024/crp.4"}).json()
    assert near["normalised"] == "CTOC/COP/2024/CRP.4" and near["exact"] == []
    assert "CTOC/COP/2024/CRP.3" in [h["label"] for h in near["suggestions"]]
    html = pages_client.get("/search", params={"q": "ctoc/cop/2024/crp.4"}).text
    assert "Did you mean" in html and 'href="/doc/CTOC/COP/2024/CRP.3"' in html
    r = pages_client.get("/search", params={"q": "resolution 9/1"}, follow_redirects=False)
    assert r.headers["location"] == "/instrument/ctoc-cop/resolution/9-1"
    text = pages_client.get("/search.json", params={"q": "review process"}).json()
    assert R101 in [h["iri"] for h in text["results"]]
    assert pages_client.get("/search.json", params={"q": "zz/nothing"}).json()["results"] == []
    r = pages_client.get("/search", params={"q": "ctoc/cop/2024/crp.3"}, headers={"Accept": "application/json"})
    assert r.json()["exact"][0]["iri"] == CRP3


# ---------------------------------------------------------------------------- provenance, twins, html
def test_every_fact_on_the_document_page_carries_its_quote(pages_client) -> None:
    html = pages_client.get("/doc/CTOC/COP/2024/CRP.3").text
    assert html.count('<details class="prov">') >= 5
    assert "issued as a conference room paper (CTOC/COP/2024/CRP.3)" in html
    assert 'href="/doc/CTOC/COP/2024/1"' in html and "en.agenda.documentation" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="lineage"' in html  # no JS needed


def test_data_twins_are_advertised(pages_client) -> None:
    r = pages_client.get("/doc/CTOC/COP/2024/CRP.3")
    assert '</doc/CTOC/COP/2024/CRP.3.ttl>; rel="alternate"; type="text/turtle"' in r.headers["link"]
    assert 'href="/doc/CTOC/COP/2024/CRP.3.jsonld"' in r.text
    r = pages_client.get("/mandates?status=open")
    assert '</mandates.csv?status=open>; rel="alternate"; type="text/csv"' in r.headers["link"]
    r = pages_client.get("/search?q=review")
    assert "/search.json?q=review" in r.headers["link"]


def test_semantic_accessible_markup(pages_client) -> None:
    for url in ("/", "/doc/CTOC/COP/2024/CRP.3", "/instrument/ctoc-cop/resolution/10-1",
                "/body/ctoc-cop/session/12", "/body/ctoc-cop", "/mandates", "/search?q=review"):
        html = pages_client.get(url).text
        assert html.count("<h1") == 1, url
        assert '<main id="main"' in html and 'class="skip" href="#main"' in html, url
        assert 'role="search"' in html and '<label for="q"' in html, url
        assert 'name="viewport"' in html and "<nav" in html, url
        assert "http://" not in html.replace("http://www.w3.org/2000/svg", ""), url  # nothing fetched


def test_other_nodes_get_a_generic_page_and_unknown_iris_404(pages_client) -> None:
    r = pages_client.get("/instrument/ctoc-cop/resolution/9-1/mandate/annex-53")
    assert r.status_code == 200 and "fulfilled by" in r.text
    r = pages_client.get("/agenda/CTOC/COP/2024/1/item/2-a")
    assert r.status_code == 200 and "CTOC/COP/2024/CRP.3" in r.text
    assert pages_client.get("/doc/CTOC/COP/1999/404").status_code == 404
    svg = pages_client.get("/lineage.svg", params={"iri": CRP3})
    assert svg.headers["content-type"] == "image/svg+xml"
    ET.fromstring(svg.content)


def test_text_from_the_graph_is_escaped(pages_store) -> None:
    from fastapi.testclient import TestClient
    from rdflib import Literal

    from fixtures_pages import load_trig, page_app, SAMPLE
    from mandategraph.core.namespaces import UN

    store = load_trig(SAMPLE)
    doc = URIRef(f"{B}/doc/X/1")
    store.replace_graph(f"{B}/graph/evil", [
        (doc, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), UN.Document),
        (doc, UN.symbol, Literal("X/1")),
        (doc, UN.title, Literal('<script>alert("x")</script><img src=x onerror=alert(1)>', lang="en")),
    ])
    html = TestClient(page_app(store)).get("/doc/X/1").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_shacl_link_for_a_node_with_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """A node with SHACL results links to its report; the report lists them."""
    from fastapi.testclient import TestClient
    from rdflib import Graph

    import mandategraph.validate.report as validate
    from fixtures_pages import load_trig, page_app, SAMPLE
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix un: <https://w3id.org/mandategraph/ontology#> .
        <urn:test:CrpDated> a sh:NodeShape ; sh:targetClass un:ConferenceRoomPaper ;
          sh:property [ sh:path un:date ; sh:minCount 1 ; sh:severity sh:Warning ;
                        sh:message "a conference room paper should have a date" ] .
    """, format="turtle")
    monkeypatch.setattr(validate, "shapes_graph", lambda: shapes)
    store = load_trig(SAMPLE)
    client = TestClient(page_app(store))
    html = client.get("/doc/CTOC/COP/2024/CRP.3").text
    assert "SHACL: 0 violation(s), 1 warning(s)" in html
    assert f'href="/shacl?node={CRP3.replace(":", "%3A").replace("/", "%2F")}"' in html
    report = client.get("/shacl", params={"node": CRP3})
    assert "a conference room paper should have a date" in report.text
    j = client.get("/shacl", params={"node": CRP3}, headers={"Accept": "application/json"}).json()
    assert j["state"] == "ready" and j["results"][0]["severity"] == "Warning"
    assert "SHACL: no violations" in client.get("/instrument/ctoc-cop/resolution/9-1").text


def test_render_resource_contract(pages_store) -> None:
    """Server I's linked-data router awaits render_resource(request, iri) -> Response | None."""
    import asyncio

    from starlette.requests import Request

    from mandategraph.server.views import render_resource

    app = SimpleNamespace(state=SimpleNamespace(store=pages_store, settings=SimpleNamespace(base_iri=B)))
    scope = {"type": "http", "method": "GET", "path": "/x", "query_string": b"", "headers": [],
             "app": app, "root_path": ""}
    from concurrent.futures import ThreadPoolExecutor

    def run(coro):  # a fresh loop in its own thread: an earlier test may have left one running
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coro).result()

    page = run(render_resource(Request(scope), CRP3))
    assert page.status_code == 200 and b"CTOC/COP/2024/CRP.3" in page.body
    assert run(render_resource(Request(scope), f"{B}/doc/NOT/THERE")) is None


def test_a_document_carrying_an_instrument_shows_its_recall_chain(pages_store) -> None:
    page = document_page(env(pages_store), node(env(pages_store), f"{B}/doc/CTOC/COP/2020/10"))
    assert [v.link.iri for v in page.carries] == [R101]
    (inst, recalls), = page.carried_recalls
    assert inst.iri == R101 and [(r.link.iri, r.depth) for r in recalls] == [(R91, 1), (D55, 2)]
    assert {f"{B}/doc/CTOC/COP/2020/10", R101, R91, D55} == {n.key for n in page.lineage.nodes}
    assert any(e.label == "carries" for e in page.lineage.edges)


def test_home_lists_bodies_sessions_and_totals(pages_client) -> None:
    from mandategraph.server.views.search import home_page

    page = home_page(PageEnv(store=pages_client.app.state.store, base=B, prefs=("en",)))
    assert dict(page.counts) == {"documents": 5, "instruments": 4, "mandates": 6}
    cop = next(b for b in page.bodies if b.body.iri == COP)
    assert [(s.label, n) for s, n in cop.sessions][:2] == [("thirteenth session", 0), ("twelfth session", 3)]
    html = pages_client.get("/").text
    assert 'href="/body/ctoc-cop/session/12"' in html and 'action="/search"' in html


def test_full_app_serves_the_pages(pages_store) -> None:
    """Server I's create_app: minted IRIs (linked-data router) render through render_resource
    for browsers and stay RDF for RDF clients; the browser's own routes and static files are on."""
    from fastapi.testclient import TestClient

    from mandategraph.server.app import create_app
    from mandategraph.server.settings import Settings

    with TestClient(create_app(Settings(workers=1), pages_store)) as client:
        html = client.get("/doc/CTOC/COP/2024/CRP.3", headers={"Accept": "text/html"})
        assert html.status_code == 200 and 'class="lineage"' in html.text
        ttl = client.get("/doc/CTOC/COP/2024/CRP.3", headers={"Accept": "text/turtle"})
        assert ttl.headers["content-type"].startswith("text/turtle")
        assert client.get("/mandates.csv").text.startswith("mandate,instrument")
        assert client.get("/static/browser.js").status_code == 200
        assert "Conference of the Parties" in client.get("/").text


def test_resource_view_for_iris_outside_the_base(pages_client) -> None:
    r = pages_client.get("/resource", params={"iri": CRP3})
    assert r.status_code == 200 and "CTOC/COP/2024/CRP.3" in r.text
    r = pages_client.get("/resource", params={"iri": "http://example.org/nothing"})
    assert r.status_code == 404 and "Not in the graph" in r.text
    assert pages_client.get("/instrument/ctoc-cop/resolution/9-1?lang=zh").text.count("附件第53段") >= 1
