"""Scoring the plain words of a query together: BM25F, a term at a time.

Whoosh scores an OR of words by walking every word's postings in step, one
document at a time, and scores each field on its own. ``BagOfWords`` instead
reads each word's postings once into arrays (numpy), combines title and body
before saturation (BM25F), keeps how often the query repeats a word, and can
look at the whole ranking before answering - which pseudo-relevance feedback
and coordination need. The formulas and constants are in ``bm25``.

A ``BagOfWords`` is an ordinary Whoosh query: it sits inside AND/NOT groups,
next to phrases and field terms, and reports its words for highlighting.
"""

from __future__ import annotations

import bisect
import heapq
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping

import numpy as np
from whoosh.matching import Matcher, NullMatcher, ReadTooFar
from whoosh.query import NullQuery, Query

from .. import schema
from ..analysis import QUERY_STOP_TERMS
from . import bm25
from . import names as byline_names
from .statistics import Collection
from .statistics import get as get_collection


class BagOfWords(Query):
    """Documents matching any of ``words`` (analysed terms -> query weight) in
    ``fields``, ranked by BM25F with feedback and coordination."""

    def __init__(
        self,
        words: Mapping[str, float],
        fields: Iterable[str] = schema.DEFAULT_FIELDS,
        boost: float = 1.0,
        names: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.words = dict(words)
        self.fields = tuple(fields)
        self.boost = boost
        # Query term -> the folded words typed for it, matched against bylines
        # and outlet names (see ``names``); set by the parser.
        self.names = dict(names or {})
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
            and self.names == other.names  # type: ignore[attr-defined]
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(sorted(self.words.items())), self.fields))

    def __deepcopy__(self, memo: dict) -> BagOfWords:
        return BagOfWords(self.words, self.fields, self.boost, self.names)

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
        local = leaf_scores(searcher, self._scores(searcher.get_parent()))
        ids = np.flatnonzero(local > 0)
        if not len(ids):
            return NullMatcher()
        return ScoreArrayMatcher(ids.tolist(), (local[ids] * self.boost).tolist())

    def scores(self, searcher) -> np.ndarray:
        """Every document's score for this query (0 = no match), boost applied:
        what the engine's array path pages through (see array_page)."""
        return self._scores(searcher.get_parent()) * self.boost

    def matches(self, searcher) -> np.ndarray:
        """Whether each document of the top-level searcher matches (the
        documents ``scores`` gives a score), without ranking them."""
        searcher = searcher.get_parent()
        if self._cached is not None and self._cached[0]() is searcher:
            return self._cached[1] > 0
        return matching_words(searcher, self.words, self.fields, self.names)

    def _scores(self, searcher) -> np.ndarray:
        """Score of every document of the top-level searcher (0 = no match);
        computed once per searcher, then sliced for each segment."""
        if self._cached is not None and self._cached[0]() is searcher:
            return self._cached[1]
        scores = rank_words(searcher, self.words, self.fields, self.names)
        self._cached = (weakref.ref(searcher), scores)
        return scores


def plain_words(query: Query) -> BagOfWords | None:
    """The plain words of a query (its first BagOfWords), if any."""
    if isinstance(query, BagOfWords):
        return query
    if query.is_leaf():
        return None
    for sub in query.children():
        found = plain_words(sub)
        if found is not None:
            return found
    return None


def rank_words(
    searcher,
    words: Mapping[str, float],
    fields: tuple[str, ...],
    names: Mapping[str, tuple[str, ...]] | None = None,
) -> np.ndarray:
    """BM25F scores of all documents for ``words``, after feedback and coordination."""
    collection, delta, scores, matched, present, named = _first_pass(searcher, words, fields, names)
    if not present:
        return scores
    if named is not None:
        scores += named
    expanded = _feedback(collection, words, scores)
    coordination = None
    if present <= bm25.COORDINATION_MAX_WORDS:
        coordination = (matched / present) ** bm25.COORDINATION_POWER
    if expanded is not None:
        matches = scores > 0
        scores, _, _ = collection.bm25f(expanded, delta)
        if named is not None:
            scores += named
        scores *= matches
    if coordination is not None:
        scores *= coordination
    return scores


