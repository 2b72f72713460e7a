"""Shared fixtures: paths to the bundled scenarios and a small scenario factory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run (CI must not pass or fail by chance); a wider random
# search: HYPOTHESIS_PROFILE=explore python -m pytest.
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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


@pytest.fixture(autouse=True)
def _no_internal_error_exits(request, monkeypatch):
    """Fail any test whose command line run exits 70 (internal error): bad input must never reach it.

    A test that provokes a bug on purpose (to check how one is reported) is marked ``internal_error``.
    """
    if request.node.get_closest_marker("internal_error"):
        return
    from click.testing import CliRunner

    invoke = CliRunner.invoke

    def guarded(self, *args, **kwargs):
        result = invoke(self, *args, **kwargs)
        if result.exit_code == 70:
            pytest.fail(f"internal error exit (70):\n{result.output}")
        return result

    monkeypatch.setattr(CliRunner, "invoke", guarded)


@pytest.fixture(scope="session")
def scheduler():
    """The address of a Dask scheduler with two worker processes on 127.0.0.1 (distributed's own LocalCluster),
    shared by every test that runs tasks on a real cluster."""
    import logging

    from distributed import LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0", silence_logs=logging.CRITICAL
    )
    yield cluster.scheduler_address
    cluster.close()
