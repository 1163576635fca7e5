"""Repeated searches are answered from recent pages, never from an older build's."""

from helpers import article, write_corpus

from search import open_index, rebuild
from search.serve.cache import ResultCache
from search.serve.engine import Index


def test_a_repeated_search_gives_the_same_page(tmp_path):
    corpus = write_corpus(
        tmp_path / "corpus",
        {
            "wire/a.txt": article("Harbour fees rise", "The harbour raised its fees."),
            "wire/b.txt": article("Ferry strike", "Ferry pilots struck at the harbour."),
        },
    )
    rebuild(corpus, tmp_path / "index")
    with open_index(tmp_path / "index") as index:
        first = index.search("harbour fees")
        again = index.search("harbour fees")
        other_page = index.search("harbour fees", per_page=1, page=2)
    assert again.hits == first.hits
    assert [h.path for h in first.hits] == ["wire/a.txt", "wire/b.txt"]
    assert [h.path for h in other_page.hits] == ["wire/b.txt"]


def test_a_new_build_is_searched_afresh(tmp_path):
    corpus = write_corpus(
        tmp_path / "corpus", {"wire/a.txt": article("Harbour fees rise", "The harbour fees.")}
    )
    rebuild(corpus, tmp_path / "index")
    with open_index(tmp_path / "index") as index:
        assert index.search("harbour").total == 1
        write_corpus(corpus, {"wire/b.txt": article("Harbour wall", "The harbour wall fell.")})
        rebuild(corpus, tmp_path / "index")
        assert index.search("harbour").total == 2


def test_without_a_cache_every_search_runs(tmp_path):
    corpus = write_corpus(
        tmp_path / "corpus", {"wire/a.txt": article("Harbour fees rise", "The harbour fees.")}
    )
    rebuild(corpus, tmp_path / "index")
    with Index(tmp_path / "index", result_cache=0) as index:
        assert index.search("harbour").total == 1
        assert len(index._served.results._items) == 0


def test_the_least_recently_used_page_goes_first():
    cache: ResultCache[str] = ResultCache(size=2)
    cache.put("q1", "page 1")
    cache.put("q2", "page 2")
    assert cache.get("q1") == "page 1"  # q2 is now the oldest
    cache.put("q3", "page 3")
    assert cache.get("q2") is None
    assert cache.get("q1") == "page 1"
    assert cache.get("q3") == "page 3"
