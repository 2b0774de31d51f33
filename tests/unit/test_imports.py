"""The import graph of newscheck: no cycle among its modules' top-level
imports, and every module imports on its own in a fresh interpreter, in any
order.

Imports under ``if TYPE_CHECKING:`` do not run and are never counted. An
import inside a function (each says why it is there) does not run at import
time, but it still makes two modules depend on each other: the graph with
those imports counted is checked too.
"""

from __future__ import annotations

import ast
import random
import subprocess
import sys
from pathlib import Path

import pytest

import newscheck

from ..offline import sitecustomize as offline

PACKAGE = Path(newscheck.__file__).parent
# `python -m newscheck` runs the command line when imported: not a module to import
NOT_IMPORTED = {"newscheck.__main__"}


def module_names(package: Path) -> dict[str, Path]:
    """Every module under ``package`` by its dotted name."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.Module, deferred: bool) -> list[ast.Import | ast.ImportFrom]:
    """The import statements that run when the module is imported: those of its
    body and of its module-level ``if``/``try``/``with`` blocks (not of a
    TYPE_CHECKING block); with ``deferred``, those in functions and classes too."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in tree.body:
        if _type_checking(node):
            continue
        if deferred or isinstance(node, ast.If | ast.Try | ast.With):
            found.extend(n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
    return found


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def imports_of(name: str, path: Path, modules: dict[str, Path], deferred: bool) -> set[str]:
    """The modules among ``modules`` that importing ``name`` imports first
    (a module's packages included, except the packages ``name`` is in)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8")), deferred):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            base = ".".join([*anchor, *([node.module] if node.module else [])])
        targets.add(base)
        targets.update(f"{base}.{alias.name}" for alias in node.names)
    own = {name, *_ancestors(name)}
    found = set()
    for target in targets:
        for module in (target, *_ancestors(target)):
            if module in modules and module not in own:
                found.add(module)
    return found


def graph_of(package: Path, deferred: bool = False) -> dict[str, set[str]]:
    """Each module of ``package`` and the modules of the package it imports."""
    modules = module_names(package)
    return {name: imports_of(name, path, modules, deferred) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The cycles of ``graph`` that a depth-first search closes, each as the
    path that closes it (``[a, b, a]``): none when there is no cycle."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    found: list[list[str]] = []
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    return found


def test_no_import_cycle_in_newscheck():
    found = cycles(graph_of(PACKAGE))
    assert not found, "import cycles: " + "; ".join(" -> ".join(c) for c in found)


def test_no_import_cycle_through_deferred_imports_either():
    found = cycles(graph_of(PACKAGE, deferred=True))
    assert not found, "import cycles: " + "; ".join(" -> ".join(c) for c in found)


def test_the_graph_is_newschecks_imports():
    graph = graph_of(PACKAGE)
    assert graph["newscheck.values"] == set()  # the leaf: it imports nothing of newscheck
    assert graph["newscheck.corpus_index"] == set()
    assert {"newscheck.registry", "newscheck.values"} <= graph["newscheck.rules.date"]
    assert "newscheck.rules" in graph["newscheck.corpus_run"]
    assert "newscheck.rules" not in graph["newscheck.registry"]


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_a_cycle_is_named(tmp_path):
    package = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from . import b\n",
            "pkg/b.py": "from .sub.c import thing\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/c.py": "from ..a import x\n",
            "pkg/d.py": "import pkg.a\n",
        },
    )
    assert cycles(graph_of(package)) == [["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]]


def test_a_package_importing_a_module_that_imports_one_of_its_own_is_a_cycle(tmp_path):
    package = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/rules/__init__.py": "from . import one\nfrom ..engine import run\n",
            "pkg/rules/one.py": "from ..values import Span\n",
            "pkg/engine.py": "from .rules.one import check\n",
            "pkg/values.py": "",
        },
    )
    assert cycles(graph_of(package)) == [["pkg.engine", "pkg.rules", "pkg.engine"]]


def test_deferred_imports_are_edges_only_when_asked_and_type_checking_never(tmp_path):
    package = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from . import b\n"
                "def f():\n    from . import b\n"
                "try:\n    from . import c\nexcept ImportError:\n    c = None\n"
            ),
            "pkg/b.py": "from . import a\n",
            "pkg/c.py": "",
        },
    )
    assert graph_of(package) == {
        "pkg": set(),
        "pkg.a": {"pkg.c"},
        "pkg.b": {"pkg.a"},
        "pkg.c": set(),
    }


_ORDERS = ("sorted", "reversed", "shuffled")


def _order(names: list[str], how: str) -> list[str]:
    if how == "reversed":
        return names[::-1]
    if how == "shuffled":
        shuffled = list(names)
        random.Random(14).shuffle(shuffled)
        return shuffled
    return names


def _import_in_fresh_interpreter(
    names: list[str], root: Path = PACKAGE.parent
) -> subprocess.CompletedProcess[str]:
    """Import ``names`` in this order in a new Python that finds packages in ``root``."""
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    return subprocess.run(
        [sys.executable, "-c", script, *names],
        capture_output=True,
        text=True,
        env=offline.environment(PYTHONPATH=str(root)),
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("how", _ORDERS)
def test_every_module_imports_in_a_fresh_interpreter(how):
    names = _order(sorted(set(module_names(PACKAGE)) - NOT_IMPORTED), how)
    done = _import_in_fresh_interpreter(names)
    assert done.returncode == 0, done.stderr[-3000:]


def test_an_import_error_fails_the_fresh_import(tmp_path):
    files = {"pkg/__init__.py": "", "pkg/a.py": "from .b import missing\n", "pkg/b.py": ""}
    _write(tmp_path, files)
    done = _import_in_fresh_interpreter(["pkg.b", "pkg.a"], tmp_path)
    assert done.returncode == 1
    assert "ImportError: cannot import name 'missing' from 'pkg.b'" in done.stderr
