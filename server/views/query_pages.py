"""The SPARQL page and the named-queries pages (issue 18): forms over the server's own endpoints.

A plain form rather than a vendored editor: YASGUI (``@zazuko/yasgui`` 4.6.2, MIT) is a
1.0 MB minified script plus 56 KB of CSS and fetches prefixes from prefix.cc unless
configured off; a textarea with the named queries as examples, a DISTINCT switch and a small
script that renders ``application/sparql-results+json`` as a table does what the issue asks,
works without JavaScript (the form then submits to ``/sparql`` or ``/queries/{name}`` and the
browser receives the results file), and loads nothing from outside. docs/browser.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from mandategraph.query import NamedQuery, get, public_queries, registry

from .env import PageEnv

#: Result formats offered as download links (``format=`` values of server/conneg.py).
DOWNLOADS = (("csv", "CSV"), ("tsv", "TSV"), ("json", "JSON"), ("xml", "XML"))
#: Rows per page of a named query's results (``limit``/``offset`` of /queries/{name}).
PAGE_ROWS = 100


@dataclass(frozen=True)
class QueryCard:
    name: str
    title: str
    description: str
    params: tuple[tuple[str, str], ...]  #: (name, type)
    page_href: str
    api_href: str
    text_href: str
    helper: bool  #: a query the browser pages use (``page-*``)
    description_lang: str = "en"  #: descriptions are written in English only


def card(env: PageEnv, q: NamedQuery) -> QueryCard:
    types = dict(q.param_types)
    title = q.title_zh if env.ui == "zh" and q.title_zh else q.title
    return QueryCard(q.name, title, q.description,
                     tuple((p, types.get(p, "string")) for p in q.params),
                     env.url(f"/named-queries/{q.name}"), f"{env.root}/queries/{q.name}",
                     f"{env.root}/queries/{q.name}.rq", q.name.startswith("page-"))


def cards(env: PageEnv) -> list[QueryCard]:
    return sorted((card(env, q) for q in public_queries()), key=lambda c: (c.helper, c.name))


def examples(env: PageEnv) -> list[tuple[str, str, str]]:
    """(name, title, text) of the named queries that run without parameters."""
    return [(c.name, c.title, get(c.name).text) for c in cards(env) if not c.params and not c.helper]


def named_query(env: PageEnv, name: str) -> tuple[QueryCard, str] | None:
    q = registry().get(name)  # registered names only (get() would also read a file path)
    if q is None or q.internal:
        return None
    return card(env, q), q.text


__all__ = ["DOWNLOADS", "PAGE_ROWS", "QueryCard", "card", "cards", "examples", "named_query"]
