"""Self-contained HTML reports of run folders, for the people who decide.

One file per run: styles, a few lines of script and every chart (inline SVG) are inside it, so it opens
with no network and can be mailed or printed as is. Every number on the page is read from the run's
files and marked with ``data-key``/``data-value`` so it can be checked against them.

Example::

    from allocator.report import write_report
    write_report("runs/plan-20261126-153000", lang="zh")
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from ..errors import RunFolderError
from ..io.atomic import atomic_write_bytes, ensure_new
from ..io.outputs import REPORT
from . import clear, compare, plan, risk, score, sweep
from .common import Context
from .data import Names, Run, load_run
from .html import Section, document, esc
from .i18n import LANGUAGES, Translator, resolve_language

logger = logging.getLogger(__name__)

REPORT_FILE = "report.html"

_BUILDERS: dict[str, Callable[[Context], list[Section]]] = {
    "plan": plan.sections,
    "score": score.sections,
    "sweep": sweep.sections,
    "clear": clear.sections,
    "compare": compare.sections,
    "risk": risk.sections,
}

__all__ = ["LANGUAGES", "REPORT_FILE", "render_report", "write_report"]


def render_report(run_dir: str | Path, lang: str | None = None) -> str:
    """The whole HTML document reporting one run folder.

    Args:
        run_dir: a run folder written by plan, score, whatif sweep/clear/risk or compare.
        lang: ``"zh"`` or ``"en"``; by default the scenario's language (Chinese when it has none).

    Raises:
        RunFolderError: if ``run_dir`` is not a run folder or lacks a file or column the report needs.
        ValueError: if ``lang`` is not a supported language.
    """
    run = load_run(run_dir)
    return render_run(run, lang)


def render_run(run: Run, lang: str | None = None) -> str:
    """The HTML document for a run already read with :func:`allocator.report.data.load_run`."""
    language = resolve_language(lang, run.language)
    t = Translator(language)
    ctx = Context(run=run, t=t, names=Names((run.scenario, *run.related), language))
    body = _BUILDERS[run.kind](ctx)
    kind_title = t(f"kind.{run.kind}")
    scenario_title = ctx.names.title()
    title = f"{kind_title} — {scenario_title}" if scenario_title else kind_title
    subtitle = " · ".join(p for p in (t("report"), run.path.name, str(run.manifest.get("created") or "")) if p)
    logger.info("rendered %s report of %s in %s", run.kind, run.path, language)
    return document(
        lang=language, title=title, subtitle=subtitle, sections=body, contents_label=t("contents"), footer=f"<p>{esc(t('generated'))}</p>"
    )


def write_report(run_dir: str | Path, out: str | Path | None = None, lang: str | None = None, force: bool = False) -> Path:
    """Render a run folder's report and write it atomically.

    Args:
        run_dir: the run folder.
        out: the HTML file to write; default ``RUN_DIR/report.html``.
        lang: ``"zh"`` or ``"en"``; by default the scenario's language.
        force: replace ``out`` if it is an earlier report (anything else is never replaced).
            The default ``RUN_DIR/report.html`` replaces an earlier report there without it.

    Returns:
        The path written.

    Raises:
        RunFolderError: if the run folder is unusable or ``out`` may not be written.
    """
    target = Path(out) if out is not None else Path(run_dir) / REPORT_FILE
    own = out is None
    ensure_new(target, force=force, kind=REPORT, inputs=(run_dir,), replace_own=own)  # fail before the work, not after it
    if target.is_dir():
        raise RunFolderError(f"{target}: is a folder; give a file name for the report")
    page = render_report(run_dir, lang)
    written = atomic_write_bytes(target, page.encode("utf-8"), force=force, kind=REPORT, replace_own=own)
    logger.info("wrote %s", written)
    return written
