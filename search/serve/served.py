"""One served build and everything computed from it, shared by every thread.

A build never changes once published, so whatever is derived from it (the
ranking statistics, the pagers' columns, the spelling vocabulary, recent
result pages) is computed once, by the first thread that needs it, and kept
here until the build is replaced: then this object and all of it go at once.
One lock guards it all. (Per-segment caches, ``store.termindex`` and
``whoosh_page.column``, are keyed by segment instead: a segment outlives a
build when an update hard-links it into the next one.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from whoosh.searching import Searcher

from ..model import SearchResults
from ..store.generations import Generation
from . import array_page, spelling, statistics
from .bm25 import weighting
from .cache import RESULT_CACHE_SIZE, ResultCache

T = TypeVar("T")


class ServedBuild:
    """An opened build (``store.generations.Generation``) and what is computed from it."""

    def __init__(self, generation: Generation, result_cache: int = RESULT_CACHE_SIZE) -> None:
        self.generation = generation
        self._lock = threading.RLock()
        self._computed: dict[Hashable, Any] = {}
        self.results: ResultCache[SearchResults] = ResultCache(result_cache, self._lock)

    @property
    def name(self) -> str:
        return self.generation.name

    @property
    def path(self) -> Path:
        return self.generation.path

    def searcher(self) -> Searcher:
        """A new searcher of this build (one per thread), whose ranking reads
        this build's shared statistics."""
        searcher = self.generation.ix.searcher(weighting=weighting())
        statistics.share_through(searcher, self.statistics)
        return searcher

    def computed(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value under ``key``, made by the first thread to ask."""
        found = self._computed.get(key)
        if found is None:
            with self._lock:
                found = self._computed.get(key)
                if found is None:
                    found = self._computed[key] = make()
        return found

    def statistics(self, searcher: Searcher, fields: tuple[str, ...]) -> statistics.Collection:
        return self.computed(
            ("statistics", fields), lambda: statistics.Collection(searcher, fields)
        )

    def columns(self, searcher: Searcher) -> array_page.Columns:
        return self.computed("columns", lambda: array_page.build_columns(searcher))

    def vocabulary(self, searcher: Searcher) -> spelling.Vocabulary:
        return self.computed("vocabulary", lambda: spelling.vocabulary(searcher, self.path))
