"""Which tables a scenario has: each table's columns, required cells, documentation and where its rows go.

The same specs drive the CSV folder, the Excel workbook and the input template (``allocator.tables`` places rows
by them), so the three cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Loc = tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    """One table of the scenario: its name, columns, which are required and where each row goes."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    place: Callable[[dict[str, str]], tuple[Loc, dict[str, Any]]]
    """Row -> (location of the record in the nested dict, fields to set there)."""
    unique: tuple[str, ...]
    doc: str
    column_docs: dict[str, str] = field(default_factory=dict)
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    parents: tuple[tuple[str, str], ...] = ()
    """(section, column): the column must name a record of that section, defined in an earlier table."""
    listed: bool = False
    """Rows are records of a list (appended in order at ``place``'s location) rather than keyed records."""


def _keyed(section: str, key_col: str = "key") -> Callable[[dict[str, str]], tuple[Loc, dict[str, Any]]]:
    def place(row: dict[str, str]) -> tuple[Loc, dict[str, Any]]:
        rest = {k: v for k, v in row.items() if k != key_col}
        return (section, row[key_col]), rest

    return place


def _milestone(row: dict[str, str]) -> tuple[Loc, dict[str, Any]]:
    return ("indicators", row["indicator"], "milestones"), {row["year"]: row["value"]}


def _base(row: dict[str, str]) -> tuple[Loc, dict[str, Any]]:
    return ("units", row["unit"], "base"), {row["initiative"]: row["amount"]}


def _effect(row: dict[str, str]) -> tuple[Loc, dict[str, Any]]:
    rest = {k: v for k, v in row.items() if k not in ("initiative", "indicator")}
    return ("initiatives", row["initiative"], "effects", row["indicator"]), rest


def _segment(row: dict[str, str]) -> tuple[Loc, dict[str, Any]]:
    rest = {k: v for k, v in row.items() if k != "initiative"}
    return ("initiatives", row["initiative"], "segments"), rest


def _goal_term(row: dict[str, str]) -> tuple[Loc, dict[str, Any]]:
    rest = {k: v for k, v in row.items() if k != "goal"}
    return ("goals", row["goal"], "terms"), rest


LIST_TABLES = ("segments", "goal_terms")
"""Tables whose rows append to a list of their parent (in row order) instead of setting keyed fields."""


def _budget(row: dict[str, str]) -> tuple[Loc, dict[str, Any]]:
    return ("budget",), {"stock": {row["year"]: row.get("stock", "")}, "increment": {row["year"]: row.get("increment", "")}}


def _source_amount(row: dict[str, str]) -> tuple[Loc, dict[str, Any]]:
    return ("sources", row["source"], "amount"), {row["year"]: row["amount"]}


def _listed(section: str) -> Callable[[dict[str, str]], tuple[Loc, dict[str, Any]]]:
    def place(row: dict[str, str]) -> tuple[Loc, dict[str, Any]]:
        return (section,), dict(row)

    return place


def _model_fields(model: type) -> tuple[str, ...]:
    return tuple(model.model_fields)


def _docs(model: type) -> dict[str, str]:
    return {name: (f.description or "") for name, f in model.model_fields.items()}


