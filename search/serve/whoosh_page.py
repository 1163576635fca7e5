"""Collecting a page of results: one copy of each syndicated story, facet counts.

Whoosh's CollapseCollector picks the right document per group, but when a
later, better-scoring copy replaces the one it kept, it forgets to count the
replaced copy as collapsed, so ``total`` and ``collapsed_counts`` come out
wrong (seen once an update put two copies in different segments). And its
facet collector, wrapped inside, only sees the copies that were kept, so an
outlet whose only match is a folded copy would vanish from the facets.

PageCollector does all of it in one pass over every match: it counts facet
values of every matching document, folds copies (counting both cases), and
counts the total itself — the matches it saw less the copies it hid. Facet
and group values come from each segment's columns, read once into lists and
kept while the segment is open: a list lookup per match instead of a column
decode (the facet loop was a third of a query's time at 10k articles).
"""

from __future__ import annotations

import threading
import weakref
from bisect import insort
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import collectors, sorting
from whoosh.query import Query, Require
from whoosh.searching import ResultsPage, Searcher

from .. import facets as facet_table
from .. import schema
from ..model import SearchRequest
from ..store import groups
from . import filters
from .pages import ResultPage

if TYPE_CHECKING:
    from .served import ServedBuild

_COLUMNS: weakref.WeakKeyDictionary[Any, dict[str, list[Any]]] = weakref.WeakKeyDictionary()


class _Values(list):
    """A column's values (a list that can be referenced weakly)."""


# One copy of a segment's column for every thread reading it (and every build
# sharing the segment): each thread has its own reader, and per-reader copies
# held 25 MB a thread at 100k articles. Kept while some reader holds it.
_SHARED: weakref.WeakValueDictionary[tuple[str, str], _Values] = weakref.WeakValueDictionary()
_SHARED_LOCK = threading.Lock()


def column(reader: Any, field: str) -> list[Any]:
    """Every document's value of a sortable field in one segment, cached with it
    (the duplicate groups from the build's group file, ``store.groups``)."""
    per_reader = _COLUMNS.setdefault(reader, {})
    values = per_reader.get(field)
    if values is None:
        segment = reader.segment() if hasattr(reader, "segment") else None
        key = (segment.segment_id(), field) if segment is not None else None
        group_file = None
        if field == schema.DUP_GROUP and segment is not None:
            group_file = groups.segment_file(reader)  # a build's own, not the segment's
            key = (str(group_file), field) if group_file is not None else None
        with _SHARED_LOCK:
            values = _SHARED.get(key) if key is not None else None
            if values is None:
                values = _read_column(reader, field, group_file)
                if key is not None:
                    _SHARED[key] = values
        per_reader[field] = values
    return values


def _read_column(reader: Any, field: str, group_file: Path | None) -> _Values:
    labels = groups.read(group_file) if group_file is not None else None
    if labels is not None:
        return _Values(labels)
    if field not in reader.schema:
        # A build written before this facet existed: no value anywhere.
        return _Values([None] * reader.doc_count_all())
    try:
        return _Values(reader.column_reader(field))
    except NotImplementedError:  # an index with no documents yet
        return _Values()


