"""Many-solve jobs on Dask: a real two-worker scheduler on loopback gives exactly the local answer; a scheduler
that cannot be reached is an input error naming it, within the connect timeout."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from allocator import distributed, load_scenario
from allocator.cli import cli
from allocator.distributed import Cluster
from allocator.errors import SchedulerError
from allocator.risk import assess_risk


def _risk_cli(args, out):
    return CliRunner().invoke(cli, ["whatif", "risk", *args, "--out", str(out)])


def test_risk_resolve_on_a_two_worker_scheduler_equals_the_local_run(examples, scheduler, tmp_path):
    scenario = str(examples / "floors_and_gaps.yaml")
    common = [scenario, "--resolve", "--draws", "60", "--seed", "3", "--integers", "free"]
    remote = _risk_cli([*common, "--scheduler", scheduler], tmp_path / "remote")
    assert remote.exit_code == 0, remote.output
    local = _risk_cli([*common, "--workers", "1"], tmp_path / "local")
    assert local.exit_code == 0, local.output
    for table in ("risk.csv", "draws.csv"):
        a = (tmp_path / "remote" / table).read_bytes()
        assert a == (tmp_path / "local" / table).read_bytes(), table
    draws = pd.read_csv(tmp_path / "remote" / "draws.csv", encoding="utf-8-sig")
    assert len(draws) > 0


def test_the_scheduler_may_come_from_the_environment(examples, scheduler, tmp_path, monkeypatch):
    monkeypatch.setenv("ALLOCATOR_SCHEDULER", scheduler)
    sc = load_scenario(examples / "floors_and_gaps.yaml")
    with Cluster() as cluster:
        assert cluster.describe() == f"dask scheduler {scheduler}"
        remote = assess_risk(sc, draws=60, seed=3, resolve=True, cluster=cluster)
    monkeypatch.delenv("ALLOCATOR_SCHEDULER")
    local = assess_risk(sc, draws=60, seed=3, resolve=True, workers=1)
    assert np.array_equal(remote.values, local.values, equal_nan=True)


def test_resolve_numbers_are_those_of_before_the_port(examples):
    # Sum of the 60 x K drawn values and the probabilities, recorded with the process-pool implementation
    # this port replaced (same seed, same 25-draw chunks); the default local cluster must reproduce them.
    # (Re-recorded after issue 9: stock floors compound from the base, so re-optimized draws fund the lines a
    # little differently and one more draw of the 60 meets the visits target.)
    sc = load_scenario(examples / "floors_and_gaps.yaml")
    res = assess_risk(sc, draws=60, seed=3, resolve=True)
    assert float(np.nansum(res.values)) == pytest.approx(1347.1999883995081, rel=1e-12)
    assert res.probability == {"courses": 0.0, "institute": 1.0, "visits": pytest.approx(58 / 60)}


def test_clear_curve_on_a_scheduler_equals_the_serial_curve(bundled, scheduler):
    from allocator.clearing import cost_to_clear_curve

    sc = load_scenario(bundled)
    with Cluster(scheduler) as cluster:
        curve = cost_to_clear_curve(sc, cluster=cluster)
    # the curve of the bundled scenario as the serial warm chain gives it: every gap can be cleared without extra
    # money, and every point's plan clears all four (the base plan's own clears, k = 0 included)
    assert [p.k for p in curve] == [0, 1, 2, 3, 4]
    assert all(p.status == "optimal" and abs(p.extra_total) < 1e-6 for p in curve)
    assert all(p.cleared == ("intl_journal", "joint_institute", "kunpeng_hire", "overseas_grad_base") for p in curve)


def test_an_unreachable_scheduler_is_an_input_error_naming_it(examples, tmp_path, monkeypatch):
    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", 1.0)
    address = "tcp://127.0.0.1:9"  # the discard port: nothing listens there
    t0 = time.perf_counter()
    res = CliRunner().invoke(
        cli, ["whatif", "risk", str(examples / "two_programmes.yaml"), "--resolve", "--scheduler", address, "--out", str(tmp_path / "r")]
    )
    assert time.perf_counter() - t0 < 10
    assert res.exit_code == 1
    assert address in res.output
    assert not (tmp_path / "r").exists() or not any((tmp_path / "r").iterdir())
    as_json = CliRunner().invoke(
        cli, ["--json", "whatif", "clear", str(examples / "floors_and_gaps.yaml"), "--all-missing", "--scheduler", address]
    )
    assert as_json.exit_code == 1
    assert address in as_json.output and '"exit_code": 1' in as_json.output


def test_workers_and_a_scheduler_together_are_refused(examples):
    res = CliRunner().invoke(
        cli, ["whatif", "risk", str(examples / "two_programmes.yaml"), "--resolve", "--workers", "2", "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert res.exit_code == 2
    with pytest.raises(SchedulerError):
        Cluster("tcp://127.0.0.1:9", workers=2)


def test_tasks_come_back_in_task_order_whatever_order_they_finish(scheduler):
    with Cluster(scheduler) as cluster:
        seen = []
        out = cluster.map(time.sleep, [(0.3,), (0.0,), (0.1,)], progress=lambda n, _r: seen.append(n))
        assert out == [None, None, None]
        assert sorted(seen) == [0, 1, 2]
        assert cluster.map(pow, [(2,), (3,), (4,)], shared=(10,)) == [100, 1000, 10000]


def test_sweep_chains_on_a_scheduler_give_the_local_frontier(examples, scheduler, tmp_path):
    args = ["whatif", "sweep", str(examples / "floors_and_gaps.yaml"), "--increment", "0.5:1.5:0.2"]
    remote = CliRunner().invoke(cli, [*args, "--scheduler", scheduler, "--out", str(tmp_path / "remote")])
    assert remote.exit_code == 0, remote.output
    local = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "local")])
    assert local.exit_code == 0, local.output
    a = pd.read_csv(tmp_path / "remote" / "frontier.csv", encoding="utf-8-sig").drop(columns=["seconds"], errors="ignore")
    b = pd.read_csv(tmp_path / "local" / "frontier.csv", encoding="utf-8-sig").drop(columns=["seconds"], errors="ignore")
    pd.testing.assert_frame_equal(a, b)


def test_marginal_confirmations_on_a_scheduler_equal_the_serial_ones(examples, scheduler, tmp_path):
    args = ["plan", str(examples / "restricted_fund.yaml")]
    remote = CliRunner().invoke(cli, [*args, "--scheduler", scheduler, "--out", str(tmp_path / "remote")])
    assert remote.exit_code == 0, remote.output
    local = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "local")])
    assert local.exit_code == 0, local.output
    a = pd.read_csv(tmp_path / "remote" / "marginals.csv", encoding="utf-8-sig")
    b = pd.read_csv(tmp_path / "local" / "marginals.csv", encoding="utf-8-sig")
    assert len(a) > 0
    pd.testing.assert_frame_equal(a, b, rtol=1e-7)