def matching_words(
    searcher,
    words: Mapping[str, float],
    fields: tuple[str, ...],
    names: Mapping[str, tuple[str, ...]] | None = None,
) -> np.ndarray:
    """Which documents ``rank_words`` gives a score (True: a match): its first
    pass alone. Feedback and coordination only re-weight the documents that
    pass scores (feedback's scores are multiplied by its matches, coordination
    is positive wherever a word matched), so a listing in date order needs
    neither: they cost a second postings pass and the forward index reads."""
    _, _, scores, _, _, named = _first_pass(searcher, words, fields, names)
    if named is not None:
        scores += named
    return scores > 0


def _first_pass(
    searcher,
    words: Mapping[str, float],
    fields: tuple[str, ...],
    names: Mapping[str, tuple[str, ...]] | None,
) -> tuple[Collection, float, np.ndarray, np.ndarray, int, np.ndarray | None]:
    """BM25F of the words as typed, and the byline bonus (see ``_bylines``)."""
    collection = get_collection(searcher, fields)
    delta = bm25.DELTA if len(words) <= bm25.DELTA_MAX_WORDS else 0.0
    scores, matched, present = collection.bm25f(words, delta)
    named, present = _bylines(searcher, collection, words, names, matched, present, delta)
    return collection, delta, scores, matched, present, named


def _bylines(
    searcher,
    collection: Collection,
    words: Mapping[str, float],
    names: Mapping[str, tuple[str, ...]] | None,
    matched: np.ndarray,
    present: int,
    delta: float,
) -> tuple[np.ndarray | None, int]:
    """Scores for query words that name an article's reporter or outlet (None:
    no word does), counting those words as matched in ``matched`` and
    ``present``. A byline match is worth the most the word could score in the
    text (idf x the saturation ceiling K1 + 1, plus BM25+'s delta): by
    construction a reporter's own articles outrank articles that only mention
    the name, whatever the length of either; it adds to any mention in the text.
    Indexes without bylines (the IR collections) score exactly as before."""
    if not names:
        return None, present
    typed = frozenset(f for forms in names.values() for f in forms)
    found = byline_names.bonus(searcher, names, typed)
    if not found:
        return None, present
    n = collection.doc_count
    extra = np.zeros(n)
    for term, docs in found.items():
        in_text, _ = collection._frequencies(term)
        if not len(in_text):
            present += 1
        weight = words.get(term, 1.0)
        # The idf the text's own score used, so that the two compare.
        df = len(in_text) or len(docs)
        extra[docs] += weight * bm25.idf(n, df) * (bm25.K1 + 1 + delta)
        only_named = np.setdiff1d(docs, in_text, assume_unique=False)
        matched[only_named] += 1
    if collection.deleted is not None:
        extra[collection.deleted] = 0.0
    return extra, present


def _feedback(
    collection: Collection, words: Mapping[str, float], scores: np.ndarray
) -> dict[str, float] | None:
    """RM3: the query re-weighted with the words of its best matches, or None."""
    if bm25.FEEDBACK_DOCS <= 0 or bm25.FEEDBACK_TERMS <= 0:
        return None
    matches = np.flatnonzero(scores > 0)
    if len(matches) < max(1, bm25.FEEDBACK_MIN_MATCHES):
        return None
    best = matches[np.argsort(-scores[matches], kind="stable")[: bm25.FEEDBACK_DOCS]]
    terms, votes, frequencies = _votes(collection, best, scores)
    chosen = _best_terms(collection, terms, votes, bm25.FEEDBACK_TERMS, frequencies)
    if not chosen:
        return None
    # The expanded query keeps the original's total weight, so that its scores
    # stay comparable with the phrases and field terms it is OR-ed with.
    keep = bm25.FEEDBACK_ORIGINAL_WEIGHT
    query_total = sum(words.values())
    vote_total = sum(v for _, v in chosen)
    expanded: Counter[str] = Counter()
    for word, weight in words.items():
        expanded[word] += keep * weight
    for term, vote in chosen:
        expanded[term] += (1 - keep) * query_total * vote / vote_total
    return dict(expanded)


