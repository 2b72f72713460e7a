"""Shared fixtures: paths to the bundled scenarios and a small scenario factory."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "scenarios" / "examples"
BUNDLED = ROOT / "scenarios" / "zjut-2021-2025"


@pytest.fixture
def examples() -> Path:
    """Folder of the hand-worked example scenarios."""
    return EXAMPLES


@pytest.fixture
def bundled() -> Path:
    """The bundled 2021-2025 scenario."""
    if not (BUNDLED / "scenario.yaml").exists():
        pytest.skip("bundled scenario not present yet")
    return BUNDLED


@pytest.fixture(scope="session")
def bundled_plan(tmp_path_factory):
    """One plan run of the bundled scenario (about 2 s), shared by every test that only reads it.

    Returns the pipeline's JobRun: ``.folder`` is the run folder, ``.result`` and ``.loaded`` what the
    command line prints from.
    """
    if not (BUNDLED / "scenario.yaml").exists():
        pytest.skip("bundled scenario not present yet")
    from allocator.pipeline import run_plan

    return run_plan(BUNDLED, tmp_path_factory.mktemp("bundled") / "plan", command="allocator plan scenarios/zjut-2021-2025 --out runs/base")
