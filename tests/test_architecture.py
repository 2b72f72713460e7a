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
    # the solve package (allocator/solve/) and DEA's own LP loop are the only places that run a solver
    pattern = re.compile(r"\.solve\(|getSolver\(|\.run\(\)|PULP_CBC_CMD\(|_Highs\(|highspy\.Highs\(")
    solve_package = PACKAGE / "solve"
    assert (solve_package / "__init__.py").exists()
    for path in _modules(PACKAGE):
        if path.is_relative_to(solve_package) or path.relative_to(PACKAGE).parts[0] == "dea":
            continue
        text = path.read_text(encoding="utf-8")
        assert not pattern.search(text), f"{path.relative_to(ROOT)} calls a solver directly"


def test_no_print_in_library_code():
    for path in _modules(PACKAGE) + _modules(ROOT / "models"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "print"]
        assert not calls, f"print() in {path.relative_to(ROOT)}"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute_imports(path: Path, top_level_only: bool = False) -> set[str]:
    """Modules a file imports, relative imports resolved (``from ..pipeline import x`` -> allocator.pipeline)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    out: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                prefix = ".".join(base)
                out.add(f"{prefix}.{node.module}" if node.module else prefix)
                if not node.module:  # from .. import x: x may be a submodule or just a name
                    folder = ROOT.joinpath(*base)
                    out |= {f"{prefix}.{a.name}" for a in node.names if (folder / a.name).is_dir() or (folder / f"{a.name}.py").exists()}
            elif node.module:
                out.add(node.module)
    return out


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_nothing_imports_cli_or_pipeline_back():
    # layers, top down: the CLI (allocator.cli) -> jobs (allocator.pipeline) -> the engine; nothing imports upwards
    for path in _modules(PACKAGE):
        name = _module_name(path)
        imported = _absolute_imports(path)
        if not _inside(name, "allocator.cli") and name != "allocator.__main__":
            assert not any(_inside(m, "allocator.cli") for m in imported), f"{name} imports the CLI"
            if not _inside(name, "allocator.pipeline"):
                assert not any(_inside(m, "allocator.pipeline") for m in imported), f"{name} imports the pipeline"


def test_the_cli_imports_heavy_modules_only_inside_commands():
    # at module level a CLI module may import click, the standard library and the light parts of allocator,
    # so that `allocator --help` starts fast; the engine is imported by a command when it runs
    import sys

    light = {"allocator", "allocator.errors", "allocator.request", "click"}
    for path in _modules(PACKAGE / "cli"):
        for module in _absolute_imports(path, top_level_only=True):
            top = module.split(".")[0]
            ok = top in sys.stdlib_module_names or top == "__future__" or module in light or _inside(module, "allocator.cli")
            assert ok, f"{_module_name(path)} imports {module} at module level"


def test_cli_and_pipeline_modules_stay_small():
    for path in _modules(PACKAGE / "cli") + _modules(PACKAGE / "pipeline"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 400, f"{path.relative_to(ROOT)}: {lines} lines; split it by job"


def test_every_command_module_is_registered_and_its_help_is_its_docstring():
    # adding a command is a new module plus one line in allocator.cli.COMMANDS; --help reads the line
    import importlib

    from allocator.cli import COMMANDS

    shared = {"__init__", "common", "group", "line_options", "values"}
    modules = {p.stem for p in (PACKAGE / "cli").glob("*.py")} - shared
    assert modules == {module for module, _, _ in COMMANDS.values()}
    for name, (module, attribute, help_line) in COMMANDS.items():
        command = getattr(importlib.import_module(f"allocator.cli.{module}"), attribute)
        assert command.name == name
        assert (command.help or "").strip().splitlines()[0] == help_line, name


def test_every_scenario_under_scenarios_validates():
    from allocator import load_scenario

    paths = sorted((ROOT / "scenarios" / "examples").glob("*.yaml"))
    bundled = ROOT / "scenarios" / "zjut-2021-2025"
    if (bundled / "scenario.yaml").exists():
        paths.append(bundled)
    assert len(paths) >= 3
    for p in paths:
        load_scenario(p)


def test_shared_helpers_are_used_not_repeated():
    # cell parsing, the table jobs' read-compute-write and the --out/--force options were written out in each
    # module that needed them; each now lives once
    readers = ("allocator/split/table.py", "allocator/dea/table.py", "allocator/goal_tables.py")
    for path in readers:
        text = (ROOT / path).read_text(encoding="utf-8")
        assert "io.cells import" in text, path
        assert "empty id" not in text and "is not a number" not in text and "expected a number" not in text, path
    jobs = (ROOT / "allocator/pipeline/tables.py").read_text(encoding="utf-8")
    assert jobs.count("read_rows(") == 1 and jobs.count("atomic_write_bytes(") == 1  # both in run_on_table
    assert "def run_dea" in jobs and "def run_dea" not in (ROOT / "allocator/pipeline/scores.py").read_text(encoding="utf-8")
    for module in sorted((ROOT / "allocator/cli").glob("*.py")):
        if module.name in ("common.py", "plan.py"):  # plan.py: owned elsewhere; it uses out_options already
            continue
        assert 'click.option("--out"' not in module.read_text(encoding="utf-8"), f"{module.name}: use common.out_options"
