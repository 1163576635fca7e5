"""Search state ↔ URL: every link on a results page is the current search with one change.

The state lives only in the URL, so a results page can be bookmarked and the
back button undoes a click on a filter. Defaults are left out of the URL
(page 1, relevance, the default page size), so equal searches get equal URLs.
"""

from __future__ import annotations

import calendar
import dataclasses
from datetime import date
from typing import Any

from flask import url_for

from search import facets
from search.analysis import fold
from search.model import SearchRequest
from search.serve.engine import DEFAULT_PER_PAGE

# Punctuation around a typed word that does not change it.
_EDGES = "()[]{},.;:!?'\"\u2018\u2019\u201c\u201d"


def search_args(state: SearchRequest) -> dict[str, Any]:
    """The query-string parameters that reproduce ``state`` (lists repeat)."""
    return {
        "q": state.query or None,
        **{f.param: list(values) for f, values in facets.chosen(state).items()},
        "from": state.date_from.isoformat() if state.date_from else None,
        "to": state.date_to.isoformat() if state.date_to else None,
        "sort": None if state.sort == "relevance" else state.sort,
        "all": None if state.collapse else "1",
        "page": state.page if state.page > 1 else None,
        "per_page": None if state.per_page == DEFAULT_PER_PAGE else state.per_page,
        "spell": None if state.correct else "0",
    }


def search_url(state: SearchRequest, **changes: Any) -> str:
    """The results page for ``state`` with ``changes``; any change but a page
    number starts again at page 1 (the old page may not exist any more)."""
    if "page" not in changes:
        changes["page"] = 1
    return url_for("views.search", **search_args(dataclasses.replace(state, **changes)))


def requiring(state: SearchRequest, word: str) -> str:
    """The search with ``word`` made a must ("+mosel"), as typed in the query."""
    words = state.query.split()
    key = fold(word)
    for i, typed in enumerate(words):
        if fold(typed.strip(_EDGES)) == key:
            words[i] = "+" + typed.lstrip("+")
            break
    else:
        words.append("+" + word)
    return search_url(state, query=" ".join(words))


def new_query_fields(state: SearchRequest | None) -> list[tuple[str, str]]:
    """What a new query typed in the header keeps of the current search: its
    filters and sort (not the page, nor the spelling switch)."""
    if state is None:
        return []
    return hidden_fields(state, ("q", "spell"))


def api_url(state: SearchRequest | None = None) -> str:
    """The JSON API for the search on the page (an example search elsewhere)."""
    if state is None:
        return url_for("api.search", q="example")
    return url_for("api.search", **search_args(state))


def article_url(article_id: str, state: SearchRequest | None = None) -> str:
    """An article, carrying the search it was found by so "Back to results" returns there."""
    args = search_args(state) if state is not None else {}
    return url_for("views.article", article_id=article_id, **args)


def toggle_value(state: SearchRequest, facet: str, value: str) -> str:
    """Add ``value`` to the facet's filter, or remove it when already there."""
    field = facets.BY_NAME[facet].request
    chosen: tuple[str, ...] = getattr(state, field)
    values = tuple(v for v in chosen if v != value) if value in chosen else (*chosen, value)
    return search_url(state, **{field: values})


def year_range(year: str) -> tuple[date, date]:
    y = int(year)
    return date(y, 1, 1), date(y, 12, 31)


def month_range(month: str) -> tuple[date, date]:
    """'2025-01' → the first and last day of January 2025."""
    y, m = (int(part) for part in month.split("-"))
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def toggle_range(state: SearchRequest, first: date, last: date) -> str:
    """Filter to the days first..last, or drop the date filter when it is exactly that."""
    if (state.date_from, state.date_to) == (first, last):
        return search_url(state, date_from=None, date_to=None)
    return search_url(state, date_from=first, date_to=last)


def hidden_fields(state: SearchRequest, skip: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, value) pairs that carry ``state`` through a GET form which sets the
    ``skip`` parameters itself; the page number is dropped (a new choice starts at 1)."""
    fields = []
    for name, value in search_args(state).items():
        if name in skip or name == "page" or value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            fields.append((name, str(item)))
    return fields
