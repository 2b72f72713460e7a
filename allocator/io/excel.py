"""Excel for people: the scenario template, and (re-exported) the run workbook of :mod:`allocator.export`.

Every text cell that a spreadsheet would read as a formula (``=``, ``+``, ``@``, ``-`` before text) is written as
text with a leading apostrophe (:mod:`allocator.io.safe_text`), so nothing a user typed into a name can ever be
evaluated as a formula (CSV/Excel injection).
"""

from __future__ import annotations

import logging
from pathlib import Path

from .atomic import atomic_write_bytes, ensure_new
from .outputs import TEMPLATE
from .safe_text import neutralize

logger = logging.getLogger(__name__)

__all__ = ["export_run_workbook", "neutralize", "write_template"]


def export_run_workbook(run: str | Path, out: str | Path, *, force: bool = False, lang: str | None = None) -> Path:
    """A run folder as one formatted workbook (see :func:`allocator.export.export_run_workbook`)."""
    from ..export import export_run_workbook as export

    return export(run, out, lang=lang, force=force)


def write_template(out: str | Path, *, force: bool = False, lang: str = "zh") -> Path:
    """The scenario template: a README (Chinese by default), marked headers with comments, example rows, drop-downs."""
    from .template import template_bytes

    ensure_new(out, force=force, kind=TEMPLATE)
    data = template_bytes(lang)
    logger.info("wrote the scenario template to %s", out)
    return atomic_write_bytes(out, data, force=force, kind=TEMPLATE)
