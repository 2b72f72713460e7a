"""Output safety: where a command may write, and what ``--force`` may replace.

Every output carries a marker the tool can recognise: a run folder's manifest says ``"written_by":
"allocator"`` and lists its files, a report has ``<meta name="generator" content="allocator">``, a workbook
has the custom property ``written_by = allocator``, a converted scenario folder starts its scenario.yaml with
a marker comment. ``--force`` replaces only such an output of the same kind (a scenario or template only
while its content is unchanged, since people fill those in), and never an input of the command, a folder
holding one, the working folder or a folder above it. All of it is checked before any work is done.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import RunFolderError

logger = logging.getLogger(__name__)

MARK = "allocator"
MANIFEST = "manifest.json"
HTML_MARK = f'<meta name="generator" content="{MARK}">'
XLSX_PROPERTY = "written_by"
XLSX_KIND_PROPERTY = "allocator_kind"
XLSX_DIGEST_PROPERTY = "allocator_content_sha256"
XLSX_EXAMPLE_PROPERTY = "allocator_example_rows"
"""sheet=digest;... of a template's example rows (row 2), so a reader can skip one left as written."""
SCENARIO_MARK = f"# written by {MARK}; content sha256 "
OS_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})

RUN, SCENARIO, REPORT, EXPORT, TEMPLATE, TABLE = "run", "scenario", "report", "export", "template", "table"
_WHAT = {
    RUN: "a run folder",
    SCENARIO: "a scenario",
    REPORT: "a report",
    EXPORT: "an exported workbook",
    TEMPLATE: "a scenario template",
    TABLE: "a result table (dea, split or tasks)",
}
_REPLACES = {RUN: {RUN}, SCENARIO: {SCENARIO, TEMPLATE}, REPORT: {REPORT}, EXPORT: {EXPORT}, TEMPLATE: {TEMPLATE, SCENARIO}, TABLE: {TABLE}}
"""Which earlier outputs an output of each kind may replace with --force."""


def input_paths(*items: Any) -> tuple[Path, ...]:
    """The files and folders a command reads, from its arguments (None dropped, ``book.xlsx#sheet`` cut to the book)."""
    out = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, (list, tuple)):
            out += input_paths(*item)
            continue
        text = str(item)
        if "#" in text and text.lower().split("#", 1)[0].endswith((".xlsx", ".xlsm")):
            text = text.rsplit("#", 1)[0]
        out.append(Path(text))
    return tuple(out)


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def check_output(
    path: str | Path, *, force: bool = False, kind: str = RUN, inputs: Iterable[str | Path] = (), replace_own: bool = False
) -> Path:
    """Refuse an output path before any work is done; return it as a Path.

    Refused always: the working folder or a folder above it, an input of the command or a folder holding
    one, a path under a file, a folder that cannot be written. Refused unless ``force`` (or ``replace_own``
    for an earlier output of the same kind, e.g. a run's own report.html): anything that exists already.
    Refused even with ``force``: anything not written by this tool as an output of the same kind.
    """
    text = str(path)
    if not text.strip():
        raise RunFolderError("the output path is empty; name a new file or folder")
    target = Path(path)
    real = _real(target)
    for item in input_paths(*inputs):
        src = _real(item)
        if real == src or real in src.parents:
            verb = "is" if real == src else "holds"
            raise RunFolderError(f"{target}: {verb} an input of this command ({item}); an output may never replace an input")
    cwd = _real(Path.cwd())
    if real == cwd or real in cwd.parents:
        where = "the working folder" if real == cwd else "a folder above the working folder"
        raise RunFolderError(f"{target}: is {where}; name a new folder for the output")
    _check_parent(target)
    if os.path.lexists(target):
        problem = replace_refusal(target, kind)
        if problem is None and (force or replace_own):
            return target
        if not force:
            if problem is None:
                raise RunFolderError(f"{target}: exists already; choose a new output path or pass --force to replace it")
            raise RunFolderError(f"{target}: exists already and cannot be replaced ({problem}); choose a new output path")
        raise RunFolderError(
            f"{target}: --force replaces only {_WHAT[kind]} that allocator wrote, and {problem}; "
            "move or delete it yourself if you really mean to replace it"
        )
    return target


