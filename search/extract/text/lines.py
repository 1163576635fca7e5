"""Per-line features shared by the boilerplate shapes and the region classifier."""

from __future__ import annotations

import re
import unicodedata

from .paragraphs import unwrap
from .stopwords import STOPWORDS

_SPACE = re.compile(r"\s+")
WORD = re.compile(r"\w+(?:['’]\w+)*")
# Sentence-final punctuation, including closing quotes/brackets after it and the
# CJK full stops, so that quoted sentences and Asian prose count as sentences.
_TERMINAL = re.compile(r"[.!?…。！？]['\"’”»)\]]*$")

# A sentence ending followed by the next sentence's capital.
_SENTENCE_BREAK = re.compile(r"[a-z][.!?…]['\"’”»)\]]*\s+['\"‘“«(]?[A-Z]")
# A document's language is the one whose stop words cover most of its tokens;
# below this share no list fits (an unlisted language, or a page of links) and
# the classifier falls back to punctuation. Prose in a listed language runs at
# 0.3-0.5; link lists and unlisted languages at 0.0-0.08 on the benchmark pages.
MIN_LANGUAGE_SHARE = 0.1


# word -> languages listing it, so one dict lookup per token instead of one per list.
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in STOPWORDS.items():
    for _word in _words:
        _LANGUAGES_OF[_word] = (*_LANGUAGES_OF.get(_word, ()), _lang)


def clean_line(line: str) -> str:
    """Fold no-break and other odd spaces so that shapes and equality work on plain text."""
    if not line.isascii():
        line = unicodedata.normalize("NFKC", line)
    return _SPACE.sub(" ", line).strip()


class Line:
    """One non-blank line of the document and the cheap facts rules look at."""

    __slots__ = ("chars", "index", "lower", "prose", "stop", "terminal", "text", "words")

    def __init__(self, index: int, text: str) -> None:
        self.index = index
        self.text = text
        self.lower = text.casefold()
        self.words = WORD.findall(self.lower)
        self.chars = len(text)
        self.terminal = bool(_TERMINAL.search(text))
        # Punctuated like prose: ends a sentence, or holds a sentence break.
        self.prose = self.terminal or bool(_SENTENCE_BREAK.search(text))
        self.stop = 0.0  # stop-word share, filled in once the language is known

    @property
    def nwords(self) -> int:
        return len(self.words)


def split_lines(text: str) -> list[Line]:
    """The document's non-blank lines, hard-wrapped paragraphs rejoined first."""
    lines = []
    for raw in unwrap(text):
        cleaned = clean_line(raw)
        if cleaned:
            lines.append(Line(len(lines), cleaned))
    return lines


def language_of(words: list[str]) -> str | None:
    """The language (ISO 639-1 code) whose stop words cover most of ``words``
    (folded to lower case), or None when none covers enough of them."""
    counts = dict.fromkeys(STOPWORDS, 0)
    for word in words:
        for lang in _LANGUAGES_OF.get(word, ()):
            counts[lang] += 1
    if not words:
        return None
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] >= MIN_LANGUAGE_SHARE * len(words) else None


def pick_stopwords(lines: list[Line]) -> frozenset[str] | None:
    """The stop-word list of the document's language, or None when none fits."""
    language = language_of([word for line in lines for word in line.words])
    return STOPWORDS[language] if language is not None else None


def fill_stop_share(lines: list[Line], stopwords: frozenset[str] | None) -> None:
    for line in lines:
        if stopwords is None or not line.words:
            line.stop = 0.0
        else:
            line.stop = sum(w in stopwords for w in line.words) / len(line.words)