def _votes(
    collection: Collection, best: np.ndarray, scores: np.ndarray
) -> tuple[Callable[[int], str], np.ndarray, np.ndarray | None]:
    """The terms of the ``best`` documents, numbered in the order they first
    vote (best document first, a document's terms alphabetically), and each
    one's vote: the sum over documents of its share of the document's terms
    times the document's share of the scores. Summed with numpy in the same
    order as a dictionary of votes would (the same floats), from the forward
    index's term numbers: only the terms ``_best_terms`` looks at become text
    (a dictionary of every term was a third of feedback's time). Third: each
    term's document frequency when the index is one segment (else None)."""
    total = float(scores[best].sum())
    rows = []
    for docnum in best.tolist():
        segment, ids, counts = collection.forward_row(docnum)
        length = float(counts.sum())
        if not length:
            continue
        share = float(scores[docnum]) / total / length
        rows.append((segment, ids, share * counts.astype(np.float64)))
    if not rows:
        return lambda i: "", np.zeros(0), None
    segments = {id(segment) for segment, _, _ in rows}
    frequencies = None
    if len(segments) == 1:  # one segment's term numbers: compare as they are
        keys = np.concatenate([ids for _, ids, _ in rows])
        lexicon = rows[0][0].terms
    else:  # term numbers differ between segments: number the texts
        numbered: dict[str, int] = {}
        keys = np.array(
            [
                numbered.setdefault(segment.terms[i], len(numbered))
                for segment, ids, _ in rows
                for i in ids.tolist()
            ],
            dtype=np.int64,
        )
        lexicon = list(numbered)
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    summed = np.bincount(inverse.ravel(), weights=np.concatenate([c for _, _, c in rows]))
    voted = np.argsort(first, kind="stable")
    in_order = unique[voted]
    if len(segments) == 1 and len(collection.segments) == 1:
        # The index is that one segment: document frequencies are its arrays'
        # (what ``doc_frequency`` would look up term by term).
        segment = rows[0][0]
        frequencies = np.max([segment.field_df[f][in_order] for f in collection.fields], axis=0)
    return (lambda i: lexicon[in_order[i]]), summed[voted], frequencies


def _best_terms(
    collection: Collection,
    terms: Callable[[int], str],
    votes: np.ndarray,
    k: int,
    frequencies: np.ndarray | None = None,
) -> list[tuple[str, float]]:
    """The ``k`` terms with the largest vote x idf (ties: first voted first), not
    question words; ``terms(i)``: the i-th term to vote, ``votes[i]`` its vote,
    ``frequencies[i]`` its document frequency (None: looked up).
    Votes are visited largest first and the visit stops once no term left
    could enter even at the highest possible idf, which saves most
    document-frequency lookups (feedback documents have hundreds of words)."""
    n = collection.doc_count
    ceiling = bm25.idf(n, 1)
    order = np.lexsort((np.arange(len(votes)), -votes)).tolist()
    values = votes.tolist()
    top: list[tuple[float, int, str]] = []  # min-heap of (value, -first voted, term)
    for i in order:
        vote = values[i]
        if len(top) >= k and vote * ceiling < top[0][0]:
            break
        term = terms(i)
        if term in QUERY_STOP_TERMS:
            continue
        df = collection.doc_frequency(term) if frequencies is None else int(frequencies[i])
        value = vote * bm25.idf(n, df)
        if value <= 0:
            continue
        entry = (value, -i, term)
        if len(top) < k:
            heapq.heappush(top, entry)
        elif entry > top[0]:
            heapq.heapreplace(top, entry)
    return [(term, value) for value, _, term in sorted(top, reverse=True)]


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


def leaf_scores(searcher, scores: np.ndarray) -> np.ndarray:
    """The part of a top-level searcher's per-document ``scores`` that belongs to
    ``searcher``: Whoosh asks for a matcher per segment, while the array queries
    score the whole index at once."""
    parent = searcher.get_parent()
    offset = 0
    if parent is not searcher:
        offset = next(o for s, o in parent.leaf_searchers() if s is searcher)
    return scores[offset : offset + searcher.doc_count_all()]