class PageCollector(collectors.CollapseCollector):
    """``facets`` maps a facet's name to the sortable field it counts."""

    def __init__(self, child: collectors.Collector, facets: dict[str, str], collapse: bool):
        # Groups are read from ``column`` in collect_matches; the facet Whoosh
        # asks for is never consulted (a build's groups are no Whoosh field).
        super().__init__(child, sorting.FunctionFacet(lambda searcher, docnum: None))
        self.facets = facets
        self.collapse = collapse

    def prepare(self, top_searcher, q, context) -> None:
        super().prepare(top_searcher, q, context)
        self.seen = 0
        self.facet_counts: dict[str, Counter[str]] = {n: Counter() for n in self.facets}

    def set_subsearcher(self, subsearcher: Searcher, offset: int) -> None:
        super().set_subsearcher(subsearcher, offset)
        reader = subsearcher.reader()
        self._columns = [
            (self.facet_counts[name], column(reader, field)) for name, field in self.facets.items()
        ]
        self._groups = column(reader, schema.DUP_GROUP)

    def collect_matches(self) -> None:
        child = self.child
        offset = child.offset
        columns = self._columns
        groups = self._groups
        for sub_docnum in child.matches():
            self.seen += 1
            for counts, values in columns:
                counts[values[sub_docnum]] += 1
            ckey = groups[sub_docnum] if self.collapse else None
            if not ckey:
                child.collect(sub_docnum)
                continue
            self._fold(ckey, child.sort_key(sub_docnum), offset + sub_docnum, sub_docnum)

    def _fold(self, ckey: Any, sortkey: Any, global_docnum: int, sub_docnum: int) -> None:
        """Keep the best-ranked copy of a group; count every copy hidden."""
        best = self.lists[ckey]
        if not best:
            best.append((sortkey, global_docnum))
            self.child.collect(sub_docnum)
            return
        if sortkey < best[-1][0]:
            self.child.remove(best.pop()[1])
            insort(best, (sortkey, global_docnum))
            self.child.collect(sub_docnum)
        self.collapsed_counts[ckey] += 1
        self.collapsed_total += 1

    def count(self) -> int:
        return self.seen - self.collapsed_total

    def results(self):
        # Whoosh hands back the inner collector's results, whose count ignores
        # collapsing; ours subtracts what was folded.
        results = super().results()
        results.collector = self
        results._total = None
        return results


@dataclass(frozen=True)
class Page:
    results: ResultsPage
    facets: dict[str, Counter[str]]
    collapsed: int

    @property
    def total(self) -> int:
        return self.results.total


def search_page(
    searcher: Searcher,
    query: Query,
    page: int,
    per_page: int,
    *,
    sortedby: Any = None,
    facets: dict[str, str] | None = None,
    collapse: bool = True,
) -> Page:
    """One page of results, with facet counts over every match."""
    # optimize=False: block-max skipping would hide matches from the counts.
    inner = searcher.collector(limit=page * per_page, sortedby=sortedby, optimize=False)
    collector = PageCollector(inner, facets or {}, collapse)
    searcher.search_with_collector(query, collector)
    return Page(
        ResultsPage(collector.results(), page, per_page),
        collector.facet_counts,
        collector.collapsed_total,
    )


def filtered(query: Query, required: Query | None) -> Query:
    """Restrict ``query`` to documents matching ``required`` without changing scores.

    Whoosh's ``filter=`` argument would do this, but its filter collector skips
    the collapse step, so syndicated copies would no longer be folded.
    """
    return query if required is None else Require(query, required)


class WhooshPager:
    """The ``pages.Pager`` of every query: phrases, fields, operators, date sorts."""

    def accepts(self, query: Query, request: SearchRequest) -> bool:
        return True

    def page(
        self,
        served: ServedBuild,
        searcher: Searcher,
        query: Query,
        request: SearchRequest,
        page: int,
        per_page: int,
    ) -> ResultPage:
        found = search_page(
            searcher,
            filtered(query, filters.filter_query(request)),
            page,
            per_page,
            sortedby=filters.sort_facet(request),
            facets=filters.facet_groups(),
            collapse=request.collapse,
        )
        # Whoosh clamps a page past the end to the last page; past the end is empty.
        past_end = (page - 1) * per_page >= found.total
        return ResultPage(
            hits=[] if past_end else [(h.docnum, h.fields(), h.score) for h in found.results],
            total=found.total,
            collapsed=found.collapsed,
            facets=_facets(searcher, query, request, found.facets),
        )


def _facets(
    searcher: Searcher, query: Query, request: SearchRequest, counted: dict[str, Any]
) -> dict[str, dict[str, int]]:
    """Articles per facet value under the current query and filters (copies
    included: an outlet whose copy was folded is still offered); a facet
    with its own filter set is counted without that filter, so that its
    other values stay offered (several values of one facet OR together)."""
    facets = {}
    chosen = {f.name: values for f, values in facet_table.chosen(request).items()}
    for name in schema.FACETS:
        counts = counted[name]
        if chosen.get(name):
            again = search_page(
                searcher,
                filtered(query, filters.filter_query(request, without=name)),
                1,
                1,
                facets={name: filters.facet_groups()[name]},
            )
            counts = again.facets[name]
        facets[name] = filters.top_values(counts, name)
    return facets
