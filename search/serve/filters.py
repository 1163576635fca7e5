"""Facet filters, date ranges and sort orders, built as query objects.

Filter values never pass through the query parser: a source called
'x" OR "y' is one exact value, not syntax.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time

from whoosh import sorting
from whoosh.query import And, DateRange, Or, Query, Term

from .. import facets, schema
from ..errors import BadQuery
from ..model import SORTS, SearchRequest
from .snippets import MAX_SNIPPET_CHARS, MIN_SNIPPET_CHARS

# Most values one facet filter may OR together; a page offers a handful.
MAX_FILTER_VALUES = 20
# Longest facet value accepted (source and author names are far shorter).
MAX_FILTER_CHARS = 200
# Facet values counted and returned per facet, most frequent first; a page
# shows the first few and the rest behind "more" (web/facets.py).
FACET_LIMIT = 30


def parse_date(text: str, name: str = "date") -> date:
    """An ISO day (2025-03-01), or BadQuery saying what was expected."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadQuery(f"{name} must be an ISO date like 2025-03-01, not {text!r}") from None


def _values(value: object, name: str) -> tuple[str, ...]:
    """A facet filter as a tuple: one value (a string) or several (a list,
    tuple or set of strings)."""
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(v, str) for v in value):
        return tuple(v for v in value if v.strip())
    raise BadQuery(f"{name} must be a name or a list of names, not {type(value).__name__}")


def _day(value: object, name: str) -> date | None:
    """A date bound: a date, a datetime (its day) or an ISO string."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return parse_date(value, name) if value.strip() else None
    raise BadQuery(f"{name} must be a date or an ISO date string, not {type(value).__name__}")


def normalise(request: SearchRequest) -> SearchRequest:
    """The request with its filters in their one shape: a host program may
    pass a single source as a string, or dates as ISO strings."""
    if not isinstance(request.query, str):
        raise BadQuery(f"the query must be text, not {type(request.query).__name__}")
    return dataclasses.replace(
        request,
        **{f.request: _values(getattr(request, f.request), f.request) for f in facets.VALUE_FACETS},
        date_from=_day(request.date_from, "date_from"),
        date_to=_day(request.date_to, "date_to"),
    )


def check(request: SearchRequest) -> SearchRequest:
    """Refuse what cannot be answered, with a message saying what to change."""
    request = normalise(request)
    if not isinstance(request.collapse, bool):
        raise BadQuery(f"collapse must be True or False, not {request.collapse!r:.80}")
    if not isinstance(request.sort, str) or request.sort not in SORTS:
        raise BadQuery(f"sort must be one of {', '.join(SORTS)}, not {request.sort!r}")
    if not request.query.strip() and request.has_filters and request.sort == "relevance":
        # No words, nothing to rank by: a filtered listing is newest first.
        request = dataclasses.replace(request, sort="date")
    chars = request.snippet_chars
    if (
        not isinstance(chars, int)
        or isinstance(chars, bool)
        or not MIN_SNIPPET_CHARS <= chars <= MAX_SNIPPET_CHARS
    ):
        raise BadQuery(
            f"snippet_chars must be a whole number from {MIN_SNIPPET_CHARS} to {MAX_SNIPPET_CHARS}"
        )
    if request.date_from and request.date_to and request.date_from > request.date_to:
        raise BadQuery("the 'from' date is after the 'to' date; swap them")
    for facet, values in facets.chosen(request).items():
        if not isinstance(values, (tuple, list, frozenset, set)):
            raise BadQuery(f"{facet.name} filters must be a tuple of names, not {values!r:.80}")
        if len(values) > MAX_FILTER_VALUES:
            raise BadQuery(f"at most {MAX_FILTER_VALUES} {facet.name} filters at once")
        if any(not isinstance(v, str) or len(v) > MAX_FILTER_CHARS for v in values):
            raise BadQuery(
                f"a {facet.name} filter must be text of at most {MAX_FILTER_CHARS} characters"
            )
    return request


def filter_query(request: SearchRequest, without: str | None = None) -> Query | None:
    """The filters of ``request`` as one query; ``without`` leaves one facet out
    (to count that facet's other values for a multi-select list)."""
    parts: list[Query] = []
    for facet, values in facets.chosen(request).items():
        if values and facet.name != without:
            parts.append(Or([Term(facet.column, v) for v in dict.fromkeys(values)]))
    if request.date_from or request.date_to:
        start = datetime.combine(request.date_from, time.min) if request.date_from else None
        end = datetime.combine(request.date_to, time.max) if request.date_to else None
        parts.append(DateRange(schema.PUBLISHED, start, end))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def sort_facet(request: SearchRequest) -> sorting.FacetType | None:
    """Date orders put undated articles last either way; relevance needs no facet."""
    if request.sort == "relevance":
        return None
    newest_first = request.sort == "date"
    return sorting.MultiFacet(
        [
            sorting.FieldFacet(schema.UNDATED),
            sorting.FieldFacet(schema.PUBLISHED, reverse=newest_first),
        ]
    )


def facet_groups() -> dict[str, str]:
    """Facet name -> the sortable field counted for it."""
    return dict(schema.FACETS)


def top_values(counts: dict[str, int], facet: str) -> dict[str, int]:
    """Non-empty values, most frequent first (newest first for dates)."""
    items = [(k, n) for k, n in counts.items() if k]
    if facets.BY_NAME[facet].date_format:
        items.sort(key=lambda kv: kv[0], reverse=True)
    else:
        items.sort(key=lambda kv: (-kv[1], kv[0].casefold()))
    return dict(items[:FACET_LIMIT])
