"""The factor split on a table: check every cell, split, and return the table with the amounts added.

Row numbers in errors are spreadsheet rows (the header is row 1), or the numbers the caller passes (a
CSV's file lines, so rows after a blank line are still named right).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..errors import DataError
from ..io.cells import check_ids, is_blank, parse_number
from ..limits import MAX_SPLIT_QUANTA
from .factor import PRORATED, factor_amounts, on_grid

OUTPUT_COLUMNS = ("recommendation", "amount", "percent_funded", "limited_by")
"""Columns the split adds; ``amount`` and ``percent_funded`` are the contract of ``allocator split``."""
FIRST_DATA_ROW = 2


def factor_split(
    frame: pd.DataFrame,
    *,
    id_col: str,
    amount: float,
    weight: str,
    prior: str | None = None,
    stop_loss: float | None = None,
    minimum: str | None = None,
    maximum: str | None = None,
    decimals: int = 2,
    source: str = "table",
    row_numbers: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Split ``amount`` over the rows of ``frame`` by the factor method (按因素法分配), exact to 10**-decimals.

    Each row's recommendation is weight / total weight x amount; with ``prior`` and ``stop_loss`` S no row
    gets less than (1 - S) x its prior (S = 0: hold harmless), with ``minimum``/``maximum`` columns no row
    gets less/more than those (a blank cell: no bound for that row); when the amount cannot pay every
    floor, the floors are pro-rated. The full rule is in ``allocator.split.factor``.

    Returns ``frame`` with ``recommendation``, ``amount`` (whole 10**-decimals, summing exactly to
    ``amount``), ``percent_funded`` (amount / recommendation as a ratio, 1.0 = the formula share; blank
    where the recommendation is 0) and ``limited_by`` ('' = formula share, 'protected', 'min', 'max',
    'pro-rated') added; ``result.attrs["split"]`` holds the summary (``describe`` turns it into words).

    Raises ``DataError`` naming ``source``, the row and the column of every bad cell, or the bad parameter.
    """
    quantum = _quantum(decimals, source)
    _check_parameters(frame, id_col, amount, weight, prior, stop_loss, minimum, maximum, quantum, decimals, source)
    rows = list(row_numbers) if row_numbers is not None else [FIRST_DATA_ROW + j for j in range(len(frame))]
    problems: list[str] = []
    ids = _ids(frame[id_col], id_col, rows, source, problems)
    w = _numbers(frame[weight], weight, rows, source, problems, blank_ok=False)
    pr = _numbers(frame[prior], prior, rows, source, problems, blank_ok=False) if prior else None
    lo = _numbers(frame[minimum], minimum, rows, source, problems, blank_ok=True) if minimum else None
    hi = _numbers(frame[maximum], maximum, rows, source, problems, blank_ok=True) if maximum else None
    if not problems:
        _check_bounds(w, pr, stop_loss, lo, hi, rows, (weight, prior, minimum, maximum), source, problems)
    if problems:
        raise DataError(f"{source}: {len(problems)} problem(s) in the table to split:\n- " + "\n- ".join(problems))
    try:
        split = factor_amounts(w, amount, prior=pr, stop_loss=stop_loss, minimum=lo, maximum=hi, keys=ids, quantum=quantum)
    except ValueError as exc:
        raise DataError(f"{source}, column {maximum!r}: {exc}") from None
    out = frame.copy()
    out["recommendation"] = split.recommendation
    out["amount"] = split.amounts
    out["percent_funded"] = [a / r if r > 0 else math.nan for a, r in zip(split.amounts, split.recommendation)]
    out["limited_by"] = split.limited_by
    out.attrs["split"] = {
        "amount": amount,
        "decimals": decimals,
        "rows": len(frame),
        "weight": weight,
        "weight_total": math.fsum(w),
        "prior": prior,
        "stop_loss": stop_loss,
        "minimum": minimum,
        "maximum": maximum,
        "case": split.case,
        "floor_total": split.floor_total,
        "per_weight": split.per_weight,
        "limited": {k: split.limited_by.count(k) for k in ("protected", "min", "max", "pro-rated") if k in split.limited_by},
        "sum_quanta": sum(split.quanta),
    }
    return out


def describe(summary: dict[str, Any], lang: str = "en") -> list[str]:
    """The rule a split applied, in words (``lang`` zh or en), with its numbers (for the printed summary)."""
    zh = lang == "zh"

    def w(chinese: str, english: str) -> str:
        return chinese if zh else english

    d = summary["decimals"]
    money = f"{summary['amount']:,.{d}f}"
    weight, total = summary["weight"], f"{summary['weight_total']:,.6g}"
    lines = [
        w(
            f"按因素法分配 {money}，共 {summary['rows']} 行，权重列 {weight}（权重合计 {total}）",
            f"factor split of {money} over {summary['rows']} rows by {weight} (total weight {total})",
        )
    ]
    lines.append(w(f"  建议额 = {weight} / {total} × {money}", f"  recommendation = {weight} / {total} x {money}"))
    if summary["prior"]:
        s = summary["stop_loss"]
        if s == 0:
            what = w("保持不减：每行不低于上年额", "hold harmless: no row below its prior")
        else:
            what = w(f"止损 {s:g}：每行不低于上年额的 {1 - s:g} 倍", f"stop-loss {s:g}: no row below {1 - s:g} x its prior")
        lines.append(f"  {what} ({summary['prior']})" if not zh else f"  {what}（{summary['prior']}）")
    if summary["minimum"] or summary["maximum"]:
        bounds = [
            (w(f"不低于 {summary['minimum']}", f"at least {summary['minimum']}") if summary["minimum"] else ""),
            (w(f"不高于 {summary['maximum']}", f"at most {summary['maximum']}") if summary["maximum"] else ""),
        ]
        lines.append(w("  每行", "  per row ") + w("、", " and ").join(b for b in bounds if b))
    floors = f"{summary['floor_total']:,.{d}f}"
    if summary["case"] == PRORATED:
        lines.append(
            w(
                f"  金额低于保底合计 {floors}：各行保底按比例缩减",
                f"  the amount is below the floors' total {floors}: every floor is pro-rated",
            )
        )
    elif summary["floor_total"] > 0 or summary["maximum"]:
        per = f"{summary['per_weight']:,.6g}"
        lines.append(
            w(
                f"  保底合计 {floors}：达到保底或上限的行取该值，其余行按权重分配余额（每单位权重 {per}）",
                f"  floors total {floors}: rows at a floor or cap get it, the rest share what is left by weight ({per} per unit of weight)",
            )
        )
    held = w("，", ", ").join(w(f"{LIMITED_ZH.get(k, k)} {n} 行", f"{n} {k}") for k, n in summary["limited"].items())
    if held and summary["case"] != PRORATED:
        lines.append(w(f"  受限行：{held}", f"  rows held: {held}"))
    lines.append(
        w(
            f"  按最大余数法取整到 {10**-d:g}（同余按编号）：各行金额合计恰为 {money}",
            f"  rounded to {10**-d:g} by largest remainder (ties by id): the amounts sum to exactly {money}",
        )
    )
    return lines


