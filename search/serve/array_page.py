"""A page of results computed with whole-index arrays, for plain word queries.

A plain word query (a ``ranking.BagOfWords``) already scores every document
at once into an array. Handing those scores to Whoosh's collector costs a
Python call per match (three quarters of a request at 17k articles, most of
it for common words); this module filters, counts facets, folds syndicated
copies and picks the page with numpy instead, from per-build arrays of each
document's facet values, duplicate group and date. Date orders of such
queries, and listings without words (filters alone, the newest articles),
are paged the same way from the date column: the matches are found without
ranking them, and only the newest (or oldest) few hundred are sorted (a
date-sorted query through Whoosh's sorting collector took 94 ms at p50 and
658 ms at p95 at newsmix 10k). Queries with phrases, fields or operators go
through Whoosh (whoosh_page.py) as before; both give the same results
(tests/test_array_page.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

import numpy as np
from whoosh.query import Every, Or, Query
from whoosh.util.times import datetime_to_long

from .. import facets, schema
from ..model import SearchRequest
from . import filters
from .pages import ResultPage
from .ranking import BagOfWords
from .statistics import get as get_collection
from .whoosh_page import column
from .wildcard import array_scored, array_scores

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from .served import ServedBuild

# A page is ranked from the best max(SORT_HEAD_FACTOR x its last position,
# SORT_HEAD_MIN) matches, not all of them: enough for copies of a story to
# fold and still fill the page (a group rarely has ten copies). Chosen by
# reasoning, not tuning; a short head only costs a second, full sort.
SORT_HEAD_FACTOR = 10
SORT_HEAD_MIN = 200
# Whoosh's column value for a document without a date.
_NO_DATE = 2**64 - 1


@dataclass
class Columns:
    """Every document's facet codes, group code and date, for one opened build."""

    codes: dict[str, np.ndarray] = field(default_factory=dict)
    labels: dict[str, list[str]] = field(default_factory=dict)
    # Per facet and code: whether the value is shown (not empty: "no author").
    shown: dict[str, np.ndarray] = field(default_factory=dict)
    groups: np.ndarray | None = None
    # Documents sorted by group code, and where each code's run starts in it.
    group_order: np.ndarray | None = None
    group_starts: np.ndarray | None = None
    ungrouped: int = -1  # the code of "no group"
    dated: np.ndarray | None = None
    published: np.ndarray | None = None


def _all(searcher: Any, fieldname: str, **kwargs: Any) -> list[Any]:
    values: list[Any] = []
    for sub, _offset in searcher.leaf_searchers():
        reader = sub.reader()
        if not reader.doc_count_all():
            continue  # an index with no documents yet has no columns
        if kwargs:
            values.extend(reader.column_reader(fieldname, **kwargs))
        else:
            values.extend(column(reader, fieldname))
    return values


def _encode(values: list[Any]) -> tuple[np.ndarray, list[str]]:
    index: dict[Any, int] = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64)
    labels = [""] * len(index)
    for value, code in index.items():
        labels[code] = value.decode("utf-8") if isinstance(value, bytes) else str(value or "")
    return codes, labels


def build_columns(searcher: Any) -> Columns:
    """The arrays of the build ``searcher`` reads (kept by ``served.ServedBuild``)."""
    built = Columns()
    for name, fieldname in schema.FACETS.items():
        built.codes[name], built.labels[name] = _encode(_all(searcher, fieldname))
        built.shown[name] = np.array([bool(label) for label in built.labels[name]], dtype=bool)
    built.groups, group_labels = _encode(_all(searcher, schema.DUP_GROUP))
    built.group_order = np.argsort(built.groups, kind="stable")
    built.group_starts = np.searchsorted(
        built.groups[built.group_order], np.arange(len(group_labels) + 1)
    )
    built.ungrouped = group_labels.index("") if "" in group_labels else -1
    raw = np.array(_all(searcher, schema.PUBLISHED, translate=False), dtype=np.uint64)
    built.dated = raw != np.uint64(_NO_DATE)
    built.published = raw
    return built


