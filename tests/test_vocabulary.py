"""The build's spelling vocabulary follows the corpus through updates."""

from __future__ import annotations

from helpers import article, write_corpus

from search import rebuild, update
from search.serve.engine import Index


def _corpus(root):
    return write_corpus(
        root,
        {
            "a/airship.txt": article(
                "Airship returns to the valley",
                "A zeppelin floated over the valley on Sunday for the first time in decades.",
                "Crowds gathered on the hills to watch the zeppelin turn over the lake.",
            ),
            "a/hangar.txt": article(
                "Old hangar to become a museum",
                "The hangar that housed the zeppelin will open as a museum next spring.",
            ),
            "a/market.txt": article(
                "Market returns to the square",
                "Farmers sold apples and cheese in the square on Saturday morning.",
            ),
        },
    )


def test_deleted_articles_take_their_words_out_of_suggestions(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    rebuild(corpus, index_dir)
    with Index(index_dir) as index:
        assert index.suggest("zepp")[:1] == ["zeppelin"]
        assert index.suggest("chee")[:1] == ["cheese"]
    (corpus / "a/airship.txt").unlink()
    update(corpus, index_dir)
    with Index(index_dir) as index:
        assert index.suggest("zepp")[:1] == ["zeppelin"]  # still in the hangar story
    (corpus / "a/hangar.txt").unlink()
    (corpus / "a/market.txt").write_text(
        article("Market returns", "Farmers sold apricots in the square."), encoding="utf-8"
    )
    update(corpus, index_dir)
    with Index(index_dir) as index:
        assert "zeppelin" not in index.suggest("zepp")
        assert "cheese" not in index.suggest("chee")
        assert index.suggest("apric")[:1] == ["apricots"]
        assert index.search("zeppelin").total == 0
        assert index.search("zepelin").correction is None  # nothing left to correct to


def test_a_misspelling_is_corrected_from_the_vocabulary(tmp_path):
    rebuild(_corpus(tmp_path / "corpus"), tmp_path / "index")
    with Index(tmp_path / "index") as index:
        assert index.search("zepelin").correction == "zeppelin"


def test_a_build_made_before_the_vocabulary_file_still_suggests(tmp_path, monkeypatch):
    """An index written with Whoosh's spelling field (no vocabulary file) keeps
    serving suggestions from that field, and an update keeps it up to date."""
    from whoosh.fields import TEXT

    from search import schema
    from search.analysis import news_analyzer
    from search.store import layout, vocabulary

    new_schema = schema.build_schema

    def old_schema():
        fields = new_schema()
        fields.remove(schema.BODY)
        fields.add(
            schema.BODY,
            TEXT(analyzer=news_analyzer(), stored=True, spelling=True, spelling_prefix="spell_"),
        )
        return fields

    monkeypatch.setattr(schema, "build_schema", old_schema)
    corpus = _corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    rebuild(corpus, index_dir)
    build = layout.builds_dir(index_dir) / layout.current_generation(index_dir)
    assert not (build / vocabulary.FILE).exists()
    with Index(index_dir) as index:
        assert index.suggest("zepp")[:1] == ["zeppelin"]
        assert index.search("zepelin").correction == "zeppelin"
    monkeypatch.setattr(schema, "build_schema", new_schema)
    (corpus / "a/kites.txt").write_text(
        article("Kite festival", "Hundreds of kites filled the sky above the meadow."),
        encoding="utf-8",
    )
    update(corpus, index_dir)
    with Index(index_dir) as index:
        assert index.suggest("meado")[:1] == ["meadow"]
