from datetime import date

import pytest
from features_corpus import build

from search import BadQuery, open_index, rebuild
from search.serve.filters import parse_date


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("filters")
    rebuild(build(root / "corpus"), root / "index")
    with open_index(root / "index") as ix:
        yield ix


def paths(results):
    return [h.path for h in results.hits]


def test_facet_counts_follow_the_query(index):
    results = index.search("court ruling", collapse=False)
    assert results.facets["source"] == {"Courier": 2, "Gazette": 1}
    assert results.facets["author"] == {
        "Hannah Lindqvist": 1,
        "Marguerite Osei": 1,
        "Owen Pritchard": 1,
    }
    assert results.facets["year"] == {"2025": 3}
    assert results.facets["month"] == {"2025-01": 3}


def test_source_filter_and_several_values_or_together(index):
    assert set(paths(index.search("harbour OR court", sources=("Gazette",)))) == {
        "gazette/court.txt",
        "gazette/harbour.txt",
        "gazette/museum.txt",
    }
    both = index.search("ruling", sources=("Gazette", "Courier"), collapse=False)
    assert both.total == 3


def test_a_filtered_facet_still_counts_its_other_values(index):
    results = index.search("ruling", sources=("Gazette",), collapse=False)
    assert results.total == 1
    assert results.facets["source"] == {"Courier": 2, "Gazette": 1}


def test_filter_values_are_never_query_syntax(index):
    assert index.search("court", sources=('Gazette" OR "Courier',)).total == 0
    assert index.search("court", authors=("*",)).total == 0


def test_author_filter(index):
    assert paths(index.search("harbour", authors=("Owen Pritchard",))) == ["gazette/harbour.txt"]


def test_date_range_is_inclusive(index):
    january = index.search(
        "", date_from=date(2025, 1, 21), date_to=date(2025, 1, 21), collapse=False
    )
    assert sorted(paths(january)) == ["courier/court.txt", "gazette/court.txt"]


def test_sort_by_date_puts_undated_last_both_ways(index):
    newest = paths(index.search("harbour OR court OR museum", sort="date", collapse=False))
    assert newest[0] == "courier/clerks.txt"
    assert newest[-2:] == ["gazette/harbour.txt", "gazette/museum.txt"]
    oldest = paths(index.search("harbour OR court OR museum", sort="date_asc", collapse=False))
    assert oldest[0] == "gazette/harbour.txt"
    assert oldest[-1] == "gazette/museum.txt"


def test_relevance_search_keeps_undated_articles(index):
    assert paths(index.search("lighthouse keepers")) == ["gazette/museum.txt"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"sort": "popular"}, "sort must be one of"),
        ({"date_from": date(2025, 2, 1), "date_to": date(2025, 1, 1)}, "swap them"),
        ({"sources": ("x",) * 50}, "at most"),
    ],
)
def test_bad_options_are_bad_queries(index, options, message):
    with pytest.raises(BadQuery, match=message):
        index.search("court", **options)


@pytest.mark.parametrize("text", ["2025-13-01", "yesterday", "2025/01/01", ""])
def test_malformed_dates_are_refused_with_the_expected_form(text):
    with pytest.raises(BadQuery, match="ISO date like"):
        parse_date(text, "from")