def _check_parent(target: Path) -> None:
    """The nearest existing folder above ``target`` must be a folder we may write in."""
    parent = Path(os.path.abspath(target)).parent
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise RunFolderError(f"{target}: {parent} is a file, not a folder; choose an output path outside it")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise RunFolderError(f"{target}: cannot write in {parent} (permission denied or a read-only disk); choose another output path")


def replace_refusal(target: Path, kind: str) -> str | None:
    """None when ``target`` is an output of a kind ``kind`` may replace; otherwise why it is not."""
    if target.is_symlink():
        return "it is a symbolic link"
    found, why = written_kind(target)
    if found is None:
        return why
    if found not in _REPLACES[kind]:
        return f"it is {_WHAT[found]}, not {_WHAT[kind]}"
    return None


def written_kind(path: Path) -> tuple[str | None, str]:
    """(kind of allocator output at ``path``, "") or (None, why it is not one)."""
    try:
        if path.is_dir():
            if (path / MANIFEST).exists():
                return _run_folder_kind(path)
            return _scenario_folder_kind(path)
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm"):
            return _html_kind(path)
        if suffix in (".xlsx", ".xlsm"):
            return _workbook_kind(path)
        if suffix == ".csv":
            return _table_kind(path)
    except OSError as exc:
        return None, f"it cannot be read ({exc.strerror or exc})"
    return None, "it is a file allocator did not write"


def _run_folder_kind(path: Path) -> tuple[str | None, str]:
    try:
        if (path / MANIFEST).stat().st_size > 50_000_000:
            return None, f"its {MANIFEST} is too large to be one allocator wrote"
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None, f"its {MANIFEST} is not valid JSON"
    if not isinstance(manifest, dict) or manifest.get("written_by") != MARK:
        return None, f"its {MANIFEST} has no written_by: {MARK} marker"
    listed = set(manifest.get("files") or {}) | {MANIFEST}
    foreign = []
    for entry in sorted(os.listdir(path)):
        if entry in listed or entry in OS_LITTER:
            continue
        child = path / entry
        if child.is_file() and not child.is_symlink() and written_kind(child)[0] in (REPORT, EXPORT, TABLE):
            continue
        foreign.append(entry)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        return None, f"it holds files the run did not write ({shown})"
    return RUN, ""


def folder_digest(path: Path, skip_first_line_of: str | None = None) -> str:
    """SHA-256 over the names and bytes of a folder's files (not sub-folders), in name order."""
    h = hashlib.sha256()
    for entry in sorted(os.listdir(path)):
        child = path / entry
        if not child.is_file() or entry in OS_LITTER:
            continue
        data = child.read_bytes()
        if entry == skip_first_line_of and data.startswith(SCENARIO_MARK.encode()):
            data = data.split(b"\n", 1)[1] if b"\n" in data else b""
        h.update(entry.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def _scenario_folder_kind(path: Path) -> tuple[str | None, str]:
    yml = path / "scenario.yaml"
    if not yml.is_file():
        return None, "it is a folder allocator did not write"
    with open(yml, "rb") as fh:
        first = fh.readline(200).decode("utf-8", "replace").strip()
    if not first.startswith(SCENARIO_MARK.strip()):
        return None, "it is a scenario folder allocator did not write"
    if first[len(SCENARIO_MARK.strip()) :].strip() != folder_digest(path, "scenario.yaml"):
        return None, "it is a scenario that was edited after allocator wrote it"
    return SCENARIO, ""


def _html_kind(path: Path) -> tuple[str | None, str]:
    with open(path, "rb") as fh:
        head = fh.read(4096).decode("utf-8", "replace")
    return (REPORT, "") if HTML_MARK in head else (None, "it is an HTML file allocator did not write")


_TABLE_SIGNATURES = (
    lambda c: len(c) >= 4 and c[:2] == ["id", "efficiency"] and "peers" in c and c[-1] == "status",  # allocator dea
    lambda c: {"recommendation", "amount", "percent_funded", "limited_by"} <= set(c),  # allocator split
    lambda c: c[:3] == ["indicator", "indicator_name", "year"] and {"school_target", "planned_output", "money"} <= set(c),  # tasks
)


def _table_kind(path: Path) -> tuple[str | None, str]:
    """A table allocator wrote (dea, split, tasks), recognised by the header it writes: a CSV holds no marker."""
    with open(path, "rb") as fh:
        first = fh.readline(10_000).decode("utf-8-sig", "replace").strip()
    cols = first.split(",")
    if any(match(cols) for match in _TABLE_SIGNATURES):
        return TABLE, ""
    return None, "it is a CSV file allocator did not write"


_PROPERTY = re.compile(r'<property[^>]*\bname="([^"]+)"[^>]*>\s*<vt:lpwstr>([^<]*)</vt:lpwstr>\s*</property>')


def workbook_properties(path: Path) -> dict[str, str]:
    """The custom document properties of an .xlsx (read from the zip, bounded, without opening the workbook)."""
    try:
        with zipfile.ZipFile(path) as zf:
            try:
                info = zf.getinfo("docProps/custom.xml")
            except KeyError:
                return {}
            if info.file_size > 1_000_000:
                return {}
            text = zf.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}
    return dict(_PROPERTY.findall(text))


