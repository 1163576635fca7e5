"""The app's one long-lived ``search.Index``, opened when first needed.

The index may not exist when the server starts (``newsearch rebuild`` still
running): each request then retries the cheap open, so the first request after
the build is published is served without a restart. Once open, the ``Index``
follows later builds by itself.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import current_app

from search import Index

EXTENSION = "newsearch"


class IndexHolder:
    """Opens the index at most once per process, whichever request thread gets there first."""

    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        self._index: Index | None = None
        self._lock = threading.Lock()

    def get(self) -> Index:
        """The open index; IndexNotFound / IndexCorrupt while there is none to serve."""
        index = self._index
        if index is not None:
            return index
        with self._lock:
            if self._index is None:
                self._index = Index(self.index_dir)
            return self._index

    def close(self) -> None:
        """Close the calling thread's searcher (other threads' close when they end)."""
        if self._index is not None:
            self._index.close()


def get_index() -> Index:
    holder: IndexHolder = current_app.extensions[EXTENSION]
    return holder.get()
