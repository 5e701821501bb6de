"""Command line: ``mandategraph symbol|build|load|query|validate|export|serve|push``.

The commands are thin: they parse options, call the library and format the result. Each
command imports what it uses when it runs: importing every stage up front made
``mandategraph symbol`` start 1.6 times slower (0.42 s against 0.26 s, best of 6 interleaved runs
on a shared machine).
Exit codes: 0 success (for validate: no violation), 1 violations / a build with errors, 2 usage or input error.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from . import __version__
from .store.interface import DEFAULT_STORE, StoreError

STORE_HELP = f"Store directory (default {DEFAULT_STORE}); or sparql+http://HOST:PORT/query for a remote server."


def _open(store: str | None, memory: bool = False, backend: str = "oxigraph", read_only: bool = False):
    from .store.factory import open_store  # noqa: PLC0415 - per command (module docstring)

    if memory:
        return open_store(None, backend=backend)
    return open_store(store or str(DEFAULT_STORE), backend=backend, read_only=read_only)


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mandategraph")
def main() -> None:
    """mandategraph: UN documents, instruments and mandates as a validated RDF graph.

    Typical use: `mandategraph build data/`, `mandategraph validate`,
    `mandategraph query mandated-by --param symbol=CTOC/COP/2024/CRP.3`, `mandategraph serve`.
    """


# ---------------------------------------------------------------------------- symbol
@main.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print {canonical, components} as JSON.")
def symbol(text: str, as_json: bool) -> None:
    """Parse a UN document symbol and explain its components."""
    from .symbols.grammar import SymbolError  # noqa: PLC0415 - per command (module docstring)
    from .symbols.explain import explain  # noqa: PLC0415 - per command (module docstring)

    try:
        info = explain(text)
    except SymbolError as e:
        _fail(str(e))
        return
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(info["canonical"])
    for line in info.get("description", []):
        click.echo(f"  {line}")


# ---------------------------------------------------------------------------- build
@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--store", "store_dir", help=STORE_HELP)
@click.option("--memory", is_flag=True, help="Build into a store in memory (nothing written).")
@click.option("--backend", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph",
              show_default=True, help="Embedded store backend (rdflib is the in-memory baseline).")
@click.option("--force", is_flag=True, help="Rebuild sources even when unchanged.")
@click.option("--base", help="Base IRI for minted IRIs (default $MANDATEGRAPH_BASE or https://w3id.org/mandategraph).")
@click.option("--dumps/--no-dumps", "dumps", default=True, show_default=True,
              help="Write the gzip dumps the server's /dumps/ publishes (into --dumps-dir) when the store changed.")
@click.option("--dumps-dir", type=click.Path(), help="Folder of the dumps (default: <store>-dumps, where `serve` looks).")
@click.option("--allow-unrecognised", is_flag=True,
              help="Exit 0 even when some sources' structure was not recognised "
                   "(they go in as symbol-only graphs and are counted in the summary).")
@click.option("--warnings", "warnings_mode", type=click.Choice(["first", "all"]), default="first",
              show_default=True,
              help="first: each kind of warning once, with its count and first files; all: every warning.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False),
              help="Write the whole build report (errors, unrecognised sources, every warning by kind) as JSON.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar with files/s on stderr (default: only on a terminal).")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Worker processes reading sources (default: one per core; 0: in this process, "
                   "without the time and memory limits).")
@click.option("--follow-links", is_flag=True,
              help="Follow symbolic links that leave a source folder (skipped with a warning by default).")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help="Settings file (TOML): a [build.limits] table with the limits below by name "
                   "(seconds, memory, pages, page_objects, page_chars, chars, decompressed, depth).")
@click.option("--max-seconds", type=float, help="Wall time per source (default 60).")
@click.option("--max-memory", help="Memory per source, e.g. 1G, 800M (default 1G).")
@click.option("--max-pages", type=int, help="Pages per PDF (default 5,000).")
@click.option("--max-page-objects", type=int, help="Objects per PDF page (default 20,000).")
@click.option("--max-page-chars", type=int, help="Characters per PDF page (default 100,000).")
@click.option("--max-chars", type=int, help="Characters of text per source (default 10,000,000).")
@click.option("--max-decompressed", help="Bytes a DOCX may inflate to, e.g. 256M (default 256M).")
@click.option("--max-depth", type=int, help="Nesting depth of lists (default 100).")
@click.option("--no-limits", is_flag=True, help="Switch every limit off (trusted input only).")
def build(paths: tuple[str, ...], store_dir: str | None, memory: bool, backend: str,
          force: bool, base: str | None, dumps: bool, dumps_dir: str | None, allow_unrecognised: bool,
          warnings_mode: str, report_file: str | None, progress: bool | None, workers: int | None,
          follow_links: bool, config_file: str | None, no_limits: bool, **maxima: str | None) -> None:
    """Build the graph from source files or folders (default: data/).

    A folder means every .txt .md .html .htm .docx .pdf file under it. Each source becomes one
    named graph; a bad file is reported and skipped, the rest of the batch still goes in.

    Each source is read in a worker process under limits (wall time, memory, pages, objects
    and characters per page, characters, decompressed bytes, list depth); a source over a
    limit is reported ("over the 60 s limit at page 1,204") and nothing of it is stored.
    Symbolic links out of a folder, FIFOs and other non-files are skipped with a warning.

    Catalogue .csv files (document records: a header with a `symbol` column, see
    docs/catalogue.md) are a second kind of source: one named graph per file, a bad row is
    reported as FILE:LINE and the other rows go in. Other .csv files in a folder are skipped
    with a warning.

    An on-disk store also gets its dumps (gzip TriG, N-Quads, Turtle) written to
    <store>-dumps when its content changed, so the server's /dumps/ answers at once.

    GA decision records (.json files with an ED_DecisionNumber field, see docs/decisions.md)
    are a third kind: one named graph per record; a bad field is reported as FILE: field NAME
    and the rest of the record goes in.

    The summary line counts sources built, unchanged, with errors and unrecognised (no
    extractor recognised their structure: only their document symbols went in). Exit status:
    0 clean, 1 errors or unrecognised sources (unless --allow-unrecognised), 2 nothing read.
    """
    from .build.iris import Iris  # noqa: PLC0415 - per command (module docstring)
    from .export import default_dumps_dir, refresh_dumps  # noqa: PLC0415 - per command (module docstring)
    from .ingest.limits import build_limits  # noqa: PLC0415 - per command (module docstring)
    from .pipeline.batch import build_paths  # noqa: PLC0415 - per command (module docstring)
    from .pipeline.report import with_progress, write_json, write_text  # noqa: PLC0415 - per command

    try:
        limits = build_limits(config_file, off=no_limits, **maxima)
    except ValueError as e:
        _fail(str(e))
        return

    if backend == "rdflib":
        memory = True
    try:
        st = _open(store_dir, memory, backend)
    except StoreError as e:
        _fail(str(e))
        return
    show = sys.stderr.isatty() if progress is None else progress
    with st:
        report = build_paths(paths or ("data",), st, Iris(base or ""), force=force,
                             progress=(lambda fs: with_progress(fs, len(fs))) if show else None,
                             workers=workers, limits=limits, follow_links=follow_links)
        dumps_note = None
        if dumps and not memory and not str(store_dir or "").startswith(("sparql+", "http")):
            folder = Path(dumps_dir) if dumps_dir else default_dumps_dir(store_dir or str(DEFAULT_STORE))
            t0 = time.monotonic()
            written = refresh_dumps(st, folder)
            dumps_note = (f"dumps: unchanged in {folder}" if written is None else
                          f"dumps: {len(written)} files written to {folder} in {time.monotonic() - t0:.1f} s")
    write_text(report, sys.stderr, all_warnings=warnings_mode == "all")
    if report_file:
        write_json(report, report_file)
    click.echo(report.summary())
    if dumps_note:
        click.echo(dumps_note)
    sys.exit(report.exit_status(allow_unrecognised))


# ---------------------------------------------------------------------------- query
@main.command()
@click.argument("name")
@click.option("--store", "store_dir", help=STORE_HELP)
@click.option("--endpoint", help="Run on a remote SPARQL 1.1 query endpoint instead of the store.")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind a query parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="json is SPARQL 1.1 Query Results JSON.")
def query(name: str, store_dir: str | None, endpoint: str | None, params: tuple[str, ...], fmt: str) -> None:
    """Run a named query (a file of queries/ without .rq, or a path to an .rq file).

    `mandategraph query --list` is spelled `mandategraph queries`. Exit codes: 2 for a
    malformed `symbol` parameter (with the symbol parser's error), 1 when the store has no
    document with that symbol (no instrument, for BODY:KIND:NUMBER).
    """
    from .query import (  # noqa: PLC0415 - per command (module docstring)
        QueryError,
        SymbolParamError,
        check_symbol_param,
        get,
        missing_subject,
        run,
    )

    values = {}
    for item in params:
        if "=" not in item:
            _fail(f"--param {item!r}: expected KEY=VALUE")
        k, v = item.split("=", 1)
        values[k.strip()] = v
    try:
        if endpoint:
            from .store.remote import RemoteStore  # noqa: PLC0415 - per command (module docstring)

            st = RemoteStore(endpoint)
        else:
            st = _open(store_dir, read_only=True)
        with st:
            check_symbol_param(get(name), values)  # a malformed symbol: exit 2 with the parser's error
            missing = missing_subject(st, get(name), values)
            if missing:
                _fail(missing, 1)
            result = run(st, name, values)
    except SymbolParamError as e:
        _fail(str(e), 2)
        return
    except (QueryError, StoreError) as e:
        _fail(str(e))
        return
    except SyntaxError as e:
        _fail(f"query {name!r} does not parse: {e}")
        return
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    elif fmt == "csv":
        click.echo(result.to_csv(), nl=False)
    else:
        click.echo(result.to_table())


@main.command()
def queries() -> None:
    """List the named queries with their parameters and descriptions."""
    from .query import public_queries  # noqa: PLC0415 - per command (module docstring)

    for q in public_queries():
        params = " ".join(f"--param {p}=..." for p in q.params)
        click.echo(f"{q.name} {params}".rstrip())
        click.echo(f"    {q.title}: {q.description}")


# ---------------------------------------------------------------------------- validate
@main.command()
@click.option("--store", "store_dir", help=STORE_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "turtle"]), default="text", show_default=True)
@click.option("--engine", type=click.Choice(["auto", "sparql", "turbo", "pyshacl"]), default="auto",
              show_default=True,
              help="auto: the shapes compiled to SPARQL inside the store, or pyshacl-turbo for shapes it "
                   "refuses on a store of up to 2M quads; sparql, turbo (pyshacl-turbo) or pyshacl (the "
                   "reference, slow) by name.")
@click.option("--shapes", "extra", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="More shapes (a Turtle file or a folder of them), added to the project's; repeat for several.")
@click.option("--only-shapes", "only", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Validate against these shapes alone (files or folders); repeat for several.")
@click.option("--if-changed", is_flag=True,
              help="Skip when the store and shapes are unchanged since the last report (printed instead).")
@click.option("--progress", is_flag=True,
              help="Say on standard error which engine runs, why, and how long it took (make run).")
def validate(store_dir: str | None, fmt: str, engine: str, extra: tuple[Path, ...], only: tuple[Path, ...],
             if_changed: bool, progress: bool) -> None:
    """Validate the store against the SHACL shapes.

    Exit 0 no violation (warnings and infos are reported, sh:conforms says false, but they do not
    fail), 1 violations, 2 error (a store or shapes file that cannot be read, a shape the chosen
    engine refuses).
    """
    from .validate.engines import load_shapes  # noqa: PLC0415 - per command (module docstring)
    from .validate.report import ValidationFailed  # noqa: PLC0415 - per command (module docstring)
    from .validate.run import report_file, skipped_line  # noqa: PLC0415 - per command (module docstring)
    from .validate.run import validate as run_validation  # noqa: PLC0415 - per command (module docstring)
    from .validate.sparql_support import UnsupportedShape  # noqa: PLC0415 - per command (module docstring)

    location = Path(store_dir or DEFAULT_STORE)
    try:
        shapes = load_shapes(_shape_files(extra), _shape_files(only))
        st = _open(store_dir, read_only=True)
        with st:
            local = None if str(location).startswith("sparql+") else location
            run = run_validation(st, shapes, engine, local, if_changed=if_changed)
    except (UnsupportedShape, ValidationFailed, StoreError, OSError, ValueError) as e:
        _fail(str(e))
        return
    if run.skipped:
        click.echo(f"validate: {skipped_line(run, report_file(location))}", err=True)
        if fmt == "text" and run.last:
            click.echo(run.last.get("text", ""))
        sys.exit(run.exit_code)
    out = run.outcome
    if progress:
        click.echo(f"validate: engine {run.engine} ({run.reason}): {run.seconds:.1f} s, "
                   f"{len(out.violations)} violation(s), {len(out.warnings)} warning(s)", err=True)
    if fmt == "turtle":
        click.echo(out.report.serialize(format="turtle"))
    else:
        click.echo(out.text())
    sys.exit(run.exit_code)


def _shape_files(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; a folder as its *.ttl files (sorted)."""
    out: list[Path] = []
    for p in paths:
        out.extend(sorted(p.glob("*.ttl")) if p.is_dir() else [p])
    return out


# ---------------------------------------------------------------------------- export
@main.command()
@click.option("--store", "store_dir", help=STORE_HELP)
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads", "turtle", "jsonld", "rdfxml"]),
              default="trig", show_default=True)
