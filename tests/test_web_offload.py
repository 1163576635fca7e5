"""Heavy clients' searches in a child process (search/serve/isolated.py,
web/offload.py): answered outside the server's process with the same results
and errors, readers served meanwhile by the server itself, and a child that
dies or gets stuck replaced, its search a clear 503. No test measures time: a
stuck child is one the test has stopped (SIGSTOP), a dead one one it killed."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from types import SimpleNamespace

import pytest
from conftest import FLOOD_RANKING, make_app
from helpers import http_get

import search
from search import BadQuery, SearchUnavailable
from search.model import SearchRequest
from search.serve.isolated import SearchProcess
from web import offload
from web import server as web_server
from web.fairness import FairQueue
from web.state import EXTENSION

# Long enough for a child to start on a loaded machine; only waited out when a test fails.
PATIENCE_S = 60


class Dies:
    """A request whose unpickling ends the child at once (exit status 70)."""

    def __reduce__(self):
        return (os._exit, (70,))


@pytest.fixture
def process(built_index):
    with SearchProcess(built_index) as each:
        yield each


def test_the_child_answers_as_the_index_does(process, built_index):
    answer = process.search(SearchRequest("flood"))
    assert [h.path for h in answer.hits] == FLOOD_RANKING
    assert process.pid not in (None, os.getpid())
    with search.Index(built_index) as index:
        here = index.search("flood")
    assert answer.hits == here.hits and answer.total == here.total
    with pytest.raises(BadQuery, match="page must be"):
        process.search(SearchRequest("flood", page=0))
    assert process.started == 1  # one child answered all of them


def test_a_child_that_dies_while_answering_is_a_clear_error_and_is_replaced(process):
    process.search(SearchRequest("flood"))
    first = process.pid
    with pytest.raises(SearchUnavailable, match="stopped while answering; please try again"):
        process.search(Dies())  # type: ignore[arg-type]
    answer = process.search(SearchRequest("market"))
    assert [h.path for h in answer.hits] == ["daily/market.txt"]
    assert process.started == 2 and process.pid != first


def test_a_stuck_child_is_killed_and_replaced(built_index):
    with SearchProcess(built_index, stuck_after_s=0.5) as process:
        process.search(SearchRequest("flood"))
        stuck = process.pid
        os.kill(stuck, signal.SIGSTOP)  # it can no longer answer
        with pytest.raises(SearchUnavailable, match="took far too long"):
            process.search(SearchRequest("flood"))
        with pytest.raises(ProcessLookupError):
            os.kill(stuck, 0)  # killed and reaped
        assert [h.path for h in process.search(SearchRequest("flood")).hits] == FLOOD_RANKING
        assert process.started == 2


# -- served by waitress: who is answered where -----------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


HEAVY, READER = "127.0.0.1", "127.0.0.2"


@pytest.fixture
def served(built_index, corpus_dir, monkeypatch):
    """A waitress server (2 threads) whose fair turns run on a clock the test
    moves, with HEAVY given 5 s of past work, and which counts the searches
    its own process answers (the child, a new interpreter, is not patched)."""
    from waitress import wasyncore

    clock = Clock()
    here: list[str] = []
    search_as_is = search.Index.search

    def counted(self, query, **options):
        here.append(getattr(query, "query", query))
        return search_as_is(self, query, **options)

    monkeypatch.setattr(search.Index, "search", counted)
    monkeypatch.setattr(
        web_server,
        "fair_queue",
        lambda app, threads: FairQueue(threads, 1, margin_s=1.0, clock=clock),
    )
    app = make_app(built_index, corpus_dir)
    app.extensions[offload.EXTENSION] = SearchProcess(built_index, stuck_after_s=PATIENCE_S)
    server = web_server.create(app, "127.0.0.1", 0, 2)
    fair = server.task_dispatcher.fair
    with server.task_dispatcher.lock:  # HEAVY has kept a worker busy for 5 s
        fair.arrive(HEAVY, "past")
        turn = fair.take()
        clock.now += 5.0
        fair.finish(turn)
    loop = threading.Thread(target=server.run, daemon=True)
    loop.start()
    yield SimpleNamespace(
        port=server.effective_port, here=here, process=app.extensions[offload.EXTENSION]
    )
    server.task_dispatcher.shutdown(timeout=PATIENCE_S)
    wasyncore.close_all(server._map)
    loop.join(PATIENCE_S)
    app.extensions[offload.EXTENSION].close()
    app.extensions[EXTENSION].close()


def _get(port: int, path: str, source: str) -> tuple[int, bytes]:
    status, _, body = http_get(port, path, source, PATIENCE_S)
    return status, body


def _paths(body: bytes) -> list[str]:
    return [hit["path"] for hit in json.loads(body)["hits"]]


def test_a_heavy_clients_search_is_answered_outside_the_servers_process(served):
    status, body = _get(served.port, "/api/search?q=flood", HEAVY)
    assert status == 200 and _paths(body) == FLOOD_RANKING
    assert served.here == [] and served.process.started == 1
    status, body = _get(served.port, "/api/search?q=flood", READER)
    assert status == 200 and _paths(body) == FLOOD_RANKING
    assert served.here == ["flood"] and served.process.started == 1
    # Its bad query is the same 400, and its search page the same page.
    status, body = _get(served.port, "/api/search?q=flood&page=0", HEAVY)
    assert status == 400 and "page must be" in json.loads(body)["error"]["message"]
    status, body = _get(served.port, "/search?q=market", HEAVY)
    assert status == 200 and b"stalls return to the square" in body
    assert served.here == ["flood"]


def test_a_reader_is_answered_while_a_heavy_search_is_stuck_then_it_gets_a_503(served):
    _get(served.port, "/api/search?q=flood", HEAVY)  # the child is running
    served.process.stuck_after_s = 1.0
    os.kill(served.process.pid, signal.SIGSTOP)
    answers: dict[str, tuple[int, bytes]] = {}
    heavy = threading.Thread(
        target=lambda: answers.setdefault("heavy", _get(served.port, "/api/search?q=x", HEAVY))
    )
    heavy.start()
    while not served.process.busy and heavy.is_alive():
        heavy.join(0.01)  # until the child has the heavy search
    status, body = _get(served.port, "/api/search?q=market", READER)
    assert status == 200 and _paths(body) == ["daily/market.txt"]
    assert heavy.is_alive()  # the reader did not wait for it
    heavy.join(PATIENCE_S)
    status, body = answers["heavy"]
    error = json.loads(body)["error"]
    assert status == 503 and "try again" in error["message"] and "Traceback" not in body.decode()
    status, body = _get(served.port, "/api/search?q=flood", HEAVY)
    assert status == 200 and _paths(body) == FLOOD_RANKING
    assert served.process.started == 2


def test_newsearch_serve_starts_the_search_process_with_the_server(built_index, corpus_dir):
    from waitress import wasyncore

    app = make_app(built_index, corpus_dir)
    process = app.extensions[offload.EXTENSION]
    server = web_server.create(app, "127.0.0.1", 0, 1, search_process=True)
    try:
        give_up = time.monotonic() + PATIENCE_S  # only waited out if it never starts
        while (process.pid is None or process.busy) and time.monotonic() < give_up:
            time.sleep(0.05)
        assert process.started == 1 and process.pid not in (None, os.getpid())
        # The child is ready before any search was made; one is answered by it.
        assert [h.path for h in process.search(SearchRequest("flood")).hits] == FLOOD_RANKING
        assert process.started == 1
    finally:
        server.task_dispatcher.shutdown(timeout=PATIENCE_S)
        wasyncore.close_all(server._map)
        process.close()
        app.extensions[EXTENSION].close()
