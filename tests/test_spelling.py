import pytest
from features_corpus import build

from search import open_index, rebuild


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("spelling")
    rebuild(build(root / "corpus"), root / "index")
    with open_index(root / "index") as ix:
        yield ix


def test_a_misspelt_query_offers_the_spelling_that_finds_more(index):
    results = index.search("dreging harbor")
    assert results.correction == "dredging harbour"


def test_a_query_that_finds_enough_gets_no_correction(index):
    assert index.search("court ruling").correction is None


def test_queries_with_syntax_are_not_rewritten(index):
    assert index.search('"dreging harbor"').correction is None


def test_names_typed_without_accents_match(index):
    assert [h.path for h in index.search("jose alvarez").hits] == ["gazette/museum.txt"]


def test_suggestions_complete_the_last_word_in_context(index):
    assert index.suggest("harbour dre")[0] == "harbour dredging"
    assert index.suggest("light")[0] == "lighthouse"


def test_suggestions_include_matching_headlines(index):
    assert "Maritime museum reopens" in index.suggest("maritime mus")


def test_suggestions_need_two_characters(index):
    assert index.suggest("h") == []
    assert index.suggest("  ") == []


def test_short_words_are_corrected_by_one_edit_at_most(index):
    assert index.search("museun").correction == "museum"  # long enough for two edits
    assert index.search("cafe").correction is None  # "card", "case" are two edits away


@pytest.mark.parametrize("word", ["dreging", "harbor", "musem", "lighthose", "xqzt"])
def test_the_vocabulary_corrector_finds_every_word_within_two_edits(index, word):
    from search.serve import spelling

    searcher = index._searcher()
    words = spelling.vocabulary(searcher).words
    assert words == sorted(set(words)) and "dredging" in words
    ours = spelling._VocabularyCorrector(searcher, words).suggest(word, limit=10, maxdist=2)
    # Whoosh's automaton keeps the first letter (prefix=1) and allows two edits.
    near = {w for w in words if w[0] == word[0] and spelling.edit_distance(w, word) <= 2}
    assert set(ours) == near


def test_completions_follow_the_words_typed_before_them(tmp_path):
    from helpers import article, write_corpus

    corpus = write_corpus(
        tmp_path / "corpus",
        {
            "a/ruling.txt": article("Voter ID ruling", "The court struck down the voter ID law."),
            "a/appeal.txt": article("Voter ID appeal", "The state appealed the voter ID ruling."),
            # more frequent overall, but never next to "voter"
            "b/ice1.txt": article("Ice on roads", "Ice closed the roads; more ice is due."),
            "b/ice2.txt": article("Ice rink opens", "The ice rink opened on Friday."),
            "b/ice3.txt": article("Ice storm", "An ice storm hit the coast."),
        },
    )
    rebuild(corpus, tmp_path / "index")
    with open_index(tmp_path / "index") as ix:
        offered = ix.suggest("voter i")
        assert offered[0] == "voter id"
        assert "voter ice" not in offered  # no article has both


def test_a_headline_shared_by_copies_is_suggested_once(tmp_path):
    from helpers import article, write_corpus

    story = article("Ferry strike ends", "Ferry pilots ended their strike on Monday after talks.")
    corpus = write_corpus(tmp_path / "corpus", {"a/ferry.txt": story, "b/ferry.txt": story})
    rebuild(corpus, tmp_path / "index")
    with open_index(tmp_path / "index") as ix:
        assert ix.suggest("ferry str").count("Ferry strike ends") == 1
