"""Phrase queries matched on the position arrays answer as Whoosh's matching did,
take the array path, and keep answering on a build written before the files."""

from __future__ import annotations

from datetime import date

import pytest
from features_corpus import build
from helpers import article, page_summary, write_corpus
from whoosh.query import Phrase

from search import open_index, rebuild, update
from search.serve import array_page, phrases
from search.store import layout, positions

PHRASES = [
    '"photo identification"',
    '"voter ID law"',
    '"the court"',
    '"appeal court ruling"~3',
    '"photo identification" polls',
    '"photo identification" -ruling',
    'title:"voter ID"',
    '"court ruling" OR "voter guides"',
    '"photo identification" AND valley',
    '"identification photo"',
]
OPTIONS = [
    {},
    {"collapse": False},
    {"sources": ("Courier",)},
    {"date_from": date(2025, 1, 21), "date_to": date(2025, 1, 22)},
    {"sort": "date"},
    {"per_page": 1, "page": 2},
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("phrases")
    corpus = build(root / "corpus")
    rebuild(corpus, root / "index")
    # An update leaves deleted documents and a second segment behind.
    write_corpus(
        corpus,
        {"gazette/extra.txt": article("Photo identification", "The photo identification desk.")},
    )
    (corpus / "gazette/museum.txt").unlink()
    update(corpus, root / "index")
    return root / "index"


def paths(results):
    return [h.path for h in results.hits]


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("query", PHRASES)
def test_same_page_as_whooshs_phrase_matching(index_dir, query, options, monkeypatch):
    with open_index(index_dir) as index:
        fast = index.search(query, **options)
    monkeypatch.setattr(phrases, "positional", lambda query, searcher: query)
    with open_index(index_dir) as index:
        slow = index.search(query, **options)
    assert page_summary(fast) == page_summary(slow)


def test_phrases_are_matched_on_positions_and_paged_from_arrays(index_dir, monkeypatch):
    def whoosh_matching(*args, **kwargs):
        raise AssertionError("Whoosh's phrase matcher was used")

    monkeypatch.setattr(Phrase, "matcher", whoosh_matching)
    taken = []
    real = array_page.ArrayPager.accepts
    monkeypatch.setattr(
        array_page.ArrayPager, "accepts", lambda self, *a: taken.append(real(self, *a)) or taken[-1]
    )
    with open_index(index_dir) as index:
        assert paths(index.search('"photo identification" polls'))
        assert paths(index.search('"photo identification" AND valley'))  # a Whoosh AND
        assert paths(index.search('"photo identification"', sort="date"))
    # Date orders are paged from arrays too (array_page, tests/test_array_page.py).
    assert taken == [True, False, True]


@pytest.fixture
def small(tmp_path):
    corpus = write_corpus(
        tmp_path / "corpus",
        {
            "a/wall.txt": article("Harbour news", "The harbour wall was repaired on Monday."),
            "a/reverse.txt": article("Walls", "Wall harbour is one name; harbour wall is another."),
            "a/apart.txt": article("Apart", "The harbour has a long sea wall."),
            # Ends with "harbour"; the next document starts with "wall".
            "b/end.txt": article(
                "Night",
                "The fishing boats came back late in the evening, one by one, to the harbour.",
            ),
            "b/start.txt": article(
                "Wall repairs begin",
                "Wall repairs begin today, and the council expects them to last a month.",
            ),
            "c/twice.txt": article(
                "Twice", "Harbour wall news: the harbour wall held, the harbour wall stood."
            ),
        },
    )
    rebuild(corpus, tmp_path / "index")
    return corpus, tmp_path / "index"


def test_word_order_distance_and_document_edges(small):
    _, index_dir = small
    with open_index(index_dir) as index:
        exact = paths(index.search('"harbour wall"'))
        assert sorted(exact) == ["a/reverse.txt", "a/wall.txt", "c/twice.txt"]
        # "harbour wall" three times outranks it once in a longer text.
        assert exact[0] == "c/twice.txt"
        assert paths(index.search('"wall harbour"')) == ["a/reverse.txt"]
        # Up to three positions apart: "harbour has a long sea wall" is five.
        assert "a/apart.txt" not in paths(index.search('"harbour wall"~3'))
        assert "a/apart.txt" in paths(index.search('"harbour wall"~5'))
        # Never across two documents, nor from a headline into its body.
        assert "b/end.txt" not in paths(index.search('"harbour wall"~5'))
        assert "b/start.txt" not in paths(index.search('"harbour wall"~5'))
        assert paths(index.search('"begin wall"')) == []
        assert paths(index.search('"harbour wall held"')) == ["c/twice.txt"]


def test_a_build_without_position_files_answers_the_same_and_update_writes_them(small, monkeypatch):
    corpus, index_dir = small
    queries = ['"harbour wall"', '"wall harbour"', '"harbour wall"~5 repairs']
    with open_index(index_dir) as index:
        before = [page_summary(index.search(q)) for q in queries]
    build_dir = layout.builds_dir(index_dir) / layout.current_generation(index_dir)
    for path in build_dir.glob("*" + positions.SUFFIX):
        path.unlink()
    layout.seal(build_dir)  # as a version before the files would have built it
    with open_index(index_dir) as index:
        assert phrases.positional_fields(index._searcher()) == frozenset()
        assert [page_summary(index.search(q)) for q in queries] == before
    write_corpus(corpus, {"d/new.txt": article("Harbour wall", "A new harbour wall.")})
    update(corpus, index_dir)
    build_dir = layout.builds_dir(index_dir) / layout.current_generation(index_dir)
    assert len(list(build_dir.glob("*" + positions.SUFFIX))) == 2
    with open_index(index_dir) as index:
        assert phrases.positional_fields(index._searcher()) == {"title", "body"}
        assert "d/new.txt" in paths(index.search('"harbour wall"'))


def test_a_phrase_of_the_commonest_words_is_answered_in_full(small):
    """What ran into the deadline on Whoosh's matching: no partial answer."""
    _, index_dir = small
    with open_index(index_dir) as index:
        index.deadline_s = 1e-9  # any check of the deadline would cut it short
        found = index.search('"harbour wall" ha*')
    assert not found.partial
    assert found.total == 5  # every article naming the harbour


@pytest.fixture
def stop_words(tmp_path):
    """Phrases with stop words inside: the index keeps a stop word's place."""
    corpus = write_corpus(
        tmp_path / "corpus",
        {
            "boe/of.txt": article(
                "Interest rates held steady", "The Bank of England kept interest rates on hold."
            ),
            "boe/bare.txt": article(
                "New notes printed this spring", "A bank England trusts printed the new notes."
            ),
            "boe/reverse.txt": article(
                "Holiday calendar published", "In England bank holidays fall on Mondays."
            ),
            "boe/apart.txt": article(
                "Two branches to close", "The bank in New England closed two branches."
            ),
            "sotu/the.txt": article(
                "President gives yearly address",
                "The president gave the State of the Union address on Tuesday.",
            ),
            "sotu/bare.txt": article(
                "Workers vote to strike", "The state union voted to strike on Tuesday."
            ),
            "sotu/of.txt": article(
                "An essay on parties", "A state of union between the parties is rare."
            ),
            "co/said.txt": article("Profits rise at the firm", "The company said profits rose."),
            "co/it.txt": article("The firm makes a profit", "The company, it said, made a profit."),
        },
    )
    rebuild(corpus, tmp_path / "index")
    return corpus, tmp_path / "index"


def test_a_stop_word_inside_a_phrase_keeps_its_place(stop_words):
    _, index_dir = stop_words
    with open_index(index_dir) as index:
        # Not "bank England", "England bank" nor "bank in New England".
        assert paths(index.search('"bank of england"')) == ["boe/of.txt"]
        assert paths(index.search('"Bank of England"')) == ["boe/of.txt"]
        # Two stop words: "state union" and "state of union" are not it.
        assert paths(index.search('"state of the union"')) == ["sotu/the.txt"]
        # Among plain words the phrase is a bonus for the article that has it.
        assert paths(index.search('"state of the union" tuesday')) == [
            "sotu/the.txt",
            "sotu/bare.txt",
            "sotu/of.txt",
        ]
        # Stop words at either end of a phrase do not count.
        assert paths(index.search('"the company said"')) == ["co/said.txt"]
        assert paths(index.search('"company said the"')) == ["co/said.txt"]
        # The words without the stop word are a phrase of their own.
        assert paths(index.search('"bank england"')) == ["boe/bare.txt"]
        # Inside AND and NOT, where the phrase is a Whoosh matcher.
        assert paths(index.search('"bank of england" AND rates')) == ["boe/of.txt"]
        assert sorted(paths(index.search('"bank of england" OR "state union"'))) == [
            "boe/of.txt",
            "sotu/bare.txt",
        ]
        assert paths(index.search('"bank of england" -interest')) == []
        # A phrase of stop words only matches nothing, as before.
        found = index.search('"to be or not to be"')
        assert (paths(found), found.total) == ([], 0)


def test_slop_loosens_each_distance_of_a_phrase_with_a_stop_word(stop_words):
    _, index_dir = stop_words
    with open_index(index_dir) as index:
        # ~2: england 1 to 3 positions after bank, never before it.
        assert sorted(paths(index.search('"bank of england"~2'))) == [
            "boe/apart.txt",
            "boe/bare.txt",
            "boe/of.txt",
        ]
        # ~2 lets "state ... union" stand 2 to 4 apart: "state of union" (2),
        # not "state union" (1).
        assert sorted(paths(index.search('"state of the union"~2'))) == [
            "sotu/of.txt",
            "sotu/the.txt",
        ]


def test_a_phrase_with_a_stop_word_is_marked_in_the_snippet(stop_words):
    _, index_dir = stop_words
    with open_index(index_dir) as index:
        (hit,) = index.search('"bank of england"').hits
    assert "The <mark>Bank</mark> of <mark>England</mark> kept" in hit.snippet_html


def test_a_build_without_position_files_keeps_the_stop_words_places(stop_words):
    _, index_dir = stop_words
    queries = [
        '"bank of england"',
        '"state of the union"',
        '"the company said"',
        '"bank of england"~2',
        '"state of the union"~2',
        '"bank of england" AND rates',
        '"bank of england" OR "state union"',
        '"bank of england"~3 -interest',
    ]
    with open_index(index_dir) as index:
        before = [page_summary(index.search(q)) for q in queries]
    build_dir = layout.builds_dir(index_dir) / layout.current_generation(index_dir)
    for path in build_dir.glob("*" + positions.SUFFIX):
        path.unlink()
    layout.seal(build_dir)
    with open_index(index_dir) as index:
        assert phrases.positional_fields(index._searcher()) == frozenset()
        assert paths(index.search('"bank of england"')) == ["boe/of.txt"]
        assert [page_summary(index.search(q)) for q in queries] == before
