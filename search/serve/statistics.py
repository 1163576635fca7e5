"""What every plain word query of one opened index reads: statistics, and
each word's postings from the segments' term index files (see ``termindex``).

Computed once per build and shared by every thread (``served.ServedBuild``);
the term index files behind it are shared by every build holding the segment.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .. import schema
from ..store import termindex
from ..store.postings import field_lengths
from . import bm25

# Bytes of postings (document numbers and BM25F pseudo-frequencies, 16 bytes
# a posting) kept in memory per opened build, least recently used dropped
# first. A query reads each of its words twice (as typed, then in the
# feedback-expanded query) and news queries share their common words and
# feedback terms; each read from the term index files was a ``pread`` per
# field per segment (about 40 a query at newsmix 10k, each a chance for a
# loaded machine to schedule another process). 32 MB holds two million
# postings: the most common words of a 100k-article index several times
# over, a tenth of the serving RSS goal (300 MB). Chosen by that reasoning,
# not tuned.
POSTINGS_CACHE_BYTES = 32 * 2**20


class _PostingsCache:
    """word -> (documents, pseudo-frequencies), read-only arrays, bounded in bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._entries: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, word: str) -> tuple[np.ndarray, np.ndarray] | None:
        with self._lock:
            found = self._entries.get(word)
            if found is not None:
                self._entries.move_to_end(word)
            return found

    def put(self, word: str, value: tuple[np.ndarray, np.ndarray]) -> None:
        cost = sum(a.nbytes for a in value)
        if cost > self.limit:
            return
        for a in value:
            a.flags.writeable = False  # shared by every query that reads the word
        with self._lock:
            if word in self._entries:
                return
            self._entries[word] = value
            self.size += cost
            while self.size > self.limit:
                _, dropped = self._entries.popitem(last=False)
                self.size -= sum(a.nbytes for a in dropped)


