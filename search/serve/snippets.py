"""Highlighted snippets: the only code in the library that produces HTML.

Everything is escaped; the only markup added is ``<mark>`` around matched
words. Fragments are whole sentences (or word-bounded windows of long ones),
so a snippet never starts or ends mid-word.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from functools import lru_cache

from ..analysis import ANALYZER, TOKEN_PATTERN

# Fragments shown per hit, and the joiner between them.
MAX_FRAGMENTS = 3
JOINER = " … "
# Longest fragment: about two lines of a results page at the usual width.
FRAGMENT_CHARS = 220
# Most body characters scanned for matches. Beyond this the lead and summary
# describe the article well enough, and scanning more costs time per hit.
SCAN_CHARS = 30_000
# The fallback snippet (no match in the body): the lead, cut at a word.
FALLBACK_CHARS = 240

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+|\n+")


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(None, 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:-") + "…"


# Analysed forms of words seen in snippets, by surface form: news text repeats
# its vocabulary, so after warm-up a word costs one dict lookup instead of a
# pass through the analyzer chain (snippets were a quarter of a query's time).
# Cleared when full, to bound memory.
TERM_CACHE_SIZE = 200_000
_term_cache: dict[str, str | None] = {}


def term_of(word: str) -> str | None:
    """The indexed term of one token (None for a stop word), exactly as the analyzer makes it."""
    try:
        return _term_cache[word]
    except KeyError:
        pass
    analysed = [t.text for t in ANALYZER(word)]
    term = analysed[0] if len(analysed) == 1 else None
    if len(_term_cache) >= TERM_CACHE_SIZE:
        _term_cache.clear()
    _term_cache[word] = term
    return term


# Characters besides ASCII that cannot be part of a word or change how one
# folds: no-break and typographic spaces, dashes, quotes, bullets, ellipsis.
_PLAIN_TEXT = re.compile(r"[\x00-\x7f\u00a0\u2002-\u200b\u2010-\u2027\u2030-\u203e]*")
# What joins words into one token (TOKEN_PATTERN): "U.S.", "don't".
_JOINERS = ".'\u2019"


def match_spans(text: str, terms: Collection[str]) -> list[tuple[int, int]]:
    """Character spans of the words in ``text`` whose analysed form is in ``terms``.

    Analysing every word of a body was a third of a request. In text of ASCII
    letters (most English news; typographic punctuation allowed), only words
    starting like a term are analysed: a Snowball stem keeps its word's start
    but for its last two letters ("happi" <- "happy", "hope" <- "hoping"; see
    ``_prefixes`` for short stems), and accents, ligatures and wide letters,
    which fold to other letters, are absent. Other text is read word by word."""
    if not terms:
        return []
    if not _PLAIN_TEXT.fullmatch(text):
        return [m.span() for m in TOKEN_PATTERN.finditer(text) if term_of(m.group()) in terms]
    lowered = text.lower()  # ASCII and those marks: same length, same offsets
    starts = set()
    for prefix in _prefixes(frozenset(terms)):
        i = lowered.find(prefix)
        while i != -1:
            if _word_starts_at(text, i):
                starts.add(i)
            i = lowered.find(prefix, i + 1)
    spans = []
    for i in sorted(starts):
        m = TOKEN_PATTERN.match(text, i)
        if m is not None and term_of(m.group()) in terms:
            spans.append(m.span())
    return spans


@lru_cache(maxsize=1_000)
def _prefixes(terms: frozenset[str]) -> tuple[str, ...]:
    """How the words behind ``terms`` start: all but a stem's last two letters,
    and only the first letter of a short stem (Snowball's "dying" -> "die",
    "skies" -> "sky")."""
    return tuple({t[: len(t) - 2] if len(t) > 3 else t[:1] for t in terms})


def _word_starts_at(text: str, i: int) -> bool:
    """Whether TOKEN_PATTERN, reading ``text``, starts a token at ``i``."""
    if i == 0:
        return True
    before = text[i - 1]
    if before.isalnum() or before == "_":
        return False
    return not (before in _JOINERS and i >= 2 and (text[i - 2].isalnum() or text[i - 2] == "_"))


def _window(sent: tuple[int, int], hits: list[tuple[int, int]]) -> tuple[int, int]:
    """A word-bounded window of at most FRAGMENT_CHARS around a sentence's first matches."""
    start, end = sent
    if end - start <= FRAGMENT_CHARS:
        return sent
    first = hits[0][0]
    lo = max(start, first - FRAGMENT_CHARS // 3)
    return lo, min(end, lo + FRAGMENT_CHARS)


def _mark(text: str, lo: int, hi: int, hits: list[tuple[int, int]]) -> str:
    out, pos = [], lo
    for s, e in hits:
        if s < pos or e > hi:
            continue
        out.append(escape(text[pos:s]))
        out.append("<mark>" + escape(text[s:e]) + "</mark>")
        pos = e
    out.append(escape(text[pos:hi]))
    return "".join(out)


def _trim_to_words(text: str, lo: int, hi: int, bounds: tuple[int, int]) -> tuple[int, int]:
    if lo > bounds[0]:
        space = text.find(" ", lo, hi)
        lo = space + 1 if space != -1 else lo
    if hi < bounds[1]:
        space = text.rfind(" ", lo, hi)
        hi = space if space > lo else hi
    return lo, hi


def snippet_html(body: str, terms: Collection[str], fallback: str | None = None) -> str:
    """Up to MAX_FRAGMENTS sentences holding the most distinct matched words, in
    reading order; the fallback (summary or lead) when the body has no match."""
    text = body[:SCAN_CHARS]
    spans = match_spans(text, terms)
    if not spans:
        return escape(_cut(" ".join((fallback or body).split()), FALLBACK_CHARS))
    scored = []
    for idx, sent in enumerate(_sentences(text)):
        hits = [h for h in spans if sent[0] <= h[0] and h[1] <= sent[1]]
        if hits:
            distinct = len({text[s:e].casefold() for s, e in hits})
            scored.append((-distinct, -len(hits), idx, sent, hits))
    best = sorted(scored)[:MAX_FRAGMENTS]
    pieces, windows = [], []
    for *_rank, _idx, sent, hits in sorted(best, key=lambda r: r[2]):
        lo, hi = _trim_to_words(text, *_window(sent, hits), sent)
        pieces.append(" ".join(_mark(text, lo, hi, hits).split()))
        windows.append((lo, hi, sent))
    # The joiner marks the gaps between fragments; only the two ends need their
    # own ellipsis, when a fragment starts or stops inside its sentence.
    first, last = windows[0], windows[-1]
    prefix = "… " if first[0] > first[2][0] else ""
    suffix = " …" if last[1] < last[2][1] else ""
    return prefix + JOINER.join(pieces) + suffix


def highlight_html(text: str, terms: Collection[str]) -> str:
    """A short field (a title) escaped whole, with matched words marked."""
    return _mark(text, 0, len(text), match_spans(text, terms))
