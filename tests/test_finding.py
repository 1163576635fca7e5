"""What readers mean: reporters and outlets by plain words, words a result lacks,
and misspelt queries answered with the corrected results."""

import pytest
from helpers import article, write_corpus

from search import open_index, rebuild

SILT = "Silt from the harbour will go to the old quarry, the port authority said."


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("finding")
    write_corpus(
        root / "corpus",
        {
            # Okafor writes about ferries; another story quotes him at length.
            "gazette/ferry.txt": article(
                "Ferry timetable changes in spring",
                "The island ferry will sail twice an hour from April, the operator said.",
                byline="Daniel Okafor",
            ),
            "gazette/quotes.txt": article(
                "Union disputes ferry pay offer",
                "Union steward Okafor said Okafor family crews would strike. Okafor, "
                "a ferry deckhand, is no relation of the reporter Okafor.",
                byline="Lena Marsh",
            ),
            "gazette/dredging.txt": article(
                "Harbour dredging to begin",
                "Dredging of the inner harbour begins. " + SILT,
                byline="Lena Marsh",
            ),
            "courier/lighthouse.txt": article(
                "Lighthouse keeper retires",
                "The Gull Spit lighthouse keeper retired after forty years on the rock.",
                byline="José Álvarez",
            ),
            "courier/octopus.txt": article(
                "Octopus escapes aquarium tank",
                "An octopus slipped out of its tank at the aquarium and was found in a drain.",
                byline="José Álvarez",
            ),
        },
    )
    rebuild(root / "corpus", root / "index")
    with open_index(root / "index") as ix:
        yield ix


def paths(results):
    return [h.path for h in results.hits]


def test_a_reporters_name_finds_their_articles_first(index):
    assert paths(index.search("Okafor")) == ["gazette/ferry.txt", "gazette/quotes.txt"]
    assert paths(index.search("okafor ferry")) == ["gazette/ferry.txt", "gazette/quotes.txt"]


def test_names_match_without_accents_and_a_whole_name_is_hinted(index):
    results = index.search("jose alvarez")
    assert paths(results) == ["courier/lighthouse.txt", "courier/octopus.txt"]
    assert results.named_authors == ("José Álvarez",)
    assert index.search("lighthouse").named_authors == ()


def test_an_outlet_is_found_by_its_whole_name_only(index):
    # "gazette" is the whole name of the outlet "Gazette" (the folder name).
    assert paths(index.search("gazette dredging"))[0] == "gazette/dredging.txt"
    assert {h.source for h in index.search("gazette dredging").hits} == {"Gazette"}
    assert paths(index.search("lighthouse")) == ["courier/lighthouse.txt"]


def test_each_hit_says_which_typed_words_it_lacks(index):
    results = index.search("zzqxv lighthouse octopus")
    assert paths(results) == ["courier/lighthouse.txt", "courier/octopus.txt"]
    assert [h.missing for h in results.hits] == [("zzqxv", "octopus"), ("zzqxv", "lighthouse")]
    # A word matched in the byline is not missing.
    assert index.search("alvarez octopus").hits[0].missing == ()


def test_a_misspelt_query_shows_the_corrected_results(index):
    results = index.search("harbr")
    assert results.showing == "harbour"
    assert results.query == "harbr"
    assert paths(results) == ["gazette/dredging.txt"]


def test_a_misspelt_word_among_found_words_is_corrected(index):
    # "ferry" alone finds results; "operatr" is in no article.
    results = index.search("ferry operatr")
    assert results.showing == "ferry operator"
    assert paths(results)[0] == "gazette/ferry.txt"
    assert results.hits[0].missing == ()


def test_searching_as_typed_keeps_the_words_and_offers_the_correction(index):
    results = index.search("ferry operatr", correct=False)
    assert results.showing is None
    assert results.correction == "ferry operator"
    assert all("operatr" in h.missing for h in results.hits)


def test_a_misspelt_reporters_name_is_corrected_from_the_bylines(index):
    # "Marsh" is in no article's text, only in two bylines.
    results = index.search("Marsch")
    assert results.showing == "marsh"
    assert set(paths(results)) == {"gazette/quotes.txt", "gazette/dredging.txt"}


def test_suggestions_complete_reporters_names(index):
    assert index.suggest("jose al")[0] == "José Álvarez"
    assert "Daniel Okafor" in index.suggest("okaf")
    named = [c for c in index.completions("daniel ok") if c.kind == "name"]
    assert [c.text for c in named] == ["Daniel Okafor"]


def test_a_headline_suggestion_carries_its_article(index):
    headlines = [c for c in index.completions("octopus aqu") if c.kind == "headline"]
    assert [c.text for c in headlines] == ["Octopus escapes aquarium tank"]
    assert index.article(headlines[0].article_id).path == "courier/octopus.txt"


def test_a_long_description_lists_no_missing_words(index):
    results = index.search("ferry island sail twice hour april operator timetable spring")
    assert results.hits and all(h.missing == () for h in results.hits)
    assert index.search("ferry island sail twice").hits[-1].missing != ()
