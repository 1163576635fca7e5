"""Headers on every response (pages, JSON, static files, errors).

A strict Content-Security-Policy: the site's own files only, no inline
script or style, never framed. The templates and ``static/`` are written to
need nothing more. When the served index is an older build because the newest
is damaged, clients see a short generic ``X-Index-Warning`` (the details -
paths, build names, the process that wrote them - are for the operator, not
every visitor); operators find the details in the log (once per distinct
warning) and in ``newsearch stats``.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, current_app, request

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
PUBLIC_WARNING = "serving an older build: the newest is damaged; the operator should rebuild"


def register(app: Flask) -> None:
    app.after_request(_add_headers)


def _add_headers(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    _relative_location(response)
    holder: IndexHolder = current_app.extensions[EXTENSION]
    warning = holder.warning
    if warning:
        response.headers[WARNING_HEADER] = PUBLIC_WARNING
        if holder.note_warning(warning):
            current_app.logger.warning("%s", warning)
    return response


def _relative_location(response: Response) -> None:
    """A redirect to this site without the host: Werkzeug builds routing
    redirects (``/article//x`` -> ``/article/x``) from the Host header, and a
    cache could hand one client's Host to the next."""
    location = response.headers.get("Location")
    if not location:
        return
    parts = urlsplit(location)
    if parts.netloc and parts.netloc == request.host:
        response.headers["Location"] = urlunsplit(("", "", parts.path or "/", parts.query, ""))
