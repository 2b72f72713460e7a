"""What a job runs on: one scenario and the edits asked of it (--set, --override, --scenario), as one value.

Importing this module is cheap (standard library only); the scenario is read when ``load()`` is called.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .loading import LoadedScenario
    from .overrides import Override
    from .rolling import RollingRequest


def _items(value: Any) -> tuple[Any, ...]:
    """A tuple of items; a single string or path counts as one item, not a sequence of characters."""
    if value is None:
        return ()
    if isinstance(value, (str, Path)):
        return (value,)
    return tuple(value)


@dataclass(frozen=True)
class ScenarioRequest:
    """A scenario path plus, applied in this order, named scenarios, override files, ``PATH=VALUE`` edits and extra overrides.

    ``ScenarioRequest("scenarios/zjut-2021-2025", scenario_names=["increment_minus_20"])`` reads
    as the command line ``allocator plan scenarios/zjut-2021-2025 --scenario increment_minus_20``.
    ``extra`` holds overrides made by code rather than typed (a score run's grades for ``--performance``).
    ``locks`` (``UNIT.INITIATIVE.YEAR=AMOUNT``) fix lines' money as ``--lock`` does; ``execution`` replaces the
    scenario's table of last year's planned and actual spending, as ``--execution`` does. ``rolling`` locks past years
    and extends the horizon, as ``--actuals DIR --from YEAR --until YEAR`` do (``allocator.rolling``).
    """

    path: str | Path
    sets: tuple[str, ...] = ()
    override_files: tuple[str | Path, ...] = ()
    scenario_names: tuple[str, ...] = ()
    extra: tuple[Override, ...] = ()
    locks: tuple[str, ...] = ()
    execution: str | Path | None = None
    rolling: RollingRequest | None = None

    def __post_init__(self) -> None:
        for name in ("sets", "override_files", "scenario_names", "extra", "locks"):
            object.__setattr__(self, name, _items(getattr(self, name)))

    @classmethod
    def of(cls, value: ScenarioRequest | str | Path) -> ScenarioRequest:
        """A request as given, or one for a plain scenario path with no edits."""
        return value if isinstance(value, ScenarioRequest) else cls(value)

    def with_extra(self, overrides: Iterable[Override]) -> ScenarioRequest:
        """The same request with more overrides applied last."""
        return replace(self, extra=(*self.extra, *overrides))

    def with_rolling(self, rolling: RollingRequest | None) -> ScenarioRequest:
        """The same request with a rolling re-plan (past years locked, horizon extended)."""
        return replace(self, rolling=rolling)

    def load(self) -> LoadedScenario:
        """Read, edit, validate and check the scenario (see ``allocator.loading.load``)."""
        from .loading import load

        return load(
            self.path,
            sets=self.sets,
            override_files=self.override_files,
            scenario_names=self.scenario_names,
            extra=self.extra,
            locks=self.locks,
            execution=self.execution,
            rolling=self.rolling,
        )
