from helpers import article, page_summary, served_documents, write_corpus
from whoosh.externalsort import SortingPool

from search import rebuild
from search.build import runs, sync
from search.serve.engine import Index

PLACES = ["Ashford", "Brill", "Cray", "Dunmore", "Elm", "Fenwick", "Garth", "Hale"]


def _corpus(root):
    files = {}
    for n in range(40):
        place = PLACES[n % len(PLACES)]
        files[f"gazette/{n:02d}.txt"] = article(
            f"{place} council vote {n}",
            f"The {place} council voted on ferry fares and harbour repairs on day {n}.",
            f"Residents of {place} said item {n} had waited {n + 2} years for a vote.",
        )
    return write_corpus(root, files)


def _ranked(index_dir, query):
    with Index(index_dir) as ix:
        return [h.path for h in ix.search(query, per_page=50).hits]


def test_a_commit_merges_hundreds_of_runs_in_one_pass_and_ranks_as_an_unspilled_build(
    tmp_path, monkeypatch
):
    corpus = _corpus(tmp_path / "corpus")
    rebuild(corpus, tmp_path / "whole")  # the pool never spills at this size

    passes = []
    reduce_to = SortingPool.reduce_to
    monkeypatch.setattr(
        SortingPool, "reduce_to", lambda pool, *a: (passes.append(a), reduce_to(pool, *a))[1]
    )
    saves = []
    save = SortingPool.save
    monkeypatch.setattr(SortingPool, "save", lambda pool: (saves.append(1), save(pool))[1])
    # A run every few postings: hundreds of runs, more than Whoosh merges at once.
    monkeypatch.setattr(sync, "WRITER_LIMIT_MB", 0.0008)
    rebuild(corpus, tmp_path / "spilled")

    assert len(saves) > runs.WHOOSH_MAX_FILES
    assert passes == []  # no run was rewritten before the final merge
    assert served_documents(tmp_path / "spilled") == served_documents(tmp_path / "whole")
    for query in ("harbour repairs", "Brill council", '"ferry fares"', "waited years"):
        with Index(tmp_path / "spilled") as spilled, Index(tmp_path / "whole") as whole:
            assert page_summary(spilled.search(query)) == page_summary(whole.search(query))
    # and the ranking is a real one, not two empty pages alike
    assert sorted(_ranked(tmp_path / "spilled", "Brill council")[:5]) == [
        f"gazette/{n:02d}.txt" for n in (1, 9, 17, 25, 33)
    ]


def test_the_merge_never_allows_fewer_files_than_whoosh():
    assert runs.max_merge_files() >= runs.WHOOSH_MAX_FILES
