"""Fair turns at the workers (web/fairness.py, web/dispatch.py): one client
cannot hold every worker, a second client goes before a flooding client's
queued requests, a heavy client yields to a waiting one, and a full queue is
a 429 with Retry-After. No test measures time: the policy runs on a clock the
test moves by hand, the dispatcher on tasks that wait for the test's signal."""

from __future__ import annotations

import json
import threading
from types import SimpleNamespace

import pytest
from conftest import assert_json_error, make_app
from helpers import http_get

from search import BadConfig
from search.serve.budget import Budget, preemptible
from web import dispatch, fairness, ratelimit
from web import server as web_server
from web.fairness import FairQueue, QueueFull
from web.headers import SECURITY_HEADERS
from web.state import EXTENSION

# Long enough for a thread to get scheduled on a loaded machine; only ever
# waited out when a test fails.
PATIENCE_S = 30


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def queue(slots=4, per_client=2, size=8, clock=None, margin_s=1.0) -> FairQueue:
    return FairQueue(slots, per_client, size, margin_s=margin_s, clock=clock or Clock())


def worked(fair: FairQueue, clock: Clock, client: str, seconds: float) -> None:
    """Give ``client`` a finished request of ``seconds``: recent work the queue weighs."""
    fair.arrive(client, "past")
    turn = fair.take()
    clock.now += seconds
    fair.finish(turn)


def clients_of(turns) -> list[str]:
    return [t.client for t in turns]


# -- the policy -------------------------------------------------------------------


def test_one_client_runs_at_most_its_share_of_the_workers():
    fair = queue(slots=4, per_client=2)
    for n in range(6):
        fair.arrive("flood", f"f{n}")
    taken = [fair.take(), fair.take(), fair.take()]
    assert clients_of(taken[:2]) == ["flood", "flood"]
    assert taken[2] is None  # two workers are free, but not for this client
    assert fair.running("flood") == 2 and fair.waiting("flood") == 4
    fair.arrive("reader", "r1")
    assert fair.take().task == "r1"


def test_a_second_client_goes_before_the_flooding_clients_queued_requests():
    fair = queue(slots=1, per_client=1)
    for n in range(3):
        fair.arrive("flood", f"f{n}")
    first = fair.take()
    fair.arrive("reader", "r1")  # arrives after the flood's f1 and f2
    fair.finish(first)
    order = []
    while (turn := fair.take()) is not None:
        order.append(turn.task)
        fair.finish(turn)
    assert order == ["r1", "f1", "f2"]


def test_the_client_with_less_recent_work_goes_first():
    clock = Clock()
    fair = queue(slots=1, per_client=1, clock=clock)
    for client, seconds in (("heavy", 3.0), ("light", 0.02)):
        worked(fair, clock, client, seconds)
    fair.arrive("heavy", "h")
    fair.arrive("light", "l")
    assert [fair.take().task] == ["l"]


def test_past_work_is_forgiven_with_time():
    clock = Clock()
    fair = queue(clock=clock)
    fair.arrive("a", "x")
    turn = fair.take()
    clock.now += 4.0
    assert fair.work("a") == pytest.approx(4.0)  # a running request counts as it runs
    fair.finish(turn)
    clock.now += fairness.WORK_HALF_LIFE_S
    assert fair.work("a") == pytest.approx(2.0)


def test_a_full_queue_refuses_with_the_seconds_to_wait():
    fair = queue(slots=2, per_client=1, size=2, margin_s=1.0)
    fair.arrive("flood", 0)
    assert fair.take().task == 0  # running, no longer queued
    fair.arrive("flood", 1)
    fair.arrive("flood", 2)
    with pytest.raises(QueueFull) as refused:
        fair.arrive("flood", 3)
    # Two waiting and one running, one at a time, each at most a deadline (1 s).
    assert refused.value.retry_after == 3
    fair.arrive("reader", "r")  # another client's queue is its own


