"""Paragraphs back from hard-wrapped text, before any line is judged.

Wire copy, e-mail and text saved from a terminal break every paragraph at a
fixed width (60-80 columns). Every later rule reads one paragraph per line, so
a wrapped paragraph must be one line again first, or its short last line is all
that looks like prose. The width is learned per file: a greedy wrapper fills
each line until the next word no longer fits, so in a wrapped file many lines
end within one word of the same right edge and no line with a space passes
it. A line is then continued by the next one when the next line's first word
would not have fitted after it (the wrapper's own rule, run backwards); where it
would have fitted, the break was the writer's. Files written one paragraph per
line have no such edge and are left as they are.

The one case layout cannot settle is a paragraph whose last line happens to
reach the edge: it looks exactly like a wrapped line. Where the file marks
paragraphs with blank lines (its wrapped paragraphs end at one), the next line
of text is the same paragraph. Where it does not, a line ending a sentence at
the edge before a capital is taken as a paragraph end: cutting a paragraph
between two sentences leaves two paragraphs of prose, while gluing a story's
paragraph to the headline or byline under it spoils both.
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
# A file marks its paragraphs with blank lines when more than this share of
# its wrapped (multi-line) paragraphs end at one: a majority, not a fitted value.
BLANK_SEPARATED_SHARE = 0.5

_QUOTE = re.compile(r"^(?:\s*>)+ ?")
_BULLET = re.compile(r"^(?:[-*•·–—]|\d{1,3}[.)]|[a-z][.)])\s")
# A sentence's end (closing quotes and brackets may follow the stop), and what
# opens the next one: a capital, an opening quote or bracket, or a character
# of a script without case.
_SENTENCE_END = re.compile(r"[.!?…。！？]['\"’”»)\]」』]*$")
# Kana, CJK ideographs and punctuation, full-width forms: scripts without spaces.
_UNSPACED = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_SENTENCE_OPENERS = "\"'‘“«„(["


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
    if not nxt.text:
        return False
    # A word longer than the width (a URL, a paragraph of Chinese or Japanese,
    # written without spaces) is cut to fill the line it starts on; between two
    # characters of such a script a wrapper may break anywhere (the next "word"
    # is one character). Either way the line before reaches the edge.
    word = len(nxt.first_word)
    if word > width:
        word = 0
    elif _UNSPACED.match(row.text[-1:]) and _UNSPACED.match(nxt.text[:1]):
        word = 1
    return row.length + 1 + word > width


def wrap_width(rows: list[_Row]) -> int | None:
    """The width the file was wrapped at, or None when it was not wrapped."""
    # Lines a wrapper could break: with a space, or in a script without spaces.
    spaced = sorted(
        (r.length for r in rows if " " in r.text or _UNSPACED.search(r.text)), reverse=True
    )
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


def _sentence_break(row: _Row, nxt: _Row) -> bool:
    """Whether a sentence ends with ``row`` and a new one opens ``nxt``."""
    first = nxt.text[:1]
    opens = first.isupper() or first in _SENTENCE_OPENERS or bool(_UNSPACED.match(first))
    return opens and bool(_SENTENCE_END.search(row.text))


def _blank_separated(rows: list[_Row], width: int) -> bool:
    """Whether the file's wrapped paragraphs end at a blank line (then a line
    that reaches the edge never ends a paragraph on its own)."""
    ends = blank = 0
    for k in range(1, len(rows)):
        row = rows[k]
        if not row.text or not _runs_on(rows[k - 1], row, width):
            continue  # not the continuation of a wrapped line
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        if nxt is None:
            continue
        if not nxt.text:
            ends += 1
            blank += 1
        elif not _runs_on(row, nxt, width):
            ends += 1
    return ends > 0 and blank > BLANK_SEPARATED_SHARE * ends


def _join(left: str, right: str) -> str:
    # The wrapper breaks after a hyphen ("well-" / "known"): the word is whole again.
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha():
        return left + right
    # Text without spaces was cut between two of its characters.
    if _UNSPACED.match(left[-1:]) and _UNSPACED.match(right[:1]):
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
    blank_separated = _blank_separated(rows, width)
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
            and (blank_separated or not _sentence_break(previous, row))
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
