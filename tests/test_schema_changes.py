"""An index written before a field or facet existed keeps serving, and the next
update rebuilds it in full so that every article gains the field."""

from __future__ import annotations

from helpers import article, write_corpus
from whoosh import index as whoosh_index

from search import open_index, rebuild, schema, update
from search.build import sync
from search.store import layout

STORIES = {
    "courier/fees.txt": article("Harbour fees rise", "The harbour raised its fees on Monday."),
    "gazette/ferry.txt": article("Ferry strike", "Ferry pilots struck at the harbour today."),
}


def build_without(monkeypatch, corpus, index_dir, field: str) -> None:
    """A build whose schema lacks ``field``, as an older version wrote it."""
    real_schema, real_fields = schema.build_schema, sync.article_fields

    def older_schema():
        made = real_schema()
        made.remove(field)
        return made

    def older_fields(*args):
        return {k: v for k, v in real_fields(*args).items() if k != field}

    with monkeypatch.context() as patch:
        patch.setattr(schema, "build_schema", older_schema)
        patch.setattr(sync, "article_fields", older_fields)
        rebuild(corpus, index_dir)


def served_schema(index_dir):
    build = layout.builds_dir(index_dir) / layout.current_generation(index_dir)
    ix = whoosh_index.open_dir(str(build))
    try:
        return set(ix.schema.names())
    finally:
        ix.close()


def test_a_build_without_a_facet_column_still_searches_and_counts(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus", STORIES)
    build_without(monkeypatch, corpus, tmp_path / "index", "source_facet")
    with open_index(tmp_path / "index") as index:
        words = index.search("harbour")  # the array path
        phrase = index.search('"harbour fees"')  # the Whoosh path
    assert sorted(h.path for h in words.hits) == sorted(STORIES)
    assert [h.path for h in phrase.hits] == ["courier/fees.txt"]
    assert words.facets["source"] == phrase.facets["source"] == {}


def test_an_update_rebuilds_a_build_missing_a_field_in_full(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus", STORIES)
    build_without(monkeypatch, corpus, tmp_path / "index", "source_facet")
    assert "source_facet" not in served_schema(tmp_path / "index")
    report = update(corpus, tmp_path / "index")
    assert (report.indexed, report.unchanged) == (2, 0)
    assert "source_facet" in served_schema(tmp_path / "index")
    with open_index(tmp_path / "index") as index:
        assert index.search("harbour").facets["source"] == {"Courier": 1, "Gazette": 1}
