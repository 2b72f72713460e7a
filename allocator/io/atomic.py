"""Atomic outputs: a folder or file appears whole or not at all, and never replaces an earlier one unless forced."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import RunFolderError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _publish_mode(path: Path, directory: bool) -> None:
    """Give a finished output the permissions a plain open() or mkdir() would (temp files are private)."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


def ensure_new(path: str | Path, *, force: bool = False) -> Path:
    """Refuse an output path that exists already (unless forced), before any work is done."""
    p = Path(path)
    if p.exists() and not force:
        kind = "folder" if p.is_dir() else "file"
        raise RunFolderError(f"{p}: {kind} exists already; choose a new --out or pass --force to replace it")
    return p


@contextlib.contextmanager
def atomic_dir(path: str | Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder beside ``path``; on success it is renamed to ``path`` in one step."""
    target = ensure_new(path, force=force)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        yield tmp
        _publish_mode(tmp, directory=True)
        for child in tmp.rglob("*"):
            _publish_mode(child, directory=child.is_dir())
        if target.exists():
            if not force:  # appeared while we worked
                raise RunFolderError(f"{target}: appeared while writing; the run is kept in {tmp}")
            old = target.with_name(f".{target.name}.replaced")
            if old.exists():
                shutil.rmtree(old) if old.is_dir() else old.unlink()
            os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        else:
            os.replace(tmp, target)
    except BaseException:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        raise


def atomic_write_bytes(path: str | Path, data: bytes, *, force: bool = False) -> Path:
    """Write a file through a temporary sibling and an atomic rename."""
    target = ensure_new(path, force=force)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        _publish_mode(Path(tmp), directory=False)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target
