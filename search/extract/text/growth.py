"""Article text runs on over the sentences next to it.

The region classifier judges each line alone first, and a line that fails
alone (a sentence of figures without its full stop, a one-sentence paragraph)
leaves the paragraphs beyond it between two lines of boilerplate, where the
context rule drops them too. Once a block of text is found, it is grown line by
line over what reads as prose, up to the first line that does not: a menu item,
a headline, a share row or a box the shape rules named.
"""

from __future__ import annotations

from .lines import Line
from .region import DROPPED, EDGE_SENTENCE_STOP, GOOD, INLINE, SHORT_CHARS, STOP_SENTENCE

__all__ = ["grow_blocks"]


# A line with more than this share of its words capitalised is a headline or a
# name list, not a sentence (sentence-case prose, even thick with names, stays
# well under half).
HEADLINE_CAPS_SHARE = 0.5
# Fewer words are a label ("Read more.", "Sign in."), not a sentence.
SENTENCE_MIN_WORDS = 4


def _capitalised(line: Line) -> bool:
    words = [w for w in line.text.split() if w[:1].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) > HEADLINE_CAPS_SHARE * len(words)


def _sentence(line: Line, scale: float) -> bool:
    """A line that reads as prose: punctuated like sentences, thick with
    function words, not capitalised like a headline (a related link, a kicker)."""
    return (
        line.nwords >= SENTENCE_MIN_WORDS
        and line.prose
        and line.stop >= EDGE_SENTENCE_STOP * scale
        and not _capitalised(line)
    )


def _bridges(line: Line, scale: float) -> bool:
    """A line of paragraph length as dense in function words as a punctuated
    sentence must be, but without the punctuation (a sentence of figures whose
    full stop the page left out): text only when prose goes on after it."""
    return (
        line.chars >= SHORT_CHARS and line.stop >= STOP_SENTENCE * scale and not _capitalised(line)
    )


def grow_blocks(
    classes: list[str],
    alone: list[str],
    lines: list[Line],
    reasons: list[str | None],
    scale: float,
) -> list[str]:
    """Article text runs on over the sentences right after it (and before it),
    up to the first line that is none: one line judged alone (a sentence of
    figures, a short quote) must not strand the paragraphs beyond it."""
    out = list(classes)
    n = len(classes)
    for step in (1, -1):
        # Lines dropped by shape (captions, ad labels) sit inside articles: not counted.
        order = [i for i in range(n)[::step] if alone[i] not in (DROPPED, INLINE)]
        growing = False
        for k, i in enumerate(order):
            if classes[i] == GOOD:
                growing = True
            elif (
                growing
                and reasons[i] is None  # a shape rule (a teaser, a box) has spoken
                and (
                    _sentence(lines[i], scale)
                    or (
                        _bridges(lines[i], scale)
                        and k + 1 < len(order)
                        and _sentence(lines[order[k + 1]], scale)
                    )
                )
            ):
                out[i] = GOOD
            else:
                growing = False
    return out
