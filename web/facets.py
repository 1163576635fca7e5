"""The filter column: facet counts as toggle links, and the active filters with remove links.

Every value is a plain link to the same search with that value added or
removed, so filtering works without JavaScript and the back button undoes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from search import SearchResults
from search import facets as facet_table
from search.model import SearchRequest

from . import urls
from .present import display_date


@dataclass(frozen=True)
class FacetValue:
    label: str
    count: int
    active: bool
    url: str


# Values a facet list shows before "more": enough for the common outlets and
# reporters of a result list, few enough to keep the column scannable.
FACET_SHOWN = 8


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    values: tuple[FacetValue, ...]

    @property
    def shown(self) -> tuple[FacetValue, ...]:
        return self.values[:FACET_SHOWN]

    @property
    def more(self) -> tuple[FacetValue, ...]:
        """Values behind "more" (a <details> list: works without JavaScript)."""
        return self.values[FACET_SHOWN:]


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    remove_url: str


# A date facet's values as ranges of days, and how a page labels its first day.
_RANGES: dict[str, tuple[Callable[[str], tuple[date, date]], str]] = {
    "%Y": (urls.year_range, "%Y"),
    "%Y-%m": (urls.month_range, "%B"),
}


def groups(results: SearchResults, state: SearchRequest) -> list[FacetGroup]:
    """A list per facet of the facet table (``search.facets``): values to toggle,
    or dates to narrow to (months once one year is chosen); empty lists left out."""
    counted = results.facets
    out = []
    for facet in facet_table.FACETS:
        counts = counted.get(facet.name, {})
        if facet.request:
            chosen = getattr(state, facet.request)
            out.append(_value_group(facet.name, facet.label, counts, chosen, state))
        elif facet.within is None or _one_year(state):
            to_range, label = _RANGES[facet.date_format]
            out.append(_range_group(facet.name, facet.label, counts, to_range, label, state))
    return [g for g in out if g.values]


def active(state: SearchRequest) -> list[ActiveFilter]:
    """What narrows the results now, each with a link that takes it away."""
    out = [
        ActiveFilter(f"{facet.label}: {value}", urls.toggle_value(state, facet.name, value))
        for facet, values in facet_table.chosen(state).items()
        for value in values
    ]
    if state.date_from or state.date_to:
        out.append(
            ActiveFilter(date_label(state), urls.search_url(state, date_from=None, date_to=None))
        )
    return out


def clear_url(state: SearchRequest) -> str:
    cleared = {f.request: () for f in facet_table.VALUE_FACETS}
    return urls.search_url(state, **cleared, date_from=None, date_to=None)


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
    # Chosen values stay at the top in the order they were chosen, so a click
    # does not move the value away from under the pointer; one the results no
    # longer count (say, from an old bookmark) is still listed, to be removed.
    items = {**{v: counts.get(v, 0) for v in chosen}, **counts}
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
