"""Structural rules of the codebase (STYLE.md): one-way imports, one solver call site, no prints."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import models

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "allocator"


def _modules(folder: Path):
    return [p for p in folder.rglob("*.py") if "__pycache__" not in p.parts]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
    return out


def test_models_is_the_local_package():
    assert Path(models.__file__).resolve().is_relative_to(ROOT)


def test_models_imports_only_pydantic_and_stdlib():
    import sys

    allowed = {"pydantic", "__future__", *sys.stdlib_module_names}
    for path in _modules(ROOT / "models"):
        assert _imports(path) <= allowed, f"{path.name} imports {_imports(path) - allowed}"


def test_only_solve_and_dea_call_solvers():
    pattern = re.compile(r"\.solve\(|getSolver\(|\.run\(\)|PULP_CBC_CMD\(|_Highs\(|highspy\.Highs\(")
    allowed = {"solve.py"}
    for path in _modules(PACKAGE):
        if path.name in allowed or "dea" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not pattern.search(text), f"{path.relative_to(ROOT)} calls a solver directly"


def test_no_print_in_library_code():
    for path in _modules(PACKAGE) + _modules(ROOT / "models"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "print"]
        assert not calls, f"print() in {path.relative_to(ROOT)}"


def test_nothing_imports_cli_or_pipeline_back():
    for path in _modules(PACKAGE):
        if path.name in ("cli.py", "__main__.py"):
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"from \.+cli import|from \.+ import cli\b", text), path.name
        if path.name != "pipeline.py":
            assert not re.search(r"from \.+pipeline import", text) or path.name == "cli.py", path.name


def test_every_scenario_under_scenarios_validates():
    from allocator import load_scenario

    paths = sorted((ROOT / "scenarios" / "examples").glob("*.yaml"))
    bundled = ROOT / "scenarios" / "zjut-2021-2025"
    if (bundled / "scenario.yaml").exists():
        paths.append(bundled)
    assert len(paths) >= 3
    for p in paths:
        load_scenario(p)
