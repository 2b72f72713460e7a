"""Hostile and broken input, one test per class of the hardening issue.

Every case asserts the exit code, that the message names the file, row, column or path at fault, and that
nothing outside the run folder changed: the checksums of the inputs and of a sibling folder are the same
before and after.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from allocator.cli import cli

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "examples" / "two_programmes.yaml"


def snapshot(root: Path, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """sha256 of every file under ``root`` (relative path -> digest), leaving out the trees in ``skip``."""
    out = {}
    skipped = [s.resolve() for s in skip]
    for p in sorted(root.rglob("*")):
        if any(p.resolve() == s or s in p.resolve().parents for s in skipped):
            continue
        if p.is_file():
            out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
        elif p.is_dir():
            out[str(p.relative_to(root)) + "/"] = ""
    return out


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def work(tmp_path, run) -> Path:
    """A working folder: scenario folder S (as a person keeps it), a sibling folder, a text file, a plan run."""
    root = tmp_path / "work"
    root.mkdir()
    assert run("convert", EXAMPLE, "--to", root / "S").exit_code == 0
    yml = root / "S" / "scenario.yaml"
    yml.write_text(yml.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")  # a person's copy: no marker
    (root / "sibling").mkdir()
    (root / "sibling" / "notes.txt").write_text("keep me", encoding="utf-8")
    (root / "existing.txt").write_text("an unrelated file", encoding="utf-8")
    assert run("plan", root / "S", "--out", root / "RUN").exit_code == 0
    return root


def expect(res, code: int, *names: str) -> None:
    """Exit code ``code`` and every one of ``names`` in the message; never a traceback."""
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output
    for name in names:
        assert name in res.output, (name, res.output)


# ---------------------------------------------------------------------------------------------
# data loss
# ---------------------------------------------------------------------------------------------


def test_data_loss_force_never_replaces_inputs_parents_cwd_or_foreign_files(run, work, monkeypatch):
    S, RUN = work / "S", work / "RUN"
    (work / "here").mkdir()
    before = snapshot(work)
    monkeypatch.chdir(work / "here")
    cases = [
        (["plan", S, "--out", S, "--force"], [str(S), "is an input"]),
        (["plan", S, "--out", work, "--force"], [str(work), "holds an input"]),
        (["plan", S, "--out", work / "existing.txt", "--force"], ["existing.txt", "a file allocator did not write"]),
        (["plan", S, "--out", work / "sibling", "--force"], ["sibling", "folder allocator did not write"]),
        (["plan", S, "--out", ".", "--force"], [".: is the working folder"]),
        (["plan", S, "--out", "..", "--force"], ["..: ", "holds an input"]),
        (["plan", S, "--out", "/", "--force"], ["/: holds an input"]),
        (["report", RUN, "--out", "..", "--force"], ["..: holds an input"]),
        (["template", "--out", "..", "--force"], ["..: is a folder above the working folder"]),
        (["plan", S, "--out", work / "existing.txt" / "run"], ["existing.txt is a file, not a folder"]),
        (["plan", RUN / "scenario.resolved.json", "--out", RUN, "--force"], [str(RUN), "holds an input"]),
        (["report", RUN, "--out", S / "scenario.yaml", "--force"], ["scenario.yaml", "replaces only a report"]),
        (["report", RUN, "--out", RUN, "--force"], [str(RUN), "is an input"]),
        (["export", RUN, "--xlsx", S / "budget.csv", "--force"], ["budget.csv", "replaces only an exported workbook"]),
        (["compare", RUN, RUN, "--out", RUN, "--force"], [str(RUN), "is an input"]),
        (["convert", S, "--to", S, "--force"], [str(S), "is an input"]),
        (["convert", S, "--to", work / "sibling", "--force"], ["sibling", "folder allocator did not write"]),
        (
            [
                "dea",
                S / "budget.csv",
                "--id",
                "year",
                "--inputs",
                "stock",
                "--outputs",
                "increment",
                "--out",
                work / "existing.txt",
                "--force",
            ],
            ["existing.txt", "replaces only a result table (dea, split or tasks)"],
        ),
    ]
    for args, names in cases:
        expect(run(*args), 1, *names)
    assert snapshot(work) == before


def test_data_loss_force_replaces_only_unedited_own_outputs(run, work):
    S, RUN = work / "S", work / "RUN"
    # a run folder this tool wrote is replaced, and so is a report, a workbook and a converted scenario
    assert run("plan", S, "--out", RUN, "--force").exit_code == 0
    assert run("report", RUN).exit_code == 0 and run("report", RUN).exit_code == 0  # its own report, no --force
    assert run("export", RUN, "--xlsx", work / "r.xlsx").exit_code == 0
    assert run("export", RUN, "--xlsx", work / "r.xlsx", "--force").exit_code == 0
    assert run("convert", S, "--to", work / "copy").exit_code == 0
    assert run("convert", S, "--to", work / "copy", "--force").exit_code == 0
    assert run("template", "--out", work / "t.xlsx").exit_code == 0
    assert run("template", "--out", work / "t.xlsx", "--force").exit_code == 0
    # ... but not once a person has put their own file in it or edited it
    (RUN / "my-notes.txt").write_text("mine", encoding="utf-8")
    (work / "copy" / "budget.csv").write_text("year,stock,increment\n2021,0,99\n", encoding="utf-8")
    before = snapshot(work)
    expect(run("plan", S, "--out", RUN, "--force"), 1, "RUN", "holds files the run did not write (my-notes.txt)")
    expect(run("convert", S, "--to", work / "copy", "--force"), 1, "copy", "edited after allocator wrote it")
    expect(run("export", RUN, "--xlsx", work / "t.xlsx", "--force"), 1, "t.xlsx", "it is a scenario template, not an exported workbook")
    assert snapshot(work) == before


def test_data_loss_publish_is_one_step_with_normal_permissions_and_cleans_stale_partials(run, work, monkeypatch):
    old_mask = os.umask(0o022)
    try:
        stale = work / ".new.k1ll3d.partial"
        stale.mkdir()
        (stale / "allocation.csv").write_text("half a run", encoding="utf-8")
        os.utime(stale, (1, 1))
        fresh = work / ".new.st1llw.partial"  # a run started after this process: never touched
        fresh.mkdir()
        os.utime(fresh, (4e9, 4e9))
        assert run("plan", work / "S", "--out", work / "new").exit_code == 0
    finally:
        os.umask(old_mask)
    assert not stale.exists() and fresh.exists()
    assert (work / "new").stat().st_mode & 0o777 == 0o755
    for p in (work / "new").iterdir():
        assert p.stat().st_mode & 0o777 == 0o644, p
    manifest = json.loads((work / "new" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["written_by"] == "allocator" and manifest["timings"]["write"] > 0
    assert set(manifest["files"]) == {p.name for p in (work / "new").iterdir()} - {"manifest.json"}

    # a disk that fills while the manifest is written: exit 1 naming the folder, nothing published, no partial
    before = snapshot(work)
    real_write_text = Path.write_text

    def full(self, *a, **k):
        if self.name == "manifest.json":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write_text(self, *a, **k)

    monkeypatch.setattr(Path, "write_text", full)
    expect(run("plan", work / "S", "--out", work / "full"), 1, str(work / "full"), "the disk is full", "nothing was written")
    assert not (work / "full").exists()
    assert snapshot(work) == before


# ---------------------------------------------------------------------------------------------
# silent misreads
# ---------------------------------------------------------------------------------------------


def _copy_scenario(work: Path, name: str) -> Path:
    import shutil

    return Path(shutil.copytree(work / "S", work / name))


def test_silent_misreads_are_refused_naming_file_line_and_column(run, work):
    import openpyxl

    bad = {
        "extra_cell": ("budget.csv", "year,stock,increment\n2021,3,324.0,380\n", ["budget.csv line 2", "4 cells but the header has 3"]),
        "open_quote": ("budget.csv", 'year,stock,increment\n2021,"3,100\n2022,1,1\n', ["budget.csv line 2", "never closed"]),
        "blank_header": ("budget.csv", "year,,increment,stock\n2021,5,100,0\n", ["budget.csv line 1", "column 2 has values"]),
        "dup_header": ("budget.csv", "year,stock,stock,increment\n2021,1,2,100\n", ["budget.csv line 1", "stock appear more than once"]),
        "huge_cell": ("units.csv", None, ["units.csv line 4", "longer than 10,000 characters"]),
        "dup_yaml_key": ("scenario.yaml", None, ["scenario.yaml", "key 'end_year' appears twice", "lines"]),
    }
    for name, (file, text, _names) in bad.items():
        folder = _copy_scenario(work, name)
        if name == "huge_cell":
            text = (folder / file).read_text(encoding="utf-8-sig") + "C," + "x" * 5_000_000 + ",College C,college,,,,\n"
        if name == "dup_yaml_key":
            text = (folder / file).read_text(encoding="utf-8") + "end_year: 2030\n"
        (folder / file).write_text(text, encoding="utf-8")
    before = snapshot(work)
    for name, (_file, _text, names) in bad.items():
        expect(run("plan", work / name, "--out", work / f"out-{name}"), 1, *names)
        assert not (work / f"out-{name}").exists()

    # a workbook: a formula without a saved value, merged cells
    assert run("convert", work / "S", "--to", work / "w.xlsx").exit_code == 0
    wb = openpyxl.load_workbook(work / "w.xlsx")
    ws = wb["initiatives"]
    capacity = ws.cell(row=2, column=[c.value for c in ws[1]].index("capacity") + 1)
    capacity.value = "=2*3"
    formula_cell = capacity.coordinate
    wb.save(work / "formula.xlsx")
    wb = openpyxl.load_workbook(work / "w.xlsx")
    wb["units"].merge_cells("D2:D3")
    wb.save(work / "merged.xlsx")
    before = snapshot(work)
    expect(
        run("plan", work / "formula.xlsx", "--out", work / "o1"),
        1,
        f"formula.xlsx sheet initiatives, cell {formula_cell}",
        "formula without a saved value",
    )
    expect(run("plan", work / "merged.xlsx", "--out", work / "o2"), 1, "merged.xlsx sheet units", "merged cells D2:D3")
    assert snapshot(work) == before


def test_a_workbook_whose_sheet_will_not_inflate_is_bad_input(run, tmp_path):
    """A sheet whose compressed bytes are damaged (zlib cannot inflate them) is a damaged workbook, exit 1, not a crash."""
    import struct
    import zipfile

    assert run("convert", EXAMPLE, "--to", tmp_path / "w.xlsx").exit_code == 0
    raw = bytearray((tmp_path / "w.xlsx").read_bytes())
    with zipfile.ZipFile(tmp_path / "w.xlsx") as zf:
        info = next(i for i in zf.infolist() if i.filename.startswith("xl/worksheets/") and i.compress_size > 200)
    name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    for j in range(start + 20, start + info.compress_size - 8, 3):  # garble the deflate stream, keep the zip's directory
        raw[j] ^= 0xA5
    (tmp_path / "bad.xlsx").write_bytes(bytes(raw))
    res = run("validate", tmp_path / "bad.xlsx")
    assert res.exit_code == 1, res.output
    assert "bad.xlsx" in res.output and "decompressing" in res.output


def test_silent_misreads_ids_na_null_none_nan_stay_ids_everywhere(run, tmp_path):
    """Ids that pandas would read as missing survive plan, export, compare, score and plan --performance."""
    import re

    import openpyxl

    scoring = EXAMPLE.parent / "scoring"
    rename = {"A": "NA", "B": "null", "X": "nan"}
    text = (scoring / "scenario.yaml").read_text(encoding="utf-8")
    for old, new in rename.items():
        text = re.sub(rf"^  {old}: ", f"  '{new}': ", text, flags=re.M)
        text = text.replace(f"units: {old},", f"units: '{new}',")
    text = text.replace("departments: X}", "departments: nan}")
    sc = tmp_path / "sc"
    sc.mkdir()
    (sc / "scenario.yaml").write_text(text, encoding="utf-8")
    for name in ("actuals", "spending", "targets", "planned"):
        lines = (scoring / f"{name}.csv").read_text(encoding="utf-8").splitlines()
        body = [rename.get(line.split(",")[0], line.split(",")[0]) + line[line.index(",") :] for line in lines[1:]]
        (sc / f"{name}.csv").write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    before = snapshot(sc)
    assert run("plan", sc / "scenario.yaml", "--out", tmp_path / "p1").exit_code == 0
    assert run("plan", sc / "scenario.yaml", "--set", "budget.increment.2021=0", "--out", tmp_path / "p2").exit_code == 0
    res = run("compare", tmp_path / "p1", tmp_path / "p2", "--out", tmp_path / "c")
    assert res.exit_code == 0, res.output
    compared = (tmp_path / "c" / "compare.csv").read_text(encoding="utf-8-sig")
    assert "unit,NA," in compared and "unit,nan," in compared
    assert run("export", tmp_path / "p1", "--xlsx", tmp_path / "p1.xlsx").exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "p1.xlsx")["allocation"]
    id_col = [c.value for c in sheet[1]].index("Unit id")  # the export shows names beside ids
    units = {r[id_col] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert units == {"NA", "null", "nan"}
    args = ["--actuals", sc / "actuals.csv", "--spending", sc / "spending.csv", "--targets", sc / "targets.csv"]
    res = run("score", sc / "scenario.yaml", *args, "--planned", sc / "planned.csv", "--out", tmp_path / "s")
    assert res.exit_code == 0, res.output
    floors = (tmp_path / "s" / "next_floors.csv").read_text(encoding="utf-8-sig")
    assert {line.split(",")[0] for line in floors.splitlines()[1:]} == {"NA", "null", "nan"}
    res = run("plan", sc / "scenario.yaml", "--performance", tmp_path / "s", "--out", tmp_path / "p3")
    assert res.exit_code == 0, res.output
    manifest = json.loads((tmp_path / "p3" / "manifest.json").read_text(encoding="utf-8"))
    grades = {o["path"]: o["new"] for o in manifest["overrides"] if o["path"].endswith(".grade")}
    assert set(grades) == {"units.NA.grade", "units.null.grade", "units.nan.grade"}  # graded as scored, none blank
    assert snapshot(sc) == before


def _edit_amount(path: Path, change) -> None:
    """Change the amount cell of the first row of a run's allocation.csv, as a person editing it would."""
    import csv

    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    col = rows[0].index("amount")
    rows[1][col] = change(rows[1][col])
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_silent_misreads_damaged_run_folders_are_refused(run, work):
    import shutil

    cases = {
        "cut": lambda r: (r / "allocation.csv").write_bytes((r / "allocation.csv").read_bytes()[:-20]),
        "text_amount": lambda r: _edit_amount(r / "allocation.csv", lambda v: "fifty"),
        "edited_amount": lambda r: _edit_amount(r / "allocation.csv", lambda v: str(float(v) + 1)),
        "lines_dropped": lambda r: (r / "allocation.csv").write_text(
            "\n".join((r / "allocation.csv").read_text(encoding="utf-8-sig").splitlines()[:-1]) + "\n", encoding="utf-8-sig"
        ),
        "manifest_list": lambda r: (r / "manifest.json").write_text("[1, 2]", encoding="utf-8"),
        "extra_csv": lambda r: (r / "extra.csv").write_text("", encoding="utf-8"),
    }
    where = {"manifest_list": "manifest.json", "extra_csv": "extra.csv"}
    for name, damage in cases.items():
        damage(Path(shutil.copytree(work / "RUN", work / name)))
    before = snapshot(work)
    for name in cases:
        file = where.get(name, "allocation.csv")
        for args in (["report", work / name], ["export", work / name, "--xlsx", work / f"{name}.xlsx"]):
            expect(run(*args), 1, f"{name}/{file}", "damaged run folder")
        expect(run("compare", work / name, work / "RUN", "--out", work / f"c-{name}"), 1, "damaged run folder")
    assert snapshot(work) == before