def test_a_request_that_waited_too_long_is_refused():
    clock = Clock()
    fair = queue(slots=1, per_client=1, clock=clock)
    fair.arrive("a", "running")
    fair.take()
    fair.arrive("a", "old")
    clock.now += fairness.MAX_WAIT_S / 2
    fair.arrive("a", "new")
    assert fair.overdue() == []
    clock.now += fairness.MAX_WAIT_S / 2
    overdue = fair.overdue()
    assert [t.task for t, _ in overdue] == ["old"] and overdue[0][1] >= 1
    assert fair.waiting("a") == 1


def test_a_heavy_clients_running_requests_are_asked_to_stop_for_a_waiting_one():
    clock = Clock()
    fair = queue(slots=2, per_client=2, clock=clock, margin_s=1.0)
    fair.arrive("heavy", "h1")
    fair.arrive("heavy", "h2")
    h1, h2 = fair.take(), fair.take()
    clock.now += 0.9  # 1.8 s of work between the two: past the margin
    assert fair.yield_to_lighter() == []  # nobody else wants a worker
    fair.arrive("reader", "r")
    assert fair.yield_to_lighter() == [h1, h2]
    assert h1.stop.is_set() and h2.stop.is_set()
    assert fair.yield_to_lighter() == []  # asked once
    fair.finish(h1)
    assert fair.take().task == "r"


def test_a_heavy_client_waits_while_a_lighter_one_is_served():
    clock = Clock()
    fair = queue(slots=4, per_client=2, clock=clock, margin_s=1.0)
    worked(fair, clock, "heavy", 3.0)
    fair.arrive("reader", "r")
    reader = fair.take()
    fair.arrive("heavy", "h")
    assert fair.take() is None  # three workers are free, but a reader is being served
    clock.now += 0.05
    fair.finish(reader)
    assert fair.take().task == "h"  # and once it is done, the heavy client runs
    fair.arrive("heavy", "h2")
    assert fair.take() is None  # heavy clients run one request at a time


def test_heavy_clients_share_one_worker():
    clock = Clock()
    fair = queue(slots=4, per_client=2, clock=clock, margin_s=1.0)
    for client in ("h1", "h2", "h3"):
        worked(fair, clock, client, 2.0)
    for client in ("h1", "h2", "h3"):
        fair.arrive(client, "x")
    running = fair.take()
    assert running.client == "h1"  # its 2 s of work are the oldest, the most decayed
    assert fair.take() is None  # three workers free, none for the other heavy clients
    fair.arrive("reader", "r")
    assert fair.take().task == "r"
    fair.finish(running)
    assert fair.take() is None  # the reader is still being served


def test_clients_within_the_margin_share():
    clock = Clock()
    fair = queue(slots=1, per_client=1, clock=clock, margin_s=1.0)
    for client, seconds in (("a", 2.0), ("b", 1.5)):
        worked(fair, clock, client, seconds)
    fair.arrive("a", "a1")
    fair.arrive("b", "b1")
    first = fair.take()
    assert first.task == "b1"  # less work
    assert fair.yield_to_lighter() == []  # half a second apart: nobody is stopped
    clock.now += 0.6
    fair.finish(first)
    assert fair.take().task == "a1"


def test_readers_are_never_stopped_for_each_other():
    clock = Clock()
    fair = queue(slots=1, per_client=1, clock=clock, margin_s=1.0)
    fair.arrive("reader1", "slow search")
    running = fair.take()
    clock.now += 0.3  # a slow search, but far from a deadline's worth of work
    fair.arrive("reader2", "r2")
    assert fair.yield_to_lighter() == []
    assert not running.stop.is_set()


