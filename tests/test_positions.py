"""The position files: Whoosh's positions of every ranked term, kept right through
updates, and never paired with the wrong term index."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import article, write_corpus
from whoosh import index as whoosh_index

from search import open_index, rebuild, schema, update
from search.serve import phrases
from search.store import layout, positions, termfile, termindex

STORIES = {
    "wire/quay.txt": article(
        "Quay reopens", "The harbour quay reopened after the storm; the quay is busy."
    ),
    "wire/ferry.txt": article("Ferry strike", "Ferry pilots strike; the harbour quay is quiet."),
    "post/zeppelin.txt": article("Zeppelin visit", "A zeppelin flew over the town hall."),
}


def build_dir(index_dir):
    return layout.builds_dir(index_dir) / layout.current_generation(index_dir)


def whoosh_positions(leaf, field, term):
    """(document, position) pairs as Whoosh's own matcher reads them."""
    m = leaf.postings(field, term.encode())
    found = []
    while m.is_active():
        found += [(m.id(), p) for p in m.value_as("positions")]
        m.next()
    return found


def file_positions(held, term_id):
    """(document, position in it) pairs from the file's global positions."""
    where = held.of(term_id)
    docs = np.searchsorted(held.doc_start, where, side="right") - 1
    return list(zip(docs.tolist(), (where - held.doc_start[docs]).tolist(), strict=True))


@pytest.mark.parametrize("limit", [positions._UINT32_LIMIT, 5])
def test_the_file_holds_whooshs_positions_for_every_ranked_term(tmp_path, monkeypatch, limit):
    # A tiny limit makes the writer use 64-bit positions, as past 4G tokens.
    monkeypatch.setattr(positions, "_UINT32_LIMIT", limit)
    rebuild(write_corpus(tmp_path / "corpus", STORIES), tmp_path / "index")
    ix = whoosh_index.open_dir(str(build_dir(tmp_path / "index")))
    with ix.reader() as reader:
        [leaf] = [r for r, _ in reader.leaf_readers()]
        terms = termindex.load(termindex.segment_file(leaf))
        held = positions.load(termindex.segment_file(leaf).with_suffix(positions.SUFFIX), terms)
        assert set(held.fields) == set(schema.DEFAULT_FIELDS)
        for field in schema.DEFAULT_FIELDS:
            expected = np.uint32 if limit > 1000 else np.uint64
            assert held.fields[field].positions.dtype == expected
            for text in leaf.lexicon(field):
                term = text.decode()
                got = file_positions(held.fields[field], terms.term_id(term))
                assert got == whoosh_positions(leaf, field, term), (field, term)
        # "hall" is only in a body: no positions in the titles.
        assert held.fields["title"].count(terms.term_id("hall")) == 0
        assert held.fields["body"].count(terms.term_id("hall")) == 1
    ix.close()
    with open_index(tmp_path / "index") as index:
        # "harbour quay" once in each; the quay story says "quay" twice.
        assert [h.path for h in index.search('"harbour quay"').hits] == [
            "wire/quay.txt",
            "wire/ferry.txt",
        ]


def test_a_file_written_for_another_term_index_is_not_used(tmp_path):
    rebuild(write_corpus(tmp_path / "corpus", STORIES), tmp_path / "index")
    ix = whoosh_index.open_dir(str(build_dir(tmp_path / "index")))
    with ix.reader() as reader:
        [leaf] = [r for r, _ in reader.leaf_readers()]
        path = termindex.segment_file(leaf).with_suffix(positions.SUFFIX)
        terms = termindex.load(termindex.segment_file(leaf))
        other = termindex.SegmentTerms(**{**vars(terms), "terms": [*terms.terms[:-1], "zzz"]})
        with pytest.raises(ValueError, match="another term index"):
            positions.load(path, other)
        path.write_bytes(b"not a positions file")
        with pytest.raises(ValueError, match="not a positions file"):
            positions.load(path, terms)
        assert positions.for_reader(leaf, terms, None).fields == {}
    ix.close()


def test_updates_keep_one_file_per_segment_with_deleted_articles_left_out(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", STORIES)
    index_dir = tmp_path / "index"
    rebuild(corpus, index_dir)
    (corpus / "wire" / "ferry.txt").unlink()
    write_corpus(
        corpus, {"post/fair.txt": article("Harbour quay fair", "A fair on the harbour quay.")}
    )
    update(corpus, index_dir)
    build = build_dir(index_dir)
    segments = {p.name.split(".")[0] for p in build.glob("*.trm")}
    files = {p.name.split(".")[0] for p in build.glob("*" + positions.SUFFIX)}
    assert files == segments and len(files) == 2
    with open_index(index_dir) as index:
        assert phrases.positional_fields(index._searcher()) == set(schema.DEFAULT_FIELDS)
        assert [h.path for h in index.search('"harbour quay"').hits] == [
            "post/fair.txt",
            "wire/quay.txt",
        ]
        assert [h.path for h in index.search('"ferry pilots"').hits] == []


def test_a_term_index_that_does_not_match_costs_the_file_not_the_build(tmp_path, monkeypatch):
    real_terms = termfile.segment_terms

    def without_a_term(reader, fields):
        return real_terms(reader, fields)[1:]

    monkeypatch.setattr(positions.termfile, "segment_terms", without_a_term)
    rebuild(write_corpus(tmp_path / "corpus", STORIES), tmp_path / "index")
    monkeypatch.undo()
    assert not list(build_dir(tmp_path / "index").glob("*" + positions.SUFFIX))
    with open_index(tmp_path / "index") as index:  # Whoosh's matching answers
        assert [h.path for h in index.search('"harbour quay"').hits] == [
            "wire/quay.txt",
            "wire/ferry.txt",
        ]
