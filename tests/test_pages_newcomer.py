"""Issue 18 on the page builders and routes (no browser): search forms, citation forms, the
home page's organs and sponsors, the SPARQL and named-query pages, paging of named queries."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from fixtures_pages import page_app
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from mandategraph.query import QueryError, get, paged, public_queries
from mandategraph.server.views import citation
from mandategraph.server.views.env import PageEnv
from mandategraph.server.views.search import home_page, search
from mandategraph.server.views.search_forms import read_number
from mandategraph.store.factory import open_store

B = "https://w3id.org/mandategraph"
UN = "https://w3id.org/mandategraph/ontology#"


def u(local: str) -> URIRef:
    return URIRef(UN + local)


@pytest.fixture(scope="module")
def small_store():
    """70/1 only cited by 80/8; a joint document; a draft sponsored by a State; a GA session."""
    st = open_store(None)
    ga = URIRef(f"{B}/body/ga")
    r701, r808 = URIRef(f"{B}/instrument/ga/resolution/70-1"), URIRef(f"{B}/instrument/ga/resolution/80-8")
    joint = URIRef(f"{B}/doc/E/CN.7/2024/17")
    draft, state = URIRef(f"{B}/doc/A/80/L.13"), URIRef(f"{B}/body/state-x")
    s80 = URIRef(f"{B}/body/ga/session/80")
    triples = [
        (r701, RDF.type, u("Instrument")), (r701, RDF.type, u("Resolution")),
        (r701, u("number"), Literal("70/1")), (r701, u("issuedBy"), ga),
        (r808, RDF.type, u("Instrument")), (r808, RDF.type, u("Resolution")),
        (r808, u("number"), Literal("80/8")), (r808, u("issuedBy"), ga), (r808, u("recalls"), r701),
        (joint, RDF.type, u("Document")), (joint, u("symbol"), Literal("E/CN.7/2024/17")),
        (joint, u("symbol"), Literal("E/CN.15/2024/18")),
        (draft, RDF.type, u("Document")), (draft, u("symbol"), Literal("A/80/L.13")),
        (draft, u("issuedBy"), state), (state, RDF.type, u("Body")), (state, u("title"), Literal("Xland", lang="en")),
        (ga, RDF.type, u("Body")), (s80, RDF.type, u("Session")), (s80, u("sessionOf"), ga),
        (s80, u("number"), Literal(80, datatype=XSD.integer)),
    ]
    st.replace_graph(f"{B}/graph/test", triples)
    return st


def env(store, prefs=("en",)) -> PageEnv:
    return PageEnv(store=store, base=B, prefs=prefs)


# ------------------------------------------------------------------------------ search
@pytest.mark.parametrize("q", ["70/1", "A/RES/70/1", "a/res/70/1", "resolution 70/1", "Resolution 70/1",
                               "第70/1号决议", "大会第70/1号决议", "General Assembly resolution 70/1",
                               "GA resolution 70/1", "Ａ／ＲＥＳ／７０／１"])
def test_a_cited_instrument_is_found_by_its_number_in_any_common_form(small_store, q: str) -> None:
    page = search(env(small_store), q)
    assert [h.link.iri for h in page.exact] == [f"{B}/instrument/ga/resolution/70-1"], (q, page)


@pytest.mark.parametrize("q", ["decision 70/1", "Security Council resolution 70/1", "71/1", "A/RES/71/1"])
def test_wrong_kind_body_or_number_finds_nothing(small_store, q: str) -> None:
    assert search(env(small_store), q).exact == ()


@pytest.mark.parametrize("q", ["E/CN.7/2024/17", "E/CN.15/2024/18", "E/CN.7/2024/17-E/CN.15/2024/18"])
def test_joint_symbols_by_either_part(small_store, q: str) -> None:
    page = search(env(small_store), q)
    assert [h.link.iri for h in page.exact] == [f"{B}/doc/E/CN.7/2024/17"]


def test_suggestions_are_one_per_document(small_store) -> None:
    page = search(env(small_store), "E/CN.7/2024/1")
    iris = [h.link.iri for h in page.suggestions]
    assert iris and len(iris) == len(set(iris)), iris


def test_number_forms_reader() -> None:
    assert read_number("ctoc/cop/2024/crp.3") is None and read_number("A/RES/70/1") is None
    assert read_number("Unknownland resolution 9/1").body_unknown
    nq = read_number("Security Council resolution 2719 (2023)")
    assert (nq.number, nq.kind, nq.body) == ("2719 (2023)", "resolution", "S")


# ------------------------------------------------------------------------------ citation forms
def test_citation_forms_in_both_languages(small_store) -> None:
    en, zh = env(small_store), env(small_store, ("zh",))
    r = f"{B}/instrument/ga/resolution/80-8"
    assert en.label(r) == "General Assembly resolution 80/8"
    assert zh.label(r) == "大会第80/8号决议"
    s = f"{B}/body/ga/session/80"
    assert en.label(s) == "eightieth session of the General Assembly"
    assert zh.label(s) == "大会第八十届会议"
    assert citation.paragraph("zh", "operative", "1") == "第1段"
    assert citation.paragraph("zh", "preamble", "1") == "序言部分第1段"
    assert citation.paragraph("en", "preamble", "1") == "preambular para. 1"
    assert citation.instrument("en", None, "decision", "5/5") == "Decision 5/5"


@pytest.mark.parametrize("n,en,zh", [(1, "first", "一"), (12, "twelfth", "十二"), (21, "twenty-first", "二十一"),
                                     (72, "seventy-second", "七十二"), (80, "eightieth", "八十"),
                                     (100, "one hundredth", "一百"), (105, "one hundred and fifth", "一百零五")])
def test_ordinals(n: int, en: str, zh: str) -> None:
    assert citation.ordinal_en(n) == en and citation.numeral_zh(n) == zh


# ------------------------------------------------------------------------------ home page
def test_home_lists_organs_first_and_sponsors_apart(small_store) -> None:
    page = home_page(env(small_store))
    assert [b.body.iri for b in page.bodies] == [f"{B}/body/ga"]
    assert page.bodies[0].sessions[0][0].label == "eightieth session"
    assert [o.iri for o in page.others] == [f"{B}/body/state-x"]
    with TestClient(page_app(small_store)) as c:
        html = c.get("/").text
    assert '<details class="sponsors">' in html and "Xland" in html.split('<details class="sponsors">')[1]


# ------------------------------------------------------------------------------ query pages
def test_every_navigation_link_is_a_page_and_the_footer_links_the_api_docs(small_store) -> None:
    with TestClient(page_app(small_store)) as c:
        home = c.get("/").text
        for href in ("/sparql-editor", "/named-queries", "/mandates", "/"):
            assert f'href="{href}"' in home
            r = c.get(href)
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), href
        assert 'href="/docs"' in home.split("<footer")[1]


def test_sparql_page_explains_the_union_and_offers_distinct(small_store) -> None:
    with TestClient(page_app(small_store)) as c:
        html = c.get("/sparql-editor").text
        assert "union" in html and 'name="distinct"' in html
        for q in public_queries():
            if not q.params and not q.name.startswith("page-"):
                assert f'<option value="{q.name}"' in html
        assert 'href="/sparql?format=csv' in html
        zh = c.get("/sparql-editor?lang=zh").text
        assert "并集" in zh and "运行" in zh


def test_named_query_pages(small_store) -> None:
    with TestClient(page_app(small_store)) as c:
        listing = c.get("/named-queries").text
        for q in public_queries():
            assert f'href="/named-queries/{q.name}"' in listing
        one = c.get("/named-queries/mandated-by").text
        assert 'name="symbol"' in one and 'action="/queries/mandated-by"' in one
        assert c.get("/named-queries/_resource").status_code == 404
        assert c.get("/named-queries/..%2Fqueries%2Fdocuments.rq").status_code == 404


def test_paged_named_query() -> None:
    text = get("documents").text
    assert paged(text, None, None) == text
    p = paged(text, 20, 40)
    assert p.rstrip().endswith("LIMIT 20\nOFFSET 40")
    capped = "SELECT ?x WHERE { ?x ?p ?o }\nLIMIT 50"
    assert paged(capped, 100, 0).rstrip().endswith("LIMIT 50")  # never past the query's own LIMIT
    assert paged(capped, 100, 40).rstrip().endswith("LIMIT 10\nOFFSET 40")
    for bad in ("0", "-1", "x", str(10**6)):
        with pytest.raises(QueryError):
            paged(text, bad, None)
    with pytest.raises(QueryError):
        paged(text, None, "-3")


# ------------------------------------------------------------------------------ overdue
GA, COP = f"{B}/body/ga", f"{B}/body/ctoc-cop"


@pytest.mark.parametrize("due,adopted,latest,want", [
    (72, (GA, 80), 81, "open"),       # a session already held at adoption: a past reference
    (80, (GA, 80), 81, "open"),       # the adopting session itself: no deadline still to come
    (81, (GA, 80), 82, "overdue"),    # still to come at adoption and now past
    (81, (GA, 80), 81, "open"),       # still to come, and now the latest: not yet past
    (72, None, 81, "overdue"),        # adoption session unknown: the former rule
    (72, (COP, 80), 81, "overdue"),   # another body's numbering says nothing about GA's
])
def test_overdue_only_from_a_due_session_still_to_come_at_adoption(due, adopted, latest, want) -> None:
    from mandategraph.server.views.mandates import effective_status

    assert effective_status("open", False, due, GA, {GA: latest}, adopted) == want
    assert effective_status("open", True, due, GA, {GA: latest}, adopted) == "fulfilled"


def test_real_ga_80_95_para_11_is_not_overdue(pages_real_store) -> None:
    from mandategraph.server.views.mandates import all_mandates

    views = [v for v in all_mandates(env(pages_real_store))
             if v.link.iri.startswith(f"{B}/instrument/ga/resolution/80-95/")]
    assert views, "GA 80/95 has mandates in the corpus build"
    # The extraction (issue 13) no longer reads the past "seventy-second session" report as a due
    # session at all; whichever way the page gets it, paragraph 11 must not be shown overdue.
    op11 = [v for v in views if v.link.iri.endswith("/mandate/op-11")]
    assert op11, [(v.link.iri, v.due and v.due.text) for v in views]
    assert all(v.status != "overdue" for v in op11)
    assert not [v for v in op11 if v.due and "seventy-second" in v.due.text and v.status == "overdue"]


# ------------------------------------------------------------------------------ paraphrases
def test_a_paragraph_text_read_from_an_agenda_is_shown_as_its_summary(pages_real_store) -> None:
    from mandategraph.server.views.nodes import load_node
    from mandategraph.server.views.pages import document_page

    penv = env(pages_real_store)
    crp3 = f"{B}/doc/CTOC/COP/2024/CRP.3"
    ml = document_page(penv, load_node(penv, URIRef(crp3))).mandates[0]
    assert ml.paragraph_text and ml.paragraph_source is not None
    assert ml.paragraph_source.iri == f"{B}/doc/CTOC/COP/2024/1"
    with TestClient(page_app(pages_real_store)) as c:
        html = c.get("/doc/CTOC/COP/2024/CRP.3").text
    assert 'class="para-text paraphrase"' in html and "as summarised in" in html


def test_a_paragraph_text_from_the_instruments_own_document_is_not_a_summary(pages_real_store) -> None:
    from mandategraph.server.views.lineage import _paraphrase_source
    from mandategraph.server.views.nodes import load_node

    penv = env(pages_real_store)
    inst = URIRef(f"{B}/instrument/ga/resolution/80-8")
    para = load_node(penv, URIRef(f"{inst}/op-1"))
    text = para.first(u("text"))
    assert text is not None and _paraphrase_source(penv, para, text, inst) is None


def test_the_sparql_text_does_not_fill_the_search_box(small_store) -> None:
    with TestClient(page_app(small_store)) as c:
        html = c.get("/sparql-editor?query=SELECT%20%3Fx%20WHERE%20%7B%7D").text
    box = re.search(r'<input id="q" [^>]*>', html, re.S).group(0)
    assert 'value=""' in box and "SELECT ?x WHERE {}</textarea>" in html