def test_a_request_not_due_yet_waits_and_holds_nobody_back():
    clock = Clock()
    fair = queue(slots=1, per_client=1, clock=clock, margin_s=1.0)
    worked(fair, clock, "heavy", 5.0)
    fair.arrive("limited", "later", delay_s=2.0)  # a rate-limited request
    fair.arrive("heavy", "now")
    turn = fair.take()  # the heavy client is served: nobody lighter can run yet
    assert (turn.client, turn.task) == ("heavy", "now")
    fair.finish(turn)
    assert fair.take() is None and fair.next_due() == pytest.approx(2.0)
    clock.now += 2.0
    assert clients_of([fair.take()]) == ["limited"]


def test_a_request_waiting_for_its_token_waits_the_usual_time_past_it():
    clock = Clock()
    fair = queue(slots=1, per_client=1, clock=clock)
    fair.arrive("busy", "x")
    fair.take()  # the one worker stays busy throughout
    fair.arrive("limited", "later", delay_s=3.0)
    clock.now += 3.0 + fair.max_wait_s - 0.5
    assert fair.overdue() == []
    clock.now += 1.0
    assert [turn.task for turn, _ in fair.overdue()] == ["later"]


def test_memory_stays_bounded_under_a_spray_of_addresses(monkeypatch):
    monkeypatch.setattr(fairness, "MAX_CLIENTS", 100)
    fair = queue()
    for n in range(1000):
        fair.arrive(f"10.0.{n // 256}.{n % 256}", n)
        fair.finish(fair.take())
    assert len(fair._clients) <= 100


def test_a_stopped_search_answers_with_what_it_has(built_index):
    from search import Index

    stop = threading.Event()
    with Index(built_index, result_cache=0) as index, preemptible(stop):
        # Matched by Whoosh (an AND), the step that checks its budget.
        query = '"flood story" AND reader'
        assert not index.search(query).partial
        assert index.search(query).total == 1
        assert not Budget(10.0).expired()
        stop.set()
        assert Budget(10.0).expired()
        assert index.search(query).partial
    assert not Budget(10.0).expired()  # outside, nothing stops it


# -- the dispatcher, with tasks that run when the test says -------------------------


class Task:
    """A waitress channel stand-in: ``service`` records itself and waits."""

    def __init__(
        self, log: list, client: str, name: str, forwarded: str = "", path: str = "/api/search"
    ) -> None:
        self.log, self.name = log, name
        self.addr = (client, 40000)
        self.requests = [SimpleNamespace(headers={"X_FORWARDED_FOR": forwarded}, path=path)]
        self.started = threading.Event()
        self.release = threading.Event()
        self.saw_stop = False
        self.cancelled = False

    def service(self) -> None:
        self.log.append(self.name)
        self.started.set()
        budget = Budget(None)  # no deadline: only a stop ends it early
        while not self.release.wait(0.01):
            if budget.expired():
                self.saw_stop = True
                return

    def cancel(self) -> None:
        self.cancelled = True


@pytest.fixture
def dispatcher():
    made = []

    def make(threads=4, per_client=2, size=8, clock=None, margin_s=1.0, proxies=0, limiter=None):
        fair = queue(threads, per_client, size, clock=clock, margin_s=margin_s)
        d = dispatch.FairDispatcher(fair, proxies, limiter)
        d.set_thread_count(threads)
        made.append(d)
        return d

    yield make
    for d in made:
        with d.lock:
            for turn in list(t for s in d.fair._busy.values() for t in s.running):
                turn.task.release.set()
        d.shutdown(timeout=PATIENCE_S)


def wait_for(event: threading.Event) -> None:
    assert event.wait(PATIENCE_S), "the dispatcher never got to it"


def test_the_dispatcher_runs_at_most_the_cap_of_one_clients_requests(dispatcher):
    d = dispatcher(threads=4, per_client=2, margin_s=1e9)  # nobody counts as heavy
    log: list[str] = []
    flood = [Task(log, "10.0.0.1", f"f{n}") for n in range(6)]
    for task in flood:
        d.add_task(task)
    wait_for(flood[1].started)
    reader = Task(log, "10.0.0.2", "r")
    d.add_task(reader)
    wait_for(reader.started)  # a free worker took it at once...
    with d.lock:  # ...while the flood still had only two running
        assert d.fair.running("10.0.0.1") == 2 and d.fair.waiting("10.0.0.1") == 4
    assert sorted(log) == ["f0", "f1", "r"]
    for task in [*flood, reader]:
        task.release.set()


