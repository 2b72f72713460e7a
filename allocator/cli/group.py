"""The command group: commands imported only when they run, global flags anywhere on the line, errors as exit codes."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click

from .common import as_json_error, run_guarded, state


def _set_flag(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    if not value:
        return
    st = state(ctx)
    if param.name == "verbose":
        st.verbose += value
    elif param.name == "lang":
        st.lang = value
    else:
        setattr(st, str(param.name), True)
    st.apply_logging()


def global_options() -> list[click.Option]:
    """Fresh -v/-q/--json/--debug/--lang options; they set the shared state wherever they appear on the line."""
    common: dict[str, Any] = {"expose_value": False, "callback": _set_flag}
    return [
        click.Option(["-v", "--verbose"], count=True, help="More log output (-vv for debug).", **common),
        click.Option(["-q", "--quiet"], is_flag=True, help="Print nothing but errors.", **common),
        click.Option(["--json"], is_flag=True, help="Print a machine-readable JSON summary (and errors) instead of tables.", **common),
        click.Option(["--debug"], is_flag=True, help="Show tracebacks.", **common),
        click.Option(
            ["--lang"],
            type=click.Choice(["zh", "en"]),
            help="Language of console tables, reports, workbooks and the template (default: the scenario's; Chinese without one).",
            **common,
        ),
    ]


def add_global_options(cmd: click.Command) -> click.Command:
    """Let a command (and, for a group, each of its commands) take the global flags after its name too."""
    if not getattr(cmd, "_allocator_globals", False):
        cmd.params.extend(global_options())
        cmd._allocator_globals = True  # type: ignore[attr-defined]
    for sub in getattr(cmd, "commands", {}).values():
        add_global_options(sub)
    return cmd


def wants_json(args: list[str]) -> bool:
    """Whether --json is on the command line, so that even an error in parsing the line is reported as JSON."""
    head = args[: args.index("--")] if "--" in args else args
    return "--json" in head


class LazyGroup(click.Group):
    """A group whose commands live in modules imported only when one runs; ``--help`` lists them from the registry.

    ``lazy`` maps a command name to (module in this package, attribute, one-line help).
    """

    def __init__(self, *args: Any, lazy: Mapping[str, tuple[str, str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, loaded or not."""
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, importing its module the first time it is asked for."""
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, attribute, _ = self.lazy[cmd_name]
            command = getattr(importlib.import_module(f"{__package__}.{module}"), attribute)
            self.add_command(add_global_options(command), cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help`` without importing any command module."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            cmd = self.commands.get(name) or click.Command(name, help=self.lazy[name][2])
            if not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class AllocatorGroup(LazyGroup):
    """The top-level group: global flags before or after the command; errors become one message and an exit code."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.params.extend(global_options())
        self._allocator_globals = True

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse the flags before the command; under --json a usage error is JSON too."""
        if wants_json(args):
            state(ctx).json = True
        try:
            return super().parse_args(ctx, args)
        except click.ClickException as exc:
            if state(ctx).json:
                raise as_json_error(exc) from None
            raise

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; map AllocatorError to its exit code, anything unexpected to 70."""
        state(ctx).apply_logging()
        return run_guarded(ctx, lambda: super(AllocatorGroup, self).invoke(ctx))
