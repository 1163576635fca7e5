"""Collecting a page of results, showing one copy of each syndicated story.

Whoosh's CollapseCollector picks the right document per group, but when a
later, better-scoring copy replaces the one it kept, it forgets to count the
replaced copy as collapsed, so ``total`` and ``collapsed_counts`` come out
wrong (seen once an update put two copies in different segments). This
subclass counts both cases, and counts the total itself: every match it saw
less the copies it hid (our searches always visit every match, since they
also count facets).
"""

from __future__ import annotations

from bisect import insort
from typing import Any

from whoosh import collectors, sorting
from whoosh.query import Query, Require
from whoosh.searching import ResultsPage, Searcher

from . import schema


class CollapseCollector(collectors.CollapseCollector):
    def prepare(self, top_searcher, q, context) -> None:
        super().prepare(top_searcher, q, context)
        self.seen = 0

    def collect_matches(self) -> None:
        lists = self.lists
        keyer = self.keyer
        orderer = self.orderer
        child = self.child
        matcher = child.matcher
        offset = child.offset
        for sub_docnum in child.matches():
            self.seen += 1
            ckey = keyer.key_to_name(keyer.key_for(matcher, sub_docnum))
            if not ckey:
                child.collect(sub_docnum)
                continue
            if orderer:
                sortkey = orderer.key_for(child.matcher, sub_docnum)
            else:
                sortkey = child.sort_key(sub_docnum)
            best = lists[ckey]
            if len(best) < self.limit:
                insort(best, (sortkey, offset + sub_docnum))
                child.collect(sub_docnum)
                continue
            if sortkey < best[-1][0]:
                child.remove(best.pop()[1])
                insort(best, (sortkey, offset + sub_docnum))
                child.collect(sub_docnum)
            self.collapsed_counts[ckey] += 1
            self.collapsed_total += 1

    def count(self) -> int:
        return self.seen - self.collapsed_total

    def results(self):
        # Whoosh hands back the inner collector's results, whose count ignores
        # collapsing; ours subtracts what was collapsed.
        results = super().results()
        results.collector = self
        results._total = None
        return results


def search_page(
    searcher: Searcher,
    query: Query,
    page: int,
    per_page: int,
    *,
    sortedby: Any = None,
    groupedby: Any = None,
    collapse: bool = True,
) -> ResultsPage:
    """Searcher.search_page with our collapse collector (see collapsing)."""
    collector = searcher.collector(limit=page * per_page, sortedby=sortedby, groupedby=groupedby)
    if collapse:
        collector = CollapseCollector(collector, sorting.FieldFacet(schema.DUP_GROUP))
    searcher.search_with_collector(query, collector)
    return ResultsPage(collector.results(), page, per_page)


def filtered(query: Query, required: Query | None) -> Query:
    """Restrict ``query`` to documents matching ``required`` without changing scores.

    Whoosh's ``filter=`` argument would do this, but its filter collector skips
    the collapse step, so syndicated copies would no longer be folded.
    """
    return query if required is None else Require(query, required)
