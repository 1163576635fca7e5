"""Walking a corpus folder safely: what to read, and reading it without surprises.

Symbolic links are never followed (a link can loop, or point out of the corpus
at files the operator never meant to publish). Every problem becomes a Skip
with a reason, so one bad file never stops a rebuild.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusNotFound
from ..extract import MAX_BYTES, kind_of
from ..model import SKIP_TOO_LARGE, SKIP_UNREADABLE, Skip


@dataclass(frozen=True)
class CorpusFile:
    path: str  # relative to the corpus root, "/"-separated
    abspath: Path


def walk(root: Path) -> Iterator[CorpusFile | Skip]:
    """Documents under ``root`` in a stable order; hidden entries and other
    file types are ignored, unreadable names and links reported."""
    if not root.is_dir():
        raise CorpusNotFound(
            f"corpus folder {str(root)!r} does not exist; pass --corpus DIR or set NEWSEARCH_CORPUS"
        )
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            rel = (Path(dirpath) / name).relative_to(root).as_posix()
            yield Skip(SKIP_UNREADABLE, "symbolic link to a folder, not followed", _printable(rel))
        for name in sorted(filenames):
            if name.startswith(".") or kind_of(name) is None:
                continue
            full = Path(dirpath) / name
            rel = full.relative_to(root).as_posix()
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:
                yield Skip(SKIP_UNREADABLE, "file name is not valid UTF-8", _printable(rel))
                continue
            if full.is_symlink():
                yield Skip(SKIP_UNREADABLE, "symbolic link, not followed", rel)
                continue
            if not full.is_file():  # a FIFO or device would block or never end
                yield Skip(SKIP_UNREADABLE, "not a regular file", rel)
                continue
            yield CorpusFile(rel, full)


def _printable(name: str) -> str:
    """A name with undecodable bytes shown as \\xNN, safe to print and store."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def read(file: CorpusFile) -> bytes | Skip:
    """The file's bytes, or why they could not be had.

    The walk's checks (no link, a regular file) may be stale by now: the file
    can have been swapped for a link out of the corpus or a FIFO since. So the
    file is opened again from the corpus root one folder at a time, none of
    them followed if it is a link (``O_NOFOLLOW``), without blocking on a FIFO
    (``O_NONBLOCK``); the opened descriptor must be a regular file, and at
    most MAX_BYTES + 1 bytes are read whatever its size says.
    """
    try:
        fd = _open_inside(_root_of(file), file.path.split("/"))
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
            return Skip(SKIP_UNREADABLE, "symbolic link, not followed", file.path)
        return Skip(SKIP_UNREADABLE, exc.strerror or type(exc).__name__, file.path)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            return Skip(SKIP_UNREADABLE, "not a regular file", file.path)
        if info.st_size > MAX_BYTES:
            return Skip(SKIP_TOO_LARGE, f"{info.st_size} bytes, limit {MAX_BYTES}", file.path)
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:  # it grew while being read
            return Skip(SKIP_TOO_LARGE, f"over {MAX_BYTES} bytes", file.path)
        return b"".join(chunks)
    except OSError as exc:
        return Skip(SKIP_UNREADABLE, exc.strerror or type(exc).__name__, file.path)
    finally:
        os.close(fd)


def _root_of(file: CorpusFile) -> Path:
    root = file.abspath
    for _ in file.path.split("/"):
        root = root.parent
    return root


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_FILE_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def _open_inside(root: Path, parts: list[str]) -> int:
    """A descriptor of ``root/parts...`` reached without following any link."""
    if os.open not in os.supports_dir_fd:  # no openat: check the name, then open it
        full = root.joinpath(*parts)
        if any(p.is_symlink() for p in [full, *full.parents][: len(parts)]):
            raise OSError(errno.ELOOP, "symbolic link")
        return os.open(full, _FILE_FLAGS)
    folder = os.open(root, os.O_RDONLY | _DIRECTORY)
    try:
        for part in parts[:-1]:
            inner = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=folder)
            os.close(folder)
            folder = inner
        return os.open(parts[-1], _FILE_FLAGS, dir_fd=folder)
    finally:
        os.close(folder)
