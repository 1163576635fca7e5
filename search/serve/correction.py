"""Spelling corrections of whole queries: when to offer one, and when to show
its results straight away.

A query is worth correcting when it found few results or when one of its words
is not in the index at all ("baghdadi mosel" finds the Baghdadi stories on
"baghdadi" alone and must not pass silently). When the query as typed found
nothing, or only results lacking some typed word, and its correction finds a
result with every word, the reader sees the corrected results ("Showing results
for harbour", with a way back to the words as typed); otherwise the correction
is offered as "Did you mean".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from whoosh.searching import Searcher

from ..analysis import analyze, fold
from ..errors import SearchError
from ..model import SearchRequest, SearchResults
from . import missing, names, spelling

# Offer a correction when the query found fewer hits than this, even if every
# word is in the index: a query with a page of results was probably typed as meant.
CORRECT_BELOW_HITS = spelling.CORRECT_BELOW_HITS


def worth_correcting(
    searcher: Searcher, text: str, total: int, vocabulary: spelling.Vocabulary
) -> bool:
    if not text.strip():
        return False
    if total < CORRECT_BELOW_HITS:
        return True
    words = text.split()
    # A long query is a description: a word the index lacks is no reason to
    # search it twice (its other words carry it).
    if len(words) > missing.SHORT_QUERY_WORDS:
        return False
    return any(_unknown(searcher, fold(word), vocabulary) for word in words)


def _unknown(searcher: Searcher, word: str, vocabulary: spelling.Vocabulary) -> bool:
    """A word worth correcting: long enough, letters only, in no article's
    text and in no reporter's or outlet's name."""
    return (
        len(word) >= spelling.MIN_CORRECT_CHARS
        and word.isalpha()
        and bool(analyze(word))  # stop words are never misspelt
        and not vocabulary.has(word)
        and not names.get(searcher).lexicon().has(word)
    )


def corrected_query(
    searcher: Searcher, text: str, vocabulary: spelling.Vocabulary, budget=None
) -> str | None:
    """The query with misspelt words corrected from the articles' words, and
    then from the words of reporters' and outlets' names ("Okafr" -> "okafor"),
    which the text may never mention; None when nothing changes."""
    try:
        return spelling.correction(
            searcher, text, vocabulary, budget, names.get(searcher).lexicon()
        )
    except SearchError:
        return None


def apply(
    typed: SearchResults,
    correction: str | None,
    search: Callable[[SearchRequest], SearchResults],
) -> SearchResults:
    """The results to show for ``typed`` given its ``correction``: the corrected
    results when they are full matches and the typed ones are not, else the
    typed results with the correction offered (when it finds more or better)."""
    request = typed.request
    if correction is None or request is None:
        return typed
    try:
        better = search(dataclasses.replace(request, query=correction, page=1, correct=False))
    except SearchError:
        return typed
    typed_full = _full(typed) if request.page == 1 else _full(search(_first(request)))
    better_full = _full(better)
    if request.correct and better_full and not typed_full:
        shown = better
        if request.page != 1:
            shown = search(dataclasses.replace(request, query=correction, correct=False))
        return dataclasses.replace(
            shown, query=request.query, request=request, correction=correction, showing=correction
        )
    if better.total > typed.total or (better_full and not typed_full):
        return dataclasses.replace(typed, correction=correction)
    return typed


def _first(request: SearchRequest) -> SearchRequest:
    return dataclasses.replace(request, page=1, correct=False)


def _full(results: SearchResults) -> bool:
    """Whether the best result holds every typed word."""
    return bool(results.hits) and not results.hits[0].missing
