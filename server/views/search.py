"""Home page and search: any symbol form, near-miss suggestions, instrument numbers, titles."""

from __future__ import annotations

import difflib
import re
import unicodedata

from rdflib import Literal, URIRef

from mandategraph.build.catalogue import CatalogueError, instrument_ref
from mandategraph.build.iris import Iris
from mandategraph.core.namespaces import UN
from mandategraph.core.reference import bodies
from mandategraph.symbols import SymbolError, normalise, parse

from . import citation
from .env import PageEnv
from .model import BodySessions, HomePage, Link, SearchHit, SearchPage
from .nodes import kind_of, link, load_node, natural_key
from .search_forms import read_number

MAX_SUGGESTIONS = 8


def home_page(env: PageEnv) -> HomePage:
    counts = {str(r["kind"]): int(r["n"]) for r in env.select("page-counts")}
    by_body: dict[str, list[tuple[int, Link, int]]] = {}
    for row in env.select("page-home"):
        n = int(row["n"])  # under the body's own heading: "twelfth session"
        by_body.setdefault(str(row["body"]), []).append(
            (n, Link(str(row["session"]), env.href(row["session"]), citation.session_short(env.ui, n)),
             int(row["docs"])))
    for row in env.select("page-home-bodies"):
        by_body.setdefault(str(row["body"]), [])
    slugs = {b.slug: b for b in bodies().values()}
    sponsors = {str(r["body"]) for r in env.select("page-home-sponsors")}
    organs: list[tuple[tuple, BodySessions]] = []
    others: list[Link] = []
    for b, ss in by_body.items():
        ref = slugs.get(b.rsplit("/body/", 1)[-1]) if "/body/" in b else None
        lk = link(env, URIRef(b))
        if ref is None and b in sponsors:  # not an organ of the reference table, only issues drafts
            others.append(lk)
            continue
        entry = BodySessions(lk, tuple((s_lk, docs) for _, s_lk, docs in sorted(ss, key=lambda t: -t[0])))
        # principal organs, then subsidiary bodies; within each, the most sessions first
        organs.append(((ref is None or ref.parent is not None, -len(ss), lk.label), entry))
    return HomePage(tuple((env.msg(f"count-{k}"), counts.get(k, 0)) for k in ("documents", "instruments", "mandates")),
                    tuple(e for _, e in sorted(organs, key=lambda t: t[0])),
                    tuple(sorted(others, key=lambda lk: natural_key(lk.label))))


def _kind(env: PageEnv, iri: URIRef) -> str:
    info = load_node(env, iri)
    return env.msg(f"kind-{kind_of(info.types)}")


def _instrument_of(env: PageEnv, canonical: str) -> URIRef | None:
    """``A/RES/70/1`` -> the instrument node of GA resolution 70/1, when the graph has it
    (as a carried resolution or only as one cited by others)."""
    try:
        ref = instrument_ref(canonical)
    except CatalogueError:
        return None
    iri = Iris(env.base).instrument(ref.body, ref.kind, ref.number)
    return iri if load_node(env, iri).exists else None


def _by_number(env: PageEnv, q: str) -> list[URIRef]:
    """Instruments by number in any common form ("70/1", "resolution 70/1", "第70/1号决议",
    "General Assembly resolution 70/1"), filtered by the kind and body named, if any."""
    nq = read_number(q)
    if nq is None or nq.body_unknown:
        return []
    body_slug = bodies()[nq.body].slug if nq.body else None
    out: list[URIRef] = []
    for row in env.select("page-search-number", number=Literal(nq.number)):
        decision = str(row.get("decision")).lower() == "true"
        if nq.kind and (nq.kind == "decision") != decision:
            continue
        if body_slug and not str(row.get("body") or "").endswith(f"/body/{body_slug}"):
            continue
        out.append(row["inst"])
    return list(dict.fromkeys(out))


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
    seen_exact: set[str] = set()

    def add(iri: URIRef, kind: str, why: str) -> None:
        if str(iri) not in seen_exact:
            seen_exact.add(str(iri))
            exact.append(SearchHit(link(env, iri), env.msg(kind), env.msg(why)))

    if sym is not None:
        # a joint symbol is found by the whole and by either part
        for ident in dict.fromkeys([canonical, *(p.identifier for p in sym.parts)]):
            for row in env.select("page-search-symbol", symbol=Literal(ident)):
                add(row["doc"], "kind-document", "why-symbol")
        # the instrument of an instrument symbol, when no document has that symbol (a
        # resolution the graph knows only from citations); the document page links its instrument
        inst = None if exact else _instrument_of(env, canonical)
        if inst is not None:
            add(inst, "kind-instrument", "why-symbol")
    flat = unicodedata.normalize("NFKC", q)
    for inst in _by_number(env, flat):
        add(inst, "kind-instrument", "why-number")
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
        shown: set[str] = set()
        for u in close:  # one document with two symbols (a joint document) is suggested once
            doc = pool[upper[u]]
            if str(doc) in shown:
                continue
            shown.add(str(doc))
            suggestions.append(SearchHit(link(env, doc), env.msg("kind-document"), env.msg("why-near")))
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


__all__ = ["UN", "home_page", "search", "search_json"]
