"""The web front end as a reader and a script see it: pages, JSON, errors, live rebuilds."""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import FLOOD_RANKING, IMG, SCRIPT, Page, assert_json_error, html_of, make_app
from helpers import article, write_corpus

import search
from web import create_app, present
from web.state import EXTENSION


def hit_titles(html: str) -> list[str]:
    """Result titles as the reader sees them, in page order."""
    titles = re.findall(r'<h2 class="hit-title"><a [^>]*>(.*?)</a></h2>', html)
    return [Page(t).visible for t in titles]


def api_titles(client, query: str) -> list[str]:
    return [h["title"] for h in client.get(f"/api/search?q={query}").get_json()["hits"]]


# -- home and page furniture ----------------------------------------------------------


def test_home_page_has_one_labelled_search_box(client):
    response = client.get("/")
    assert response.status_code == 200
    page = Page(html_of(response))
    assert page.find("html", lang="en")
    assert len(page.find("h1")) == 1
    forms = page.find("form", role="search")
    assert len(forms) == 1 and forms[0]["action"] == "/search"
    assert page.find("label", **{"for": "q"})
    assert page.find("input", id="q", name="q", type="search")


@pytest.mark.parametrize(
    "url", ["/", "/search?q=flood", "/search?q=zzzz", "/search?q=a*", "/article/nope"]
)
def test_every_page_links_opensearch_and_a_stylesheet_and_has_no_inline_code(client, url):
    html = client.get(url).get_data(as_text=True)
    page = Page(html)
    assert page.find("link", rel="search", type="application/opensearchdescription+xml")
    assert page.find("link", rel="stylesheet")
    assert len(page.find("h1")) == 1
    # The one script is the site's own file, loaded after the page; nothing inline.
    assert re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.DOTALL) == [""]
    assert page.find("script") == [{"src": "/static/suggest.js", "defer": None}]
    assert not [a for _, a in page.tags if "style" in a or any(k.startswith("on") for k in a)]


def test_empty_query_shows_the_home_page(client):
    for url in ("/search", "/search?q=", "/search?q=+++"):
        response = client.get(url)
        assert response.status_code == 200
        page = Page(html_of(response))
        assert "autofocus" in page.find("input", id="q")[0]
        assert not page.find("p", role="status")


# -- results ----------------------------------------------------------------------------


def test_api_ranks_the_headline_match_first(client):
    data = client.get("/api/search?q=flood").get_json()
    assert [h["path"] for h in data["hits"]] == FLOOD_RANKING
    assert data["total"] == 2
    assert data["page"] == 1 and data["per_page"] == 10


def test_results_page_lists_hits_in_rank_order_with_marked_words(client):
    response = client.get("/search?q=flood")
    assert response.status_code == 200
    html = html_of(response)
    assert hit_titles(html) == api_titles(client, "flood")
    assert hit_titles(html)[0] == "River floods the old town"
    status = re.search(r'<p class="result-count" role="status">(.*?)</p>', html, re.DOTALL)
    assert re.fullmatch(r"2 results \(in \d+(\.\d)? ms\)", Page(status.group(1)).visible)
    snippets = re.findall(r'<p class="snippet">(.*?)</p>', html)
    assert "<mark>flooded</mark>" in snippets[0]
    assert "River <mark>floods</mark> the old town" in html  # the title is marked too
    # The query stays in the box, and the hit shows its source, date and author.
    assert Page(html).find("input", id="q", value="flood")
    assert "daily.example" in html and "3 March 2024" in html and "Ann Reed" in html


def test_hit_links_to_the_article_by_opaque_id(client):
    html = client.get("/search?q=market").get_data(as_text=True)
    hrefs = re.findall(r'<h2 class="hit-title"><a href="([^"]+)"', html)
    assert len(hrefs) == 1
    assert re.fullmatch(r"/article/[0-9a-f]+\?q=market", hrefs[0])
    assert "market.txt" not in hrefs[0]


def test_no_results_suggests_fewer_words(client):
    response = client.get("/search?q=zeppelin+armada")
    assert response.status_code == 200
    text = Page(html_of(response)).visible
    assert "0 results" in text
    assert "No articles match zeppelin armada" in text
    assert "fewer words" in text


