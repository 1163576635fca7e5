"""The facet table: every way a reader can narrow results, written once.

Each row names a facet (the key of ``SearchResults.facets`` and of the JSON),
the article field its values come from (``search.fields``), the sortable index
column counted for it, and for a facet chosen by value the SearchRequest
attribute, URL parameter and CLI option that carry the chosen values and the
label a page gives it. The index document, the schema, the filters, both
pagers, the CLI and the web pages read it: a new facet is one row here.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass


@dataclass(frozen=True)
class Facet:
    """``request``/``param``: the SearchRequest attribute (a tuple of values
    OR-ed together) and the URL parameter / CLI option (``--source``) of a
    facet chosen by value; None for a date facet, which the date range sets.
    ``date_format``: a date facet's value, from the published date.
    ``within``: a facet offered only once one value of that facet is chosen."""

    name: str
    label: str
    field: str
    column: str
    request: str | None = None
    param: str | None = None
    noun: str = ""
    date_format: str | None = None
    within: str | None = None

    def value_of(self, value: object) -> str | None:
        """The facet's value for an article's field value (None: not counted)."""
        if value is None:
            return None
        return format(value, self.date_format) if self.date_format else str(value)


FACETS: tuple[Facet, ...] = (
    Facet("source", "Source", "source", "source_facet", "sources", "source", noun="outlet"),
    Facet("section", "Section", "section", "section_facet", "sections", "section", noun="section"),
    Facet("author", "Author", "author", "author_facet", "authors", "author", noun="author"),
    Facet("year", "Year", "published", "year", date_format="%Y"),
    Facet("month", "Month", "published", "month", date_format="%Y-%m", within="year"),
)

BY_NAME: dict[str, Facet] = {f.name: f for f in FACETS}
# Facets chosen by value (the rest are dates, chosen by the date range).
VALUE_FACETS: tuple[Facet, ...] = tuple(f for f in FACETS if f.request)


def with_facet_filters(cls: type) -> type:
    """Give a class (before ``@dataclass``) a tuple of chosen values per value facet."""
    annotations = dict(inspect.get_annotations(cls))
    for f in VALUE_FACETS:
        annotations[f.request] = "tuple[str, ...]"
        setattr(cls, f.request, ())
    cls.__annotations__ = annotations
    return cls


def chosen(request: object) -> dict[Facet, tuple[str, ...]]:
    """Each value facet's chosen values in a SearchRequest (empty: not filtered)."""
    return {f: getattr(request, f.request) for f in VALUE_FACETS}
