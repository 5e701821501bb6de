"""The builder's vocabularies with their terms made once, as rdflib terms (``UN.Document``) and as
N-Triples terms (``N.UN.Document`` is ``"<https://w3id.org/mandategraph/ontology#Document>"``)."""

from __future__ import annotations

from rdflib import URIRef

from ..core.namespaces import OA as _OA, ORG as _ORG, PROV as _PROV, RDF as _RDF, RDFS as _RDFS, UN as _UN, XSD as _XSD


class _Terms:
    """A namespace whose terms are made once: rdflib builds (and validates) a new URIRef on
    every attribute access, which was a fifth of the build time on the PDF corpus."""

    def __init__(self, ns: object):
        self._ns = ns

    def __getattr__(self, name: str) -> URIRef:
        term = self._ns[name] if not hasattr(type(self._ns), "__members__") else getattr(self._ns, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return getattr(self, name)


OA, ORG, PROV, RDF, RDFS, UN, XSD = (_Terms(n) for n in (_OA, _ORG, _PROV, _RDF, _RDFS, _UN, _XSD))


class _NtTerms:
    """The N-Triples form (``<iri>``) of a namespace's terms, made once per term."""

    def __init__(self, terms: _Terms):
        self._terms = terms

    def __getattr__(self, name: str) -> str:
        value = f"<{getattr(self._terms, name)}>"
        setattr(self, name, value)
        return value

    def __getitem__(self, name: str) -> str:
        return getattr(self, name)


class N:
    """The builder's vocabularies as N-Triples terms: ``N.UN.Document`` is
    ``"<https://w3id.org/mandategraph/ontology#Document>"``."""

    OA, PROV, RDF, RDFS, UN = (_NtTerms(t) for t in (OA, PROV, RDF, RDFS, UN))