def group_members(cols: Columns, docnum: int) -> list[int]:
    """The documents in ``docnum``'s duplicate group (itself included), in
    document order; empty when it has no group."""
    code = int(cols.groups[docnum])
    if code == cols.ungrouped:
        return []
    return cols.group_order[cols.group_starts[code] : cols.group_starts[code + 1]].tolist()


def allowed(cols: Columns, request: SearchRequest, without: str | None = None) -> np.ndarray | None:
    """The documents the request's filters let through (None: no filter)."""
    mask = None
    for facet, values in facets.chosen(request).items():
        if not values or facet.name == without:
            continue
        labels = cols.labels[facet.name]
        wanted = [code for code, label in enumerate(labels) if label in set(values)]
        hit = np.isin(cols.codes[facet.name], wanted)
        mask = hit if mask is None else mask & hit
    if request.date_from or request.date_to:
        dated = cols.dated
        hit = dated.copy()
        if request.date_from:
            start = datetime_to_long(datetime.combine(request.date_from, time.min))
            hit &= cols.published >= np.uint64(start)
        if request.date_to:
            end = datetime_to_long(datetime.combine(request.date_to, time.max))
            hit &= cols.published <= np.uint64(end)
        mask = hit if mask is None else mask & hit
    return mask


@dataclass(frozen=True)
class FastPage:
    hits: list[tuple[int, float]]  # (global docnum, score), best first
    total: int
    collapsed: int
    facets: dict[str, Counter[str]]


def page(
    scores: np.ndarray,
    cols: Columns,
    request: SearchRequest,
    page_number: int,
    per_page: int,
) -> FastPage:
    """The page of ``scores`` (0 = no match) under the request's filters, folding
    copies to their best-ranked member (the first in the request's order), with
    facet counts over every match. Under a date sort ``scores`` only say which
    documents match, and each hit's score is 0.0, as Whoosh's sorted collector
    shows (its "score" is the sort key)."""
    mask = allowed(cols, request)
    matched = np.flatnonzero(scores > 0 if mask is None else (scores > 0) & mask)
    counted = {name: _count(cols, name, matched) for name in schema.FACETS}
    for facet, values in facets.chosen(request).items():
        if values:  # multi-select: the facet's own filter does not narrow its counts
            other = allowed(cols, request, without=facet.name)
            wider = np.flatnonzero(scores > 0 if other is None else (scores > 0) & other)
            counted[facet.name] = _count(cols, facet.name, wider)
    start = (page_number - 1) * per_page
    groups = cols.groups if request.collapse else None
    if request.sort == "relevance":
        order = _ranked(scores, matched, start + per_page, groups)
    else:
        newest = request.sort == "date"
        order = _by_date(cols, matched, start + per_page, groups, newest_first=newest)
    if request.collapse:
        total = int(np.count_nonzero(np.bincount(cols.groups[matched]))) if len(matched) else 0
    else:
        total = len(matched)
    chosen = order[start : start + per_page]
    relevance = request.sort == "relevance"
    return FastPage(
        hits=[(int(d), float(scores[d]) if relevance else 0.0) for d in chosen],
        total=total,
        collapsed=len(matched) - total,
        facets=counted,
    )


def _ranked(
    scores: np.ndarray, matched: np.ndarray, need: int, groups: np.ndarray | None
) -> np.ndarray:
    """The first ``need`` of ``matched`` best first (equal scores in document
    order, as Whoosh's collector gives them), one per group when ``groups`` is
    given. Sorting every match was most of a page for common words; the best
    few hundred are enough unless folding copies leaves fewer than ``need``."""
    candidates = matched
    head = max(need * SORT_HEAD_FACTOR, SORT_HEAD_MIN)
    if len(matched) > head:
        values = scores[matched]
        cut = np.partition(values, len(values) - head)[len(values) - head]
        candidates = matched[values >= cut]  # every tie of the cut score too
    while True:
        order = candidates[np.lexsort((candidates, -scores[candidates]))]
        if groups is not None and len(order):
            _, first = np.unique(groups[order], return_index=True)
            order = order[np.sort(first)]
        if len(order) >= need or len(candidates) == len(matched):
            return order
        candidates = matched  # folding left too few: rank everything


