"""Whose request a free worker serves next: fair turns, so that no client can
keep the others waiting (the policy; web/dispatch.py applies it to waitress).

A server has a few workers (``newsearch serve``: 4 threads), and a search
holds one for up to its deadline (1 s). Served first come, first served,
four clients sending searches that run to the deadline back to back kept
every worker busy and a reader's search waited behind them (34x its p95
alone, bench/hostile.py). Here the workers are shared by construction, with
nothing to configure:

* **A cap per client.** A client has at most ``per_client`` requests running
  (half the workers), so it can never hold them all; more wait in its own
  queue of at most ``queue``, and past that are refused at once (429 with
  ``Retry-After``). A request that waited ``max_wait_s`` is refused too.
* **Least work first.** A free worker takes the waiting request of the client
  that has used the least worker time lately (seconds of work, halving every
  ``half_life_s``); among equals, the one served longest ago (round robin),
  then the oldest request: a reader goes before a client that has kept
  workers busy, whatever order they arrived in.
* **Requests not due yet wait without a worker.** A request may arrive with
  a delay (the rate limit's, web/ratelimit.py: the time until its client's
  next token); it is not taken before then, and its ``max_wait_s`` counts
  from then.
* **Heavy clients share one worker.** Clients with more than ``margin_s``
  of recent work (a search deadline; a reader's searches take tens of
  milliseconds) together run at most ``heavy_slots`` requests at a time,
  each marked ``heavy`` (web/offload.py sends their searches to a child
  process).
* **Heavy clients yield to lighter ones.** A client whose recent work is at
  least ``margin_s`` (a search deadline) more than that of a client with a
  request waiting or running is served only when no such lighter client is:
  its waiting requests do not start, and its running ones are asked to stop
  (their ``stop`` event; search.serve.budget.preemptible) - a search then
  answers with what it found so far, marked partial, as at its deadline.
  This is least-attained-service scheduling (as in an operating system's
  foreground/background queue) per client: searches share one interpreter
  lock, so a reader's search that ran beside four hostile ones would take
  about four times as long even with a worker of its own. A reader's
  searches take tens of milliseconds and never come near the margin, so
  readers are never held back for each other; clients that both keep workers
  busy come within the margin of each other as their work decays and grows,
  and share.

Not thread-safe by itself: the dispatcher calls it under its own lock.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Requests one client may have waiting beyond those running. A browser opens
# at most 6 connections to a host, so a reader (a page, its assets and the
# suggestions while typing) never meets it; a script with more does.
DEFAULT_QUEUE = 8
# How long a request may wait for a worker before it is refused. Five search
# deadlines: with the cap and the order above only a client that has used far
# more than its share waits that long.
MAX_WAIT_S = 5.0
# How quickly a client's past work is forgiven. A reader pauses seconds
# between searches; a client that keeps workers busy has its work counted
# over the last half minute or so, and is forgotten a minute after it stops.
WORK_HALF_LIFE_S = 10.0
# Workers that heavy clients (more than ``margin_s`` of recent work: a reader
# never is) may hold together. Searches share one interpreter lock, so one
# busy thread already gets about all the CPU a search can use: heavy clients
# lose little throughput to this, and a reader's search never shares the CPU
# with more than one of theirs (which is then asked to stop).
HEAVY_SLOTS = 1
# Most clients remembered at once. Past this, clients with nothing in flight
# are forgotten, least work first (they lose nothing but their history).
MAX_CLIENTS = 10_000


class QueueFull(Exception):
    """The client already has as many requests waiting as it may."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"queue full, retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass(eq=False)
class Turn:
    """One request's place: waiting, then running; ``stop`` set when asked to yield."""

    client: str
    task: Any
    seq: int
    arrived: float
    started: float | None = None
    not_before: float = 0.0  # not taken before this (a rate-limited request's token)
    heavy: bool = False  # its client had more than ``margin_s`` of work when it started
    stop: threading.Event = field(default_factory=threading.Event)


@dataclass(eq=False)
class _Client:
    work: float = 0.0  # seconds of worker time, decayed, as of ``at``
    at: float = 0.0
    served: float = -math.inf  # when its last request started
    running: list[Turn] = field(default_factory=list)
    waiting: deque[Turn] = field(default_factory=deque)


def _since(turn: Turn) -> float:
    """When ``turn`` could first have run."""
    return max(turn.arrived, turn.not_before)


def _due(state: _Client, now: float) -> bool:
    """Whether the client's next waiting request may run now."""
    return state.waiting[0].not_before <= now


def _present(state: _Client, now: float) -> bool:
    """Whether the client is being served or may be now (a client whose next
    request is not due yet neither holds heavier ones back nor is chosen)."""
    return bool(state.running) or (bool(state.waiting) and _due(state, now))


