"""Output safety at the library level: atomic publishing, stale partials, what --force may replace."""

from __future__ import annotations

import fcntl
import os

import pytest

from allocator.errors import RunFolderError
from allocator.io.atomic import atomic_dir, atomic_write_bytes, clean_stale_partials
from allocator.io.outputs import REPORT, RUN, check_output, written_kind
from allocator.io.run_folder import write_run


def test_an_output_that_appears_while_writing_is_kept_aside_and_the_message_is_true(tmp_path):
    target = tmp_path / "run"
    with pytest.raises(RunFolderError) as info:
        with atomic_dir(target) as tmp:
            (tmp / "a.csv").write_text("x\n1\n", encoding="utf-8")
            target.mkdir()
            (target / "theirs.txt").write_text("someone else's", encoding="utf-8")
    message = str(info.value)
    assert "appeared while this run was writing" in message and f"kept in {tmp_path / 'run-2'}" in message
    assert (tmp_path / "run-2" / "a.csv").read_text(encoding="utf-8") == "x\n1\n"
    assert (target / "theirs.txt").read_text(encoding="utf-8") == "someone else's"
    assert not list(tmp_path.glob(".*partial"))


def test_a_locked_partial_is_in_use_and_kept(tmp_path):
    busy, stale = tmp_path / ".run.aaaa.partial", tmp_path / ".run.bbbb.partial"
    for p in (busy, stale):
        p.mkdir()
        os.utime(p, (1, 1))
    fd = os.open(busy, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert clean_stale_partials(tmp_path / "run") == [stale]
    finally:
        os.close(fd)
    assert busy.exists() and not stale.exists()
    other = tmp_path / ".other.cccc.partial"  # another output's partial is not ours to judge
    other.mkdir()
    os.utime(other, (1, 1))
    assert clean_stale_partials(tmp_path / "run") == [busy] and other.exists()


def test_markers_are_recognised(tmp_path):
    import pandas as pd

    write_run(tmp_path / "r", {"t": pd.DataFrame({"a": [1, 2]})}, {"kind": "plan"})
    assert written_kind(tmp_path / "r") == (RUN, "")
    page = tmp_path / "p.html"
    from allocator.report.html import document

    atomic_write_bytes(page, document(lang="en", title="t", subtitle="", sections=[], contents_label="c", footer="").encode(), kind=REPORT)
    assert written_kind(page) == (REPORT, "")
    (tmp_path / "x.html").write_text("<html></html>", encoding="utf-8")
    assert written_kind(tmp_path / "x.html")[0] is None
    os.symlink(tmp_path / "r", tmp_path / "link")
    with pytest.raises(RunFolderError, match="symbolic link"):
        check_output(tmp_path / "link", force=True)


def test_write_errors_name_the_output(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    with pytest.raises(RunFolderError, match=r"cannot write in .* \(permission denied or a read-only disk\)"):
        check_output(tmp_path / "new")


def test_formula_like_text_and_terminal_escapes():
    from allocator.io.safe_text import formula_like, neutralize, printable

    for text in ("=1+1", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "-cmd", "\t=1"):
        assert formula_like(text) and neutralize(text) == "'" + text
    for text in ("-", "-2", "-1.5e3", "NA", "学院", "a=b", ""):
        assert not formula_like(text) and neutralize(text) == text
    assert neutralize(3.0) == 3.0
    assert printable("a\x1b[31mred\x1b[0m\x1b]0;title\x07b\x07\r\u202ec") == "aredbc"
    assert printable("line 1\n\tline 2") == "line 1\n\tline 2"
