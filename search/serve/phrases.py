"""Phrase queries matched on the segments' position arrays (``store.positions``).

Whoosh matches a phrase by walking every document that holds all its words and
comparing their position lists in Python: a phrase of common words cost a
second or more at 100k articles. Here each word's occurrences in a segment are
one sorted array of global positions, so a phrase "a b c" is: the rarest
word's positions, shifted back by its place in the phrase, kept where the
other words stand at the right distance (``np.searchsorted``, rarest first,
stopping as soon as nothing is left). A document matches when a whole
phrase lies inside it.

Each word of a phrase carries its offset in the phrase text (``Phrase``),
as the analyzer numbers the tokens of the text: a stop word is dropped from
the phrase but keeps its place, in the query as in the indexed text, so
``"bank of england"`` is *bank* at 0 and *england* at 2 and matches "Bank of
England", not "bank England". Without slop each word stands exactly where
its offset puts it; ``"a b"~N`` lets each word stand up to N - 1 positions
off that distance from the word before, still after it (``gaps``: for words
side by side, 1 to N positions after, as Whoosh's ``SpanNear2`` reads slop).
A matching document scores what Whoosh's phrase matcher gives it: the sum of
each word's BM25 in that field (``bm25.LuceneBM25F``), times the phrase's
boost. An index with or without the files answers alike: without them,
``Phrase.matcher`` chains Whoosh's ``SpanNear2`` with the same distances.

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
from itertools import pairwise
from typing import Any

import numpy as np
from whoosh import matching
from whoosh.matching import Matcher, NullMatcher
from whoosh.query import NullQuery, Query, SpanNear2, Term
from whoosh.query import Phrase as WhooshPhrase

from .. import schema
from ..store import positions
from . import bm25
from .ranking import ScoreArrayMatcher, leaf_scores
from .statistics import Collection
from .statistics import get as get_collection


def gaps(offsets: list[int], slop: int) -> list[tuple[int, int]]:
    """The distances (least, most) allowed between each word and the one
    before it: exactly the phrase text's own without slop; ``slop`` N widens
    each by N - 1 either way, never to 0 or less (the order stays)."""
    loose = max(int(slop), 1) - 1
    return [(max(1, b - a - loose), b - a + loose) for a, b in pairwise(offsets)]


class Phrase(WhooshPhrase):
    """Whoosh's ``Phrase`` whose words carry their offsets in the phrase text
    (from 0: ``"bank of england"`` is bank 0, england 2); without offsets the
    words are side by side, as in Whoosh's."""

    def __init__(
        self,
        fieldname: str,
        words: list[str],
        slop: int = 1,
        boost: float = 1.0,
        char_ranges: list[tuple[int, int]] | None = None,
        offsets: list[int] | None = None,
    ):
        super().__init__(fieldname, words, slop=slop, boost=boost, char_ranges=char_ranges)
        if offsets is None:
            offsets = list(range(len(words)))
        if len(offsets) != len(words):
            raise ValueError("a phrase needs one offset per word")
        self.offsets = [o - offsets[0] for o in offsets] if offsets else []

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.offsets == other.offsets  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return super().__hash__() ^ hash(tuple(self.offsets))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.fieldname!r}, {self.words!r}, offsets={self.offsets!r}, "
            f"slop={self.slop}, boost={self.boost:f})"
        )

    def normalize(self) -> Query:
        kept = [(w, o) for w, o in zip(self.words, self.offsets, strict=True) if w is not None]
        if len(kept) > 1:
            return type(self)(
                self.fieldname,
                [w for w, _ in kept],
                slop=self.slop,
                boost=self.boost,
                char_ranges=self.char_ranges,
                offsets=[o for _, o in kept],
            )
        if not kept:
            return NullQuery
        return WhooshPhrase(self.fieldname, [kept[0][0]], char_ranges=self.char_ranges).normalize()

    def matcher(self, searcher, context=None) -> Matcher:
        """Whoosh's matching (a build without position files): its phrase of
        words side by side, or, with a stop word's gap, ``SpanNear2`` chained a
        word at a time, each link allowing that word's distances (``gaps``)."""
        if self.offsets == list(range(len(self.words))):
            return super().matcher(searcher, context)  # side by side: Whoosh's own
        if self.fieldname not in searcher.schema:
            return NullMatcher()
        field = searcher.schema[self.fieldname]
        if not field.format or not field.format.supports("positions"):
            return super().matcher(searcher, context)  # Whoosh's error, or its AND
        reader = searcher.reader()
        words = []
        for word in self.words:
            try:
                text = field.to_bytes(word)
            except ValueError:
                return NullMatcher()
            if (self.fieldname, text) not in reader:
                return NullMatcher()
            words.append(Term(self.fieldname, text))
        chain: Query = words[0]
        for word, (least, most) in zip(words[1:], gaps(self.offsets, self.slop), strict=True):
            chain = SpanNear2([chain, word], slop=most, ordered=True, mindist=least)
        m = chain.matcher(searcher, context)
        if self.boost != 1.0:
            m = matching.WrappingMatcher(m, boost=self.boost)
        return m


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
        key = (self.fieldname, tuple(self.words), tuple(self.offsets), self.slop, self.boost)
        cached = self._cached
        if cached is not None and cached[0]() is parent and cached[1] == key:
            return cached[2]
        found = phrase_scores(parent, self.fieldname, list(self.words), self.slop, self.offsets)
        found = found * self.boost
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
        if type(q) in (WhooshPhrase, Phrase) and q.fieldname in fields and len(q.words) > 1:
            return PositionalPhrase(
                q.fieldname,
                list(q.words),
                slop=q.slop,
                boost=q.boost,
                char_ranges=q.char_ranges,
                offsets=getattr(q, "offsets", None),
            )
        return q if q.is_leaf() else q.apply(swap)

    return swap(query)