LIMITED_ZH = {"protected": "止损保护", "min": "下限", "max": "上限", "pro-rated": "按比例缩减"}
"""``limited_by`` codes in Chinese, for the printed summary."""


def _quantum(decimals: int, source: str) -> float:
    if not isinstance(decimals, int) or not 0 <= decimals <= 6:
        raise DataError(f"{source}: decimals must be a whole number from 0 to 6, got {decimals!r}")
    return 10.0**-decimals


def _check_parameters(
    frame: pd.DataFrame,
    id_col: str,
    amount: float,
    weight: str,
    prior: str | None,
    stop_loss: float | None,
    minimum: str | None,
    maximum: str | None,
    quantum: float,
    decimals: int,
    source: str,
) -> None:
    named = {"id": id_col, "weight": weight, "prior": prior, "min": minimum, "max": maximum}
    missing = [f"{c!r} (--{k})" for k, c in named.items() if c is not None and c not in frame.columns]
    if missing:
        raise DataError(f"{source}: no column {', '.join(missing)}; the header has: {', '.join(map(str, frame.columns))}")
    taken = [c for c in OUTPUT_COLUMNS if c in frame.columns]
    if taken:
        raise DataError(f"{source}: the table already has column(s) {', '.join(map(repr, taken))}, which the split writes; rename them")
    if len(frame) == 0:
        raise DataError(f"{source}: no rows to split among")
    if (prior is None) != (stop_loss is None):
        raise DataError(f"{source}: a stop-loss needs both a prior column (--prior) and a share (--stop-loss)")
    if stop_loss is not None and not (math.isfinite(stop_loss) and 0 <= stop_loss <= 1):
        raise DataError(f"{source}: stop-loss {stop_loss!r} is outside [0, 1] (0 = hold harmless, 1 = no protection)")
    if not (isinstance(amount, (int, float)) and math.isfinite(amount) and amount >= 0):
        raise DataError(f"{source}: the amount to split must be a number >= 0, got {amount!r}")
    if amount * 10**decimals > MAX_SPLIT_QUANTA:
        largest = f"{MAX_SPLIT_QUANTA / 10**decimals:,.{decimals}f}"
        raise DataError(f"{source}: the amount {amount:g} is too large to split exactly to {quantum:g}: at most {largest}")
    if not on_grid(amount, quantum):
        raise DataError(f"{source}: the amount {amount!r} has more than {decimals} decimals; the split is exact to {quantum:g}")


def _ids(col: pd.Series, name: str, rows: list[int], source: str, problems: list[str]) -> list[str]:
    return check_ids(col.tolist(), rows, name, source, problems)


def _numbers(col: pd.Series, name: str, rows: list[int], source: str, problems: list[str], *, blank_ok: bool) -> list[float | None]:
    out: list[float | None] = []
    for row, raw in zip(rows, col.tolist()):
        where = f"{source}, row {row}, column {name!r}"
        if is_blank(raw):
            out.append(None)
            if not blank_ok:
                problems.append(f"{where}: empty; a number is needed (write 0 for none)")
            continue
        try:
            value = parse_number(raw, thousands=True)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            out.append(None)
            continue
        if value < 0:
            problems.append(f"{where}: negative value {raw!r} (must be >= 0)")
        out.append(value)
    return out


def _check_bounds(w, pr, stop_loss, lo, hi, rows, names, source: str, problems: list[str]) -> None:
    weight, prior, minimum, maximum = names
    if math.fsum(x for x in w if x is not None) <= 0:
        problems.append(f"{source}, column {weight!r}: the weights sum to 0; nothing to share by")
    for j, row in enumerate(rows):
        low = lo[j] if lo is not None else None
        high = hi[j] if hi is not None else None
        if low is not None and high is not None and low > high:
            problems.append(f"{source}, row {row}, columns {minimum!r} and {maximum!r}: min {low:g} is above max {high:g}")
        if pr is not None and high is not None and (1 - stop_loss) * pr[j] > high + 1e-9:
            protected = (1 - stop_loss) * pr[j]
            problems.append(
                f"{source}, row {row}, columns {prior!r} and {maximum!r}: the protected amount {protected:g} "
                f"((1 - {stop_loss:g}) x prior {pr[j]:g}) is above max {high:g}"
            )
