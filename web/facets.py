"""The filter column: facet counts as toggle links, and the active filters with remove links.

Every value is a plain link to the same search with that value added or
removed, so filtering works without JavaScript and the back button undoes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from search import SearchResults
from search.model import SearchRequest

from . import urls
from .present import display_date


@dataclass(frozen=True)
class FacetValue:
    label: str
    count: int
    active: bool
    url: str


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    remove_url: str


def groups(results: SearchResults, state: SearchRequest) -> list[FacetGroup]:
    """Source, author and year lists (months too once one year is chosen); empty lists left out."""
    facets = results.facets
    out = [
        _value_group("source", "Source", facets.get("source", {}), state.sources, state),
        _value_group("author", "Author", facets.get("author", {}), state.authors, state),
        _range_group("year", "Year", facets.get("year", {}), urls.year_range, "%Y", state),
    ]
    if _one_year(state):
        out.append(
            _range_group("month", "Month", facets.get("month", {}), urls.month_range, "%B", state)
        )
    return [g for g in out if g.values]


def active(state: SearchRequest) -> list[ActiveFilter]:
    """What narrows the results now, each with a link that takes it away."""
    out = [
        ActiveFilter(f"{title}: {value}", urls.toggle_value(state, facet, value))
        for facet, title, values in (
            ("source", "Source", state.sources),
            ("author", "Author", state.authors),
        )
        for value in values
    ]
    if state.date_from or state.date_to:
        out.append(
            ActiveFilter(date_label(state), urls.search_url(state, date_from=None, date_to=None))
        )
    return out


def clear_url(state: SearchRequest) -> str:
    return urls.search_url(state, sources=(), authors=(), date_from=None, date_to=None)


def date_label(state: SearchRequest) -> str:
    """'Published in 2025', 'in January 2025', 'from 3 March 2024', '… to …'."""
    first, last = state.date_from, state.date_to
    if first and last:
        if (first, last) == urls.year_range(str(first.year)):
            return f"Published in {first.year}"
        if first.day == 1 and (first, last) == urls.month_range(f"{first:%Y-%m}"):
            return f"Published in {first:%B %Y}"
        return f"Published {display_date(first)} to {display_date(last)}"
    if first:
        return f"Published from {display_date(first)}"
    return f"Published until {display_date(last)}"


def _value_group(
    name: str,
    title: str,
    counts: dict[str, int],
    chosen: tuple[str, ...],
    state: SearchRequest,
) -> FacetGroup:
    # A chosen value the results no longer count (say, from an old bookmark)
    # is still listed, so it can be removed where it was added.
    items = {**counts, **{v: 0 for v in chosen if v not in counts}}
    return FacetGroup(
        name,
        title,
        tuple(
            FacetValue(value, count, value in chosen, urls.toggle_value(state, name, value))
            for value, count in items.items()
        ),
    )


def _range_group(
    name: str,
    title: str,
    counts: dict[str, int],
    to_range: Callable[[str], tuple[date, date]],
    label: str,
    state: SearchRequest,
) -> FacetGroup:
    """Years or months: choosing one sets the date range to it; ``label`` formats its first day."""
    values = []
    for key, count in counts.items():
        try:
            first, last = to_range(key)
        except ValueError:  # not a year or month this index could have written
            continue
        values.append(
            FacetValue(
                format(first, label),
                count,
                (state.date_from, state.date_to) == (first, last),
                urls.toggle_range(state, first, last),
            )
        )
    return FacetGroup(name, title, tuple(values))


def _one_year(state: SearchRequest) -> bool:
    first, last = state.date_from, state.date_to
    return bool(first and last and first.year == last.year)
