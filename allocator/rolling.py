"""Rolling re-plan and mid-term review: which years are past, what they are locked to, what baselines become.

``allocator plan SCENARIO --actuals DIR --from YEAR [--until YEAR]``: every plan year before YEAR is past. Its money
is locked, line by line, to the actual spending of DIR/actual_spending.csv (the score inputs' table; a line with no
row spent nothing), through the scenario's locks table, so each lock keeps the file's row for error messages. Its
measured outputs (DIR/actual_outputs.csv, optional) replace the model's output of those years, so the stock at YEAR
starts from them. ``--until`` extends the horizon past the policy's last year, holding the last year's funds flat
(an assumption; ``--set budget.increment.2026=...`` overrides it) and the targets as sustain targets.

``plan --performance SCORE_RUN`` is the same with the past locked to the plan the score was made against (see
``allocator.pipeline.past.performance_past``): a scored year never changes. The formulation side is ``allocator.formulation.rolling``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DataError, OverrideError
from .tables import Provenance, Where

logger = logging.getLogger(__name__)

SPENDING_FILE = "actual_spending.csv"
OUTPUTS_FILE = "actual_outputs.csv"
FLAT_NOTE = "held flat at the policy's last year (assumption, 假设)"


@dataclass(frozen=True)
class RollingRequest:
    """What ``--actuals DIR --from YEAR --until YEAR`` (or ``--performance``) asks of a plan.

    ``plan_locks`` ((unit, initiative, year, source, amount), ...) lock past years to a plan's money, source by source,
    instead of actuals;
    ``source`` says where they come from (for messages and the manifest).
    """

    actuals: str | Path | None = None
    from_year: int | None = None
    until: int | None = None
    plan_locks: tuple[tuple[str, str, int, str, float], ...] = ()
    source: str = ""

    @property
    def active(self) -> bool:
        """Whether anything is asked at all."""
        return self.actuals is not None or self.from_year is not None or self.until is not None or bool(self.plan_locks)


def apply_rolling(data: dict[str, Any], prov: Provenance, request: RollingRequest) -> None:
    """Edit a raw scenario (before overrides and validation): extend the horizon, lock the past, record what was measured."""
    if request.actuals is not None and request.from_year is None:
        raise OverrideError("--actuals DIR needs --from YEAR (the first year to re-plan)")
    if request.from_year is not None and request.actuals is None and not request.plan_locks:
        raise OverrideError("--from YEAR needs --actuals DIR (the spending and outputs of the years before it)")
    start, end = int(data["start_year"]), int(data["end_year"])
    rolling: dict[str, Any] = {}
    if request.until is not None:
        _extend(data, prov, end, request.until)
        rolling["policy_end"] = end
    last = int(data["end_year"])
    if request.from_year is not None:
        if not start < request.from_year <= last:
            raise OverrideError(
                f"--from {request.from_year}: outside the plan; give a year from {start + 1} to {last} "
                f"(the years before it are locked to what was spent)"
            )
        rolling.update(from_year=request.from_year, basis="plan" if request.plan_locks else "actual", source=request.source)
        if request.actuals is not None:
            folder = Path(request.actuals)
            rolling["source"] = str(folder)
            _lock_spending(data, prov, folder, start, request.from_year)
            rolling["measured"] = _measured(data, folder, start, request.from_year)
        else:
            _lock_plan(data, prov, request)
    data["rolling"] = rolling


def _extend(data: dict[str, Any], prov: Provenance, end: int, until: int) -> None:
    """Years end+1..until get the last year's stock, increment and source amounts unless the scenario gives them."""
    if until < end:
        raise OverrideError(f"--until {until}: before the policy's last year {end}; --until can only extend the horizon")
    data["end_year"] = until
    where = Where(f"--until {until}")
    prov.record(("end_year",), where)
    funds = [("budget", "stock"), ("budget", "increment")] + [("sources", key, "amount") for key in data.get("sources", {})]
    for path in funds:
        table = data
        for part in path:
            table = table[part]
        flat = _amount(table, end)
        for y in range(end + 1, until + 1):
            if _amount(table, y) is None and flat is not None:
                table[str(y)] = flat
                prov.record((*path, str(y)), Where(f"--until {until}: {'.'.join(path)}.{y} {FLAT_NOTE}"))