def test_pagination_keeps_state_in_the_url(client):
    first = client.get("/search?q=flood&per_page=1").get_data(as_text=True)
    assert hit_titles(first) == ["River floods the old town"]
    page = Page(first)
    assert page.find("a", rel="next", href="/search?q=flood&page=2&per_page=1")
    assert not page.find("a", rel="prev")
    assert page.find("a", **{"aria-current": "page", "href": "/search?q=flood&per_page=1"})

    second = client.get("/search?q=flood&page=2&per_page=1").get_data(as_text=True)
    assert hit_titles(second) == api_titles(client, "flood")[1:]
    page = Page(second)
    assert page.find("a", rel="prev", href="/search?q=flood&per_page=1")
    assert not page.find("a", rel="next")


def test_a_page_past_the_last_offers_the_first(client):
    html = client.get("/search?q=flood&page=5").get_data(as_text=True)
    assert hit_titles(html) == []
    assert "no results on page 5" in Page(html).visible
    assert Page(html).find("a", href="/search?q=flood")


@pytest.mark.parametrize(
    ("current", "last", "expected"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 20, [1, 2, 3, 4, None, 20]),
        (10, 20, [1, None, 7, 8, 9, 10, 11, 12, 13, None, 20]),
        (20, 20, [1, None, 17, 18, 19, 20]),
    ],
)
def test_page_numbers_show_the_ends_and_a_window_around_the_current_page(current, last, expected):
    assert present.page_numbers(current, last) == expected


# -- article view -------------------------------------------------------------------------


def hit_id(client, query: str) -> str:
    return client.get(f"/api/search?q={query}").get_json()["hits"][0]["id"]


def test_article_view_shows_clean_body_and_metadata(client):
    response = client.get(f"/article/{hit_id(client, 'river')}?q=river&page=2")
    assert response.status_code == 200
    html = html_of(response)
    page = Page(html)
    assert re.search(r"<h1>River floods the old town</h1>", html)
    paragraphs = re.findall(r"<p>(.*?)</p>", html.split('<div class="body">')[1])
    assert paragraphs == [
        "The river rose two metres overnight and flooded the old town, "
        "where shops stayed shut on Monday.",
        "Residents said the flood was the worst in fifty years. "
        "Volunteers filled sandbags along the bank.",
    ]
    assert "Ann Reed" in html and "daily.example" in html
    assert page.find("time", datetime="2024-03-03T10:00:00+00:00")
    assert page.find("a", href="https://daily.example/river-floods")
    assert page.find("a", href="/search?q=river&page=2")  # back to the same results page


def test_article_without_a_search_links_to_a_new_search(client):
    html = client.get(f"/article/{hit_id(client, 'market')}").get_data(as_text=True)
    assert "Back to results" not in html
    assert Page(html).find("a", href="/")
    assert "https://" not in html.split('<div class="body">')[1]  # no original link


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://daily.example/a?b=1", "https://daily.example/a?b=1"),
        ("http://daily.example/a", "http://daily.example/a"),
        ("  HTTPS://daily.example/a  ", "https://daily.example/a"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\tscript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("file:///etc/passwd", None),
        ("//daily.example/a", None),
        ("https:///nohost", None),
        ("http://[::1", None),
        ("", None),
        (None, None),
    ],
)
def test_original_link_only_for_web_addresses(url, shown):
    assert present.original_url(url) == shown


def test_unknown_article_is_a_404_page_and_json(client):
    response = client.get("/article/0123456789abcdef")
    assert response.status_code == 404
    assert "Not found" in Page(html_of(response)).visible
    assert_json_error(client.get("/api/article/0123456789abcdef"), 404)
    assert_json_error(client.get("/api/article/..%2F..%2Fetc%2Fpasswd"), 404)
    assert_json_error(client.get("/api/no-such-endpoint"), 404)


def test_api_article_is_the_stable_shape(client):
    article_id = hit_id(client, "river")
    data = client.get(f"/api/article/{article_id}").get_json()
    assert data["id"] == article_id
    assert data["path"] == "daily/river.html"
    assert data["title"] == "River floods the old town"
    assert data["body"].split("\n\n")[1].startswith("Residents said")
    assert data["published"] == "2024-03-03T10:00:00+00:00"  # the page said Z


# -- markup in documents and queries is text ----------------------------------------------


