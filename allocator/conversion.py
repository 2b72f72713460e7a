"""Convert a scenario between its folder and workbook forms, keeping its named scenarios and named overrides."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from .io.scenario_files import read_scenario_source, write_scenario_folder, write_scenario_workbook
from .request import ScenarioRequest

logger = logging.getLogger(__name__)


def _items(items: Any) -> list[str]:
    """A named scenario's items as strings a workbook cell can hold (an inline mapping becomes PATH=VALUE lines)."""
    out: list[str] = []
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, dict):
            for path, value in item.items():
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                out.append(f"{path}={text}")
        else:
            out.append(str(item))
    return out


def convert_scenario(
    source: ScenarioRequest | str | Path, target: str | Path, *, force: bool = False, inputs: tuple[Any, ...] = ()
) -> tuple[Path, list[str]]:
    """Write ``source`` as a workbook (``target`` ends in .xlsx) or a folder; returns the path and its named scenarios.

    Named scenarios and overrides travel with the scenario. When the conversion itself applies edits
    (``--set``, ``--override``, ``--scenario``) they are dropped instead, since applying them again to
    the edited scenario would edit it twice.
    """
    request = ScenarioRequest.of(source)
    inputs = inputs or (request.path, *request.override_files)
    loaded = request.load()
    raw = read_scenario_source(request.path)
    named = {name: _items(items) for name, items in (raw.scenarios or {}).items()}
    overrides = dict(raw.overrides or {})
    if (request.sets or request.override_files or request.scenario_names or request.extra) and (named or overrides):
        logger.warning("named scenarios and overrides are not kept: this conversion already applied edits")
        named, overrides = {}, {}
    if str(target).lower().endswith(".xlsx"):
        path = write_scenario_workbook(
            loaded.scenario, target, force=force, named=named or None, overrides=overrides or None, inputs=inputs
        )
    else:
        path = write_scenario_folder(loaded.scenario, target, force=force, named=named or None, overrides=overrides or None, inputs=inputs)
    return Path(path), sorted(named)
