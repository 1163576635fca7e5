"""A host program passing the wrong type gets a SearchError naming the argument."""

from __future__ import annotations

import datetime

import pytest
from helpers import article, write_corpus

from search import BadArgument, BadQuery, Index, SearchError, extract, rebuild, update


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("types")
    corpus = write_corpus(
        root / "corpus",
        {"port/harbour.txt": article("Harbour dredging", "The harbour board approved dredging.")},
    )
    rebuild(corpus, root / "index")
    return root / "index"


# One source as a string and ISO date strings are accepted shapes
# (tests/test_library.py); a date that is not ISO, or other types, are not.
SEARCH_CASES = [
    ((None,), {}),
    ((b"harbour",), {}),
    ((5,), {}),
    (("harbour",), {"sources": None}),
    (("harbour",), {"authors": (b"x",)}),
    (("harbour",), {"date_from": "January 2020"}),
    (("harbour",), {"date_to": 5}),
    (("harbour",), {"sort": None}),
    (("harbour",), {"collapse": "no"}),
    (("harbour",), {"page": "2"}),
    (("harbour",), {"no_such_option": 1}),
]


@pytest.mark.parametrize(("args", "options"), SEARCH_CASES)
def test_search_refuses_wrong_types_with_bad_query(index_dir, args, options):
    with Index(index_dir) as index, pytest.raises(BadQuery):
        index.search(*args, **options)


@pytest.mark.parametrize("method", ["article", "related", "copies", "suggest"])
@pytest.mark.parametrize("value", [None, b"harbour", 7])
def test_lookups_refuse_wrong_types(index_dir, method, value):
    with Index(index_dir) as index, pytest.raises(BadQuery):
        getattr(index, method)(value)


def test_a_lone_surrogate_is_text_not_a_crash(index_dir):
    with Index(index_dir) as index:
        assert index.search("harb\udc80*").total == 0
        assert index.search("harbour \udcff").total == 1
        assert isinstance(index.suggest("har\udc80"), list)
        with pytest.raises(SearchError, match="no article"):
            index.article("ab\udc80")


@pytest.mark.parametrize("value", [None, 5, b"index", ""])
def test_paths_must_be_paths(index_dir, value):
    with pytest.raises(BadArgument):
        Index(value)
    with pytest.raises(BadArgument):
        rebuild(value, index_dir.parent / "other")
    with pytest.raises(BadArgument):
        update(index_dir.parent / "corpus", value)
    assert issubclass(BadArgument, TypeError)  # code catching TypeError still works


# Text (str) is accepted as well as bytes (tests/test_library.py).
@pytest.mark.parametrize(("data", "path"), [(None, "a.txt"), (5, "a.txt"), (b"x", None)])
def test_extract_refuses_wrong_types(data, path):
    with pytest.raises(BadArgument):
        extract(data, path)


def test_a_corpus_with_nothing_to_index_builds_an_empty_searchable_index(tmp_path):
    # Every file skipped: the build used to crash writing term index files,
    # and a search of the empty index crashed reading its columns.
    corpus = write_corpus(tmp_path / "corpus", {"port/blob.txt": b"\x00\x01\x02binary"})
    report = rebuild(corpus, tmp_path / "index")
    assert report.indexed == 0 and len(report.skipped) == 1
    with Index(tmp_path / "index") as index:
        for query in ("harbour", '"harbour board"', "harb*"):
            assert index.search(query).total == 0
        assert index.search("", date_from=datetime.date(2020, 1, 1)).total == 0
        assert index.stats()["advice"] is None