def test_the_dispatcher_serves_a_second_client_before_the_floods_queue(dispatcher):
    d = dispatcher(threads=1, per_client=1, margin_s=1e9)  # never stops a request
    log: list[str] = []
    flood = [Task(log, "10.0.0.1", f"f{n}") for n in range(3)]
    for task in flood:
        d.add_task(task)
    wait_for(flood[0].started)
    reader = Task(log, "10.0.0.2", "r")
    d.add_task(reader)
    reader.release.set()
    flood[1].release.set()
    flood[2].release.set()
    flood[0].release.set()
    wait_for(flood[2].started)
    assert log == ["f0", "r", "f1", "f2"]


def test_a_heavy_clients_search_stops_for_a_waiting_reader(dispatcher):
    clock = Clock()
    d = dispatcher(threads=1, per_client=1, clock=clock, margin_s=1.0)
    log: list[str] = []
    heavy = Task(log, "10.0.0.1", "heavy")
    d.add_task(heavy)
    wait_for(heavy.started)
    clock.now += 5.0  # the heavy request has worked 5 s when the reader comes
    reader = Task(log, "10.0.0.2", "reader")
    d.add_task(reader)
    reader.release.set()
    wait_for(reader.started)
    assert heavy.saw_stop and log == ["heavy", "reader"]


def test_a_full_queue_is_answered_as_refused(dispatcher):
    d = dispatcher(threads=2, per_client=1, size=1)
    log: list[str] = []
    running, queued, refused = (Task(log, "10.0.0.1", n) for n in ("run", "queued", "refused"))
    d.add_task(running)
    wait_for(running.started)
    d.add_task(queued)  # waits: its client has its one request running
    d.add_task(refused)  # and its queue of one is full
    refused.release.set()
    wait_for(refused.started)  # served at once, on the free worker, as a refusal
    assert getattr(refused.requests[0], dispatch._REFUSED_ATTR) >= 1
    assert not hasattr(queued.requests[0], dispatch._REFUSED_ATTR) and not queued.started.is_set()
    running.release.set()
    queued.release.set()
    wait_for(queued.started)


def test_a_client_past_its_rate_limit_waits_for_its_token_without_a_worker(dispatcher):
    clock = Clock()
    limiter = ratelimit.TokenBucket(60, clock=clock)  # one token a second
    d = dispatcher(threads=1, per_client=1, clock=clock, limiter=limiter)
    limiter.charge("10.0.0.1", 60)  # its allowance spent: its next token is 1 s away
    log: list[str] = []
    page = Task(log, "10.0.0.1", "page", path="/article/x")  # costs no token
    d.add_task(page)
    page.release.set()
    wait_for(page.started)
    late, reader = Task(log, "10.0.0.1", "late"), Task(log, "10.0.0.2", "reader")
    d.add_task(late)
    d.add_task(reader)
    reader.release.set()
    wait_for(reader.started)  # the one worker was free for another client
    assert not late.started.is_set()
    with d.lock:
        clock.now += 1.0
        d.queue_cv.notify()
    late.release.set()
    wait_for(late.started)
    assert log == ["page", "reader", "late"]
    assert getattr(late.requests[0], dispatch._ADMITTED_ATTR) == "10.0.0.1"
    assert not hasattr(late.requests[0], dispatch._REFUSED_ATTR)


