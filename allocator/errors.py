"""One error hierarchy for the whole package; the CLI maps each class to an exit code."""

from __future__ import annotations


class AllocatorError(Exception):
    """Base class of every error the package raises on purpose."""

    exit_code = 1


class DataError(AllocatorError):
    """Bad input data: a file, sheet, row or field that is not what was expected."""

    exit_code = 1


class ScenarioError(DataError):
    """A scenario that parses but does not hang together (unknown references, conflicts)."""


class OverrideError(DataError):
    """An override (--set, --override, --scenario) that names an unknown path or a bad value."""


class RunFolderError(DataError):
    """An output folder that exists already or a run folder that is missing files."""


class InfeasibleError(AllocatorError):
    """The model has no feasible solution (or is unbounded); carries an explanation."""

    exit_code = 3

    def __init__(self, message: str, status: str = "infeasible", explanation: tuple[str, ...] = ()):
        super().__init__(message)
        self.status = status
        self.explanation = explanation


class SolverError(AllocatorError):
    """The solver is missing, crashed or stopped without a usable answer."""

    exit_code = 4


class SchedulerError(AllocatorError):
    """A Dask scheduler (``--scheduler``, ALLOCATOR_SCHEDULER) that cannot be reached or whose workers cannot run our tasks."""

    exit_code = 1
