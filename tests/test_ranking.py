"""Ranking behaviour a reader notices, on tiny corpora written out here."""

import pytest
from helpers import article, write_corpus

from search import open_index, rebuild, schema
from search.serve import statistics

# Words that make "harbour" a common word of the little corpus below.
HARBOUR_NEWS = {
    f"ledger/harbour-{n}.txt": article(f"Harbour {topic}", f"The harbour {topic} story, day {n}.")
    for n, topic in enumerate(["fees rise", "pilots strike", "wall repaired", "festival", "ferry"])
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("ranking")
    write_corpus(
        root / "corpus",
        {
            **HARBOUR_NEWS,
            # the rare word many times, the common word never
            "ledger/zeppelin-museum.txt": article(
                "Airship museum opens",
                "The zeppelin hangar shows a zeppelin, zeppelin engines, zeppelin maps "
                "and a zeppelin cabin.",
            ),
            # both words once
            "ledger/zeppelin-harbour.txt": article(
                "Sunday sightings", "A zeppelin flew low over the harbour on Sunday."
            ),
            # the same words, in the headline or in the body
            "courier/title-dredging.txt": article(
                "Dredging begins", "Work started on Monday near the quay."
            ),
            "courier/body-dredging.txt": article(
                "Work begins", "Dredging started on Monday near the quay."
            ),
            # one word each, equally rare
            "courier/budget.txt": article("Budget report", "The budget board met in March."),
            "courier/tramway.txt": article("Tramway report", "The tramway board met in March."),
            # a question's answer and its neighbours
            "courier/court-voter-id.txt": article(
                "Court strikes down voter ID law",
                "The state supreme court decided on Tuesday that the voter ID law "
                "breaks the constitution.",
            ),
            "courier/voter-turnout.txt": article(
                "Voter turnout rises", "More voters cast ballots than at any election since 1990."
            ),
            "courier/court-zoning.txt": article(
                "Court rules on zoning", "The court sided with the neighbours of the mall."
            ),
        },
    )
    rebuild(root / "corpus", root / "index")
    with open_index(root / "index") as ix:
        yield ix


def paths(results):
    return [h.path for h in results.hits]


def test_a_document_with_all_words_outranks_one_repeating_the_rarest(index):
    assert paths(index.search("harbour zeppelin"))[:2] == [
        "ledger/zeppelin-harbour.txt",
        "ledger/zeppelin-museum.txt",
    ]


def test_a_long_article_naming_every_word_outranks_a_short_one_naming_two(tmp_path):
    agenda = " ".join(
        f"The council met on day {n} and discussed the budget of the town hall." for n in range(6)
    )
    corpus = write_corpus(
        tmp_path / "corpus",
        {
            "post/council-agenda.txt": article(
                "Council notes",
                agenda + " The pier, the winter ferry timetable and the lantern parade were "
                "on the agenda.",
            ),
            "post/lantern-parade.txt": article(
                "Lantern parade", "The lantern parade went along the pier."
            ),
            "post/pier.txt": article("Pier repairs", "The pier needs repairs before winter."),
            "post/ferry.txt": article("Ferry news", "The ferry runs to the island."),
            "post/winter.txt": article("Winter", "Winter came early to the island this year."),
            "post/timetable.txt": article("Timetable", "The bus timetable changes in May."),
        },
    )
    rebuild(corpus, tmp_path / "index")
    with open_index(tmp_path / "index") as ix:
        assert paths(ix.search("pier winter ferry timetable lantern"))[:2] == [
            "post/council-agenda.txt",
            "post/lantern-parade.txt",
        ]


def test_a_question_ranks_like_its_keywords(index):
    question = paths(index.search("What did the court decide about the voter ID law?"))
    keywords = paths(index.search("court voter ID law"))
    assert question[0] == keywords[0] == "courier/court-voter-id.txt"
    assert set(question[:3]) == set(keywords[:3])


def test_a_request_phrased_as_a_sentence_finds_its_topic(index):
    results = index.search("I am interested in any articles about the tramway, please")
    assert paths(results) == ["courier/tramway.txt"]


def test_a_headline_match_outranks_the_same_words_in_the_body(index):
    assert paths(index.search("dredging")) == [
        "courier/title-dredging.txt",
        "courier/body-dredging.txt",
    ]


def test_a_word_typed_twice_weighs_more(index):
    assert paths(index.search("budget tramway tramway"))[0] == "courier/tramway.txt"
    assert paths(index.search("budget budget tramway"))[0] == "courier/budget.txt"


def test_feedback_reorders_but_never_adds_documents_without_the_words(index):
    found = set(paths(index.search("zeppelin", per_page=100)))
    assert found == {"ledger/zeppelin-museum.txt", "ledger/zeppelin-harbour.txt"}


def test_a_long_pasted_description_is_accepted_and_ranked(index):
    description = (
        "I would be grateful for anything on the recent judgment in which the state "
        "supreme court found that the voter ID law breaks the constitution, "
        "including how the judges reasoned, what the state argued, "
    ) * 4
    assert len(description.split()) > 90
    assert paths(index.search(description))[0] == "courier/court-voter-id.txt"


def test_phrases_and_exclusions_still_apply_next_to_plain_words(index):
    assert paths(index.search('"harbour wall" zeppelin'))[0] == "ledger/harbour-2.txt"
    assert "ledger/zeppelin-harbour.txt" not in paths(index.search("zeppelin -harbour"))


def test_a_quoted_phrase_among_words_also_credits_its_words_apart(index):
    # No document has "sunday zeppelin" as a phrase; the one with both words wins.
    assert paths(index.search('harbour "sunday zeppelin"'))[0] == "ledger/zeppelin-harbour.txt"
    assert paths(index.search('"sunday zeppelin"')) == []


def test_a_query_typed_in_capitals_reads_and_or_not_as_words(index):
    assert "ledger/zeppelin-harbour.txt" in paths(index.search("ZEPPELIN NOT HARBOUR"))
    assert "ledger/zeppelin-harbour.txt" not in paths(index.search("zeppelin NOT harbour"))


@pytest.mark.parametrize("limit", [0, 200])
def test_a_small_postings_cache_ranks_exactly_as_a_large_one(index, limit, monkeypatch):
    """The build's postings cache (statistics) only saves reads: with room for
    nothing, or for a word or two (dropping the oldest), every score is the same."""
    queries = ["harbour zeppelin", "voter court law", "harbour", "budget tramway board"]
    wide = [[(h.path, h.score) for h in index.search(q).hits] for q in queries]
    monkeypatch.setattr(statistics, "POSTINGS_CACHE_BYTES", limit)
    with open_index(index.index_dir) as ix:
        narrow = [[(h.path, h.score) for h in ix.search(q).hits] for q in queries]
        cache = statistics.get(ix._searcher(), schema.DEFAULT_FIELDS)._cache
        assert 0 <= cache.size <= limit
    assert narrow == wide
    assert all(wide)
