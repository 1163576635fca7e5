"""The section a news page files its story under ("Politics", "Business › Work").

Pages declare it (``article:section``, JSON-LD ``articleSection``) or print it
as a kicker just above the headline: a word or two in capitals (``POLITICS``)
or a short breadcrumb (``Business › Work``). A kicker is recognised by that
shape alone, never by a list of section names, so any outlet's sections are
found. Both the HTML and the text extractors ask ``kicker``.
"""

from __future__ import annotations

import re

# A kicker is a label, not a sentence: at most this many words in each part of
# a breadcrumb and this many parts. Chosen by reading kickers ("BUSINESS ›
# WORK", "U.S. NEWS", "CLIMATE CRISIS"): a three-word part is already rare,
# and a headline has more words than that.
KICKER_MAX_WORDS = 3
KICKER_MAX_PARTS = 3
# Longest section name kept (a declared value longer than this is not a name).
SECTION_MAX_CHARS = 60
# What joins a breadcrumb's parts.
_SEPARATOR = re.compile(r"\s*[›»>|]\s*")
_SENTENCE_END = (".", "!", "?", ",", ":", ";")
# A run of letters: "U.S. NEWS" title-cases to "U.S. News".
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def kicker(text: str, linked: bool = False) -> str | None:
    """The section a kicker line names, or None when the line is not kicker-shaped:
    one to KICKER_MAX_PARTS short parts, no figures or sentence punctuation,
    and either all in capitals, joined by a breadcrumb separator, or (``linked``)
    a page's one link to the section it names (``<a href="/news/">News</a>``,
    whose capitals may be the style sheet's)."""
    text = " ".join(text.split())
    if not text or len(text) > SECTION_MAX_CHARS or text.endswith(_SENTENCE_END):
        return None
    parts = _SEPARATOR.split(text)
    if not 1 <= len(parts) <= KICKER_MAX_PARTS or not all(parts):
        return None
    if any(len(p.split()) > KICKER_MAX_WORDS for p in parts) or any(c.isdigit() for c in text):
        return None
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    if len(parts) == 1 and not linked and not all(c.isupper() for c in letters):
        return None  # a short line in ordinary case is a label of anything
    return section_name(" › ".join(parts))


def section_name(value: object) -> str | None:
    """A declared section as one display name: the first of a list, breadcrumb
    separators as ``›``, capitals as title case ("POLITICS" → "Politics")."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if not isinstance(value, str):
        return None
    parts = [" ".join(p.split()) for p in _SEPARATOR.split(value.strip())]
    text = " › ".join(p for p in parts if p)
    if not text or len(text) > SECTION_MAX_CHARS:
        return None
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        text = _LETTER_RUN.sub(lambda m: m[0][0] + m[0][1:].lower(), text)
    return text
