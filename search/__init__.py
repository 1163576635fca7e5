"""newsearch: a full-text search engine for news articles.

>>> from search import rebuild, open_index
>>> report = rebuild("corpus", "index")          # doctest: +SKIP
>>> with open_index("index") as index:            # doctest: +SKIP
...     results = index.search("Baghdadi Mosul")
"""

from __future__ import annotations

from pathlib import Path
from typing import Unpack

from .build.sync import rebuild, update
from .config import Config
from .errors import (
    ArticleNotFound,
    BadArgument,
    BadConfig,
    BadQuery,
    ClusterError,
    CorpusEmpty,
    CorpusNotFound,
    IndexBusy,
    IndexCorrupt,
    IndexNotFound,
    IndexWriteError,
    SearchError,
    SearchUnavailable,
)
from .extract import extract
from .model import (
    Article,
    ArticleRef,
    BuildReport,
    Hit,
    SearchOptions,
    SearchRequest,
    SearchResults,
    Skip,
    StoredArticle,
)
from .serve.engine import Index

__all__ = [
    "Article",
    "ArticleNotFound",
    "ArticleRef",
    "BadArgument",
    "BadConfig",
    "BadQuery",
    "BuildReport",
    "ClusterError",
    "Config",
    "CorpusEmpty",
    "CorpusNotFound",
    "Hit",
    "Index",
    "IndexBusy",
    "IndexCorrupt",
    "IndexNotFound",
    "IndexWriteError",
    "SearchError",
    "SearchOptions",
    "SearchRequest",
    "SearchResults",
    "SearchUnavailable",
    "Skip",
    "StoredArticle",
    "extract",
    "open_index",
    "rebuild",
    "search",
    "update",
]


def open_index(index_dir: Path | str = "index") -> Index:
    """Open a served index for many searches (keep it; it refreshes itself)."""
    return Index(index_dir)


def search(
    query: str, index_dir: Path | str = "index", **options: Unpack[SearchOptions]
) -> SearchResults:
    """One-off search; a program that searches often should keep an ``Index`` open."""
    with Index(index_dir) as index:
        return index.search(query, **options)
