"""The Host header a client sends never ends up in what another client gets."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from conftest import make_app

from search import BadConfig

NS = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
EVIL = "evil.example"


def _templates(response) -> dict[str, str]:
    root = ET.fromstring(response.data)
    return {u.get("type"): u.get("template") for u in root.findall("os:Url", NS)}


def test_opensearch_uses_the_configured_base_url_whatever_the_host(built_index, corpus_dir):
    app = make_app(built_index, corpus_dir, BASE_URL="https://news.example.org/")
    response = app.test_client().get("/opensearch.xml", headers={"Host": EVIL})
    templates = _templates(response)
    assert templates["text/html"].startswith("https://news.example.org/search?q=")
    assert all(EVIL not in t for t in templates.values())
    assert "Host" not in response.vary
    assert response.cache_control.max_age > 0


def test_opensearch_from_the_host_header_varies_by_host(client):
    response = client.get("/opensearch.xml", headers={"Host": EVIL})
    assert _templates(response)["text/html"].startswith(f"http://{EVIL}/search?q=")
    assert "Host" in response.vary  # a shared cache keys it by Host
    assert response.cache_control.public


def test_the_double_slash_redirect_is_relative(client):
    response = client.get("/article//abc", headers={"Host": EVIL})
    assert response.status_code in (301, 308)
    assert response.headers["Location"] == "/article/abc"


@pytest.mark.parametrize(
    "value", ["news.example.org", "javascript:alert(1)", "ftp://x", "https://"]
)
def test_a_base_url_that_is_not_a_web_address_is_refused(built_index, corpus_dir, value):
    with pytest.raises(BadConfig, match="BASE_URL"):
        make_app(built_index, corpus_dir, BASE_URL=value)
