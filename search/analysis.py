"""The one analyzer used for indexing and for queries, so both sides fold text alike.

Folding: NFKC (full-width letters, ligatures, no-break spaces), accents removed
(a reader types "Ferrandez" for "Ferrández"), case folded, curly apostrophes
straightened; then English stop words dropped and Snowball (Porter 2) stemming; Whoosh's
old Porter stemmer gets words like "running" wrong ("runn").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Filter, RegexTokenizer, StemFilter, StopFilter, Token

# Words joined by dots or apostrophes stay one token ("U.S.", "don't"), as in
# Whoosh's default tokenizer; FoldFilter then drops a possessive "'s" so that
# "Baghdadi's" finds "Baghdadi".
TOKEN_PATTERN = re.compile(r"\w+(?:[.'\u2019]\w+)*", re.UNICODE)
_POSSESSIVE = ("'s", "\u2019s")

# Whoosh's default English stop list: short and safe for phrases. Query-time
# stop words (question words and the like) live in querying.py.
INDEX_STOP_WORDS = frozenset(
    "a an and are as at be by can for from have if in is it may not of on or "
    "tbd that the this to us we when will with yet you your".split()
)
# Tokens shorter than this carry no meaning on their own ("s" of a possessive).
MIN_TOKEN_CHARS = 2
# Longer tokens are junk (base64, URLs glued together) and bloat the term index.
MAX_TOKEN_CHARS = 40


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """Unicode folding shared by tokens, facets and template lines."""
    text = unicodedata.normalize("NFKC", text)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).casefold().replace("\u2019", "'")


class FoldFilter(Filter):
    """Lower-cases and strips accents, keeping character offsets of the original."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = fold(t.text)
            if text.endswith(_POSSESSIVE):
                text = text[:-2]
            t.text = text
            yield t


def news_analyzer():
    """Tokenize, fold, drop stop words, stem: the analyzer of every text field."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | FoldFilter()
        | StopFilter(
            stoplist=INDEX_STOP_WORDS,
            minsize=MIN_TOKEN_CHARS,
            maxsize=MAX_TOKEN_CHARS,
            renumber=False,
        )
        | StemFilter(lang="en")
    )


def exact_analyzer():
    """Folding without stemming, for names (author, source) matched as typed."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | FoldFilter()
        | StopFilter(stoplist=(), minsize=1, maxsize=MAX_TOKEN_CHARS)
    )


def analyze(text: str) -> list[str]:
    """The terms a text turns into, for snippets, suggestions and tests."""
    return [t.text for t in ANALYZER(text)]


ANALYZER = news_analyzer()