def _by_date(
    cols: Columns, matched: np.ndarray, need: int, groups: np.ndarray | None, newest_first: bool
) -> np.ndarray:
    """The first ``need`` of ``matched`` in date order, undated ones last and
    equal dates in document order (Whoosh's sort by the ``undated`` and
    ``published`` columns), one per group when ``groups`` is given: the
    newest (or oldest) copy of a story stands for it, as in the Whoosh path.
    Only the head of the dated matches is sorted, as in ``_ranked``."""
    dated = matched[cols.dated[matched]]
    undated = matched[~cols.dated[matched]]  # already in document order
    candidates = dated
    head = max(need * SORT_HEAD_FACTOR, SORT_HEAD_MIN)
    if len(dated) > head:
        values = cols.published[dated]
        if newest_first:
            cut = np.partition(values, len(values) - head)[len(values) - head]
            candidates = dated[values >= cut]  # every tie of the cut date too
        else:
            cut = np.partition(values, head - 1)[head - 1]
            candidates = dated[values <= cut]
    while True:
        when = cols.published[candidates]
        if newest_first:
            when = ~when  # uint64: newest first, without a negation's overflow
        order = candidates[np.lexsort((candidates, when))]
        if len(candidates) == len(dated):  # the whole order, not just its head
            order = np.concatenate([order, undated])
        if groups is not None and len(order):
            _, first = np.unique(groups[order], return_index=True)
            order = order[np.sort(first)]
        if len(order) >= need or len(candidates) == len(dated):
            return order
        candidates = dated  # folding left too few: order every dated match


def _count(cols: Columns, name: str, docs: np.ndarray) -> Counter[str]:
    """Articles per value of a facet among ``docs``: for a facet shown most
    frequent first, only the values that can be among the FACET_LIMIT shown
    (every value tied with the last one too), for ``filters.top_values`` to
    order; a page of a common word has thousands of authors, and making and
    sorting all of them was a tenth of its time."""
    labels = cols.labels[name]
    counts = np.bincount(cols.codes[name][docs], minlength=len(labels))
    present = np.flatnonzero(counts * cols.shown[name])
    if not facets.BY_NAME[name].date_format and len(present) > filters.FACET_LIMIT:
        values = counts[present]
        cut = np.partition(values, len(values) - filters.FACET_LIMIT)[
            len(values) - filters.FACET_LIMIT
        ]
        present = present[values >= cut]
    return Counter({labels[c]: int(counts[c]) for c in present.tolist()})


def matching(query: Query, searcher: Searcher) -> np.ndarray:
    """1.0 for every document an ``accepts``-ed query matches, else 0: what a
    date order pages through, without ranking the matches (see
    ``ranking.matching_words``). ``Every`` is a listing of all articles."""
    if isinstance(query, Every):
        found = np.ones(searcher.doc_count_all())
        deleted = get_collection(searcher, schema.DEFAULT_FIELDS).deleted
        if deleted is not None:
            found[deleted] = 0.0
        return found
    if isinstance(query, Or):
        found = matching(query.subqueries[0], searcher)
        for sub in query.subqueries[1:]:
            found = np.maximum(found, matching(sub, searcher))
        return found
    if isinstance(query, BagOfWords):
        return query.matches(searcher).astype(np.float64)
    return (query.scores(searcher) != 0).astype(np.float64)


class ArrayPager:
    """The ``pages.Pager`` of plain word and wildcard queries in any order, and
    of listings (no words: filters or a date order alone)."""

    def accepts(self, query: Query, request: SearchRequest) -> bool:
        if request.sort == "relevance":
            return array_scored(query)
        return isinstance(query, Every) or array_scored(query)

    def page(
        self,
        served: ServedBuild,
        searcher: Searcher,
        query: Query,
        request: SearchRequest,
        page_number: int,
        per_page: int,
    ) -> ResultPage:
        if request.sort == "relevance":
            scores = array_scores(query, searcher)
        else:
            scores = matching(query, searcher)
        found = page(scores, served.columns(searcher), request, page_number, per_page)
        return ResultPage(
            hits=[(d, searcher.stored_fields(d), score) for d, score in found.hits],
            total=found.total,
            collapsed=found.collapsed,
            facets={n: filters.top_values(c, n) for n, c in found.facets.items()},
        )
