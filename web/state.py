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
from search.serve.budget import DEFAULT_DEADLINE_S

EXTENSION = "newsearch"


class IndexHolder:
    """Opens the index at most once per process, whichever request thread gets there first."""

    def __init__(
        self, index_dir: str | Path, deadline_s: float | None = DEFAULT_DEADLINE_S
    ) -> None:
        self.index_dir = Path(index_dir)
        self.deadline_s = deadline_s
        self._index: Index | None = None
        self._lock = threading.Lock()
        self._logged_warning: str | None = None

    def get(self) -> Index:
        """The open index; IndexNotFound / IndexCorrupt while there is none to serve."""
        index = self._index
        if index is not None:
            return index
        with self._lock:
            if self._index is None:
                self._index = Index(self.index_dir, deadline_s=self.deadline_s)
            return self._index

    @property
    def warning(self) -> str | None:
        """Why the served build is not the newest (it is damaged), if it is not.
        Never opens the index: a page that did not need it has nothing to say."""
        index = self._index
        return index.warning if index is not None else None

    def note_warning(self, warning: str) -> bool:
        """True the first time this warning is seen, so that it is logged once."""
        with self._lock:
            if warning == self._logged_warning:
                return False
            self._logged_warning = warning
            return True

    def close(self) -> None:
        """Close the calling thread's searcher (other threads' close when they end)."""
        if self._index is not None:
            self._index.close()


def get_index() -> Index:
    holder: IndexHolder = current_app.extensions[EXTENSION]
    return holder.get()
