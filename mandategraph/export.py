"""Export: the store as TriG, N-Quads (named graphs and provenance kept), Turtle, JSON-LD, RDF/XML.

Turtle, JSON-LD and RDF/XML carry one graph, so they get the union of all named graphs.
JSON-LD is written with an inline context of our prefixes (no remote contexts, ever) and
every typed literal as a value object (:mod:`mandategraph.build.jsonld`).
"""

from __future__ import annotations

import gzip as _gzip
import hashlib as _hashlib
import json as _json
import os as _os
from dataclasses import dataclass as _dataclass
from pathlib import Path as _Path
from typing import IO

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .build.jsonld import jsonld_bytes
from .core.formats import FORMATS as RDF_FORMATS, RDFLIB_NAMES, media_type, suffix
from .core.namespaces import DEFAULT_BASE, PREFIXES
from .store.bulkload import SigningWriter
from .store.describe import Publisher, dataset_graph
from .store.interface import Store
from .store.oxigraph_store import OxigraphStore

FORMATS = ("trig", "nquads", "turtle", "jsonld", "rdfxml")
MEDIA_TYPES = {name: media_type(name) for name in RDF_FORMATS}
SUFFIXES = {name: suffix(name) for name in RDF_FORMATS}


def bind_prefixes(g: Graph | Dataset) -> None:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)


def serialize_graph(g: Graph, fmt: str) -> bytes:
    """One rdflib graph in a named format (turtle, jsonld, rdfxml, ntriples)."""
    if fmt == "jsonld":  # every literal as a value object: rdflib writes doubles as JSON numbers
        return jsonld_bytes(g)
    bind_prefixes(g)
    out = g.serialize(format=RDFLIB_NAMES[fmt])
    return out.encode("utf-8") if isinstance(out, str) else out


def export_store(store: Store, fmt: str, out: IO[bytes]) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "nquads":  # signed: `mandategraph load` checks the digest instead of every IRI

        signing = SigningWriter(out)
        _write_quads(store, fmt, signing)
        signing.finish()
        return
    if fmt == "trig":
        _write_quads(store, fmt, out)
        return
    out.write(serialize_graph(store.union_graph(), fmt))


def _write_quads(store: Store, fmt: str, out: IO[bytes]) -> None:
    if isinstance(store, OxigraphStore):
        store.dump(out, fmt)
        return
    ds = store.dataset()
    bind_prefixes(ds)
    data = ds.serialize(format=fmt)
    out.write(data.encode("utf-8") if isinstance(data, str) else data)


# ----------------------------------------------------------------------------- dumps + VoID/DCAT
# The files the server publishes under /dumps/ and `mandategraph export --dumps DIR` writes.
# gzip with mtime 0 and no file name, so the same graph gives the same bytes (a stable ETag).

#: (format key, file name) of the published dumps.
DUMP_FILES: tuple[tuple[str, str], ...] = (
    ("trig", "mandategraph.trig.gz"),
    ("nquads", "mandategraph.nq.gz"),
    ("turtle", "mandategraph.ttl.gz"),
)
VOID_FILE = "void.ttl"
MANIFEST_FILE = "manifest.json"
_IANA = "http://www.iana.org/assignments/media-types/"
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DEFAULT_TITLE = "mandategraph: United Nations documents, instruments and mandates"


@_dataclass(frozen=True)
class DumpFile:
    """One published dump file, as described in the manifest and in DCAT."""

    name: str
    fmt: str
    media_type: str
    size: int
    sha256: str
    modified: float


def _write_union_turtle(store: Store, out: IO[bytes]) -> None:
    """Turtle of the union of all graphs, streamed by Oxigraph (rdflib would need minutes at 1M)."""
    if isinstance(store, OxigraphStore):
        triples = (ox.Triple(q.subject, q.predicate, q.object)
                   for q in store.ox.quads_for_pattern(None, None, None, None))
        ox.serialize(triples, out, format=ox.RdfFormat.TURTLE,
                     prefixes={k: str(v) for k, v in PREFIXES.items()})
        return
    export_store(store, "turtle", out)


