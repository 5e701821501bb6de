"""Docs as tests: the assets (ontology, shapes, queries) document themselves, agree with each
other and with the code, and the README's first commands exist in the Makefile.

Globs run at test time, so queries and shapes added later are checked too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS
from rdflib.plugins.sparql import prepareQuery

from mandategraph.core import facts as facts_module
from mandategraph.build.builder import STATUS_IRIS
from mandategraph.core.namespaces import PREFIXES, UN
from mandategraph.query import parse_query_file
from mandategraph.core.resources import asset_files, read_text

ROOT = Path(__file__).resolve().parent.parent
QUERY_FILES = sorted((ROOT / "queries").glob("*.rq"))
SHAPE_FILES = sorted((ROOT / "shapes").glob("*.ttl"))


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(data=read_text("ontology", "mandategraph.ttl"), format="turtle")


def _terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and s.startswith(str(UN))}


def _classes_and_properties(g: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {s for k in kinds for s in g.subjects(RDF.type, k) if s.startswith(str(UN))}


# ------------------------------------------------------------------------------ ontology

def test_ontology_parses_and_has_the_core_terms(onto: Graph) -> None:
    terms = _classes_and_properties(onto)
    assert len(terms) > 60
    for local in ("Document", "Instrument", "Mandate", "Session", "Meeting", "AgendaItem", "Body",
                  "hasMandate", "fulfilledBy", "submittedTo", "mandatedBy", "symbol"):
        assert UN[local] in terms, local


def test_every_term_has_english_and_chinese_labels_and_a_comment(onto: Graph) -> None:
    problems = []
    for term in sorted(_terms(onto)):
        langs = {lbl.language for lbl in onto.objects(term, RDFS.label) if isinstance(lbl, Literal)}
        if not {"en", "zh"} <= langs:
            problems.append(f"{term}: rdfs:label languages {sorted(filter(None, langs))}, need en and zh")
        zh = [str(lbl) for lbl in onto.objects(term, RDFS.label) if getattr(lbl, "language", None) == "zh"]
        if zh and not any(re.search(r"[\u4e00-\u9fff]", z) for z in zh):
            problems.append(f"{term}: the @zh label has no Chinese characters: {zh}")
        comments = [c for c in onto.objects(term, RDFS.comment) if str(c).strip()]
        if not comments:
            problems.append(f"{term}: no rdfs:comment")
    assert not problems, "\n".join(problems)


def test_alignments_point_into_declared_vocabularies(onto: Graph) -> None:
    """Super-classes, super-properties and mappings are terms of vocabularies the project names."""
    namespaces = [str(ns) for ns in PREFIXES.values()]
    problems = []
    for pred in (RDFS.subClassOf, RDFS.subPropertyOf, SKOS.closeMatch, RDFS.seeAlso, RDFS.domain, RDFS.range):
        for s, o in onto.subject_objects(pred):
            if isinstance(o, URIRef) and not any(o.startswith(ns) for ns in namespaces):
                problems.append(f"{s} {pred.n3()} {o}: not in a vocabulary of mandategraph.core.namespaces")
    assert not problems, "\n".join(problems)


def test_local_super_terms_and_domains_are_defined(onto: Graph) -> None:
    """A un: term used as super-class, domain or range is itself defined (no typos)."""
    defined = _terms(onto)
    for pred in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range):
        for s, o in onto.subject_objects(pred):
            if isinstance(o, URIRef) and o.startswith(str(UN)):
                assert o in defined, f"{s} {pred.n3()} {o}: undefined"


def test_no_super_property_retypes_our_nodes(onto: Graph) -> None:
    """Super-properties with a domain or range in another vocabulary would, under RDFS entailment,
    retype our nodes (docs/ontology.md, "Alignments"). Only the checked ones are allowed."""
    checked = {
        # super-property: why its domain/range is safe for every subject/object we use it on
        URIRef("http://purl.org/dc/terms/creator"): "range dcterms:Agent: un:Body is an org:Organization, an agent",
        URIRef("http://purl.org/dc/terms/references"): "no domain or range",
        URIRef("http://purl.org/dc/terms/identifier"): "range rdfs:Literal",
        URIRef("http://purl.org/dc/terms/title"): "range rdfs:Literal",
        URIRef("http://purl.org/dc/terms/date"): "range rdfs:Literal",
        URIRef("http://purl.org/dc/terms/isPartOf"): "no domain or range",
        URIRef("http://purl.org/dc/terms/isVersionOf"): "no domain or range",
        URIRef("http://purl.org/dc/terms/relation"): "no domain or range",
        SKOS.notation: "no domain",
    }
    for s, sup in onto.subject_objects(RDFS.subPropertyOf):
        if not sup.startswith(str(UN)):
            assert sup in checked, f"{s} rdfs:subPropertyOf {sup}: add its domain/range check to docs/ontology.md and here"
    eli_based_on = URIRef("http://data.europa.eu/eli/ontology#based_on")
    assert (UN.mandatedBy, RDFS.subPropertyOf, eli_based_on) not in onto


def test_code_uses_only_defined_terms(onto: Graph) -> None:
    """Relation predicates, document and body classes and statuses of build/builder.py exist."""
    defined = _terms(onto)
    for name in facts_module.PREDICATES - {"subOrganizationOf"}:
        assert UN[name] in defined, f"facts.PREDICATES has {name!r}, the ontology has no un:{name}"
    for iri in STATUS_IRIS.values():
        assert (iri, RDF.type, UN.MandateStatus) in onto and (iri, SKOS.inScheme, UN.MandateStatusScheme) in onto
    doc_classes = re.findall(r"\b(Report|Note|ConferenceRoomPaper|InformationDocument|DraftResolution|"
                             r"AnnotatedAgenda|ResolutionDocument)\b", Path(facts_module.__file__).read_text())
    for local in set(doc_classes) | {"Conference", "WorkingGroup", "Bureau", "Secretariat"}:
        assert (UN[local], RDF.type, OWL.Class) in onto, local


@pytest.mark.parametrize("path", QUERY_FILES + SHAPE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_assets_use_only_defined_terms(path: Path, onto: Graph) -> None:
    text = path.read_text(encoding="utf-8")
    used = set(re.findall(r"\bun:([A-Za-z][A-Za-z0-9_-]*)", text))
    used |= set(re.findall(r"<https://w3id\.org/mandategraph/ontology#([A-Za-z0-9_-]+)>", text))
    undefined = sorted(u for u in used if UN[u] not in _terms(onto))
    assert not undefined, f"{path.name} uses terms the ontology does not define: {undefined}"


# ------------------------------------------------------------------------------ queries

def test_there_are_queries() -> None:
    assert len(QUERY_FILES) >= 5
    assert [f.name for f in asset_files("queries", ".rq")] == [p.name for p in QUERY_FILES]


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_query_documents_itself_and_parses(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    head = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        head.append(line)
    assert any(re.match(r"#\s*title:\s*\S", h) for h in head), f"{path.name}: no '# title:' header line"
    assert any(re.match(r"#\s*description:\s*\S", h) for h in head), f"{path.name}: no '# description:' header line"
    q = parse_query_file(path.stem, text)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    for p in q.params:
        assert re.search(rf"[?$]{p}\b", body), f"{path.name}: parameter ?{p} is declared but not used"
    try:
        ox.Store().query(text)
    except SyntaxError as e:
        pytest.fail(f"{path.name} does not parse with Oxigraph: {e}")
    prepareQuery(text)  # the rdflib backend runs the same files


# ------------------------------------------------------------------------------ shapes

@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: p.name)
def test_every_shape_has_a_comment(path: Path) -> None:
    g = Graph().parse(path, format="turtle")
    shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    if path.stem != "prefixes":
        assert shapes, f"{path.name} defines no shape"
    for s in shapes:
        assert any(str(c).strip() for c in g.objects(s, RDFS.comment)), f"{path.name}: {s} has no rdfs:comment"


# ------------------------------------------------------------------------------ README and Makefile

def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```(?:sh|bash|console|shell)?\n(.*?)```", readme, re.S)
    assert block, "README.md has no code block of commands"
    cmds = [re.sub(r"\s+#.*$", "", line).strip().lstrip("$ ").strip()
            for line in block.group(1).splitlines()]
    return [c for c in cmds if c]


def test_readme_first_two_commands_are_make_targets() -> None:
    cmds = _readme_commands()[:2]
    assert cmds == ["make run", "make test"], cmds
    makefile = ROOT / "Makefile"
    assert makefile.is_file(), "README tells users to run make, but there is no Makefile"
    targets = set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", makefile.read_text(encoding="utf-8"), re.M))
    for cmd in cmds:
        target = cmd.split()[1]
        assert target in targets, f"README command {cmd!r}: the Makefile has no {target!r} target"


# ------------------------------------------------------------------------------ docs/ontology.md

def test_ontology_doc_names_every_term_and_shape(onto: Graph) -> None:
    """docs/ontology.md has a row for every class, property and shape (and names no phantom)."""
    doc = (ROOT / "docs" / "ontology.md").read_text(encoding="utf-8")
    missing = [f"un:{t[len(str(UN)):]}" for t in sorted(_classes_and_properties(onto))
               if f"`un:{t[len(str(UN)):]}`" not in doc]
    assert not missing, f"docs/ontology.md has no row for {missing}"
    shp = "https://w3id.org/mandategraph/shapes#"
    shapes = Graph()
    for f in SHAPE_FILES:
        shapes.parse(f, format="turtle")
    names = {str(s)[len(shp):] for t in (SH.NodeShape, SH.PropertyShape)
             for s in shapes.subjects(RDF.type, t)}
    undocumented = sorted(n for n in names if f"`shp:{n}`" not in doc)
    assert not undocumented, f"docs/ontology.md does not describe shapes {undocumented}"
    phantom = sorted(set(re.findall(r"`shp:([A-Za-z-]+)`", doc)) - names)
    assert not phantom, f"docs/ontology.md names shapes that do not exist: {phantom}"


def test_every_term_the_code_writes_is_defined(onto: Graph) -> None:
    """build/builder.py and the other modules write un: terms as UN.name / UN["name"]: all defined."""
    defined = _terms(onto)
    used: dict[str, set[str]] = {}
    for py in sorted((ROOT / "mandategraph").rglob("*.py")):
        text = py.read_text(encoding="utf-8")
        for name in re.findall(r"\bUN\.([A-Za-z_][A-Za-z0-9_]*)\b", text) + \
                re.findall(r"\bUN\[\"([A-Za-z][A-Za-z0-9]*)\"\]", text):
            used.setdefault(name, set()).add(py.name)
    # UN is a str: UN.count or UN.index would be str methods, not IRIs (rdflib special-cases title)
    shadowed = sorted(n for n in used if n != "title" and hasattr(str, n))
    assert not shadowed, f"write UN[{shadowed[0]!r}] instead of UN.{shadowed[0]}: str has a method of that name"
    undefined = {n: sorted(files) for n, files in used.items() if UN[n] not in defined}
    assert len(used) > 40
    assert not undefined, f"un: terms written by the code but not defined in the ontology: {undefined}"
