"""An optional per-client limit on the programmatic endpoints: a token bucket per address.

``RATE_LIMIT`` is requests per minute per remote address (0, the default,
turns it off). Each client may burst up to a minute's allowance, then gets one
more request every 60/RATE_LIMIT seconds; past that the answer is a 429 with
``Retry-After``. It covers what costs a search: ``/search``, ``/api/*`` and
``/suggest``; articles, the home page and static files are not limited. A
reader runs a few searches a minute, so a limit of 60 or more is never met by
one, while a script hammering ``/search`` (the page is a search too) is.
The address is ``request.remote_addr``: behind a proxy, set ``PROXIES``
(``NEWSEARCH_PROXIES``) so that it is the client's, not the proxy's. Under
``newsearch serve`` this limit is a second layer: the workers are shared
fairly among clients in any case (web/fairness.py).

Under ``newsearch serve`` the limit is applied before the app, where the
requests wait (web/dispatch.py), as nginx's ``limit_req`` with a burst does:
a request past the allowance waits, holding no worker, until its client's
next token (``TokenBucket.reserve``), and is refused at once only if that is
more than ``MAX_DELAY_S`` away. Answered at once, a client sending back to
back got thousands of 429s a minute, each a request the server parsed and
answered while readers waited for the interpreter lock (their p95 2.2x
alone, bench/hostile.py); made to wait, it sends about as many requests as
it is allowed. Elsewhere (``flask run``, another WSGI server) the app
answers 429 at once.

A request is charged by the time it took, not one token each: every
REQUEST_COST_S of work past the first costs one more token. A reader's
searches take a few tens of milliseconds and cost one token; a client sending
phrases of stop words that run to the deadline (serve/budget.py) pays for
each as for fifteen searches, so four such clients cannot keep every worker
busy while staying under the limit.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import TooManyRequests

from .errors import wants_json

EXTENSION = "newsearch.ratelimit"
# The WSGI environ key (no request header can produce it) by which the
# dispatcher says it has taken this request's token: its value is the client.
ADMITTED = "newsearch.admitted"
# Most clients remembered at once. Past this, clients whose bucket has
# refilled are forgotten (they lose nothing); then the longest idle half.
# 10,000 buckets are ~1 MB; a spray of addresses cannot grow memory further.
MAX_CLIENTS = 10_000
# Work one token pays for. A normal search at 100k articles takes ~7 ms (p99
# ~100 ms, bench/speed.py): 0.1 s keeps every reader at one token a search.
REQUEST_COST_S = 0.1


class TokenBucket:
    """Per-key buckets of ``per_minute`` tokens refilled continuously; thread-safe."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, updated)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Spend one token for ``key``: 0.0 when allowed, else seconds until one is free."""
        with self._lock:
            now = self.clock()
            tokens, updated = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - updated) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                if len(self._buckets) > MAX_CLIENTS:
                    self._forget(now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def reserve(self, key: str, max_wait_s: float) -> tuple[bool, float]:
        """Spend one token for ``key``, now or as soon as one is free, unless
        that is more than ``max_wait_s`` away (then nothing is spent): whether
        it was spent, and the seconds until it is free."""
        with self._lock:
            now = self.clock()
            tokens, updated = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - updated) * self.rate)
            wait = max(0.0, (1.0 - tokens) / self.rate)
            if wait > max_wait_s:
                self._buckets[key] = (tokens, now)
                return False, wait
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > MAX_CLIENTS:
                self._forget(now)
            return True, wait

    def charge(self, key: str, tokens: float) -> None:
        """Take ``tokens`` more from ``key``'s bucket for work already done (down
        to one minute's allowance below zero: however costly a client was, it
        waits at most about a minute before it may search again)."""
        with self._lock:
            now = self.clock()
            held, updated = self._buckets.get(key, (self.capacity, now))
            held = min(self.capacity, held + (now - updated) * self.rate)
            self._buckets[key] = (min(self.capacity, max(-self.capacity, held - tokens)), now)

    def _forget(self, now: float) -> None:
        full = [
            k
            for k, (tokens, updated) in self._buckets.items()
            if tokens + (now - updated) * self.rate >= self.capacity
        ]
        for k in full:
            del self._buckets[k]
        if len(self._buckets) > MAX_CLIENTS:
            by_age = sorted(self._buckets, key=lambda k: self._buckets[k][1])
            for k in by_age[: len(by_age) // 2]:
                del self._buckets[k]


def register(app: Flask) -> None:
    per_minute = int(app.config.get("RATE_LIMIT") or 0)
    if per_minute <= 0:
        return
    app.extensions[EXTENSION] = TokenBucket(per_minute)
    app.before_request(_limit)
    app.after_request(_charge)


def limiter(app: Flask) -> TokenBucket | None:
    """The app's buckets (None: no rate limit)."""
    return app.extensions.get(EXTENSION)


def limited(path: str) -> bool:
    """Whether requests for ``path`` spend tokens (those that cost a search)."""
    return wants_json(path) or path == "/search"


def _limit() -> None:
    if not limited(request.path):
        return
    g.ratelimit_started = time.monotonic()
    admitted = request.environ.get(ADMITTED)
    g.ratelimit_key = admitted if admitted is not None else request.remote_addr or ""
    if admitted is not None:  # the dispatcher has taken its token
        return
    bucket: TokenBucket = current_app.extensions[EXTENSION]
    wait = bucket.take(g.ratelimit_key)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise TooManyRequests(
            f"Too many requests from your address; try again in {seconds} s.",
            retry_after=seconds,
        )


def _charge(response: Response) -> Response:
    """Charge the client for the work past the first REQUEST_COST_S."""
    started = g.get("ratelimit_started")
    if started is not None:
        extra = (time.monotonic() - started) / REQUEST_COST_S - 1.0
        if extra > 0:
            bucket: TokenBucket = current_app.extensions[EXTENSION]
            bucket.charge(g.ratelimit_key, extra)
    return response