class FairQueue:
    """The requests waiting for ``slots`` workers and those running."""

    def __init__(
        self,
        slots: int,
        per_client: int,
        queue: int = DEFAULT_QUEUE,
        *,
        margin_s: float,
        max_wait_s: float = MAX_WAIT_S,
        half_life_s: float = WORK_HALF_LIFE_S,
        heavy_slots: int = HEAVY_SLOTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 1 <= per_client <= slots:
            raise ValueError(f"per_client must be 1..{slots}, not {per_client}")
        self.slots = slots
        self.per_client = per_client
        self.queue = queue
        self.margin_s = margin_s
        self.max_wait_s = max_wait_s
        self.half_life_s = half_life_s
        self.heavy_slots = heavy_slots
        self.clock = clock
        self._clients: dict[str, _Client] = {}
        # Clients with a request waiting or running: the only ones a choice looks at.
        self._busy: dict[str, _Client] = {}
        self._running = 0
        self._seq = 0

    # -- the dispatcher's calls -----------------------------------------------

    def arrive(self, client: str, task: Any, delay_s: float = 0.0) -> Turn:
        """Queue ``task`` for ``client``, to run ``delay_s`` from now at the
        soonest; QueueFull if its queue is full."""
        state = self._clients.get(client)
        if state is None:
            if len(self._clients) >= MAX_CLIENTS:
                self._forget()
            state = self._clients[client] = _Client(at=self.clock())
        # Room: the queue, and any worker free for the client right now.
        free = max(0, min(self.per_client - len(state.running), self.slots - self._running))
        if len(state.waiting) >= self.queue + free:
            raise QueueFull(self._retry_after(state))
        self._seq += 1
        now = self.clock()
        turn = Turn(client, task, self._seq, now, not_before=now + delay_s)
        state.waiting.append(turn)
        self._busy[client] = state
        return turn

    def take(self) -> Turn | None:
        """The request a free worker runs now (marked running), or None: no
        worker is free, every waiting client has its share running (heavy
        clients: theirs together), or the lightest waiting client is heavier
        by the margin than one being served."""
        if self._running >= self.slots:
            return None
        now = self.clock()
        best: tuple[float, float, int] | None = None
        chosen: _Client | None = None
        works = [(s, self._work(s, now)) for s in self._busy.values() if _present(s, now)]
        if not works:
            return None
        lightest = min(work for _, work in works)
        heavy = sum(len(state.running) for state, work in works if work >= self.margin_s)
        for state, work in works:
            if work >= self.margin_s and heavy >= self.heavy_slots:
                continue
            if state.waiting and len(state.running) < self.per_client and _due(state, now):
                key = (work, state.served, state.waiting[0].seq)
                if best is None or key < best:
                    best, chosen = key, state
        if chosen is None or best is None or best[0] - lightest >= self.margin_s:
            return None
        turn = chosen.waiting.popleft()
        turn.started = now
        turn.heavy = best[0] >= self.margin_s
        chosen.served = now
        chosen.running.append(turn)
        self._running += 1
        return turn

    def finish(self, turn: Turn) -> None:
        """``turn`` is done: its time is added to its client's work."""
        state = self._clients[turn.client]
        now = self.clock()
        state.work = self._decayed(state, now) + (now - (turn.started or now))
        state.at = now
        state.running.remove(turn)
        self._running -= 1
        self._settle(turn.client, state)

    def overdue(self) -> list[tuple[Turn, int]]:
        """Waiting requests past ``max_wait_s``, removed from their queues, each
        with the seconds its client should wait before trying again."""
        now = self.clock()
        out = []
        for client, state in list(self._busy.items()):
            while state.waiting and now - _since(state.waiting[0]) >= self.max_wait_s:
                out.append((state.waiting.popleft(), self._retry_after(state)))
            self._settle(client, state)
        return out

    def next_due(self) -> float | None:
        """Seconds until the first waiting request that is not due yet is (None: none is)."""
        now = self.clock()
        later = [s.waiting[0].not_before for s in self._busy.values() if s.waiting]
        later = [t - now for t in later if t > now]
        return min(later) if later else None

    def yield_to_lighter(self) -> list[Turn]:
        """Ask the running requests of clients heavier by the margin than a
        client with a request waiting or running to stop (see the module
        docstring); those asked, newly."""
        now = self.clock()
        work = {c: self._work(s, now) for c, s in self._busy.items() if _present(s, now)}
        if not work:
            return []
        lightest = min(work.values())
        asked = []
        for client, state in self._busy.items():
            if client in work and work[client] - lightest >= self.margin_s:
                for turn in state.running:
                    if not turn.stop.is_set():
                        turn.stop.set()
                        asked.append(turn)
        return asked

    def drain(self) -> list[Turn]:
        """Every waiting request, removed (the server is stopping)."""
        out = [t for s in self._busy.values() for t in s.waiting]
        for client, state in list(self._busy.items()):
            state.waiting.clear()
            self._settle(client, state)
        return out

    # -- what tests and the dispatcher look at --------------------------------

    def work(self, client: str) -> float:
        """``client``'s recent work in seconds, its running requests included."""
        state = self._clients.get(client)
        return 0.0 if state is None else self._work(state, self.clock())

    def running(self, client: str | None = None) -> int:
        if client is None:
            return self._running
        state = self._clients.get(client)
        return 0 if state is None else len(state.running)

    def waiting(self, client: str | None = None) -> int:
        states = self._busy.values() if client is None else [self._clients.get(client)]
        return sum(len(s.waiting) for s in states if s is not None)

    # -- internals --------------------------------------------------------------

    def _settle(self, client: str, state: _Client) -> None:
        if not state.waiting and not state.running:
            self._busy.pop(client, None)

    def _decayed(self, state: _Client, now: float) -> float:
        return state.work * 0.5 ** ((now - state.at) / self.half_life_s)

    def _work(self, state: _Client, now: float) -> float:
        return self._decayed(state, now) + sum(now - (t.started or now) for t in state.running)

    def _retry_after(self, state: _Client) -> int:
        """Seconds until the client's waiting requests will have run, each for
        at most a search deadline, ``per_client`` at a time (1 at least)."""
        rounds = (len(state.waiting) + len(state.running)) / self.per_client
        return max(1, math.ceil(rounds * self.margin_s))

    def _forget(self) -> None:
        now = self.clock()
        idle = sorted(
            (self._work(s, now), c)
            for c, s in self._clients.items()
            if not s.running and not s.waiting
        )
        for _work, client in idle[: max(1, len(self._clients) // 2)]:
            del self._clients[client]
