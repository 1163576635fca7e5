"""One page of results, whichever way it is computed.

Two pagers implement ``Pager``: ``array_page.ArrayPager`` pages plain word
queries in relevance order with numpy over whole-index arrays, and
``whoosh_page.WhooshPager`` pages everything else through Whoosh's collector.
Both give the same page for the same request (tests/test_array_page.py); the
engine asks the first that accepts the query (``PAGERS`` in ``engine``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from whoosh.query import Query
from whoosh.searching import Searcher

from ..model import SearchRequest

if TYPE_CHECKING:
    from .served import ServedBuild


@dataclass(frozen=True)
class ResultPage:
    """``hits``: (document number, stored fields, score), best first; ``facets``:
    the values shown per facet (``filters.top_values``)."""

    hits: list[tuple[int, dict[str, Any], float]]
    total: int
    collapsed: int
    facets: dict[str, dict[str, int]]


class Pager(Protocol):
    def accepts(self, query: Query, request: SearchRequest) -> bool:
        """Whether this pager can page ``query`` under ``request``."""

    def page(
        self,
        served: ServedBuild,
        searcher: Searcher,
        query: Query,
        request: SearchRequest,
        page: int,
        per_page: int,
    ) -> ResultPage:
        """The page asked for, with facet counts over every match (copies
        included) and syndicated copies folded unless ``request.collapse`` is off."""
