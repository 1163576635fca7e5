"""The library as a host program uses it: options in the shapes people pass,
clear errors otherwise, dates in the zone the source gave, text snippets."""

from datetime import date, datetime, timedelta, timezone

import pytest
from helpers import write_corpus

from search import BadQuery, SearchRequest, extract, open_index, rebuild

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>Harbour dredging to begin</title>
<meta property="article:published_time" content="2024-06-03T09:30:00-04:00">
<meta property="og:site_name" content="The Harbour Gazette">
</head><body><article><h1>Harbour dredging to begin</h1>
<p>Dredging of the inner harbour will begin in September after six years of delay,
the port authority said on Monday.</p>
<p>Fishermen welcomed the news but said the work should have started sooner.</p>
</article></body></html>"""


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("library")
    write_corpus(root / "corpus", {"gazette/dredging.html": PAGE})
    rebuild(root / "corpus", root / "index")
    with open_index(root / "index") as ix:
        yield ix


def test_a_source_may_be_one_string_or_a_list(index):
    one = index.search("harbour", sources="The Harbour Gazette")
    assert one.total == 1
    assert index.search("harbour", sources=["The Harbour Gazette", "Other"]).total == 1
    assert index.search(SearchRequest("harbour", sources="The Harbour Gazette")).total == 1


def test_dates_may_be_iso_strings_or_dates(index):
    assert index.search("harbour", date_from="2024-06-01", date_to="2024-06-30").total == 1
    assert index.search("harbour", date_from=date(2024, 7, 1)).total == 0
    assert index.search("harbour", date_to=datetime(2024, 6, 3, 23, 0)).total == 1


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"date_from": "June 2024"}, "ISO date"),
        ({"date_from": 2024}, "ISO date"),
        ({"sources": 3}, "sources must be"),
        ({"colapse": False}, "unknown search option 'colapse'"),
        ({"snippet_chars": 5}, "snippet_chars"),
    ],
)
def test_misshapen_options_are_a_bad_query_saying_what_was_expected(index, options, says):
    with pytest.raises(BadQuery, match=says):
        index.search("harbour", **options)


def test_published_keeps_the_zone_the_page_gave_in_extract_and_search(index):
    extracted = extract(PAGE.encode(), "gazette/dredging.html")
    found = index.search("harbour").hits[0]
    zone = timezone(timedelta(hours=-4))
    assert extracted.published == datetime(2024, 6, 3, 9, 30, tzinfo=zone)
    assert found.published == extracted.published
    assert found.published.isoformat() == "2024-06-03T09:30:00-04:00"
    assert index.article(found.id).published.utcoffset() == timedelta(hours=-4)


def test_extract_takes_text_or_bytes():
    assert extract(PAGE, "gazette/dredging.html") == extract(PAGE.encode(), "gazette/dredging.html")
    with pytest.raises(TypeError, match="bytes or str"):
        extract(12, "gazette/dredging.html")


def test_hits_carry_a_plain_text_snippet(index):
    hit = index.search("fishermen").hits[0]
    assert "<mark>Fishermen</mark>" in hit.snippet_html
    assert hit.snippet_text.startswith("… Fishermen welcomed the news")
    assert "<" not in hit.snippet_text