def store_fingerprint(store: Store) -> str:
    """Changes whenever a source graph is added, removed or rebuilt (or triples change count)."""
    h = _hashlib.sha256(str(store.count()).encode())
    for graph in store.named_graphs():
        h.update(graph.encode() + b"\n")
    for graph, digest in sorted(store.source_digests().items()):
        h.update(f"{graph} {digest}\n".encode())
    return h.hexdigest()


def read_manifest(folder: _Path) -> tuple[str, list[DumpFile]] | None:
    try:
        data = _json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        files = [DumpFile(**f) for f in data["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not all((folder / f.name).is_file() and (folder / f.name).stat().st_size == f.size for f in files):
        return None
    return data["fingerprint"], files


def write_dump_files(store: Store, folder: _Path) -> list[DumpFile]:
    """Write the gzip dumps (atomically, file by file) and the manifest; return what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    fingerprint = store_fingerprint(store)
    files: list[DumpFile] = []
    for fmt, name in DUMP_FILES:
        target = folder / name
        tmp = folder / f".{name}.tmp"
        with open(tmp, "wb") as raw:
            with _gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz:
                if fmt == "turtle":
                    _write_union_turtle(store, gz)
                else:
                    export_store(store, fmt, gz)
        h = _hashlib.sha256()
        with open(tmp, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        _os.replace(tmp, target)
        st = target.stat()
        files.append(DumpFile(name, fmt, MEDIA_TYPES[fmt], st.st_size, h.hexdigest(), st.st_mtime))
    manifest = {"fingerprint": fingerprint, "files": [f.__dict__ for f in files]}
    (folder / MANIFEST_FILE).write_text(_json.dumps(manifest, indent=1), encoding="utf-8")
    return files


def dataset_description(store: Store, *, base_iri: str, public_url: str | None = None,
                        dumps: list[DumpFile] | None = None, license: str = DEFAULT_LICENSE,
                        title: str = DEFAULT_TITLE, publisher: Publisher | None = None) -> Graph:
    """DCAT-AP 3 catalogue + VoID description of the dataset (:mod:`mandategraph.store.describe`).

    ``public_url`` is where the server answers (default: the base IRI, which is meant to
    redirect there): the SPARQL endpoint is ``{public_url}/sparql``, dumps ``{public_url}/dumps/``.
    """
    return dataset_graph(store, base_iri=base_iri, public_url=public_url, dumps=dumps,
                         license=license, title=title, publisher=publisher)


def default_dumps_dir(store_dir: str | _Path) -> _Path:
    """Where the server looks for dumps of an on-disk store when ``dumps_dir`` is not set
    (``<store>-dumps`` next to it); ``build`` writes them there."""
    p = _Path(store_dir).resolve()
    return p.parent / (p.name + "-dumps")


def refresh_dumps(store: Store, folder: _Path) -> list[DumpFile] | None:
    """Write the dump files unless the folder's manifest already matches the store
    (None: they were current)."""
    found = read_manifest(_Path(folder))
    if found and found[0] == store_fingerprint(store):
        return None
    return write_dump_files(store, _Path(folder))


def write_dumps(store: Store, folder: _Path, *, base_iri: str | None = None,
                public_url: str | None = None, license: str = DEFAULT_LICENSE,
                title: str = DEFAULT_TITLE, publisher: Publisher | None = None) -> list[_Path]:
    """Write what the server publishes: gzip TriG, N-Quads (named graphs and provenance kept)
    and Turtle (union), plus ``void.ttl`` (VoID + DCAT) and ``manifest.json`` (sizes, SHA-256)."""
    folder = _Path(folder)
    files = write_dump_files(store, folder)
    base = base_iri or _os.environ.get("MANDATEGRAPH_BASE", DEFAULT_BASE)
    g = dataset_description(store, base_iri=base, public_url=public_url, dumps=files,
                            license=license, title=title, publisher=publisher)
    (folder / VOID_FILE).write_bytes(serialize_graph(g, "turtle"))
    return [folder / f.name for f in files] + [folder / VOID_FILE, folder / MANIFEST_FILE]
