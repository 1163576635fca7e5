"""Serving the app with waitress, with the limits a server on a network needs.

Waitress answers some requests itself, before the app sees them: a malformed
request (400), headers past ``max_request_header_size`` (431), an unsupported
transfer encoding (501), a request body past its limit (413), or the app
failing before it started a response (500). Those answers are built by
waitress's ``ErrorTask``; its channel names the class to use
(``HTTPChannel.error_task_class``) and the server the channel class
(``channel_class``), so one subclass of each adds the same security headers
the app adds to its own responses. (An interim ``100 Continue`` carries no
headers in any server: the final response that follows has them.)

Idle and half-open connections: waitress keeps at most ``connection_limit``
open and stops accepting new ones past that; a connection that sends nothing
for ``channel_timeout`` seconds is closed by the sweep every
``cleanup_interval`` seconds. A client sending one byte just inside the
timeout keeps its connection, which no setting here prevents: on a public
network put a reverse proxy in front (nginx, Caddy, HAProxy) with header and
body read timeouts and per-client connection limits (see the README).

Who is served next: waitress's first-come dispatcher is replaced by
web/dispatch.py's, which takes turns among clients (web/fairness.py): each
client may have at most ``CLIENT_SLOTS`` requests running (half the threads
by default) and ``CLIENT_QUEUE`` waiting, the client with the least recent
work goes first, and a client far heavier than a waiting one has its running
search stopped early; heavy clients' searches run in a child process
(web/offload.py).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, MultiSocketServer, create_server
from waitress.task import ErrorTask

from search import BadConfig

from . import offload, ratelimit
from .dispatch import FairDispatcher, FairTask
from .fairness import DEFAULT_QUEUE, FairQueue
from .headers import SECURITY_HEADERS

# Connections open at once. Waitress's default of 100 let 100 idle clients
# stop the server answering; an idle channel costs a few KB, so 1,000 costs
# little. Past it waitress stops accepting until a connection closes. It
# waits with poll() (below): select() cannot watch more than 1,024 sockets.
CONNECTION_LIMIT = 1_000
# Seconds a connection may stay silent before it is closed (waitress: 120).
# A browser's keep-alive connection idles far less between clicks; 30 s
# frees a slot held by a client that went away four times sooner.
CHANNEL_TIMEOUT_S = 30
# How often idle connections are swept (waitress: 30 s; at most this long past
# CHANNEL_TIMEOUT_S before an idle connection is closed).
CLEANUP_INTERVAL_S = 10
# Request headers larger than this get a 431. Our URLs carry a query of at
# most 5,000 characters (serve/parse.py), a browser's headers a few KB.
MAX_REQUEST_HEADER_BYTES = 64 * 1024
# The app takes no request bodies (every route is GET); waitress's default is 1 GB.
MAX_REQUEST_BODY_BYTES = 64 * 1024

SETTINGS: dict[str, Any] = {
    "connection_limit": CONNECTION_LIMIT,
    "channel_timeout": CHANNEL_TIMEOUT_S,
    "cleanup_interval": CLEANUP_INTERVAL_S,
    "max_request_header_size": MAX_REQUEST_HEADER_BYTES,
    "max_request_body_size": MAX_REQUEST_BODY_BYTES,
    "asyncore_use_poll": True,
    "ident": "newsearch",
}


class SecureErrorTask(ErrorTask):
    """Waitress's own error response, with the app's security headers."""

    def execute(self) -> None:
        # ErrorTask.execute with the headers added before the body is written
        # (the first write sends the headers).
        status, headers, body = self.request.error.to_response(self.channel.server.adj.ident)
        self.status = status
        self.response_headers.extend(headers)
        self.response_headers.extend(SECURITY_HEADERS.items())
        self.response_headers.append(("Cache-Control", "no-store"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class SecureChannel(HTTPChannel):
    task_class = FairTask
    error_task_class = SecureErrorTask


def fair_queue(app: Flask, threads: int) -> FairQueue:
    """The turns of ``threads`` workers, with the app's CLIENT_SLOTS and CLIENT_QUEUE."""
    per_client = app.config.get("CLIENT_SLOTS") or max(1, threads // 2)
    if per_client > threads:
        raise BadConfig(
            f"CLIENT_SLOTS ({per_client}) cannot be more than the server's threads ({threads})"
        )
    return FairQueue(
        threads,
        per_client,
        app.config.get("CLIENT_QUEUE", DEFAULT_QUEUE),
        margin_s=float(app.config.get("SEARCH_DEADLINE") or 1.0),
    )


def create(app: Flask, host: str, port: int, threads: int, *, search_process: bool = False) -> Any:
    """A waitress server for ``app`` with SETTINGS and fair turns among
    clients (call ``run()`` to serve); ``search_process``: start the heavy
    clients' search process now (web/offload.py), not at the first heavy search."""
    if search_process:
        offload.start(app)
    dispatcher = FairDispatcher(
        fair_queue(app, threads),
        int(app.config.get("PROXIES") or 0),
        ratelimit.limiter(app),
    )
    dispatcher.set_thread_count(threads)
    server = create_server(
        app, host=host, port=port, threads=threads, _dispatcher=dispatcher, **SETTINGS
    )
    servers = server.map.values() if isinstance(server, MultiSocketServer) else [server]
    for each in servers:
        if isinstance(each, BaseWSGIServer):
            each.channel_class = SecureChannel
    return server
