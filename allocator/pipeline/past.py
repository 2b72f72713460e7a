"""``plan --performance``: the scored years of a plan are its past, locked to the plan the score was made against.

Apart from ``allocator.rolling`` (which turns a past into locks before validation) because it may solve the base
plan again, which only a pipeline does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import DataError
from ..rolling import RollingRequest


def performance_past(score_run: str | Path, graded: Any, base: Any, info: dict[str, Any], settings: Any = None) -> Any:
    """``--performance``: the graded request with every scored year locked to the plan the score was made against.

    The plan is the score run's ``--plan`` run when its folder can still be read (its allocation.csv, to 0.01 万元);
    otherwise the base request (as given, without the grades) is solved again and its money is used. With ``--actuals``
    the past comes from the actuals instead and the score run only gives the grades. ``info`` (the manifest's
    ``performance`` entry) records which plan was used.
    """
    from ..io.run_folder import read_manifest

    rolling = graded.rolling or RollingRequest()
    if rolling.actuals is not None:
        info["past"] = "actuals"
        return graded
    years = [int(y) for y in (read_manifest(score_run).get("years") or [])]
    if not years:
        raise DataError(f"--performance {score_run}: the score run's manifest names no scored years")
    last = max(years)
    money, used = _scored_plan_money(score_run, base, last, settings)
    info["past"] = used
    info["locked_through"] = last
    locks = tuple((u, i, t, f, round(a, 2)) for (u, i, t, f), a in sorted(money.items()))
    source = f"--performance {score_run}: {used}"
    past = RollingRequest(from_year=last + 1, until=rolling.until, plan_locks=locks, source=source)
    return graded.with_rolling(past)


def _scored_plan_money(score_run: str | Path, base: Any, last: int, settings: Any) -> tuple[dict[tuple[str, str, int, str], float], str]:
    """Money per line, year and source up to ``last`` of the plan the score was made against, and where it came from."""
    from ..io.run_folder import read_manifest

    plan_run = (read_manifest(score_run).get("inputs") or {}).get("plan_run")
    money: dict[tuple[str, str, int, str], float] = {}
    if plan_run and (Path(plan_run) / "allocation.csv").exists():
        from ..io.run_folder import read_table

        table = read_table(plan_run, "allocation", ("unit", "initiative", "year", "amount", "source"))
        for r in table.itertuples(index=False):
            if int(r.year) <= last:
                key = (str(r.unit), str(r.initiative), int(r.year), str(r.source))
                money[key] = money.get(key, 0.0) + float(r.amount)
        return money, f"plan run {plan_run}"
    from ..planning import plan

    result = plan(base.with_rolling(None).load().scenario, settings=settings, marginals=False)
    for r in result.allocation:
        if r.year <= last:
            key = (r.unit, r.initiative, r.year, r.source)
            money[key] = money.get(key, 0.0) + r.amount
    return money, "the base scenario solved again (the score run names no readable plan run)"
