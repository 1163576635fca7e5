"""Headers on every response (pages, JSON, static files, errors).

A strict Content-Security-Policy: the site's own files only, no inline
script or style, never framed. The templates and ``static/`` are written to
need nothing more. When the served index is an older build because the newest
is damaged, operators see it in ``X-Index-Warning`` and in the log (once per
distinct warning).
"""

from __future__ import annotations

from flask import Flask, Response, current_app

from .state import EXTENSION, IndexHolder

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
WARNING_HEADER = "X-Index-Warning"


def register(app: Flask) -> None:
    app.after_request(_add_headers)


def _add_headers(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    holder: IndexHolder = current_app.extensions[EXTENSION]
    warning = holder.warning
    if warning:
        # Header values are Latin-1: a path with other characters is escaped.
        response.headers[WARNING_HEADER] = warning.encode("ascii", "backslashreplace").decode()
        if holder.note_warning(warning):
            current_app.logger.warning("%s", warning)
    return response
