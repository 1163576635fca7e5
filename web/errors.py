"""Errors at the edge: library and HTTP errors become a page or one JSON shape.

Views never catch ``SearchError``; it arrives here and leaves with its status:
400 the query or a parameter, 404 no such article, 503 no index to serve yet,
500 anything else. Under ``/api/`` and at ``/suggest`` (both read by
scripts) every error is ``{"error": {"status": <int>, "message": <str>}}``.
"""

from __future__ import annotations

import shlex

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from search import (
    ArticleNotFound,
    BadQuery,
    IndexBusy,
    IndexCorrupt,
    IndexNotFound,
    SearchError,
    SearchUnavailable,
)

_STATUS: tuple[tuple[type[SearchError], int], ...] = (
    (BadQuery, 400),
    (ArticleNotFound, 404),
    (IndexNotFound, 503),
    (IndexCorrupt, 503),
    (IndexBusy, 503),
    (SearchUnavailable, 503),
)
# What a person reading an error page should see as its heading.
_TITLES = {
    400: "That search can't be run",
    404: "Not found",
    405: "Method not allowed",
    429: "Too many requests",
    500: "Something went wrong",
    503: "The search index isn't ready",
}
INTERNAL_MESSAGE = "Something went wrong on our side. Please try again in a moment."


def register(app: Flask) -> None:
    app.register_error_handler(SearchError, _search_error)
    app.register_error_handler(HTTPException, _http_error)


def status_of(exc: SearchError) -> int:
    for cls, status in _STATUS:
        if isinstance(exc, cls):
            return status
    return 500


def rebuild_command() -> str:
    """The exact command that builds the index this app serves."""
    config = current_app.config
    return (
        f"newsearch rebuild --corpus {shlex.quote(config['CORPUS_DIR'])} "
        f"--index {shlex.quote(config['INDEX_DIR'])}"
    )


def _search_error(exc: SearchError) -> tuple[Response | str, int]:
    status = status_of(exc)
    command = None
    if isinstance(exc, IndexNotFound):
        message = (
            "There is no search index yet. Put articles (.html, .htm or .txt files, one "
            f"folder per outlet) in {current_app.config['CORPUS_DIR']} and build it with:"
        )
        command = rebuild_command()
    elif isinstance(exc, IndexCorrupt):
        current_app.logger.error("index cannot be opened: %s", exc)
        message, command = "The search index cannot be opened; rebuild it.", rebuild_command()
    elif status == 500:
        current_app.logger.error("library error", exc_info=exc)
        message = INTERNAL_MESSAGE
    else:
        message = str(exc)
    return _respond(status, message, command)


def _http_error(exc: HTTPException) -> Response | tuple[Response | str, int]:
    if exc.code is None:  # a routing redirect, not an error
        return exc.get_response()
    message = INTERNAL_MESSAGE if isinstance(exc, InternalServerError) else exc.description
    body, status = _respond(exc.code, message or exc.name)
    response = current_app.make_response((body, status))
    for name, value in exc.get_headers():
        if name.lower() != "content-type":  # e.g. Allow on a 405
            response.headers[name] = value
    return response


def _wants_json() -> bool:
    return wants_json(request.path)


def wants_json(path: str) -> bool:
    """Paths read by programs, which get errors as JSON."""
    return path in ("/api", "/suggest") or path.startswith("/api/")


def _respond(status: int, message: str, command: str | None = None) -> tuple[Response | str, int]:
    if _wants_json():
        if command:
            message = f"{message} Run: {command}"
        return jsonify(error={"status": status, "message": message}), status
    page = render_template(
        "error.html",
        status=status,
        heading=_TITLES.get(status, "Error"),
        message=message,
        command=command,
        q=request.args.get("q", "") if status == 400 else "",
    )
    return page, status
