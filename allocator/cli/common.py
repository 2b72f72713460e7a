"""What every command shares: the global flags, errors turned into exit codes, output for people or JSON, options.

Importing this module is cheap (click and the standard library): heavy modules are imported by the
commands when they run, so ``allocator --help`` stays fast.
"""

from __future__ import annotations

import functools
import logging
import math
import shlex
import sys
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from ..errors import AllocatorError, RunFolderError
from ..request import ScenarioRequest
from .line_options import LINE_OPTIONS
from .values import SECONDS

INTERNAL_ERROR = 70
INTERRUPTED = 130
JSON_DIGITS = 9  # significant digits of floats in --json output: 4998.500000001 is shown as 4998.5

# ---------------------------------------------------------------------------------------------
# the global flags of one invocation (group.py lets them appear before or after the command)
# ---------------------------------------------------------------------------------------------


@dataclass
class CliState:
    """The global flags of one invocation, kept on the root context."""

    verbose: int = 0
    quiet: bool = False
    json: bool = False
    debug: bool = False
    lang: str | None = None  # --lang: console, reports and workbooks; None = the scenario's language
    json_extra: dict[str, Any] = field(default_factory=dict)  # a command's summary to carry in a JSON error

    def apply_logging(self) -> None:
        """Log to stderr at the level the flags ask for (warnings by default)."""
        level = logging.ERROR if self.quiet else max(logging.WARNING - 10 * self.verbose, logging.DEBUG)
        pkg = logging.getLogger("allocator")
        pkg.setLevel(level)
        if not any(getattr(h, "_allocator", False) for h in pkg.handlers):
            handler = logging.StreamHandler(sys.stderr)
            from ..io.safe_text import PrintableFormatter  # log lines never carry escape sequences from the data

            handler.setFormatter(PrintableFormatter("%(levelname)s %(name)s: %(message)s"))
            handler._allocator = True  # type: ignore[attr-defined]
            pkg.addHandler(handler)
        for h in pkg.handlers:
            h.setLevel(level)


def state(ctx: click.Context) -> CliState:
    """The invocation's flags (created on first use)."""
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj


class Words:
    """Console text in one language: ``w("状态", "status")`` picks the Chinese or the English wording."""

    def __init__(self, lang: str):
        self.lang = lang
        self.zh = lang == "zh"

    def __call__(self, zh: str, en: str) -> str:
        """The text in this language."""
        return zh if self.zh else en

    def term(self, group: str, value: Any) -> str:
        """A coded value (status, pool, ...) in words."""
        from ..vocabulary import term

        return term(group, value, self.lang)

    def name(self, obj: Any, key: str = "") -> str:
        """A unit's, initiative's or indicator's name in this language (the other language's, else its key)."""
        first, second = ("name_zh", "name_en") if self.zh else ("name_en", "name_zh")
        return getattr(obj, first, "") or getattr(obj, second, "") or key


def words(ctx: click.Context, scenario_language: str | None = None) -> Words:
    """The console's language: --lang, else the scenario's, else Chinese (the office's language)."""
    lang = state(ctx).lang or (scenario_language if scenario_language in ("zh", "en") else None) or "zh"
    return Words(lang)


# ---------------------------------------------------------------------------------------------
# errors -> one message and an exit code (0 ok, 1 bad input, 2 usage, 3 infeasible, 4 solver, 70 bug)
# ---------------------------------------------------------------------------------------------


