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

from . import schema, scoring
from .analysis import QUERY_STOP_TERMS, analyze

# Document frequencies remembered per opened index (feedback looks up every
# word of its documents; words recur from query to query). Bounds the memory.
DF_CACHE_SIZE = 200_000
# Decoded postings remembered per opened index, in postings (16 bytes each):
# feedback scores the original words a second time, and news queries share
# words. 1M postings is 16 MB per searching thread.
POSTINGS_CACHE_SIZE = 1_000_000
# Documents whose analysed terms are remembered for feedback (a few KB each).
TERM_COUNTS_CACHE_SIZE = 2_000

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
    scores, matched, present = collection.bm25f(words)
    if not present:
        return scores
    expanded = _feedback(collection, words, scores)
    coordination = None
    if present <= scoring.COORDINATION_MAX_WORDS:
        coordination = (matched / present) ** scoring.COORDINATION_POWER
    if expanded is not None:
        matches = scores > 0
        scores, _, _ = collection.bm25f(expanded)
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
    """Statistics of one opened index that every query needs: document count,
    and each field's length normaliser per document (1 - b + b * len / avg)."""

    def __init__(self, searcher, fields: tuple[str, ...]) -> None:
        self.searcher = searcher
        self.fields = fields
        self.doc_count = searcher.doc_count_all()
        self.leaves = [(s.reader(), offset) for s, offset in searcher.leaf_searchers()]
        self._df_cache: dict[str, int] = {}
        self._postings_cache: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        self._postings_cached = 0
        self._term_counts: dict[int, tuple[Counter[str], int]] = {}
        self.norms = {}
        for field in fields:
            lengths = np.concatenate(
                [_field_lengths(r, field, r.doc_count_all()) for r, _ in self.leaves]
                or [np.zeros(0)]
            )
            average = searcher.avg_field_length(field) or 1.0
            b = scoring.field_b(field)
            self.norms[field] = (1.0 - b) + b * lengths / average

    def term_counts(self, docnum: int) -> tuple[Counter[str], int]:
        """A document's analysed terms (title and body) with their counts, and
        how many there are; re-read from the stored text, remembered for
        TERM_COUNTS_CACHE_SIZE documents (feedback keeps meeting the same ones)."""
        found = self._term_counts.get(docnum)
        if found is None:
            stored = self.searcher.stored_fields(docnum)
            terms = [t for f in self.fields for t in analyze(stored.get(f) or "")]
            if len(self._term_counts) >= TERM_COUNTS_CACHE_SIZE:
                self._term_counts.clear()
            found = self._term_counts[docnum] = (Counter(terms), len(terms))
        return found

    def doc_frequency(self, term: str) -> int:
        """Documents with ``term`` in some field, estimated by the largest
        per-field count (exact counting needs the postings; feedback weighs
        hundreds of candidate words and only needs their rarity)."""
        found = self._df_cache.get(term)
        if found is None:
            if len(self._df_cache) >= DF_CACHE_SIZE:
                self._df_cache.clear()
            found = max(self.searcher.doc_frequency(f, term) for f in self.fields)
            self._df_cache[term] = found
        return found

    def bm25f(self, words: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray, int]:
        """(scores, number of words each document matches, words in the index)."""
        n = self.doc_count
        scores = np.zeros(n)
        matched = np.zeros(n)
        pseudo = np.zeros(n)
        present = 0
        k1 = scoring.K1
        for word, weight in words.items():
            parts = []
            for field in self.fields:
                ids, freqs = self._postings(field, word)
                if len(ids):
                    pseudo[ids] += freqs / self.norms[field][ids]
                    parts.append(ids)
            if not parts:
                continue
            present += 1
            # BM25F's document frequency: documents with the word in any field.
            ids = np.unique(np.concatenate(parts)) if len(parts) > 1 else parts[0]
            df = len(ids)
            tf = pseudo[ids]
            pseudo[ids] = 0.0
            scores[ids] += weight * scoring.idf(n, df) * tf * (k1 + 1) / (k1 + tf)
            matched[ids] += 1
        return scores, matched, present

    def _postings(self, field: str, word: str) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers and weights (frequency x field boost) over all segments,
        decoded once and kept while they fit in POSTINGS_CACHE_SIZE."""
        key = (field, word)
        found = self._postings_cache.get(key)
        if found is not None:
            return found
        ids, weights = [], []
        for reader, offset in self.leaves:
            if key not in reader:
                continue
            i, w = _read_postings(reader.postings(field, word))
            ids.append(i + offset)
            weights.append(w)
        if ids:
            found = (np.concatenate(ids), np.concatenate(weights))
        else:
            found = (np.zeros(0, dtype=np.int64), np.zeros(0))
        if self._postings_cached + len(found[0]) > POSTINGS_CACHE_SIZE:
            self._postings_cache.clear()
            self._postings_cached = 0
        if len(found[0]) <= POSTINGS_CACHE_SIZE:
            self._postings_cache[key] = found
            self._postings_cached += len(found[0])
        return found


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


def _read_postings(m) -> tuple[np.ndarray, np.ndarray]:
    """All (document, weight) pairs of a postings matcher: a block at a time from
    Whoosh 3's on-disk matcher (unwrapping the filter that hides deleted
    documents), else one posting at a time."""
    excluded = None
    if isinstance(m, FilterMatcher) and m._exclude and hasattr(m.child, "_next_block"):
        excluded = np.fromiter(m._ids, dtype=np.int64)
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
    docs = np.concatenate(ids).astype(np.int64)
    values = np.concatenate(weights).astype(np.float64)
    if excluded is not None and len(excluded):
        keep = ~np.isin(docs, excluded)
        docs, values = docs[keep], values[keep]
    return docs, values


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

    def __init__(self, ids: list[int], scores: list[float], i: int = 0) -> None:
        self._ids = ids
        self._scores = scores
        self._i = i

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
        return ScoreArrayMatcher(self._ids, self._scores, self._i)

    def all_ids(self) -> Iterator[int]:
        return iter(self._ids[self._i :])

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return max(self._scores[self._i :], default=0.0)

    def supports(self, astype: str) -> bool:
        return False

    def term(self):
        return None

    def term_matchers(self) -> Iterator[Matcher]:
        return iter(())

    def matching_terms(self, id=None) -> Iterator:
        return iter(())
