"""End-to-end tests of the mandate-lineage browser in Debian's Chromium (Playwright, headless, 127.0.0.1 only).

Screenshots land in tests/artifacts/ (gitignored); each is checked to be a real PNG. The first
group runs over the hand-written scene (fast, stable facts); the second builds the seed and the
PDF corpus with the real pipeline and serves them with the browser routes (the full app's
HTML path is tested in test_pages.py::test_full_app_serves_the_pages).
"""

from __future__ import annotations

import re

import pytest

from fixtures_pages import screenshot

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture()
def page(pages_browser):
    ctx = pages_browser.new_context(viewport=DESKTOP, locale="en-GB")
    pg = ctx.new_page()
    yield pg
    ctx.close()


@pytest.fixture()
def phone(pages_browser):
    ctx = pages_browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2,
                              locale="en-GB")
    pg = ctx.new_page()
    yield pg
    ctx.close()


def _no_external_requests(pg, origin: str) -> list[str]:
    seen: list[str] = []
    pg.on("request", lambda req: seen.append(req.url) if not req.url.startswith(origin) else None)
    return seen


# ---------------------------------------------------------------------------- hand-written scene
def test_keyboard_search_with_a_loosely_typed_symbol(page, pages_sample_site) -> None:
    outside = _no_external_requests(page, pages_sample_site.url)
    page.goto(pages_sample_site.url + "/")
    page.keyboard.press("/")  # the shortcut focuses the search box
    assert page.evaluate("document.activeElement.id") == "q2"
    page.keyboard.type("ＣＴＯＣ／ＣＯＰ／２０２４／ＣＲＰ．３")
    page.get_by_role("option").first.wait_for()  # suggestions appear while typing
    page.keyboard.press("Escape")  # closes them and keeps what was typed
    assert page.locator("#q2").input_value() == "ＣＴＯＣ／ＣＯＰ／２０２４／ＣＲＰ．３"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/doc/CTOC/COP/2024/CRP\.3$"))
    assert page.locator("h1").inner_text().startswith("CTOC/COP/2024/CRP.3")
    screenshot(page, "sample-document-desktop")
    assert outside == [], f"requests left 127.0.0.1: {outside}"


def test_tab_order_starts_with_the_skip_link(page, pages_sample_site) -> None:
    page.goto(pages_sample_site.url + "/instrument/ctoc-cop/resolution/10-1")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator("a.skip").is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    focused = []
    for _ in range(12):  # every stop is a real control, and each one shows a focus ring
        page.keyboard.press("Tab")
        focused.append(page.evaluate(
            "[document.activeElement.tagName, getComputedStyle(document.activeElement).outlineStyle]"))
    assert all(tag in ("A", "BUTTON", "SUMMARY", "INPUT", "SELECT", "DIV") for tag, _ in focused), focused
    assert all(style != "none" for _, style in focused), focused


def test_suggestions_while_typing(page, pages_sample_site) -> None:
    page.goto(pages_sample_site.url + "/")
    page.locator("#q2").press_sequentially("ctoc/cop/2024/crp", delay=20)
    option = page.get_by_role("option", name="CTOC/COP/2024/CRP.3")
    option.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/doc/CTOC/COP/2024/CRP\.3$"))


def test_provenance_opens_with_the_keyboard(page, pages_sample_site) -> None:
    page.goto(pages_sample_site.url + "/doc/CTOC/COP/2024/CRP.3")
    details = page.locator("dd details.prov").first
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    assert details.get_attribute("open") is not None
    quote = details.locator("blockquote").first
    assert quote.is_visible() and "CTOC/COP/2024/CRP.3" in quote.inner_text()
    assert details.locator("figcaption a").first.inner_text() == "CTOC/COP/2024/1 (en)"
    screenshot(page, "sample-provenance-open", full_page=False)
    page.keyboard.press("Escape")
    assert details.get_attribute("open") is None


def test_lineage_picture_works_without_javascript(pages_browser, pages_sample_site) -> None:
    ctx = pages_browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    pg = ctx.new_page()
    try:
        pg.goto(pages_sample_site.url + "/doc/CTOC/COP/2024/CRP.3")
        svg = pg.locator("svg.lineage")
        assert svg.is_visible() and svg.bounding_box()["height"] > 200
        pg.locator('svg.lineage a[href="/instrument/ctoc-cop/decision/5-5"]').click()
        pg.wait_for_url(re.compile(r"/instrument/ctoc-cop/decision/5-5$"))
        assert "5/5" in pg.locator("h1").inner_text()
    finally:
        ctx.close()


