"""Which misspellings are corrected, and into what: a real typo is, a word the
index merely lacks is not, and a name is never turned into common words."""

import pytest
from helpers import article, write_corpus

from search import open_index, rebuild


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("corrections")
    write_corpus(
        root / "corpus",
        {
            "news/wage.txt": article(
                "Minimum wage to rise in April",
                "The minimum wage will rise by four percent, the labour ministry said.",
            ),
            "news/food.txt": article(
                "Food banks say more families need help",
                "Families in need queue longer; more volunteers are needed as needs grow.",
            ),
            "news/garden.txt": article(
                "Beetles thrive in nettle beds",
                "A beetle that likes to nestle in nettle beds is spreading, growers said.",
            ),
            "news/port.txt": article(
                "Port strike ends after talks",
                "Dock workers returned on Monday after a week-long strike.",
                byline="Andrea Corcoran",
            ),
            "news/council.txt": article(
                "Council backs new bridge",
                "Councillor Andrew Cochran said the bridge would open in 2027.",
            ),
        },
    )
    rebuild(root / "corpus", root / "index")
    with open_index(root / "index") as ix:
        yield ix


def paths(results):
    return [h.path for h in results.hits]


def test_a_real_typo_is_corrected(index):
    results = index.search("minimun wage")
    assert results.correction == "minimum wage"
    assert paths(results)[0] == "news/wage.txt"


def test_a_word_the_index_lacks_is_not_turned_into_a_shorter_commoner_one(index):
    # "need", "needs", "needed" share its first letters; "beetle", "nettle"
    # and "nestle" are two letters away each: none is a slip of "needle".
    results = index.search("needle")
    assert results.correction is None and results.showing is None
    assert not results.hits


def test_a_reporters_name_is_not_corrected_into_common_words(index):
    for typed in ("Andrea Corcoran", "andrea corcoran"):
        results = index.search(typed)
        assert results.correction is None and results.showing is None
        assert paths(results) == ["news/port.txt"]


def test_a_misspelt_reporters_name_is_corrected_from_the_bylines(index):
    results = index.search("andrea corcran")
    assert results.showing == "andrea corcoran"
    assert paths(results) == ["news/port.txt"]


def test_a_capitalised_name_the_index_does_not_know_is_left_as_typed(tmp_path):
    corpus = write_corpus(
        tmp_path / "corpus",
        {
            "news/council.txt": article(
                "Council backs new bridge",
                "Councillor Andrew Cochran said the bridge would open in 2027.",
            )
        },
    )
    rebuild(corpus, tmp_path / "index")
    with open_index(tmp_path / "index") as ix:
        # Each word is a slip or two from "andrew cochran", but a capitalised
        # word the index lacks is more often a name it does not cover.
        typed = ix.search("Andrea Corcoran")
        assert typed.correction is None and not typed.hits
        # Typed in lower case it is words like any other.
        assert ix.search("andrea corcoran").correction == "andrew cochran"
        # Nor is a capitalised word beside a known one ("Andrew" is).
        assert ix.search("Andrew Cochrn").correction is None


@pytest.mark.parametrize(
    ("typed", "candidates", "chosen"),
    [
        ("minimun", ["minimum", "minimal"], "minimum"),  # one slip beats two
        ("habrour", ["harbour", "arbour"], "harbour"),  # a swap is one slip
        ("harbr", ["harbour"], "harbour"),  # two letters left out
        ("needle", ["need"], None),  # two letters too many
        ("needle", ["needed", "needs"], None),  # another ending of "need"
        ("westport", ["westcorp"], "westcorp"),  # two slips, one word fits
        ("needle", ["beetle", "nettle"], None),  # two slips, several fit
        ("cafe", ["card"], None),  # two slips in a short word
    ],
)
def test_a_correction_is_an_index_word_the_typed_word_is_a_likely_slip_of(
    typed, candidates, chosen
):
    from search.serve.typos import likely

    found = likely(typed, [(word, 1) for word in candidates])
    assert (found[0][0] if found else None) == chosen
