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


@pytest.mark.parametrize("word", ["dreging", "harbor", "musem", "lighthose", "xqzt", "cafe"])
def test_corrections_are_drawn_from_every_word_whoosh_finds_within_two_edits(index, word):
    from whoosh.codec.base import Automata

    from search.serve import spelling

    known = spelling.vocabulary(index._searcher())
    assert known.words == sorted(set(known.words)) and "dredging" in known.words
    ours = {w for w, _ in known.close(word, 2)}
    # Whoosh's Levenshtein automaton, which found the candidates before,
    # walked over the same sorted words.
    dfa = Automata.levenshtein_dfa(word, 2)
    assert ours == set(Automata.find_matches(dfa, _Cursor(known.words)))
    assert bool(ours) == (word != "xqzt")


class _Cursor:
    """Whoosh's term cursor protocol (``text``, ``find``) over a sorted list."""

    def __init__(self, words):
        self.words, self.i = words, 0

    def text(self):
        return self.words[self.i] if self.i < len(self.words) else None

    def find(self, key):
        import bisect

        self.i = bisect.bisect_left(self.words, key, self.i)


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
