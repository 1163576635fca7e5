"""Walking a corpus folder safely: what to read, and reading it without surprises.

Symbolic links are never followed (a link can loop, or point out of the corpus
at files the operator never meant to publish). Every problem becomes a Skip
with a reason, so one bad file never stops a rebuild.
"""

from __future__ import annotations

import os
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
    """The file's bytes, or why they could not be had."""
    try:
        with open(file.abspath, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_BYTES:
                return Skip(SKIP_TOO_LARGE, f"{size} bytes, limit {MAX_BYTES}", file.path)
            return fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return Skip(SKIP_UNREADABLE, exc.strerror or type(exc).__name__, file.path)
