"""Recent result pages of one served build, keyed by request.

Readers repeat queries (a story everyone searches for, the next page and back,
the same link shared), and a page costs milliseconds of ranking and snippets
where a cached one costs a dictionary lookup. Each served build has its own
(``served.ServedBuild``), so a new build never serves an old page, and the
old build's pages go with it.
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
    """A thread-safe least-recently-used map; ``lock``: the owner's, if it has one."""

    def __init__(self, size: int = RESULT_CACHE_SIZE, lock: threading.RLock | None = None) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = lock or threading.RLock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            try:
                found = self._items[key]
            except (KeyError, TypeError):  # TypeError: an unhashable request
                return None
            self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> None:
        if self.size <= 0:
            return
        with self._lock:
            try:
                self._items[key] = value
            except TypeError:
                return
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
