"""One exception root, so every shell (CLI, web, a host program) can catch one type.

Messages are written for the person who will read them: they say what to do next.
"""

from __future__ import annotations


class SearchError(Exception):
    """Root of every error the library raises on purpose."""


class IndexNotFound(SearchError):
    """No usable index at the given location."""


class IndexBusy(SearchError):
    """Another process holds the index writer lock."""


class IndexWriteError(SearchError):
    """A build could not be written (disk full, no inodes, read-only, no
    permission); the served index is unchanged."""


class IndexCorrupt(SearchError):
    """An index build exists but cannot be opened."""


class BadQuery(SearchError):
    """The query or one of its parameters cannot be answered as given."""


class BadArgument(SearchError, TypeError):
    """A host program passed the wrong type (a TypeError too, for code that
    catches that)."""


class SearchUnavailable(SearchError):
    """A search could not be answered now (its process died or got stuck); try again."""


class BadConfig(SearchError):
    """A setting (an environment variable, a server option) has an unusable value."""


class CorpusNotFound(SearchError):
    """The corpus folder does not exist or is not a folder."""


class CorpusEmpty(CorpusNotFound):
    """The corpus folder holds no documents to index."""


class ArticleNotFound(SearchError):
    """No article with that id in the index."""


class ClusterError(SearchError):
    """The build's cluster cannot be reached, went away, or is not installed."""
