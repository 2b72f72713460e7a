"""One error hierarchy for the whole package; the CLI maps each class to an exit code."""

from __future__ import annotations


class AllocatorError(Exception):
    """Base class of every error the package raises on purpose.

    The message is in English; ``in_words`` adds it in other languages, with the language of the data it is
    about (the console shows the one --lang asks for, else the data's; English where none was given).
    """

    exit_code = 1
    messages: dict[str, str] = {}  # noqa: RUF012 (replaced per instance by in_words, never mutated)
    language: str | None = None

    def in_words(self, messages: dict[str, str], language: str | None = None) -> AllocatorError:
        """This error with its message in other languages (``{"zh": ...}``); returns itself, to raise."""
        self.messages = dict(messages)
        self.language = language
        return self

    def message_in(self, lang: str) -> str:
        """The message in ``lang`` where one was given, else the English one."""
        return self.messages.get(lang) or str(self)


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
