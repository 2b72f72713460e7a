"""Command line: a thin click shell over the Python API. Flags, logging, printing and exit codes live here only.

Exit codes: 0 ok, 1 bad input, 2 usage, 3 infeasible or unbounded, 4 solver missing or failed,
70 internal error (a bug; rerun with --debug for the traceback).
"""

from __future__ import annotations

import functools
import json
import logging
import shlex
import sys
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .errors import AllocatorError

if TYPE_CHECKING:
    from .request import ScenarioRequest

logger = logging.getLogger("allocator")

INTERNAL_ERROR = 70


# ---------------------------------------------------------------------------------------------
# error handling and output
# ---------------------------------------------------------------------------------------------


class AllocatorGroup(click.Group):
    """Click group that turns our errors into one red message and a fixed exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; map AllocatorError to its exit code, anything unexpected to 70."""
        try:
            return super().invoke(ctx)
        except AllocatorError as exc:
            if _debug(ctx):
                raise
            _error(str(exc))
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:  # output piped into head or less that closed early
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except KeyboardInterrupt:
            _error("interrupted")
            ctx.exit(130)
        except Exception as exc:  # a bug: one line, not a traceback, unless --debug
            if _debug(ctx):
                raise
            _error(f"internal error ({type(exc).__name__}: {exc}); rerun with --debug for the traceback and report it")
            ctx.exit(INTERNAL_ERROR)


def _debug(ctx: click.Context) -> bool:
    return bool((ctx.obj or {}).get("debug"))


def _error(message: str) -> None:
    first, *rest = message.splitlines() or [""]
    click.secho(f"error: {first}", fg="red", err=True)
    for line in rest:
        click.echo(line, err=True)


def _state(ctx: click.Context) -> dict[str, Any]:
    return ctx.find_root().obj or {}


def _say(ctx: click.Context, text: str = "", **style: Any) -> None:
    """Print for humans unless --quiet or --json."""
    st = _state(ctx)
    if not st.get("quiet") and not st.get("json"):
        click.secho(text, **style) if style else click.echo(text)


def _emit_json(ctx: click.Context, payload: dict[str, Any]) -> None:
    if _state(ctx).get("json"):
        from .io.run_folder import dumps

        click.echo(dumps(payload, indent=2))


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


def _command_line() -> str:
    return " ".join(shlex.quote(a) for a in ["allocator", *sys.argv[1:]])


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
        **kwargs: Any,
    ) -> Any:
        from .request import ScenarioRequest

        return func(*args, request=ScenarioRequest(scenario_path, sets, override_files, scenario_names), **kwargs)

    decorated: Callable = with_request
    decorated = click.option(
        "--scenario",
        "scenario_names",
        multiple=True,
        metavar="NAME",
        help="Apply a named scenario of the scenario file (repeatable: applied in order, a later one's edit of a value wins).",
    )(decorated)
    decorated = click.option(
        "--override",
        "override_files",
        multiple=True,
        type=click.Path(dir_okay=False),
        metavar="FILE.yaml",
        help="Apply the PATH: VALUE edits of a YAML file (repeatable).",
    )(decorated)
    decorated = click.option(
        "--set",
        "sets",
        multiple=True,
        metavar="PATH=VALUE",
        help="Edit one value, e.g. budget.increment.2023=800 or initiatives.x.unit_cost*=1.2 (repeatable).",
    )(decorated)
    decorated = click.argument("scenario_path", metavar="SCENARIO", type=click.Path())(decorated)
    return decorated


def out_options(kind: str) -> Callable[[Callable], Callable]:
    """--out (a new run folder, default runs/<kind>-<time>) and --force."""

    def decorate(func: Callable) -> Callable:
        func = click.option("--force", is_flag=True, help="Replace --out if it exists.")(func)
        return click.option("--out", type=click.Path(), help=f"New run folder (default: runs/{kind}-<time>).")(func)

    return decorate


