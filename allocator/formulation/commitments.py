"""Commitments and locks: money a line must get in a year, whatever else the plan does."""

from __future__ import annotations

import pulp

from .problem import BuiltProblem, add_row, row_name


def past_spending(bp: BuiltProblem) -> dict[tuple[str, str, int], float]:
    """Money each line spent in a past year of a rolling re-plan: its locks, all sources together."""
    out: dict[tuple[str, str, int], float] = {}
    for k in bp.scenario.locks:
        if bp.scenario.is_past(k.year):
            out[k.unit, k.initiative, k.year] = out.get((k.unit, k.initiative, k.year), 0.0) + k.amount
    return out


def add_commitment_variables(bp: BuiltProblem) -> None:
    """paid[u,i,t] in [0, C[u,i,t]]: money paying the line's commitments (its output is already in the baselines)."""
    for (u, i, t), amount in sorted(bp.sets.commitments.items()):
        bp.paid[u, i, t] = pulp.LpVariable(row_name("paid", u, i, t), lowBound=0, upBound=amount)


def add_commitment_constraints(bp: BuiltProblem) -> None:
    """commitment[u,i,t]:  paid[u,i,t] >= C[u,i,t]  (money already promised to the line is paid first).

    With paid at most C, this fixes it; the row exists so that an infeasible plan can say which commitment
    the budget cannot pay ("commitment ... short by ...").

    In a past year of a rolling re-plan the commitment is paid from what the line spent, up to its spending:
    paid[u,i,t] >= min(C[u,i,t], lock[u,i,t]) (a cohort smaller than promised spent less).
    """
    spent = past_spending(bp)
    for (u, i, t), amount in sorted(bp.sets.commitments.items()):
        if bp.scenario.is_past(t):
            amount = min(amount, spent.get((u, i, t), 0.0))
        add_row(bp, [(bp.paid[u, i, t], 1.0)], pulp.LpConstraintGE, amount, row_name("commitment", u, i, t), "commitment")


def add_lock_constraints(bp: BuiltProblem) -> None:
    """Locks: a line's money fixed in a year, as a spreadsheet user fixes a cell.

    lock[u,i,t]:    sum_f x[u,i,t,f] = amount
    lock[u,i,t,f]:  x[u,i,t,f] = amount        (one source's part of it, when the lock names the source)
    """
    for lock in sorted(bp.scenario.locks, key=lambda k: (k.unit, k.initiative, k.year, k.source or "")):
        ids = (lock.unit, lock.initiative, lock.year)
        if lock.source is None:
            terms, name = bp.spend_terms(*ids), row_name("lock", *ids)
        else:
            var = bp.money.get((*ids, lock.source))
            terms, name = ([(var, 1.0)] if var is not None else []), row_name("lock", *ids, lock.source)
        add_row(bp, terms, pulp.LpConstraintEQ, lock.amount, name, "lock")
