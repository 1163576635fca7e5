"""Phrase queries matched on the segments' position arrays (``store.positions``).

Whoosh matches a phrase by walking every document that holds all its words and
comparing their position lists in Python: a phrase of common words cost a
second or more at 100k articles. Here each word's occurrences in a segment are
one sorted array of global positions, so a phrase "a b c" is: the rarest
word's positions, shifted back by its place in the phrase, kept where the
other words stand at the right distance (``np.searchsorted``, rarest first,
stopping as soon as nothing is left). A document matches when a whole
phrase lies inside it.

The semantics are Whoosh's own (``SpanNear2`` with ``ordered=True,
mindist=1``), so that an index with or without the files answers alike: the
phrase's words as the analyzer gives them (stop words dropped from the
phrase; in the text they keep their place), each next word 1 to ``slop``
positions after the one before (``"a b"~3``), and a matching document scores
what Whoosh's phrase matcher gives it: the sum of each word's BM25 in that
field (``bm25.LuceneBM25F``), times the phrase's boost.

``positional`` swaps Whoosh's phrases for ``PositionalPhrase`` where every
segment of the build has positions for the field; a build written before the
files existed keeps Whoosh's matching (bounded by the request's deadline).
A ``PositionalPhrase`` scores the whole index at once like ``BagOfWords``, so
a query of phrases, plain words and wildcards is paged from arrays
(``array_page``); elsewhere (inside AND or NOT) it is a Whoosh
matcher over those scores.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np
from whoosh.matching import Matcher, NullMatcher
from whoosh.query import Phrase, Query

from .. import schema
from ..store import positions
from . import bm25
from .ranking import ScoreArrayMatcher, leaf_scores
from .statistics import Collection
from .statistics import get as get_collection


class PositionalPhrase(Phrase):
    """A ``Phrase`` in a field that has position arrays in every segment."""

    _cached: tuple[weakref.ref, tuple, np.ndarray] | None = None

    def matcher(self, searcher, context=None) -> Matcher:
        local = leaf_scores(searcher, self.scores(searcher))
        ids = np.flatnonzero(local > 0)
        if not len(ids):
            return NullMatcher()
        return ScoreArrayMatcher(ids.tolist(), local[ids].tolist())

    def scores(self, searcher) -> np.ndarray:
        """Every document's score for the phrase (0 = no match), boost applied;
        computed once per searcher."""
        parent = searcher.get_parent()
        # Whoosh's ``replace`` edits a copy's words in place: the key says which.
        key = (self.fieldname, tuple(self.words), self.slop, self.boost)
        cached = self._cached
        if cached is not None and cached[0]() is parent and cached[1] == key:
            return cached[2]
        found = phrase_scores(parent, self.fieldname, list(self.words), self.slop) * self.boost
        self._cached = (weakref.ref(parent), key, found)
        return found


def _folder(searcher) -> Any:
    index = getattr(searcher, "_ix", None)
    return getattr(getattr(index, "storage", None), "folder", None)


def _segments(searcher) -> list[tuple[positions.SegmentPositions, Any, int]]:
    """(positions, term index arrays, offset) of each segment of ``searcher``."""
    collection = get_collection(searcher, schema.DEFAULT_FIELDS)
    folder = _folder(searcher)
    leaves = searcher.leaf_searchers()
    return [
        (positions.for_reader(sub.reader(), terms, folder), terms, offset)
        for (sub, _), (terms, offset) in zip(leaves, collection.segments, strict=True)
    ]


def positional_fields(searcher) -> frozenset[str]:
    """The fields every segment (with documents) of ``searcher`` has positions for."""
    found: set[str] | None = None
    for held, terms, _ in _segments(searcher.get_parent()):
        if not terms.doc_count:
            continue
        found = set(held.fields) if found is None else found & set(held.fields)
    return frozenset(found or ())


def positional(query: Query, searcher) -> Query:
    """``query`` with each phrase in a field that has positions matched on them."""
    fields = positional_fields(searcher)
    if not fields:
        return query

    def swap(q: Query) -> Query:
        if type(q) is Phrase and q.fieldname in fields and len(q.words) > 1:
            return PositionalPhrase(
                q.fieldname, list(q.words), slop=q.slop, boost=q.boost, char_ranges=q.char_ranges
            )
        return q if q.is_leaf() else q.apply(swap)

    return swap(query)


def phrase_scores(searcher, field: str, words: list[str], slop: int) -> np.ndarray:
    """Whoosh's phrase score of every document of the top-level ``searcher``."""
    collection = get_collection(searcher, schema.DEFAULT_FIELDS)
    n = collection.doc_count
    scores = np.zeros(n)
    frequency = _field_frequencies(collection, field, words)
    if not words or min(frequency.values()) == 0:
        return scores
    idf = {w: bm25.idf(n, f) for w, f in frequency.items()}
    boost = _field_boost(searcher, field)
    norms = collection.norms[field]
    k1 = bm25.K1
    for held, terms, offset in _segments(searcher):
        field_positions = held.fields.get(field)
        ids = [terms.term_id(w) for w in words]
        if field_positions is None or min(ids) < 0:
            continue
        docs, tfs = match(field_positions, ids, max(int(slop), 1))
        if not len(docs):
            continue
        norm = norms[docs + offset]
        for word, tf in zip(words, tfs, strict=True):
            weight = tf * boost
            scores[docs + offset] += idf[word] * weight * (k1 + 1) / (weight + k1 * norm)
    if collection.deleted is not None:
        scores[collection.deleted] = 0.0
    return scores


