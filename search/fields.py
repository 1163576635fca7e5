"""The article-field table: every field an article may carry beyond its title,
body and path, written once.

The model's values (Article, Hit, StoredArticle), the index document and its
schema, the JSON shapes, the CLI's output and the page's byline are all
derived from ``FIELDS``: a new field is one row here, plus the extractor that
finds it. Each field is optional (None when a document does not say).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

# How a field is indexed and shown (the schema and the views read these).
NAME = "name"  # a whole name (a person, an outlet): its words searchable, matched exactly
TEXT = "text"  # prose, analysed like the body
DATE = "date"  # a datetime: sortable, shown as a day
LINK = "link"  # kept for display, never searched


@dataclass(frozen=True)
class ArticleField:
    """``name``: the attribute of Article, Hit and StoredArticle, the key in JSON and
    the index field storing it; ``label``: how the CLI names it; ``byline``:
    shown on a hit's one-line byline (CLI and page), in table order."""

    name: str
    label: str
    kind: str
    byline: bool = False

    @property
    def annotation(self) -> str:
        return "datetime | None" if self.kind == DATE else "str | None"

    @property
    def searchable(self) -> bool:
        """Whether a query may name it (``author:smith``)."""
        return self.kind in (NAME, TEXT)


# In the order the byline, the JSON and the CLI show them.
FIELDS: tuple[ArticleField, ...] = (
    ArticleField("source", "source", NAME, byline=True),
    ArticleField("section", "section", NAME, byline=True),
    ArticleField("published", "published", DATE, byline=True),
    ArticleField("author", "author", NAME, byline=True),
    ArticleField("summary", "summary", TEXT),
    ArticleField("url", "url", LINK),
)

NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)


def with_article_fields(cls: type) -> type:
    """Give a class (before ``@dataclass``) every field of the table, defaulting to None."""
    annotations = dict(inspect.get_annotations(cls))
    for f in FIELDS:
        annotations[f.name] = f.annotation
        setattr(cls, f.name, None)
    cls.__annotations__ = annotations
    return cls


def values(item: object) -> dict[str, object]:
    """The table's fields of an Article, Hit or StoredArticle, by name, in table order."""
    return {f.name: getattr(item, f.name) for f in FIELDS}
