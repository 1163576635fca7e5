"""Collecting a page of results: one copy of each syndicated story, facet counts.

Whoosh's CollapseCollector picks the right document per group, but when a
later, better-scoring copy replaces the one it kept, it forgets to count the
replaced copy as collapsed, so ``total`` and ``collapsed_counts`` come out
wrong (seen once an update put two copies in different segments). And its
facet collector, wrapped inside, only sees the copies that were kept, so an
outlet whose only match is a folded copy would vanish from the facets.

PageCollector does all of it in one pass over every match: it counts facet
values of every matching document, folds copies (counting both cases), and
counts the total itself — the matches it saw less the copies it hid.
"""

from __future__ import annotations

from bisect import insort
from collections import Counter
from dataclasses import dataclass
from typing import Any

from whoosh import collectors, sorting
from whoosh.query import Query, Require
from whoosh.searching import ResultsPage, Searcher

from . import schema


class PageCollector(collectors.CollapseCollector):
    def __init__(self, child: collectors.Collector, facets: dict[str, Any], collapse: bool):
        super().__init__(child, sorting.FieldFacet(schema.DUP_GROUP))
        self.facets = facets
        self.collapse = collapse

    def prepare(self, top_searcher, q, context) -> None:
        super().prepare(top_searcher, q, context)
        self.seen = 0
        self.facet_keyers = {n: f.categorizer(top_searcher) for n, f in self.facets.items()}
        self.facet_counts: dict[str, Counter[str]] = {n: Counter() for n in self.facets}

    def set_subsearcher(self, subsearcher: Searcher, offset: int) -> None:
        super().set_subsearcher(subsearcher, offset)
        for keyer in self.facet_keyers.values():
            keyer.set_searcher(subsearcher, offset)

    def collect_matches(self) -> None:
        child = self.child
        matcher = child.matcher
        offset = child.offset
        keyers = list(self.facet_keyers.items())
        counts = self.facet_counts
        for sub_docnum in child.matches():
            self.seen += 1
            for name, keyer in keyers:
                counts[name][keyer.key_to_name(keyer.key_for(matcher, sub_docnum))] += 1
            if not self.collapse:
                child.collect(sub_docnum)
                continue
            ckey = self.keyer.key_to_name(self.keyer.key_for(matcher, sub_docnum))
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
    facets: dict[str, Any] | None = None,
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
