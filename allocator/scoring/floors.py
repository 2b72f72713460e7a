"""Next year's stock floors by grade: whose base may be cut and by how much (盘活存量)."""

from __future__ import annotations

from models import NextFloor, Scenario


def next_floors(sc: Scenario, grades: dict[str, str], stock_basis: dict[str, float], year: int) -> list[NextFloor]:
    """One row per graded unit: its floor share (the policy's floor for its grade) and the money that implies."""
    out = []
    for unit in sorted(grades):
        share = sc.policy.floors[grades[unit]]
        basis = stock_basis.get(unit, sc.units[unit].base_total)
        out.append(
            NextFloor(
                unit=unit,
                year=year,
                grade=grades[unit],
                floor_share=share,
                stock_basis=basis,
                floor_amount=share * basis,
                may_reclaim=(1 - share) * basis,
            )
        )
    return out
