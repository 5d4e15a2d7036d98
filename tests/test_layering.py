"""The package's layers, read from the source: the core never imports Qt, the history never
reaches into the question content, nothing below the app layer imports the app, the CLI or
the tools, and no two modules import each other round a cycle (lazy imports included,
`if TYPE_CHECKING:` imports excluded because they never run)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "interviewer"

CORE = ("analysis", "audio", "content", "dialogue", "engine", "history", "llm", "models", "speech",
        "transcript", "config", "paths", "errors", "logsetup")
WRAPPERS = ("app", "cli", "gui", "tools")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(current: str, is_package: bool, level: int, module: str | None) -> str:
    base = current.split(".")
    if not is_package:
        base.pop()
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def imports_of(path: Path) -> set[str]:
    """Every module this file imports, as absolute dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(n) for b in node.body for n in ast.walk(b))
    current, is_package = module_name(path), path.name == "__init__.py"
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(current, is_package, node.level, node.module) if node.level else node.module
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # "from . import theme"
    return found


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: {m for m in imports_of(path) if m in MODULES and m != name} for name, path in MODULES.items()}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def offenders(from_layers, banned) -> list[str]:
    return sorted(f"{name} imports {dep}" for name, path in MODULES.items() if layer(name) in from_layers
                  for dep in imports_of(path) if any(dep == b or dep.startswith(b + ".") for b in banned))


def test_the_import_reader_sees_lazy_and_relative_imports(tmp_path):
    """The rules below are only as good as this reader: it must see the import inside a function."""
    assert "interviewer.analysis" in GRAPH["interviewer.engine.recorder"]
    assert any(dep.startswith("interviewer.gui") for dep in GRAPH["interviewer.cli"])  # the lazy GUI launch


def test_the_core_never_imports_qt_or_the_gui():
    assert offenders(CORE + ("app", "tools"), ("PySide6", "interviewer.gui", "pytestqt")) == []


def test_the_core_never_imports_the_app_the_cli_or_the_tools():
    assert offenders(CORE, tuple(f"interviewer.{w}" for w in WRAPPERS)) == []


def test_the_history_never_reaches_into_the_question_content_or_the_interview():
    """A history that imports the bank cannot be opened without it (the archive import, the bench)."""
    banned = ("interviewer.content", "interviewer.dialogue", "interviewer.engine", "interviewer.llm",
              "interviewer.analysis", "interviewer.speech")
    assert offenders(("history",), banned) == []


def _cycles() -> list[list[str]]:
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return found


def _package_edges(name: str) -> set[str]:
    # A package's __init__ re-exporting its own modules is not a cycle worth reporting.
    return {d for d in GRAPH[name] if not d.startswith(name + ".")}


@pytest.fixture(autouse=True, scope="module")
def _ignore_package_reexports():
    saved = dict(GRAPH)
    for name, path in MODULES.items():
        if path.name == "__init__.py":
            GRAPH[name] = _package_edges(name)
    yield
    GRAPH.update(saved)


def test_no_import_cycles():
    assert _cycles() == []


def test_the_cycle_finder_finds_a_cycle():
    GRAPH["interviewer.paths"] = GRAPH["interviewer.paths"] | {"interviewer.config"}
    GRAPH["interviewer.config"] = GRAPH["interviewer.config"] | {"interviewer.paths"}
    try:
        assert ["interviewer.config", "interviewer.paths"] in _cycles()
    finally:
        GRAPH["interviewer.paths"] -= {"interviewer.config"}
        GRAPH["interviewer.config"] -= {"interviewer.paths"}