@click.option("-o", "--output", type=click.Path(), help="Output file (default: standard output).")
@click.option("--dumps", "dumps_dir", type=click.Path(),
              help="Write the dump files the server publishes (gzip TriG, N-Quads, Turtle + VoID/DCAT) to this folder.")
@click.option("--publisher-name", default="mandategraph", show_default=True,
              help="With --dumps: the DCAT catalogue's and dataset's publisher (dct:publisher).")
@click.option("--publisher-iri", default=None, help="With --dumps: the publisher's IRI (default: <base>/publisher).")
def export(store_dir: str | None, fmt: str, output: str | None, dumps_dir: str | None,
           publisher_name: str, publisher_iri: str | None) -> None:
    """Export the graph: TriG and N-Quads keep named graphs and provenance."""
    from .export import export_store, write_dumps  # noqa: PLC0415 - per command (module docstring)
    from .store.describe import Publisher  # noqa: PLC0415 - per command (module docstring)

    try:
        st = _open(store_dir, read_only=True)
        with st:
            if dumps_dir:
                publisher = Publisher(publisher_name, publisher_iri)
                for path in write_dumps(st, Path(dumps_dir), publisher=publisher):
                    click.echo(str(path))
                return
            if output:
                with open(output, "wb") as fh:
                    export_store(st, fmt, fh)
            else:
                export_store(st, fmt, sys.stdout.buffer)
    except (StoreError, OSError, ValueError) as e:
        _fail(str(e))


