"""Waitress's worker threads handed out by web/fairness.py, not first come, first served.

Waitress parses requests in one thread and hands each to its task dispatcher,
whose worker threads run the app; its own dispatcher serves them in order of
arrival. ``FairDispatcher`` keeps them in web/fairness.py's per-client queues
instead, so the choice is made where the workers are: a request waiting its
turn holds no thread (nor a searcher: each worker keeps one). It runs each
request inside ``search.serve.budget.preemptible`` with its turn's stop event,
so a heavy client's search can be asked to stop for a lighter client's, and
inside ``offload.heavy`` with its turn's mark, so a heavy client's search is
answered by the search process instead of this one.

A request refused (its client's queue full, or waiting past the limit) still
needs an answer: a worker runs the app for it with ``REFUSED`` in the WSGI
environ (a key no request header can produce), and ``register``'s hook
answers 429 with ``Retry-After`` in the app's usual shapes (JSON under
``/api/``, the error page elsewhere) and headers.

With a rate limit (``RATE_LIMIT``), a request that costs a search takes its
client's token here, before it is queued (web/ratelimit.py): one past the
allowance waits in the queue, holding no worker, until the token is due, or
is refused at once if that is more than ``max_wait_s`` away. The app is told
with ``ratelimit.ADMITTED`` in the environ, and does not take another.

Who a client is: the connection's address, or with ``proxies`` > 0 (reverse
proxies in front, each appending to ``X-Forwarded-For``) the address that
many hops from the right of that header, as werkzeug's ProxyFix reads it. An
IPv6 address stands for its /64, the block one host is usually given.

This leans on waitress beyond its documented settings: ``create_server``'s
``_dispatcher`` argument and the attributes of ``ThreadedTaskDispatcher``
(``lock``, ``queue_cv``, ``stop_count``...), unchanged from waitress 1.x to
3.0; tests/test_web_fairness.py serves through a real waitress server, so a
change there fails the tests rather than the fairness silently.
"""

from __future__ import annotations

import ipaddress
import math
from collections import deque
from typing import Any

from flask import Flask, request
from waitress.task import ThreadedTaskDispatcher, WSGITask
from werkzeug.exceptions import TooManyRequests

from search.serve.budget import preemptible

from . import offload, ratelimit
from .fairness import FairQueue, QueueFull, Turn
from .ratelimit import TokenBucket

# The WSGI environ key that marks a refused request (its value: Retry-After seconds).
REFUSED = "newsearch.refused"
# The attributes of waitress's request object that carry them to the task.
_REFUSED_ATTR = "newsearch_refused"
_ADMITTED_ATTR = "newsearch_admitted"
# Prefix length an IPv6 client is known by.
IPV6_PREFIX = 64