def test_a_client_far_past_its_rate_limit_is_refused_at_once(dispatcher):
    clock = Clock()
    limiter = ratelimit.TokenBucket(60, clock=clock)
    d = dispatcher(threads=1, per_client=1, clock=clock, limiter=limiter)
    limiter.charge("10.0.0.1", 70)  # its next token is 11 s away: past the wait allowed
    refused = Task([], "10.0.0.1", "refused")
    d.add_task(refused)
    refused.release.set()
    wait_for(refused.started)
    assert getattr(refused.requests[0], dispatch._REFUSED_ATTR) == 11


def test_pending_requests_are_cancelled_at_shutdown(dispatcher):
    d = dispatcher(threads=1, per_client=1)
    log: list[str] = []
    running, waiting = Task(log, "10.0.0.1", "run"), Task(log, "10.0.0.1", "wait")
    d.add_task(running)
    d.add_task(waiting)
    wait_for(running.started)
    running.release.set()
    waiting.release.set()
    d.shutdown(timeout=PATIENCE_S)
    assert waiting.cancelled or waiting.started.is_set()


@pytest.mark.parametrize(
    ("address", "forwarded", "proxies", "client"),
    [
        ("10.0.0.1", "", 0, "10.0.0.1"),
        ("10.0.0.1", "203.0.113.9", 0, "10.0.0.1"),  # no proxy configured: header ignored
        ("10.0.0.1", "1.1.1.1, 203.0.113.9", 1, "203.0.113.9"),  # the proxy's entry
        ("10.0.0.1", "1.1.1.1, 203.0.113.9", 2, "1.1.1.1"),
        ("10.0.0.1", "203.0.113.9", 2, "10.0.0.1"),  # fewer hops than proxies
        ("2001:db8:1:2:3:4:5:6", "", 0, "2001:db8:1:2::/64"),
        ("::ffff:10.0.0.7", "", 0, "10.0.0.7"),
    ],
)
def test_who_a_client_is(address, forwarded, proxies, client):
    assert dispatch.client_of(Task([], address, "x", forwarded), proxies) == client


# -- the app's answer to a refused request ------------------------------------------


@pytest.fixture
def app(built_index, corpus_dir):
    app = make_app(built_index, corpus_dir)
    yield app
    app.extensions[EXTENSION].close()


def test_a_refused_request_is_a_429_json_error_with_retry_after(app):
    response = app.test_client().get("/api/search?q=harbour", environ_base={dispatch.REFUSED: 3})
    message = assert_json_error(response, 429)
    assert "try again in 3 s" in message
    assert response.headers["Retry-After"] == "3"
    assert (
        response.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    )


def test_a_refused_page_is_the_error_page(app):
    response = app.test_client().get("/search?q=harbour", environ_base={dispatch.REFUSED: 2})
    assert response.status_code == 429
    assert "Too many requests" in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "2"


def test_a_reader_using_the_page_is_never_refused(app):
    # A page, its assets and suggestions while typing: requests one after
    # another, as a browser sends them, are never queued past the cap.
    client = app.test_client()
    urls = ["/", "/static/style.css", "/suggest?q=ha", "/suggest?q=har", "/search?q=harbour"]
    statuses = []
    for url in urls * 5:
        with client.get(url) as response:
            statuses.append(response.status_code)
    assert set(statuses) == {200}


# -- settings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CLIENT_SLOTS", "abc", "CLIENT_SLOTS must be a whole number"),
        ("CLIENT_SLOTS", "0", "CLIENT_SLOTS must be at least 1"),
        ("CLIENT_QUEUE", "-1", "CLIENT_QUEUE must be at least 0"),
        ("CLIENT_QUEUE", "true", "CLIENT_QUEUE must be a whole number"),
        ("PROXIES", "1.5", "PROXIES must be a whole number"),
    ],
)
def test_bad_settings_are_refused_at_start(monkeypatch, built_index, name, value, message):
    monkeypatch.setenv(f"NEWSEARCH_{name}", value)
    from web import create_app

    with pytest.raises(BadConfig, match=message):
        create_app({"INDEX_DIR": str(built_index)})


