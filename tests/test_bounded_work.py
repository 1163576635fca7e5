"""Work per request is bounded: wildcard expansions, did-you-mean, a deadline.

Nothing here measures time: each test asserts how much work was done (words
a wildcard stands for, words corrected) or that a search past its deadline
says so and answers with what it found.
"""

from __future__ import annotations

import pytest
from conftest import make_app
from helpers import article, write_corpus

from search import Index, rebuild
from search.serve import budget, spelling, wildcard
from search.serve.parse import parse

# "quokka" words: quokkaa in 3 articles, quokkab in 2, quokkac in 1.
FILES = {
    "zoo/a1.txt": article("Keeper notes one", "The quokkaa enclosure reopened on Monday."),
    "zoo/a2.txt": article("Keeper notes two", "A quokkaa was weighed and a quokkab fed."),
    "zoo/a3.txt": article("Keeper notes three", "Visitors photographed the quokkaa again."),
    "zoo/b1.txt": article("Keeper notes four", "The quokkab keeper retired after forty years."),
    "zoo/c1.txt": article("Keeper notes five", "Only one quokkac lives at the island station."),
    "port/harbour.txt": article(
        "Harbour dredging approved",
        "The harbour board approved dredging of the museum channel near the lighthouse.",
    ),
}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("bounded")
    rebuild(write_corpus(root / "corpus", FILES), root / "index")
    return root / "index"


def test_a_wildcard_stands_for_its_most_frequent_words_only(index_dir, monkeypatch):
    monkeypatch.setattr(wildcard, "MAX_EXPANSIONS", 2)
    with Index(index_dir, result_cache=0) as index:
        results = index.search("quokk*")
        reader = index._searcher().reader()
        assert wildcard.expansions(reader, "body", "quokk") == [b"quokkaa", b"quokkab"]
        # The same words from the term index arrays the engine reads.
        searcher = index._searcher()
        assert wildcard.array_expansions(searcher, "body", "quokk") == [b"quokkaa", b"quokkab"]
    # The article with only the rarest expansion (quokkac) is not matched.
    assert sorted(h.path for h in results.hits) == [
        "zoo/a1.txt",
        "zoo/a2.txt",
        "zoo/a3.txt",
        "zoo/b1.txt",
    ]


def test_a_wildcard_is_one_constant_score_clause(index_dir):
    # Every expansion counts the same: an article with two of the words does
    # not outrank one with one, and a plain word still ranks its matches first.
    with Index(index_dir, result_cache=0) as index:
        alone = index.search("quokk*")
        mixed = index.search("island quokk*")
    assert len({h.score for h in alone.hits}) == 1
    assert mixed.hits[0].path == "zoo/c1.txt"
    assert {h.path for h in mixed.hits} == {f"zoo/{n}.txt" for n in ("a1", "a2", "a3", "b1", "c1")}


def test_the_scan_for_expansions_is_capped(index_dir, monkeypatch):
    monkeypatch.setattr(wildcard, "MAX_SCANNED", 1)
    with Index(index_dir, result_cache=0) as index:
        reader = index._searcher().reader()
        assert wildcard.expansions(reader, "body", "quokk") == [b"quokkaa"]


def test_parsed_wildcards_are_capped_in_every_field():
    query = parse("title:harb* port*").query
    prefixes = [q for q in query.leaves() if isinstance(q, wildcard.CappedPrefix)]
    assert sorted((q.fieldname, q.text) for q in prefixes) == [
        ("body", "port"),
        ("title", "harb"),
        ("title", "port"),
    ]


def test_did_you_mean_corrects_a_few_words_cheapest_first(index_dir, monkeypatch):
    monkeypatch.setattr(spelling, "MAX_CORRECTED_WORDS", 2)
    with Index(index_dir, result_cache=0) as index:
        searcher = index._searcher()
        corrected = spelling.correction(searcher, "lighthuose habrour musuem")
    # musuem (6 letters) and habrour (7) are corrected; lighthuose (10), the
    # costliest to look up, is left as typed.
    assert corrected == "lighthuose harbour museum"


def test_did_you_mean_stops_when_the_deadline_has_passed(index_dir):
    with Index(index_dir, result_cache=0) as index:
        searcher = index._searcher()
        spent = budget.Budget(0.0)
        assert spelling.correction(searcher, "habrour", budget=spent) is None
        assert spelling.correction(searcher, "habrour") == "harbour"


def test_a_pasted_paragraph_is_not_spell_checked(index_dir):
    words = " ".join(["habrour"] + ["zzyzx"] * spelling.MAX_CORRECT_QUERY_WORDS)
    with Index(index_dir, result_cache=0) as index:
        assert spelling.correction(index._searcher(), words) is None


class Clock:
    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_matching_stops_at_the_deadline_with_what_it_found(index_dir, monkeypatch):
    monkeypatch.setattr(budget, "CHECK_EVERY", 1)
    # Each look at the clock advances it a second: the deadline passes on the third.
    spent = budget.Budget(2.5, clock=Clock(1.0))
    query = parse('"keeper notes" OR keeper OR quokkaa').query
    with Index(index_dir, result_cache=0) as index:
        searcher = index._searcher()
        everything = searcher.search(query, limit=None)
        cut = searcher.search(budget.Bounded(query, spent), limit=None)
        assert 0 < len(cut) < len(everything)
    assert spent.exceeded


# Matched by Whoosh (an AND), which checks the deadline; phrases alone are
# matched on position arrays, bounded by construction (tests/test_phrases.py).
WHOOSH_MATCHED = '"keeper notes" AND keeper'


def test_a_search_past_its_deadline_is_flagged_partial_and_not_cached(index_dir):
    with Index(index_dir, deadline_s=0.0) as index:
        first = index.search(WHOOSH_MATCHED)
        again = index.search(WHOOSH_MATCHED)
    assert first.partial and again.partial
    with Index(index_dir) as index:
        full = index.search(WHOOSH_MATCHED)
    assert not full.partial
    assert full.total == 5


def test_the_api_and_the_page_say_when_results_are_partial(index_dir, tmp_path):
    app = make_app(index_dir, tmp_path, SEARCH_DEADLINE=0.001)
    app.extensions["newsearch"]._index = Index(index_dir, deadline_s=0.0)
    client = app.test_client()
    data = client.get("/api/search", query_string={"q": WHOOSH_MATCHED}).get_json()
    assert data["partial"] is True
    page = client.get("/search", query_string={"q": WHOOSH_MATCHED}).get_data(as_text=True)
    assert "results found in the time allowed" in page
    app.extensions["newsearch"].close()
