"""Highlighted snippets: the only code in the library that produces HTML.

Everything is escaped; the only markup added is ``<mark>`` around matched
words. Fragments are whole sentences (or word-bounded windows of long ones),
so a snippet never starts or ends mid-word.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from whoosh.analysis import RegexTokenizer, StemFilter, StopFilter

from ..analysis import ANALYZER, TOKEN_PATTERN, FoldFilter

# A snippet's length: about three lines of a results page at the usual width,
# so that five or six results fit on a desktop screen and three on a phone
# (four fragments of 620 characters fitted 2.5 and 1.5). A caller may ask for
# more (``SearchRequest.snippet_chars``): one fragment per FRAGMENT_SHARE
# characters, and a second fragment only when this much room is left for it.
SNIPPET_CHARS = 300
MIN_SNIPPET_CHARS = 80
MAX_SNIPPET_CHARS = 2_000
FRAGMENT_SHARE = 150
MIN_FRAGMENT_CHARS = 60
JOINER = " … "
# Most body characters scanned for matches. Beyond this the lead and summary
# describe the article well enough, and scanning more costs time per hit.
SCAN_CHARS = 30_000
# The fallback snippet (no match in the body): the lead, cut at a word.
FALLBACK_CHARS = 240

# Where a sentence ends: after ., !, ? or … (and closing quotes or brackets)
# and space, or at a line break. Sentences are the text between the matches
# of one scan of the text (``_sentences``).
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


def _sentences_of(text: str, hits: list[tuple[int, int]]) -> dict[tuple[int, int], list]:
    """The sentences of ``_sentences(text)`` that hold ``hits`` (word spans in
    text order), each with its hits, found around the hits alone.

    Scanning a whole long body for sentence ends (a look-behind tried at every
    character) was a third of a snippet's time, and the sentences without a
    hit are never used. A scan is started only where the whole text's scan
    would be between matches: a match never holds a word character nor one
    of .!?…, so after a word, at one of those, or where a match starts, a
    scan started there finds the same matches as the whole text's."""
    found: dict[tuple[int, int], list] = {}
    end = -1
    floor = 0  # where the last sentence end found starts (or the text does)
    current: list = []
    for hit in hits:
        if hit[0] >= end:
            start = _sentence_start(text, hit[0], floor)
            m = _SENTENCE_END.search(text, hit[1])
            end = floor = m.start() if m is not None else len(text)
            current = found.setdefault((start, end), [])
        current.append(hit)
    return found


def _sentence_start(text: str, i: int, floor: int) -> int:
    """Where the sentence holding the word at ``i`` starts: the end of the last
    sentence end before it, which starts at ``floor`` or later (or there is
    none, and ``floor`` is 0). Searched for from the nearest of .!?… before
    ``i``, and further back while none is found."""
    limit = i
    while True:
        anchor = max(  # one of .!?… (unrolled: a generator here was a tenth of a snippet)
            floor,
            text.rfind(".", floor, limit),
            text.rfind("!", floor, limit),
            text.rfind("?", floor, limit),
            text.rfind("…", floor, limit),
        )
        last = None
        for last in _SENTENCE_END.finditer(text, anchor, i):  # noqa: B007 (the last one)
            pass
        if last is not None:
            return last.end()
        if anchor == floor:
            return floor
        limit = anchor


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
    term = _ONE_TOKEN(word) if _ONE_TOKEN is not None else None
    if term is _ASK_ANALYZER:
        analysed = [t.text for t in ANALYZER(word)]
        term = analysed[0] if len(analysed) == 1 else None
    if len(_term_cache) >= TERM_CACHE_SIZE:
        _term_cache.clear()
    _term_cache[word] = term
    return term


_ASK_ANALYZER = object()


def _one_token_chain() -> Callable[[str], Any] | None:
    """ANALYZER's filters applied by hand to a word that is one whole token,
    without Whoosh's generators and Token objects (half a new word's cost;
    stemming is the other half). Only for the chain it knows: tokenizer,
    ``FoldFilter``, ``StopFilter``, ``StemFilter``, read from ANALYZER itself
    (None otherwise: the analyzer is asked). ``_ASK_ANALYZER`` for a word
    that is not one token."""
    items = list(getattr(ANALYZER, "items", ()))
    if [type(i) for i in items] != [RegexTokenizer, FoldFilter, StopFilter, StemFilter]:
        return None
    tokenizer, _folding, stop, stem = items
    if tokenizer.gaps or tokenizer.expression.pattern != TOKEN_PATTERN.pattern:
        return None
    stops, shortest, longest = stop.stops, stop.min, stop.max
    stemmed, unstemmed = stem._stem, stem.ignore
    whole = TOKEN_PATTERN.fullmatch

    def analyse(word: str) -> Any:
        if whole(word) is None:
            return _ASK_ANALYZER
        text = FoldFilter.fold_token(word)
        if len(text) < shortest or (longest is not None and len(text) > longest):
            return None
        if text in stops:
            return None
        return text if text in unstemmed else stemmed(text)

    return analyse


_ONE_TOKEN = _one_token_chain()


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
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ")
        return [m.span() for m in TOKEN_PATTERN.finditer(text) if term_of(m.group()) in terms]
    starts = set()
    for prefix in _prefixes(frozenset(terms)):
        i = lowered.find(prefix)
        while i != -1:
            if _word_starts_at(text, i):
                starts.add(i)
            i = lowered.find(prefix, i + 1)
    if not text.isascii() and not _PLAIN_TEXT.fullmatch(text):
        # Words with a letter outside ASCII ("José", "Élysée") may fold to a
        # term without starting like it: each is read whole. A body with one
        # accented name no longer has every word analysed.
        starts.update(_words_outside_ascii(text))
    spans = []
    for i in sorted(starts):
        m = TOKEN_PATTERN.match(text, i)
        if m is not None and term_of(m.group()) in terms:
            spans.append(m.span())
    return spans