def _amount(table: dict[Any, Any], year: int) -> Any:
    return table.get(str(year), table.get(year))


def _lock_spending(data: dict[str, Any], prov: Provenance, folder: Path, start: int, from_year: int) -> None:
    """One lock per row of the actual spending (past years only; every past year must have its spending)."""
    from .io.records import read_rows

    if not folder.is_dir():
        raise DataError(f"--actuals {folder}: no such folder (expected score inputs with {SPENDING_FILE})")
    path = folder / SPENDING_FILE
    if not path.exists():
        raise DataError(f"--actuals {folder}: the folder has no {SPENDING_FILE} (unit, initiative, year, amount per line)")
    label, header, rows = read_rows(path)
    label = f"{folder.name}/{label}"
    missing = [c for c in ("unit", "initiative", "year", "amount") if c not in header]
    if missing:
        raise DataError(f"{label} row 1: missing column(s) {', '.join(missing)} (expected unit, initiative, year, amount)")
    records = data.setdefault("locks", [])
    seen: set[int] = set()
    for n, row in rows:
        year = _year(row.get("year"), label, n)
        _in_past(year, start, from_year, label, n)
        seen.add(year)
        index = len(records)
        prov.record(("locks", index), Where(label, n))
        for col in ("unit", "initiative", "year", "amount"):
            prov.record(("locks", index, col), Where(label, n, col))
        records.append(
            {
                "unit": row.get("unit", ""),
                "initiative": row.get("initiative", ""),
                "year": year,
                "amount": row.get("amount", ""),
                "reason": f"actual spending ({label} row {n})",
            }
        )
    gaps = [y for y in range(start, from_year) if y not in seen]
    if gaps:
        raise DataError(
            f"{label}: no actual spending for {', '.join(map(str, gaps))}; every year before --from {from_year} needs its spending "
            "(a line that spent nothing may be left out, a year may not)"
        )


def _year(cell: Any, label: str, n: int) -> int:
    try:
        return int(str(cell).strip())
    except ValueError:
        raise DataError(f"{label} row {n}, year: expected a whole year such as 2021, got {cell!r}") from None


def _in_past(year: int, start: int, from_year: int, label: str, n: int) -> None:
    if year >= from_year:
        raise DataError(f"{label} row {n}, year: {year} is not before --from {from_year}; actuals are for past years only")
    if year < start:
        raise DataError(f"{label} row {n}, year: {year} is before the plan's first year {start}")


def _measured(data: dict[str, Any], folder: Path, start: int, from_year: int) -> list[dict[str, Any]]:
    """Measured outputs per unit, indicator and past year (a unit's rows of one indicator and year added up)."""
    from .io.records import read_rows

    path = folder / OUTPUTS_FILE
    if not path.exists():
        logger.info("%s has no %s: past outputs follow the model", folder, OUTPUTS_FILE)
        return []
    label, header, rows = read_rows(path)
    label = f"{folder.name}/{label}"
    missing = [c for c in ("unit", "indicator", "year", "value") if c not in header]
    if missing:
        raise DataError(f"{label} row 1: missing column(s) {', '.join(missing)} (expected unit, indicator, year, value)")
    indicators, units = data.get("indicators", {}), data.get("units", {})
    sums: dict[tuple[str, str, int], float] = {}
    for n, row in rows:
        year = _year(row.get("year"), label, n)
        _in_past(year, start, from_year, label, n)
        k, u = str(row.get("indicator", "")), str(row.get("unit", ""))
        if k not in indicators:
            raise DataError(f"{label} row {n}, indicator: unknown indicator {k!r}")
        if u not in units:
            raise DataError(f"{label} row {n}, unit: unknown unit {u!r}")
        try:
            value = float(str(row.get("value", "")).strip())
        except ValueError:
            value = float("nan")
        if not value >= 0 or value == float("inf"):
            raise DataError(f"{label} row {n}, value: expected an output of 0 or more, got {row.get('value')!r}")
        key = (k, u, year)
        sums[key] = sums.get(key, 0.0) + value
    return [{"indicator": k, "unit": u, "year": y, "value": v} for (k, u, y), v in sorted(sums.items())]


