"""The command line as a user runs it: outputs, run folders, exit codes and one-line errors."""

from __future__ import annotations

import json

import pandas as pd
import pulp
import pytest
from click.testing import CliRunner

from allocator.cli import cli


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def test_plan_writes_run_folder_and_summary(run, examples, tmp_path):
    out = tmp_path / "run"
    res = run("plan", examples / "floors_and_gaps.yaml", "--out", out)
    assert res.exit_code == 0, res.output
    assert "status: optimal" in res.output
    assert "0.728" in res.output
    assert {p.name for p in out.iterdir()} >= {
        "allocation.csv",
        "indicators.csv",
        "budget.csv",
        "manifest.json",
        "scenario.resolved.json",
        "unit_indicators.csv",
    }
    alloc = pd.read_csv(out / "allocation.csv", encoding="utf-8-sig")
    assert list(alloc.columns[:5]) == ["unit", "initiative", "year", "pool", "amount"]
    assert (out / "allocation.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel
    ind = pd.read_csv(out / "indicators.csv", encoding="utf-8-sig")
    assert list(ind.columns[:6]) == ["indicator", "year", "value", "target", "milestone", "shortfall"]
    bud = pd.read_csv(out / "budget.csv", encoding="utf-8-sig")
    assert list(bud.columns[:4]) == ["year", "pool", "available", "allocated"]
    assert bud.groupby("year")["allocated"].sum().to_dict() == pytest.approx({2021: 120.0, 2022: 120.0})
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for key in ("command", "scenario_path", "input_sha256", "allocator_version", "solver", "status", "objective", "timings", "created"):
        assert key in manifest
    assert set(manifest["timings"]) >= {"load", "build", "solve", "write"}
    assert manifest["objective"]["stage2_progress"] == pytest.approx(0.728, abs=1e-6)


def test_resolved_scenario_reproduces_the_run(run, examples, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("plan", examples / "floors_and_gaps.yaml", "--set", "budget.increment.2022=35", "--out", a).exit_code == 0
    assert run("plan", a / "scenario.resolved.json", "--out", b).exit_code == 0
    ma = json.loads((a / "manifest.json").read_text(encoding="utf-8"))
    mb = json.loads((b / "manifest.json").read_text(encoding="utf-8"))
    assert ma["input_sha256"] == mb["input_sha256"]
    assert ma["objective"] == mb["objective"]
    assert ma["overrides"][0]["path"] == "budget.increment.2022"
    assert (a / "allocation.csv").read_text(encoding="utf-8-sig") == (b / "allocation.csv").read_text(encoding="utf-8-sig")


def test_existing_out_folder_is_not_clobbered(run, examples, tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "keep.txt").write_text("earlier run", encoding="utf-8")
    res = run("plan", examples / "two_programmes.yaml", "--out", out)
    assert res.exit_code == 1
    assert "exists already" in res.output
    assert (out / "keep.txt").read_text(encoding="utf-8") == "earlier run"
    assert run("plan", examples / "two_programmes.yaml", "--out", out, "--force").exit_code == 0
    assert not (out / "keep.txt").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary leftovers


def test_bad_input_exits_1_with_one_message(run, examples, tmp_path):
    res = run("plan", examples / "two_programmes.yaml", "--set", "budget.incrment.2021=5", "--out", tmp_path / "x")
    assert res.exit_code == 1
    assert "error: --set budget.incrment.2021=5: unknown path" in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "x").exists()


def test_usage_error_exits_2(run, examples):
    assert run("plan", examples / "two_programmes.yaml", "--solver", "gurobi").exit_code == 2
    assert run("plan").exit_code == 2


def test_infeasible_exits_3_and_explains(run, examples, tmp_path):
    res = run("plan", examples / "floors_and_gaps.yaml", "--set", "budget.stock.2021=50", "--out", tmp_path / "x")
    assert res.exit_code == 3
    assert "infeasible" in res.output
    assert "stock floor" in res.output
    assert "short by" in res.output
    assert not (tmp_path / "x").exists()


def test_solver_failure_exits_4(run, examples, tmp_path, monkeypatch):
    class Broken(pulp.PULP_CBC_CMD):
        def actualSolve(self, lp, **kwargs):
            raise pulp.PulpSolverError("cbc binary not found")

    monkeypatch.setattr(pulp, "PULP_CBC_CMD", Broken)
    res = run("plan", examples / "two_programmes.yaml", "--solver", "cbc", "--out", tmp_path / "x")
    assert res.exit_code == 4
    assert "CBC failed" in res.output


def test_validate_and_show_scenario(run, examples):
    res = run("validate", examples / "restricted_fund.yaml")
    assert res.exit_code == 0 and res.output.startswith("ok: restricted_fund")
    res = run("show-scenario", examples / "restricted_fund.yaml", "--set", "budget.increment.2021=33", "--format", "json")
    assert json.loads(res.output)["budget"]["increment"] == {"2021": 33.0}


def test_json_summary(run, examples, tmp_path):
    res = run("--json", "plan", examples / "two_programmes.yaml", "--out", tmp_path / "j")
    payload = json.loads(res.output)
    assert payload["status"] == "optimal"
    assert payload["objective"]["stage2_progress"] == pytest.approx(0.9166667, abs=1e-6)


def test_convert_round_trip(run, examples, tmp_path):
    assert run("convert", examples / "floors_and_gaps.yaml", "--to", tmp_path / "s.xlsx").exit_code == 0
    assert run("convert", tmp_path / "s.xlsx", "--to", tmp_path / "folder").exit_code == 0
    res = run("plan", tmp_path / "folder", "--out", tmp_path / "r")
    assert res.exit_code == 0 and "0.728" in res.output


def test_debug_shows_the_traceback(examples, tmp_path):
    runner = CliRunner()
    plain = runner.invoke(cli, ["plan", str(examples / "nope.yaml")])
    assert plain.exit_code == 1 and "Traceback" not in plain.output
    debug = runner.invoke(cli, ["--debug", "plan", str(examples / "nope.yaml")])
    assert debug.exit_code != 0
    assert debug.exception is not None  # raised, so click's runner (or the shell) shows the traceback


def test_time_limited_plan_is_reported_as_such(run, examples, tmp_path, monkeypatch):
    from allocator import solve as solve_module
    from models import SolveStatus

    original = solve_module.HighsModel.run

    def stopped_early(self, stage, time_limit, **kw):
        report, values = original(self, stage, time_limit, **kw)
        if stage == "stage2":
            report = report.model_copy(update={"status": SolveStatus.FEASIBLE, "mip_gap": 0.01})
        return report, values

    monkeypatch.setattr(solve_module.HighsModel, "run", stopped_early)
    res = run("plan", examples / "floors_and_gaps.yaml", "--time-limit", "5", "--out", tmp_path / "r", "--no-marginals")
    assert res.exit_code == 0
    assert "status: time_limit_feasible" in res.output
    assert "not proven optimal" in res.output
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "time_limit_feasible"


def test_internal_errors_are_one_line(run, examples, tmp_path, monkeypatch):
    import allocator.pipeline.plans as plans

    def broken(*a, **k):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(plans, "plan", broken)
    res = run("plan", examples / "two_programmes.yaml", "--out", tmp_path / "x")
    assert res.exit_code == 70
    assert "internal error (ZeroDivisionError: boom)" in res.output and "Traceback" not in res.output


def test_a_stage_two_stopped_by_the_clock_still_reports_the_stage_one_plan(bundled, tmp_path):
    res = CliRunner().invoke(cli, ["plan", str(bundled), "--time-limit", "0.05", "--no-marginals", "--out", str(tmp_path / "r")])
    # a plan is always returned once stage 1 has one: stage 2 starts from it (review B4)
    assert res.exit_code in (0, 4), res.output
    if res.exit_code == 0:
        manifest = json.loads((tmp_path / "r" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["status"] in ("optimal", "time_limit_feasible")
        assert "accounting check" not in res.output


def test_json_output_and_manifests_are_strict_json(examples, tmp_path):
    # an infeasible sweep level has no objectives: null, never NaN (review B7)
    res = CliRunner().invoke(cli, ["--json", "whatif", "sweep", str(examples / "floors_and_gaps.yaml"), "--stock", "0.5,1",
                                   "--out", str(tmp_path / "s")])
    assert res.exit_code == 0, res.output

    def no_nan(text):
        return json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))

    payload = no_nan(res.output)
    assert payload["levels"][0]["stage2_progress"] is None
    no_nan((tmp_path / "s" / "manifest.json").read_text(encoding="utf-8"))
