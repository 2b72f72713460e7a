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