def _lock_plan(data: dict[str, Any], prov: Provenance, request: RollingRequest) -> None:
    """Locks of past years at a plan's money (``--performance``: the plan the score was made against)."""
    records = data.setdefault("locks", [])
    where = Where(request.source or "--performance")
    for unit, initiative, year, source, amount in request.plan_locks:
        index = len(records)
        prov.record(("locks", index), where)
        records.append({"unit": unit, "initiative": initiative, "year": year, "source": source, "amount": amount, "reason": request.source})


def status_of(scenario: Any, year: int) -> str:
    """``actual`` (locked to what was spent), ``locked`` (to the plan a score was made against) or ``planned``."""
    rolling = scenario.rolling
    if rolling is None or not rolling.is_past(year):
        return "planned"
    return "actual" if rolling.basis == "actual" else "locked"


def manifest_entry(scenario: Any) -> dict[str, Any] | None:
    """What the manifest says of a rolling re-plan: where the past comes from, from and until which year, locked years."""
    rolling = scenario.rolling
    if rolling is None:
        return None
    past = [t for t in scenario.years if rolling.is_past(t)]
    return {
        "actuals": rolling.source if rolling.basis == "actual" and rolling.from_year is not None else None,
        "basis": rolling.basis if past else None,
        "source": rolling.source or None,
        "from_year": rolling.from_year,
        "until_year": scenario.end_year if rolling.policy_end is not None else None,
        "policy_end": rolling.policy_end,
        "locked_years": past,
        "measured_indicators": sorted({m.indicator for m in rolling.measured}),
        "extra_years_budget": FLAT_NOTE if rolling.policy_end is not None else None,
    }


STATUS_TABLES = ("allocation", "indicators", "unit_indicators", "budget")


def add_status(scenario: Any, tables: dict[str, Any]) -> None:
    """A ``status`` column (actual / locked / planned) on the plan's tables with a year column."""
    for name in STATUS_TABLES:
        frame = tables.get(name)
        if frame is not None and "year" in frame.columns:
            frame["status"] = [status_of(scenario, int(y)) for y in frame["year"]]


def snap_past_years(scenario: Any, raw: dict[tuple[int, str, str, str, str], float]) -> dict[tuple[int, str, str, str, str], float]:
    """Money of past years on the 0.01 grid before publishing, each line's pools adding up to its locked amount.

    The pool rule splits a locked line's school money between stock and increment in proportions that are not whole
    fen; rounding those parts separately could move the line by a fen. Here the stock part is rounded and the
    increment part is the rest, so a past line is published exactly as it was spent (or planned).
    """
    if scenario.rolling is None or scenario.rolling.from_year is None:
        return raw
    out = dict(raw)
    lines: dict[tuple[int, str, str, str], list[tuple[int, str, str, str, str]]] = {}
    for key in raw:
        t, _pool, source, u, i = key
        if scenario.is_past(t):
            lines.setdefault((t, source, u, i), []).append(key)
    for keys in lines.values():
        total = round(sum(raw[k] for k in keys), 2)
        keys = sorted(keys, key=lambda k: k[1] != "stock")
        for k in keys[:-1]:
            out[k] = round(raw[k], 2)
        out[keys[-1]] = round(total - sum(out[k] for k in keys[:-1]), 2)
    return out
