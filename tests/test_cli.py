"""The command line as a user runs it: outputs, run folders, exit codes and one-line errors."""

from __future__ import annotations

import json

import numpy as np
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
    # --force replaces only a run folder this tool wrote: a folder of someone's files is never deleted
    res = run("plan", examples / "two_programmes.yaml", "--out", out, "--force")
    assert res.exit_code == 1 and "--force replaces only a run folder that allocator wrote" in res.output
    assert (out / "keep.txt").read_text(encoding="utf-8") == "earlier run"
    forced = tmp_path / "forced"
    assert run("plan", examples / "two_programmes.yaml", "--out", forced).exit_code == 0
    first = json.loads((forced / "manifest.json").read_text(encoding="utf-8"))["created"]
    assert run("plan", examples / "two_programmes.yaml", "--set", "budget.increment.2021=1", "--out", forced, "--force").exit_code == 0
    manifest = json.loads((forced / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["written_by"] == "allocator" and manifest["overrides"] and manifest["created"] >= first
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
        if stage.startswith("stage2"):  # the MILP and its relaxation first (which then bounds nothing) stop early
            report = report.model_copy(update={"status": SolveStatus.FEASIBLE, "mip_gap": 0.01})
        return report, values

    monkeypatch.setattr(solve_module.HighsModel, "run", stopped_early)
    res = run("plan", examples / "floors_and_gaps.yaml", "--time-limit", "5", "--out", tmp_path / "r", "--no-marginals")
    assert res.exit_code == 0
    assert "status: feasible (time limit; not proven optimal)" in res.output
    assert "not proven optimal" in res.output
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "time_limit_feasible"


@pytest.mark.internal_error
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
    res = CliRunner().invoke(
        cli, ["--json", "whatif", "sweep", str(examples / "floors_and_gaps.yaml"), "--stock", "0.5,1", "--out", str(tmp_path / "s")]
    )
    assert res.exit_code == 0, res.output

    def no_nan(text):
        return json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))

    payload = no_nan(res.output)
    assert payload["levels"][0]["stage2_progress"] is None
    no_nan((tmp_path / "s" / "manifest.json").read_text(encoding="utf-8"))


# -- named scenarios, global flags, JSON ----------------------------------------------------------


@pytest.fixture
def with_named(examples, tmp_path):
    """floors_and_gaps plus two named scenarios that set D's stock floor one way and back."""
    text = (examples / "floors_and_gaps.yaml").read_text(encoding="utf-8")
    text += "scenarios:\n  no_floor_D: ['policy.floors.D=0']\n  floor_back: ['policy.floors.D=0.9']\n"
    path = tmp_path / "named.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_repeated_scenario_composes_in_order(run, with_named, tmp_path):
    # the file's hand-worked optimum: stage 2 = 0.728 with D's 90% floor, 0.8 without it
    def stage2(*names, out):
        args = [a for n in names for a in ("--scenario", n)]
        res = run("plan", with_named, *args, "--out", tmp_path / out, "--json")
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)["objective"]["stage2_progress"]

    assert stage2("no_floor_D", out="a") == pytest.approx(0.8, abs=1e-6)
    assert stage2("no_floor_D", "floor_back", out="b") == pytest.approx(0.728, abs=1e-6)  # the later edit of D's floor wins
    assert stage2("floor_back", "no_floor_D", out="c") == pytest.approx(0.8, abs=1e-6)
    one = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))
    assert one["named_scenario"] == "no_floor_D" and one["named_scenarios"] == ["no_floor_D"]
    two = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    assert two["named_scenarios"] == ["no_floor_D", "floor_back"]
    assert [o["new"] for o in two["overrides"]] == [0.9]  # the replaced edit is not applied
    res = run("plan", with_named, "--scenario", "no_floor_D", "--scenario", "nope", "--out", tmp_path / "d")
    assert res.exit_code == 1 and "--scenario nope: no such named scenario" in res.output


def test_global_flags_work_before_and_after_the_command(run, examples, tmp_path):
    before = run("--json", "plan", examples / "two_programmes.yaml", "--out", tmp_path / "a")
    after = run("plan", examples / "two_programmes.yaml", "--out", tmp_path / "b", "--json")
    assert before.exit_code == after.exit_code == 0
    assert json.loads(before.stdout)["objective"] == json.loads(after.stdout)["objective"]
    assert run("validate", examples / "two_programmes.yaml", "-q").output == ""
    assert run("validate", examples / "two_programmes.yaml").output.startswith("ok: two_programmes")
    nested = run("whatif", "sweep", examples / "floors_and_gaps.yaml", "--stock", "1", "--out", tmp_path / "s", "--json")
    assert nested.exit_code == 0 and json.loads(nested.stdout)["levels"][0]["level"] == 1.0
    debug = CliRunner().invoke(cli, ["plan", str(examples / "nope.yaml"), "--debug"])
    assert debug.exception is not None and not isinstance(debug.exception, SystemExit)


