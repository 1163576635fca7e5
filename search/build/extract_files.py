"""Extraction of files given on the command line, as the indexer would do it.

A folder argument is walked like a corpus and its outlet templates learned
first, so ``newsearch extract corpus/`` shows exactly what a rebuild indexes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..extract.templates import Templates
from ..model import Article, Skip
from . import corpus
from .sync import extract_file, learn_templates


def extract_paths(
    paths: tuple[Path, ...] | list[Path],
    templates: Templates | None = None,
    corpus_root: Path | None = None,
) -> Iterator[Article | Skip]:
    """Folders learn their own templates; a single file uses ``templates`` (those
    stored with the index) under its path relative to ``corpus_root``, so that
    its outlet's learned boilerplate applies."""
    for path in paths:
        if path.is_dir():
            entries = list(corpus.walk(path))
            files = [e for e in entries if isinstance(e, corpus.CorpusFile)]
            learned = learn_templates(files)
            for entry in entries:
                yield entry if isinstance(entry, Skip) else extract_file(entry, learned)
        else:
            file = corpus.CorpusFile(_relative(path, corpus_root), path)
            yield extract_file(file, templates or Templates())


def _relative(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.name
