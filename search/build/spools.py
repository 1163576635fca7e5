"""Files a build keeps on disk while it runs: parsed pages and extracted articles.

Both wait for something only known once every document has been seen (the
outlet templates, the near-duplicate groups), and a corpus is too large to
hold in memory; both live in the temporary build folder and go with it.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..extract import Draft
from ..model import Article


class DraftSpool:
    """Parsed HTML pages (Drafts) waiting on disk, in the build folder, until the
    templates they need are learned: each page is parsed once per rebuild."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = open(path, "w+b")  # noqa: SIM115 - closed by close()
        self._offsets: dict[str, int] = {}

    def put(self, draft: Draft) -> None:
        self._file.seek(0, os.SEEK_END)
        self._offsets[draft.path] = self._file.tell()
        pickle.dump(draft, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def __contains__(self, path: str) -> bool:
        return path in self._offsets

    def get(self, path: str) -> Draft:
        """The page's draft, read back in this process."""
        self._file.seek(self._offsets[path])
        return pickle.load(self._file)

    def ref(self, path: str) -> DraftRef:
        """Where a worker process finds the page's draft (after ``flush``)."""
        return DraftRef(path, str(self.path), self._offsets[path])

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()
        reader = _open_spools.pop(str(self.path), None)  # this process's, if it finished pages
        if reader is not None:
            reader.close()
        self.path.unlink(missing_ok=True)


@dataclass(frozen=True)
class DraftRef:
    """A parsed page waiting in a DraftSpool's file: a worker process reads it
    there, so that pages are finished on every core, not only the writer's."""

    path: str
    spool: str
    offset: int


_open_spools: dict[str, BinaryIO] = {}


def load_draft(ref: DraftRef) -> Draft:
    """The draft ``ref`` points at (one open file per spool and process)."""
    fh = _open_spools.get(ref.spool)
    if fh is None:
        fh = _open_spools[ref.spool] = open(ref.spool, "rb")  # noqa: SIM115 - kept open
    fh.seek(ref.offset)
    return pickle.load(fh)


def read_articles(fh: BinaryIO) -> Iterator[Article]:
    """The articles pickled one after another into ``fh``."""
    while True:
        try:
            yield pickle.load(fh)
        except EOFError:
            return
