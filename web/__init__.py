"""The web front end: a search page, an article view and a JSON API over one index.

    >>> app = create_app({"INDEX_DIR": "index", "CORPUS_DIR": "corpus"})  # doctest: +SKIP

Settings, later ones winning: defaults (``index/`` and ``corpus/`` in the
working directory), ``NEWSEARCH_*`` environment variables (``NEWSEARCH_INDEX``
and ``NEWSEARCH_CORPUS`` as the CLI reads them, see ``search.config``;
``NEWSEARCH_RATE_LIMIT``), then the mapping passed in.
``RATE_LIMIT`` is requests per minute per client on ``/api/*`` and
``/suggest`` (0: no limit; see ``web.ratelimit``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from search.config import Config

from . import api, errors, headers, ratelimit, views
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
    app.config.setdefault("RATE_LIMIT", DEFAULT_RATE_LIMIT)

    app.extensions[EXTENSION] = IndexHolder(app.config["INDEX_DIR"])
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    errors.register(app)
    headers.register(app)
    ratelimit.register(app)
    return app
