"""Reporters and outlets found by plain words: "jose alvarez" finds José Álvarez's
articles, "valley courier heat" the Courier's heat story.

A byline is a whole value (the author and source facets), not text to stem: a
query word matches an author when it is one of the words of the author's name
(folded as typed: "Alvarez" finds "Álvarez"), and an outlet only when every
word of its name is typed ("harbour" alone must not promote every article of
*The Harbour Gazette*). The words of each facet value are read once per opened
index from the facet columns, so a query pays a dictionary look-up per word.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .. import schema
from ..analysis import INDEX_STOP_WORDS, TOKEN_PATTERN, fold
from .nearby import Lexicon
from .whoosh_page import column

# Facets whose values are names a reader types as plain words.
NAME_FACETS = {"author": schema.FACETS["author"], "source": schema.FACETS["source"]}


def name_words(value: str) -> tuple[str, ...]:
    """The folded words of a name, without its stop words ("The Valley
    Courier" -> valley, courier)."""
    words = [fold(w) for w in TOKEN_PATTERN.findall(value)]
    kept = tuple(w for w in words if w not in INDEX_STOP_WORDS)
    return kept or tuple(words)


@dataclass
class Facet:
    """One name facet of an opened index: each document's value code, the
    values, and which values hold each word."""

    codes: np.ndarray
    labels: list[str]
    words: list[tuple[str, ...]]
    by_word: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class Names:
    facets: dict[str, Facet]
    _lexicon: Lexicon | None = None

    def lexicon(self) -> Lexicon:
        """Every word of a reporter's or outlet's name with the number of
        articles under that name (did-you-mean corrects from them: "Okafr")."""
        if self._lexicon is None:
            articles: dict[str, int] = {}
            for facet in self.facets.values():
                counts = np.bincount(facet.codes, minlength=len(facet.labels))
                for word, codes in facet.by_word.items():
                    articles[word] = articles.get(word, 0) + int(counts[codes].sum())
            words = sorted(articles)
            found = np.array([articles[w] for w in words], dtype=np.int64)
            self._lexicon = Lexicon(words, found)
        return self._lexicon

    def documents(self, forms: Iterable[str], typed: frozenset[str]) -> np.ndarray:
        """Documents whose byline holds one of ``forms`` (author), or whose outlet's
        whole name is among the ``typed`` words (source)."""
        found = []
        for name, facet in self.facets.items():
            codes = {c for f in forms for c in facet.by_word.get(f, ())}
            if name == "source":
                codes = {c for c in codes if set(facet.words[c]) <= typed}
            if codes:
                found.append(np.flatnonzero(np.isin(facet.codes, sorted(codes))))
        if not found:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate(found)) if len(found) > 1 else found[0]

    def named(self, typed: Iterable[str], facet: str = "author") -> list[str]:
        """Values of ``facet`` every word of which was typed (``typed``: folded words)."""
        typed = frozenset(typed)
        one = self.facets[facet]
        return [
            one.labels[c]
            for c in sorted({c for w in typed for c in one.by_word.get(w, ())})
            if one.words[c] and set(one.words[c]) <= typed
        ]

    def completions(self, prefix: str, head: Iterable[str] = ()) -> list[str]:
        """Author and outlet names with a word starting with ``prefix`` and every
        word of ``head`` (folded words typed before it), most articles first."""
        head = frozenset(head)
        found: list[tuple[int, str]] = []
        for facet in self.facets.values():
            counts = np.bincount(facet.codes, minlength=len(facet.labels))
            for code, words in enumerate(facet.words):
                label = facet.labels[code]
                if not label or not head <= set(words):
                    continue
                if any(w.startswith(prefix) and w not in head for w in words):
                    found.append((-int(counts[code]), label))
        return [label for _, label in sorted(found)]


def _facet(searcher, fieldname: str) -> Facet:
    values: list = []
    for sub, _offset in searcher.leaf_searchers():
        values.extend(column(sub.reader(), fieldname))
    index: dict[str, int] = {}
    codes = np.fromiter(
        (index.setdefault(_text(v), len(index)) for v in values), dtype=np.int64, count=len(values)
    )
    labels = [""] * len(index)
    for value, code in index.items():
        labels[code] = value
    words = [name_words(label) if label else () for label in labels]
    by_word: dict[str, list[int]] = {}
    for code, each in enumerate(words):
        for word in set(each):
            by_word.setdefault(word, []).append(code)
    return Facet(codes, labels, words, by_word)


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value or "")


_CACHE_ATTRIBUTE = "_newsearch_names"
_LOCK = threading.Lock()


def get(searcher) -> Names:
    """The names of ``searcher``'s index, kept on the searcher."""
    with _LOCK:
        found = searcher.__dict__.get(_CACHE_ATTRIBUTE)
        if found is None:
            found = Names({n: _facet(searcher, f) for n, f in NAME_FACETS.items()})
            searcher.__dict__[_CACHE_ATTRIBUTE] = found
        return found


def bonus(
    searcher, names: Mapping[str, tuple[str, ...]], typed: frozenset[str]
) -> dict[str, np.ndarray]:
    """For each query term (stem) typed as a name: the documents it names."""
    if not names:
        return {}
    found = get(searcher)
    out = {}
    for term, forms in names.items():
        docs = found.documents(forms, typed)
        if len(docs):
            out[term] = docs
    return out


def named_authors(searcher, parsed) -> tuple[str, ...]:
    """Reporters whose whole name the query typed as plain words, for an
    "Articles by ..." hint (``author:`` filters exactly)."""
    if parsed is None:
        return ()
    from .ranking import plain_words  # ranking imports this module

    bag = plain_words(parsed.query)
    if bag is None or not bag.names:
        return ()
    typed = [f for forms in bag.names.values() for f in forms]
    return tuple(get(searcher).named(typed, "author"))
