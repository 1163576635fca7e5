"""A trailing wildcard (``harb*``): a bounded expansion matched as one clause.

Whoosh's Prefix ORs every indexed word that starts with the prefix and scores
each one: ``co*`` is thousands of words at 15k articles, 29 s. As Lucene's
``max_expansions`` and constant-score rewrite do, a prefix here stands for
at most MAX_EXPANSIONS words of its field - the ones in most articles - and
every article holding any of them matches with one constant score (the
clause's boost): a wildcard says "some word like this", not which word
matters more. The work is then bounded by the expansion cap, whatever the
prefix, and a wildcard ranks beside plain words instead of swamping them.
"""

from __future__ import annotations

import bisect
import heapq
import weakref
from collections.abc import Iterable

import numpy as np
from whoosh.matching import Matcher, NullMatcher
from whoosh.query import Or, Prefix, Query

from .. import schema
from .phrases import PositionalPhrase
from .ranking import BagOfWords, ScoreArrayMatcher, leaf_scores
from .statistics import get as get_collection

# Words one wildcard stands for at most: Lucene's fuzzy/prefix default
# (max_expansions) is 50; 64 covers every form of a stem in the judged
# collections ("harb*", "elect*"'s most common forms) and bounds the work
# at 64 postings lists.
MAX_EXPANSIONS = 64
# Index words looked at for one prefix at most (before picking the most
# frequent): bounds the scan of a huge vocabulary ("co" in a field with no
# term index arrays). A 100k-article index has ~200k body words in all.
MAX_SCANNED = 100_000


class CappedPrefix(Prefix):
    """Prefix matching the MAX_EXPANSIONS most frequent words of its field that
    start with ``text``, every match scored ``boost``."""

    def __init__(self, fieldname: str, text: str, boost: float = 1.0) -> None:
        super().__init__(fieldname, text, boost=boost, constantscore=True)
        self._cached: tuple[weakref.ref, np.ndarray] | None = None
        self._words: list[bytes] | None = None  # the expansion, once computed

    def __deepcopy__(self, memo: dict) -> CappedPrefix:
        return CappedPrefix(self.fieldname, self.text, self.boost)

    def _btexts(self, ixreader) -> Iterable[bytes]:
        if self._words is not None:  # the words this query matched (highlighting)
            return self._words
        return expansions(ixreader, self.fieldname, self.text)

    def matcher(self, searcher, context=None) -> Matcher:
        local = leaf_scores(searcher, self.scores(searcher))
        ids = np.flatnonzero(local)
        if not len(ids):
            return NullMatcher()
        return ScoreArrayMatcher(ids.tolist(), [float(self.boost)] * len(ids))

    def scores(self, searcher) -> np.ndarray:
        """``boost`` for every document of the top-level searcher that matches, else 0."""
        searcher = searcher.get_parent()
        if self._cached is not None and self._cached[0]() is searcher:
            return self._cached[1]
        if self.fieldname in schema.DEFAULT_FIELDS:
            words = array_expansions(searcher, self.fieldname, self.text)
        else:
            words = expansions(searcher.reader(), self.fieldname, self.text)
        self._words = words
        scores = matching_documents(searcher, self.fieldname, words) * float(self.boost)
        self._cached = (weakref.ref(searcher), scores)
        return scores


def expansions(reader, field: str, prefix: str) -> list[bytes]:
    """The MAX_EXPANSIONS words of ``field`` starting with ``prefix`` held by the
    most articles (ties: alphabetical), among the first MAX_SCANNED."""
    if field not in reader.schema or not prefix:
        return []
    found: list[tuple[int, bytes]] = []
    for i, (text, info) in enumerate(reader.iter_prefix(field, prefix)):
        if i >= MAX_SCANNED:
            break
        found.append((info.doc_frequency(), text))
    # nlargest is stable: among equally frequent words the first (alphabetical) win.
    best = heapq.nlargest(MAX_EXPANSIONS, found, key=lambda e: e[0])
    return sorted(text for _, text in best)


def array_expansions(searcher, field: str, prefix: str) -> list[bytes]:
    """``expansions`` from the segments' term index arrays (a ranked field):
    a bisection and an array slice per segment instead of a walk of Whoosh's
    term table (a seek and a read per word: 0.2 s for "co" at 20k articles)."""
    if not prefix:
        return []
    collection = get_collection(searcher, schema.DEFAULT_FIELDS)
    counts: dict[str, int] = {}
    scanned = 0
    for segment, _offset in collection.segments:
        lo = bisect.bisect_left(segment.terms, prefix)
        hi = bisect.bisect_left(segment.terms, prefix + "\U0010ffff", lo)
        hi = min(hi, lo + MAX_SCANNED - scanned)
        scanned += hi - lo
        frequencies = segment.field_df[field][lo:hi]
        for i in np.flatnonzero(frequencies):
            term = segment.terms[lo + i]
            counts[term] = counts.get(term, 0) + int(frequencies[i])
    best = heapq.nlargest(MAX_EXPANSIONS, sorted(counts.items()), key=lambda e: e[1])
    return sorted(term.encode("utf-8") for term, _ in best)


def matching_documents(searcher, field: str, words: list[bytes]) -> np.ndarray:
    """1.0 for every document of ``searcher`` holding one of ``words`` in ``field``."""
    found = np.zeros(searcher.doc_count_all(), dtype=np.float64)
    if not words:
        return found
    if field in schema.DEFAULT_FIELDS:
        collection = get_collection(searcher, schema.DEFAULT_FIELDS)
        for segment, offset in collection.segments:
            weights = segment.weights[field]
            for word in words:
                i = segment.term_id(word.decode("utf-8"))
                if i >= 0:
                    span = segment.span(i)
                    docs = np.asarray(segment.docs[span], dtype=np.int64)
                    found[docs[np.asarray(weights[span]) > 0] + offset] = 1.0
        if collection.deleted is not None:
            found[collection.deleted] = 0.0
        return found
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        for word in words:
            if (field, word) in reader:
                ids = np.fromiter(sub.postings(field, word).all_ids(), dtype=np.int64)
                found[ids + offset] = 1.0
    return found


def cap_prefixes(query: Query) -> Query:
    """``query`` with each of Whoosh's Prefix queries replaced by a CappedPrefix."""
    if type(query) is Prefix:
        return CappedPrefix(query.fieldname, query.text, query.boost)
    if query.is_leaf():
        return query
    return query.apply(cap_prefixes)


def array_scored(query: Query) -> bool:
    """Whether ``query`` is made only of parts scored as arrays (plain words,
    wildcards, phrases with positions, an OR of them): such a query is paged from an array
    (``array_page``) instead of through Whoosh's matchers."""
    if isinstance(query, Or):
        return (
            not query.scale
            and bool(query.subqueries)
            and all(array_scored(q) for q in query.subqueries)
        )
    return isinstance(query, (BagOfWords, CappedPrefix, PositionalPhrase))


def array_scores(query: Query, searcher) -> np.ndarray:
    """Every document's score for an ``array_scored`` query (0: no match); an
    OR adds its parts' scores, as Whoosh's OR does."""
    if isinstance(query, Or):
        parts = [array_scores(q, searcher) for q in query.subqueries]
        return sum(parts[1:], parts[0]) * query.boost
    return query.scores(searcher)
