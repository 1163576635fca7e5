"""The term index files: the same postings as Whoosh's, kept right through updates."""

import pytest
from helpers import article, write_corpus
from whoosh import index as whoosh_index

from search import open_index, rebuild, schema, update
from search.store import layout, termindex
from search.store.postings import read_raw_postings

STORIES = {
    "wire/quay.txt": article("Quay reopens", "The harbour quay reopened after the storm."),
    "wire/ferry.txt": article("Ferry strike", "Ferry pilots strike; the harbour is quiet."),
    "wire/budget.txt": article("Budget vote", "The council votes on the harbour budget."),
    "post/zeppelin.txt": article("Zeppelin visit", "A zeppelin flew over the town hall."),
}


def build_dir(index_dir):
    return layout.builds_dir(index_dir) / layout.current_generation(index_dir)


def ranked(index, query):
    return [h.path for h in index.search(query).hits]


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "corpus", STORIES)


def test_the_file_holds_whooshs_postings_for_every_ranked_term(corpus, tmp_path):
    rebuild(corpus, tmp_path / "index")
    ix = whoosh_index.open_dir(str(build_dir(tmp_path / "index")))
    with ix.reader() as reader:
        [leaf] = [r for r, _ in reader.leaf_readers()]
        st = termindex.load(termindex.segment_file(leaf))
        for field in schema.DEFAULT_FIELDS:
            for text in leaf.lexicon(field):
                term = text.decode()
                docs, weights = read_raw_postings(leaf, field, term)
                span = st.span(st.term_id(term))
                mine = st.weights[field][span] > 0
                assert st.docs[span][mine].tolist() == docs.tolist(), term
                assert st.weights[field][span][mine].tolist() == weights.tolist(), term
        assert st.term_id("no-such-term") == -1
    ix.close()


def test_an_index_without_term_files_ranks_the_same(corpus, tmp_path):
    index_dir = tmp_path / "index"
    rebuild(corpus, index_dir)
    with open_index(index_dir) as index:
        before = [ranked(index, q) for q in ("harbour", "harbour quay storm", "zeppelin")]
    for path in build_dir(index_dir).glob("*" + termindex.SUFFIX):
        path.unlink()
    layout.seal(build_dir(index_dir))  # as an older version would have built it
    with open_index(index_dir) as index:
        after = [ranked(index, q) for q in ("harbour", "harbour quay storm", "zeppelin")]
    assert after == before
    assert before[0][0] in {"wire/quay.txt", "wire/ferry.txt", "wire/budget.txt"}


def test_updates_keep_one_term_file_per_segment_and_hide_deleted_articles(corpus, tmp_path):
    index_dir = tmp_path / "index"
    rebuild(corpus, index_dir)
    (corpus / "wire" / "ferry.txt").unlink()
    write_corpus(corpus, {"post/harbour-fair.txt": article("Harbour fair", "A harbour fair.")})
    update(corpus, index_dir)
    build = build_dir(index_dir)
    segments = {p.name.split(".")[0] for p in build.glob("*.trm")}
    files = {p.name.split(".")[0] for p in build.glob("*" + termindex.SUFFIX)}
    assert files == segments
    with open_index(index_dir) as index:
        assert ranked(index, "ferry pilots") == []
        assert "post/harbour-fair.txt" in ranked(index, "harbour")
        assert "wire/ferry.txt" not in ranked(index, "harbour")


def test_an_index_of_compound_segments_gets_term_files_on_update(corpus, tmp_path, monkeypatch):
    """An index built by an older version (compound segments, no term files) is
    served from files written by the next update, not rebuilt in memory."""

    index_dir = tmp_path / "index"
    from search.build import sync

    monkeypatch.setattr(sync, "COMPOUND", True)
    monkeypatch.setattr(termindex, "write_missing", lambda build, ix, fields=None: None)
    rebuild(corpus, index_dir)
    monkeypatch.undo()
    with open_index(index_dir) as index:
        before = index.stats()
    assert before["segments_without_term_index"] == 1
    assert "newsearch update" in before["advice"]
    write_corpus(corpus, {"post/fair.txt": article("Harbour fair", "A harbour fair opens.")})
    update(corpus, index_dir)
    assert len(list(build_dir(index_dir).glob("*" + termindex.SUFFIX))) == 2

    def no_memory_build(*args, **kwargs):
        raise AssertionError("built in memory")

    monkeypatch.setattr(termindex, "build", no_memory_build)
    with open_index(index_dir) as index:
        assert "post/fair.txt" in ranked(index, "harbour")
        assert ranked(index, "zeppelin") == ["post/zeppelin.txt"]
        assert index.stats()["advice"] is None


@pytest.mark.parametrize("chunk", [1, 3, 1 << 20])
def test_a_segment_written_a_term_range_at_a_time_is_the_file_built_in_memory(
    corpus, tmp_path, monkeypatch, chunk
):
    """The build writes the file in chunks of postings (its memory must not grow
    with the corpus); whatever the chunk, the bytes are those of the arrays built
    whole, so ranking cannot change."""
    from search.store import termfile

    write_corpus(
        corpus,
        {
            f"post/notice{n}.txt": article(f"Harbour notice {n}", "The harbour quay. " * n)
            for n in range(1, 6)
        },
    )
    rebuild(corpus, tmp_path / "index")
    ix = whoosh_index.open_dir(str(build_dir(tmp_path / "index")))
    monkeypatch.setattr(termfile, "CHUNK_POSTINGS", chunk)
    with ix.reader() as reader:
        [leaf] = [r for r, _ in reader.leaf_readers()]
        whole, chunked = tmp_path / "whole.nsp", tmp_path / "chunked.nsp"
        termindex.write(whole, termindex.build(leaf))
        termfile.write_segment(chunked, leaf, schema.DEFAULT_FIELDS)
        assert chunked.read_bytes() == whole.read_bytes()
        assert termindex.segment_file(leaf).read_bytes() == whole.read_bytes()
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "chunked.nsp",
            "corpus",
            "index",
            "whole.nsp",
        ]
    ix.close()
