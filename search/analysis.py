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

# Whoosh's default English stop list, short and safe for phrases, less "us":
# in news it is mostly "US". The longer query-time list is QUERY_STOP_WORDS below.
_INDEX_STOP_LIST = (
    "a an and are as at be by can for from have if in is it may not of on or "
    "tbd that the this to we when will with yet you your"
)
INDEX_STOP_WORDS = frozenset(_INDEX_STOP_LIST.split())
# Tokens shorter than this carry no meaning on their own ("s" of a possessive).
MIN_TOKEN_CHARS = 2
# Longer tokens are junk (base64, URLs glued together) and bloat the term index.
MAX_TOKEN_CHARS = 40


# Words that phrase a question or a request rather than name its topic, dropped
# from the plain words of a query (never from phrases, and never when nothing
# would be left): "what did the court decide about the voter ID law" searches
# like "court decide voter ID law". Matched on the folded word as typed, before
# stemming, so "interested" goes but "interest rates" stays. Three groups:
# the Snowball project's English stop list (function words and contractions),
# a few more function words, and the vocabulary of asking for documents
# ("please send any articles describing ..."), as in the CACM, CISI, LISA and
# NPL request texts and in questions typed into a news search box.
_QUERY_STOP_LIST = (
    # Snowball English stop list
    "i me my myself we our ours ourselves you your yours yourself yourselves he him "
    "his himself she her hers herself it its itself they them their theirs themselves "
    "what which who whom whose this that these those am is are was were be been being "
    "have has had having do does did doing would should could ought i'm you're he's "
    "she's it's we're they're i've you've we've they've i'd you'd he'd she'd we'd "
    "they'd i'll you'll he'll she'll we'll they'll isn't aren't wasn't weren't hasn't "
    "haven't hadn't doesn't don't didn't won't wouldn't shan't shouldn't can't cannot "
    "couldn't mustn't let's that's who's what's here's there's when's where's why's "
    "how's a an the and but if or because as until while of at by for with about "
    "against between into through during before after above below to from up down in "
    "out on off over under again further then once here there when where why how all "
    "any both each few more most other some such no nor not only own same so than too "
    "very "
    # more function words
    "us can will may might must shall also etc e.g i.e eg ie upon within without via per "
    "whether either neither yet however thus therefore among amongst toward towards "
    "like "
    # asking for documents
    "tell find show give list know known want wish looking look please pleased "
    "grateful interested describe describes described describing description discuss "
    "discusses discussed discussing discussion concerning concerned regarding relating "
    "related especially particularly particular anything something anyone someone "
    "articles article papers paper documents document information available possible "
    "receive send"
)
QUERY_STOP_WORDS = frozenset(_QUERY_STOP_LIST.split())


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
            t.text = self.fold_token(t.text)
            yield t

    @staticmethod
    def fold_token(text: str) -> str:
        """One token's folded text (snippets apply the chain to one word by hand)."""
        text = fold(text)
        return text[:-2] if text.endswith(_POSSESSIVE) else text


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

# The analysed forms of QUERY_STOP_WORDS, for words that arrive stemmed
# (pseudo-relevance feedback must not add them back to a query).
QUERY_STOP_TERMS = frozenset(t for w in QUERY_STOP_WORDS for t in analyze(w))


def spelling_words(text: str) -> frozenset[str]:
    """The distinct unstemmed, folded words of a text: what did-you-mean and
    suggestions offer (words readers see in articles, not stems).

    The analyzer's tokens without its stemmer (``ANALYZER(text, no_morph=True)``),
    made without its chain of generators, a Token object a word: every
    article's body goes through here in the build, at 2.3 times the speed
    (tests/test_analysis.py holds the two equal)."""
    words = set()
    for token in TOKEN_PATTERN.findall(text):
        word = fold(token)
        if word.endswith(_POSSESSIVE):
            word = word[:-2]
        if MIN_TOKEN_CHARS <= len(word) <= MAX_TOKEN_CHARS and word not in INDEX_STOP_WORDS:
            words.add(word)
    return frozenset(words)
