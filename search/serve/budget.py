"""A request's time budget: a deadline every costly step checks, so that one
hostile query returns partial results with a flag instead of holding a worker.

The steps whose cost depends on what was typed check it: Whoosh's matching
(wrapped by ``Bounded``: a matcher that stops matching once the deadline has
passed, so the collector finishes with what it has), the extra facet
searches, and did-you-mean (which corrects no more words once it has passed).
Array scoring, snippets and the page are bounded by construction (at most
``MAX_EXPANSIONS`` words per wildcard, ``MAX_QUERY_WORDS`` words, one page of
snippets), so they do not check.

A server may also stop a search before its deadline: a search started inside
``preemptible(flag)`` treats ``flag`` being set as its deadline passing. The
web server's scheduler (web/fairness.py) sets it for a client that has used
far more than its share of the workers while another client waits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from whoosh.matching import Matcher, NullMatcher, WrappingMatcher
from whoosh.query import Query, WrappingQuery

# How long one search may work before it answers with what it has. At 100k
# articles a search takes ~7 ms at the median and ~100 ms at p99, the slowest
# being phrases of common words (bench/speed.py): 1 s is ten times that p99,
# room for a slower machine, while a hostile query holds a worker for at
# most about a second (bench/hostile.py).
DEFAULT_DEADLINE_S = 1.0
# Matches stepped between two looks at the clock: a clock read costs about as
# much as a few matcher steps, and 256 steps take well under a millisecond.
CHECK_EVERY = 256

# The signal to stop early of the request this thread is serving, if any.
_STOP: ContextVar[threading.Event | None] = ContextVar("newsearch_stop", default=None)


@contextmanager
def preemptible(stop: threading.Event) -> Iterator[None]:
    """Searches started inside stop early (as at their deadline) once ``stop`` is set."""
    token = _STOP.set(stop)
    try:
        yield
    finally:
        _STOP.reset(token)


class Budget:
    """A deadline (``seconds`` from now; None: no limit) and whether some step
    stopped early because it had passed."""

    def __init__(self, seconds: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.deadline = None if seconds is None else clock() + seconds
        self.stop = _STOP.get()
        self.exceeded = False

    def expired(self) -> bool:
        """True once the deadline has passed or the server asked this search
        to stop (and remembers that work was cut)."""
        if (self.deadline is not None and self.clock() >= self.deadline) or (
            self.stop is not None and self.stop.is_set()
        ):
            self.exceeded = True
        return self.exceeded


class Bounded(WrappingQuery):
    """``query`` matched only until the budget runs out."""

    def __init__(self, child: Query, budget: Budget) -> None:
        super().__init__(child)
        self.budget = budget

    def _rewrap(self, child: Query) -> Bounded:
        return Bounded(child, self.budget)

    def matcher(self, searcher, context=None) -> Matcher:
        if self.budget.expired():
            return NullMatcher()
        return DeadlineMatcher(self.child.matcher(searcher, context), self.budget)


class DeadlineMatcher(WrappingMatcher):
    """Inactive once the budget has run out, checked every CHECK_EVERY steps."""

    def __init__(self, child: Matcher, budget: Budget, steps: int = 0) -> None:
        super().__init__(child)
        self.budget = budget
        self._steps = steps

    def _replacement(self, newchild: Matcher) -> DeadlineMatcher:
        return DeadlineMatcher(newchild, self.budget, self._steps)

    def copy(self) -> DeadlineMatcher:
        return DeadlineMatcher(self.child.copy(), self.budget, self._steps)

    def _tick(self) -> None:
        self._steps += 1
        if self._steps % CHECK_EVERY == 0:
            self.budget.expired()

    def is_active(self) -> bool:
        return not self.budget.exceeded and self.child.is_active()

    def next(self):
        self._tick()
        return self.child.next()

    def skip_to(self, id: int):
        self._tick()
        return self.child.skip_to(id)

    def skip_to_quality(self, minquality: float) -> int:
        self._tick()
        return self.child.skip_to_quality(minquality)

    def all_ids(self) -> Iterator[int]:
        for i, docnum in enumerate(self.child.all_ids()):
            if i % CHECK_EVERY == 0 and self.budget.expired():
                return
            yield docnum