def phrase_scores(
    searcher, field: str, words: list[str], slop: int, offsets: list[int] | None = None
) -> np.ndarray:
    """Whoosh's phrase score of every document of the top-level ``searcher``
    (``offsets``: each word's place in the phrase, side by side by default)."""
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
        docs, tfs = match(field_positions, ids, max(int(slop), 1), offsets)
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
    held: positions.FieldPositions,
    term_ids: list[int],
    slop: int = 1,
    offsets: list[int] | None = None,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """The segment's documents holding the phrase (ascending), and each word's
    occurrences in each of them (in the field: what BM25 counts). ``offsets``:
    each word's place in the phrase (side by side by default)."""
    if offsets is None:
        offsets = list(range(len(term_ids)))
    read: dict[int, np.ndarray] = {}

    def occurrences(term_id: int) -> np.ndarray:
        if term_id not in read:
            read[term_id] = held.of(term_id)
        return read[term_id]

    doc_start = held.doc_start
    if slop <= 1:
        ends = _exact(occurrences, held, term_ids, offsets)
        if not len(ends):
            return ends, []
        starts = ends - (offsets[-1] - offsets[0])
        doc = np.searchsorted(doc_start, ends, side="right") - 1
        # A phrase may not run from the end of one document into the next.
        doc = doc[np.searchsorted(doc_start, starts, side="right") - 1 == doc]
    else:
        doc = _within(occurrences, doc_start, term_ids, gaps(offsets, slop))
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


def _exact(
    occurrences, held: positions.FieldPositions, term_ids: list[int], offsets: list[int]
) -> np.ndarray:
    """Global positions of the last word of each exact occurrence of the phrase
    (no slop: word i at start + its offset). Rarest word first: the
    candidates only shrink, and a word after the candidates run out is never
    read."""
    order = sorted(range(len(term_ids)), key=lambda j: held.count(term_ids[j]))
    first = order[0]
    # Where the phrase would start, from each occurrence of the rarest word.
    start = occurrences(term_ids[first]) - offsets[first]
    for j in order[1:]:
        if not len(start):
            break
        p = occurrences(term_ids[j])
        want = start + offsets[j]
        at = np.searchsorted(p, want)
        hit = at < len(p)
        hit[hit] = p[at[hit]] == want[hit]
        start = start[hit]
    return start + offsets[-1]


def _within(
    occurrences, doc_start: np.ndarray, term_ids: list[int], spans: list[tuple[int, int]]
) -> np.ndarray:
    """Documents where each word stands at one of its allowed distances
    (``spans``: least, most) after the one before it (Whoosh's ordered
    ``SpanNear2``), as the document of each chain's last word: a word
    continues a chain from the latest occurrence of the word before that is
    at least ``least`` positions earlier (any chain that reaches further back
    within ``most`` reaches it too)."""
    reached = occurrences(term_ids[0])
    for term_id, (least, most) in zip(term_ids[1:], spans, strict=True):
        if not len(reached):
            return reached
        p = occurrences(term_id)
        before = np.searchsorted(reached, p - least, side="right") - 1
        ok = before >= 0
        gap = p[ok] - reached[before[ok]]
        same_doc = np.searchsorted(doc_start, p[ok], side="right") == np.searchsorted(
            doc_start, reached[before[ok]], side="right"
        )
        ok[ok] = (gap <= most) & same_doc
        reached = p[ok]
    return np.searchsorted(doc_start, reached, side="right") - 1
