"""The array path for plain word queries gives exactly what the Whoosh path gives."""

from __future__ import annotations

from datetime import date

import pytest
from features_corpus import build, page
from helpers import article, page_summary, write_corpus

from search import open_index, rebuild, update
from search.serve import array_page

QUERIES = [
    "court",
    "voter ruling",
    "harbour",
    "photo identification polls",
    "museum roof",
    '"photo identification"',
]
OPTIONS = [
    {},
    {"collapse": False},
    {"sources": ("Courier",)},
    {"sources": ("Courier", "Gazette"), "authors": ("Owen Pritchard",)},
    {"date_from": date(2025, 1, 21), "date_to": date(2025, 1, 22)},
    {"per_page": 1, "page": 2},
    {"per_page": 2, "page": 5},
    {"sort": "date"},
    {"sort": "date_asc", "collapse": False},
    {"sort": "date", "sources": ("Courier", "Gazette"), "per_page": 1, "page": 2},
    {"sort": "date_asc", "date_from": date(2025, 1, 21)},
]
# Listings without words: a filter alone, or a date order alone.
LISTINGS = [
    {"sort": "date"},
    {"sort": "date_asc", "per_page": 2, "page": 2},
    {"sources": ("Courier",)},
    {"date_to": date(2025, 1, 21), "collapse": False},
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("array_page")
    corpus = build(root / "corpus")
    rebuild(corpus, root / "index")
    # An update leaves deleted documents and a second segment behind.
    write_corpus(corpus, {"gazette/extra.txt": article("Harbour court", "The harbour court met.")})
    (corpus / "gazette/museum.txt").unlink()
    update(corpus, root / "index")
    return root / "index"


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("query", QUERIES)
def test_same_page_as_the_whoosh_path(index_dir, query, options, monkeypatch):
    with open_index(index_dir) as index:
        fast = index.search(query, **options)
    monkeypatch.setattr(array_page.ArrayPager, "accepts", lambda *args: False)
    with open_index(index_dir) as index:
        slow = index.search(query, **options)
    assert page_summary(fast) == page_summary(slow)


@pytest.mark.parametrize("options", LISTINGS)
def test_listings_are_the_same_as_the_whoosh_paths(index_dir, options, monkeypatch):
    with open_index(index_dir) as index:
        fast = index.search("", **options)
    monkeypatch.setattr(array_page.ArrayPager, "accepts", lambda *args: False)
    with open_index(index_dir) as index:
        slow = index.search("", **options)
    assert fast.hits  # the corpus has dated articles of both outlets
    assert page_summary(fast) == page_summary(slow)


def test_date_order_puts_undated_articles_last_and_folds_to_the_newest_copy(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(
        corpus,
        {
            "a/old.txt": page("Dam opens", None, "January 5, 2024", "The dam opened."),
            "a/undated.txt": page("Dam report", None, None, "A report on the dam."),
            "b/new.txt": page("Dam closes", None, "March 1, 2024", "The dam closed for repairs."),
            "c/mid.txt": page("Dam works", None, "February 1, 2024", "Works at the dam went on."),
        },
    )
    rebuild(corpus, tmp_path / "index")
    with open_index(tmp_path / "index") as index:
        newest = [h.path for h in index.search("dam", sort="date").hits]
        oldest = [h.path for h in index.search("dam", sort="date_asc").hits]
    assert newest == ["b/new.txt", "c/mid.txt", "a/old.txt", "a/undated.txt"]
    assert oldest == ["a/old.txt", "c/mid.txt", "b/new.txt", "a/undated.txt"]


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("query", QUERIES)
def test_ranking_only_the_head_of_the_matches_gives_the_same_page(
    index_dir, query, options, monkeypatch
):
    """A tiny head forces both the partial sort and its fallback (copies folded
    until too few are left) on this small corpus."""
    with open_index(index_dir) as index:
        full = index.search(query, **options)
    monkeypatch.setattr(array_page, "SORT_HEAD_MIN", 1)
    monkeypatch.setattr(array_page, "SORT_HEAD_FACTOR", 1)
    with open_index(index_dir) as index:
        head = index.search(query, **options)
    assert page_summary(head) == page_summary(full)


def test_plain_word_queries_take_the_array_path(index_dir, monkeypatch):
    taken = []
    real = array_page.ArrayPager.accepts

    def spy(self, *args):
        accepted = real(self, *args)
        taken.append(accepted)
        return accepted

    monkeypatch.setattr(array_page.ArrayPager, "accepts", spy)
    with open_index(index_dir) as index:
        index.search("voter ruling")
        index.search('"voter ruling"')
        index.search("voter ruling", sort="date")
        index.search('"voter ruling"', sort="date")
        index.search("", sources=("Courier",))
        index.search("voter AND ruling", sort="date")
    # A phrase is paged from arrays too, on its position files (tests/test_phrases.py),
    # and so are date orders and listings without words; operators go to Whoosh.
    assert taken == [True, True, True, True, True, False]
