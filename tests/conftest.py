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