# ---------------------------------------------------------------------------------------------
# resource bombs (time and memory of each refusal: benchmarks/bomb_bench.py)
# ---------------------------------------------------------------------------------------------


def test_resource_bombs_are_refused_with_a_limit_named(run, work):
    import hostile_inputs as h

    assert run("convert", work / "S", "--to", work / "w.xlsx").exit_code == 0
    h.yaml_alias_bomb(work / "S", work / "alias")
    h.override_bomb(work / "bomb.yaml")
    h.far_cell_workbook(work / "w.xlsx", work / "far.xlsx")
    h.zip_bomb_workbook(work / "w.xlsx", work / "zip.xlsx", megabytes=100)
    long_text = _copy_scenario(work, "long")
    (long_text / "scenario.yaml").write_text(
        (long_text / "scenario.yaml").read_text(encoding="utf-8") + "description: " + "x" * 20_000 + "\n", encoding="utf-8"
    )
    before = snapshot(work)
    cases = [
        (["plan", work / "alias", "--out", work / "o"], ["scenario.yaml", "expands to more than 200,000 values"]),
        (["plan", work / "S", "--override", work / "bomb.yaml", "--out", work / "o"], ["bomb.yaml", "expands to more than 200,000"]),
        (["plan", work / "far.xlsx", "--out", work / "o"], ["far.xlsx sheet units", "cell XFD1048576", "beyond the limit"]),
        (["plan", work / "zip.xlsx", "--out", work / "o"], ["zip.xlsx", "sheet5.xml expands", "limit 200"]),
        (["plan", work / "long", "--out", work / "o"], ["scenario.yaml line", "20,000 characters; the limit is 10,000"]),
        (["whatif", "sweep", work / "S", "--increment", "0:1:1e-9", "--out", work / "o"], ["--increment 0:1:1e-9", "1,000,000,000 levels"]),
        (
            ["whatif", "sweep", work / "S", "--param", "budget.increment.2021=1,nan", "--out", work / "o"],
            ["--param", "nan is not a finite"],
        ),
        (["whatif", "risk", work / "S", "--draws", "1000000000", "--out", work / "o"], ["--draws 1000000000", "100,000"]),
    ]
    for args, names in cases:
        expect(run(*args), 1, *names)
    assert not (work / "o").exists()
    assert snapshot(work) == before


