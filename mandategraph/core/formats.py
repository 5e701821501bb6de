"""The one table of RDF formats: our short name of each (the key of the command line, the
server's ``format=`` values and the dumps) -> pyoxigraph's :class:`~pyoxigraph.RdfFormat`, which
knows its media type, file extension and IRI. rdflib's name is here too, for where rdflib reads
or writes a format."""

from __future__ import annotations

import pyoxigraph as ox

FORMATS: dict[str, ox.RdfFormat] = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
#: rdflib's parser and serializer names
RDFLIB_NAMES: dict[str, str] = {"trig": "trig", "nquads": "nquads", "turtle": "turtle",
                                "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
_NAMES = {fmt.media_type: name for name, fmt in FORMATS.items()}


def media_type(name: str) -> str:
    """``"turtle"`` -> ``"text/turtle"``."""
    return FORMATS[name].media_type


def suffix(name: str) -> str:
    """``"nquads"`` -> ``".nq"``."""
    return "." + FORMATS[name].file_extension


def by_media_type(media: str) -> str | None:
    """The name of the format of a media type (parameters and aliases such as ``text/plain``
    or ``application/x-turtle`` as pyoxigraph reads them), or None."""
    fmt = ox.RdfFormat.from_media_type(media)
    return _NAMES.get(fmt.media_type) if fmt is not None else None


def by_extension(extension: str) -> str | None:
    """The name of the format of a file extension (``"nq"``, ``".ttl"``), or None."""
    fmt = ox.RdfFormat.from_extension(extension.lstrip("."))
    return _NAMES.get(fmt.media_type) if fmt is not None else None
