"""Titles as sites print them: a headline joined to the outlet's name by a separator.

"Headline - Example Blog", "Example Blog | Headline", "Example: Headline": the
separated first and last parts of a title are where an outlet puts its name.
Which part is the name is learned across the outlet's pages (``templates``);
this module only splits titles the one way both the learning and the cutting
read them, so that a name learned from ``<title>`` is cut exactly where it
was seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# What joins a headline to a site or section name: a spaced bar, dash, dot or
# guillemet, a double colon, or a colon right after a word ("Example: Headline").
# A hyphen inside a word ("T-Shirt") is no separator.
SEPARATOR = re.compile(r"(\s+[|–—·•»›:-]\s+|\s*::\s+|(?<=\w):\s+)")


def fold(text: str) -> str:
    """Case and spacing folded, so that one name printed two ways compares equal."""
    return " ".join(text.split()).casefold()


def _pieces(title: str) -> list[str]:
    """Text, separator, text, ...: the title with its separators kept."""
    return SEPARATOR.split(" ".join(title.split()))


def _has_words(text: str) -> bool:
    return any(c.isalnum() for c in text)


_PAIRS = ("()", "[]", "{}", "“”", "«»")


def _balanced(text: str) -> bool:
    """Whether every bracket or quote the text opens it also closes: a
    separator inside "[Series: Part one]" splits no name from a headline."""
    return all(text.count(a) == text.count(b) for a, b in _PAIRS)


def _runs(title: str, side: str) -> Iterator[tuple[str, str]]:
    """Every run of separated parts at the title's ``side`` ("first" or "last"),
    shortest first, as ``(run, what is left beside it)``."""
    pieces = _pieces(title)
    for k in range(1, len(pieces) // 2 + 1):  # k parts, k - 1 separators between them
        if side == "first":
            run, rest = pieces[: 2 * k - 1], pieces[2 * k :]
        else:
            run, rest = pieces[len(pieces) - 2 * k + 1 :], pieces[: len(pieces) - 2 * k]
        yield "".join(run).strip(), "".join(rest).strip()


def name_candidates(title: str, side: str) -> Iterator[tuple[str, str]]:
    """The runs of separated parts at the title's ``side`` that leave words
    beside them: where an outlet's name could be, as ``(folded, printed)``."""
    for run, rest in _runs(title, side):
        if _has_words(run) and _has_words(rest) and _balanced(run):
            yield fold(run), run


def strip_site_names(title: str, names: tuple[str, ...]) -> str:
    """The title without any of ``names`` where one is a separated first or
    last part (longest name first), never down to nothing."""
    for name in sorted(names, key=len, reverse=True):
        target = fold(name)
        for side in ("first", "last"):
            for run, rest in _runs(title, side):
                if fold(run) == target and _has_words(rest):
                    title = rest
                    break
    return title
