"""Corpus to new build: walking the corpus, extracting on worker processes,
planning what changed, writing and publishing the build.

Stands on ``store`` and ``extract``; never imports ``serve``.
"""