def _workbook_kind(path: Path) -> tuple[str | None, str]:
    props = workbook_properties(path)
    if props.get(XLSX_PROPERTY) != MARK:
        return None, "it is a workbook allocator did not write"
    kind = props.get(XLSX_KIND_PROPERTY, EXPORT)
    if kind not in _WHAT:
        return None, "it is a workbook allocator did not write"
    if kind in (SCENARIO, TEMPLATE):
        from ..errors import DataError
        from .safe_excel import open_workbook

        try:
            book = open_workbook(path)
            try:
                digest = workbook_digest((name, book.values(name)) for name in book.sheetnames)
            finally:
                book.close()
        except DataError:
            digest = None
        if digest != props.get(XLSX_DIGEST_PROPERTY):
            return None, f"it is {_WHAT[kind]} that was edited after allocator wrote it"
    return kind, ""


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None if value == "" else value  # an empty string is not saved: it reads back as a blank cell


def workbook_digest(sheets: Iterable[tuple[str, Iterable[tuple[int, list[Any]]]]]) -> str:
    """SHA-256 of every sheet's name and non-blank rows (trailing blanks ignored): a re-save without edits matches."""
    h = hashlib.sha256()
    for name, rows in sheets:
        h.update(b"\1" + name.encode("utf-8"))
        for n, cells in rows:
            row = [_plain(c) for c in cells]
            while row and row[-1] is None:
                row.pop()
            h.update(b"\2" + json.dumps([n, row], default=str, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def example_row_digest(sheet: str, cells: Iterable[Any]) -> str:
    """SHA-256 of one row's values on a sheet (trailing blanks ignored; 3.0 and 3 alike): an example row as written."""
    row = [_plain(c) for c in cells]
    while row and row[-1] is None:
        row.pop()
    return hashlib.sha256(json.dumps([sheet, row], default=str, ensure_ascii=False).encode("utf-8")).hexdigest()


def example_rows(path: Path) -> dict[str, str]:
    """{sheet: digest of its example row} of a template allocator wrote; empty for any other workbook."""
    props = workbook_properties(path)
    if props.get(XLSX_PROPERTY) != MARK:
        return {}
    pairs = (item.partition("=") for item in props.get(XLSX_EXAMPLE_PROPERTY, "").split(";") if item)
    return {sheet: digest for sheet, _, digest in pairs}


def _openpyxl_rows(ws) -> list[tuple[int, list[Any]]]:
    """Non-blank rows of an in-memory worksheet, numbered as a spreadsheet shows them."""
    out = []
    for n, cells in enumerate(ws.iter_rows(values_only=True), start=1):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        out.append((n, list(cells)))
    return out


def mark_workbook(wb, kind: str) -> None:
    """Set the custom properties that let --force recognise this workbook later (scenario kinds with a digest)."""
    from openpyxl.packaging.custom import StringProperty

    props = [StringProperty(name=XLSX_PROPERTY, value=MARK), StringProperty(name=XLSX_KIND_PROPERTY, value=kind)]
    if kind in (SCENARIO, TEMPLATE):
        digest = workbook_digest((ws.title, _openpyxl_rows(ws)) for ws in wb.worksheets)
        props.append(StringProperty(name=XLSX_DIGEST_PROPERTY, value=digest))
    for prop in props:
        wb.custom_doc_props.append(prop)


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EEXIST: "it exists already",
    errno.ENOTEMPTY: "it exists already",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "the disk quota is used up"


def write_error(target: str | Path, exc: OSError) -> RunFolderError:
    """An OS error while writing an output as a user error naming the output and the reason."""
    reason = _REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    return RunFolderError(f"{target}: cannot write ({reason}); nothing was written")
