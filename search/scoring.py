"""The ranking function used by every search (tuned in bench/relevance.py)."""

from __future__ import annotations

from whoosh import scoring

# BM25 parameters: the values Robertson et al. recommend and Lucene ships.
K1 = 1.2
B = 0.75


def weighting() -> scoring.WeightingModel:
    return scoring.BM25F(B=B, K1=K1)
