"""Imports point down the layers only, function-level imports included.

core (model, errors, config, ...) < extract < store < build, serve < the face
(``search/__init__``, ``cli``). build and serve never import each other, and a
core module imports nothing from a layer. A newcomer can then read the layers
bottom up, and a change to a lower layer never needs an upper one.
"""

from __future__ import annotations

import ast
from pathlib import Path

SEARCH = Path(__file__).resolve().parent.parent / "search"

CORE, EXTRACT, STORE, BUILD_OR_SERVE, FACE = range(5)
LAYERS = {"extract": EXTRACT, "store": STORE, "build": BUILD_OR_SERVE, "serve": BUILD_OR_SERVE}
FACE_MODULES = {"search", "search.cli", "search.__main__"}


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> tuple[int, str]:
    """The layer of a module of the package (its rank) and its part ("serve"...)."""
    if module in FACE_MODULES or module.startswith("search.cli."):
        return FACE, "face"
    part = module.split(".")[1]
    return LAYERS.get(part, CORE), part if part in LAYERS else "core"


def imported(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, module) of every ``search`` module the file imports, anywhere in it."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("search")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target != "search" and not target.startswith("search."):
                continue
            if target == "search":  # ``from .. import schema``: each name is a module
                found += [(node.lineno, f"search.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, target))
    return found


def upward_imports(root: Path = SEARCH) -> list[str]:
    wrong = []
    for path in sorted(root.rglob("*.py")):
        here = module_name(path, root)
        rank, part = layer(here)
        for line, target in imported(path, root):
            if layer(target)[0] == layer(here)[0] == FACE:
                continue
            their_rank, their_part = layer(target)
            if their_rank > rank or (their_rank == rank == BUILD_OR_SERVE and their_part != part):
                wrong.append(f"{path.relative_to(root.parent)}:{line}: {here} imports {target}")
    return wrong


def test_no_module_imports_a_layer_above_its_own():
    assert upward_imports() == []


def test_the_checker_sees_upward_imports(tmp_path):
    """Relative imports, at module and function level, resolve to their layer."""
    fake = tmp_path / "search"
    (fake / "store").mkdir(parents=True)
    (fake / "serve").mkdir()
    (fake / "build").mkdir()
    (fake / "__init__.py").write_text("from .serve import y\n")
    (fake / "store" / "__init__.py").write_text("")
    (fake / "serve" / "__init__.py").write_text("from ..store import x\nfrom .. import model\n")
    (fake / "build" / "__init__.py").write_text("import search.serve.y\n")
    (fake / "store" / "x.py").write_text("def f():\n    from ..serve.y import z\n")
    (fake / "model.py").write_text("from . import extract\n")
    assert upward_imports(fake) == [
        "search/build/__init__.py:1: search.build imports search.serve.y",
        "search/model.py:1: search.model imports search.extract",
        "search/store/x.py:2: search.store.x imports search.serve.y",
    ]