def test_mandate_status_filter_and_csv(page, pages_sample_site) -> None:
    page.goto(pages_sample_site.url + "/mandates")
    page.get_by_label("mandate status").select_option("overdue")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"status=overdue"))
    rows = page.locator("table.mandates tbody tr")
    assert rows.count() == 1 and "op-3" in rows.first.inner_text().replace(" ", "-") or "para. 3" in rows.first.inner_text()
    assert page.locator("table.mandates .status").first.inner_text() == "overdue"
    with page.expect_download() as dl:
        page.get_by_role("link", name="Download CSV").click()
    text = open(dl.value.path(), encoding="utf-8").read()
    assert text.splitlines()[0].startswith("mandate,instrument,body") and len(text.splitlines()) == 2
    screenshot(page, "sample-mandates-overdue")


@pytest.mark.parametrize("path,name", [
    ("/doc/CTOC/COP/2024/CRP.3", "document"),
    ("/instrument/ctoc-cop/resolution/10-1", "instrument"),
    ("/body/ctoc-cop/session/12", "session"),
    ("/body/ctoc-cop", "body"),
    ("/mandates", "mandates"),
    ("/", "home"),
])
def test_pages_fit_a_phone(phone, pages_sample_site, path: str, name: str) -> None:
    phone.goto(pages_sample_site.url + path)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{path}: page is {width}px wide on a {PHONE['width']}px phone"
    screenshot(phone, f"sample-{name}-phone")


def test_chinese_interface(page, pages_sample_site) -> None:
    page.goto(pages_sample_site.url + "/instrument/ctoc-cop/resolution/10-1?lang=zh")
    assert page.locator("html").get_attribute("lang") == "zh"
    assert "第10/1号决议" in page.locator("h1").inner_text()  # the UN Chinese citation form
    assert page.get_by_role("heading", name=re.compile("任务授权")).first.is_visible()
    page.get_by_role("link", name="Resolution 9/1", exact=False).count()  # links keep ?lang=zh
    page.locator("ol.recalls a").first.click()
    page.wait_for_url(re.compile(r"/instrument/ctoc-cop/resolution/9-1\?lang=zh$"))
    screenshot(page, "sample-instrument-zh")


# ---------------------------------------------------------------------------- real data
def test_real_lineage_of_crp3_to_resolution_9_1(page, phone, pages_real_site) -> None:
    outside = _no_external_requests(page, pages_real_site.url)
    page.goto(pages_real_site.url + "/")
    page.locator("#q2").fill("ctoc/cop/2024/crp.3")
    page.locator("#q2").press("Enter")
    page.wait_for_url(re.compile(r"/doc/CTOC/COP/2024/CRP\.3$"))
    assert page.locator("svg.lineage").is_visible()
    assert page.locator("article.mandate-link blockquote.quote").first.is_visible()
    screenshot(page, "real-crp3-desktop")
    page.locator("article.mandate-link h3 a", has_text="9/1").first.click()
    page.wait_for_url(re.compile(r"/instrument/ctoc-cop/resolution/9-1$"))
    assert "9/1" in page.locator("h1").inner_text()
    assert "CTOC/COP/2024/CRP.3" in page.locator("#mandates ~ *").all_inner_texts().__str__() or \
        page.get_by_role("link", name="CTOC/COP/2024/CRP.3").count() >= 1
    screenshot(page, "real-resolution-9-1-desktop")
    phone.goto(pages_real_site.url + "/doc/CTOC/COP/2024/CRP.3")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    screenshot(phone, "real-crp3-phone")
    assert outside == [], f"requests left 127.0.0.1: {outside}"


def test_real_resolution_from_the_pdf_corpus_and_its_recalls(page, pages_real_site) -> None:
    page.goto(pages_real_site.url + "/search?q=" + "a/res/80/14")
    page.wait_for_url(re.compile(r"/doc/A/RES/80/14$"))
    screenshot(page, "real-a-res-80-14")
    page.locator("dd a", has_text="General Assembly resolution 80/14").first.click()  # the instrument it carries
    page.wait_for_url(re.compile(r"/instrument/ga/resolution/80-14$"))
    recalls = page.locator("ol.recalls li a")
    assert recalls.count() >= 2
    target = recalls.first.inner_text()
    number = re.search(r"\d+/\d+", target).group(0)
    screenshot(page, "real-resolution-80-14")
    recalls.first.click()
    page.wait_for_url(re.compile(r"/instrument/ga/"))
    assert number in page.locator("h1").inner_text()
    recalled_by = page.locator("section.cited-by a").all_inner_texts()
    assert any("80/14" in t for t in recalled_by)


def test_real_session_and_mandates_pages(page, pages_real_site) -> None:
    page.goto(pages_real_site.url + "/body/ctoc-cop/session/12?lang=zh")
    assert "第十二届会议" in page.locator("h1").inner_text()
    # what the agenda holds depends on the extractors; the page must show some of it
    assert page.locator("#agenda ~ ol.agenda > li, #due ~ div table tbody tr").count() >= 1
    screenshot(page, "real-session-12-zh")
    page.goto(pages_real_site.url + "/mandates")
    assert page.locator("table.mandates tbody tr").count() >= 10
    screenshot(page, "real-mandates")
