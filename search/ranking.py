"""Scoring the plain words of a query together: BM25F, a term at a time.

Whoosh scores an OR of words by walking every word's postings in step, one
document at a time, and scores each field on its own. ``BagOfWords`` instead
reads each word's postings once into arrays (numpy), combines title and body
before saturation (BM25F), keeps how often the query repeats a word, and can
look at the whole ranking before answering - which pseudo-relevance feedback
and coordination need. The formulas and constants are in ``scoring``.

A ``BagOfWords`` is an ordinary Whoosh query: it sits inside AND/NOT groups,
next to phrases and field terms, and reports its words for highlighting.
"""

from __future__ import annotations

import bisect
import heapq
import threading
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

import numpy as np
from whoosh.matching import FilterMatcher, Matcher, NullMatcher, ReadTooFar
from whoosh.query import NullQuery, Query
from whoosh.util.numeric import byte_to_length

from . import schema, scoring, termindex
from .analysis import QUERY_STOP_TERMS

# Whoosh stores a field's length in one byte per document; these are the
# lengths the 256 byte values stand for.
_BYTE_LENGTHS = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)


class BagOfWords(Query):
    """Documents matching any of ``words`` (analysed terms -> query weight) in
    ``fields``, ranked by BM25F with feedback and coordination."""

    def __init__(
        self,
        words: Mapping[str, float],
        fields: Iterable[str] = schema.DEFAULT_FIELDS,
        boost: float = 1.0,
    ) -> None:
        self.words = dict(words)
        self.fields = tuple(fields)
        self.boost = boost
        self._cached: tuple[weakref.ref, np.ndarray] | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.words!r}, fields={self.fields!r})"

    def __str__(self) -> str:
        return " ".join(self.words)

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and self.words == other.words  # type: ignore[attr-defined]
            and self.fields == other.fields  # type: ignore[attr-defined]
            and self.boost == other.boost  # type: ignore[attr-defined]
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(sorted(self.words.items())), self.fields))

    def __deepcopy__(self, memo: dict) -> BagOfWords:
        return BagOfWords(self.words, self.fields, self.boost)

    def is_leaf(self) -> bool:
        return True

    def field(self) -> None:
        return None  # several fields

    def has_terms(self) -> bool:
        return True

    def terms(self, phrases: bool = False) -> Iterator[tuple[str, str]]:
        for field in self.fields:
            for word in self.words:
                yield field, word

    def normalize(self) -> Query:
        return self if self.words else NullQuery

    def estimate_size(self, ixreader) -> int:
        return sum(ixreader.doc_frequency(f, w) for f, w in self.terms())

    def matcher(self, searcher, context=None) -> Matcher:
        parent = searcher.get_parent()
        scores = self._scores(parent)
        offset = 0
        if parent is not searcher:
            offset = next(o for s, o in parent.leaf_searchers() if s is searcher)
        local = scores[offset : offset + searcher.doc_count_all()]
        ids = np.flatnonzero(local > 0)
        if not len(ids):
            return NullMatcher()
        return ScoreArrayMatcher(ids.tolist(), (local[ids] * self.boost).tolist())

    def scores(self, searcher) -> np.ndarray:
        """Every document's score for this query (0 = no match), boost applied:
        what the engine's array path pages through (see fastpage)."""
        return self._scores(searcher.get_parent()) * self.boost

    def _scores(self, searcher) -> np.ndarray:
        """Score of every document of the top-level searcher (0 = no match);
        computed once per searcher, then sliced for each segment."""
        if self._cached is not None and self._cached[0]() is searcher:
            return self._cached[1]
        scores = rank_words(searcher, self.words, self.fields)
        self._cached = (weakref.ref(searcher), scores)
        return scores


def rank_words(searcher, words: Mapping[str, float], fields: tuple[str, ...]) -> np.ndarray:
    """BM25F scores of all documents for ``words``, after feedback and coordination."""
    collection = _collection(searcher, fields)
    delta = scoring.DELTA if len(words) <= scoring.DELTA_MAX_WORDS else 0.0
    scores, matched, present = collection.bm25f(words, delta)
    if not present:
        return scores
    expanded = _feedback(collection, words, scores)
    coordination = None
    if present <= scoring.COORDINATION_MAX_WORDS:
        coordination = (matched / present) ** scoring.COORDINATION_POWER
    if expanded is not None:
        matches = scores > 0
        scores, _, _ = collection.bm25f(expanded, delta)
        scores *= matches
    if coordination is not None:
        scores *= coordination
    return scores


def _feedback(
    collection: _Collection, words: Mapping[str, float], scores: np.ndarray
) -> dict[str, float] | None:
    """RM3: the query re-weighted with the words of its best matches, or None."""
    if scoring.FEEDBACK_DOCS <= 0 or scoring.FEEDBACK_TERMS <= 0:
        return None
    matches = np.flatnonzero(scores > 0)
    if len(matches) < max(1, scoring.FEEDBACK_MIN_MATCHES):
        return None
    best = matches[np.argsort(-scores[matches], kind="stable")[: scoring.FEEDBACK_DOCS]]
    votes: Counter[str] = Counter()
    total = float(scores[best].sum())
    for docnum in best.tolist():
        counts, length = collection.term_counts(docnum)
        if not length:
            continue
        share = float(scores[docnum]) / total / length
        for term, count in counts.items():
            votes[term] += share * count
    chosen = _best_terms(collection, votes, scoring.FEEDBACK_TERMS)
    if not chosen:
        return None
    # The expanded query keeps the original's total weight, so that its scores
    # stay comparable with the phrases and field terms it is OR-ed with.
    keep = scoring.FEEDBACK_ORIGINAL_WEIGHT
    query_total = sum(words.values())
    vote_total = sum(v for _, v in chosen)
    expanded: Counter[str] = Counter()
    for word, weight in words.items():
        expanded[word] += keep * weight
    for term, vote in chosen:
        expanded[term] += (1 - keep) * query_total * vote / vote_total
    return dict(expanded)


