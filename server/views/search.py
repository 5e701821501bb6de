"""Home page and search: any symbol form, near-miss suggestions, instrument numbers, titles."""

from __future__ import annotations

import difflib
import re
import unicodedata

from rdflib import Literal, URIRef

from mandategraph.core.namespaces import UN
from mandategraph.symbols import SymbolError, normalise, parse

from .env import PageEnv
from .model import BodySessions, HomePage, Link, SearchHit, SearchPage
from .nodes import kind_of, link, load_node, natural_key

MAX_SUGGESTIONS = 8
_NUMBER = re.compile(r"^(?:(resolution|decision|决议|决定|第)\s*)?(\d{1,4}/\d{1,4})(?:\s*号?\s*(决议|决定))?$", re.I)


def home_page(env: PageEnv) -> HomePage:
    counts = {str(r["kind"]): int(r["n"]) for r in env.select("page-counts")}
    by_body: dict[str, list[tuple[int, Link, int]]] = {}
    for row in env.select("page-home"):
        by_body.setdefault(str(row["body"]), []).append(
            (int(row["n"]), link(env, row["session"]), int(row["docs"])))
    for row in env.select("page-home-bodies"):
        by_body.setdefault(str(row["body"]), [])
    bodies = tuple(
        BodySessions(link(env, URIRef(b)), tuple((lk, docs) for _, lk, docs in sorted(ss, key=lambda t: -t[0])))
        for b, ss in by_body.items())
    bodies = tuple(sorted(bodies, key=lambda b: (-len(b.sessions), b.body.label)))
    return HomePage(tuple((env.msg(f"count-{k}"), counts.get(k, 0)) for k in ("documents", "instruments", "mandates")),
                    bodies)


def _kind(env: PageEnv, iri: URIRef) -> str:
    info = load_node(env, iri)
    return env.msg(f"kind-{kind_of(info.types)}")


def search(env: PageEnv, q: str) -> SearchPage:
    q = (q or "").strip()
    if not q:
        return SearchPage("", None, None, (), (), ())
    error = None
    canonical = None
    try:
        sym = parse(q)
        canonical = sym.identifier
    except SymbolError as e:
        error = str(e)
        sym = None
    exact: list[SearchHit] = []
    if canonical:
        for row in env.select("page-search-symbol", symbol=Literal(canonical)):
            exact.append(SearchHit(link(env, row["doc"]), env.msg("kind-document"), env.msg("why-symbol")))
    flat = unicodedata.normalize("NFKC", q)
    m = _NUMBER.match(flat.replace(" ", "") if "/" in flat else flat)
    if m:
        for row in env.select("page-search-number", number=Literal(m.group(2))):
            exact.append(SearchHit(link(env, row["inst"]), env.msg("kind-instrument"), env.msg("why-number")))
    suggestions: list[SearchHit] = []
    if not exact:
        typed = canonical or normalise(q).upper()
        prefix = sym.prefix if sym is not None else re.split(r"[/\s]", typed, maxsplit=1)[0]
        pool: dict[str, URIRef] = {}
        if prefix:
            for row in env.select("page-symbols-prefix", prefix=Literal(prefix + "/")):
                pool[str(row["symbol"])] = row["doc"]
        upper = {s.upper(): s for s in pool}
        close = difflib.get_close_matches(typed.upper(), list(upper), n=MAX_SUGGESTIONS, cutoff=0.6)
        if not close and sym is not None:
            stem = typed.upper().rsplit("/", 1)[0]
            close = sorted((u for u in upper if u.startswith(stem + "/")), key=natural_key)[:MAX_SUGGESTIONS]
        for u in close:
            suggestions.append(SearchHit(link(env, pool[upper[u]]), env.msg("kind-document"),
                                         env.msg("why-near")))
    results: list[SearchHit] = []
    if len(q) >= 2:
        seen = {h.link.iri for h in exact + suggestions}
        for row in env.select("page-search-text", text=Literal(flat)):
            if str(row["node"]) in seen:
                continue
            seen.add(str(row["node"]))
            results.append(SearchHit(link(env, row["node"]), _kind(env, row["node"]), env.msg("why-text")))
    return SearchPage(q, canonical, error if not (exact or results) else None, tuple(exact),
                      tuple(suggestions), tuple(sorted(results, key=lambda h: natural_key(h.link.label))))


def search_json(page: SearchPage) -> dict:
    def hits(hs: tuple[SearchHit, ...]) -> list[dict]:
        return [{"iri": h.link.iri, "href": h.link.href, "label": h.link.label, "kind": h.kind} for h in hs]

    return {"query": page.query, "normalised": page.normalised, "error": page.error,
            "exact": hits(page.exact), "suggestions": hits(page.suggestions),
            "results": hits(page.results)}


__all__ = ["home_page", "search", "search_json", "UN"]
