"""Plain frozen values passed between the stages: files → articles → index → results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Article:
    """What extraction keeps of one document: exactly what gets indexed.

    ``body`` holds the article's paragraphs separated by one blank line.
    ``path`` is relative to the corpus root with ``/`` separators ("" until the
    caller that knows the path fills it in). ``published`` is timezone-aware
    when the source said which zone, naive otherwise.
    """

    title: str
    body: str
    path: str = ""
    author: str | None = None
    published: datetime | None = None
    source: str | None = None
    summary: str | None = None
    url: str | None = None
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
class Hit:
    """One ranked result, as the page and the JSON API show it."""

    id: str
    path: str
    title: str
    author: str | None
    published: datetime | None
    source: str | None
    url: str | None
    summary: str | None
    score: float
    snippet_html: str


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: tuple[Hit, ...] = field(default_factory=tuple)
    correction: str | None = None

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class StoredArticle:
    """An article read back from the index, for the article view."""

    id: str
    path: str
    title: str
    body: str
    author: str | None
    published: datetime | None
    source: str | None
    summary: str | None
    url: str | None


@dataclass(frozen=True)
class BuildReport:
    """What a rebuild did, for the CLI summary and for host programs."""

    index_dir: str
    generation: str
    indexed: int
    skipped: tuple[Skip, ...]
    failed: tuple[Skip, ...]
    seconds: float
