"""Per-request page environment: the store, the IRI base, the user's languages, labels, links.

Page builders only talk to the store through :meth:`PageEnv.select` with named queries from
``queries/page-*.rq`` (parameters bound as RDF terms, never pasted). Links inside pages are
local paths: a minted IRI under the configured base is served at its own path, so the same
page works on ``https://w3id.org/...`` and on ``http://127.0.0.1:8000``.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote, urlencode

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from mandategraph.core.namespaces import DEFAULT_BASE, UN
from mandategraph.core.reference import body_by_slug
from mandategraph.core.resources import read_text, server_dir
from mandategraph.query import get as get_query

from ..caches import PageCaches, env_int
from ..dependencies import get_store
from . import citation
from .lang import data_lang, negotiate, pick, ui_language


@lru_cache(maxsize=1)
def ontology_labels() -> dict[str, dict[str, str]]:
    """Every ontology term -> {lang: rdfs:label}; the interface names properties with these."""
    g = Graph()
    g.parse(data=read_text("ontology", "mandategraph.ttl"), format="turtle")
    out: dict[str, dict[str, str]] = {}
    for s, o in g.subject_objects(RDFS.label):
        if isinstance(o, Literal):
            out.setdefault(str(s), {})[o.language or ""] = str(o)
    return out


@lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, str]]:
    """Interface words (``server/views/messages.json``): key -> {lang: text}."""
    return json.loads(server_dir().joinpath("views", "messages.json").read_text(encoding="utf-8"))


def state_of(request: Any) -> Any:
    """The request's ServerState (server/dependencies.py): the one its router was made with
    (``request.state.mg``), else the app's (``app.state.mg``); None for a pages-only app."""
    mg = getattr(getattr(request, "state", None), "mg", None)
    return mg if mg is not None else getattr(request.app.state, "mg", None)


def store_of(request: Any) -> Any:
    """The store of the request's ServerState, else a pages-only app's ``app.state.store``."""
    state = request.app.state
    mg = state_of(request)
    if mg is not None:  # the workers' store: pages run on the one query path
        qs = getattr(mg, "query_store", None)
        return qs if qs is not None else mg.store
    store = getattr(state, "store", None)
    if store is not None:
        return store
    return get_store(request)


def base_of(request: Any) -> str:
    settings = getattr(state_of(request), "settings", None) or getattr(request.app.state, "settings", None)
    base = getattr(settings, "base_iri", None) or getattr(request.app.state, "base_iri", None)
    return (base or DEFAULT_BASE).rstrip("/")


def caches_of(request: Any) -> PageCaches:
    """The app's page caches: ``ServerState.caches`` (opened in the lifespan), else those of a
    pages-only app (``app.state.caches``, made on first use: tests, embedding)."""
    state = request.app.state
    caches = getattr(state_of(request), "caches", None)
    if caches is None:
        caches = getattr(state, "caches", None)
        if caches is None:
            caches = state.caches = PageCaches.from_settings(getattr(state, "settings", None))
    return caches


