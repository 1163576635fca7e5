"""The web front end: a search page, an article view and a JSON API over one index.

    >>> app = create_app({"INDEX_DIR": "index", "CORPUS_DIR": "corpus"})  # doctest: +SKIP

Settings, later ones winning: defaults (``index/`` and ``corpus/`` in the
working directory), ``NEWSEARCH_*`` environment variables (``NEWSEARCH_INDEX``
and ``NEWSEARCH_CORPUS`` as the CLI reads them, see ``search.config``;
``NEWSEARCH_RATE_LIMIT``, ``NEWSEARCH_SEARCH_DEADLINE``, ``NEWSEARCH_BASE_URL``,
``NEWSEARCH_CLIENT_SLOTS``, ``NEWSEARCH_CLIENT_QUEUE``, ``NEWSEARCH_PROXIES``),
then the mapping passed in.
``RATE_LIMIT`` is requests per minute per client on ``/search``, ``/api/*``
and ``/suggest`` (0: no limit; see ``web.ratelimit``); ``SEARCH_DEADLINE`` is
the seconds one search may work before it answers with the results found so
far (see ``search.serve.budget``). ``CLIENT_SLOTS`` and ``CLIENT_QUEUE`` are
the requests one client may have running (default: half the server's
threads) and waiting (8) under ``newsearch serve`` (web/fairness.py);
``PROXIES`` is the number of reverse proxies in front that append the
client's address to ``X-Forwarded-For`` (0: the connection's address is the
client's; only set it when every request passes through them, or clients
can claim any address). A value that is not a number is refused at start
(``BadConfig``), not read as something else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from search import BadConfig
from search.config import Config
from search.serve.budget import DEFAULT_DEADLINE_S

from . import api, dispatch, errors, headers, offload, ratelimit, views
from .fairness import DEFAULT_QUEUE
from .state import EXTENSION, IndexHolder

DEFAULTS = {"INDEX_DIR": "index", "CORPUS_DIR": "corpus"}
# Off unless asked for: a private server has one client, a public one sets it.
DEFAULT_RATE_LIMIT = 0
# Variables named NEWSEARCH_<SETTING> override the defaults.
ENV_PREFIX = "NEWSEARCH"


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; the index is opened at the first request that needs it."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env(ENV_PREFIX)
    # The folders under the names the CLI reads (the old *_DIR names still work).
    env = Config.from_env()
    app.config.update(INDEX_DIR=str(env.index_dir), CORPUS_DIR=str(env.corpus_dir))
    if test_config is not None:
        app.config.from_mapping(test_config)
    # from_prefixed_env reads values as JSON, so a folder named "2024" arrives as an int.
    for key in DEFAULTS:
        app.config[key] = str(app.config[key])
    app.config["RATE_LIMIT"] = _number(
        app.config.get("RATE_LIMIT", DEFAULT_RATE_LIMIT), "RATE_LIMIT", int, 0
    )
    app.config["CLIENT_SLOTS"] = _optional(app.config.get("CLIENT_SLOTS"), "CLIENT_SLOTS", 1)
    app.config["CLIENT_QUEUE"] = _number(
        app.config.get("CLIENT_QUEUE", DEFAULT_QUEUE), "CLIENT_QUEUE", int, 0
    )
    app.config["PROXIES"] = _number(app.config.get("PROXIES", 0), "PROXIES", int, 0)
    app.config["BASE_URL"] = _base_url(app.config.get("BASE_URL"))
    app.config["SEARCH_DEADLINE"] = _number(
        app.config.get("SEARCH_DEADLINE", DEFAULT_DEADLINE_S), "SEARCH_DEADLINE", float, 0.001
    )

    app.extensions[EXTENSION] = IndexHolder(app.config["INDEX_DIR"], app.config["SEARCH_DEADLINE"])
    offload.register(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    errors.register(app)
    headers.register(app)
    ratelimit.register(app)
    dispatch.register(app)
    if app.config["PROXIES"]:
        # The client's address for the rate limit; web/dispatch.py reads it alike.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXIES"])  # type: ignore[method-assign]
    return app


def _optional(value: Any, name: str, least: int) -> int | None:
    """A whole number setting whose default depends on the server (None, "": that)."""
    return None if value in (None, "") else _number(value, name, int, least)


def _base_url(value: Any) -> str | None:
    """The site's public address (``https://news.example.org``), for the
    absolute URLs of /opensearch.xml; None: taken from each request's Host."""
    if value in (None, ""):
        return None
    parts = urlsplit(str(value))
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise BadConfig(
            f"BASE_URL must be an http(s) address like https://news.example.org, not {value!r:.60}"
        )
    return str(value).rstrip("/")


def _number(value: Any, name: str, kind: type[int] | type[float], least: float) -> Any:
    """A numeric setting, from a number or its text (``NEWSEARCH_RATE_LIMIT=abc``
    or ``=true`` is refused: JSON's true would otherwise read as 1)."""
    try:
        if isinstance(value, bool) or (kind is int and isinstance(value, float)):
            raise ValueError
        number = kind(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise BadConfig(
            f"{name} must be a {'whole ' if kind is int else ''}number, not {value!r:.40}"
        ) from None
    if number < least:
        raise BadConfig(f"{name} must be at least {least}, not {value!r:.40}")
    return number
