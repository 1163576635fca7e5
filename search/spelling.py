"""Did-you-mean corrections and suggestions while typing, from the index's own words.

Both draw on the unstemmed, accent-folded body words Whoosh keeps for spelling
(``spell_body``), so a suggestion is a word readers actually see in articles.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from whoosh.codec.base import Automata
from whoosh.query import And, Or, Prefix, Term
from whoosh.searching import Searcher
from whoosh.spelling import ReaderCorrector

from . import schema
from .analysis import analyze, fold

# Offer a correction only when the query found fewer hits than this: a query
# with a page of results was probably typed as meant.
CORRECT_BELOW_HITS = 3
# Edit distance of a correction: 2 catches a doubled or dropped letter plus a
# swap ("bagdadi" → "baghdadi") without turning names into other names...
MAX_EDIT_DISTANCE = 2
# ... but words shorter than this get one edit: two edits turn most 4-5 letter
# words into some other word ("cafe" → "card").
TWO_EDITS_FROM_CHARS = 6
# Candidates weighed per misspelt word (Whoosh returns the most frequent first).
SPELLING_CANDIDATES = 10
# Shortest word worth correcting; short words have too many neighbours.
MIN_CORRECT_CHARS = 4
# Suggestions while typing: shortest prefix, most suggestions, and how many
# vocabulary entries one prefix may scan (bounds the cost of "th").
MIN_SUGGEST_CHARS = 2
MAX_SUGGESTIONS = 8
MAX_PREFIX_SCAN = 5_000
MAX_TITLE_SUGGESTIONS = 3
# Completions of the last word considered before ranking them by context.
MAX_CANDIDATES = 50

_WORD = re.compile(r"\w+")
_SYNTAX = re.compile(r'["():*+\-]|\b(?:AND|OR|NOT)\b|\w+:')


def vocabulary(searcher: Searcher) -> list[str]:
    """Every word of the spelling field, sorted: read once per build (0.1 s at
    100k articles), because Whoosh's corrector walks the on-disk term table a
    seek and a read per automaton step (over 100 ms for a misspelt word)."""
    words: set[str] = set()
    for reader, _ in searcher.reader().leaf_readers():
        if schema.SPELLING_FIELD in reader.schema:
            words.update(
                w.decode("utf-8") if isinstance(w, bytes) else w
                for w in reader.lexicon(schema.SPELLING_FIELD)
            )
    return sorted(words)


class _Cursor:
    """Whoosh's term cursor protocol (``text``, ``find``) over a sorted list."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.i = 0

    def text(self) -> str | None:
        return self.words[self.i] if self.i < len(self.words) else None

    def find(self, key: str) -> None:
        self.i = bisect.bisect_left(self.words, key, self.i)


class _VocabularyCorrector(ReaderCorrector):
    """Whoosh's ReaderCorrector (same candidates, same frequency order) finding
    its candidates in an in-memory vocabulary."""

    def __init__(self, searcher: Searcher, words: list[str]) -> None:
        super().__init__(searcher.reader(), schema.BODY, searcher.schema[schema.BODY])
        self.words = words

    def _suggestions(self, text: str, maxdist: int, prefix: int) -> Iterator[tuple[float, str]]:
        dfa = Automata.levenshtein_dfa(text, maxdist, prefix)
        for sug in Automata.find_matches(dfa, _Cursor(self.words)):
            f = self.reader.frequency(schema.BODY, sug) or 1
            yield (0 - (maxdist + (1.0 / f * 0.5)), sug)


def correction(searcher: Searcher, text: str, words: list[str] | None = None) -> str | None:
    """The query with misspelt words replaced, or None when nothing changes.

    Only plain word queries are corrected: rewriting a query with operators or
    fields could change what it means. ``words``: the index's ``vocabulary``,
    if the caller keeps it.
    """
    if _SYNTAX.search(text):
        return None
    reader = searcher.reader()
    corrector = _VocabularyCorrector(searcher, words if words is not None else vocabulary(searcher))
    changed = False
    words = []
    for word in text.split():
        folded = fold(word)
        if (
            len(folded) >= MIN_CORRECT_CHARS
            and folded.isalpha()
            and not reader.frequency(schema.SPELLING_FIELD, folded)
            and analyze(word)  # stop words are never "wrong"
        ):
            maxdist = MAX_EDIT_DISTANCE if len(folded) >= TWO_EDITS_FROM_CHARS else 1
            found = corrector.suggest(folded, limit=SPELLING_CANDIDATES, maxdist=maxdist)
            if found:
                # Whoosh orders candidates by frequency; the closest spelling wins.
                best = min(found, key=lambda w: edit_distance(folded, w))
                words.append(best)
                changed = True
                continue
        words.append(word)
    return " ".join(words) if changed else None


def suggestions(searcher: Searcher, text: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Completions of what has been typed: the last word completed from the
    vocabulary (most frequent first), then headlines matching every word."""
    words = _WORD.findall(fold(text))
    if not words or len(text.strip()) < MIN_SUGGEST_CHARS:
        return []
    *head, last = words
    prefix = " ".join(head) + " " if head else ""
    reader = searcher.reader()
    candidates: list[tuple[int, str]] = []
    for n, term in enumerate(reader.expand_prefix(schema.SPELLING_FIELD, last)):
        if n >= MAX_PREFIX_SCAN:
            break
        word = term.decode("utf-8") if isinstance(term, bytes) else term
        if len(word) > len(last) or head:
            candidates.append((-reader.doc_frequency(schema.SPELLING_FIELD, word), word))
    candidates.sort()
    candidates = candidates[:MAX_CANDIDATES]
    if head:
        candidates = _in_context(searcher, head, candidates)
    out = [prefix + word for _, word in candidates[: limit - MAX_TITLE_SUGGESTIONS]]
    out += [t for t in _titles(searcher, head, last) if t not in out]
    return out[:limit]


def _in_context(
    searcher: Searcher, head: list[str], candidates: list[tuple[int, str]]
) -> list[tuple[int, str]]:
    """Re-rank completions of the last word by how many articles also hold the
    words typed before it ("voter i" → "voter id", not "voter its")."""
    context = And([Term(schema.SPELLING_FIELD, w) for w in head])
    docs = set(searcher.docs_for_query(context))
    ranked = []
    for _, word in candidates:
        together = len(
            docs.intersection(searcher.docs_for_query(Term(schema.SPELLING_FIELD, word)))
        )
        if together:
            ranked.append((-together, word))
    return sorted(ranked)


def _titles(searcher: Searcher, head: list[str], last: str) -> list[str]:
    terms = [Term(schema.TITLE, t) for w in head for t in analyze(w)]
    stems = analyze(last)
    last_q = Or([Prefix(schema.TITLE, last), *(Term(schema.TITLE, s) for s in stems)])
    query = And([*terms, last_q]) if terms else last_q
    hits = searcher.search(query, limit=MAX_TITLE_SUGGESTIONS)
    return [h[schema.TITLE] for h in hits]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (two short words; a plain dynamic programme)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
