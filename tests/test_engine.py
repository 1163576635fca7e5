import pytest
from helpers import article, write_corpus

from search import ArticleNotFound, BadQuery, IndexNotFound, open_index, rebuild


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("engine")
    write_corpus(
        root / "corpus",
        {
            "ledger/both.txt": article(
                "Council backs harbour plan",
                "The council backed a plan for the harbour after a long debate.",
                "Dredging will start in spring, the mayor said.",
                byline="Mara Quill",
            ),
            "ledger/dredge-only.txt": article(
                "Spring works schedule",
                "Dredging, dredging and more dredging: the contractor listed its dredging "
                "crews for the spring season.",
            ),
            "ledger/harbour-only.txt": article(
                "Harbour festival returns",
                "The harbour festival returns this summer with boats and music.",
            ),
            "courier/museum.txt": article(
                "Museum reopens",
                "The museum of José Álvarez reopened after repairs to its roof.",
                byline="Tomas Reyes",
            ),
        },
    )
    rebuild(root / "corpus", root / "index")
    with open_index(root / "index") as ix:
        yield ix


def paths(results):
    return [h.path for h in results.hits]


def test_documents_with_all_words_rank_first(index):
    results = index.search("harbour dredging")
    assert paths(results)[0] == "ledger/both.txt"
    assert set(paths(results)) == {
        "ledger/both.txt",
        "ledger/dredge-only.txt",
        "ledger/harbour-only.txt",
    }


def test_a_missing_word_does_not_hide_a_document(index):
    assert paths(index.search("museum reopened zeppelin")) == ["courier/museum.txt"]


def test_accents_typed_or_not_find_the_name(index):
    assert paths(index.search("jose alvarez")) == ["courier/museum.txt"]
    assert paths(index.search("José Álvarez")) == ["courier/museum.txt"]


def test_phrase_and_field_queries(index):
    assert paths(index.search('"harbour festival"')) == ["ledger/harbour-only.txt"]
    assert paths(index.search("author:quill")) == ["ledger/both.txt"]
    assert paths(index.search("harbour NOT festival")) == ["ledger/both.txt"]
    assert paths(index.search("title:museum")) == ["courier/museum.txt"]
    # a field names where the word must be: "debate" is only in a body
    assert paths(index.search("debate")) == ["ledger/both.txt"]
    assert paths(index.search("title:debate")) == []
    assert paths(index.search("headline:debate")) == []


def test_hits_carry_metadata_and_a_marked_snippet(index):
    hit = index.search("festival").hits[0]
    assert hit.title == "Harbour festival returns"
    assert "<mark>festival</mark>" in hit.snippet_html
    assert hit.title_html == "Harbour <mark>festival</mark> returns"
    assert hit.source == "Ledger"


def test_paging(index):
    first = index.search("harbour OR dredging OR museum", per_page=2)
    second = index.search("harbour OR dredging OR museum", page=2, per_page=2)
    assert first.total == second.total == 4
    assert len(first.hits) == len(second.hits) == 2
    assert not set(paths(first)) & set(paths(second))
    assert first.page_count == 2
    assert index.search("harbour OR dredging OR museum", page=3, per_page=2).hits == ()


@pytest.mark.parametrize(
    ("page", "per_page"), [(0, 10), (-1, 10), (1, 0), (1, 10**6), (10**9, 10), ("2", 10)]
)
def test_bad_paging_is_a_bad_query(index, page, per_page):
    with pytest.raises(BadQuery):
        index.search("harbour", page=page, per_page=per_page)


def test_article_view_by_id(index):
    hit = index.search("museum").hits[0]
    stored = index.article(hit.id)
    assert stored.body.startswith("The museum of José Álvarez")
    with pytest.raises(ArticleNotFound):
        index.article("does-not-exist")


def test_opening_a_missing_index_says_what_to_run(tmp_path):
    with pytest.raises(IndexNotFound, match="newsearch rebuild"):
        open_index(tmp_path / "nothing")


def test_syndicated_copies_are_collapsed_into_one_hit(tmp_path):
    from features_corpus import build

    rebuild(build(tmp_path / "corpus"), tmp_path / "index")
    with open_index(tmp_path / "index") as ix:
        results = ix.search("impersonation")
        assert len(results.hits) == 1
        assert results.collapsed == 1
        hit = results.hits[0]
        other = {"gazette/court.txt", "courier/court.txt"} - {hit.path}
        assert [d.path for d in hit.duplicates] == list(other)
        expanded = ix.search("impersonation", collapse=False)
        assert sorted(h.path for h in expanded.hits) == ["courier/court.txt", "gazette/court.txt"]


def test_related_coverage_leaves_out_the_article_and_its_copies(tmp_path):
    from features_corpus import build

    rebuild(build(tmp_path / "corpus"), tmp_path / "index")
    with open_index(tmp_path / "index") as ix:
        court = next(
            h for h in ix.search("court", collapse=False).hits if h.path == "gazette/court.txt"
        )
        related = [r.path for r in ix.related(court.id)]
        # Six articles are too few for a measured similarity to mean much; the
        # threshold is judged on the default corpus (test_related.py).
        assert set(related) <= {"courier/clerks.txt"}
        assert "gazette/court.txt" not in related
        assert "courier/court.txt" not in related


def test_an_article_lists_its_copies(tmp_path):
    from features_corpus import build

    rebuild(build(tmp_path / "corpus"), tmp_path / "index")
    with open_index(tmp_path / "index") as ix:
        court = next(
            h for h in ix.search("court", collapse=False).hits if h.path == "gazette/court.txt"
        )
        assert [c.path for c in ix.copies(court.id)] == ["courier/court.txt"]
        clerks = ix.search("clerks").hits[0]
        assert ix.copies(clerks.id) == ()
        with pytest.raises(ArticleNotFound):
            ix.copies("nope")