def test_markup_in_a_document_is_escaped_in_results_and_snippet(client):
    html = client.get("/search?q=reader+pasted").get_data(as_text=True)
    assert SCRIPT not in html and "<img" not in html
    snippet = re.findall(r'<p class="snippet">(.*?)</p>', html)[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet
    assert SCRIPT in Page(snippet).visible  # the reader sees the characters as typed


def test_markup_in_a_document_is_escaped_in_the_article_view(client):
    html = client.get(f"/article/{hit_id(client, 'reader pasted')}").get_data(as_text=True)
    assert SCRIPT not in html and "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    visible = Page(html).visible
    assert SCRIPT in visible and IMG in visible


def test_markup_in_a_document_is_data_in_json(client):
    response = client.get("/api/search?q=reader+pasted")
    assert response.mimetype == "application/json"
    hit = response.get_json()["hits"][0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hit["snippet_html"]
    assert SCRIPT not in hit["snippet_html"]
    body = client.get(f"/api/article/{hit['id']}").get_json()["body"]
    assert SCRIPT in body and IMG in body  # JSON carries the text itself, as text


def test_markup_in_the_query_is_escaped(client):
    html = client.get("/search", query_string={"q": f'{SCRIPT}"><b>x'}).get_data(as_text=True)
    assert html.count("<script") == 1  # the site's own suggest.js
    assert SCRIPT not in html and "<b>x" not in html
    assert "&lt;script&gt;" in html


# -- bad input: 400 with a message, never a 500 ------------------------------------------


BAD_PARAMS = [
    {"q": "flood", "page": "0"},
    {"q": "flood", "page": "-1"},
    {"q": "flood", "page": "abc"},
    {"q": "flood", "page": "1e9"},
    {"q": "flood", "page": "1.5"},
    {"q": "flood", "page": "999999999"},
    {"q": "flood", "page": "9" * 400},
    {"q": "flood", "per_page": "0"},
    {"q": "flood", "per_page": "1000"},
    {"q": "flood", "per_page": "ten"},
    {"q": "flood", "per_page": " 5"},
    {"q": "a*"},
    {"q": "flood " * 2000},
    {"q": "(" * 50 + "flood"},
]


@pytest.mark.parametrize("args", BAD_PARAMS)
def test_bad_query_or_params_are_a_400_page(client, args):
    response = client.get("/search", query_string=args)
    assert response.status_code == 400
    text = Page(html_of(response)).visible
    assert "can't be run" in text
    assert "Error 400" in text


@pytest.mark.parametrize("args", [*BAD_PARAMS, {"q": ""}, {}])
def test_bad_query_or_params_are_a_400_json_error(client, args):
    message = assert_json_error(client.get("/api/search", query_string=args), 400)
    assert "Traceback" not in message


def test_bad_page_message_names_the_parameter(client):
    message = assert_json_error(client.get("/api/search?q=flood&page=abc"), 400)
    assert "page" in message and "abc" in message


def test_odd_but_harmless_queries_are_answered(client):
    for q in ['"unclosed phrase', "NOT", "title:", "flood)))", "\x00flood", "ﬂood", "?" * 30]:
        assert client.get("/search", query_string={"q": q}).status_code == 200, q
        assert client.get("/api/search", query_string={"q": q}).status_code in (200, 400), q


def test_wrong_method_is_a_405_json_error(client):
    response = client.post("/api/search?q=flood")
    assert_json_error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_an_unexpected_error_is_a_500_without_details(built_index, corpus_dir, monkeypatch):
    app = make_app(built_index, corpus_dir, TESTING=False)

    def explode(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(search.Index, "search", explode)
    client = app.test_client()
    message = assert_json_error(client.get("/api/search?q=flood"), 500)
    assert "secret" not in message
    page = client.get("/search?q=flood")
    assert page.status_code == 500
    assert "secret" not in page.get_data(as_text=True)
    app.extensions[EXTENSION].close()


# -- no index yet, and new builds ----------------------------------------------------------


def test_no_index_is_a_503_with_the_command_then_served_after_a_rebuild(tmp_path, corpus_dir):
    index_dir = tmp_path / "not-built-yet"
    app = make_app(index_dir, corpus_dir)
    client = app.test_client()
    command = f"newsearch rebuild --corpus {corpus_dir} --index {index_dir}"

    for url in ("/", "/search?q=flood", "/article/0123456789abcdef"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert command in Page(html_of(response)).visible
    assert command in assert_json_error(client.get("/api/search?q=flood"), 503)
    assert_json_error(client.get("/api/article/0123456789abcdef"), 503)

    search.rebuild(corpus_dir, index_dir)  # same folder, same app, no restart

    assert client.get("/").status_code == 200
    assert hit_titles(client.get("/search?q=flood").get_data(as_text=True))[0] == (
        "River floods the old town"
    )
    app.extensions[EXTENSION].close()


def test_a_new_build_is_served_without_restart(client, corpus_dir, built_index):
    assert client.get("/api/search?q=lighthouse").get_json()["total"] == 0
    write_corpus(
        corpus_dir,
        {"daily/lighthouse.txt": article("Lighthouse keeper retires", "The keeper retired.")},
    )
    search.rebuild(corpus_dir, built_index)
    data = client.get("/api/search?q=lighthouse").get_json()
    assert [h["path"] for h in data["hits"]] == ["daily/lighthouse.txt"]


def test_rebuilds_while_serving_lose_no_request(client, corpus_dir, built_index):
    """Eight threads search without pause while the index is rebuilt twice."""
    stop = threading.Event()
    started = threading.Barrier(8 + 1)
    failures: list[str] = []
    served = [0] * 8

    def hammer(n: int) -> None:
        own_client = client.application.test_client()
        urls = ["/api/search?q=flood", "/search?q=flood", "/search?q=market&per_page=1"]
        first = True
        while not stop.is_set():
            for url in urls:
                response = own_client.get(url)
                ok = response.status_code == 200
                if ok and url.startswith("/api/"):
                    ok = response.get_json()["total"] >= 2
                if not ok:
                    failures.append(f"{url}: {response.status_code}")
                served[n] += 1
            if first:
                started.wait(timeout=30)
                first = False
        client.application.extensions[EXTENSION].close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        workers = [pool.submit(hammer, n) for n in range(8)]
        started.wait(timeout=30)
        before = list(served)
        for round_ in range(2):
            write_corpus(
                corpus_dir,
                {f"daily/extra{round_}.txt": article(f"Flood relief round {round_}", "Aid came.")},
            )
            search.rebuild(corpus_dir, built_index)
        stop.set()
        for w in workers:
            w.result()

    assert failures == []
    assert all(after > b for after, b in zip(served, before, strict=True))
    data = client.get("/api/search?q=relief").get_json()
    assert sorted(h["path"] for h in data["hits"]) == ["daily/extra0.txt", "daily/extra1.txt"]


# -- configuration and OpenSearch ----------------------------------------------------------


def test_index_dir_comes_from_the_environment(monkeypatch, built_index):
    monkeypatch.setenv("NEWSEARCH_INDEX", str(built_index))
    app = create_app({"TESTING": True})
    assert app.config["INDEX_DIR"] == str(built_index)
    data = app.test_client().get("/api/search?q=flood").get_json()
    assert [h["path"] for h in data["hits"]] == FLOOD_RANKING
    app.extensions[EXTENSION].close()


def test_the_old_variable_name_still_works_with_a_warning(monkeypatch, built_index):
    monkeypatch.setenv("NEWSEARCH_INDEX_DIR", str(built_index))
    monkeypatch.setenv("NEWSEARCH_CORPUS_DIR", "old-corpus")
    with pytest.warns(DeprecationWarning) as caught:
        app = create_app({"TESTING": True})
    assert [str(w.message).split()[0] for w in caught] == [
        "NEWSEARCH_CORPUS_DIR",
        "NEWSEARCH_INDEX_DIR",
    ]
    assert (app.config["INDEX_DIR"], app.config["CORPUS_DIR"]) == (str(built_index), "old-corpus")
    monkeypatch.setenv("NEWSEARCH_INDEX", "new-index")
    with pytest.warns(DeprecationWarning) as caught:
        assert create_app().config["INDEX_DIR"] == "new-index"  # the new name wins
    assert [str(w.message).split()[0] for w in caught] == ["NEWSEARCH_CORPUS_DIR"]


def test_test_config_wins_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSEARCH_INDEX", "from-env")
    assert create_app({"INDEX_DIR": str(tmp_path)}).config["INDEX_DIR"] == str(tmp_path)
    assert create_app().config["CORPUS_DIR"] == "corpus"


def test_opensearch_description_points_at_the_search_page(client):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/opensearchdescription+xml"
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    root = ET.fromstring(response.data)
    assert root.find("os:ShortName", ns).text == "newsearch"
    templates = {u.get("type"): u.get("template") for u in root.findall("os:Url", ns)}
    assert templates["text/html"].startswith("http://localhost/search?q={searchTerms}")
    assert templates["application/json"].startswith("http://localhost/api/search?q={searchTerms}")


@pytest.mark.parametrize(
    ("summary", "shown"),
    [
        ("The river rose two metres and flooded the town.", None),
        ("Fifty years of dykes failed in one night, say engineers.", "Fifty years of dykes"),
        (None, None),
    ],
)
def test_summary_is_shown_only_when_it_adds_to_the_lead(summary, shown):
    lead = ["The river rose two metres overnight and flooded the old town on Monday."]
    result = present.distinct_summary(summary, lead)
    assert result == shown if shown is None else result.startswith(shown)