def _field_frequencies(collection: Collection, field: str, words: list[str]) -> dict[str, int]:
    """Documents holding each word in ``field`` (deleted ones included, as
    Whoosh counts them for its idf)."""
    found = dict.fromkeys(words, 0)
    for terms, _ in collection.segments:
        if field not in terms.field_df:
            continue
        for word in found:
            i = terms.term_id(word)
            if i >= 0:
                found[word] += int(terms.field_df[field][i])
    return found


def _field_boost(searcher, field: str) -> float:
    try:
        return float(searcher.schema[field].format.field_boost) or 1.0
    except (KeyError, AttributeError):
        return 1.0


def match(
    held: positions.FieldPositions, term_ids: list[int], slop: int = 1
) -> tuple[np.ndarray, list[np.ndarray]]:
    """The segment's documents holding the phrase (ascending), and each word's
    occurrences in each of them (in the field: what BM25 counts)."""
    read: dict[int, np.ndarray] = {}

    def occurrences(term_id: int) -> np.ndarray:
        if term_id not in read:
            read[term_id] = held.of(term_id)
        return read[term_id]

    doc_start = held.doc_start
    if slop <= 1:
        ends = _exact(occurrences, held, term_ids)
        if not len(ends):
            return ends, []
        starts = ends - (len(term_ids) - 1)
        doc = np.searchsorted(doc_start, ends, side="right") - 1
        # A phrase may not run from the end of one document into the next.
        doc = doc[np.searchsorted(doc_start, starts, side="right") - 1 == doc]
    else:
        doc = _within(occurrences, doc_start, term_ids, slop)
    docs = np.unique(doc)
    if not len(docs):
        return docs, []
    tfs = []
    for term_id in term_ids:
        p = occurrences(term_id)
        tfs.append(
            (
                np.searchsorted(p, doc_start[docs + 1], side="left")
                - np.searchsorted(p, doc_start[docs], side="left")
            ).astype(np.float64)
        )
    return docs, tfs


def _exact(occurrences, held: positions.FieldPositions, term_ids: list[int]) -> np.ndarray:
    """Global positions of the last word of each exact occurrence of the phrase
    (``slop`` 1: word i at start + i). Rarest word first: the candidates only
    shrink, and a word after the candidates run out is never read."""
    order = sorted(range(len(term_ids)), key=lambda j: held.count(term_ids[j]))
    first = order[0]
    # Where the phrase would start, from each occurrence of the rarest word.
    start = occurrences(term_ids[first]) - first
    for j in order[1:]:
        if not len(start):
            break
        p = occurrences(term_ids[j])
        want = start + j
        at = np.searchsorted(p, want)
        hit = at < len(p)
        hit[hit] = p[at[hit]] == want[hit]
        start = start[hit]
    return start + (len(term_ids) - 1)


def _within(occurrences, doc_start: np.ndarray, term_ids: list[int], slop: int) -> np.ndarray:
    """Documents where each word stands 1 to ``slop`` positions after the one
    before it (Whoosh's ordered ``SpanNear2``), as the document of each chain's
    last word: a word continues a chain from the nearest earlier occurrence of
    the word before (any chain that reaches further back reaches it too)."""
    reached = occurrences(term_ids[0])
    for term_id in term_ids[1:]:
        if not len(reached):
            return reached
        p = occurrences(term_id)
        before = np.searchsorted(reached, p, side="left") - 1
        ok = before >= 0
        gap = p[ok] - reached[before[ok]]
        same_doc = np.searchsorted(doc_start, p[ok], side="right") == np.searchsorted(
            doc_start, reached[before[ok]], side="right"
        )
        ok[ok] = (gap >= 1) & (gap <= slop) & same_doc
        reached = p[ok]
    return np.searchsorted(doc_start, reached, side="right") - 1
