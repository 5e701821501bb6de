"""The package layout holds: no import cycle, no import up the stages, no module over 500 lines.

The import graph is read from the source (AST) of ``mandategraph/`` and ``server/`` (the web
app, imported as ``mandategraph.server``). Every import counts, also those inside functions and
under ``if TYPE_CHECKING``. ``from pkg import name`` is an edge to ``pkg.name`` when that is a
module, else to ``pkg``; importing ``a.b.c`` also runs the ``__init__`` of ``a.b`` (an edge to it),
unless the importer lives inside ``a.b`` itself.

The stages, bottom to top (docs/architecture.md); a module may import its own stage and the
stages below it, never one above:

    core < symbols < ingest < extract < build < store < validate < query < export < pipeline
         < server < cli

``core`` (``mandategraph/core/``, plus the root ``mandategraph/__init__.py`` that only holds the
version) is the bottom layer: namespaces, resources, reference tables, facts, slugs.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("core", "symbols", "ingest", "extract", "build", "store", "validate", "query", "export",
          "pipeline", "server", "cli")
MAX_LINES = 500


def modules(root: Path) -> dict[str, Path]:
    """Module name -> file, for mandategraph/ (without the asset and server symlinks) and server/."""
    out: dict[str, Path] = {}
    for base, prefix in ((root / "mandategraph", "mandategraph"), (root / "server", "mandategraph.server")):
        for f in sorted(base.rglob("*.py")):
            rel = f.relative_to(base)
            if rel.parts[0] in ("_assets", "server") and base.name == "mandategraph":
                continue
            parts = [prefix, *rel.with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = f
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for a in node.names:
                found.add(f"{target}.{a.name}" if f"{target}.{a.name}" in known else target)
    edges: set[str] = set()
    for target in found:
        while target and target not in known:  # `import a.b.c` of a name inside a module
            target = target.rpartition(".")[0]
        if not target or target == name:
            continue
        edges.add(target)
        parent = target.rpartition(".")[0]
        while parent and parent != "mandategraph":  # the packages whose __init__ runs first
            if not (name == parent or name.startswith(parent + ".")):
                edges.add(parent)
            parent = parent.rpartition(".")[0]
    return edges


def import_graph(root: Path) -> dict[str, set[str]]:
    mods = modules(root)
    known = set(mods)
    return {name: _imports(name, path, known) for name, path in mods.items()}


def stage(module: str) -> str | None:
    """The stage of a module (its folder under mandategraph/), None when it is in none."""
    parts = module.split(".")
    if len(parts) == 1:
        return "core"  # mandategraph/__init__.py: the version only
    first = parts[1]
    if first == "__main__":
        return "cli"
    return first if first in STAGES else None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:  # recursion depth is bounded by the number of modules (~100)
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def upward(graph: dict[str, set[str]]) -> list[str]:
    bad = []
    for a, targets in sorted(graph.items()):
        for b in sorted(targets):
            if stage(a) and stage(b) and STAGES.index(stage(b)) > STAGES.index(stage(a)):
                bad.append(f"{a} ({stage(a)}) imports {b} ({stage(b)})")
    return bad


def long_modules(root: Path) -> list[str]:
    out = []
    for name, path in modules(root).items():
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES:
            out.append(f"{path.relative_to(root)}: {n} lines")
    return out


def problems(root: Path) -> list[str]:
    graph = import_graph(root)
    return ([f"module outside the stages ({', '.join(STAGES)}): {m}" for m in sorted(graph) if not stage(m)]
            + [f"import cycle: {' <-> '.join(c)}" for c in cycles(graph)]
            + [f"upward import: {u}" for u in upward(graph)]
            + [f"module over {MAX_LINES} lines: {m}" for m in long_modules(root)])


def test_the_layout_has_no_cycle_no_upward_import_and_no_long_module():
    assert problems(ROOT) == []


def test_the_graph_is_read():
    graph = import_graph(ROOT)
    assert len(graph) > 60
    assert "mandategraph.store.interface" in graph["mandategraph.store.oxigraph_store"]
    assert "mandategraph.store.remote" in graph["mandategraph.store.factory"]
    # an import inside a function counts (the one measured lazy import of the CLI: the server)
    assert "mandategraph.server.app" in graph["mandategraph.cli"]
    # importing a submodule of another package runs that package's __init__ first
    assert "mandategraph.build" in graph["mandategraph.store.interface"]
    assert all(stage(name) for name in graph)


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    for folder in ("mandategraph", "server"):
        shutil.copytree(ROOT / folder, tmp_path / folder, symlinks=True)
    assert problems(tmp_path) == []
    return tmp_path


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_planted_upward_import_fails(copy: Path):
    _append(copy / "mandategraph" / "core" / "facts.py", "\n\ndef _f():\n    from ..cli import main\n")
    found = problems(copy)
    assert any("upward import: mandategraph.core.facts (core) imports mandategraph.cli (cli)" in p
               for p in found), found


def test_a_planted_cycle_fails(copy: Path):
    _append(copy / "mandategraph" / "store" / "interface.py", "\nfrom . import oxigraph_store\n")
    found = problems(copy)
    assert any(p.startswith("import cycle:") and "mandategraph.store.interface" in p
               and "mandategraph.store.oxigraph_store" in p for p in found), found


def test_a_planted_cycle_inside_the_server_fails(copy: Path):
    _append(copy / "server" / "conneg.py", "\n\ndef _f():\n    from .routers import sparql\n")
    found = problems(copy)
    assert any(p.startswith("import cycle:") and "mandategraph.server.conneg" in p for p in found), found


def test_a_planted_long_module_fails(copy: Path):
    _append(copy / "mandategraph" / "query.py", "\n" * MAX_LINES)
    found = problems(copy)
    assert any(p.startswith(f"module over {MAX_LINES} lines: mandategraph/query.py") for p in found), found


def test_a_module_outside_the_stages_fails(copy: Path):
    (copy / "mandategraph" / "stray.py").write_text("X = 1\n", encoding="utf-8")
    found = problems(copy)
    assert any(p.startswith("module outside the stages") and p.endswith("mandategraph.stray")
               for p in found), found
