import pytest
from helpers import article, write_corpus

from search import IndexCorrupt, open_index, rebuild
from search.store import layout


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(
        tmp_path / "corpus",
        {
            "ledger/harbour.txt": article(
                "Harbour dredging approved",
                "The council approved dredging of the old harbour on Monday evening.",
            )
        },
    )


def build_files(index_dir, generation, suffix):
    build = layout.builds_dir(index_dir) / generation
    return [p for p in build.iterdir() if p.name.endswith(suffix)]


@pytest.mark.parametrize("suffix", [".pst", ".trm", ".nsp", ".toc"])
@pytest.mark.parametrize("damage", ["truncate", "empty"])
def test_a_damaged_build_is_detected_and_the_previous_one_served(corpus, tmp_path, suffix, damage):
    index_dir = tmp_path / "index"
    good = rebuild(corpus, index_dir).generation
    bad = rebuild(corpus, index_dir).generation
    for path in build_files(index_dir, bad, suffix):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if damage == "truncate" else b"")
    with open_index(index_dir) as index:
        assert index.generation == good
        assert index.search("harbour").total == 1
        assert "damaged" in index.warning
        assert "newsearch rebuild" in index.warning


def test_with_no_intact_build_the_error_says_what_to_run(corpus, tmp_path):
    index_dir = tmp_path / "index"
    only = rebuild(corpus, index_dir).generation
    for path in build_files(index_dir, only, ".pst"):
        path.write_bytes(b"")
    with pytest.raises(IndexCorrupt, match="run: newsearch rebuild"):
        open_index(index_dir)


def test_a_reader_skips_a_damaged_new_build_and_keeps_serving(corpus, tmp_path):
    index_dir = tmp_path / "index"
    rebuild(corpus, index_dir)
    with open_index(index_dir) as index:
        serving = index.generation
        bad = rebuild(corpus, index_dir).generation
        for path in build_files(index_dir, bad, ".pst"):
            path.write_bytes(b"")
        assert index.search("harbour").total == 1
        assert index.generation == serving


def test_prune_removes_leftovers_of_a_dead_build(corpus, tmp_path):
    index_dir = tmp_path / "index"
    rebuild(corpus, index_dir)
    leftover = layout.builds_dir(index_dir) / (layout.TMP_PREFIX + "dead")
    leftover.mkdir()
    (leftover / "x.seg").write_bytes(b"partial")
    rebuild(corpus, index_dir)
    assert not leftover.exists()
