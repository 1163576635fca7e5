"""Hostile input at the web edge: every request gets a 200, 400 or 404, never a 500,
never file contents, never markup run as markup.

One table: each row is one request (a raw path and query string, sent as is) and
the status it must get. Queries go to the page and to the JSON API.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from conftest import TINY_CORPUS, Page, make_app
from helpers import article, write_corpus

import search
from web.headers import SECURITY_HEADERS
from web.state import EXTENSION

HOSTILE_CORPUS = {
    **TINY_CORPUS,
    "daily/cafe.txt": article(
        "Café on the quay reopens",
        "The café on the quay reopened after the flood, serving crêpes and coffee.",
    ),
}
# What a leaked /etc/passwd would contain.
PASSWD = "root:x:0:0"
# Markup a reader might type; with a misspelt word after it the page offers a
# correction that repeats it ("Did you mean <script>alert</script> flood?").
MARKUP_TYPO = "<script>alert</script> floood"
LONG_ID = "a" * 5_000


def q(text: str, **more: str) -> str:
    return urlencode({"q": text, **more})


def both(label: str, query: str, page: int, api: int | None = None) -> list:
    """The same query string sent to the results page and to the JSON API."""
    return [
        pytest.param("/search?" + query, page, id=f"page: {label}"),
        pytest.param("/api/search?" + query, page if api is None else api, id=f"api: {label}"),
    ]


CASES = [
    # -- queries ------------------------------------------------------------------------
    *both("empty", "q=", 200, api=400),  # the page shows the home page; the API asks for words
    *both("no q at all", "", 200, api=400),
    *both("stop words only", q("the of and"), 200),
    *both("lone AND", q("AND"), 200),
    *both("lone OR", q("OR"), 200),
    *both("lone NOT", q("NOT"), 200),
    *both("lone minus", q("-"), 200),
    *both("unbalanced quote", q('"flood river'), 200),
    *both("unbalanced parentheses", q("((flood OR river"), 200),
    *both("closing parentheses", q("flood))"), 200),
    *both("unknown field", q("foo:bar"), 200),
    *both("lone star", q("*"), 400),
    *both("question marks", q("?????"), 200),
    *both("leading wildcard", q("*ing"), 400),
    *both("2,000 terms", q("w " * 2_000), 400),
    *both("3,000 nested parentheses", q("(" * 3_000 + "flood" + ")" * 3_000), 400),
    *both("3,000 opening parentheses", q("(" * 3_000 + "flood"), 400),
    *both("100 KB query", q("x" * 100_000), 400),
    *both("control characters", q("fl\x00o\x07od\x1b\x7f\r\n"), 200),
    *both("invalid UTF-8 bytes", "q=%FF%FE", 200),
    *both("lone surrogate escape", "q=%ED%A0%80flood", 200),
    *both("NFD accents", q(unicodedata.normalize("NFD", "café")), 200),
    *both("full-width letters", q("ｆｌｏｏｄ"), 200),
    *both("ligature", q("ﬂood"), 200),
    *both("RTL override", q("\u202eflood\u202c"), 200),
    *both("emoji", q("🌊🌊 flood 👍🏽"), 200),
    *both("script in query", q('"><script>alert(1)</script>'), 200),
    *both("markup with a typo", q(MARKUP_TYPO), 200),
    # -- parameters ---------------------------------------------------------------------
    *both("page 0", q("flood", page="0"), 400),
    *both("page -1", q("flood", page="-1"), 400),
    *both("page abc", q("flood", page="abc"), 400),
    *both("page 1e9", q("flood", page="1e9"), 400),
    *both("page 99999", q("flood", page="99999"), 400),
    *both("page of 400 digits", q("flood", page="9" * 400), 400),
    *both("per_page 0", q("flood", per_page="0"), 400),
    *both("per_page 10^6", q("flood", per_page="1000000"), 400),
    *both("unknown sort", q("flood", sort="popular"), 400),
    *both("injected source", q("flood", source='x" OR "1"="1'), 200),
    *both("script as source", q("flood", source="<script>alert(1)</script>"), 200),
    *both("script as author", q("", author="<img src=x onerror=alert(1)>"), 200),
    *both("source of 300 characters", q("flood", source="s" * 300), 400),
    *both("21 sources", q("flood") + "".join(f"&source=s{n}" for n in range(21)), 400),
    *both("month 13", q("flood", **{"from": "2025-13-45"}), 400),
    *both("yesterday", q("flood", to="yesterday"), 400),
    *both("slashed date", q("flood", **{"from": "2025/01/01"}), 400),
    *both("100 KB date", q("flood", **{"from": "2" * 100_000}), 400),
    *both("reversed dates", q("flood", **{"from": "2025-02-01", "to": "2025-01-01"}), 400),
    *both("all=yes", q("flood", all="yes"), 400),
    *both("repeated q", "q=flood&q=market", 200),
    *both("repeated page", "q=flood&page=1&page=2", 200),
    *both("invalid UTF-8 source", "q=flood&source=%FF%FE", 200),
    # -- routes ---------------------------------------------------------------------------
    pytest.param("/article/../../etc/passwd", 404, id="dot-dot path"),
    pytest.param("/article/%2e%2e%2f%2e%2e%2fetc%2fpasswd", 404, id="encoded dot-dot"),
    pytest.param("/article/..%2f..%2fetc%2fpasswd", 404, id="encoded slashes"),
    pytest.param("/article/%252e%252e%252fetc%252fpasswd", 404, id="double-encoded"),
    pytest.param("/article/..%5c..%5cetc%5cpasswd", 404, id="backslashes"),
    pytest.param("/api/article/..%2F..%2Fetc%2Fpasswd", 404, id="api encoded slashes"),
    pytest.param("/static/../../etc/passwd", 404, id="static dot-dot"),
    pytest.param("/static/%2e%2e/%2e%2e/etc/passwd", 404, id="static encoded dot-dot"),
    pytest.param("/article/0123456789abcdef", 404, id="unknown id"),
    pytest.param("/article/%00", 404, id="NUL id"),
    pytest.param(f"/article/{LONG_ID}", 404, id="very long id"),
    pytest.param(f"/api/article/{LONG_ID}", 404, id="api very long id"),
    pytest.param("/article/0123456789abcdef?q=flood&page=abc", 404, id="unknown id, bad page"),
    pytest.param("/suggest?q=%FF%FE", 200, id="suggest invalid UTF-8"),
    pytest.param("/suggest?" + q("x" * 100_000), 200, id="suggest 100 KB"),
    pytest.param("/suggest?" + q("<script>"), 200, id="suggest markup"),
    pytest.param("/suggest?" + q("*?()\"'"), 200, id="suggest syntax"),
]


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    corpus = write_corpus(root / "corpus", HOSTILE_CORPUS)
    search.rebuild(corpus, root / "index")
    app = make_app(root / "index", corpus)
    yield app.test_client()
    app.extensions[EXTENSION].close()


@pytest.mark.parametrize(("url", "status"), CASES)
def test_hostile_request_is_answered_safely(hostile_client, url, status):
    response = hostile_client.get(url)
    body = response.get_data(as_text=True)
    assert response.status_code == status, body[:300]
    assert PASSWD not in body and "Traceback" not in body
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    if response.mimetype == "text/html":
        # The only script element is the site's own file; typed markup stays text.
        assert re.findall(r"<script[^>]*>", body) == ['<script src="/static/suggest.js" defer>']
        assert "<img" not in body
    else:
        data = response.get_json(force=True)
        if status >= 400:
            assert data["error"]["status"] == status and data["error"]["message"]


def test_markup_in_a_correction_is_escaped(hostile_client):
    html = hostile_client.get("/search?" + q(MARKUP_TYPO) + "&spell=0").get_data(as_text=True)
    link = re.search(r'<p class="correction">Did you mean\s*<a href="([^"]+)">(.*?)</a>', html)
    assert link, "the corpus offers a correction for the typo"
    assert link.group(2) == "&lt;script&gt;alert&lt;/script&gt; flood"
    assert Page(link.group(2)).visible == "<script>alert</script> flood"
    assert parse_qs(urlsplit(link.group(1)).query) == {"q": ["<script>alert</script> flood"]}
    shown = hostile_client.get("/search?" + q(MARKUP_TYPO)).get_data(as_text=True)
    back = re.search(r'Search instead for <a class="as-typed" href="[^"]+">(.*?)</a>', shown)
    assert back.group(1) == "&lt;script&gt;alert&lt;/script&gt; floood"
    api = hostile_client.get("/api/search?" + q(MARKUP_TYPO)).get_json()
    assert api["correction"] == "<script>alert</script> flood"  # JSON carries text as text


@pytest.mark.parametrize("target", ["/api/search", "/search"])
def test_nfd_and_nfc_find_the_same_articles(hostile_client, target):
    nfc = hostile_client.get(target + "?" + q(unicodedata.normalize("NFC", "café")))
    nfd = hostile_client.get(target + "?" + q(unicodedata.normalize("NFD", "café")))
    if target == "/api/search":
        found = [h["title"] for h in nfc.get_json()["hits"]]
        assert found == ["Café on the quay reopens"]
        assert [h["title"] for h in nfd.get_json()["hits"]] == found
    else:
        hits = re.compile(r'<h2 class="hit-title"><a [^>]*>(.*?)</a>', re.S)
        found = hits.findall(nfc.get_data(as_text=True))
        assert found == ["<mark>Café</mark> on the quay reopens"]
        assert hits.findall(nfd.get_data(as_text=True)) == found


@pytest.mark.parametrize("variant", ["ｆｌｏｏｄ", "ﬂood", "\u202eflood\u202c", "🌊 flood"])
def test_odd_letters_find_what_plain_letters_find(hostile_client, variant):
    plain = hostile_client.get("/api/search?" + q("flood")).get_json()["hits"]
    odd = hostile_client.get("/api/search?" + q(variant)).get_json()["hits"]
    assert [h["id"] for h in odd] == [h["id"] for h in plain]


def test_injected_facet_values_are_values_not_syntax(hostile_client):
    data = hostile_client.get("/api/search?" + q("flood", source='x" OR "1"="1')).get_json()
    assert data["total"] == 0
    html = hostile_client.get("/search?" + q("flood", source="<script>alert(1)</script>")).get_data(
        as_text=True
    )
    assert "Source: &lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, escaped, removable