# ---------------------------------------------------------------------------- serve
@main.command()
@click.option("--store", "store_dir", help=STORE_HELP)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--config", "config_file", type=click.Path(exists=True),
              help="Settings file (TOML); see docs/server.md.")
@click.option("--prime/--no-prime", default=None,
              help="Before reporting ready, build the pages' whole-store SHACL report and one round of "
                   "each kind of page over 4 documents, instruments and sessions (at most 30 s; their "
                   "cached pages are then dropped), so the first visitors do not pay for them. "
                   "Default: on, unless the settings file (prime = false) or MANDATEGRAPH_SERVER_PRIME says otherwise.")
def serve(store_dir: str | None, host: str, port: int, config_file: str | None, prime: bool | None) -> None:
    """Serve the SPARQL endpoint, linked-data IRIs, dumps and the mandate-lineage browser."""
    from .server.app import run_server  # noqa: PLC0415 - per command (module docstring)

    run_server(store=store_dir or str(DEFAULT_STORE), host=host, port=port, config_file=config_file,
               prime=prime)


# ---------------------------------------------------------------------------- push
@main.command()
@click.option("--store", "store_dir", help=STORE_HELP)
@click.option("--endpoint", required=True, help="Remote SPARQL query endpoint (for Oxigraph server: http://HOST:PORT/query).")
@click.option("--update-endpoint", help="SPARQL Update endpoint (Oxigraph: /update).")
@click.option("--graph-store", help="Graph Store Protocol endpoint (Oxigraph: /store).")
@click.option("--user", help="User name for HTTP authentication.")
@click.option("--password", envvar="MANDATEGRAPH_REMOTE_PASSWORD", help="Password (or $MANDATEGRAPH_REMOTE_PASSWORD).")
@click.option("--token", envvar="MANDATEGRAPH_REMOTE_TOKEN", help="Bearer token (or $MANDATEGRAPH_REMOTE_TOKEN).")
def push(store_dir, endpoint, update_endpoint, graph_store, user, password, token) -> None:
    """Sync the store's named graphs to a remote SPARQL server (only the changed ones)."""
    from .store.remote import RemoteError, RemoteStore  # noqa: PLC0415 - per command (module docstring)
    from .store.push import push_store  # noqa: PLC0415 - per command (module docstring)

    try:
        remote = RemoteStore(endpoint, update_endpoint=update_endpoint, graph_store=graph_store,
                             user=user, password=password, token=token)
        st = _open(store_dir, read_only=True)
        with st:
            report = push_store(st, remote)
    except (RemoteError, StoreError) as e:
        _fail(str(e))
        return
    click.echo(report.summary())