def _specs() -> tuple[TableSpec, ...]:
    from models import Commitment, Effect, Execution, Goal, GoalTerm, Indicator, Initiative, LineRule, Lock, Segment, Source, Unit

    ind_cols = ("key",) + tuple(c for c in _model_fields(Indicator) if c != "milestones")
    unit_cols = ("key",) + tuple(c for c in _model_fields(Unit) if c != "base")
    ini_cols = ("key",) + tuple(c for c in _model_fields(Initiative) if c not in ("segments", "effects"))
    src_cols = ("key",) + tuple(c for c in _model_fields(Source) if c != "amount")
    goal_cols = ("key",) + tuple(c for c in _model_fields(Goal) if c != "terms")
    key_doc = {"key": "Identifier (letters, digits, _; starts with a letter), referred to by other tables."}
    return (
        TableSpec(
            "indicators",
            ind_cols,
            ("key", "name_zh", "kind", "target", "target_year", "dimension"),
            _keyed("indicators"),
            ("key",),
            "One row per indicator (指标).",
            {**key_doc, **_docs(Indicator)},
            {
                "kind": ("cumulative_new", "level", "ratio", "annual_rate", "per_unit_min", "breakthrough"),
                "dimension": ("education_quality", "people_scale", "research", "platforms", "organizations", "conferences", "competitions"),
            },
        ),
        TableSpec(
            "milestones",
            ("indicator", "year", "value"),
            ("indicator", "year", "value"),
            _milestone,
            ("indicator", "year"),
            "Optional yearly milestones of indicators.",
            {"indicator": "Indicator id.", "year": "Year.", "value": "Value to reach by that year."},
            parents=(("indicators", "indicator"),),
        ),
        TableSpec(
            "units",
            unit_cols,
            ("key", "name_zh", "type"),
            _keyed("units"),
            ("key",),
            "One row per college or department (单位).",
            {**key_doc, **_docs(Unit)},
            {"type": ("college", "department"), "grade": ("A", "B", "C", "D")},
        ),
        TableSpec(
            "initiatives",
            ini_cols,
            ("key", "name_zh", "unit_cost"),
            _keyed("initiatives"),
            ("key",),
            "One row per fundable initiative (举措).",
            {**key_doc, **_docs(Initiative)},
        ),
        TableSpec(
            "base_allocations",
            ("unit", "initiative", "amount"),
            ("unit", "initiative", "amount"),
            _base,
            ("unit", "initiative"),
            "Last year's base allocation per unit and initiative: the stock (存量).",
            {"unit": "Unit id.", "initiative": "Initiative id.", "amount": "Money (万元)."},
            parents=(("units", "unit"), ("initiatives", "initiative")),
        ),
        TableSpec(
            "segments",
            ("initiative", "width", "efficiency"),
            ("initiative", "efficiency"),
            _segment,
            (),
            "Diminishing returns: segments of an initiative in order (blank width = unbounded, last only).",
            {"initiative": "Initiative id.", **_docs(Segment)},
            parents=(("initiatives", "initiative"),),
        ),
        TableSpec(
            "effects",
            ("initiative", "indicator", "yield_per_unit", "note"),
            ("initiative", "indicator", "yield_per_unit"),
            _effect,
            ("initiative", "indicator"),
            "What one activity unit of an initiative adds to an indicator.",
            {"initiative": "Initiative id.", "indicator": "Indicator id.", **_docs(Effect)},
            parents=(("initiatives", "initiative"), ("indicators", "indicator")),
        ),
        TableSpec(
            "budget",
            ("year", "stock", "increment"),
            ("year", "stock", "increment"),
            _budget,
            ("year",),
            "The school's own money per year: stock (存量) and increment (增量) pools.",
            {"year": "Year.", "stock": "Stock pool (万元).", "increment": "Increment pool (万元)."},
        ),
        TableSpec(
            "sources",
            src_cols,
            ("key", "name_zh", "pool"),
            _keyed("sources"),
            ("key",),
            "Restricted funding sources besides the school's own money.",
            {**key_doc, **_docs(Source)},
            {"pool": ("stock", "increment")},
        ),
        TableSpec(
            "source_amounts",
            ("source", "year", "amount"),
            ("source", "year", "amount"),
            _source_amount,
            ("source", "year"),
            "Money of each restricted source per year.",
            {"source": "Source id.", "year": "Year.", "amount": "Money (万元)."},
            parents=(("sources", "source"),),
        ),
        TableSpec(
            "goals",
            goal_cols,
            ("key", "name_zh", "target"),
            _keyed("goals"),
            ("key",),
            "Optional ranked goals besides the indicators' targets (ceilings, exact levels, thrift), solved by priority level.",
            {**key_doc, **_docs(Goal)},
            {"sense": ("at_least", "at_most", "exactly"), "scale": ("relative", "native")},
        ),
        TableSpec(
            "goal_terms",
            ("goal",) + _model_fields(GoalTerm),
            ("goal", "kind"),
            _goal_term,
            (),
            "The terms of each goal's expression, summed: indicator values, money or activity picked by selectors.",
            {"goal": "Goal id.", **_docs(GoalTerm)},
            {"kind": ("indicator", "money", "activity")},
            parents=(("goals", "goal"),),
        ),
        TableSpec(
            "lines",
            _model_fields(LineRule),
            ("unit", "initiative"),
            _listed("lines"),
            ("unit", "initiative"),
            "Rules of particular lines (unit x initiative; unit all = every unit of the initiative): caps, phase-outs, must-fund floors.",
            _docs(LineRule),
            parents=(("initiatives", "initiative"),),
            listed=True,
        ),
        TableSpec(
            "commitments",
            _model_fields(Commitment),
            ("unit", "initiative", "year", "amount", "reason"),
            _listed("commitments"),
            (),
            "Money already promised to a line in a year (enrolled cohorts, instalments, signed agreements), paid first.",
            _docs(Commitment),
            parents=(("units", "unit"), ("initiatives", "initiative")),
            listed=True,
        ),
        TableSpec(
            "locks",
            _model_fields(Lock),
            ("unit", "initiative", "year", "amount"),
            _listed("locks"),
            ("unit", "initiative", "year"),
            "A line's money fixed in a year; the rest of the plan re-solves.",
            _docs(Lock),
            parents=(("units", "unit"), ("initiatives", "initiative")),
            listed=True,
        ),
        TableSpec(
            "execution",
            _model_fields(Execution),
            ("unit", "initiative", "year", "planned", "actual"),
            _listed("execution"),
            ("unit", "initiative", "year"),
            "Last year's planned and actual spending per line (预算执行率), for execution-based reclaim.",
            _docs(Execution),
            parents=(("units", "unit"), ("initiatives", "initiative")),
            listed=True,
        ),
    )


TABLES: tuple[TableSpec, ...] = _specs()
TABLE_BY_NAME = {t.name: t for t in TABLES}
SCALAR_FIELDS = ("name", "title_zh", "title_en", "language", "currency", "start_year", "end_year", "description")
"""Top-level scenario fields kept in scenario.yaml (and on the workbook's ``scenario`` sheet)."""