def test_sweep_limits_apply_to_budget_factors_not_to_any_path():
    from allocator.errors import OverrideError
    from allocator.sweep import parse_range

    assert parse_range("2021:2025:1", "--param", budget=False) == [2021, 2022, 2023, 2024, 2025]  # years are not factors
    with pytest.raises(OverrideError, match="beyond the limit of 1000"):
        parse_range("1,2000", "--increment")
    with pytest.raises(OverrideError, match="1,001 levels"):
        parse_range("0:1000:1", "--param", budget=False)


# ---------------------------------------------------------------------------------------------
# hostile content
# ---------------------------------------------------------------------------------------------

HOSTILE_NAMES = {
    "units.csv": ('=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0"),
    "initiatives.csv": ("@SUM(1+1)", "-2+3"),
}
ESCAPES = "\x1b]0;pwned\x07\x1b[31mRED\x1b[0m\x1b[2J"


def test_hostile_content_is_neutralized_in_csv_and_stripped_on_the_console(run, work):
    import csv

    folder = _copy_scenario(work, "hostile")
    for file, (zh, en) in HOSTILE_NAMES.items():
        rows = list(csv.DictReader((folder / file).read_text(encoding="utf-8-sig").splitlines()))
        rows[0]["name_zh"], rows[0]["name_en"] = zh, en
        rows[1]["name_en"] = "College" + ESCAPES
        with open(folder / file, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    before = snapshot(work)
    res = run("plan", folder, "--out", work / "out")
    expect(res, 0)
    assert "\x1b" not in res.output and "\x07" not in res.output and "CollegeREDnot" not in res.output
    cells = [c for line in csv.reader((work / "out" / "allocation.csv").read_text(encoding="utf-8-sig").splitlines()) for c in line]
    assert not [c for c in cells if c[:1] in "=+@" or (c.startswith("-") and not c[1:2].isdigit())]
    assert "'+cmd|' /C calc'!A0" in cells and "'-2+3" in cells  # the scenario is in English: name_en is shown
    assert snapshot(work, skip=(work / "out",)) == before

    # an error message that carries a name prints no escape sequence either
    bad = _copy_scenario(work, "bad")
    (bad / "budget.csv").write_text("year,stock,increment\n2021,0,100" + ESCAPES + "\n", encoding="utf-8")
    res = run("plan", bad, "--out", work / "out2")
    expect(res, 1, "budget.csv")
    assert "\x1b" not in res.output and "\x07" not in res.output


def test_hostile_content_tables_outside_the_scenario_folder_are_refused_unread(run, work, monkeypatch):
    (work / "secret.csv").write_text("SECRET-FIRST-LINE,x\n1,2\n", encoding="utf-8")
    cases = {"etc": "/etc/passwd", "parent": "../secret.csv", "absolute": str(work / "secret.csv")}
    for name, target in cases.items():
        folder = _copy_scenario(work, name)
        text = (folder / "scenario.yaml").read_text(encoding="utf-8")
        (folder / "scenario.yaml").write_text(text + f"tables:\n  budget: {target}\n", encoding="utf-8")
    link = _copy_scenario(work, "link")
    (link / "budget.csv").unlink()
    os.symlink(work / "secret.csv", link / "budget.csv")
    before = snapshot(work)
    for name, target in {**cases, "link": "budget.csv"}.items():
        res = run("plan", work / name, "--out", work / "o")
        expect(res, 1, "scenario.yaml", "table budget", target, "outside the scenario folder")
        assert "SECRET" not in res.output and "root:" not in res.output
    # an explicit root allows more
    monkeypatch.setenv("ALLOCATOR_TABLE_ROOT", str(work))
    expect(run("plan", work / "parent", "--out", work / "o"), 1, "secret.csv row 1", "unknown column(s) SECRET-FIRST-LINE")
    assert snapshot(work) == before


# ---------------------------------------------------------------------------------------------
# bad values and options
# ---------------------------------------------------------------------------------------------


def test_bad_values_and_options_are_refused_with_the_limit(run, work):
    import shutil

    scoring = EXAMPLE.parent / "scoring"
    shutil.copytree(scoring, work / "sc")
    actuals = work / "sc" / "actuals.csv"
    actuals.write_text(actuals.read_text(encoding="utf-8").replace("A,students,2021,12", "A,students,2021,1e308"), encoding="utf-8")
    assert "1e308" in actuals.read_text(encoding="utf-8")
    S = work / "S"
    before = snapshot(work)
    score_args = ["--spending", work / "sc" / "spending.csv", "--targets", work / "sc" / "targets.csv"]
    score_args += ["--planned", work / "sc" / "planned.csv", "--out", work / "o"]
    cases = [
        (
            ["whatif", "sweep", S, "--increment", "0.5,nan", "--out", work / "o"],
            ["--increment 0.5,nan", "level nan is not a finite number"],
        ),
        (["whatif", "sweep", S, "--total", "1:1e9:1", "--out", work / "o"], ["--total 1:1e9:1", "levels"]),
        (
            ["plan", S, "--set", "budget.increment.2021=1e308", "--out", work / "o"],
            ["budget.increment.2021", "beyond the limit of 1,000,000,000"],
        ),
        (["plan", S, "--set", "initiatives.send_students.unit_cost=.inf", "--out", work / "o"], ["unit_cost", "finite"]),
        (
            ["plan", S, "--set", "policy.scoring.thresholds.A=50", "--out", work / "o"],
            ["policy.scoring", "thresholds must fall from A"],
        ),
        (
            [
                "validate",
                S,
                *(f"--set=policy.scoring.weights.{w}=0" for w in ("completion", "execution", "unit_cost", "timeliness", "dea")),
            ],
            ["policy.scoring", "weights must not all be zero"],
        ),
        (
            ["score", work / "sc" / "scenario.yaml", "--actuals", actuals, *score_args],
            ["actuals.csv row 2, column value", "beyond the limit"],
        ),
    ]
    for args, names in cases:
        expect(run(*args), 1, *names)
    assert not (work / "o").exists()
    assert snapshot(work) == before


def test_a_bad_number_for_an_option_is_a_usage_error_naming_the_option(run, work):
    # -1 used to be a usage error (2) and nan or inf bad input (1): click's range lets nan through and takes inf
    S, goals = work / "S", EXAMPLE.parent / "goal_tables"
    seconds = "expected a positive number of seconds"
    goal_args = ["goals", goals / "production_goals.csv", "--terms", goals / "production_terms.csv"]
    before = snapshot(work)
    for value in ("-1", "0", "nan", "inf", "-inf", "1e9", "soon"):
        expect(run("plan", S, "--time-limit", value, "--out", work / "o"), 2, "'--time-limit'", f"'{value}'", seconds)
        expect(run(*goal_args, "--time-limit", value), 2, "'--time-limit'", seconds)
        expect(run("whatif", "clear", S, "--all-missing", "--time-limit", value, "--out", work / "o"), 2, "'--time-limit'", seconds)
        expect(run("whatif", "risk", S, "--time-limit", value, "--out", work / "o"), 2, "'--time-limit'", seconds)
    for value in ("-0.1", "nan", "inf", "11"):
        expect(run("whatif", "risk", S, "--yield-cv", value, "--out", work / "o"), 2, "'--yield-cv'", "from 0 to 10")
    for value in ("-0.1", "nan", "1", "inf"):
        expect(run("whatif", "sweep", S, "--increment", "1", "--gap", value, "--out", work / "o"), 2, "'--gap'", "below 1")
    assert not (work / "o").exists()
    assert snapshot(work) == before


# ---------------------------------------------------------------------------------------------
# errors a person can act on
# ---------------------------------------------------------------------------------------------


def test_environment_errors_are_exit_1_naming_the_path_before_solving(run, work, monkeypatch):
    import allocator.pipeline.plans as pipeline

    def never(*a, **k):
        raise AssertionError("solved although the output could not be written")

    monkeypatch.setattr(pipeline, "plan", never)  # a solve would exit 70, which the conftest guard fails
    before = snapshot(work)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **k: False if str(p) == str(work / "ro") else real_access(p, mode, **k))
    (work / "ro").mkdir()
    before = snapshot(work)
    expect(run("plan", work / "S", "--out", work / "ro" / "run"), 1, str(work / "ro"), "permission denied or a read-only disk")
    expect(run("plan", work / "S", "--out", work / "existing.txt" / "run"), 1, "existing.txt is a file, not a folder")
    monkeypatch.chdir(work / "sibling")
    expect(run("plan", work / "S", "--out", "."), 1, ".: is the working folder")
    monkeypatch.undo()
    real_replace = os.replace

    def read_only(src, dst, *a, **k):
        if str(dst).endswith("report.html"):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", read_only)
    expect(run("report", work / "RUN"), 1, "report.html", "the disk is read-only", "nothing was written")
    assert snapshot(work) == before


def _write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> None:
    (folder / name).write_bytes(text.encode(encoding))


def test_errors_name_the_root_cause_and_the_right_place(run, work, bundled, caplog):
    import shutil

    misspelled = Path(shutil.copytree(bundled, work / "misspelled"))
    text = (misspelled / "initiatives.csv").read_text(encoding="utf-8-sig")
    _write(misspelled, "initiatives.csv", text.replace("key,", "kye,", 1))
    extra_col = Path(shutil.copytree(bundled, work / "extra_col"))
    lines = (extra_col / "units.csv").read_text(encoding="utf-8-sig").splitlines()
    _write(extra_col, "units.csv", "\n".join([lines[0] + ",extra"] + [line + ",x" for line in lines[1:]]) + "\n")
    notes = _copy_scenario(work, "notes")
    lines = (notes / "units.csv").read_text(encoding="utf-8-sig").splitlines()
    _write(notes, "units.csv", "\n".join([lines[0] + ",备注,_mine"] + [line + ",见说明,x" for line in lines[1:]]) + "\n")
    cases = {
        "year": ("budget.csv", "year,stock,increment\n20x1,0,100\n", ["budget.csv row 2, column year", "year '20x1' is not a number"]),
        "fullwidth_year": ("budget.csv", "year,stock,increment\n２０２１,0,100\n", ["budget.csv row 2, column year", "type it as 2021"]),
        "segments": (
            "segments.csv",
            "initiative,width,efficiency\nsend_students,,1\nsend_students,5,0.5\n",
            ["segments.csv row 2", "segment 1"],
        ),
        "empty": ("units.csv", "key,name_zh,name_en,type,top_peak,full_time_faculty,grade,note\n", ["units.csv: table units has no rows"]),
        "bad_id": (
            "units.csv",
            "key,name_zh,type\n1a,甲,college\nB,乙,college\n",
            ["units.csv row 2, column key", "'1a' is not an id: an id starts"],
        ),
        "percent": ("budget.csv", "year,stock,increment\n2021,5%,100\n", ["budget.csv row 2, column stock", "write 5% as 0.05"]),
        "thousands": ("budget.csv", 'year,stock,increment\n2021,0,"1,230"\n', ["column increment", "write 1230, without the thousands"]),
        "fullwidth": ("budget.csv", "year,stock,increment\n2021,０,１００\n", ["column stock", "type the digits as 0 (half-width"]),
        "yes_no": (
            "units.csv",
            "key,name_zh,type,top_peak\nA,甲,college,是\nB,乙,college,否\n",
            ["units.csv row 2, column top_peak", "write true for 是"],
        ),
    }
    for name, (file, content, _) in cases.items():
        _write(_copy_scenario(work, name), file, content)
    big5 = _copy_scenario(work, "big5")
    _write(big5, "units.csv", "key,name_zh,name_en,type\nA,甲學院,College A,college\nB,乙學院,College B,college\n", "big5")
    gbk = _copy_scenario(work, "gbk")
    _write(gbk, "units.csv", "key,name_zh,name_en,type\nA,计算机学院,College A,college\nB,外国语学院,College B,college\n", "gb18030")
    (work / "locked.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    before = snapshot(work)

    res = run("validate", misspelled)
    expect(res, 1, "initiatives.csv row 1: missing required column(s) key (is kye a misspelling?)", "row(s) refer to initiatives")
    # one line per table that refers to initiatives (now also lines, commitments and execution); was 219 cascading lines
    assert res.output.count("\n  - ") <= 9 and "unknown initiative" not in res.output
    res = run("validate", extra_col)
    expect(res, 1, "units.csv row 1: unknown column(s) extra")
    assert res.output.count("\n  - ") == 1 and "unknown unit" not in res.output
    expect(run("validate", notes), 0, "ok:")
    for name, (_, _, names) in cases.items():
        expect(run("validate", work / name), 1, *names)
    expect(run("show-scenario", big5, "--format", "json"), 0, "甲學院")
    assert "units.csv is not UTF-8; read it as Big5" in caplog.text
    expect(run("show-scenario", gbk, "--format", "json"), 0, "计算机学院")
    assert "units.csv is not UTF-8; read it as GB18030" in caplog.text
    expect(run("validate", work / "locked.xlsx"), 1, "locked.xlsx: an encrypted (password-protected) workbook")
    assert snapshot(work) == before
