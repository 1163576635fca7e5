"""Where the corpus and the index live: the one place that reads the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_PREFIX = "NEWSEARCH_"
DEFAULT_CORPUS = "corpus"
DEFAULT_INDEX = "index"


@dataclass(frozen=True)
class Config:
    corpus_dir: Path = Path(DEFAULT_CORPUS)
    index_dir: Path = Path(DEFAULT_INDEX)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        """Defaults (``corpus/`` and ``index/`` in the working directory), then
        ``NEWSEARCH_CORPUS`` and ``NEWSEARCH_INDEX``."""
        env = os.environ if environ is None else environ
        return cls(
            corpus_dir=Path(env.get(ENV_PREFIX + "CORPUS") or DEFAULT_CORPUS),
            index_dir=Path(env.get(ENV_PREFIX + "INDEX") or DEFAULT_INDEX),
        )
