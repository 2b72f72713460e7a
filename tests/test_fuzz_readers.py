"""Fuzz the CSV, YAML and workbook readers: every input either loads or is refused with a message (exit 1).

Nothing generated here may raise anything but an AllocatorError with exit code 1 (so the CLI can never
answer it with an internal error, exit 70, or a traceback). The normal run tries 2,000 generated
inputs (800 CSV, 700 YAML, 300 workbooks, 200 through the command line), each fed to two or three
readers, derandomized so CI is repeatable; ``python -m pytest -m fuzz`` runs the same properties on many
more random inputs (the nightly run).
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocator.cli import cli
from allocator.errors import AllocatorError
from allocator.io.records import read_rows
from allocator.io.scenario_files import write_scenario_folder, write_scenario_workbook
from allocator.io.text import parse_csv
from allocator.io.yaml_safe import load_yaml
from allocator.loading import load, load_scenario
from allocator.tables import TABLES

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "examples" / "two_programmes.yaml"
# Hypothesis's own notes (an example too large to print) are not findings about the readers.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

CI = {"derandomize": True, "deadline": None, "database": None, "suppress_health_check": list(HealthCheck)}
NIGHTLY = {"deadline": None, "suppress_health_check": list(HealthCheck)}


def refused_or_loaded(action) -> None:
    """Run ``action``; a refusal must be a bad-input error (exit 1) with a message."""
    try:
        action()
    except AllocatorError as exc:
        assert exc.exit_code == 1, f"{type(exc).__name__} exit {exc.exit_code}: {exc}"
        assert str(exc).strip()


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The hand-worked example as a scenario folder and as a workbook."""
    root = tmp_path_factory.mktemp("fuzz-base")
    sc = load_scenario(EXAMPLE)
    write_scenario_folder(sc, root / "S")
    write_scenario_workbook(sc, root / "w.xlsx")
    return root


@contextmanager
def replaced(path: Path, data: bytes):
    """``path`` holds ``data`` for the duration, then its old content again."""
    old = path.read_bytes() if path.exists() else None
    path.write_bytes(data)
    try:
        yield path
    finally:
        path.unlink()
        if old is not None:
            path.write_bytes(old)


# --- CSV -------------------------------------------------------------------------------------------------

PIECES = [",", '"', "\n", "\r\n", "\r", " ", ";", "%", ".", "-", "+", "=", "@", "\t", "\ufeff", "\x00", "\x1b[31m"]
PIECES += ["0", "1", "2021", "1e308", "nan", "inf", "-3", "１２", "1,230", "5%", "是", "否", "true", "NA", "null", "甲學院", "学院"]
PIECES += ["key", "name_zh", "type", "college", "year", "stock", "increment", "unit", "A", "B", "send_students", "note", "_x"]
piece = st.sampled_from(PIECES)
cell = st.one_of(piece, st.text(max_size=12), st.lists(piece, max_size=4).map("".join))


@st.composite
def csv_text(draw) -> str:
    """Either loose text built from CSV-ish pieces, or a table written by csv.writer and then damaged."""
    if draw(st.booleans()):
        return "".join(draw(st.lists(st.one_of(piece, st.text(max_size=5)), max_size=60)))
    spec = draw(st.sampled_from(TABLES))
    header = draw(st.lists(st.sampled_from([*spec.columns, "", "extra", "note", "备注"]), min_size=1, max_size=len(spec.columns) + 2))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=len(header) + 2), max_size=6))
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    text = buf.getvalue()
    if text and draw(st.booleans()):
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(piece) + text[cut:]
    return text


def _csv_property(base: Path, text: str, table: str, encoding: str) -> None:
    data = text.encode(encoding, errors="replace")
    refused_or_loaded(lambda: parse_csv(text, "t.csv"))
    with replaced(base / "S" / f"{table}.csv", data):
        refused_or_loaded(lambda: load(base / "S"))
    with replaced(base / "actuals.csv", data):
        refused_or_loaded(lambda: read_rows(base / "actuals.csv"))


@settings(max_examples=800, **CI)
@given(
    text=csv_text(), table=st.sampled_from([t.name for t in TABLES]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "big5"])
)
def test_csv_reader_loads_or_refuses(base, text, table, encoding):
    _csv_property(base, text, table, encoding)


@pytest.mark.fuzz
@settings(max_examples=20_000, **NIGHTLY)
@given(
    text=csv_text(), table=st.sampled_from([t.name for t in TABLES]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "big5"])
)
def test_csv_reader_loads_or_refuses_nightly(base, text, table, encoding):
    _csv_property(base, text, table, encoding)


# --- YAML ------------------------------------------------------------------------------------------------

