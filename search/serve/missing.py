"""Which typed words a result lacks ("Missing: mosel"), as readers know from web
search: plain words are ranked together, so a result may match only some of
them, and a loose match must not pass for a full one.

A word counts as found when its term is in the article's headline or text (its
postings in ``statistics``, which the ranking has just read) or when it names
the article's reporter or outlet (``names``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from whoosh.query import Query

from .. import schema
from . import bm25, names, statistics
from .ranking import plain_words

# Longer queries are descriptions, which no article matches word for word (the
# ranking's own limit for "short", bm25.DELTA_MAX_WORDS): a list of missing
# words would be most of the query.
SHORT_QUERY_WORDS = bm25.DELTA_MAX_WORDS


def finder(searcher, query: Query | None) -> Callable[[int], tuple[str, ...]]:
    """A function from a document number to the typed words it lacks (as typed,
    folded), in query order; it says nothing for a one-word query or a long one."""
    bag = plain_words(query) if query is not None else None
    if bag is None or not 2 <= len(bag.words) <= SHORT_QUERY_WORDS:
        return lambda docnum: ()
    collection = statistics.get(searcher.get_parent(), schema.DEFAULT_FIELDS)
    typed = frozenset(f for forms in bag.names.values() for f in forms)
    named = {t: set(d.tolist()) for t, d in names.bonus(searcher, bag.names, typed).items()}
    words = list(bag.words)
    shown = [bag.names.get(w, (w,))[0] for w in words]
    # Each word's documents (sorted), as the ranking just read them (the
    # build's postings cache): a hit costs a bisection per word instead of
    # reading its forward-index row (two reads from disk a hit).
    holding = [collection.documents_with(w) for w in words]

    def lacking(docnum: int) -> tuple[str, ...]:
        return tuple(
            shown[i]
            for i, word in enumerate(words)
            if not _holds(holding[i], docnum) and docnum not in named.get(word, ())
        )

    return lacking


def _holds(documents: np.ndarray, docnum: int) -> bool:
    i = int(np.searchsorted(documents, docnum))
    return i < len(documents) and int(documents[i]) == docnum
