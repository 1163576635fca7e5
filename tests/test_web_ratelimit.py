"""The optional per-client limit on /api/* and /suggest: a token bucket, 429 with Retry-After."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import assert_json_error, make_app

from search import BadConfig
from search.cli import main
from web import ratelimit
from web.state import EXTENSION


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def limited(built_index, corpus_dir, monkeypatch):
    """An app allowing 3 requests a minute per address, on a hand-driven clock;
    every request counts as one however long it takes (see the costly test)."""
    monkeypatch.setattr(ratelimit, "REQUEST_COST_S", 3600.0)
    app = make_app(built_index, corpus_dir, RATE_LIMIT=3)
    clock = Clock()
    app.extensions[ratelimit.EXTENSION].clock = clock
    yield app, clock
    app.extensions[EXTENSION].close()


def get(app, url: str, address: str = "10.0.0.1"):
    return app.test_client().get(url, environ_base={"REMOTE_ADDR": address})


def test_past_the_limit_is_a_429_json_error_with_retry_after(limited):
    app, _ = limited
    for url in ("/api/search?q=flood", "/suggest?q=fl", "/api/search?q=river"):
        assert get(app, url).status_code == 200
    response = get(app, "/api/search?q=flood")
    message = assert_json_error(response, 429)
    assert "try again in 20 s" in message  # 3 a minute: one token every 20 seconds
    assert response.headers["Retry-After"] == "20"
    suggest = get(app, "/suggest?q=fl")
    assert_json_error(suggest, 429)
    assert response.headers["Content-Security-Policy"]


def test_each_address_has_its_own_allowance(limited):
    app, _ = limited
    for _ in range(3):
        get(app, "/api/search?q=flood", "10.0.0.1")
    assert get(app, "/api/search?q=flood", "10.0.0.1").status_code == 429
    assert get(app, "/api/search?q=flood", "10.0.0.2").status_code == 200


def test_tokens_come_back_with_time(limited):
    app, clock = limited
    for _ in range(3):
        get(app, "/api/search?q=flood")
    assert get(app, "/api/search?q=flood").status_code == 429
    clock.now += 19
    response = get(app, "/api/search?q=flood")
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    clock.now += 1
    assert get(app, "/api/search?q=flood").status_code == 200
    assert get(app, "/api/search?q=flood").status_code == 429
    clock.now += 3600  # a long pause refills the bucket, but never past a minute's worth
    assert [get(app, "/api/search?q=flood").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_search_page_is_limited_other_pages_are_not(limited):
    # The results page runs a search: a script flooding it with wildcards is
    # as costly as one flooding the API.
    app, _ = limited
    statuses = [get(app, "/search?q=flood").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    page = get(app, "/search?q=flood")
    assert "Too many requests" in page.get_data(as_text=True)
    assert page.headers["Retry-After"]
    assert [get(app, "/").status_code for _ in range(10)] == [200] * 10
    for _ in range(10):
        with get(app, "/static/style.css") as static:
            assert static.status_code == 200


@pytest.mark.parametrize("value", ["abc", "true", "-1", "2.5", "[]"])
def test_a_rate_limit_that_is_not_a_whole_number_is_refused_at_start(
    monkeypatch, built_index, value
):
    # NEWSEARCH_RATE_LIMIT=true once meant one request a minute; abc crashed serve.
    monkeypatch.setenv("NEWSEARCH_RATE_LIMIT", value)
    from web import create_app

    with pytest.raises(BadConfig, match="RATE_LIMIT"):
        create_app({"INDEX_DIR": str(built_index)})


def test_serve_reports_a_bad_rate_limit_and_exits_2(monkeypatch, built_index):
    monkeypatch.setenv("NEWSEARCH_RATE_LIMIT", "abc")
    result = CliRunner().invoke(main, ["serve", "--index", str(built_index)])
    assert result.exit_code == 2
    assert "RATE_LIMIT must be a whole number" in result.output
    assert "Traceback" not in result.output


def test_off_by_default(client):
    assert client.application.config["RATE_LIMIT"] == 0
    assert ratelimit.EXTENSION not in client.application.extensions
    assert {client.get("/api/search?q=flood").status_code for _ in range(20)} == {200}


def test_the_limit_comes_from_the_environment(monkeypatch, built_index):
    monkeypatch.setenv("NEWSEARCH_RATE_LIMIT", "1")
    monkeypatch.setenv("NEWSEARCH_INDEX", str(built_index))
    from web import create_app

    app = create_app({"TESTING": True})
    client = app.test_client()
    assert client.get("/api/search?q=flood").status_code == 200
    assert client.get("/api/search?q=flood").status_code == 429
    app.extensions[EXTENSION].close()


def test_memory_stays_bounded_under_a_spray_of_addresses(monkeypatch):
    monkeypatch.setattr(ratelimit, "MAX_CLIENTS", 100)
    clock = Clock()
    bucket = ratelimit.TokenBucket(60, clock=clock)
    for n in range(1000):
        assert bucket.take(f"10.0.{n // 256}.{n % 256}") == 0.0
        clock.now += 0.001
    assert len(bucket._buckets) <= 100


def test_costly_requests_use_up_the_allowance_sooner(limited, monkeypatch):
    # Every request here "works" far longer than REQUEST_COST_S, so the first
    # one uses up the whole allowance of 3: the next is refused, while a
    # cheap client keeps its 3.
    app, _ = limited
    monkeypatch.setattr(ratelimit, "REQUEST_COST_S", 1e-9)
    assert get(app, "/api/search?q=flood", "10.0.0.7").status_code == 200
    assert get(app, "/api/search?q=flood", "10.0.0.7").status_code == 429
    monkeypatch.setattr(ratelimit, "REQUEST_COST_S", 3600.0)
    statuses = [get(app, "/api/search?q=flood", "10.0.0.8").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_a_charge_leaves_a_client_waiting_at_most_about_a_minute():
    clock = Clock()
    bucket = ratelimit.TokenBucket(60, clock=clock)
    bucket.charge("a", 1_000)  # floored at one minute's allowance below zero
    assert bucket.take("a") == pytest.approx(61.0)
    clock.now += 61
    assert bucket.take("a") == 0.0


def test_a_request_past_the_allowance_is_given_the_time_until_its_token():
    # Under `newsearch serve` the dispatcher reserves tokens: past the
    # allowance a request waits for its token rather than being refused,
    # unless that is further away than the dispatcher lets a request wait.
    clock = Clock()
    bucket = ratelimit.TokenBucket(60, clock=clock)  # one token a second
    assert [bucket.reserve("a", 5.0) for _ in range(60)] == [(True, 0.0)] * 60
    assert bucket.reserve("a", 5.0) == (True, pytest.approx(1.0))
    assert bucket.reserve("a", 5.0) == (True, pytest.approx(2.0))
    assert [bucket.reserve("a", 5.0)[0] for _ in range(4)] == [True, True, True, False]
    assert bucket.reserve("a", 5.0) == (False, pytest.approx(6.0))  # refusals spend nothing
    clock.now += 1.0
    assert bucket.reserve("a", 5.0) == (True, pytest.approx(5.0))
    assert bucket.reserve("b", 5.0) == (True, 0.0)  # another client has its own


def test_a_request_the_dispatcher_admitted_does_not_spend_a_second_token(limited):
    app, _ = limited
    statuses = [get(app, "/api/search?q=flood", "10.0.0.9").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    admitted = app.test_client().get(
        "/api/search?q=flood",
        environ_base={"REMOTE_ADDR": "10.0.0.9", ratelimit.ADMITTED: "10.0.0.9"},
    )
    assert admitted.status_code == 200