# A word character outside ASCII.
_WIDE_LETTER = re.compile(r"[^\W\x00-\x7f]")


def _words_outside_ascii(text: str) -> list[int]:
    """Where the tokens holding a word character outside ASCII start."""
    starts = []
    end = -1  # the end of the last token found: its later letters are in it
    for m in _WIDE_LETTER.finditer(text):
        if m.start() < end:
            continue
        i = m.start()
        while not _word_starts_at(text, i):
            i -= 1
        while not _is_word(text[i]):  # back on a joiner: the token starts after it
            i += 1
        token = TOKEN_PATTERN.match(text, i)
        if token is not None:
            starts.append(i)
            end = token.end()
    return starts


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


# Snowball's special words whose stem is not spelt like the word's first two
# letters ("dying" -> "die"): every other three-letter stem is (checked on the
# 161,278 distinct words of newsmix 10k, Reuters and BBC: these three alone).
_SPECIAL_SHORT_STEMS = frozenset({"die", "lie", "tie"})


@lru_cache(maxsize=1_000)
def _prefixes(terms: frozenset[str]) -> tuple[str, ...]:
    """How the words behind ``terms`` start. Snowball (Porter 2) rewrites only
    a word's end, at most the last two letters of the stem kept ("happi" <-
    "happy", "hope" <- "hoping", "possibl" <- "possibility"): all but a stem's
    last two letters, and a three-letter stem's first two (its last letter
    alone changes: "sky" <- "skies", "tie" <- "ties"; but for
    ``_SPECIAL_SHORT_STEMS``, whose first letter is all that stays). Never
    past an apostrophe: the text may spell it ’, which folding straightens
    ("o'rourk" <- "O’Rourke"). A short prefix is costly: every word starting
    with it is analysed."""
    found = set()
    for t in terms:
        if len(t) > 3:
            prefix = t[: len(t) - 2]
        elif len(t) == 3 and t not in _SPECIAL_SHORT_STEMS:
            prefix = t[:2]
        else:
            prefix = t[:1]
        found.add(prefix.split("'", 1)[0] or t[:1])
    return tuple(found)


def _word_starts_at(text: str, i: int) -> bool:
    """Whether TOKEN_PATTERN, reading ``text``, starts a token at ``i``."""
    if i == 0:
        return True
    before = text[i - 1]
    if before.isalnum() or before == "_":
        return False
    return not (before in _JOINERS and i >= 2 and (text[i - 2].isalnum() or text[i - 2] == "_"))


def _window(sent: tuple[int, int], hits: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """A window of at most ``width`` characters around a sentence's first matches."""
    start, end = sent
    if end - start <= width:
        return sent
    first = hits[0][0]
    lo = max(start, first - width // 3)
    return lo, min(end, lo + width)


def _mark(text: str, lo: int, hi: int, hits: list[tuple[int, int]], marked: bool = True) -> str:
    if not marked:
        return text[lo:hi]
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


@dataclass(frozen=True)
class Snippet:
    html: str
    text: str


def snippet(
    body: str,
    terms: Collection[str],
    fallback: str | None = None,
    max_chars: int = SNIPPET_CHARS,
) -> Snippet:
    """The sentences holding the most distinct matched words, in reading order,
    within about ``max_chars`` characters (one fragment per FRAGMENT_SHARE of
    them); the fallback (summary or lead) when the body has no match. "…"
    stands wherever text is left out: before a fragment that does not open the
    article, between fragments, after one that does not end it."""
    text = body[:SCAN_CHARS]
    spans = match_spans(text, terms)
    if not spans:
        lead = _cut(" ".join((fallback or body).split()), min(max_chars, FALLBACK_CHARS))
        return Snippet(escape(lead), lead)
    scored = []
    for sent, hits in _sentences_of(text, spans).items():
        distinct = len({text[s:e].casefold() for s, e in hits})
        # A sentence's start stands for its place in the text.
        scored.append((-distinct, -len(hits), sent[0], sent, hits))
    most = max(1, max_chars // FRAGMENT_SHARE)
    budget = max_chars
    chosen = []
    for *_rank, idx, sent, hits in sorted(scored):
        if len(chosen) == most or (chosen and budget < MIN_FRAGMENT_CHARS):
            break
        lo, hi = _trim_to_words(text, *_window(sent, hits, budget), sent)
        chosen.append((idx, lo, hi, hits))
        budget -= hi - lo
    chosen.sort()
    parts_html, parts_text = [], []
    for _idx, lo, hi, hits in chosen:
        parts_html.append(" ".join(_mark(text, lo, hi, hits).split()))
        parts_text.append(" ".join(text[lo:hi].split()))
    first, last = chosen[0], chosen[-1]
    prefix = "… " if text[: first[1]].strip() else ""
    suffix = " …" if body[last[2] :].strip() else ""
    return Snippet(
        prefix + JOINER.join(parts_html) + suffix, prefix + JOINER.join(parts_text) + suffix
    )


def snippet_html(body: str, terms: Collection[str], fallback: str | None = None) -> str:
    return snippet(body, terms, fallback).html


def highlight_html(text: str, terms: Collection[str]) -> str:
    """A short field (a title) escaped whole, with matched words marked."""
    return _mark(text, 0, len(text), match_spans(text, terms))
