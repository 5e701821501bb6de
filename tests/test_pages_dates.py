"""Dates proven by the date's own words (issue 18, point 7): a document page shows, as the
source of its date, the date as printed ("16 July 2024", "3 December 2025"), not the symbol
or title line the document's node is quoted by."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fixtures_pages import page_app

from mandategraph.pipeline.batch import build_paths
from mandategraph.store.factory import open_store

PDF = Path(__file__).resolve().parent.parent / "data" / "corpus" / "pdf" / "A_RES_80_50.pdf"
_DATE_DD = re.compile(r'<dt>[^<]*</dt><dd><span class="val"><span[^>]*>(\d{4}-\d\d-\d\d)</span>'
                      r'<details class="prov">.*?<blockquote[^>]*>([^<]*)</blockquote>', re.S)


@pytest.fixture(scope="module")
def dated_client(seed_path: Path):
    store = open_store(None, backend="oxigraph")
    report = build_paths([seed_path, PDF], store)
    assert not report.errors, report.errors
    with TestClient(page_app(store)) as c:
        yield c


@pytest.mark.parametrize("path, date, quote", [
    ("/doc/CTOC/COP/2024/1", "2024-07-16", "16 July 2024"),
    ("/doc/A/RES/80/50", "2025-12-03", "3 December 2025"),
])
def test_a_document_date_quotes_the_date(dated_client, path: str, date: str, quote: str) -> None:
    html = re.sub(r">\s+<", "><", dated_client.get(path).text)
    found = {d: q.strip() for d, q in _DATE_DD.findall(html)}
    assert found.get(date) == quote, (path, found)
