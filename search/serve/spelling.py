"""Did-you-mean corrections and suggestions while typing, from the index's own words.

Both draw on the unstemmed, accent-folded body words of the build's vocabulary
file (store/vocabulary.py), so a suggestion is a word readers actually see in
articles.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh.codec.base import Automata
from whoosh.query import And, Or, Term
from whoosh.searching import Searcher
from whoosh.spelling import ReaderCorrector

from .. import schema
from ..analysis import analyze, fold
from ..store import vocabulary as file_vocabulary
from .budget import Budget
from .statistics import articles_with

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
# Most misspelt words corrected in one query: each costs a walk of the
# vocabulary, and a query with more than a few unknown words is not a typo
# of a real one (a real query has one or two; three leaves room).
MAX_CORRECTED_WORDS = 3
# Longest query (in words) offered a correction: past this it is a pasted
# paragraph, not typed, and checking a correction means parsing and running
# the whole query again (600 words: ~0.1 s each).
MAX_CORRECT_QUERY_WORDS = 30
# Shortest word worth correcting; short words have too many neighbours.
MIN_CORRECT_CHARS = 4
# Suggestions while typing: shortest prefix and most suggestions.
MIN_SUGGEST_CHARS = 2
MAX_SUGGESTIONS = 8
# Completions of the last word that headline suggestions may match (the most
# frequent first): enough for the few headlines shown, few enough to be fast.
MAX_TITLE_COMPLETIONS = 10
MAX_TITLE_SUGGESTIONS = 3
# Completions of the last word considered before ranking them by context.
MAX_CANDIDATES = 50

_WORD = re.compile(r"\w+")
_SYNTAX = re.compile(r'["():*+\-]|\b(?:AND|OR|NOT)\b|\w+:')


@dataclass(frozen=True)
class Vocabulary:
    """Every word of the spelling field, sorted, with the number of articles
    holding it: read once per build (0.1 s at 100k articles). Whoosh walks its
    on-disk term table a seek and a read per step, which made a correction
    take over 100 ms and completing "pr" most of a second."""

    words: list[str]
    doc_frequencies: np.ndarray

    def has(self, word: str) -> bool:
        i = bisect.bisect_left(self.words, word)
        return i < len(self.words) and self.words[i] == word

    def completions(self, prefix: str) -> tuple[list[str], np.ndarray]:
        """The words starting with ``prefix`` and their document frequencies."""
        lo = bisect.bisect_left(self.words, prefix)
        hi = bisect.bisect_left(self.words, prefix + "\U0010ffff", lo)
        return self.words[lo:hi], self.doc_frequencies[lo:hi]


def vocabulary(searcher: Searcher, build: Path | None = None) -> Vocabulary:
    """The vocabulary file of ``build`` (by default the searcher's own folder);
    the spelling field of a build made before the file existed."""
    if build is None:
        storage = getattr(getattr(searcher, "_ix", None), "storage", None)
        build = Path(storage.folder) if getattr(storage, "folder", None) else None
    found = file_vocabulary.read(build) if build is not None else None
    if found is not None:
        return Vocabulary(*found)
    counts: dict[str, int] = {}
    for reader, _ in searcher.reader().leaf_readers():
        if schema.SPELLING_FIELD not in reader.schema:
            continue
        for text, info in reader.iter_field(schema.SPELLING_FIELD):
            word = text.decode("utf-8") if isinstance(text, bytes) else text
            counts[word] = counts.get(word, 0) + info.doc_frequency()
    words = sorted(counts)
    return Vocabulary(words, np.array([counts[w] for w in words], dtype=np.int64))


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


def correction(
    searcher: Searcher,
    text: str,
    known: Vocabulary | None = None,
    budget: Budget | None = None,
) -> str | None:
    """The query with misspelt words replaced, or None when nothing changes.

    Only plain word queries are corrected: rewriting a query with operators or
    fields could change what it means. ``known``: the index's ``vocabulary``,
    if the caller keeps it. Each unknown word costs a walk of the vocabulary
    (~25 ms at 100k articles), so at most MAX_CORRECTED_WORDS are corrected,
    the cheapest first (one edit before two, short before long), and none once
    ``budget`` has run out. Queries past MAX_CORRECT_QUERY_WORDS are not corrected.
    """
    if _SYNTAX.search(text) or len(text.split()) > MAX_CORRECT_QUERY_WORDS:
        return None
    known = known if known is not None else vocabulary(searcher)
    corrector = _VocabularyCorrector(searcher, known.words)
    words = text.split()
    unknown: list[tuple[int, int, int, str]] = []  # (edits, length, position, folded)
    for i, word in enumerate(words):
        folded = fold(word)
        if (
            len(folded) >= MIN_CORRECT_CHARS
            and folded.isalpha()
            and not known.has(folded)
            and analyze(word)  # stop words are never "wrong"
        ):
            # Short words get two edits only for letters left out (below).
            maxdist = MAX_EDIT_DISTANCE if len(folded) >= TWO_EDITS_FROM_CHARS else 1
            unknown.append((maxdist, len(folded), i, folded))
    changed = False
    for maxdist, _, i, folded in sorted(unknown)[:MAX_CORRECTED_WORDS]:
        if budget is not None and budget.expired():
            break
        found = corrector.suggest(folded, limit=SPELLING_CANDIDATES, maxdist=MAX_EDIT_DISTANCE)
        if maxdist < MAX_EDIT_DISTANCE:
            # Two edits only for letters left out ("harbr" -> "harbour"), the
            # commonest slip, which cannot turn a word into another.
            found = [w for w in found if edit_distance(folded, w) <= 1 or _left_out(folded, w)]
        if found:
            # Whoosh orders candidates by frequency; the closest spelling wins.
            words[i] = min(found, key=lambda w: edit_distance(folded, w))
            changed = True
    return " ".join(words) if changed else None


def suggestions(
    searcher: Searcher,
    text: str,
    limit: int = MAX_SUGGESTIONS,
    known: Vocabulary | None = None,
    headlines: dict[str, str] | None = None,
) -> list[str]:
    """Completions of what has been typed: the last word completed from the
    vocabulary (most frequent first), then headlines matching every word.
    ``headlines``, when given, gets each headline suggested -> its article's id."""
    words = _WORD.findall(fold(text))
    if not words or len(text.strip()) < MIN_SUGGEST_CHARS:
        return []
    *head, last = words
    prefix = " ".join(head) + " " if head else ""
    known = known if known is not None else vocabulary(searcher)
    found, frequencies = known.completions(last)
    if not head and found and found[0] == last:  # a finished word is no completion
        found, frequencies = found[1:], frequencies[1:]
    # Most articles first, ties in alphabetical order (the order of ``found``).
    best = np.argsort(-frequencies, kind="stable")[:MAX_CANDIDATES]
    candidates = [(-int(frequencies[i]), found[i]) for i in best.tolist()]
    if head:
        candidates = _in_context(searcher, head, candidates)
    out = [prefix + word for _, word in candidates[: limit - MAX_TITLE_SUGGESTIONS]]
    completed = [word for _, word in candidates[:MAX_TITLE_COMPLETIONS]]
    for title, article_id in _titles(searcher, head, last, completed):
        if title not in out:  # syndicated copies share a headline
            out.append(title)
            if headlines is not None:
                headlines[title] = article_id
    return out[:limit]


def _in_context(
    searcher: Searcher, head: list[str], candidates: list[tuple[int, str]]
) -> list[tuple[int, str]]:
    """Re-rank completions of the last word by how many articles also hold the
    words typed before it, times the completion's idf ("voter i" → "voter id",
    not "voter its"; "baghdadi mo" → "mosul", not "month"); ties keep the more
    frequent word first. Counted on the ranked fields' postings (the
    spelling field keeps words, not which articles hold them)."""
    context = None
    for word in head:
        for term in analyze(word):
            mask = np.zeros(searcher.doc_count_all(), dtype=bool)
            mask[articles_with(searcher, term)] = True
            context = mask if context is None else context & mask
    ranked = []
    total = searcher.doc_count_all() + 1
    for minus_df, word in candidates:
        terms = analyze(word)
        if not terms or context is None:
            continue  # a stop word, or nothing typed before it to count with
        holders = articles_with(searcher, terms[0])
        together = int(np.count_nonzero(context[holders]))
        if together:
            # Articles with both, weighted by the completion's idf: a word
            # found with the context because it is everywhere ("month") ranks
            # below one found with it because they belong together ("mosul").
            ranked.append((-together * math.log(total / len(holders)), minus_df, word))
    return [(minus_df, word) for _, minus_df, word in sorted(ranked)]


def _titles(
    searcher: Searcher, head: list[str], last: str, completions: list[str]
) -> list[tuple[str, str]]:
    """Headlines with the words typed, the last one as typed or completed. Its
    completions are the vocabulary's most frequent ones, not every headline
    word with the prefix: a Prefix query on "pr" is an OR of hundreds of
    terms, and took most of a second at 100k articles."""
    terms = [Term(schema.TITLE, t) for w in head for t in analyze(w)]
    stems = dict.fromkeys(t for w in [last, *completions] for t in analyze(w))
    if not stems:
        return []
    last_q = Or([Term(schema.TITLE, s) for s in stems])
    query = And([*terms, last_q]) if terms else last_q
    hits = searcher.search(query, limit=MAX_TITLE_SUGGESTIONS)
    return [(h[schema.TITLE], h[schema.ID_FIELD]) for h in hits]


def has_syntax(text: str) -> bool:
    """Operators, fields, quotes or wildcards: a query not to rewrite."""
    return bool(_SYNTAX.search(text))


def close_enough(typed: str, word: str) -> bool:
    """Whether ``word`` is a spelling ``typed`` could be a slip of, by the rules
    of ``correction``: one edit, two for long words or for left-out letters."""
    if abs(len(word) - len(typed)) > MAX_EDIT_DISTANCE:
        return False
    distance = edit_distance(typed, word)
    if distance <= 1:
        return True
    if distance > MAX_EDIT_DISTANCE:
        return False
    return len(typed) >= TWO_EDITS_FROM_CHARS or _left_out(typed, word)


def _left_out(typed: str, word: str) -> bool:
    """Whether ``word`` is ``typed`` with letters added (typed is a subsequence)."""
    letters = iter(word)
    return len(word) > len(typed) and all(c in letters for c in typed)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (two short words; a plain dynamic programme)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