def test_settings_come_from_the_environment(monkeypatch, built_index):
    for name, value in (("CLIENT_SLOTS", "3"), ("CLIENT_QUEUE", "2"), ("PROXIES", "1")):
        monkeypatch.setenv(f"NEWSEARCH_{name}", value)
    from web import create_app

    app = create_app({"INDEX_DIR": str(built_index), "RATE_LIMIT": 1})
    fair = web_server.fair_queue(app, threads=4)
    assert (fair.slots, fair.per_client, fair.queue) == (4, 3, 2)
    # Behind one proxy the rate limit sees the forwarded address, as the
    # dispatcher does: two clients behind the proxy have a search each.
    client = app.test_client()

    def search(forwarded: str) -> int:
        return client.get(
            "/api/search?q=flood",
            headers={"X-Forwarded-For": forwarded},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        ).status_code

    assert [search("203.0.113.9"), search("203.0.113.10"), search("203.0.113.9")] == [
        200,
        200,
        429,
    ]
    app.extensions[EXTENSION].close()


def test_defaults_give_a_client_half_the_workers(built_index):
    from web import create_app

    app = create_app({"INDEX_DIR": str(built_index)})
    fair = web_server.fair_queue(app, threads=4)
    assert (fair.per_client, fair.queue) == (2, fairness.DEFAULT_QUEUE)
    assert web_server.fair_queue(app, threads=1).per_client == 1
    assert fair.margin_s == app.config["SEARCH_DEADLINE"]


def test_a_client_cap_past_the_threads_is_refused(built_index):
    from web import create_app

    app = create_app({"INDEX_DIR": str(built_index), "CLIENT_SLOTS": 8})
    with pytest.raises(BadConfig, match=r"CLIENT_SLOTS \(8\) cannot be more than"):
        web_server.fair_queue(app, threads=4)


# -- all of it, served by waitress ------------------------------------------------------


@pytest.fixture
def served(built_index, corpus_dir, monkeypatch):
    """A waitress server in this process (2 threads, one running request and
    none waiting per client) whose searches for "hold" wait for the test."""
    from waitress import wasyncore

    import search

    release = threading.Event()
    holding = threading.Event()
    search_as_is = search.Index.search

    def search_holding(self, query, **options):
        if getattr(query, "query", query) == "hold":
            holding.set()
            release.wait(PATIENCE_S)
        return search_as_is(self, query, **options)

    monkeypatch.setattr(search.Index, "search", search_holding)
    app = make_app(built_index, corpus_dir, CLIENT_SLOTS=1, CLIENT_QUEUE=0)
    server = web_server.create(app, "127.0.0.1", 0, 2)
    loop = threading.Thread(target=server.run, daemon=True)
    loop.start()
    yield SimpleNamespace(port=server.effective_port, release=release, holding=holding)
    release.set()
    server.task_dispatcher.shutdown(timeout=PATIENCE_S)
    wasyncore.close_all(server._map)
    loop.join(PATIENCE_S)
    app.extensions[EXTENSION].close()


def _get(port: int, path: str, source: str) -> tuple[int, dict, bytes]:
    return http_get(port, path, source, PATIENCE_S)


def test_served_a_flooding_client_is_refused_while_another_is_served(served):
    answers = {}
    first = threading.Thread(
        target=lambda: answers.setdefault(
            "held", _get(served.port, "/api/search?q=hold", "127.0.0.1")
        )
    )
    first.start()
    assert served.holding.wait(PATIENCE_S), answers
    status, headers, body = _get(served.port, "/api/search?q=harbour", "127.0.0.1")
    assert status == 429
    assert int(headers["Retry-After"]) >= 1
    error = json.loads(body)["error"]
    assert error["status"] == 429 and "try again in" in error["message"]
    assert headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    status, _, body = _get(served.port, "/api/search?q=flood", "127.0.0.2")
    assert status == 200 and json.loads(body)["total"] >= 1
    served.release.set()
    first.join(PATIENCE_S)
    assert answers["held"][0] == 200
