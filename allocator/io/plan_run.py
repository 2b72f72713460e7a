"""What later jobs read from a plan run folder: its scenario, its lines' money and its task decomposition."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from models import Scenario, TaskRow

from ..errors import RunFolderError
from .run_folder import read_manifest, read_resolved, read_table


@dataclass(frozen=True)
class PlanRun:
    """A plan run folder read back: manifest, the scenario it planned, its allocation and per-unit outputs."""

    path: Path
    manifest: dict[str, Any]
    scenario: Scenario
    allocation: pd.DataFrame
    unit_indicators: pd.DataFrame

    def lines(self) -> list[tuple[str, str, int, float]]:
        """(unit, initiative, year, amount) of every allocation row."""
        a = self.allocation
        return [(str(u), str(i), int(y), float(x)) for u, i, y, x in zip(a["unit"], a["initiative"], a["year"], a["amount"])]

    def outputs(self) -> list[tuple[str, str, int, float]]:
        """(unit, indicator, year, output) of every unit_indicators row."""
        t = self.unit_indicators
        return [(str(u), str(k), int(y), float(x)) for u, k, y, x in zip(t["unit"], t["indicator"], t["year"], t["output"])]

    def tasks(self) -> list[TaskRow]:
        """The task decomposition (任务分解表) of the plan."""
        from ..tasks import decompose

        return decompose(self.scenario, self.lines(), self.outputs())


def read_plan_run(run: str | Path, option: str = "RUN") -> PlanRun:
    """Read a plan run folder, refusing any other kind of run or one without its resolved scenario."""
    manifest = read_manifest(run)
    if manifest.get("kind") != "plan":
        raise RunFolderError(f"{run}: a {manifest.get('kind', 'unknown')} run; {option} must be a plan run folder")
    text = read_resolved(run)
    if text is None:
        raise RunFolderError(f"{run}: plan run folder has no resolved scenario (scenario.resolved.json)")
    try:
        scenario = Scenario.model_validate_json(text)
    except ValueError as exc:
        raise RunFolderError(f"{run}: damaged scenario.resolved.json ({str(exc).splitlines()[0]})") from None
    allocation = read_table(run, "allocation", ("unit", "initiative", "year", "pool", "amount"))
    unit_indicators = read_table(run, "unit_indicators", ("unit", "indicator", "year", "output"))
    return PlanRun(Path(run), manifest, scenario, allocation, unit_indicators)


def tasks_frame(plan: PlanRun) -> pd.DataFrame:
    """tasks.csv: the decomposition with the names of indicators and units beside their ids."""
    sc = plan.scenario
    zh = sc.language == "zh"
    rows = []
    for r in plan.tasks():
        ind = sc.indicators.get(r.indicator)
        unit = sc.units.get(r.unit)
        rows.append(
            {
                **r.model_dump(),
                "indicator_name": (ind.name_zh if zh else ind.name_en or r.indicator) if ind else "",
                "unit_name": (unit.name_zh if zh else unit.name_en or r.unit) if unit else "",
                "role_name": ROLE_NAMES["zh" if zh else "en"][r.role],
            }
        )
    columns = [
        "indicator",
        "indicator_name",
        "year",
        "unit",
        "unit_name",
        "role",
        "role_name",
        "target",
        "school_target",
        "planned_output",
        "money",
    ]
    return pd.DataFrame(rows, columns=columns)


ROLE_NAMES = {
    "zh": {"lead": "牵头单位", "support": "配合单位", "college": "学院", "department": "职能部门", "school": "全校"},
    "en": {"lead": "lead", "support": "support", "college": "college", "department": "department", "school": "school"},
}


def score_tables(plan: PlanRun) -> tuple[Any, Any, dict[str, dict[int, float]]]:
    """(targets, planned money, stock per unit and year) for scoring against a plan: its tasks and its lines."""
    from ..scoring import Table

    name = plan.path.name
    targets = [
        (n + 2, {"unit": r.unit, "indicator": r.indicator, "year": r.year, "target": float(r.target)})
        for n, r in enumerate(t for t in plan.tasks() if t.unit and t.indicator)
    ]
    money: dict[tuple[str, str, int], float] = {}
    stock: dict[str, dict[int, float]] = {}
    for r in plan.allocation.itertuples(index=False):
        key = (str(r.unit), str(r.initiative), int(r.year))
        money[key] = money.get(key, 0.0) + float(r.amount)
        if r.pool == "stock":
            stock.setdefault(str(r.unit), {}).setdefault(int(r.year), 0.0)
            stock[str(r.unit)][int(r.year)] += float(r.amount)
    planned = [
        (n + 2, {"unit": u, "initiative": i, "year": y, "amount": amount}) for n, ((u, i, y), amount) in enumerate(sorted(money.items()))
    ]
    return (
        Table(f"{name}/tasks (the plan's 任务分解表)", ["unit", "indicator", "year", "target"], targets),
        Table(f"{name}/allocation.csv", ["unit", "initiative", "year", "amount"], planned),
        stock,
    )
