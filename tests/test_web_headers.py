"""Security headers on every kind of response: pages, JSON, static files, errors."""

from __future__ import annotations

import pytest
from conftest import make_app

import search
from web.headers import CONTENT_SECURITY_POLICY
from web.state import EXTENSION

EXPECTED = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def assert_secure(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name


def test_the_policy_forbids_inline_code_and_framing():
    rules = dict(rule.split(" ", 1) for rule in CONTENT_SECURITY_POLICY.split("; "))
    assert rules["script-src"] == "'self'" and rules["style-src"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert rules["frame-ancestors"] == "'none'" and rules["object-src"] == "'none'"


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/search?q=flood", 200),
        ("GET", "/search?sort=date", 200),
        ("GET", "/api/search?q=flood", 200),
        ("GET", "/suggest?q=fl", 200),
        ("GET", "/opensearch.xml", 200),
        ("GET", "/static/style.css", 200),
        ("GET", "/static/suggest.js", 200),
        ("GET", "/static/favicon.svg", 200),
        ("GET", "/search?q=a*", 400),
        ("GET", "/api/search?q=flood&page=0", 400),
        ("GET", "/article/0123456789abcdef", 404),
        ("GET", "/api/article/0123456789abcdef", 404),
        ("GET", "/no/such/page", 404),
        ("GET", "/static/missing.css", 404),
        ("POST", "/api/search?q=flood", 405),
        ("POST", "/search?q=flood", 405),
    ],
)
def test_every_route_type_carries_the_security_headers(client, method, url, status):
    with client.open(url, method=method) as response:  # closes a streamed static file
        assert response.status_code == status
        assert_secure(response)


def test_article_pages_and_json_carry_them(client):
    article_id = client.get("/api/search?q=river").get_json()["hits"][0]["id"]
    assert_secure(client.get(f"/article/{article_id}"))
    assert_secure(client.get(f"/api/article/{article_id}"))


def test_an_unexpected_error_carries_them(built_index, corpus_dir, monkeypatch):
    app = make_app(built_index, corpus_dir, TESTING=False)

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(search.Index, "search", explode)
    client = app.test_client()
    for url in ("/search?q=flood", "/api/search?q=flood"):
        response = client.get(url)
        assert response.status_code == 500
        assert_secure(response)
    app.extensions[EXTENSION].close()


def test_no_index_yet_carries_them(tmp_path, corpus_dir):
    client = make_app(tmp_path / "missing", corpus_dir).test_client()
    for url in ("/", "/api/search?q=flood", "/suggest?q=fl"):
        response = client.get(url)
        assert response.status_code == 503
        assert_secure(response)