def _json_error(res, exit_code):
    assert res.exit_code == exit_code, res.output
    payload = json.loads(res.stdout)
    assert payload["status"] == "error" and payload["exit_code"] == exit_code
    return payload


def test_json_errors_are_json_on_stdout_with_the_same_exit_code(run, examples, tmp_path):
    floors = examples / "floors_and_gaps.yaml"
    infeasible = _json_error(run("plan", floors, "--set", "budget.stock.2021=50", "--out", tmp_path / "x", "--json"), 3)
    # 2021 has 50 + 20: A's floor (60) and D's (36) need 96, so a floor is 26 short
    assert "infeasible" in infeasible["message"] and "short by 26" in infeasible["message"]
    bad = _json_error(run("--json", "plan", floors, "--set", "budget.incrment.2021=5"), 1)
    assert bad["message"].startswith("--set budget.incrment.2021=5: unknown path")
    usage = _json_error(run("plan", floors, "--solver", "gurobi", "--json"), 2)
    assert "gurobi" in usage["message"]
    _json_error(run("--json", "no-such-command"), 2)
    # an unreachable clear still wrote its run: the error carries the run's summary and curve
    # (institute is funded at the earliest in 2021 and counts a year later, so --by 2021 is out of reach)
    clear = _json_error(run("whatif", "clear", floors, "--all-missing", "--by", "2021", "--out", tmp_path / "c", "--json"), 3)
    assert clear["result"]["run_folder"] == str(tmp_path / "c") and clear["result"]["status"] == "unreachable"
    assert [p["k"] for p in clear["result"]["curve"]] == [0, 1]
    assert clear["result"]["curve"][0]["extra_total"] == 0.0 and clear["result"]["curve"][1]["extra_total"] is None


def test_json_floats_are_rounded_for_showing(run, examples, tmp_path):
    from allocator.cli.common import rounded

    assert rounded({"a": 4998.500000001, "b": [0.1 + 0.2, 7], "c": np.float64(2) / 3}) == {"a": 4998.5, "b": [0.3, 7], "c": 0.666666667}
    res = run("plan", examples / "two_programmes.yaml", "--out", tmp_path / "j", "--json")
    assert json.loads(res.stdout)["objective"]["stage2_progress"] == 0.916666667  # 11/12 to 9 significant digits


def test_refusals_name_the_flag_that_chose_the_output(run, examples, tmp_path):
    assert run("plan", examples / "two_programmes.yaml", "--out", tmp_path / "r").exit_code == 0
    (tmp_path / "book.xlsx").write_bytes(b"earlier")
    res = run("export", tmp_path / "r", "--xlsx", tmp_path / "book.xlsx")
    assert res.exit_code == 1 and "choose a new --xlsx or pass --force" in res.output
    assert (tmp_path / "book.xlsx").read_bytes() == b"earlier"
    res = run("convert", examples / "two_programmes.yaml", "--to", tmp_path / "r")
    assert res.exit_code == 1 and "choose a new --to or pass --force" in res.output


def test_progress_shows_time_left_only_after_a_few_steps():
    import click

    from allocator.cli import common

    now = [100.0]
    bar = common.Progress(click.Context(cli), 10, "levels", clock=lambda: now[0])  # started at 100 s
    now[0] = 106.0
    bar.done = 2
    assert bar._eta() is None  # two steps say little: the first one carries the model build
    bar.done = 3
    assert bar._eta() == "about 14 s left"  # at 106 s: 2 s per finished step, 7 steps left
    bar.done = 10
    assert bar._eta() is None


# -- start-up: `allocator --help` must not load the engine ------------------------------------------


def test_help_imports_no_heavy_module():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from allocator.cli import cli\n"
        "for args in (['--help'], ['whatif', '--help'], ['plan', '--help']):\n"
        "    assert cli.main(args, prog_name='allocator', standalone_mode=False) == 0\n"
        "heavy = ('pulp', 'highspy', 'pandas', 'numpy', 'pydantic', 'yaml', 'models')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    help_text, loaded = out.rsplit("\n", 2)[0], out.rsplit("\n", 2)[1]
    assert loaded == "", f"imported at start-up: {loaded}"
    for name in ("compare", "convert", "dea", "export", "plan", "report", "score", "show-scenario", "template", "validate", "whatif"):
        assert f"\n  {name} " in help_text  # every command listed by allocator --help
    assert "sweep" in help_text and "--scenario NAME" in help_text  # the group's and a command's own help


def test_package_names_load_on_first_use():
    import subprocess
    import sys

    code = (
        "import sys, allocator\n"
        "assert 'pydantic' not in sys.modules and 'pulp' not in sys.modules\n"
        "assert allocator.load_scenario.__module__ == 'allocator.loading'\n"
        "assert set(allocator.__all__) == set(dir(allocator)) & set(allocator.__all__)\n"
        "print('pydantic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"
