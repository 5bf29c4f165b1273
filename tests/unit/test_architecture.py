"""The shape of the code base: no import cycles, and light imports on the command line."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "detente"


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(path: Path, known: set[str]) -> set[str]:
    """Every detente module ``path`` imports, at the top or inside functions, except under
    ``if TYPE_CHECKING``; ``from package import submodule`` counts as the submodule."""
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
                continue
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name in known)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                subs = {f"{node.module}.{a.name}" for a in node.names} & known
                found.update(subs)
                if len(subs) < len(node.names) and node.module in known:
                    found.add(node.module)
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    visit([child])

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                strong(w)
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

    for v in graph:
        if v not in index:
            strong(v)
    return out


def test_no_import_cycles() -> None:
    mods = _modules()
    known = set(mods)
    graph = {m: _imports(p, known) - {m} for m, p in mods.items()}
    assert _cycles(graph) == []
    # the package's own namespace is for users: no module inside it imports from it
    users = sorted(m for m, deps in graph.items() if "detente" in deps and m != "detente")
    assert users == []


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport json, sys\n"
                          "print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


HEAVY = {"numpy", "pandas", "scipy", "matplotlib", "duckdb", "numba", "pyarrow", "SALib",
         "jinja2", "spacy", "trafilatura", "datasketch", "rapidfuzz", "charset_normalizer",
         "dask", "distributed", "ema_workbench", "sklearn"}


def test_importing_detente_and_its_news_package_loads_no_reader_library() -> None:
    loaded = _loaded_after("import detente, detente.news")
    assert not HEAVY & loaded, ", ".join(sorted(HEAVY & loaded))


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    loaded = _loaded_after("import detente.cli")
    assert not HEAVY & loaded, "imported for --help: " + ", ".join(sorted(HEAVY & loaded))


@pytest.mark.parametrize("model", ["compromise", "median"])
def test_a_small_forecast_loads_only_what_it_uses(model: str) -> None:
    harbour = Path(__file__).resolve().parents[1] / "data" / "harbour.yaml"
    loaded = _loaded_after(
        "import sys\nfrom detente.cli import main\nsys.argv = ['detente', 'forecast', '-m', "
        f"'{model}', {str(harbour)!r}]\ntry:\n    main()\nexcept SystemExit:\n    pass")
    assert {"numpy", f"detente.models.{model}"} <= loaded  # it did run the model
    assert not (HEAVY - {"numpy"}) & loaded
