"""Which lines are article text: a jusText-style classification of lines in context.

A line is first judged alone: long and dense in stop words is prose ("good"),
a few words is "short" (a nav item, or a short paragraph or quote), in between
is "near", long but without function words is a link list or tag cloud
("bad"). Then context decides the short and near lines: a short line between
article paragraphs is a paragraph, a short line among bad ones is navigation.
"""

from __future__ import annotations

from .lines import Line

GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"

# Lines shorter than this are judged by their neighbours: a nav item and a
# one-sentence quote look alike alone. jusText's length_low (70) on paragraphs.
SHORT_CHARS = 70
# Above this a stop-word-dense line is prose outright. jusText's length_high.
LONG_CHARS = 200
# Stop-word share of prose vs lists: jusText's stopwords_high / stopwords_low
# (0.32 / 0.30), which match English prose (0.35-0.5) vs menus (< 0.2).
STOP_HIGH = 0.32
STOP_LOW = 0.30


def _alone(line: Line, has_language: bool) -> str:
    if line.chars < SHORT_CHARS:
        return SHORT
    if not has_language:
        # No stop-word list for this language: sentences end in punctuation.
        if not line.terminal:
            return BAD
        return GOOD if line.chars > LONG_CHARS else NEAR
    if line.stop >= STOP_HIGH:
        return GOOD if line.chars > LONG_CHARS else NEAR
    return NEAR if line.stop >= STOP_LOW else BAD


def _neighbour(classes: list[str], i: int, step: int, skip: frozenset[str]) -> str:
    i += step
    while 0 <= i < len(classes):
        if classes[i] not in skip:
            return classes[i]
        i += step
    return BAD  # the document's edge counts as boilerplate


_SKIP_SHORT = frozenset({SHORT})
_SKIP_SHORT_NEAR = frozenset({SHORT, NEAR})


def classify(lines: list[Line], dropped: list[bool], has_language: bool) -> list[str]:
    """GOOD for every line that belongs to the article text, another class otherwise."""
    first = [
        BAD if gone else _alone(line, has_language)
        for line, gone in zip(lines, dropped, strict=True)
    ]
    final = list(first)
    for i, kind in enumerate(first):
        if kind != SHORT:
            continue
        before = _neighbour(first, i, -1, _SKIP_SHORT_NEAR)
        after = _neighbour(first, i, 1, _SKIP_SHORT_NEAR)
        if before == after:
            final[i] = before
        elif (before == BAD and _neighbour(first, i, -1, _SKIP_SHORT) == NEAR) or (
            after == BAD and _neighbour(first, i, 1, _SKIP_SHORT) == NEAR
        ):
            final[i] = GOOD
        else:
            final[i] = BAD
    for i, kind in enumerate(first):
        if kind != NEAR:
            continue
        before = _neighbour(first, i, -1, _SKIP_SHORT_NEAR)
        after = _neighbour(first, i, 1, _SKIP_SHORT_NEAR)
        final[i] = BAD if before == after == BAD else GOOD
    return final