def generation_of(request: Any) -> int:
    """Server I bumps ``ServerState.generation`` on every write; caches key on it.

    A remote store (``serve --store sparql+http://...``) changes without this process seeing
    the write (``mandategraph push``, the server's own update endpoint), so for it the
    generation also moves on every ``MANDATEGRAPH_BROWSER_REMOTE_TTL`` seconds (default 60,
    0 = never): cached pages, node rows and labels are then at most that old."""
    gen = int(getattr(state_of(request), "generation", 0) or 0)
    if getattr(store_of(request), "backend", None) == "remote":
        ttl = env_int("MANDATEGRAPH_BROWSER_REMOTE_TTL", 60)
        if ttl:
            gen = gen * 1_000_000_007 + int(time.monotonic() // ttl)
    return gen


@dataclass
class PageEnv:
    store: Any
    base: str
    prefs: tuple[str, ...]
    root: str = ""  #: the app's root_path, prefixed to local links
    lang_param: str | None = None  #: ``?lang=`` as given, kept in links so a shared URL keeps it
    generation: int = 0
    #: The app's caches (label facts here, node rows in views.nodes, SHACL in views.shacl).
    caches: PageCaches = field(default_factory=PageCaches)
    _label_cache: dict[str, str] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)  #: per-request results (latest sessions, ...)

    @classmethod
    def from_request(cls, request: Any) -> PageEnv:
        qlang = request.query_params.get("lang")
        prefs = negotiate(qlang, request.headers.get("accept-language"))
        return cls(store=store_of(request), base=base_of(request), prefs=prefs,
                   root=request.scope.get("root_path", "") or "",
                   lang_param=prefs[0] if qlang else None, generation=generation_of(request),
                   caches=caches_of(request))

    # ------------------------------------------------------------------ store
    def select(self, name: str, **bindings: Node) -> list[dict[str, Node | None]]:
        q = get_query(name)
        res = self.store.select(q.text, bindings or None)
        return [dict(zip(res.vars, row)) for row in res.rows]

    # ------------------------------------------------------------------ languages
    @property
    def ui(self) -> str:
        return ui_language(self.prefs)

    def msg(self, key: str, **fmt: object) -> str:
        entry = messages().get(key)
        if entry is None:
            return key
        text = entry.get(self.ui) or entry.get("en") or key
        return text.format(**fmt) if fmt else text

    def term(self, iri: str | URIRef) -> str:
        """Label of an ontology term in the user's language (English, then any, fallback)."""
        labels = ontology_labels().get(str(iri))
        if not labels:  # a term of another vocabulary (skos:altLabel, dcterms:source ...)
            name = local_name(str(iri))
            return self.msg(f"term-{name}") if f"term-{name}" in messages() else name
        for tag in self.prefs:
            if tag in labels:
                return labels[tag]
        return labels.get("en") or next(iter(labels.values()))

    def pick(self, values: list[Node]) -> Literal | None:
        return pick(values, self.prefs)

    # ------------------------------------------------------------------ links
    def is_local(self, iri: str) -> bool:
        return iri == self.base or iri.startswith(self.base + "/")

    def href(self, iri: str | URIRef, suffix: str = "") -> str:
        """Local link for a minted IRI (same path), or the resource view for any other IRI."""
        iri = str(iri)
        if self.is_local(iri):
            path = iri[len(self.base):] or "/"
            return self.with_lang(self.root + path + suffix)
        return self.url("/resource", iri=iri)

    def iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def url(self, path: str, **params: object) -> str:
        clean = {k: v for k, v in params.items() if v not in (None, "")}
        if self.lang_param and "lang" not in clean:
            clean["lang"] = self.lang_param
        q = urlencode(clean)
        return self.root + path + (("?" + q) if q else "")

    def with_lang(self, path: str) -> str:
        if not self.lang_param:
            return path
        return path + ("&" if "?" in path else "?") + "lang=" + quote(self.lang_param)

    def expression_parts(self, iri: str) -> tuple[str, str | None, str]:
        """(document IRI, language, label) of a language version ``{base}/doc/{symbol}/@{lang}``
        (the scheme of mandategraph.build.iris); other sources are labelled from the graph."""
        if self.is_local(iri) and "/doc/" in iri and "/@" in iri:
            doc, lang = iri.rsplit("/@", 1)
            symbol = unquote(doc.split("/doc/", 1)[1]).replace("_", " ")
            return doc, lang, f"{symbol} ({self.msg('lang-' + lang) if 'lang-' + lang in messages() else lang})"
        return iri, None, self.label(iri)

    # ------------------------------------------------------------------ node labels
    def memo(self, key: str, make: Any) -> Any:
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def derived(self, name: str, make: Any) -> Any:
        """A whole-graph fact several pages need, made once per store state (``caches.derived``)."""
        key = (self.generation, name)
        value = self.caches.derived.get(key)
        if value is None:
            value = make()
            self.caches.derived.put(key, value)
        return value

    def _facts_key(self, iri: str) -> tuple[int, str]:
        return (self.generation, iri)

    def prefetch_labels(self, iri: URIRef, directions: tuple[str, ...] = ("out", "in")) -> None:
        """Load the label facts of every neighbour of a node in two queries (not one per link)."""
        fresh: dict[str, list[tuple[str, Node]]] = {}
        for direction in directions:
            for row in self.select(f"page-labels-{direction}", iri=iri):
                fresh.setdefault(str(row["x"]), []).append((str(row["p"]), row["v"]))
        self.store_labels(fresh)

    def store_labels(self, fresh: dict[str, list[tuple[str, Node]]]) -> None:
        """Label facts of many IRIs (from page-labels-* or page-node) into the label cache."""
        for x, facts in fresh.items():
            key = self._facts_key(x)
            if key not in self.caches.labels:
                self.caches.labels.put(key, facts)

    def label_facts(self, iri: URIRef) -> list[tuple[str, Node]]:
        key = self._facts_key(str(iri))
        facts = self.caches.labels.get(key)
        if facts is None:
            facts = [(str(r["p"]), r["v"]) for r in self.select("page-label", iri=iri)]
            self.caches.labels.put(key, facts)
        return facts

    def label(self, iri: str | URIRef) -> str:
        key = str(iri)
        if key not in self._label_cache:
            self._label_cache[key] = self._compose_label(URIRef(key))
        return self._label_cache[key]

    def _body_name(self, nodes: list[Node] | None) -> str | None:
        """A body's name in the interface language, for citation forms: the reference table's
        name (data/reference/bodies.csv), else the graph's label, else None."""
        if not nodes:
            return None
        iri = str(nodes[0])
        ref = body_by_slug(iri.rsplit("/body/", 1)[1]) if "/body/" in iri else None
        if ref is not None:
            name = ref.name_zh if self.ui == "zh" and ref.name_zh else ref.name_en
            if name:
                return name
        return self.label(iri)

    def label_tail(self, iri: str | URIRef) -> tuple[str | None, str | None]:
        """The end of ``label(iri)`` that is data not in the interface language, and its
        language: an agenda item's title stored only in English, shown after "项目 2(a): "."""
        if str(iri) in ontology_labels() or not isinstance(iri, (str, URIRef)):
            return None, None
        facts = self.label_facts(URIRef(str(iri)))
        if any(p == str(RDF.type) and str(v) == str(UN.AgendaItem) for p, v in facts):
            chosen = self.pick([v for p, v in facts if p == str(UN.title)])
            if chosen is None or (chosen.language or "").split("-")[0] == self.ui:
                return None, None
            return str(chosen), data_lang(chosen)
        # a node named by a tagged literal in another language (a Member State's English name,
        # no Chinese name in the reference data): the whole label is that language's data
        label = self.label(iri)
        for prop in (SKOS.prefLabel, UN.title, RDFS.label):
            chosen = self.pick([v for p, v in facts if p == str(prop)])
            if chosen is not None:
                lang = (chosen.language or "").split("-")[0]
                if str(chosen) == label and lang and lang != self.ui:
                    return label, chosen.language
                return None, None
        return None, None

    def _compose_label(self, iri: URIRef) -> str:
        if str(iri) in ontology_labels():
            return self.term(iri)
        props: dict[str, list[Node]] = {}
        for p, v in self.label_facts(iri):
            props.setdefault(p, []).append(v)
        types = {str(t) for t in props.get(str(RDF.type), [])}

        def first(p: URIRef) -> str | None:
            vals = props.get(str(p))
            if not vals:
                return None
            chosen = self.pick(vals)
            return str(chosen) if chosen is not None else str(vals[0])

        def owner(p: URIRef) -> str:
            vals = props.get(str(p))
            if not vals:
                return ""
            notation = [v for q, v in self.label_facts(vals[0]) if q == str(SKOS.notation)]
            return str(notation[0]) if notation else self.label(vals[0])

        symbol = first(UN.symbol)
        if symbol:
            return symbol
        if str(UN.Instrument) in types or str(UN.Resolution) in types or str(UN.Decision) in types:
            kind = "decision" if str(UN.Decision) in types else "resolution"
            return citation.instrument(self.ui, self._body_name(props.get(str(UN.issuedBy))), kind,
                                       first(UN.number) or "")
        if str(UN.Session) in types:
            number = first(UN.number)
            if number is None:
                return local_name(str(iri))
            return citation.session(self.ui, self._body_name(props.get(str(UN.sessionOf))), number)
        if str(UN.Meeting) in types:
            return f"{owner(UN.meetingOf)} · {self.term(UN.Meeting)} {first(UN.number) or ''}".strip(" ·")
        if str(UN.Paragraph) in types:
            part = first(UN.paragraphPart)
            number = first(UN.paragraphNumber) or re.sub(r"^(?:pp|op|annex)-", "", local_name(str(iri)))
            inst = self.label(props[str(UN.partOf)][0]) if props.get(str(UN.partOf)) else ""
            return citation.instrument_paragraph(self.ui, inst, citation.paragraph(self.ui, part, number))
        if str(UN.AgendaItem) in types:
            number = first(UN.itemNumber)
            title = first(UN.title)
            head = self.msg("item", n=number) if number else self.term(UN.AgendaItem)
            return f"{head}: {title}" if title else head
        if str(UN.Mandate) in types:
            inst = str(iri).split("/mandate/")[0]
            return f"{self.label(inst)} · {self.term(UN.Mandate)} {local_name(str(iri))}"
        name = first(SKOS.prefLabel) or first(UN.title) or first(RDFS.label)
        if name:
            return name
        notation = first(SKOS.notation)
        if notation:
            return notation
        return local_name(str(iri))


def local_name(iri: str) -> str:
    tail = re.split(r"[/#]", iri.rstrip("/"))[-1]
    return tail or iri
