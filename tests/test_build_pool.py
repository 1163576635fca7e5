import os
import time

import pytest

from search.build import pool


def test_a_pool_works_only_a_few_chunks_ahead_of_a_slow_consumer(tmp_path):
    # A build's index writer is slower than its extraction processes: what
    # they extract must wait in a bounded queue, not the whole corpus in memory.
    items = [str(tmp_path / f"{n:05d}") for n in range(2000)]
    results = pool.run(os.mkdir, items, workers=2)
    assert next(results) is None
    time.sleep(1.0)  # the consumer is busy; unbounded, the workers would do every item
    bound = (pool.AHEAD_CHUNKS * 2 + 1) * pool.PARALLEL_CHUNK
    assert len(os.listdir(tmp_path)) <= bound
    assert list(results) == [None] * (len(items) - 1)  # and all of them, in order
    assert sorted(os.listdir(tmp_path)) == [os.path.basename(i) for i in items]


def test_an_item_that_fails_fails_the_run_after_the_chunks_before_it():
    results = pool.run(int, ["1"] * 300 + ["x"] + ["2"] * 300, workers=2)
    taken = []
    with pytest.raises(ValueError):
        for value in results:
            taken.append(value)
    whole_chunks = 300 // pool.PARALLEL_CHUNK * pool.PARALLEL_CHUNK
    assert taken == [1] * whole_chunks