class JsonError(click.ClickException):
    """An error shown as one JSON object on stdout (under --json), with the exit code it would have had."""

    def __init__(self, message: str, exit_code: int, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.exit_code = exit_code
        self.extra = extra or {}

    def show(self, file: Any = None) -> None:
        """Print the error object."""
        payload: dict[str, Any] = {"status": "error", "exit_code": self.exit_code, "message": self.message}
        if self.extra:
            payload["result"] = self.extra
        click.echo(dumps(payload))


def as_json_error(exc: click.ClickException) -> click.ClickException:
    """A click error (usage, bad option) in the JSON form when --json was asked for; help requests stay as they are."""
    no_args = getattr(click.exceptions, "NoArgsIsHelpError", ())
    if isinstance(exc, JsonError) or (no_args and isinstance(exc, no_args)):
        return exc
    return JsonError(exc.format_message(), exc.exit_code)


def fail(ctx: click.Context, message: str, exit_code: int) -> None:
    """Report an error (red on stderr, or JSON on stdout) and exit with its code."""
    st = state(ctx)
    if st.json:
        raise JsonError(message, exit_code, st.json_extra)
    from ..io.safe_text import printable

    first, *rest = printable(message).splitlines() or [""]
    click.secho(f"error: {first}", fg="red", err=True)
    for line in rest:
        click.echo(line, err=True)
    ctx.exit(exit_code)


def run_guarded(ctx: click.Context, invoke: Callable[[], Any]) -> Any:
    """Run a command: our errors exit with their code, anything unexpected with 70 (a traceback only with --debug)."""
    st = state(ctx)
    try:
        return invoke()
    except AllocatorError as exc:
        if st.debug:
            raise
        message = exc.message_in(words(ctx, exc.language).lang) if exc.messages else str(exc)
        fail(ctx, message, exc.exit_code)
    except (click.exceptions.Exit, click.exceptions.Abort):
        raise
    except click.ClickException as exc:
        if st.json:
            raise as_json_error(exc) from None
        raise
    except BrokenPipeError:  # output piped into head or less that closed early
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        ctx.exit(0)
    except KeyboardInterrupt:
        fail(ctx, "interrupted", INTERRUPTED)
    except Exception as exc:  # a bug: one line, not a traceback, unless --debug
        if st.debug:
            raise
        fail(ctx, f"internal error ({type(exc).__name__}: {exc}); rerun with --debug for the traceback and report it", INTERNAL_ERROR)


def refuse_existing(path: str | Path, force: bool, flag: str) -> None:
    """Refuse an output that exists already, naming the flag that chose it (before any work is done)."""
    p = Path(path)
    if p.exists() and not force:
        kind = "folder" if p.is_dir() else "file"
        raise RunFolderError(f"{p}: {kind} exists already; choose a new {flag} or pass --force to replace it")


# ---------------------------------------------------------------------------------------------
# output: tables for people, or one JSON object
# ---------------------------------------------------------------------------------------------


def say(ctx: click.Context, text: str = "", **style: Any) -> None:
    """Print for people unless --quiet or --json."""
    st = state(ctx)
    if not st.quiet and not st.json:
        from ..io.safe_text import printable

        text = printable(text)  # names from the data never reach the terminal as escape sequences
        click.secho(text, **style) if style else click.echo(text)


def rounded(obj: Any, digits: int = JSON_DIGITS) -> Any:
    """A copy with floats cut to ``digits`` significant digits (solver noise such as 4998.500000001 removed)."""
    if isinstance(obj, dict):
        return {k: rounded(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [rounded(v, digits) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes, int, float)):
        obj = obj.item()  # a numpy scalar
    if isinstance(obj, float) and math.isfinite(obj):
        return float(f"{obj:.{digits}g}")
    return obj


def dumps(payload: Any) -> str:
    """Strict JSON (NaN as null, Chinese readable) with floats rounded for showing."""
    from ..io.run_folder import dumps as strict_dumps

    return strict_dumps(rounded(payload), indent=2)


def emit_json(ctx: click.Context, payload: dict[str, Any]) -> None:
    """Print a command's summary as JSON when --json is on."""
    if state(ctx).json:
        click.echo(dumps(payload))


def command_line() -> str:
    """The command as typed, for the run manifest."""
    return " ".join(shlex.quote(a) for a in ["allocator", *sys.argv[1:]])


def display_width(text: str) -> int:
    """Columns a string takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """Pad to a display width, so tables with Chinese names line up."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def clip(text: str, width: int) -> str:
    """Cut a string to a display width."""
    out, used = "", 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1 and display_width(text) > width:
            return out + "…"
        out += ch
        used += w
    return out


def format_value(value: float | None, unit_label: str, kind: str) -> str:
    """Indicator value for people: ratios in percent, counts without noise."""
    if value is None:
        return "-"
    if kind == "ratio":
        return f"{100 * value:.2f}%"
    if abs(value - round(value)) < 1e-6:
        return f"{round(value):,d}"
    return f"{value:,.1f}"


class Progress:
    """A progress bar on stderr when it is a terminal and output is for people; silent otherwise.

    The time left is estimated from the elapsed time per finished step, and shown only once
    ``MIN_STEPS`` steps are done (the first step often carries the model build). With no known
    length it counts steps. Steps may come from worker threads.
    """

    MIN_STEPS = 3

    def __init__(self, ctx: click.Context, length: int | None, label: str, clock: Callable[[], float] = time.monotonic):
        st = state(ctx)
        self.length, self.label, self.done, self.clock = length, label, 0, clock
        self.start = clock()
        self.lock = threading.Lock()
        self.active = sys.stderr.isatty() and not st.quiet and not st.json
        self.bar = None
        if self.active and length is not None:
            self.bar = click.progressbar(length=length, label=label, file=sys.stderr, show_eta=False, item_show_func=self._eta)
            self.bar.__enter__()

    def _eta(self, _item: Any = None) -> str | None:
        if self.length is None or self.done < self.MIN_STEPS or self.done >= self.length:
            return None
        left = (self.clock() - self.start) / self.done * (self.length - self.done)
        return f"about {left:.0f} s left" if left < 120 else f"about {left / 60:.0f} min left"

    def step(self, *_: Any) -> None:
        """One step done."""
        self.advance(1)

    def advance(self, n: int) -> None:
        """``n`` steps done."""
        if not self.active:
            return
        with self.lock:
            self.done += n
            if self.bar is not None:
                self.bar.update(n)
            else:
                click.echo(f"\r{self.label}: {self.done} done ({self.clock() - self.start:.0f} s)", nl=False, err=True)

    def close(self) -> None:
        """Finish the line."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
        elif self.active and self.done:
            click.echo(err=True)


# ---------------------------------------------------------------------------------------------
# shared options
# ---------------------------------------------------------------------------------------------


def scenario_options(func: Callable) -> Callable:
    """SCENARIO argument plus --set, --override and --scenario, handed to the command as one ScenarioRequest ``request``."""

    @functools.wraps(func)
    def with_request(
        *args: Any,
        scenario_path: str,
        sets: tuple[str, ...],
        override_files: tuple[str, ...],
        scenario_names: tuple[str, ...],
        locks: tuple[str, ...],
        execution: str | None,
        **kwargs: Any,
    ) -> Any:
        request = ScenarioRequest(scenario_path, sets, override_files, scenario_names, locks=locks, execution=execution)
        return func(*args, request=request, **kwargs)

    options = [
        click.argument("scenario_path", metavar="SCENARIO", type=click.Path()),
        click.option(
            "--set",
            "sets",
            multiple=True,
            metavar="PATH=VALUE",
            help="Edit one value, e.g. budget.increment.2023=800 or initiatives.x.unit_cost*=1.2 (repeatable).",
        ),
        click.option(
            "--override",
            "override_files",
            multiple=True,
            type=click.Path(dir_okay=False),
            metavar="FILE.yaml",
            help="Apply the PATH: VALUE edits of a YAML file (repeatable).",
        ),
        click.option(
            "--scenario",
            "scenario_names",
            multiple=True,
            metavar="NAME",
            help="Apply a named scenario of the scenario file (repeatable: applied in order; a later one's edit of a value wins).",
        ),
        *LINE_OPTIONS,
    ]
    decorated: Callable = with_request
    for option in reversed(options):
        decorated = option(decorated)
    return decorated


def out_options(
    kind: str = "", *, out_help: str = "", force_help: str = "Replace --out if it exists.", required: bool = False
) -> Callable[[Callable], Callable]:
    """--out and --force: a new run folder (default runs/<kind>-<time>), or what ``out_help`` says (a file, a folder)."""
    help_ = out_help or f"New run folder (default: runs/{kind}-<time>)."

    def decorate(func: Callable) -> Callable:
        func = click.option("--force", is_flag=True, help=force_help)(func)
        return click.option("--out", required=required, type=click.Path(), help=help_)(func)

    return decorate


def solver_options(func: Callable) -> Callable:
    """--solver and --time-limit."""
    func = click.option(
        "--time-limit",
        type=SECONDS,
        metavar="S",
        help="Stop after S seconds and report the best plan found.",
    )(func)
    func = click.option("--solver", type=click.Choice(["highs", "cbc"]), default="highs", show_default=True, help="LP/MILP solver.")(func)
    return func


def cluster_options(func: Callable) -> Callable:
    """--scheduler: run a job's many solves on a running Dask cluster instead of this machine's cores."""
    return click.option(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        envvar="ALLOCATOR_SCHEDULER",
        help="Run the solves as tasks on the workers of this Dask scheduler (also ALLOCATOR_SCHEDULER). "
        "Default: a local cluster of this machine's cores.",
    )(func)