def _best_terms(
    collection: _Collection, votes: Mapping[str, float], k: int
) -> list[tuple[str, float]]:
    """The ``k`` terms with the largest vote x idf (ties: first voted first), not
    question words. Votes are visited largest first and the visit stops once no
    term left could enter even at the highest possible idf, which saves most
    document-frequency lookups (feedback documents have hundreds of words)."""
    n = collection.doc_count
    ceiling = scoring.idf(n, 1)
    order = sorted(
        ((vote, i, term) for i, (term, vote) in enumerate(votes.items())),
        key=lambda entry: -entry[0],
    )
    top: list[tuple[float, int, str]] = []  # min-heap of (value, -first voted, term)
    for vote, i, term in order:
        if len(top) >= k and vote * ceiling < top[0][0]:
            break
        if term in QUERY_STOP_TERMS:
            continue
        value = vote * scoring.idf(n, collection.doc_frequency(term))
        if value <= 0:
            continue
        entry = (value, -i, term)
        if len(top) < k:
            heapq.heappush(top, entry)
        elif entry > top[0]:
            heapq.heapreplace(top, entry)
    return [(term, value) for value, _, term in sorted(top, reverse=True)]


class _Collection:
    """What every query of one opened index needs: document count, each field's
    length normaliser per document (1 - b + b * len / avg), the segments' term
    index arrays (``termindex``) and which documents are deleted."""

    def __init__(self, searcher, fields: tuple[str, ...]) -> None:
        self.searcher = searcher
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
        self.norms = {}
        for field in fields:
            lengths = np.concatenate(
                [_field_lengths(r, field, r.doc_count_all()) for r, _ in leaves] or [np.zeros(0)]
            )
            average = searcher.avg_field_length(field) or 1.0
            b = scoring.field_b(field)
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
        k1 = scoring.K1
        for word, weight in words.items():
            ids, tf = self._frequencies(word)
            if not len(ids):
                continue
            present += 1
            # BM25F's document frequency: documents with the word in any field.
            saturated = tf * (k1 + 1) / (k1 + tf) + delta
            scores[ids] += weight * scoring.idf(n, len(ids)) * saturated
            matched[ids] += 1
        if self.deleted is not None:
            scores[self.deleted] = 0.0
            matched[self.deleted] = 0.0
        return scores, matched, present

    def _frequencies(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        """The documents with ``word`` in a ranked field, and its field-weighted,
        length-normalised frequency in each (BM25F's pseudo-frequency)."""
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
    """Which documents hold an analysed term in a ranked field (a mask over
    the searcher's documents, deleted ones False)."""
    collection = _collection(searcher.get_parent(), schema.DEFAULT_FIELDS)
    mask = np.zeros(collection.doc_count, dtype=bool)
    ids, _ = collection._frequencies(term)
    mask[ids] = True
    if collection.deleted is not None:
        mask &= ~collection.deleted
    return mask


_CACHE_ATTRIBUTE = "_newsearch_collections"
_CACHE_LOCK = threading.Lock()


def _collection(searcher, fields: tuple[str, ...]) -> _Collection:
    """The statistics of ``searcher``'s index, kept on the searcher (the engine
    keeps one open per thread until a new build is published)."""
    with _CACHE_LOCK:
        cache = searcher.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
        found = cache.get(fields)
        if found is None:
            found = cache[fields] = _Collection(searcher, fields)
        return found


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


def _field_lengths(reader, field: str, doc_count: int) -> np.ndarray:
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


class ScoreArrayMatcher(Matcher):
    """Matches precomputed (document, score) pairs in document order."""

    def __init__(
        self, ids: list[int], scores: list[float], i: int = 0, best: list[float] | None = None
    ) -> None:
        self._ids = ids
        self._scores = scores
        self._i = i
        self._best = best  # best score from each position on, made when first asked

    def is_active(self) -> bool:
        return self._i < len(self._ids)

    def id(self) -> int:
        return self._ids[self._i]

    def score(self) -> float:
        return self._scores[self._i]

    def weight(self) -> float:
        return self._scores[self._i]

    def next(self) -> None:
        self._i += 1

    def skip_to(self, target: int) -> None:
        if not self.is_active():
            raise ReadTooFar
        if target > self._ids[self._i]:
            self._i = bisect.bisect_left(self._ids, target, self._i)

    def reset(self) -> None:
        self._i = 0

    def copy(self) -> ScoreArrayMatcher:
        return ScoreArrayMatcher(self._ids, self._scores, self._i, self._best)

    def all_ids(self) -> Iterator[int]:
        return iter(self._ids[self._i :])

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        # Whoosh asks after every skip; a scan of the rest each time was a tenth
        # of a phrase query's time at 100k articles.
        if self._best is None:
            self._best = np.maximum.accumulate(np.array(self._scores)[::-1])[::-1].tolist()
        return self._best[self._i] if self._i < len(self._best) else 0.0

    def supports(self, astype: str) -> bool:
        return False

    def term(self):
        return None

    def term_matchers(self) -> Iterator[Matcher]:
        return iter(())

    def matching_terms(self, id=None) -> Iterator:
        return iter(())
