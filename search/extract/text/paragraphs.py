"""Paragraphs back from hard-wrapped text, before any line is judged.

Wire copy, e-mail and text saved from a terminal break every paragraph at a
fixed width (60-80 columns). Every later rule reads one paragraph per line, so
a wrapped paragraph must be one line again first, or its short last line is all
that looks like prose. The width is learned per file: a greedy wrapper fills
each line until the next word no longer fits, so in a wrapped file many lines
end within one word of the same right edge and no line with a space passes
it. A line is then continued by the next one exactly when the next line's first
word would not have fitted after it (the wrapper's own rule, run backwards);
where it would have fitted, the break was the writer's. Files written one
paragraph per line have no such edge and are left as they are.
"""

from __future__ import annotations

import itertools
import re

# Widths people wrap at: 60-80 columns is the custom (RFC 2822 asks for 78),
# some tools use 100-132. A file whose longest lines run past this was not
# wrapped to a width.
MAX_WRAP_WIDTH = 160
MIN_WRAP_WIDTH = 30
# Evidence that a file is wrapped: at least this many lines end within
# EDGE_COLUMNS of the learned edge and run on into the next line (one
# paragraph of four lines gives three). On the dev sets' pages, unwrapped
# files whose lines all stay under MAX_WRAP_WIDTH had at most two such lines.
MIN_WRAPPED_LINES = 3
# A wrapper leaves at most one word's room at the edge: words of news prose
# are rarely longer than this.
EDGE_COLUMNS = 15
# ... and, in cased scripts, this many of them continue with a lowercase
# word: a sentence going on across the break. Lines of a headline list that
# happen to be of similar length continue with a capital; a Title-Case page
# still breaks some sentences mid-way.
MIN_LOWERCASE_LINES = 2
# Lines with a space allowed past the edge: a wrapped file may carry an
# unwrapped header line or two (a subject, a long headline).
OUTLIER_SHARE = 0.02
TAB_WIDTH = 8

_QUOTE = re.compile(r"^(?:\s*>)+ ?")
_BULLET = re.compile(r"^(?:[-*•·–—]|\d{1,3}[.)]|[a-z][.)])\s")


class _Row:
    __slots__ = ("first_word", "indent", "length", "quote", "text")

    def __init__(self, raw: str) -> None:
        line = raw.expandtabs(TAB_WIDTH).rstrip()
        quote = _QUOTE.match(line)
        self.quote = quote.group(0).count(">") if quote else 0
        body = line[quote.end() :] if quote else line
        self.text = body.strip()
        self.indent = len(body) - len(body.lstrip())
        self.length = len(line)
        self.first_word = self.text.split(" ", 1)[0] if self.text else ""


def _runs_on(row: _Row, nxt: _Row, width: int) -> bool:
    """Whether the wrapper, not the writer, broke the line before ``nxt``."""
    return bool(nxt.text) and row.length + 1 + len(nxt.first_word) > width


def wrap_width(rows: list[_Row]) -> int | None:
    """The width the file was wrapped at, or None when it was not wrapped."""
    spaced = sorted((r.length for r in rows if " " in r.text), reverse=True)
    if not spaced:
        return None
    outliers = int(len(spaced) * OUTLIER_SHARE) + 1
    for width in dict.fromkeys(spaced[:outliers]):
        if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
            continue
        followers = [
            nxt.first_word[:1]
            for row, nxt in itertools.pairwise(rows)
            if width - EDGE_COLUMNS <= row.length <= width
            and row.quote == nxt.quote
            and _runs_on(row, nxt, width)
        ]
        if len(followers) < MIN_WRAPPED_LINES:
            continue
        cased = [c for c in followers if c.isupper() or c.islower()]
        uncased_script = 2 * len(cased) < len(followers)  # Korean, Arabic, Chinese...
        if uncased_script or sum(c.islower() for c in cased) >= MIN_LOWERCASE_LINES:
            return width
    return None


def _join(left: str, right: str) -> str:
    # The wrapper breaks after a hyphen ("well-" / "known"): the word is whole again.
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha():
        return left + right
    return left + " " + right


def unwrap(text: str) -> list[str]:
    """The text's lines with wrapped paragraphs rejoined; blank lines stay as ''.

    Handles CRLF and lone CR line ends, tabs, first-line indents (a new
    paragraph), indented or ``>``-quoted blocks (joined only within
    themselves) and list items (always a new line).
    """
    rows = [_Row(raw) for raw in text.splitlines()]
    width = wrap_width(rows)
    if width is None:
        return [row.text for row in rows]
    out: list[str] = []
    previous: _Row | None = None
    lines_in_paragraph = 0
    for row in rows:
        joins = (
            previous is not None
            and previous.text
            and row.text
            and previous.quote == row.quote
            and not _BULLET.match(row.text)
            and _runs_on(previous, row, width)
            # An indented line opens a paragraph or a quote; a flush line
            # after an indented one continues it only when that one opened
            # its paragraph (the wire's first-line indent).
            and (
                row.indent == previous.indent
                or (row.indent < previous.indent and lines_in_paragraph == 1)
            )
        )
        if joins:
            out[-1] = _join(out[-1], row.text)
            lines_in_paragraph += 1
        else:
            out.append(row.text)
            lines_in_paragraph = 1 if row.text else 0
        previous = row
    return out
