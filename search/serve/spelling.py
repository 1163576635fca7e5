"""Did-you-mean corrections and suggestions while typing, from the index's own words.

Both draw on the unstemmed, accent-folded body words of the build's vocabulary
file (store/vocabulary.py), so a suggestion is a word readers actually see in
articles.
"""

from __future__ import annotations

import bisect
import math
import re
from pathlib import Path

import numpy as np
from whoosh.query import And, Or, Term
from whoosh.searching import Searcher

from .. import schema
from ..analysis import analyze, fold
from ..store import vocabulary as file_vocabulary
from . import typos
from .budget import Budget
from .nearby import Lexicon
from .statistics import articles_with

# Offer a correction only when the query found fewer hits than this: a query
# with a page of results was probably typed as meant.
CORRECT_BELOW_HITS = 3
# Most misspelt words corrected in one query: a real query has one or two
# unknown words (three leaves room); more are not typos of a real query, and
# each costs a look through the vocabulary.
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


class Vocabulary(Lexicon):
    """Every word of the spelling field, sorted, with the number of articles
    holding it: read once per build (0.1 s at 100k articles). Whoosh walks its
    on-disk term table a seek and a read per step, which made a correction
    take over 100 ms and completing "pr" most of a second."""

    @property
    def doc_frequencies(self) -> np.ndarray:
        return self.articles

    def completions(self, prefix: str) -> tuple[list[str], np.ndarray]:
        """The words starting with ``prefix`` and their document frequencies."""
        lo = bisect.bisect_left(self.words, prefix)
        hi = bisect.bisect_left(self.words, prefix + "\U0010ffff", lo)
        return self.words[lo:hi], self.articles[lo:hi]


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


def correction(
    searcher: Searcher,
    text: str,
    known: Vocabulary | None = None,
    budget: Budget | None = None,
    names: Lexicon | None = None,
) -> str | None:
    """The query with misspelt words replaced, or None when nothing changes.

    Only plain word queries are corrected: rewriting a query with operators or
    fields could change what it means. ``known``: the index's ``vocabulary``,
    if the caller keeps it; ``names``: the words of reporters' and outlets'
    names, which the articles' text may never use ("Okafr" -> "okafor").

    A word is corrected only when it is in neither (a name is never turned
    into a common word), into the likeliest index word it is a slip of
    (``typos``), found among all words within two edits (``nearby``): from the
    articles' words, else from the names. Words typed as a name (see
    ``typed_as_names``) are corrected from the names only. At most
    MAX_CORRECTED_WORDS words are looked up, shortest first (fewest letters to
    compare), none once ``budget`` has run out; queries past
    MAX_CORRECT_QUERY_WORDS are not corrected.
    """
    if _SYNTAX.search(text) or len(text.split()) > MAX_CORRECT_QUERY_WORDS:
        return None
    known = known if known is not None else vocabulary(searcher)
    words = text.split()
    folded = [fold(w) for w in words]
    named = [names is not None and names.has(f) for f in folded]
    unknown = [not known.has(f) and not n for f, n in zip(folded, named, strict=True)]
    as_names = typed_as_names(words, named, unknown)
    looked_up = sorted(
        (len(f), i)
        for i, (word, f) in enumerate(zip(words, folded, strict=True))
        if unknown[i]
        and len(f) >= MIN_CORRECT_CHARS
        and f.isalpha()
        and analyze(word)  # stop words are never "wrong"
    )
    changed = False
    for _, i in looked_up[:MAX_CORRECTED_WORDS]:
        if budget is not None and budget.expired():
            break
        lexicons = (names,) if i in as_names else (known, names)
        for lexicon in lexicons:
            if lexicon is None:
                continue
            found = typos.likely(folded[i], lexicon.close(folded[i], typos.MAX_EDIT_DISTANCE))
            if found:
                words[i] = found[0][0]
                changed = True
                break
    return " ".join(words) if changed else None


def typed_as_names(words: list[str], named: list[bool], unknown: list[bool]) -> set[int]:
    """Positions of the words typed as names, which are corrected into the
    names of reporters and outlets only, never into common words ("Andrea
    Corcoran" must not become "andrew cochran"):

    * a capitalised word: names are an open class, so a capitalised word the
      index lacks is far more often a person, firm or place the index does
      not cover than a slip on a word it has (on the Reuters log: "Doug
      Gowland", "Eddie Bauer", "Abbott Laboratories" would otherwise become
      "rowland", "freddie", "abbett"). The first word counts only when the
      second is capitalised too: phones capitalise a query's first letter;
    * every word of a query made only of name words (``named``) and words the
      index lacks (``unknown``), with at least one name word: "marguerite
      osie" is a misspelt name.
    """
    capitalised = [w[:1].isupper() for w in words]
    out = {
        i
        for i, cap in enumerate(capitalised)
        if cap and (i > 0 or (len(words) > 1 and capitalised[1]))
    }
    if len(words) > 1 and any(named) and all(n or u for n, u in zip(named, unknown, strict=True)):
        out.update(range(len(words)))
    return out


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
