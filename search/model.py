"""Plain frozen values passed between the stages: files → articles → index → results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypedDict

from .facets import chosen, with_facet_filters
from .fields import with_article_fields


@dataclass(frozen=True)
@with_article_fields
class Article:
    """What extraction keeps of one document: exactly what gets indexed.

    ``body`` holds the article's paragraphs separated by one blank line.
    ``path`` is relative to the corpus root with ``/`` separators ("" until the
    caller that knows the path fills it in). Beside these, every field of the
    article-field table (``search.fields``: source, published, author, ...),
    each None when the document did not say. ``published`` is timezone-aware
    when the source said which zone, naive otherwise.
    """

    title: str
    body: str
    path: str = ""
    # True when the document had no headline and the title was made from its lead.
    title_derived: bool = False


@dataclass(frozen=True)
class Skip:
    """Why a document was not indexed. ``reason`` is one of the SKIP_* constants."""

    reason: str
    detail: str = ""
    path: str = ""


# Skip reasons: short, stable words a user can grep for in a rebuild report.
SKIP_EMPTY = "empty"
SKIP_BINARY = "binary"
SKIP_NOT_HTML = "not html"
SKIP_TOO_LARGE = "too large"
SKIP_NO_TEXT = "no article text"
SKIP_UNREADABLE = "unreadable"
SKIP_UNSUPPORTED = "unsupported type"
# Not a property of the file: extraction crashed. A rebuild reports it and exits non-zero.
SKIP_FAILED = "failed"


@dataclass(frozen=True)
class ArticleRef:
    """A pointer to another article: a collapsed copy, or related coverage."""

    id: str
    path: str
    title: str
    source: str | None
    published: datetime | None = None


SORTS = ("relevance", "date", "date_asc")


@dataclass(frozen=True)
@with_facet_filters
class SearchRequest:
    """Everything a search can be asked; the CLI flags and URL parameters mirror it.

    Each value facet of the facet table (``search.facets``) adds a tuple of
    chosen values (``sources``, ``authors``, ...): values OR together within a
    facet and AND across facets. ``date_from``/``date_to`` are inclusive days;
    ``sort`` is one of SORTS (``date`` = newest first). Near-duplicates are
    shown once unless ``collapse`` is off.
    """

    query: str
    page: int = 1
    per_page: int = 10
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    collapse: bool = True
    # Off: search the words exactly as typed, even when a correction would find
    # full matches ("search instead for harbr").
    correct: bool = True
    # About how long each hit's snippet may be, in characters.
    snippet_chars: int = 300

    @property
    def has_filters(self) -> bool:
        return any(chosen(self).values()) or bool(self.date_from or self.date_to)


@dataclass(frozen=True)
class Completion:
    """One suggestion while typing: ``kind`` is "words" (the query completed),
    "name" (a reporter or outlet) or "headline" (``article_id`` is its article,
    which choosing it opens)."""

    text: str
    article_id: str | None = None
    kind: str = "words"


class SearchOptions(TypedDict, total=False):
    """The keyword options of ``Index.search``: SearchRequest's fields, with the
    shapes a host program naturally passes (one source as a string, dates as
    ISO strings); anything else is a BadQuery saying what was expected."""

    page: int
    per_page: int
    sources: str | Sequence[str]
    authors: str | Sequence[str]
    sections: str | Sequence[str]
    date_from: date | str | None
    date_to: date | str | None
    sort: str
    collapse: bool
    correct: bool
    snippet_chars: int


@dataclass(frozen=True)
@with_article_fields
class Hit:
    """One ranked result, as the page and the JSON API show it, with every field
    of the article-field table (``search.fields``)."""

    id: str
    path: str
    title: str
    score: float
    snippet_html: str
    # The title, escaped, with matched words in <mark>.
    title_html: str = ""
    # Other copies of this story (syndicated near-duplicates), best first.
    duplicates: tuple[ArticleRef, ...] = ()
    # Typed words this article does not contain (a partial match), as typed.
    missing: tuple[str, ...] = ()
    # The snippet as plain text ("…" where text is cut), for terminals and notebooks.
    snippet_text: str = ""


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: tuple[Hit, ...] = field(default_factory=tuple)
    correction: str | None = None
    # {"source": {value: count}, "author": {...}, "year": {...}, "month": {...}}
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # Matches hidden because a better-ranked copy of the same story is shown.
    collapsed: int = 0
    request: SearchRequest | None = None
    # True when the search ran out of time (serve/budget.py) and the hits and
    # counts are those found before it did.
    partial: bool = False
    # Set when the results shown are those of a spelling correction, because the
    # query as typed found nothing or only partial matches: the corrected query
    # ("Showing results for harbour — search instead for harbr").
    showing: str | None = None
    # Reporters whose whole name the query typed as plain words (an
    # ``author:`` filter a reader may want instead).
    named_authors: tuple[str, ...] = ()

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
@with_article_fields
class StoredArticle:
    """An article read back from the index, for the article view, with every
    field of the article-field table (``search.fields``)."""

    id: str
    path: str
    title: str
    body: str


@dataclass(frozen=True)
class BuildReport:
    """What a rebuild did, for the CLI summary and for host programs."""

    index_dir: str
    generation: str
    indexed: int
    skipped: tuple[Skip, ...]
    failed: tuple[Skip, ...]
    seconds: float
    # What an update did (a rebuild counts every document as added).
    added: int = 0
    changed: int = 0
    deleted: int = 0
    unchanged: int = 0
