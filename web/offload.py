"""Heavy clients' searches answered in a child process (search.serve.isolated).

The fair turns (web/fairness.py) already know which clients are heavy: those
with more than a search deadline of recent work, which no reader comes near.
A heavy client's search used to run in a worker thread beside the readers',
sharing the interpreter lock and the CPU: at 100k articles a reader's search
took several times as long while one ran, though at most one did. Searches
of turns the dispatcher marks heavy (``heavy(True)`` around the request) are
sent to one child process at the lowest priority instead, so a reader's
search shares neither with them; the answer is the same results page or
error. A child that died or got stuck is replaced, and the search it was
answering gets a 503 saying to try again. ``newsearch serve`` starts the
child with the server (an interpreter with the engine imported, at the
lowest priority; the index is opened at its first search).

The child answers one search at a time, as many as the fair turns let heavy
clients run together (``HEAVY_SLOTS``); a search marked heavy outside
``newsearch serve`` (none is) would wait for the one before it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, current_app

from search import SearchUnavailable
from search.model import SearchRequest, SearchResults
from search.serve.isolated import SearchProcess

from .state import get_index

EXTENSION = "newsearch.offload"

# Whether the request this thread is serving comes from a heavy client.
_HEAVY: ContextVar[bool] = ContextVar("newsearch_heavy", default=False)


@contextmanager
def heavy(flag: bool) -> Iterator[None]:
    """Searches made inside are a heavy client's when ``flag`` is set."""
    token = _HEAVY.set(flag)
    try:
        yield
    finally:
        _HEAVY.reset(token)


def register(app: Flask) -> None:
    """The app's search process (started by ``start`` or the first heavy search)."""
    app.extensions[EXTENSION] = SearchProcess(
        app.config["INDEX_DIR"], app.config["SEARCH_DEADLINE"]
    )


def start(app: Flask) -> threading.Thread:
    """Start the app's search process in the background (``newsearch serve``
    does, with the server): started at the first heavy search instead, it
    took about 5 s on a loaded machine, while that search and the other
    heavy clients' waited."""

    def starting() -> None:
        try:
            app.extensions[EXTENSION].start()
        except SearchUnavailable as exc:  # the first heavy search tries again
            app.logger.warning("%s", exc)

    thread = threading.Thread(target=starting, name="newsearch-start-search", daemon=True)
    thread.start()
    return thread


def search(request: SearchRequest) -> SearchResults:
    """``request`` answered here, or by the search process for a heavy client."""
    if _HEAVY.get() and os.name == "posix":  # the child needs pass_fds
        process: SearchProcess = current_app.extensions[EXTENSION]
        return process.search(request)
    return get_index().search(request)