# ---------------------------------------------------------------------------- load
@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--store", "store_dir", help=f"Store directory to create (default {DEFAULT_STORE}).")
@click.option("--replace", is_flag=True, help="Swap an existing store for the loaded one (only once every file went in).")
@click.option("--threads", type=int, default=None, help="Loader threads for N-Quads/N-Triples (default: cores, at most 4).")
@click.option("--lenient", is_flag=True, help="Skip IRI validation while parsing (faster; only for dumps you wrote yourself).")
@click.option("--strict", is_flag=True, help="Validate every IRI, also in signed dumps (see above).")
@click.option("--optimize", is_flag=True, help="Compact the store after loading.")
def load(files: tuple[Path, ...], store_dir: str | None, replace: bool, threads: int | None,
         lenient: bool, strict: bool, optimize: bool) -> None:
    """Bulk-load RDF dumps (.nq .nt .trig .ttl, optionally .gz) into a new on-disk store.

    For restoring `mandategraph export` dumps or loading a large corpus prepared elsewhere.
    Load one dump of a set: the N-Quads or TriG dump keeps the named graphs (one per source);
    the Turtle dump is their union without them.
    N-Quads and N-Triples are cut at line ends and loaded on several threads. The load runs in
    a new directory that replaces the store only at the end, so an existing store is never
    half-written; a file that fails to parse is named with its line and the rest still go in.

    Signed dumps (`export --format nquads` and the synthetic corpus end with a
    `# mandategraph-dump sha256=...` line) are parsed without re-validating their IRIs while
    the digest is checked; a file changed since it was written is loaded again with full
    validation, with a warning.
    """
    from .store.bulkload import LoadError, load_store  # noqa: PLC0415 - per command (module docstring)

    if lenient and strict:
        _fail("--lenient and --strict contradict each other: choose one")
        return
    try:
        report = load_store(Path(store_dir or DEFAULT_STORE), list(files), replace=replace,
                            threads=threads, lenient=lenient, optimize=optimize, strict=strict)
    except LoadError as e:
        _fail(str(e))
        return
    for w in report.warnings:
        click.echo(f"warning: {w}", err=True)
    for err in report.errors:
        click.echo(f"error: {err}", err=True)
    click.echo(report.summary())
    if report.errors:
        sys.exit(2 if not report.loaded else 1)


if __name__ == "__main__":  # pragma: no cover
    main()
