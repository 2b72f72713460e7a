"""The formulation as text: a golden LP file per example, so any change to the math shows as a readable diff.

Regenerate after an intended change with ``python tests/regen_lp.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from allocator import load_scenario
from allocator.formulation import build_problem

DATA = Path(__file__).resolve().parent / "data"


def lp_text(scenario_path: Path, tmp_path: Path) -> str:
    bp = build_problem(load_scenario(scenario_path))
    out = tmp_path / "model.lp"
    bp.problem.writeLP(str(out))
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["floors_and_gaps", "restricted_fund", "priorities"])
def test_lp_matches_golden_file(name, examples, tmp_path):
    golden = DATA / f"{name}.lp"
    assert lp_text(examples / f"{name}.yaml", tmp_path) == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["floors_and_gaps", "priorities"])
def test_constraint_families_are_named_as_in_the_doc(examples, name):
    doc = (Path(__file__).resolve().parent.parent / "docs" / "formulation.md").read_text(encoding="utf-8")
    sc = load_scenario(examples / f"{name}.yaml", sets=["goals.ratio_5pct.hard=true"] if name == "priorities" else [])
    bp = build_problem(sc)
    families = {name.split("__")[0] for name in bp.problem.constraints}
    for family in families:
        assert re.search(rf"`{family}(\[|`)", doc), f"constraint family {family} is not described in docs/formulation.md"


def test_line_families_of_the_bundled_scenario_are_named_as_in_the_doc(bundled):
    doc = (Path(__file__).resolve().parent.parent / "docs" / "formulation.md").read_text(encoding="utf-8")
    families = {name.split("__")[0] for name in build_problem(load_scenario(bundled)).problem.constraints}
    assert {"line_cap_up", "line_cap_down", "must_fund", "commitment", "phase_out_end", "pipeline_floor", "missing_reserve"} <= families
    for family in families:
        assert re.search(rf"`{family}(\[|`)", doc), f"constraint family {family} is not described in docs/formulation.md"


def test_lp_does_not_depend_on_input_order(examples, tmp_path):
    from models import Scenario

    sc = load_scenario(examples / "floors_and_gaps.yaml")
    data = sc.model_dump()
    for key in ("indicators", "units", "initiatives"):
        data[key] = dict(reversed(list(data[key].items())))
    a = build_problem(sc)
    b = build_problem(Scenario.model_validate(data))
    a.problem.writeLP(str(tmp_path / "a.lp"))
    b.problem.writeLP(str(tmp_path / "b.lp"))
    assert (tmp_path / "a.lp").read_text() == (tmp_path / "b.lp").read_text()
