"""Which typed words a result lacks ("Missing: mosel"), as readers know from web
search: plain words are ranked together, so a result may match only some of
them, and a loose match must not pass for a full one.

A word counts as found when its term is in the article's headline or text (the
forward index of ``statistics``) or when it names the article's reporter or
outlet (``names``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

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
    shown = {w: bag.names.get(w, (w,))[0] for w in bag.words}

    def lacking(docnum: int) -> tuple[str, ...]:
        terms, _ = collection.term_counts(docnum)
        return tuple(_absent(bag.words, terms, named, docnum, shown))

    return lacking


def _absent(words, terms, named, docnum: int, shown) -> Iterator[str]:
    for word in words:
        if word not in terms and docnum not in named.get(word, ()):
            yield shown[word]
