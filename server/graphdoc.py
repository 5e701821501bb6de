"""Graph documents: a named graph's IRI dereferences to a page about every fragment it mints.

Annotation, statement and selector IRIs are fragments of their graph's IRI
(``.../graph/A/RES/80/1/@en#a-5c8a...``, ``#s-...``, ``#a-...-quote``): a client strips the
fragment before it asks, so the graph's document must describe them all. In RDF that is
``queries/_graph-document.rq`` (the graph node, links to it, and every ``<graph#...>`` subject;
a graph that describes no node of its own, the reference graph, gives its content); in HTML a
section per fragment whose ``id`` is the fragment, so the browser scrolls to the one asked for.
The page carries schema.org JSON-LD (a ``schema:Dataset`` of annotations).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from rdflib import Graph, Literal, URIRef

_ENV = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "ld_templates"),
                   autoescape=select_autoescape(["html"]))
QUERY = "_graph-document"


def is_graph_path(path: str) -> bool:
    return path.startswith("/graph/")


def _href(o: object, base: str) -> str | None:
    if isinstance(o, URIRef):
        s = str(o)
        if s.startswith(base + "/"):
            return s[len(base):]
        return s if s.startswith(("http://", "https://")) else None
    return None


def graph_html(iri: str, ntriples: bytes, base: str, alternates: list[tuple[str, str]],
               truncated: bool = False) -> str:
    g = Graph()
    g.parse(data=ntriples.decode("utf-8"), format="nt")
    me = URIRef(iri)
    by_subject: dict[str, list] = defaultdict(list)
    for s, p, o in g:
        if s == me or o != me:  # links into the graph are listed under 'Referenced by'
            by_subject[str(s)].append((str(p), o, _href(o, base)))
    nodes = []
    for s in sorted(by_subject, key=lambda x: (x != iri, x)):
        frag = s[len(iri) + 1:] if s.startswith(iri + "#") else ""
        nodes.append({"iri": s, "fragment": frag,
                      "rows": sorted(by_subject[s], key=lambda r: (r[0], str(r[1])))})
    in_rows = sorted((str(s), str(p)) for s, p in g.subject_predicates(me))
    schema = {"@context": "https://schema.org/", "@type": "Dataset", "@id": iri, "url": iri,
              "name": f"Named graph {iri.rsplit('/graph/', 1)[-1]}",
              "description": "What one source says, with the quote, offsets and rule of every fact.",
              "isPartOf": {"@type": "Dataset", "@id": base + "/dataset"},
              "hasPart": [{"@id": n["iri"]} for n in nodes if n["fragment"]][:200]}
    for lit in g.objects(me, URIRef("http://www.w3.org/2000/01/rdf-schema#label")):
        if isinstance(lit, Literal):
            schema["name"] = str(lit)
    text = json.dumps(schema, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _ENV.get_template("graph.html").render(
        iri=iri, nodes=nodes, in_rows=in_rows, alternates=alternates, truncated=truncated,
        schema_org=Markup(f'<script type="application/ld+json">{text}</script>'))
