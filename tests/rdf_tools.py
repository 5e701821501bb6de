"""Independent RDF parsers for the export tests: raptor's ``rapper``, Apache Jena's ``riot``
(Debian ``raptor2-utils`` and ``libapache-jena-java``, installed by
``scripts/install-system-deps.sh``), rdflib and pyld.

Each parser reads a file and its statements are written back as N-Quads, which pyoxigraph
reads into a set of strings: a parser that stops early, drops statements or reads a literal
with another datatype or lexical form gives another set. A missing tool is a test failure
(``pytest.fail``), never a skip.

Jena from Debian: the package ships jars but no ``riot`` launcher, and its ``jena-core.jar``
relocates Xerces' classes to ``xerces.*`` while leaving their message files under
``org/apache/jena/ext/xerces/`` (every command then dies in ``XSSimpleTypeDecl`` with
"internal error"). :func:`riot_command` builds the class path from ``/usr/share/java`` and
adds a folder with the message files copied to where the relocated classes look for them.
Its JSON-LD reader is Jena's JSON-LD 1.0 one (``JSONLD10``, jsonld-java): the 1.1 reader
needs a Jakarta JSON implementation Debian does not package.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import zipfile
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pytest

JAVA_DIR = Path("/usr/share/java")
#: jars riot needs (Debian names without versions); the slf4j bindings are chosen so that
#: exactly one is on the path (the folder has several, which makes slf4j abort)
_JENA_JARS = (
    "jena-arq", "jena-base", "jena-cmds", "jena-core", "jena-iri", "jena-shacl",
    "jena-dboe-base", "jena-dboe-index", "jena-dboe-storage", "jena-dboe-trans-data",
    "jena-dboe-transaction", "jena-tdb", "jena-tdb2", "jena-rdfconnection",
    "slf4j-api", "slf4j-simple", "commons-cli", "commons-codec", "commons-compress",
    "commons-csv", "commons-io", "commons-lang3", "dexx.collection", "gson", "guava",
    "jackson-annotations", "jackson-core", "jackson-databind", "jsonld-java", "protobuf",
    "thrift", "titanium-json-ld", "jakarta.json-api", "httpclient", "httpclient-cache",
    "httpcore",
)

#: format key -> (rapper syntax, riot syntax, rdflib format); None: the parser has no reader
SYNTAX = {
    "trig": ("trig", "TriG", "trig"),
    "nquads": ("nquads", "N-Quads", "nquads"),
    "turtle": ("turtle", "Turtle", "turtle"),
    "jsonld": (None, "JSONLD10", "json-ld"),  # raptor 2 has no JSON-LD parser
    "rdfxml": ("rdfxml", "RDF/XML", "xml"),
    "ntriples": ("ntriples", "N-Triples", "nt"),
}
QUAD_FORMATS = ("trig", "nquads")
TIMEOUT = 900


class ParseFailed(AssertionError):
    """A parser rejected a file: names the parser, the file and the parser's own message."""


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} not installed: run scripts/install-system-deps.sh "
                    "(Debian raptor2-utils, libapache-jena-java)")
    return path


@lru_cache(maxsize=1)
def _xerces_messages(folder: str) -> str:
    """A class-path folder with Xerces' message files where Debian's relocated classes look."""
    out = Path(folder) / "jena-xerces-messages"
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                target = out / "xerces" / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return str(out)


def riot_command(workdir: Path) -> list[str]:
    java = need("java")
    missing = [j for j in _JENA_JARS if not (JAVA_DIR / f"{j}.jar").is_file()]
    if missing:
        pytest.fail(f"Jena jars missing from {JAVA_DIR}: {', '.join(missing)}; "
                    "run scripts/install-system-deps.sh (libapache-jena-java)")
    cp = [str(JAVA_DIR / f"{j}.jar") for j in _JENA_JARS] + [_xerces_messages(str(workdir))]
    # jsonld-java holds the whole document and its RDF dataset: 1 GB ran out on the shared
    # corpus's 80 MB JSON-LD export (2 GB read it, measured)
    return [java, "-Xmx3g", "-cp", ":".join(cp)]


