"""Load a scenario: read it, apply named scenarios and overrides, validate, check; errors name file, row and field."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models import Scenario

from . import hints
from .checks import find_problems, format_loc
from .errors import DataError, OverrideError, ScenarioError
from .io.scenario_files import RawScenario, read_scenario_source
from .io.text import read_text
from .io.yaml_safe import load_yaml
from .line_inputs import add_locks, replace_execution
from .overrides import Override, apply_overrides, overlaps, overrides_from_items, overrides_from_mapping, parse_set
from .tables import Provenance, Where

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with where it came from and every override applied to it."""

    scenario: Scenario
    path: str
    applied: tuple[dict[str, Any], ...] = ()
    named_scenarios: tuple[str, ...] = ()
    available_scenarios: tuple[str, ...] = field(default=())

    @property
    def named_scenario(self) -> str | None:
        """The named scenario applied (several joined by ' + ', in the order applied), or None."""
        return " + ".join(self.named_scenarios) or None

    @property
    def input_sha256(self) -> str:
        """Hash of the resolved scenario, so a run can be traced to its exact input."""
        return scenario_sha256(self.scenario)


def scenario_sha256(scenario: Scenario) -> str:
    """SHA-256 of a scenario's canonical JSON form."""
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _describe(where: Where | None, loc: tuple[Any, ...], origin: str) -> str:
    if where is None:
        return f"{Path(origin).name}, field {format_loc(loc)}"
    text = str(where)
    if where.column is None and len(loc) > 1:  # a whole table (loc of length 1) is named by its file already
        text += f", field {format_loc(loc)}"
    return text


def _touched_by(loc: tuple[Any, ...], overrides: Sequence[Override]) -> str:
    """The overrides that changed something inside ``loc`` (a whole record failing after an edit)."""
    key = tuple(str(p) for p in loc)
    hits = [ov.origin for ov in overrides if ov.path[: len(key)] == key and len(ov.path) > len(key)]
    return f" (after {'; '.join(hits)})" if hits else ""


def _validation_messages(exc: ValidationError, prov: Provenance, origin: str, overrides: Sequence[Override] = ()) -> list[str]:
    lines = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if p != "[key]")
        where = hints.place(err, loc, prov)
        lines.append(f"{_describe(where, loc, origin)}: {hints.explain(err)}{_touched_by(loc, overrides)}")
    return lines


def _named_overrides(raw: RawScenario, names: Sequence[str]) -> list[Override]:
    """The edits of named scenarios applied in order: where two scenarios edit the same key, the later one's edit wins.

    Within one named scenario two edits of the same key stay an error (apply_overrides says so).
    """
    out: list[Override] = []
    for name in names:
        if name not in raw.scenarios:
            known = ", ".join(sorted(raw.scenarios)) or "none defined"
            raise OverrideError(f"--scenario {name}: no such named scenario in {Path(raw.origin).name} (known: {known})")
        mine = overrides_from_items(raw.scenarios[name], raw.overrides, f"scenario '{name}'")
        kept = []
        for ov in out:
            if any(overlaps(ov.path, m.path) for m in mine):
                logger.info("scenario '%s' replaces %s", name, ov)
            else:
                kept.append(ov)
        out = kept + mine
    return out


def _gather_overrides(
    raw: RawScenario, scenario_names: Sequence[str], override_files: Sequence[str | Path], sets: Sequence[str]
) -> list[Override]:
    out = _named_overrides(raw, scenario_names)
    for file in override_files:
        p = Path(file)
        if not p.is_file():
            raise OverrideError(f"--override {p}: no such file")
        doc = load_yaml(read_text(p, f"--override {p}"), f"--override {p}")
        out += overrides_from_mapping(doc or {}, f"--override {p.name}")
    out += [parse_set(s) for s in sets]
    return out


def load(
    path: str | Path,
    *,
    sets: Sequence[str] = (),
    override_files: Sequence[str | Path] = (),
    scenario_names: str | Sequence[str] = (),
    extra: Sequence[Override] = (),
    locks: Sequence[str] = (),
    execution: str | Path | None = None,
    rolling: Any = None,
) -> LoadedScenario:
    """Read, override, validate and check a scenario; raise one DataError/ScenarioError listing every problem.

    Edits apply in this order: the named scenarios (in order; a later one's edit of a key wins), the
    ``override_files``, the ``sets``, then ``extra``. Apart from named scenarios, two edits of one key are an error.
    ``locks`` (``UNIT.INITIATIVE.YEAR=AMOUNT``) are added to the scenario's locks table; ``execution`` (a table of
    last year's planned and actual spending per line, or a folder of score inputs) replaces its execution table.
    ``rolling`` (an ``allocator.rolling.RollingRequest``) first extends the horizon (so ``--set`` can edit the added
    years' budget) and locks the past years.
    """
    names = (scenario_names,) if isinstance(scenario_names, str) else tuple(scenario_names)
    raw = read_scenario_source(path)
    if raw.problems:
        lines = "\n".join(f"  - {p}" for p in raw.problems)
        raise DataError(f"Errors reading {raw.origin} ({len(raw.problems)}):\n{lines}")
    overrides = _gather_overrides(raw, names, override_files, sets) + list(extra)
    if rolling is not None and rolling.active:
        from .rolling import apply_rolling

        apply_rolling(raw.data, raw.provenance, rolling)
    applied = apply_overrides(raw.data, overrides)
    for ov in overrides:
        raw.provenance.record(ov.path, Where(ov.origin))
    if locks:
        add_locks(raw.data, raw.provenance, locks)
    if execution is not None:
        replace_execution(raw.data, raw.provenance, execution)
    scenario = validate(raw.data, raw.provenance, raw.origin, overrides)
    logger.info("loaded %s (%d overrides)", raw.origin, len(applied))
    return LoadedScenario(scenario, str(path), tuple(applied), names, tuple(sorted(raw.scenarios)))


def validate(data: dict[str, Any], prov: Provenance, origin: str, overrides: Sequence[Override] = ()) -> Scenario:
    """Validate a nested scenario and run the cross-record checks, naming the cell of every problem."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        lines = _validation_messages(exc, prov, origin, overrides)
        body = "\n".join(f"  - {line}" for line in lines)
        raise DataError(f"Errors in {origin} ({len(lines)}):\n{body}") from None
    problems = find_problems(scenario)
    if problems:
        lines = [f"{_describe(prov.find(p.loc), p.loc, origin)}: {p.message}" for p in problems]
        body = "\n".join(f"  - {line}" for line in lines)
        raise ScenarioError(f"Errors in {origin} ({len(lines)}):\n{body}")
    return scenario


def load_scenario(path: str | Path, *, sets: Sequence[str] = (), scenario_names: str | Sequence[str] = ()) -> Scenario:
    """Load and validate a scenario (folder, scenario.yaml, .xlsx or resolved .json) for notebook use."""
    return load(path, sets=sets, scenario_names=scenario_names).scenario
