"""Thin access to HiGHS for the DEA inner loop: a quiet instance and a status vocabulary."""

from __future__ import annotations

import logging
from typing import Any

import highspy

logger = logging.getLogger(__name__)

INF = highspy.kHighsInf

#: Status strings used in every DEA result (one per DMU).
OPTIMAL = "optimal"
INFEASIBLE = "infeasible"
UNBOUNDED = "unbounded"

_STATUS = {
    highspy.HighsModelStatus.kOptimal: OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: INFEASIBLE,
    highspy.HighsModelStatus.kUnbounded: UNBOUNDED,
}


def new_highs() -> Any:
    """Return a silent HiGHS instance set up for many small warm-started re-solves.

    The public ``highspy.Highs`` wrapper prints a banner on stdout when it is
    created (its callback hook); the core class behind it does not, so it is
    preferred when present. Presolve is off so that each re-solve starts from
    the previous basis. The ``threads`` option is left alone on purpose: HiGHS
    has one scheduler per process, and fixing it at 1 here (about 15% faster
    for these tiny LPs) would make a later solve elsewhere in the process that
    asks for more threads fail.
    """
    core = getattr(getattr(highspy, "_core", None), "_Highs", None)
    h = core() if core is not None else highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "off")
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("primal_feasibility_tolerance", 1e-9)
    h.setOptionValue("dual_feasibility_tolerance", 1e-9)
    return h


def run(h: Any) -> Any:
    """Solve from the current basis and return the HiGHS model status."""
    h.run()
    return h.getModelStatus()


def status_name(h: Any, model_status: Any) -> str:
    """Map a HiGHS model status to our vocabulary; unknown ones keep HiGHS's wording."""
    name = _STATUS.get(model_status)
    if name is not None:
        return name
    return "solver: " + str(h.modelStatusToString(model_status)).lower()


def is_infeasible_or_unknown(model_status: Any) -> bool:
    """True for the statuses that a restricted master cannot trust as final."""
    return model_status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    )


def is_optimal(model_status: Any) -> bool:
    """True when HiGHS reports an optimal solution."""
    return model_status == highspy.HighsModelStatus.kOptimal


def is_unbounded(model_status: Any) -> bool:
    """True when HiGHS proved the LP unbounded."""
    return model_status == highspy.HighsModelStatus.kUnbounded
