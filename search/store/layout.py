"""The on-disk layout of an index folder, and switching builds atomically.

    index/
      CURRENT             name of the served build (replaced with os.replace)
      builds/<gen>/       one complete Whoosh index + templates.json + manifest.json
      builds/.tmp-<gen>/  a build in progress (removed if the build dies)
      .lock               held by the one writer

Readers open the build CURRENT names and keep it open; a rebuild writes a new
build beside it and swaps the pointer, so readers are never disturbed and the
previous build stays for rollback.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from ..errors import IndexBusy, IndexNotFound

CURRENT = "CURRENT"
BUILDS = "builds"
LOCK = ".lock"
TMP_PREFIX = ".tmp-"
MANIFEST_FILE = "manifest.json"
# Sizes of every file of a finished build, checked when the build is opened, so
# a truncated or emptied file is caught before a reader trips over it.
SEAL_FILE = "files.json"
# Whoosh's lock file comes and goes; it is no part of the data.
_UNSEALED = {SEAL_FILE, "MAIN_WRITELOCK"}
# Builds kept: the served one and the one before it, for rollback.
KEEP_BUILDS = 2


def builds_dir(index_dir: Path) -> Path:
    return index_dir / BUILDS


def current_generation(index_dir: Path) -> str | None:
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return name or None


def current_build(index_dir: Path) -> Path:
    """The folder of the served build, or IndexNotFound with what to run."""
    gen = current_generation(index_dir)
    if gen is None or not (builds_dir(index_dir) / gen).is_dir():
        raise IndexNotFound(
            f"no index in {str(index_dir)!r}; build one with: newsearch rebuild --index {index_dir}"
        )
    return builds_dir(index_dir) / gen


def finished_builds(index_dir: Path) -> list[str]:
    """Names of complete builds, newest first."""
    root = builds_dir(index_dir)
    if not root.is_dir():
        return []
    names = [p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return sorted(names, reverse=True)


def seal(build: Path) -> None:
    """Record the size of every file in a finished build."""
    sizes = {
        p.name: p.stat().st_size
        for p in sorted(build.iterdir())
        if p.is_file() and p.name not in _UNSEALED
    }
    (build / SEAL_FILE).write_text(json.dumps(sizes, indent=1), encoding="utf-8")


def damage(build: Path) -> str | None:
    """What is wrong with a build's files, or None when they are as sealed."""
    try:
        sizes = json.loads((build / SEAL_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"{SEAL_FILE} is missing"
    except (OSError, ValueError) as exc:
        return f"{SEAL_FILE} is unreadable ({exc})"
    for name, size in sizes.items():
        try:
            actual = (build / name).stat().st_size
        except OSError:
            return f"{name} is missing"
        if actual != size:
            return f"{name} has {actual} bytes, {size} were written"
    return None


def new_generation() -> str:
    """Sortable, unique build name: UTC time to the microsecond plus the pid."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{os.getpid()}"


def fsync_tree(path: Path) -> None:
    """Flush every file and folder of a new build to disk before it is served."""
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(dirpath))


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(index_dir: Path, generation: str) -> None:
    """Point CURRENT at a finished build in one atomic rename."""
    tmp = index_dir / f"{CURRENT}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(generation + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / CURRENT)
    fsync_dir(index_dir)


def prune(index_dir: Path, keep: int = KEEP_BUILDS) -> None:
    """Remove leftovers of dead builds and builds older than the last ``keep``.

    Leftovers: unfinished builds (``.tmp-*``), and finished builds newer than
    the one CURRENT names - a build that failed or died while being switched
    to (after its folder got its final name, before CURRENT named it); it was
    never served, and left there it would push a served build out of ``keep``.
    """
    root = builds_dir(index_dir)
    if not root.is_dir():
        return
    current = current_generation(index_dir)
    finished = finished_builds(index_dir)
    unpublished = [g for g in finished if current is not None and g > current]
    published = [g for g in finished if g not in unpublished]
    old = [g for g in published[keep:] if g != current] + unpublished
    leftovers = [p.name for p in root.iterdir() if p.name.startswith(TMP_PREFIX)]
    for name in old + leftovers:
        shutil.rmtree(root / name, ignore_errors=True)
    for stray in index_dir.glob(f"{CURRENT}.*.tmp"):
        with contextlib.suppress(OSError):
            stray.unlink()


@contextlib.contextmanager
def writer_lock(index_dir: Path, timeout: float = 0.0) -> Iterator[None]:
    """Hold the single-writer lock; IndexBusy when another writer keeps it past ``timeout``.

    flock is released by the kernel when the holder dies, so a killed rebuild
    never leaves a stale lock behind.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        f"index {str(index_dir)!r} is busy: another rebuild or update is "
                        "running; wait for it to finish, or pass --wait SECONDS"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)