def solver_options(func: Callable) -> Callable:
    """--solver and --time-limit."""
    func = click.option(
        "--time-limit",
        type=click.FloatRange(min=0, min_open=True),
        metavar="S",
        help="Stop after S seconds and report the best plan found.",
    )(func)
    func = click.option("--solver", type=click.Choice(["highs", "cbc"]), default="highs", show_default=True, help="LP/MILP solver.")(func)
    return func


# ---------------------------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------------------------


@click.group(cls=AllocatorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="allocator")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable JSON summary instead of tables.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool, as_json: bool, debug: bool) -> None:
    """Split an internationalization budget, ask what-if questions, and score performance."""
    ctx.obj = {"quiet": quiet, "json": as_json, "debug": debug}
    level = logging.WARNING - 10 * verbose if not quiet else logging.ERROR
    _configure_logging(max(level, logging.DEBUG))


def _configure_logging(level: int) -> None:
    pkg = logging.getLogger("allocator")
    pkg.setLevel(level)
    if not any(getattr(h, "_allocator", False) for h in pkg.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        handler._allocator = True  # type: ignore[attr-defined]
        pkg.addHandler(handler)
    for h in pkg.handlers:
        h.setLevel(level)


@cli.command()
@scenario_options
@click.pass_context
def validate(
    ctx: click.Context,
    request: ScenarioRequest,
) -> None:
    """Check a scenario and report every problem with its file, row and column."""

    loaded = request.load()
    sc = loaded.scenario
    missing = [k for k, ind in sc.indicators.items() if ind.is_missing]
    _say(
        ctx,
        f"ok: {sc.name}: {len(sc.indicators)} indicators ({len(missing)} missing), {len(sc.units)} units, "
        f"{len(sc.initiatives)} initiatives, {len(sc.sources)} restricted sources, {sc.start_year}-{sc.end_year}",
        fg="green",
    )
    for ov in loaded.applied:
        _say(ctx, f"  override {ov['path']}: {ov['old']!r} -> {ov['new']!r} ({ov['origin']})")
    _emit_json(ctx, {"status": "ok", "scenario": sc.name, "input_sha256": loaded.input_sha256, "overrides": list(loaded.applied)})


@cli.command()
@scenario_options
@solver_options
@out_options("plan")
@click.option("--no-marginals", is_flag=True, help="Skip marginal values (marginals.csv).")
@click.option("--performance", type=click.Path(), metavar="SCORE_RUN", help="Use the grades and next-year floors of a score run.")
@click.pass_context
def plan(
    ctx: click.Context,
    request: ScenarioRequest,
    solver: str,
    time_limit: float | None,
    out: str | None,
    force: bool,
    no_marginals: bool,
    performance: str | None,
) -> None:
    """Split the budget across units and initiatives, and write a run folder."""
    from .pipeline import run_plan

    run = run_plan(
        request,
        out,
        solver=solver,
        time_limit=time_limit,
        force=force,
        marginals=not no_marginals,
        performance=performance,
        command=_command_line(),
    )
    _print_plan_summary(ctx, run)
    _emit_json(ctx, _plan_json(run))


@cli.command("show-scenario")
@scenario_options
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@click.pass_context
def show_scenario(ctx: click.Context, request: ScenarioRequest, fmt: str) -> None:
    """Print the merged, validated scenario (after named scenarios and overrides)."""
    import yaml

    sc = request.load().scenario
    data = sc.model_dump(mode="json")
    click.echo(
        json.dumps(data, ensure_ascii=False, indent=2) if fmt == "json" else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    )


@cli.command()
@scenario_options
@click.option("--to", "target", required=True, type=click.Path(), help="A new folder, or a file ending in .xlsx.")
@click.option("--force", is_flag=True, help="Replace the target if it exists.")
@click.pass_context
def convert(
    ctx: click.Context,
    request: ScenarioRequest,
    target: str,
    force: bool,
) -> None:
    """Convert a scenario between the folder (YAML + CSV) and the one-workbook (.xlsx) forms."""
    from .io.scenario_files import write_scenario_folder, write_scenario_workbook

    sc = request.load().scenario
    if target.lower().endswith(".xlsx"):
        write_scenario_workbook(sc, target, force=force)
    else:
        write_scenario_folder(sc, target, force=force)
    _say(ctx, f"wrote {target}", fg="green")


@cli.command()
@click.argument("run_a", type=click.Path())
@click.argument("run_b", type=click.Path())
@click.option("--out", type=click.Path(), help="New folder for compare.csv (default: runs/compare-<time>).")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@click.option("--top", default=10, show_default=True, help="Rows to print per section.")
@click.pass_context
def compare(ctx: click.Context, run_a: str, run_b: str, out: str | None, force: bool, top: int) -> None:
    """Compare two plan runs: money moved (B - A) by unit, initiative and pool; indicators that changed status."""
    import pandas as pd

    from .pipeline import run_compare

    res = run_compare(run_a, run_b, out, force=force, command=_command_line())
    t = res.result
    _say(ctx, f"Comparing A = {run_a} with B = {run_b} (delta = B - A)")
    for _, r in t[t["section"] == "objective"].iterrows():
        _say(ctx, f"  {r['key']:<18} {r['a']:.4f} -> {r['b']:.4f}  ({r['delta']:+.4f})")
    for section in ("pool", "source", "unit", "initiative"):
        rows = t[(t["section"] == section) & (t["delta"].abs() > 1e-6)].sort_values("delta", key=abs, ascending=False).head(top)
        _say(ctx, f"money moved by {section}:" + ("" if len(rows) else " none"))
        for _, r in rows.iterrows():
            _say(ctx, f"  {pad(str(r['key']), 40)} {r['a']:>12,.1f} -> {r['b']:>12,.1f}  ({r['delta']:+,.1f})")
    changed = t[(t["section"] == "indicator") & t["status_changed"].astype(bool)]
    _say(ctx, "indicators whose status changed:" + ("" if len(changed) else " none"))
    for _, r in changed.iterrows():
        if pd.isna(r["a"]) or pd.isna(r["b"]):
            only = "A" if pd.isna(r["b"]) else "B"
            _say(ctx, f"  {r['key']}: only in run {only}", fg="yellow")
            continue
        mark = "now met" if r["met_b"] else "now missed"
        _say(ctx, f"  {r['key']}: {r['a']:.4g} -> {r['b']:.4g} ({mark})", fg="green" if r["met_b"] else "yellow")
    _say(ctx, f"compare.csv in {res.folder}")
    _emit_json(ctx, {"folder": str(res.folder), "rows": t.to_dict(orient="records")})


@cli.command()
@scenario_options
@click.option(
    "--actuals",
    required=True,
    type=click.Path(),
    metavar="FILE",
    help="Actual outputs: unit, indicator, year, value (CSV or book.xlsx#sheet).",
)
@click.option("--spending", required=True, type=click.Path(), metavar="FILE", help="Actual spending: unit, initiative, year, amount.")
@click.option("--plan", "plan_run", type=click.Path(), metavar="RUN", help="Plan run whose per-unit outputs are the targets.")
@click.option("--targets", type=click.Path(), metavar="FILE", help="Targets table: unit, indicator, year, target.")
@out_options("score")
@click.pass_context
def score(
    ctx: click.Context,
    request: ScenarioRequest,
    actuals: str,
    spending: str,
    plan_run: str | None,
    targets: str | None,
    out: str | None,
    force: bool,
) -> None:
    """Score each unit's actual output against its money: completion, DEA, grades, awards, next-year floors."""
    from .pipeline import run_score

    if (plan_run is None) == (targets is None):
        raise click.UsageError("give exactly one of --plan RUN or --targets FILE")
    run = run_score(
        request,
        out,
        actuals=actuals,
        spending=spending,
        plan_run=plan_run,
        targets=targets,
        force=force,
        command=_command_line(),
    )
    sc, res = run.loaded.scenario, run.result
    for year in sorted({s.year for s in res.scores}):
        _say(ctx, f"Ranking {year} ({sc.currency}; pool {sc.policy.scoring.incentive_pool:,.2f})")
        _say(
            ctx,
            pad("rank", 5, True)
            + "  "
            + pad("unit", 26)
            + pad("spent", 10, True)
            + pad("complete", 10, True)
            + pad("DEA", 8, True)
            + pad("cost-eff", 10, True)
            + pad("score", 8, True)
            + pad("grade", 7, True)
            + pad("award", 12, True),
        )
        for s in sorted((s for s in res.scores if s.year == year), key=lambda s: (s.rank is None, s.rank or 0, s.unit)):
            name = sc.units[s.unit].name_zh if sc.language == "zh" else (sc.units[s.unit].name_en or s.unit)
            fmt = lambda v, f: "-" if v is None else format(v, f)  # noqa: E731
            _say(
                ctx,
                pad(str(s.rank or "-"), 5, True)
                + "  "
                + pad(clip(name, 25), 26)
                + pad(f"{s.spending:,.1f}", 10, True)
                + pad(fmt(s.completion, ".1%"), 10, True)
                + pad(fmt(s.dea_efficiency, ".3f"), 8, True)
                + pad(fmt(s.cost_efficiency, ".2f"), 10, True)
                + pad(fmt(s.composite, ".3f"), 8, True)
                + pad(s.grade, 7, True)
                + pad(f"{s.award:,.2f}", 12, True),
            )
    cuts = [f for f in res.next_floors if f.floor_share < 1 and f.grade in ("C", "D")]
    if cuts:
        names = [
            f"{sc.units[f.unit].name_zh if sc.language == 'zh' else (sc.units[f.unit].name_en or f.unit)} "
            f"({f.grade}: keeps {f.floor_share:.0%}, up to {f.may_reclaim:,.1f} reclaimable)"
            for f in cuts
        ]
        _say(ctx, "next year's stock may be cut for: " + "; ".join(names))
    for w in res.warnings:
        _say(ctx, f"warning: {w}", fg="yellow")
    _say(ctx, f"run folder: {run.folder}")
    _emit_json(ctx, {"run_folder": str(run.folder), "scores": [s.model_dump() for s in res.scores]})


@cli.command("dea")
@click.argument("data", type=click.Path())
@click.option("--id", "id_col", required=True, help="Column with the unit (DMU) ids.")
@click.option("--inputs", required=True, help="Input columns, comma separated.")
@click.option("--outputs", required=True, help="Output columns, comma separated.")
@click.option("--model", type=click.Choice(["ccr", "bcc", "sbm"]), default="ccr", show_default=True, help="DEA model.")
@click.option(
    "--orientation",
    type=click.Choice(["input", "output", "non"]),
    default="input",
    show_default=True,
    help="Orientation (non: non-oriented, SBM only).",
)
@click.option("--super", "super_eff", is_flag=True, help="Add super-efficiency to rank efficient units.")
@click.option("--out", type=click.Path(), help="Write the result CSV here (new file) instead of printing it.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@click.pass_context
def dea_command(
    ctx: click.Context,
    data: str,
    id_col: str,
    inputs: str,
    outputs: str,
    model: str,
    orientation: str,
    super_eff: bool,
    out: str | None,
    force: bool,
) -> None:
    """Data envelopment analysis on any table: one row per unit with efficiency, slacks, peers and status."""
    from .pipeline import run_dea

    frame = run_dea(
        data,
        id_col=id_col,
        inputs=[c.strip() for c in inputs.split(",") if c.strip()],
        outputs=[c.strip() for c in outputs.split(",") if c.strip()],
        model=model,
        orientation=orientation,
        super_efficiency=super_eff,
        out=out,
        force=force,
    )
    _say(ctx, f"DEA {model.upper()}, {orientation} orientation, {len(frame)} units")
    if out:
        _say(ctx, f"wrote {out}")
    elif not _state(ctx).get("json"):
        click.echo(frame.to_csv(index=False))
    _emit_json(ctx, {"model": model, "orientation": orientation, "rows": frame.to_dict(orient="records")})


@cli.command()
@click.argument("run_dir", type=click.Path())
@click.option("--xlsx", "xlsx", required=True, type=click.Path(), help="Workbook to write (a new file).")
@click.option("--force", is_flag=True, help="Replace the workbook if it exists.")
@click.pass_context
def export(ctx: click.Context, run_dir: str, xlsx: str, force: bool) -> None:
    """Export a run folder as one formatted Excel workbook (a sheet per table)."""
    from .io.excel import export_run_workbook

    export_run_workbook(run_dir, xlsx, force=force)
    _say(ctx, f"wrote {xlsx}", fg="green")


@cli.command()
@click.argument("run_dir", type=click.Path())
@click.option("--out", type=click.Path(), help="HTML file to write (default: RUN_DIR/report.html).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of headings (default: the scenario's).")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.pass_context
def report(ctx: click.Context, run_dir: str, out: str | None, lang: str | None, force: bool) -> None:
    """Write a self-contained HTML report of a plan, score, sweep, clear, compare or risk run."""
    from .report import write_report

    path = write_report(run_dir, out, lang=lang, force=force)
    _say(ctx, f"wrote {path}", fg="green")
    _emit_json(ctx, {"report": str(path)})


@cli.command()
@click.option("--out", required=True, type=click.Path(), help="Workbook to write (a new .xlsx file).")
@click.option("--force", is_flag=True, help="Replace the workbook if it exists.")
@click.pass_context
def template(ctx: click.Context, out: str, force: bool) -> None:
    """Write an empty scenario workbook: every sheet and header, drop-downs, and a sheet explaining each column."""
    from .io.excel import write_template

    write_template(out, force=force)
    _say(ctx, f"wrote {out}: fill in the sheets, then run: allocator plan {out}", fg="green")


@cli.group()
def whatif() -> None:
    """What-if questions: budget frontiers, cost to clear missing indicators, risk."""


class _Progress:
    """A progress bar on stderr when it is a terminal (and output is for humans); silent otherwise."""

    def __init__(self, ctx: click.Context, length: int, label: str):
        st = _state(ctx)
        self.bar = None
        if sys.stderr.isatty() and not st.get("quiet") and not st.get("json"):
            self.bar = click.progressbar(length=length, label=label, file=sys.stderr)
            self.bar.__enter__()

    def step(self, *_: Any) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@whatif.command()
@scenario_options
@solver_options
@click.option("--increment", "inc_range", metavar="START:STOP:STEP", help="Scale every increment fund over these levels (1 = as given).")
@click.option("--stock", "stock_range", metavar="START:STOP:STEP", help="Scale every stock fund over these levels.")
@click.option("--total", "total_range", metavar="START:STOP:STEP", help="Scale every fund over these levels.")
@click.option("--param", "param", metavar="PATH=START:STOP:STEP", help="Set any scenario path to each value (rebuilds per level).")
@click.option("--cold", is_flag=True, help="Rebuild and solve each level from scratch (for comparison).")
@click.option(
    "--integers",
    type=click.Choice(["free", "fixed"]),
    default="free",
    show_default=True,
    help="Re-decide lumpy (whole-unit) items at every level, or hold the base plan's where they still fit (fast).",
)
@out_options("sweep")
@click.pass_context
def sweep(
    ctx: click.Context,
    request: ScenarioRequest,
    solver: str,
    time_limit: float | None,
    inc_range: str | None,
    stock_range: str | None,
    total_range: str | None,
    param: str | None,
    cold: bool,
    integers: str,
    out: str | None,
    force: bool,
) -> None:
    """Solve at many budget levels and write frontier.csv (which targets slip first as money falls)."""
    from .errors import OverrideError
    from .pipeline import run_sweep
    from .sweep import parse_range

    chosen = [(n, v) for n, v in (("increment", inc_range), ("stock", stock_range), ("total", total_range), ("param", param)) if v]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --increment, --stock, --total or --param")
    scope, text = chosen[0]
    path = None
    if scope == "param":
        if "=" not in text:
            raise OverrideError(f"--param {text}: expected PATH=START:STOP:STEP")
        path, text = text.split("=", 1)
    levels = parse_range(text, f"--{scope}")
    if scope != "param" and min(levels) < 0:
        raise OverrideError(f"--{scope} {text}: a sweep range cannot reach a negative budget ({min(levels):g})")
    bar = _Progress(ctx, len(levels), "sweeping")
    try:
        run = run_sweep(
            request,
            out,
            scope=None if path else scope,
            levels=levels,
            path=path,
            solver=solver,
            time_limit=time_limit,
            force=force,
            warm=not cold,
            integers=integers,
            progress=bar.step,
            command=_command_line(),
        )
    finally:
        bar.close()
    _print_frontier(ctx, run)
    _emit_json(ctx, {"run_folder": str(run.folder), "levels": run.manifest["levels"], "timings": run.manifest["timings"]})


@whatif.command()
@scenario_options
@click.option("--indicator", "indicators", multiple=True, metavar="KEY", help="Indicator to clear (repeatable: all together).")
@click.option("--all-missing", is_flag=True, help="Every missing indicator together, plus the cost-to-clear curve.")
@click.option("--by", type=int, metavar="YEAR", help="Year to reach it by (default: its clear-by or target year).")
@click.option(
    "--pool",
    type=click.Choice(["increment", "total"]),
    default="increment",
    show_default=True,
    help="Where the extra money may go: the increment only, or either school pool.",
)
@click.option("--keep-others", is_flag=True, help="No other indicator may fall below its base-plan value.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), metavar="S", help="Stop each solve after S seconds.")
@out_options("clear")
@click.pass_context
def clear(
    ctx: click.Context,
    request: ScenarioRequest,
    indicators: tuple[str, ...],
    all_missing: bool,
    by: int | None,
    pool: str,
    keep_others: bool,
    time_limit: float | None,
    out: str | None,
    force: bool,
) -> None:
    """Least extra money that reaches an indicator's target (a missing one's first unit) by a year."""
    from .pipeline import run_clear

    if indicators and all_missing:
        raise click.UsageError("give --indicator or --all-missing, not both")
    bar = _Progress(ctx, 1, "costing")
    try:
        run = run_clear(
            request,
            out,
            indicators=indicators,
            all_missing=all_missing,
            by=by,
            pool=pool,
            keep_others=keep_others,
            force=force,
            time_limit=time_limit,
            progress=bar.step,
            command=_command_line(),
        )
    finally:
        bar.close()
    sc, res = run.loaded.scenario, run.result
    if res is not None:
        _print_clear(ctx, sc, res, pool)
    if run.extra is not None:
        _say(ctx, "cost-to-clear curve (k missing indicators cleared vs least extra money):")
        for p in run.extra:
            money = "unreachable" if p.status not in ("optimal", "time_limit_feasible") else f"{p.extra_total:,.2f}"
            _say(ctx, f"  k={p.k:<3} {pad(money, 14, True)}  {', '.join(p.cleared)}")
    _say(ctx, f"run folder: {run.folder}")
    _emit_json(
        ctx,
        {
            "run_folder": str(run.folder),
            "status": run.manifest["status"],
            "extra_total": run.manifest["extra_total"],
            "extra_by_year": run.manifest["extra_by_year"],
        },
    )
    if res is None:
        from .errors import InfeasibleError

        raise InfeasibleError(f"{run.manifest['message']} (the curve above shows how many can be cleared, and for how much)")


def _print_clear(ctx: click.Context, sc, res, pool: str) -> None:
    names = ", ".join(sc.indicators[k].name_zh if sc.language == "zh" else (sc.indicators[k].name_en or k) for k in res.indicators)
    years = ", ".join(f"{y}: {v:,.2f}" for y, v in res.extra_by_year.items() if v > 0) or "none"
    _say(ctx, f"Clearing {names}")
    for k in res.indicators:
        year, level = res.requirements[k]
        _say(ctx, f"  {k}: reach {level:g} by {year} (base plan: {res.base_values[k]:.4g}; with the extra money: {res.values[k]:.4g})")
    _say(ctx, f"least extra {pool} money: {res.extra_total:,.2f} {sc.currency}  ({years})", fg="green")
    _say(ctx, f"plan with it: stage 1 {res.stage1_shortfall:.3f}, stage 2 {res.stage2_progress:.4f}")


@whatif.command()
@scenario_options
@click.option("--draws", default=500, show_default=True, type=click.IntRange(min=1), help="Number of yield draws.")
@click.option("--yield-cv", default=0.2, show_default=True, type=click.FloatRange(min=0), help="Coefficient of variation of each yield.")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed (same seed, same answer).")
@click.option("--resolve", is_flag=True, help="Re-optimize the plan for each draw instead of evaluating the fixed plan.")
@click.option("--workers", type=click.IntRange(min=1), help="Processes for --resolve (default: all cores).")
@click.option(
    "--integers",
    type=click.Choice(["fixed", "free"]),
    default="fixed",
    show_default=True,
    help="With --resolve: keep the plan's lumpy commitments (fast) or re-decide them per draw.",
)
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), metavar="S", help="Stop each solve after S seconds.")
@out_options("risk")
@click.pass_context
def risk(
    ctx: click.Context,
    request: ScenarioRequest,
    draws: int,
    yield_cv: float,
    seed: int,
    resolve: bool,
    workers: int | None,
    integers: str,
    time_limit: float | None,
    out: str | None,
    force: bool,
) -> None:
    """Probability each target is met by its year when effect yields are uncertain."""
    from .pipeline import run_risk

    bar = _Progress(ctx, draws, "draws")
    try:
        run = run_risk(
            request,
            out,
            draws=draws,
            yield_cv=yield_cv,
            seed=seed,
            resolve=resolve,
            workers=workers,
            integers=integers,
            force=force,
            time_limit=time_limit,
            progress=lambda n: [bar.step() for _ in range(n)],
            command=_command_line(),
        )
    finally:
        bar.close()
    sc, res = run.loaded.scenario, run.result
    mode = "re-optimized per draw" if resolve else "plan fixed"
    _say(ctx, f"Risk for {sc.name}: {draws} draws, yield cv {yield_cv:g}, seed {seed} ({mode}, {run.manifest['timings']['draws']:.2f} s)")
    _say(ctx, pad("indicator", 34) + pad("target", 12, True) + pad("plan", 12, True) + pad("P(met)", 10, True) + pad("5%-95%", 24, True))
    for k in sorted(res.indicators, key=lambda k: res.probability[k]):
        ind = sc.indicators[k]
        name = ind.name_zh if sc.language == "zh" else (ind.name_en or ind.name_zh)
        spread = f"{format_value(res.p05[k], '', ind.kind)}-{format_value(res.p95[k], '', ind.kind)}"
        _say(
            ctx,
            pad(clip(name, 33), 34)
            + pad(format_value(ind.target, "", ind.kind), 12, True)
            + pad(format_value(res.plan_values[k], "", ind.kind), 12, True)
            + pad(f"{res.probability[k]:.1%}", 10, True)
            + pad(spread, 24, True),
        )
    _say(ctx, f"run folder: {run.folder}")
    _emit_json(ctx, {"run_folder": str(run.folder), "probability": res.probability})


def _print_frontier(ctx: click.Context, run) -> None:
    sc = run.loaded.scenario
    _say(ctx, f"Frontier of {sc.name} ({len(run.result)} levels, {run.manifest['timings']['sweep']:.2f} s)")
    _say(
        ctx,
        pad("level", 8, True)
        + pad(f"budget ({sc.currency})", 18, True)
        + pad("status", 14, True)
        + pad("stage 1", 10, True)
        + pad("stage 2", 10, True)
        + pad("met", 6, True)
        + "  newly unmet",
    )
    previous: set[str] = set()
    for p in sorted(run.result, key=lambda p: -p.level):
        unmet = {k for k, m in p.met.items() if not m}
        newly = sorted(unmet - previous) if previous or p is not max(run.result, key=lambda q: q.level) else sorted(unmet)
        names = ", ".join(sc.indicators[k].name_zh if sc.language == "zh" else (sc.indicators[k].name_en or k) for k in newly)
        _say(
            ctx,
            pad(f"{p.level:g}", 8, True)
            + pad(f"{p.budget:,.0f}", 18, True)
            + pad(p.status, 14, True)
            + pad(f"{p.stage1_shortfall:.3f}", 10, True)
            + pad(f"{p.stage2_progress:.4f}", 10, True)
            + pad(str(sum(p.met.values())), 6, True)
            + "  "
            + clip(names, 60),
        )
        previous = unmet
    _say(ctx, f"run folder: {run.folder}")


# ---------------------------------------------------------------------------------------------
# summaries
# ---------------------------------------------------------------------------------------------


def format_value(value: float | None, unit_label: str, kind: str) -> str:
    """Indicator value for people: ratios in percent, counts without noise."""
    if value is None:
        return "-"
    if kind == "ratio":
        return f"{100 * value:.2f}%"
    if abs(value - round(value)) < 1e-6:
        return f"{round(value):,d}"
    return f"{value:,.1f}"


def _plan_json(run) -> dict[str, Any]:
    res = run.result
    return {
        "status": res.status.value,
        "run_folder": str(run.folder),
        "objective": {"stage1_shortfall": res.stage1_shortfall, "stage2_progress": res.stage2_progress},
        "indicators": [
            {"indicator": r.indicator, "year": r.year, "value": r.value, "target": r.target, "met": r.met}
            for r in res.indicators
            if r.year == r.target_year
        ],
        "budget": [r.model_dump() for r in res.budget],
        "timings": run.manifest["timings"],
    }


def _print_plan_summary(ctx: click.Context, run) -> None:
    res, sc = run.result, run.loaded.scenario
    title = sc.title_zh if sc.language == "zh" and sc.title_zh else (sc.title_en or sc.name)
    total = sum(run.manifest["timings"].values())
    status_colour = "green" if res.status.value == "optimal" else "yellow"
    _say(ctx, f"Plan {sc.name}: {title}")
    _say(ctx, f"status: {res.status.value} ({res.solver.name}, {total:.2f} s)", fg=status_colour)
    if res.status.value != "optimal":
        _say(ctx, "  the time limit stopped the solver: the plan is feasible but not proven optimal", fg="yellow")
    _say(ctx, f"stage 1  missing indicators not cleared by their year: {res.stage1_shortfall:.3f}")
    _say(ctx, f"stage 2  weighted progress toward targets:            {res.stage2_progress:.3f}")
    _say(ctx)
    _say(ctx, pad("indicator", 34) + pad("year", 6) + pad("projected", 12, True) + pad("target", 12, True) + "  met")
    for r in res.indicators:
        if r.year != r.target_year:
            continue
        ind = sc.indicators[r.indicator]
        name = ind.name_zh if sc.language == "zh" else (ind.name_en or ind.name_zh)
        mark = "yes" if r.met else "NO"
        line = (
            pad(clip(name, 33), 34)
            + pad(str(r.year), 6)
            + pad(format_value(r.value, ind.unit_label, ind.kind), 12, True)
            + pad(format_value(r.target, ind.unit_label, ind.kind), 12, True)
            + f"  {mark}"
        )
        _say(ctx, line, fg=None if r.met else "yellow")
    _say(ctx)
    years = sorted({b.year for b in res.budget})
    _say(ctx, pad(f"money ({sc.currency}) allocated / available", 44) + "".join(pad(str(y), 16, True) for y in years))
    keys = sorted({(b.pool, b.source) for b in res.budget}, key=lambda k: (k[0] != "stock", k[1]))
    for pool, source in keys:
        cells = []
        for y in years:
            b = next(x for x in res.budget if x.year == y and x.pool == pool and x.source == source)
            cells.append(pad(f"{b.allocated:,.0f}/{b.available:,.0f}", 16, True))
        _say(ctx, pad(f"{pool} ({source})", 44) + "".join(cells))
    budget_marginals = sorted((m for m in res.marginals if m.family == "fund_limit"), key=lambda m: (m.value_stage1, -m.value_stage2))
    if budget_marginals:
        _say(ctx)
        _say(ctx, "marginal value of money (best first):")
        for m in budget_marginals[:3]:
            _say(ctx, f"  {m.words}")
    for w in res.warnings:
        _say(ctx, f"warning: {w}", fg="yellow")
    _say(ctx)
    _say(ctx, f"run folder: {run.folder}")


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="allocator")


if __name__ == "__main__":  # pragma: no cover
    main()
