"""Builders of hostile inputs (resource bombs), shared by tests/test_hostile.py and benchmarks/bomb_bench.py."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path


def yaml_alias_bomb(scenario: Path, out: Path) -> Path:
    """A copy of scenario folder ``scenario`` whose scenario.yaml adds a 9-level alias bomb (9**9 values) to its policy."""
    shutil.copytree(scenario, out)
    keys = "abcdefghi"
    lines = ["policy:", "  l0: &l0 {" + ", ".join(f"{k}: 1" for k in keys) + "}"]
    for level in range(1, 9):
        lines.append(f"  l{level}: &l{level} {{" + ", ".join(f"{k}: *l{level - 1}" for k in keys) + "}")
    text = (out / "scenario.yaml").read_text(encoding="utf-8")
    (out / "scenario.yaml").write_text(text.replace("policy:\n", "\n".join(lines) + "\n", 1), encoding="utf-8")
    return out


def override_bomb(path: Path) -> Path:
    """A ~300-byte --override file whose aliases expand to 9**9 values."""
    lines = ["a0: &a0 [1,1,1,1,1,1,1,1,1]"]
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * 9) + "]")
    lines.append("policy.milestone_weight: *a8")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def far_cell_workbook(workbook: Path, out: Path) -> Path:
    """A copy of a scenario workbook with one value at XFD1048576 (the last cell a sheet has) on the units sheet."""
    import openpyxl

    wb = openpyxl.load_workbook(workbook)
    wb["units"]["XFD1048576"] = 1
    wb.save(out)
    return out


def zip_bomb_workbook(workbook: Path, out: Path, megabytes: int = 1600) -> Path:
    """A copy of a scenario workbook whose units sheet is padded with ``megabytes`` MB of blanks (compresses ~1000:1)."""
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "xl/worksheets/sheet5.xml":
                dst.writestr(info, data)
                continue
            head, tail = data.split(b"<sheetData>", 1)
            part = zipfile.ZipInfo(info.filename)
            part.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(part, "w", force_zip64=True) as fh:
                fh.write(head + b"<sheetData>")
                chunk = b" " * 1_000_000
                for _ in range(megabytes):
                    fh.write(chunk)
                fh.write(tail)
    return out
