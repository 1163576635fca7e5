"""The ranking function used by every search, and its tuned constants.

Plain query words are scored together by ``ranking.BagOfWords``: BM25F over
title and body (one saturation over the field-weighted term frequencies, not a
sum of per-field BM25s), Lucene's idf (common words tend to 0 instead of
Whoosh's floor of 1), each query word weighted by how often the query repeats
it, then pseudo-relevance feedback and, for short queries, a coordination
factor. Everything else a reader can type (phrases, ``title:word``, wildcards)
is scored by Whoosh through ``weighting()`` with the same idf and parameters.

The constants were chosen on five judged collections (Cranfield, CISI, CACM,
NPL, LISA) with ``bench/relevance.py --tune``: 192 combinations of title boost,
K1, both B values and feedback on/off, each collection left out in turn and
the combination with the best mean nDCG@10 on the other four picked. These
values were picked in three of the five folds, and in the other two only the
headline's B differed (0.5 instead of 0.3).
"""

from __future__ import annotations

from math import log

from whoosh import scoring

from .. import schema

# Term-frequency saturation. Lucene ships 1.2; 1.8 (1.2-2.1 tried): the
# abstracts and news leads we rank repeat a topic word a few times, and the
# extra occurrences are evidence.
K1 = 1.8
# Length normalisation per field (0 = none, 1 = full). Bodies 0.5 (0.4-0.75
# tried; Lucene's 0.75 was worst): long documents are long because they say
# more, not only because they are verbose. Headlines 0.3: a long headline is no
# more verbose than a short one.
B = {schema.TITLE: 0.3, schema.BODY: 0.5}
B_DEFAULT = 0.75

# Pseudo-relevance feedback (RM3, reranking only): the best FEEDBACK_DOCS
# matches vote for FEEDBACK_TERMS more words (their term frequency weighted by
# idf and by the document's score); the original words keep
# FEEDBACK_ORIGINAL_WEIGHT of the query's weight. Only documents that match the
# reader's own words are ranked, so feedback reorders results and never adds
# ones the reader would not recognise as matches.
FEEDBACK_DOCS = 5
FEEDBACK_TERMS = 10
FEEDBACK_ORIGINAL_WEIGHT = 0.85
# Feedback needs documents beyond the ones it learns from: with a handful of
# matches it would only promote the best documents' own odd words (a comment
# thread outranking the story it comments on). Not reached by any benchmark query
# that matters: their long queries match hundreds of documents.
FEEDBACK_MIN_MATCHES = 20

# Short queries (up to COORDINATION_MAX_WORDS distinct words) are read as "all
# of these words": a document's score is multiplied by (matched / words) **
# COORDINATION_POWER. A power of 2 keeps a document with every word above one
# that repeats only the rarest word (BM25 saturates at K1 + 1 = 2.6 times one
# occurrence, and 2.6 / 2**2 < 1). Longer queries are descriptions, where a
# missing word says little; there the benchmark showed coordination only hurts.
COORDINATION_MAX_WORDS = 3

# BM25+ (Lv and Zhai, 2011) for short queries: each matched word adds at
# least DELTA x its idf, so that a long article naming every word of a short
# query is not outranked by a short one naming a few (length normalisation
# alone pushes a single mention in a long text towards 0). Longer queries are
# descriptions, where it hurt (LISA 0.493 -> 0.465 at 0.6 for every query).
# Chosen on the five collections by leave-one-collection-out over DELTA
# 0-0.8 x DELTA_MAX_WORDS 4-12 (30 combinations, ``bench/relevance.py --tune
# --grid DELTA=... --grid DELTA_MAX_WORDS=...``): (0.6, 7) picked in four folds
# of five, held-out nDCG@10 0.411 / 0.416 / 0.539 / 0.459 / 0.493.
DELTA = 0.6
DELTA_MAX_WORDS = 7
COORDINATION_POWER = 2.0


def idf(doc_count: int, doc_frequency: int) -> float:
    """Lucene's BM25 idf: always positive, and near 0 for a word in most documents."""
    return log(1.0 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))


def field_b(fieldname: str) -> float:
    return B.get(fieldname, B_DEFAULT)


class LuceneBM25F(scoring.BM25F):
    """Whoosh's per-field BM25 with Lucene's idf, for phrases, field terms and
    wildcards (plain words go through ``ranking.BagOfWords``)."""

    def idf(self, searcher, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        return idf(parent.doc_count_all(), parent.doc_frequency(fieldname, text))


def weighting() -> scoring.WeightingModel:
    return LuceneBM25F(B=B_DEFAULT, K1=K1, **{f"{f}_B": b for f, b in B.items()})
