"""Per-segment column values are read once and shared by every thread's reader."""

import threading

from helpers import article, write_corpus

from search import open_index, rebuild, schema
from search.serve import whoosh_page


def test_threads_share_one_copy_of_a_segments_columns(tmp_path):
    corpus = write_corpus(
        tmp_path / "corpus",
        {
            "a/one.txt": article("Harbour wall", "The harbour wall was repaired."),
            "b/two.txt": article("Harbour fees", "The harbour wall fees rose."),
        },
    )
    rebuild(corpus, tmp_path / "index")
    columns = []
    with open_index(tmp_path / "index") as index:

        def search() -> None:
            results = index.search('"harbour wall"', sort="date")  # the collector path
            assert results.total == 2
            [reader] = [r for r, _ in index._searcher().reader().leaf_readers()]
            columns.append(whoosh_page.column(reader, schema.DUP_GROUP))

        threads = [threading.Thread(target=search) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        index.close_all()
    assert len(columns) == 2
    assert columns[0] is columns[1]
