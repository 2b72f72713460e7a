"""The tabular form of a scenario: which tables exist, their columns, and how rows map into the nested scenario.

Pure functions between rows (lists of dicts of cell strings) and the scenario's nested dict form; the same
specs drive the CSV folder, the Excel workbook and the input template, so the three cannot drift apart.
Every value placed into the nested dict records where it came from (file, row, column) so a validation
error can name the cell.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from models import Scenario

Loc = tuple[str, ...]


@dataclass(frozen=True)
class Where:
    """Where a value came from: a file (and sheet), a spreadsheet row number and a column, or an override."""

    file: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        place = self.file if self.sheet is None else f"{self.file} sheet {self.sheet}"
        if self.row is not None:
            place += f" row {self.row}"
        if self.column is not None:
            place += f", column {self.column}"
        return place


@dataclass
class Provenance:
    """Map from a location in the nested scenario to where its value was read."""

    places: dict[Loc, Where] = field(default_factory=dict)

    def record(self, loc: tuple[Any, ...], where: Where) -> None:
        """Remember where the value at ``loc`` came from."""
        self.places[tuple(str(p) for p in loc)] = where

    def find(self, loc: tuple[Any, ...]) -> Where | None:
        """The most specific recorded place for a location (longest recorded prefix)."""
        key = tuple(str(p) for p in loc)
        for n in range(len(key), 0, -1):
            hit = self.places.get(key[:n])
            if hit is not None:
                return hit
        return None


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


# ---------------------------------------------------------------------------------------------
# rows -> nested dict
# ---------------------------------------------------------------------------------------------


def _deep_set(data: dict, loc: Loc, values: dict[str, Any]) -> dict:
    node = data
    for part in loc:
        node = node.setdefault(part, {})
    return node


def _year_problem(value: Any) -> str | None:
    """Why a year cell is not a year (None when it is one), so the year column, not a money column, is blamed."""
    text = str(value).strip()
    folded = unicodedata.normalize("NFKC", text)
    if folded != text:  # Python reads full-width digits as numbers; the tables would then key the year by them
        return f"year '{text}' is not written in plain digits: type it as {folded} (half-width, not full-width)"
    try:
        number = float(text)
    except ValueError:
        return f"year '{text}' is not a number (write the year as 2023)"
    if not number.is_integer():
        return f"year '{text}' is not a whole number"
    return None


def _place(spec: TableSpec, row: dict[str, Any], data: dict, prov: Provenance, where: Callable[[str | None], Where]) -> None:
    """Put one checked row into the nested dict, recording where each value came from."""
    loc, fields = spec.place(row)
    if spec.name in LIST_TABLES or spec.listed:
        node = _deep_set(data, loc[:-1], {})
        segs = node.setdefault(loc[-1], [])
        if not segs:  # errors about the list as a whole name its own table (segments.csv), not its parent's
            prov.record(loc, where(None))
        prov.record((*loc, len(segs)), where(None))
        for col in fields:
            prov.record((*loc, len(segs), col), where(col))
        segs.append(dict(fields))
        return
    node = _deep_set(data, loc, fields)
    prov.record(loc, where(None))
    for col, value in fields.items():
        if isinstance(value, dict):
            sub = node.setdefault(col, {})
            for k, v in value.items():
                if v == "":
                    continue
                sub[k] = v
                prov.record((*loc, col, k), where(col))
        else:
            node[col] = value
            prov.record((*loc, col), where(col if col in row else None))
    if spec.name in ("milestones", "base_allocations", "source_amounts"):
        for k in fields:
            prov.record((*loc, k), where(spec.columns[-1]))


def _row_problem(
    spec: TableSpec, row: dict[str, Any], n: int, where: Callable[[int, str | None], Where], seen: dict[tuple[str, ...], int]
) -> str | None:
    """What is wrong with one row on its own (a required cell missing, a bad year, a duplicate id), or None."""
    missing = [c for c in spec.required if c not in row]
    if missing:
        return f"{where(n, missing[0])}: required value missing (table {spec.name} needs {', '.join(missing)})"
    if "year" in row and (why := _year_problem(row["year"])):
        return f"{where(n, 'year')}: {why}"
    if spec.unique:
        ident = tuple(str(row[c]) for c in spec.unique)
        if ident in seen:
            return f"{where(n, spec.unique[0])}: duplicate {'/'.join(spec.unique)} {'/'.join(ident)} (first on row {seen[ident]})"
        seen[ident] = where(n, None).row or n
    return None


def place_rows(
    spec: TableSpec,
    rows: list[dict[str, str]],
    data: dict,
    prov: Provenance,
    where: Callable[[int, str | None], Where],
    *,
    unreadable: set[str] | frozenset[str] = frozenset(),
) -> list[str]:
    """Put a table's rows into the nested dict; returns problems found on the way (unknown columns, duplicates).

    ``rows`` hold cell strings with blank cells already removed; ``where(n, column)`` names row ``n``'s cell.
    Rows that refer to a table in ``unreadable`` (one whose error is reported already) are not checked; one
    line counts them instead of one error each.
    """
    problems: list[str] = []
    seen: dict[tuple[str, ...], int] = {}
    skipped: dict[str, int] = {}
    for n, row in enumerate(rows):
        problem = _row_problem(spec, row, n, where, seen)
        if problem:
            problems.append(problem)
            continue
        blocked = [sec for sec, _ in spec.parents if sec in unreadable]
        if blocked:
            skipped[blocked[0]] = skipped.get(blocked[0], 0) + 1
            continue
        dangling = [(sec, col) for sec, col in spec.parents if row[col] not in data.get(sec, {})]
        if dangling:
            sec, col = dangling[0]
            problems.append(f"{where(n, col)}: unknown {sec[:-1]} '{row[col]}' (not in the {sec} table)")
            continue
        _place(spec, row, data, prov, lambda column, n=n: where(n, column))
    for sec, count in skipped.items():
        problems.append(f"{where(0, None).file}: {count} row(s) refer to {sec}, whose table could not be read (see above); not checked")
    return problems


# ---------------------------------------------------------------------------------------------
# Scenario -> rows (for writing folders, workbooks and templates)
# ---------------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def scenario_rows(sc: Scenario) -> dict[str, list[dict[str, Any]]]:
    """Every table of a scenario as rows of plain values, ids sorted as written."""
    data = sc.model_dump(mode="python")
    out: dict[str, list[dict[str, Any]]] = {t.name: [] for t in TABLES}
    for key, ind in data["indicators"].items():
        out["indicators"].append({"key": key, **{c: _cell(ind[c]) for c in TABLE_BY_NAME["indicators"].columns[1:]}})
        for year, value in sorted(ind["milestones"].items()):
            out["milestones"].append({"indicator": key, "year": year, "value": value})
    for key, unit in data["units"].items():
        out["units"].append({"key": key, **{c: _cell(unit[c]) for c in TABLE_BY_NAME["units"].columns[1:]}})
        for ini, amount in unit["base"].items():
            out["base_allocations"].append({"unit": key, "initiative": ini, "amount": amount})
    for key, ini in data["initiatives"].items():
        out["initiatives"].append({"key": key, **{c: _cell(ini[c]) for c in TABLE_BY_NAME["initiatives"].columns[1:]}})
        for seg in ini["segments"]:
            out["segments"].append({"initiative": key, "width": _cell(seg["width"]), "efficiency": seg["efficiency"]})
        for ind, eff in ini["effects"].items():
            out["effects"].append({"initiative": key, "indicator": ind, "yield_per_unit": eff["yield_per_unit"], "note": eff["note"]})
    for year in sorted(data["budget"]["stock"]):
        out["budget"].append({"year": year, "stock": data["budget"]["stock"][year], "increment": data["budget"]["increment"][year]})
    for key, src in data["sources"].items():
        out["sources"].append({"key": key, **{c: _cell(src[c]) for c in TABLE_BY_NAME["sources"].columns[1:]}})
        for year, amount in sorted(src["amount"].items()):
            out["source_amounts"].append({"source": key, "year": year, "amount": amount})
    out["goals"], out["goal_terms"] = _goal_rows(data["goals"])
    out.update(_listed_rows(data))
    return out


def _goal_rows(goals: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of the goals and goal_terms tables."""
    rows, terms = [], []
    for key, goal in goals.items():
        rows.append({"key": key, **{c: _cell(goal[c]) for c in TABLE_BY_NAME["goals"].columns[1:]}})
        for term in goal["terms"]:
            terms.append({"goal": key, **{c: _cell(term[c]) for c in TABLE_BY_NAME["goal_terms"].columns[1:]}})
    return rows, terms


def _listed_rows(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The tables whose rows are records of a list (lines, commitments, locks, execution), in order."""
    return {spec.name: [{c: _cell(r[c]) for c in spec.columns} for r in data[spec.name]] for spec in TABLES if spec.listed}


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dict -> {"a.b.c": value} (lists and scalars are leaves)."""
    if not isinstance(data, dict) or not data:
        return {prefix: data} if prefix else {}
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        out.update(flatten(value, path))
    return out


def unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    """{"a.b.c": value} -> nested dict."""
    out: dict[str, Any] = {}
    for path, value in flat.items():
        node = out
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out
