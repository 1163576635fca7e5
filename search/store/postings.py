"""Reading Whoosh's own on-disk postings and field lengths into arrays.

The one decoder of Whoosh postings: the term index files (``termindex``) are
written from it, and the statistics of a served build (``serve.statistics``)
read field lengths through it. It belongs to the store, which both use.
"""

from __future__ import annotations

import numpy as np
from whoosh.matching import FilterMatcher
from whoosh.util.numeric import byte_to_length

# Whoosh stores a field's length in one byte per document; these are the
# lengths the 256 byte values stand for.
_BYTE_LENGTHS = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)


def read_raw_postings(reader, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """All (document, weight) pairs of a term in one segment, deleted documents
    included: a block at a time from Whoosh 3's on-disk matcher (unwrapping the
    filter that hides deletions), else one posting at a time."""
    m = reader.postings(field, text)
    if isinstance(m, FilterMatcher) and m._exclude and hasattr(m.child, "_next_block"):
        m = m.child
        m.reset()
    ids: list = []
    weights: list = []
    if hasattr(m, "_read_ids") and hasattr(m, "_next_block"):
        while m.is_active():
            m._read_ids()
            m._read_weights()
            ids.append(np.asarray(m._ids, dtype=np.int64))
            weights.append(np.asarray(m._weights, dtype=np.float64))
            m._next_block()
    else:
        while m.is_active():
            ids.append([m.id()])
            weights.append([m.weight()])
            m.next()
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(ids).astype(np.int64), np.concatenate(weights).astype(np.float64)


def field_lengths(reader, field: str, doc_count: int) -> np.ndarray:
    """Every document's length in ``field`` (as Whoosh stores it, one byte each)."""
    try:  # Whoosh 3's length column, read in one go
        column = reader._perdoc._cached_reader(f"_{field}_len", _lengths_column())
        raw = column._dbfile.get(column._basepos, min(column._count, doc_count))
        codes = np.zeros(doc_count, dtype=np.uint8)
        codes[: len(raw)] = np.frombuffer(raw, dtype=np.uint8)
        return _BYTE_LENGTHS[codes]
    except Exception:  # another codec: ask document by document
        return np.array(
            [reader.doc_field_length(d, field, 0) or 0 for d in range(doc_count)],
            dtype=np.float64,
        )


def _lengths_column():
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN

    return LENGTHS_COLUMN