class Collection:
    """What every query of one opened index needs: document count, each field's
    length normaliser per document (1 - b + b * len / avg), the segments' term
    index arrays (``termindex``) and which documents are deleted."""

    def __init__(self, searcher, fields: tuple[str, ...]) -> None:
        self.fields = fields
        self.doc_count = searcher.doc_count_all()
        leaves = [(s.reader(), offset) for s, offset in searcher.leaf_searchers()]
        index = getattr(searcher, "_ix", None)
        folder = getattr(getattr(index, "storage", None), "folder", None)
        self.segments = [(termindex.for_reader(r, fields, folder), offset) for r, offset in leaves]
        self.offsets = [offset for _, offset in leaves]
        masks = [termindex.deleted_mask(r) for r, _ in leaves]
        self.deleted = None
        if any(m is not None for m in masks):
            self.deleted = np.concatenate(
                [
                    m if m is not None else np.zeros(r.doc_count_all(), dtype=bool)
                    for m, (r, _) in zip(masks, leaves, strict=True)
                ]
            )
        self._cache = _PostingsCache(POSTINGS_CACHE_BYTES)
        self.norms = {}
        for field in fields:
            lengths = np.concatenate(
                [field_lengths(r, field, r.doc_count_all()) for r, _ in leaves] or [np.zeros(0)]
            )
            average = searcher.avg_field_length(field) or 1.0
            b = bm25.field_b(field)
            self.norms[field] = (1.0 - b) + b * lengths / average

    def term_counts(self, docnum: int) -> tuple[dict[str, float], float]:
        """A document's analysed terms (all ranked fields) with their counts, and
        how many there are: its row of the forward index."""
        k = bisect.bisect_right(self.offsets, docnum) - 1
        segment, offset = self.segments[k]
        ids, counts = segment.forward(docnum - offset)
        terms = segment.terms
        return dict(zip((terms[i] for i in ids.tolist()), counts.tolist(), strict=True)), float(
            counts.sum()
        )

    def forward_row(self, docnum: int) -> tuple[termindex.SegmentTerms, np.ndarray, np.ndarray]:
        """A document's segment and its forward-index row there: term numbers
        (of ``segment.terms``) and their counts over the ranked fields."""
        k = bisect.bisect_right(self.offsets, docnum) - 1
        segment, offset = self.segments[k]
        ids, counts = segment.forward(docnum - offset)
        return segment, ids, counts

    def documents_with(self, word: str) -> np.ndarray:
        """The documents (in order) with ``word`` in a ranked field, deleted
        ones included: its postings, from the cache when the ranking read them."""
        return self._frequencies(word)[0]

    def doc_frequency(self, term: str) -> int:
        """Documents with ``term``, estimated by the largest per-field count (what
        the constants were tuned with; deleted documents included, as in
        Whoosh's own counts)."""
        per_field = dict.fromkeys(self.fields, 0)
        for segment, _ in self.segments:
            i = segment.term_id(term)
            if i >= 0:
                for field in self.fields:
                    per_field[field] += int(segment.field_df[field][i])
        return max(per_field.values(), default=0)

    def bm25f(
        self, words: Mapping[str, float], delta: float = 0.0
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """(scores, number of words each document matches, words in the index);
        ``delta``: BM25+'s floor under each matched word's saturated frequency."""
        n = self.doc_count
        scores = np.zeros(n)
        matched = np.zeros(n)
        present = 0
        k1 = bm25.K1
        for word, weight in words.items():
            ids, tf = self._frequencies(word)
            if not len(ids):
                continue
            present += 1
            # BM25F's document frequency: documents with the word in any field.
            saturated = tf * (k1 + 1) / (k1 + tf) + delta
            scores[ids] += weight * bm25.idf(n, len(ids)) * saturated
            matched[ids] += 1
        if self.deleted is not None:
            scores[self.deleted] = 0.0
            matched[self.deleted] = 0.0
        return scores, matched, present

    def _frequencies(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        """The documents with ``word`` in a ranked field, and its field-weighted,
        length-normalised frequency in each (BM25F's pseudo-frequency); kept
        in the build's postings cache (read-only arrays)."""
        found = self._cache.get(word)
        if found is None:
            found = self._read_frequencies(word)
            self._cache.put(word, found)
        return found

    def _read_frequencies(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        ids, tfs = [], []
        for segment, offset in self.segments:
            i = segment.term_id(word)
            if i < 0:
                continue
            span = segment.span(i)
            docs = segment.docs[span].astype(np.int64) + offset
            tf = np.zeros(len(docs))
            for field in self.fields:
                tf += segment.weights[field][span] / self.norms[field][docs]
            if len(self.fields) < len(segment.fields):
                docs, tf = docs[tf > 0], tf[tf > 0]
            ids.append(docs)
            tfs.append(tf)
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        if len(ids) == 1:
            return ids[0], tfs[0]
        return np.concatenate(ids), np.concatenate(tfs)


def articles_with(searcher, term: str) -> np.ndarray:
    """The documents (numbers in ``searcher``) that hold an analysed term in a
    ranked field, deleted ones left out."""
    collection = get(searcher.get_parent(), schema.DEFAULT_FIELDS)
    ids = [
        segment.docs[segment.span(i)].astype(np.int64) + offset
        for segment, offset in collection.segments
        if (i := segment.term_id(term)) >= 0
    ]
    found = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
    if collection.deleted is not None:
        found = found[~collection.deleted[found]]
    return found


# Where a searcher keeps its statistics: the build's shared ones when it was
# opened by the engine (``served.ServedBuild``), else its own.
_SHARED_ATTRIBUTE = "_newsearch_statistics"
_CACHE_ATTRIBUTE = "_newsearch_collections"
_CACHE_LOCK = threading.Lock()


def share_through(searcher, statistics: Callable[[Any, tuple[str, ...]], Collection]) -> None:
    """Make ``get`` answer for ``searcher`` from ``statistics`` (its build's, shared)."""
    setattr(searcher, _SHARED_ATTRIBUTE, statistics)


def get(searcher, fields: tuple[str, ...]) -> Collection:
    """The statistics of ``searcher``'s index: its build's when the engine opened
    it, else kept on the searcher itself."""
    shared = getattr(searcher, _SHARED_ATTRIBUTE, None)
    if shared is not None:
        return shared(searcher, fields)
    with _CACHE_LOCK:
        cache = searcher.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
        found = cache.get(fields)
        if found is None:
            found = cache[fields] = Collection(searcher, fields)
        return found
