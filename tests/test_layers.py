"""The house's layers, read from the source: who may import whom, and no import cycle.

    models  <-  delivery  <-  workflow  <-  admin, editorial API, demo, management commands

Models are the bottom: they never import the workflow, delivery or the admin. Delivery (the
read model and the API) never imports the workflow or the admin. The workflow reaches the
read model through one entry, ``content.delivery.projection``. The editorial API
(``content.editorial``) sits beside the admin: over the workflow, never imported by it, nor
does it import the admin. Every import counts, also one
inside a function (that is how a cycle hides).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("content", "recovery")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules ``name`` imports, wherever in the file the import is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:  # "from x import y" imports x.y if it is a module
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


RULES = [
    # (importer, what it must not import, unless it is one of these)
    ("content.models", "content.workflow", ()),
    ("content.models", "content.delivery", ()),
    ("content.models", "content.admin", ()),
    ("content.models", "content.demo", ()),
    ("content.delivery", "content.workflow", ()),
    ("content.delivery", "content.admin", ()),
    ("content.delivery", "content.demo", ()),
    ("content.workflow", "content.admin", ()),
    ("content.workflow", "content.demo", ()),
    ("content.workflow", "content.delivery", ("content.delivery.projection",)),
    ("content.models", "content.editorial", ()),
    ("content.delivery", "content.editorial", ()),
    ("content.workflow", "content.editorial", ()),
    ("content.editorial", "content.admin", ()),
    ("content.admin", "content.editorial", ()),
]


@pytest.mark.parametrize(
    "importer, forbidden, allowed", RULES, ids=[f"{a} -/-> {b}" for a, b, _ in RULES]
)
def test_no_layer_imports_one_above_it(importer, forbidden, allowed):
    breaches = sorted(
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if _under(name, importer)
        for target in targets
        if _under(target, forbidden) and target not in allowed
    )
    assert not breaches


def test_there_is_no_import_cycle():
    cycles = []
    state: dict[str, str] = {}  # "open" while on the path, "done" after

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for target in sorted(GRAPH[name]):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[name] = "done"

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert not cycles


def test_the_rules_see_the_imports_they_rule_on():
    """The checks above would pass on an empty graph: make sure they read real imports."""
    assert "content.delivery.projection" in GRAPH["content.workflow.publication"]
    assert "content.models" in GRAPH["content.delivery.projection"]
    assert "content.workflow.checks" in GRAPH["content.workflow.offers"]
    assert len(MODULES) > 50
