"""The package's imports point one way: no module imports itself back, and no layer imports a layer above it.

Every module of `nblabel/` is parsed with `ast`; every `import` and `from ... import` counts wherever it stands
(module level, inside a function, under `if TYPE_CHECKING:`), because a lazy import is still a dependency.
`from package import name` is an edge to the submodule `package.name` when that is a module, else to the package.
Importing a submodule also runs its parents' `__init__`; those implicit edges are not counted (every package that
re-exports its submodules would otherwise be a cycle).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "nblabel"

# Bottom up. A module may import modules of its own layer or of a layer below, never of a layer above.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("errors", ("nblabel._errors", "nblabel._brief")),  # exceptions and how their messages show values
    ("config", ("nblabel.config",)),
    ("tasks / results", ("nblabel.tasks", "nblabel.results")),
    # store: _schema → _base → _sqlite, _postgres → _backend (picks the back end from the store= string) → _open
    ("store, formats, suggest, quality", ("nblabel.store", "nblabel.formats", "nblabel.suggest", "nblabel.quality")),
    ("widget", ("nblabel.widget",)),
    ("label_studio", ("nblabel.label_studio",)),
    ("package face", ("nblabel", "nblabel.brush")),
]

# Imports the layers allow but the design does not: (importer, imported package) -> why not.
FORBIDDEN = {
    ("nblabel.label_studio", "nblabel.widget"): "push() takes a Labeler through its public methods only",
    ("nblabel.widget", "nblabel.store._postgres"): "the back end is picked from store= in one place: store._backend",
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _imports(name: str, source: str | None = None) -> set[str]:
    """The nblabel modules `name` imports, anywhere in its body (`source`: its text, read from disk if None)."""
    if source is None:
        source = MODULES[name].read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(MODULES[name]))
    package = name if _is_package(name) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                base_name = ".".join(base + ([node.module] if node.module else []))
            else:
                base_name = node.module or ""
            for alias in node.names:
                sub = f"{base_name}.{alias.name}"
                found.add(sub if sub in MODULES else base_name)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name) for name in MODULES}


def _layer(name: str) -> int:
    best, level = -1, None
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best:
                best, level = len(prefix), i
    assert level is not None, f"{name} belongs to no layer: add its package to LAYERS in {Path(__file__).name}"
    return level


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
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
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_walk_sees_the_package():
    # The walk must find what is plainly there, or the tests below pass on an empty graph.
    assert "nblabel.widget._labeler" in MODULES and "nblabel.formats._read" in MODULES
    assert "nblabel.widget._labeler" in GRAPH["nblabel.widget"]
    assert "nblabel.config._parse" in GRAPH["nblabel.tasks._media"]
    assert "nblabel.store._sqlite" in GRAPH["nblabel.widget._queue"]
    assert {"nblabel.store._sqlite", "nblabel.store._postgres"} <= GRAPH["nblabel.store._backend"]


def test_the_walk_counts_lazy_and_type_checking_imports():
    source = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..store import _sqlite\n"
              "def f():\n    from . import _queue\n    import nblabel.config._tags\n    from .. import tasks\n")
    assert _imports("nblabel.widget._history", source) == {
        "nblabel.store._sqlite", "nblabel.widget._queue", "nblabel.config._tags", "nblabel.tasks"}


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_every_module_has_a_layer():
    for name in MODULES:
        _layer(name)


def test_no_import_cycles():
    cycles = _cycles(GRAPH)
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_forbidden_imports(name):
    for (importer, imported), why in FORBIDDEN.items():
        if name == importer or name.startswith(importer + "."):
            bad = sorted(m for m in GRAPH[name] if m == imported or m.startswith(imported + "."))
            assert not bad, f"{name} imports {', '.join(bad)}: {why}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down_the_layers(name):
    own = _layer(name)
    upward = sorted(m for m in GRAPH[name] if _layer(m) > own)
    assert not upward, (f"{name} ({LAYERS[own][0]}) imports a layer above it: "
                        + ", ".join(f"{m} ({LAYERS[_layer(m)][0]})" for m in upward))
