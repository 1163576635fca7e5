"""Recent result pages, keyed by index build and request.

Readers repeat queries (a story everyone searches for, the next page and back,
the same link shared), and a page costs milliseconds of ranking and snippets
where a cached one costs a dictionary lookup. A key names the build it was
computed on, so a new build never serves an old page; when the served build
changes, the old build's pages are dropped at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

# Pages kept. A page of ten hits with snippets is about 10 KB, so 1,000 pages
# stay near 10 MB; the bench's 400-query log fits, a day's head queries too.
RESULT_CACHE_SIZE = 1_000

V = TypeVar("V")


class ResultCache(Generic[V]):
    """A thread-safe least-recently-used map for one build at a time."""

    def __init__(self, size: int = RESULT_CACHE_SIZE) -> None:
        self.size = size
        self._build: str | None = None
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, build: str, key: Hashable) -> V | None:
        with self._lock:
            if build != self._build:
                return None
            try:
                found = self._items[key]
            except (KeyError, TypeError):  # TypeError: an unhashable request
                return None
            self._items.move_to_end(key)
            return found

    def put(self, build: str, key: Hashable, value: V) -> None:
        if self.size <= 0:
            return
        with self._lock:
            if build != self._build:
                self._items.clear()
                self._build = build
            try:
                self._items[key] = value
            except TypeError:
                return
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
