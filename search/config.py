"""Where the corpus and the index live: the one place that reads the environment."""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_PREFIX = "NEWSEARCH_"
DEFAULT_CORPUS = "corpus"
DEFAULT_INDEX = "index"
# Names the web app once read (``NEWSEARCH_INDEX_DIR``): still honoured, with
# a DeprecationWarning, when the current name is not set.
DEPRECATED_NAMES = {"CORPUS": "CORPUS_DIR", "INDEX": "INDEX_DIR"}


@dataclass(frozen=True)
class Config:
    corpus_dir: Path = Path(DEFAULT_CORPUS)
    index_dir: Path = Path(DEFAULT_INDEX)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        """Defaults (``corpus/`` and ``index/`` in the working directory), then
        ``NEWSEARCH_CORPUS`` and ``NEWSEARCH_INDEX``, for the CLI and the web
        app alike."""
        env = os.environ if environ is None else environ
        return cls(
            corpus_dir=Path(_setting(env, "CORPUS") or DEFAULT_CORPUS),
            index_dir=Path(_setting(env, "INDEX") or DEFAULT_INDEX),
        )


def _setting(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(ENV_PREFIX + name)
    if value:
        return value
    old = ENV_PREFIX + DEPRECATED_NAMES[name]
    if env.get(old):
        warnings.warn(
            f"{old} is deprecated; set {ENV_PREFIX + name} instead",
            DeprecationWarning,
            stacklevel=3,
        )
        return env[old]
    return None
