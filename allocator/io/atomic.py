"""Atomic outputs: a folder or file appears whole, with normal permissions, in one rename, or not at all.

While it is written an output lives in a hidden sibling ``.NAME.XXXX.partial`` under an advisory lock
(where the platform has one); partials left by a killed run (older than this process and not locked) are
removed by the next output written beside them. What ``--force`` may replace is decided in
:mod:`allocator.io.outputs`, before any work and again just before the rename.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import RunFolderError
from .outputs import RUN, check_output, replace_refusal, write_error

try:  # advisory locks mark a partial output as in use; without them, age alone decides
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

PARTIAL = ".partial"
STALE_WITHOUT_LOCKS = 24 * 3600.0
"""Where advisory locks are unavailable, a partial output counts as abandoned after a day."""
_STARTED = time.time()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _publish_mode(path: Path, directory: bool) -> None:
    """Give a finished output the permissions a plain open() or mkdir() would (temp files are private)."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


def ensure_new(
    path: str | Path, *, force: bool = False, kind: str = RUN, inputs: Iterable[str | Path] = (), replace_own: bool = False
) -> Path:
    """Refuse an output path before any work is done (see :func:`allocator.io.outputs.check_output`); clean stale partials."""
    target = check_output(path, force=force, kind=kind, inputs=inputs, replace_own=replace_own)
    clean_stale_partials(target)
    return target


def _lock(fd: int) -> bool:
    """Take an exclusive advisory lock without waiting; False when another process holds it."""
    if fcntl is None:  # pragma: no cover - Windows
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _hold(path: Path) -> int | None:
    """Open and lock ``path`` (a file or folder) while this process works on it; None where locks do not exist."""
    if fcntl is None:  # pragma: no cover - Windows cannot open a folder; age alone marks a partial as abandoned
        return None
    fd = os.open(path, os.O_RDONLY)
    if not _lock(fd):
        os.close(fd)
        raise BlockingIOError(f"{path} is in use")
    return fd


def _release(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def clean_stale_partials(target: Path) -> list[Path]:
    """Remove ``.NAME.*.partial`` siblings of ``target`` that a killed run left: older than this process, not locked."""
    parent = Path(os.path.abspath(target)).parent
    prefix = f".{target.name}."
    removed = []
    try:
        entries = [e for e in os.listdir(parent) if e.startswith(prefix) and e.endswith(PARTIAL)]
    except OSError:
        return removed
    for entry in entries:
        p = parent / entry
        try:
            st = p.lstat()
            if p.is_symlink() or st.st_mtime >= _STARTED:
                continue
            if fcntl is None and st.st_mtime > time.time() - STALE_WITHOUT_LOCKS:  # pragma: no cover - Windows
                continue
            fd = _hold(p)  # fails while another run is writing it
        except OSError:
            continue
        try:
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink()
            removed.append(p)
            logger.info("removed %s, left behind by an earlier run that was stopped", p)
        except OSError:
            pass
        finally:
            _release(fd)
    return removed


def _keep_aside(tmp: Path, target: Path) -> Path | None:
    """Move a finished output that cannot go to ``target`` to a free visible sibling name; None if none could be made."""
    for n in range(2, 1000):
        candidate = target.with_name(f"{target.name}-{n}")
        if os.path.lexists(candidate):
            continue
        try:
            os.rename(tmp, candidate)
        except OSError:
            return None
        return candidate
    return None


def _publish_dir(tmp: Path, target: Path, force: bool, kind: str) -> None:
    """Rename the finished folder into place; replace an earlier output only if it may be (checked again now)."""
    if not os.path.lexists(target):
        os.rename(tmp, target)
        return
    problem = "it exists already" if not force else replace_refusal(target, kind)
    if problem is not None:
        kept = _keep_aside(tmp, target)
        where = f"this run was kept in {kept}" if kept is not None else "this run was not kept"
        raise RunFolderError(f"{target}: appeared while this run was writing and {problem.removeprefix('it ')}; {where}")
    old = target.with_name(f".{target.name}.{secrets.token_hex(4)}{PARTIAL}")
    fd = _hold(target)  # the replaced run stays locked (not stale) until it is removed
    try:
        os.rename(target, old)
        os.rename(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        _release(fd)


@contextlib.contextmanager
def atomic_dir(path: str | Path, *, force: bool = False, kind: str = RUN) -> Iterator[Path]:
    """Yield a temporary folder beside ``path``; on success it is renamed to ``path`` in one step."""
    target = ensure_new(path, force=force, kind=kind)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=PARTIAL, dir=target.parent))
    except OSError as exc:
        raise write_error(target, exc) from None
    fd = _hold(tmp)
    try:
        yield tmp
        _publish_mode(tmp, directory=True)
        for child in tmp.rglob("*"):
            _publish_mode(child, directory=child.is_dir())
        _publish_dir(tmp, target, force, kind)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise write_error(target, exc) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        _release(fd)


def atomic_write_bytes(path: str | Path, data: bytes, *, force: bool = False, kind: str = RUN, replace_own: bool = False) -> Path:
    """Write a file through a locked temporary sibling and an atomic rename."""
    target = ensure_new(path, force=force, kind=kind, replace_own=replace_own)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=PARTIAL, dir=target.parent)
    except OSError as exc:
        raise write_error(target, exc) from None
    held: int | None = fd
    try:
        _lock(fd)
        with os.fdopen(os.dup(fd), "wb") as fh:
            fh.write(data)
        _publish_mode(Path(tmp), directory=False)
        if os.path.lexists(target):  # checked again just before the rename: it may have appeared meanwhile
            problem = replace_refusal(target, kind) if (force or replace_own) else "it exists already"
            if problem is not None:
                raise RunFolderError(
                    f"{target}: appeared while this was being written and {problem.removeprefix('it ')}; nothing was written"
                )
        if fcntl is None:  # pragma: no cover - Windows renames no file that is open
            os.close(fd)
            held = None
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise write_error(target, exc) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    finally:
        _release(held)
    return target