def client_of(channel: Any, proxies: int = 0) -> str:
    """The client a waitress channel's next request comes from."""
    address = channel.addr[0] if isinstance(channel.addr, tuple) and channel.addr else ""
    if proxies > 0 and channel.requests:
        forwarded = channel.requests[0].headers.get("X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    return _block(str(address))


def _block(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


class FairDispatcher(ThreadedTaskDispatcher):
    """Waitress's dispatcher with FairQueue choosing the next task."""

    def __init__(
        self, fair: FairQueue, proxies: int = 0, limiter: TokenBucket | None = None
    ) -> None:
        super().__init__()
        self.fair = fair
        self.proxies = proxies
        self.limiter = limiter
        self.refusals: deque[tuple[Any, int]] = deque()

    def add_task(self, task: Any) -> None:
        # Called with the channel's own lock held: only reads the channel.
        try:
            client = client_of(task, self.proxies)
        except Exception:  # an odd address must not lose the request
            client = ""
        request = task.requests[0] if task.requests else None
        with self.lock:
            try:
                delay = self._token(request, client)
                try:
                    self.fair.arrive(client, task, delay)
                except QueueFull:
                    if self.limiter is not None and getattr(request, _ADMITTED_ATTR, None):
                        self.limiter.charge(client, -1.0)  # its token back
                    raise
            except QueueFull as full:
                self.refusals.append((task, full.retry_after))
            else:
                self.fair.yield_to_lighter()
            self.queue_cv.notify()

    def _token(self, request: Any, client: str) -> float:
        """Seconds the request waits for its client's token (0.0 without a
        limit, or for a request that costs none); QueueFull if too long."""
        if self.limiter is None or request is None or not ratelimit.limited(request.path):
            return 0.0
        granted, wait = self.limiter.reserve(client, self.fair.max_wait_s)
        if not granted:
            raise QueueFull(max(1, math.ceil(wait)))
        setattr(request, _ADMITTED_ATTR, client)
        return wait

    def handler_thread(self, thread_no: int) -> None:
        while True:
            with self.lock:
                while True:
                    if self.stop_count > 0:
                        self.active_count -= 1
                        self.stop_count -= 1
                        self.threads.discard(thread_no)
                        self.thread_exit_cv.notify()
                        return
                    job = self._next()
                    if job is not None:
                        if self.refusals or self.fair.waiting():
                            # More may be ready: wake one more worker (each
                            # that finds work wakes the next, and no more).
                            self.queue_cv.notify()
                        break
                    self.active_count -= 1
                    # Timed: a request waiting past the limit is refused, and
                    # one waiting for its token runs when it is due, even
                    # while no other request arrives or ends.
                    due = self.fair.next_due()
                    self.queue_cv.wait(
                        self.fair.max_wait_s if due is None else min(due, self.fair.max_wait_s)
                    )
                    self.active_count += 1
            if isinstance(job, Turn):
                self._run(job)
            else:
                self._refuse(*job)

    def _next(self) -> Turn | tuple[Any, int] | None:
        self.refusals.extend((turn.task, retry) for turn, retry in self.fair.overdue())
        if self.refusals:
            return self.refusals.popleft()
        return self.fair.take()

    def _run(self, turn: Turn) -> None:
        try:
            with preemptible(turn.stop), offload.heavy(turn.heavy):
                turn.task.service()
        except BaseException:
            self.logger.exception("Exception when servicing %r", turn.task)
        finally:
            with self.lock:
                self.fair.finish(turn)
                self.fair.yield_to_lighter()
                # This worker looks for its next job itself; one more is woken
                # only when it finds one and more wait (above): waking every
                # idle worker each time costs the interpreter lock.

    def _refuse(self, task: Any, retry_after: int) -> None:
        if task.requests:
            setattr(task.requests[0], _REFUSED_ATTR, retry_after)
        try:
            task.service()
        except BaseException:
            self.logger.exception("Exception when refusing %r", task)

    def shutdown(self, cancel_pending: bool = True, timeout: int = 5) -> bool:
        stopped = super().shutdown(cancel_pending, timeout)
        if cancel_pending:
            with self.lock:
                pending = [t.task for t in self.fair.drain()] + [t for t, _ in self.refusals]
                self.refusals.clear()
            for task in pending:
                task.cancel()
        return stopped


class FairTask(WSGITask):
    """Waitress's WSGI task, passing a refusal on to the app in the environ."""

    def get_environment(self) -> dict[str, Any]:
        environ = super().get_environment()
        refused = getattr(self.request, _REFUSED_ATTR, None)
        if refused is not None:
            environ[REFUSED] = refused
        admitted = getattr(self.request, _ADMITTED_ATTR, None)
        if admitted is not None:
            environ[ratelimit.ADMITTED] = admitted
        return environ


def register(app: Flask) -> None:
    """Answer a request the dispatcher refused with a 429 (before anything else runs)."""
    app.before_request_funcs.setdefault(None, []).insert(0, _refused)


def _refused() -> None:
    seconds = request.environ.get(REFUSED)
    if seconds is not None:
        raise TooManyRequests(
            f"Too many requests from your address; try again in {seconds} s.",
            retry_after=seconds,
        )