def plain(path: Path, workdir: Path) -> Path:
    """A gzip dump unpacked next to the work files (the parsers read plain files)."""
    if path.suffix != ".gz":
        return path
    out = workdir / path.stem
    with gzip.open(path, "rb") as src, open(out, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return out


def _run(cmd: list[str], who: str, path: Path) -> bytes:
    proc = subprocess.run(cmd, check=False, capture_output=True, timeout=TIMEOUT)
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0 or "Error" in err or "ERROR" in err:
        raise ParseFailed(f"{who} rejected {path.name}: {err.strip()[-2000:]}")
    return proc.stdout


def statements(nquads: bytes | str, quads: bool) -> set[str]:
    """N-Quads text -> the set of its statements (``s p o [g]`` in N-Quads), each literal in
    the form an Oxigraph store keeps it: a typed literal must come back with its datatype and
    value ("1.0E0", "1.0" and "1" are the same xsd:double; xsd:integer 1 is not)."""
    data = nquads.encode("utf-8") if isinstance(nquads, str) else nquads
    store = ox.Store()
    store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    out = set()
    for q in store.quads_for_pattern(None, None, None, None):
        g = q.graph_name
        tail = f" {g}" if quads and not isinstance(g, ox.DefaultGraph) else ""
        out.add(f"{q.subject} {q.predicate} {q.object}{tail}")
    return out


def by_rapper(path: Path, fmt: str, workdir: Path) -> set[str] | None:
    syntax = SYNTAX[fmt][0]
    if syntax is None:
        return None
    path = plain(path, workdir)
    out = _run([need("rapper"), "-q", "-i", syntax, "-o", "nquads", str(path),
                "http://example.invalid/base"], "rapper", path)
    return statements(out, fmt in QUAD_FORMATS)


def by_riot(path: Path, fmt: str, workdir: Path) -> set[str]:
    path = plain(path, workdir)
    out = _run(riot_command(workdir) + ["riotcmd.riot", f"--syntax={SYNTAX[fmt][1]}",
                                        "--output=nquads", str(path)], "riot", path)
    return statements(out, fmt in QUAD_FORMATS)


def by_rdflib(path: Path, fmt: str, workdir: Path) -> set[str]:
    from rdflib import Dataset, Graph

    path = plain(path, workdir)
    try:
        if fmt in QUAD_FORMATS:
            g = Dataset()
            g.parse(str(path), format=SYNTAX[fmt][2])
            data = g.serialize(format="nquads")
        else:
            g = Graph()
            g.parse(str(path), format=SYNTAX[fmt][2])
            data = g.serialize(format="nt")
    except Exception as e:
        raise ParseFailed(f"rdflib rejected {path.name}: {type(e).__name__}: {e}"[:2000]) from e
    return statements(data, fmt in QUAD_FORMATS)


def by_pyld(path: Path, fmt: str, workdir: Path) -> set[str] | None:
    if fmt != "jsonld":
        return None
    import json

    from pyld import jsonld

    path = plain(path, workdir)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        data = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    except Exception as e:
        raise ParseFailed(f"pyld rejected {path.name}: {type(e).__name__}: {e}"[:2000]) from e
    return statements(data, False)


PARSERS = {"rapper": by_rapper, "riot": by_riot, "rdflib": by_rdflib, "pyld": by_pyld}


def diff(expected: set[str], got: set[str], limit: int = 5) -> str:
    missing = sorted(expected - got)[:limit]
    extra = sorted(got - expected)[:limit]
    return (f"{len(got)} statements, expected {len(expected)}; "
            f"missing {len(expected - got)} e.g. {missing}; extra {len(got - expected)} e.g. {extra}")