YAML_PIECES = [
    ":",
    ": ",
    "- ",
    "\n",
    "  ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "[",
    "]",
    "{",
    "}",
    ",",
    '"',
    "'",
    "#",
    "!!str ",
    "!!python/object ",
    "<<: ",
]
YAML_PIECES += [
    "name",
    "start_year",
    "end_year",
    "policy",
    "floors",
    "A",
    "units",
    "budget",
    "2021",
    "1e308",
    ".nan",
    "null",
    "~",
    "是",
    "---",
]
leaf = st.one_of(st.none(), st.booleans(), st.integers(-3, 3000), st.floats(allow_nan=True), st.text(max_size=8), st.sampled_from(PIECES))
tree = st.recursive(
    leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=12
)


@st.composite
def yaml_text(draw) -> str:
    """Loose YAML-ish text, or the example scenario with one value replaced (and maybe a line repeated)."""
    if draw(st.booleans()):
        return "".join(draw(st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=4), max_size=50)))
    doc = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    path = draw(st.sampled_from(["name", "start_year", "end_year", "policy", "units", "budget", "indicators", "initiatives", "extra"]))
    doc[path] = draw(tree)
    text = yaml.safe_dump(doc, allow_unicode=True)
    lines = text.splitlines()
    if lines and draw(st.booleans()):
        n = draw(st.integers(0, len(lines) - 1))
        lines.insert(n, lines[n])  # a repeated line: often a duplicate key
    return "\n".join(lines) + "\n"


def _yaml_property(base: Path, text: str) -> None:
    refused_or_loaded(lambda: load_yaml(text, "x.yaml"))
    with replaced(base / "one.yaml", text.encode("utf-8")):
        refused_or_loaded(lambda: load(base / "one.yaml"))
    with replaced(base / "over.yaml", text.encode("utf-8")):
        refused_or_loaded(lambda: load(EXAMPLE, override_files=[base / "over.yaml"]))


@settings(max_examples=700, **CI)
@given(text=yaml_text())
def test_yaml_reader_loads_or_refuses(base, text):
    _yaml_property(base, text)


@pytest.mark.fuzz
@settings(max_examples=20_000, **NIGHTLY)
@given(text=yaml_text())
def test_yaml_reader_loads_or_refuses_nightly(base, text):
    _yaml_property(base, text)


# --- workbooks -------------------------------------------------------------------------------------------

xl_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["=1+1", "=A1", "=#REF!", "NA", "null", "1,230", "5%", "是", "2021", "college", "A", "B", "x" * 11_000]),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=10).filter(lambda s: not s.startswith("=")),
)
safe_name = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=5)


def _example_workbook() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        write_scenario_workbook(load_scenario(EXAMPLE), Path(tmp) / "w.xlsx")
        return (Path(tmp) / "w.xlsx").read_bytes()


EXAMPLE_WORKBOOK = _example_workbook()


@st.composite
def workbook_bytes(draw) -> bytes:
    """A small generated workbook (sheets, cells, formulas, merges), or the example workbook with bytes damaged."""
    if draw(st.booleans()):
        data = bytearray(EXAMPLE_WORKBOOK)
        for _ in range(draw(st.integers(1, 4))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        if draw(st.booleans()):
            data = data[: draw(st.integers(0, len(data)))]
        return bytes(data)
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    names = draw(
        st.lists(
            st.sampled_from(["scenario", "policy", "units", "budget", "indicators", "README", "mystery"]),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    for name in names:
        ws = wb.create_sheet(name)
        header = {
            "scenario": ["key", "value"],
            "policy": ["key", "value"],
            "units": ["key", "name_zh", "type"],
            "budget": ["year", "stock", "increment"],
        }
        ws.append(header.get(name, draw(st.lists(safe_name, max_size=3))))
        for row in draw(st.lists(st.lists(xl_value, max_size=4), max_size=4)):
            ws.append(row)
        if draw(st.integers(0, 9)) == 0:
            ws.merge_cells("A2:A3")
        if draw(st.integers(0, 9)) == 0:
            ws.cell(row=draw(st.integers(1, 300_000)), column=draw(st.integers(2, 400))).value = 1  # not in the merged A2:A3
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _workbook_property(base: Path, data: bytes) -> None:
    with replaced(base / "f.xlsx", data):
        refused_or_loaded(lambda: load(base / "f.xlsx"))
        refused_or_loaded(lambda: read_rows(f"{base / 'f.xlsx'}#units"))


@settings(max_examples=300, **CI)
@given(data=workbook_bytes())
def test_workbook_reader_loads_or_refuses(base, data):
    _workbook_property(base, data)


@pytest.mark.fuzz
@settings(max_examples=10_000, **NIGHTLY)
@given(data=workbook_bytes())
def test_workbook_reader_loads_or_refuses_nightly(base, data):
    _workbook_property(base, data)


# --- the command line ------------------------------------------------------------------------------------


@settings(max_examples=200, **CI)
@given(text=csv_text(), table=st.sampled_from([t.name for t in TABLES]))
def test_cli_never_exits_70_or_prints_a_traceback(base, text, table):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(base / "S", Path(tmp) / "S"))
        (folder / f"{table}.csv").write_text(text, encoding="utf-8", errors="replace")
        res = CliRunner().invoke(cli, ["validate", str(folder)])
    assert res.exit_code in (0, 1), res.output
    assert "Traceback" not in res.output and "internal error" not in res.output
    assert res.exit_code == 0 or res.output.startswith("error: ")


def test_the_fuzz_really_feeds_the_readers(base):
    """Guard against a fuzz that only ever hits one early refusal: the example loads, and a damaged copy does not."""
    load(base / "S")
    load(base / "w.xlsx")
    with zipfile.ZipFile(base / "w.xlsx") as zf:
        assert "xl/worksheets/sheet5.xml" in zf.namelist()
    with replaced(base / "S" / "budget.csv", b"year,stock,increment\n2021,0,100,1\n"), pytest.raises(AllocatorError, match="line 2"):
        load(base / "S")
