"""Search features readers expect, on the page and in the JSON API: facets, filters,
dates, sort orders, browsing, did-you-mean, syndicated copies, related coverage,
suggestions. Corpus: tests/features_corpus.py (Gazette and Courier, one shared wire story).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from conftest import Page, assert_json_error, html_of, make_app
from helpers import article, write_corpus

import search
from search.cli import main
from web.state import EXTENSION

COURT_TITLES = {"Appeal court strikes down voter ID law", "Court throws out photo ID rule"}


def titles(html: str) -> list[str]:
    found = re.findall(r'<h2 class="hit-title"><a [^>]*>(.*?)</a></h2>', html)
    return [Page(t).visible for t in found]


def facet(html: str, name: str) -> dict[str, tuple[str, int, bool]]:
    """A facet list as {label: (link, count, selected)}."""
    section = re.search(
        rf'<section class="facet" aria-labelledby="facet-{name}">(.*?)</section>', html, re.S
    )
    if section is None:
        return {}
    out = {}
    for attrs, inner in re.findall(r"<a ([^>]*)>(.*?)</a>", section.group(1), re.S):
        href = re.search(r'href="([^"]*)"', attrs).group(1).replace("&amp;", "&")
        label = Page(re.search(r'<span class="facet-label">(.*?)</span>', inner).group(1))
        count = re.search(r"([\d,]+)</span>$", inner.strip()).group(1)
        out[label.visible] = (href, int(count.replace(",", "")), 'aria-current="true"' in attrs)
    return out


def args_of(url: str) -> dict[str, list[str]]:
    parts = urlsplit(url)
    assert parts.path == "/search"
    return parse_qs(parts.query)


def sources_of(client, url: str) -> set[str]:
    data = client.get(url.replace("/search", "/api/search", 1)).get_json()
    return {h["source"] for h in data["hits"]}


# -- facets toggle filters through the URL ------------------------------------------------


def test_facets_count_sources_authors_and_years(features_client):
    html = html_of(features_client.get("/search?sort=date"))
    assert Page(html).find("aside", **{"aria-labelledby": "filters-heading"})
    listing = features_client.get("/api/search?sort=date").get_json()
    total = listing["total"]
    sources = facet(html, "source")
    assert set(sources) == {"Courier", "Gazette"}
    # Facets count every article, the folded copy of the wire story included.
    assert sum(count for _, count, _ in sources.values()) == total + listing["collapsed"]
    assert not any(selected for _, _, selected in sources.values())
    assert facet(html, "author")["Hannah Lindqvist"][1] == 1
    assert {year: count for year, (_, count, _) in facet(html, "year").items()} == {
        "2025": 3,  # the clerks story and both copies of the wire story
        "2024": 1,
    }
    assert facet(html, "month") == {}  # months are offered once a year is chosen


def test_clicking_a_source_filters_and_clicking_again_removes_it(features_client):
    html = html_of(features_client.get("/search?q=ruling"))
    link = facet(html, "source")["Courier"][0]
    assert args_of(link) == {"q": ["ruling"], "source": ["Courier"]}

    filtered = html_of(features_client.get(link))
    assert sources_of(features_client, link) == {"Courier"}
    assert "Clerks reprint election guides after ID ruling" in titles(filtered)
    courier, _, selected = facet(filtered, "source")["Courier"]
    assert selected
    assert args_of(courier) == {"q": ["ruling"]}  # the same link now takes it away
    # The active filter is listed with a remove link.
    page = Page(filtered)
    assert "Source: Courier" in page.visible
    assert page.find("a", href="/search?q=ruling", **{"class": "remove"})


def test_two_values_of_one_facet_or_together(features_client):
    one = html_of(features_client.get("/search?sort=date&source=Gazette"))
    both_link = facet(one, "source")["Courier"][0]
    assert args_of(both_link)["source"] == ["Gazette", "Courier"]
    assert sources_of(features_client, both_link) == {"Gazette", "Courier"}
    # The other value is still offered with its count although a source is chosen.
    assert facet(one, "source")["Courier"][1] >= 1


def test_filters_of_different_facets_and_together(features_client):
    data = features_client.get(
        "/api/search", query_string={"q": "", "source": "Gazette", "author": "Owen Pritchard"}
    ).get_json()
    assert {h["path"] for h in data["hits"]} <= {"gazette/court.txt", "gazette/harbour.txt"}
    assert data["hits"]
    assert all(h["author"] == "Owen Pritchard" for h in data["hits"])


def test_year_facet_sets_the_date_range_and_offers_months(features_client):
    html = html_of(features_client.get("/search?sort=date&source=Gazette&source=Courier"))
    years = facet(html, "year")
    assert set(years) == {"2025", "2024"}
    link = years["2024"][0]
    assert args_of(link)["from"] == ["2024-01-01"] and args_of(link)["to"] == ["2024-12-31"]

    in_2024 = html_of(features_client.get(link))
    assert titles(in_2024) == ["Harbour dredging to begin in September"]
    assert "Published in 2024" in Page(in_2024).visible
    assert facet(in_2024, "year")["2024"][2]  # selected
    assert set(facet(in_2024, "month")) == {"June"}
    off = facet(in_2024, "year")["2024"][0]
    assert "from" not in args_of(off) and "to" not in args_of(off)


def test_date_form_works_without_javascript(features_client):
    html = html_of(features_client.get("/search?q=court&source=Courier&sort=date"))
    form = re.search(r'<form class="date-form"(.*?)</form>', html, re.S).group(0)
    page = Page(form)
    assert page.find("form", method="get", action="/search")
    assert page.find("input", type="date", name="from") and page.find("input", name="to")
    hidden = {(a["name"], a["value"]) for a in page.find("input", type="hidden")}
    assert hidden == {("q", "court"), ("source", "Courier"), ("sort", "date")}
    # What the browser sends when the form is submitted with one date filled in:
    response = features_client.get("/search?q=court&source=Courier&sort=date&from=2025-01-22&to=")
    assert response.status_code == 200
    assert "Published from 22 January 2025" in Page(html_of(response)).visible


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"from": "2025-13-45"}, "from must be an ISO date"),
        ({"to": "yesterday"}, "to must be an ISO date"),
        ({"from": "2025/01/01"}, "from must be an ISO date"),
        ({"from": "2025-02-01", "to": "2025-01-01"}, "swap them"),
        ({"sort": "popular"}, "sort must be one of relevance, date, date_asc"),
        ({"all": "yes"}, "all must be 1 or 0"),
    ],
)
def test_bad_filters_are_a_400_with_a_message(features_client, args, message):
    page = features_client.get("/search", query_string={"q": "court", **args})
    assert page.status_code == 400
    assert message in Page(html_of(page)).visible
    assert message in assert_json_error(
        features_client.get("/api/search", query_string={"q": "court", **args}), 400
    )


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("date", ["2025-01-22", "2025-01-21", "2024-06-03", None]),
        ("date_asc", ["2024-06-03", "2025-01-21", "2025-01-22", None]),
    ],
)
def test_date_sorts_put_undated_articles_last(features_client, sort, expected):
    data = features_client.get(f"/api/search?sort={sort}").get_json()
    days = [h["published"][:10] if h["published"] else None for h in data["hits"]]
    assert days == expected


def test_sort_select_keeps_the_search_and_marks_the_current_order(features_client):
    html = html_of(features_client.get("/search?q=court&source=Courier&sort=date_asc"))
    form = re.search(r'<form class="sort-form"(.*?)</form>', html, re.S).group(0)
    page = Page(form)
    selected = [a["value"] for a in page.find("option") if "selected" in a]
    assert selected == ["date_asc"]
    hidden = {(a["name"], a["value"]) for a in page.find("input", type="hidden")}
    assert hidden == {("q", "court"), ("source", "Courier")}


def test_empty_query_with_a_filter_browses_instead_of_the_home_page(features_client):
    html = html_of(features_client.get("/search?source=Gazette"))
    assert not Page(html).find("input", autofocus="")
    api = features_client.get("/api/search?source=Gazette").get_json()
    assert f"{api['total']} articles" in Page(html).visible
    assert titles(html) == [h["title"] for h in api["hits"]]
    assert {"Harbour dredging to begin in September", "Maritime museum reopens"} <= set(
        titles(html)
    )
    assert {h["source"] for h in api["hits"]} == {"Gazette"}


def test_state_survives_paging_and_the_trip_to_an_article(features_client):
    html = html_of(
        features_client.get("/search?sort=date&source=Courier&source=Gazette&per_page=1")
    )
    nxt = Page(html).find("a", rel="next")[0]["href"]
    assert args_of(nxt) == {
        "source": ["Courier", "Gazette"],
        "sort": ["date"],
        "page": ["2"],
        "per_page": ["1"],
    }
    second = Page(html_of(features_client.get(nxt)))
    assert second.find("a", rel="prev")[0]["href"] == (
        "/search?source=Courier&source=Gazette&sort=date&per_page=1"
    )
    hit_link = next(a["href"] for a in second.find("a") if a["href"].startswith("/article/"))
    assert args_of("/search?" + urlsplit(hit_link).query) == args_of(nxt)
    article = Page(html_of(features_client.get(hit_link)))
    back = [a["href"] for a in article.find("a") if a.get("href", "").startswith("/search")]
    assert back == [nxt]  # "Back to results" returns to the same filtered page


# -- did-you-mean -------------------------------------------------------------------------


def test_corrected_results_keep_the_filters_and_offer_the_words_as_typed(features_client):
    html = html_of(features_client.get("/search?q=harbor&source=Gazette"))
    assert re.search(
        r'<p class="correction showing">Showing results for\s*<a [^>]*><strong>harbour<', html
    )
    back = re.search(r'Search instead for <a class="as-typed" href="([^"]+)">(.*?)</a>', html)
    assert back.group(2) == "harbor"
    assert args_of(back.group(1).replace("&amp;", "&")) == {
        "q": ["harbor"],
        "source": ["Gazette"],
        "spell": ["0"],
    }
    api = features_client.get("/api/search?q=harbor").get_json()
    assert api["correction"] == api["showing"] == "harbour" and api["query"] == "harbor"
    assert api["total"] > 0


def test_did_you_mean_when_searching_as_typed(features_client):
    html = html_of(features_client.get("/search?q=harbor&source=Gazette&spell=0"))
    link = re.search(r'<p class="correction">Did you mean\s*<a href="([^"]+)">(.*?)</a>', html)
    assert link.group(2) == "harbour"
    assert args_of(link.group(1).replace("&amp;", "&")) == {
        "q": ["harbour"],
        "source": ["Gazette"],
    }


# -- syndicated copies ----------------------------------------------------------------------


def test_copies_are_folded_under_one_hit_with_links_to_each(features_client):
    url = "/search?q=photo+identification+polls"
    html = html_of(features_client.get(url))
    shown = [t for t in titles(html) if t in COURT_TITLES]
    assert len(shown) == 1
    hit = next(
        h
        for h in features_client.get("/api/" + url[1:]).get_json()["hits"]
        if h["title"] in COURT_TITLES
    )
    (copy,) = hit["duplicates"]
    copies = re.search(r'<p class="copies">(.*?)</p>', html, re.S).group(1)
    assert Page(copies).visible.startswith("Also in:")
    links = {
        Page(text).visible: href.replace("&amp;", "&")
        for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', copies)
    }
    assert set(links) == {copy["source"], "show all copies"}
    assert links[copy["source"]] == f"/article/{copy['id']}?q=photo+identification+polls"
    assert links["show all copies"] == url + "&all=1"
    copy_page = Page(html_of(features_client.get(links[copy["source"]])))
    assert copy_page.visible.count(copy["source"]) >= 1
    assert len(copy_page.find("h1")) == 1

    expanded = html_of(features_client.get(links["show all copies"]))
    assert set(titles(expanded)) >= COURT_TITLES
    assert "Show each story once" in Page(expanded).visible


def test_json_says_which_copies_were_folded(features_client):
    data = features_client.get("/api/search?q=photo+identification+polls").get_json()
    court = [h for h in data["hits"] if h["title"] in COURT_TITLES]
    assert len(court) == 1
    assert [d["path"].split("/")[1] for d in court[0]["duplicates"]] == ["court.txt"]
    every = features_client.get("/api/search?q=photo+identification+polls&all=1").get_json()
    assert len([h for h in every["hits"] if h["title"] in COURT_TITLES]) == 2
    assert every["collapsed"] == 0


# -- related coverage ---------------------------------------------------------------------


def article_id(client, query: str) -> str:
    return client.get("/api/search", query_string={"q": query}).get_json()["hits"][0]["id"]


def test_article_shows_related_coverage(features_client):
    clerks = article_id(features_client, "clerks reprint")
    html = html_of(features_client.get(f"/article/{clerks}"))
    section = re.search(r'<section class="related".*?</section>', html, re.S).group(0)
    assert "Related coverage" in Page(section).visible
    links = Page(section).find("a")
    assert 1 <= len(links) <= 5
    related = features_client.get(f"/api/article/{clerks}").get_json()["related"]
    assert [f"/article/{r['id']}" for r in related] == [a["href"] for a in links]
    assert {r["title"] for r in related} & COURT_TITLES
    assert clerks not in {r["id"] for r in related}


def test_article_names_the_outlets_that_carried_the_same_story(features_client):
    hits = features_client.get("/api/search", query_string={"q": "impersonation", "all": "1"})
    by_path = {h["path"]: h["id"] for h in hits.get_json()["hits"]}
    gazette, courier = by_path["gazette/court.txt"], by_path["courier/court.txt"]
    html = html_of(features_client.get(f"/article/{gazette}"))
    copies = re.search(r'<p class="copies">.*?</p>', html, re.S).group(0)
    assert "Also published by: Courier" in " ".join(Page(copies).visible.split())
    assert [a["href"] for a in Page(copies).find("a")] == [f"/article/{courier}"]
    data = features_client.get(f"/api/article/{gazette}").get_json()
    assert [c["path"] for c in data["copies"]] == ["courier/court.txt"]
    clerks = article_id(features_client, "clerks reprint")
    assert '<p class="copies">' not in html_of(features_client.get(f"/article/{clerks}"))


# -- suggestions ----------------------------------------------------------------------------


def test_suggestions_are_opensearch_json(features_client):
    response = features_client.get("/suggest?q=harb")
    assert response.status_code == 200
    assert response.mimetype == "application/x-suggestions+json"
    typed, words, kinds, links = response.get_json(force=True)
    assert typed == "harb"
    assert words[0] == "harbour"
    assert all(isinstance(w, str) for w in words) and len(words) <= 8
    assert len(kinds) == len(links) == len(words)


def test_headline_suggestions_link_their_article_and_names_are_offered(features_client):
    _, words, kinds, links = features_client.get("/suggest?q=harbour dre").get_json(force=True)
    headline = words.index("Harbour dredging to begin in September")
    assert kinds[headline] == "Article"
    article = features_client.get(links[headline])
    assert article.status_code == 200 and "Harbour dredging to begin" in html_of(article)
    assert links[words.index("harbour dredging")] == ""
    _, words, kinds, links = features_client.get("/suggest?q=owen pri").get_json(force=True)
    assert words[0] == "Owen Pritchard" and kinds[0] == "Reporter or outlet"


@pytest.mark.parametrize("typed", ["", "h", " ", "x" * 101])
def test_too_little_or_too_much_typed_gets_no_suggestions(features_client, typed):
    response = features_client.get("/suggest", query_string={"q": typed})
    assert response.get_json(force=True) == [typed, [], [], []]


def test_opensearch_advertises_suggestions(features_client):
    root = ET.fromstring(features_client.get("/opensearch.xml").data)
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    templates = {u.get("type"): u.get("template") for u in root.findall("os:Url", ns)}
    assert templates["application/x-suggestions+json"] == (
        "http://localhost/suggest?q={searchTerms}"
    )


def test_search_box_names_the_suggestion_endpoint_for_the_script(features_client):
    page = Page(html_of(features_client.get("/")))
    assert page.find("input", id="q", **{"data-suggest": "/suggest"})
    assert page.find("script", src="/static/suggest.js")


# -- an older build served because the newest is damaged ----------------------------------


def test_a_damaged_newest_build_is_shown_to_operators(tmp_path, caplog):
    corpus = write_corpus(
        tmp_path / "corpus",
        {
            "a/one.txt": article(
                "Harbour news", "The harbour opened its new quay for fishing boats."
            )
        },
    )
    index_dir = tmp_path / "index"
    search.rebuild(corpus, index_dir)
    bad = search.rebuild(corpus, index_dir).generation
    for path in (search.store.layout.builds_dir(index_dir) / bad).iterdir():
        if path.name.endswith(".pst"):
            path.write_bytes(b"")
    app = make_app(index_dir, corpus)
    client = app.test_client()

    html = html_of(client.get("/search?q=harbour"))
    assert "Serving an older copy of the search index" in Page(html).visible
    assert titles(html) == ["Harbour news"]
    api = client.get("/api/search?q=harbour")
    # Clients get a generic warning: no index path, build name or process id.
    shown = api.headers["X-Index-Warning"]
    assert "damaged" in shown and "rebuild" in shown
    assert str(tmp_path) not in shown and bad not in shown
    assert bad not in html and str(tmp_path) not in html
    warnings = [r for r in caplog.records if "damaged" in r.getMessage()]
    assert len(warnings) == 1  # logged once, not on every request
    assert bad in warnings[0].getMessage()  # the details are for the operator
    result = CliRunner().invoke(main, ["stats", "--index", str(index_dir)])
    assert bad in result.output
    app.extensions[EXTENSION].close()


def test_an_intact_index_shows_no_warning(features_client):
    response = features_client.get("/search?q=court")
    assert "X-Index-Warning" not in response.headers
    assert "older copy" not in response.get_data(as_text=True)


def test_the_footer_api_link_is_the_search_on_the_page(features_client):
    html = html_of(features_client.get("/search?q=court&source=Gazette&sort=date"))
    link = re.search(r'<a href="([^"]+)">JSON API</a>', html).group(1).replace("&amp;", "&")
    assert urlsplit(link).path == "/api/search"
    assert parse_qs(urlsplit(link).query) == {
        "q": ["court"],
        "source": ["Gazette"],
        "sort": ["date"],
    }
    api = features_client.get(link).get_json()
    assert api["total"] >= 1 and {h["source"] for h in api["hits"]} == {"Gazette"}


def test_chosen_facet_values_stay_on_top_and_long_lists_fold_into_more(features_app):
    from search import SearchResults
    from search.model import SearchRequest
    from web import facets as page_facets

    authors = {f"Reporter {n:02d}": 20 - n for n in range(12)}
    state = SearchRequest("court", authors=("Reporter 05",))
    results = SearchResults("court", 30, 1, 10, 1.0, facets={"author": authors})
    with features_app.test_request_context("/search"):
        group = next(g for g in page_facets.groups(results, state) if g.name == "author")
    assert group.values[0].label == "Reporter 05" and group.values[0].active
    assert [v.label for v in group.shown][1:3] == ["Reporter 00", "Reporter 01"]
    assert len(group.shown) == page_facets.FACET_SHOWN
    assert len(group.shown) + len(group.more) == 12


def test_a_filter_without_words_lists_newest_first_and_says_so(features_client):
    html = html_of(features_client.get("/search?source=Gazette"))
    status = re.search(r'<p class="result-count" role="status">(.*?)</p>', html, re.S).group(1)
    assert "newest first" in Page(status).visible
    assert re.search(r'<option value="date" selected>Newest first</option>', html)
    api = features_client.get("/api/search?source=Gazette").get_json()
    dates = [h["published"] for h in api["hits"] if h["published"]]
    assert dates == sorted(dates, reverse=True) and len(dates) >= 2
