"""Which lines are article text: a jusText-style classification of lines in context.

A line is first judged alone: long and dense in stop words is prose ("good"),
a few words is "short" (a nav item, or a short paragraph or quote), in between
is "near", long but without function words is a link list or tag cloud
("bad"). Then context decides the short and near lines: a short line between
article paragraphs is a paragraph, a short line among bad ones is navigation.
"""

from __future__ import annotations

import re

from .lines import Line
from .meta import find_date

GOOD, NEAR, SHORT, BAD, DROPPED = "good", "near", "short", "bad", "dropped"
INLINE = "inline"

# Lines shorter than this are judged by their neighbours: a nav item and a
# one-sentence quote look alike alone. jusText's length_low (70) on paragraphs.
SHORT_CHARS = 70
# Above this a stop-word-dense line is prose outright. jusText's length_high.
LONG_CHARS = 200
# Stop-word share of prose vs lists: jusText's stopwords_high / stopwords_low
# (0.32 / 0.30), which match English prose (0.35-0.5) vs menus (< 0.2).
STOP_HIGH = 0.32
STOP_LOW = 0.30
# A punctuated sentence thick with names and figures ("Officers arrested J. D.
# Doe, 33, of 21 Elm Place, police said.") is prose at a lower share; link
# lists and tag clouds do not end in a full stop.
STOP_SENTENCE = 0.1
# Median stop-word share of English news prose lines (0.43 on the benchmark's
# true article text).
ENGLISH_PROSE_SHARE = 0.45
# Lines long enough to estimate a document's prose, and how many are needed.
SCALE_MIN_WORDS = 12
SCALE_MIN_LINES = 5
# Never scale thresholds below half: under that, lists would pass as prose.
SCALE_FLOOR = 0.5
# An unpunctuated line of headline length needs this share to pass as text.
STOP_HEADLINE = 0.5
# A short line touching the text is kept when it is a sentence this dense in
# stop words (English prose runs 0.35-0.5; "Sign in." or "Photo: AP." do not).
EDGE_SENTENCE_STOP = 0.3
# A run of consecutive prose-like lines this long is article text even when no
# single line is long: one-sentence paragraphs, as tabloids and wires write.
RUN_CHARS = 400
# ...of at least two lines: one long line of middling prose is a footer or a
# disclaimer as often as a paragraph.
RUN_MIN_LINES = 2


def stop_scale(lines: list[Line]) -> float:
    """How dense in stop words this document's prose is, relative to English.

    The thresholds above fit English; prose in languages without articles
    (Russian, Indonesian) or with a shorter list runs at lower shares. The
    upper quartile of the long lines' shares estimates the document's prose.
    """
    shares = sorted(line.stop for line in lines if line.nwords >= SCALE_MIN_WORDS)
    if len(shares) < SCALE_MIN_LINES:
        return 1.0
    typical = shares[(len(shares) * 3) // 4]
    return max(SCALE_FLOOR, min(1.0, typical / ENGLISH_PROSE_SHARE))


def _alone(line: Line, has_language: bool, scale: float = 1.0) -> str:
    if line.chars < SHORT_CHARS:
        return SHORT
    if not has_language:
        # No stop-word list for this language: sentences end in punctuation.
        if not line.prose:
            return BAD
        return GOOD if line.chars > LONG_CHARS else NEAR
    if line.stop >= STOP_HIGH * scale:
        return GOOD if line.chars > LONG_CHARS else NEAR
    if line.stop >= STOP_LOW * scale or (line.prose and line.stop >= STOP_SENTENCE * scale):
        return NEAR
    return BAD


def _neighbours(classes: list[str], skip: frozenset[str]) -> tuple[list[str], list[str]]:
    """For each line, the class of the nearest line before and after it that is
    not in ``skip`` (one pass each way, so long menus stay linear)."""
    n = len(classes)
    before, after = [BAD] * n, [BAD] * n  # the document's edges count as boilerplate
    last = BAD
    for i in range(n):
        before[i] = last
        if classes[i] not in skip:
            last = BAD if classes[i] == DROPPED else classes[i]
    last = BAD
    for i in range(n - 1, -1, -1):
        after[i] = last
        if classes[i] not in skip:
            last = BAD if classes[i] == DROPPED else classes[i]
    return before, after


# Lines dropped by a shape rule (captions, "Related:" links) sit *inside*
# articles as often as around them, so context looks through them.
_SKIP_SHORT = frozenset({SHORT, INLINE})
_SKIP_SHORT_NEAR = frozenset({SHORT, NEAR, INLINE})


def judge_alone(lines: list[Line], reasons: list[str | None], has_language: bool) -> list[str]:
    """Each line's class from its own features and the shape rule that dropped it.

    Lines of a related-stories box are BAD like any other link list; other
    shape drops (captions, promos, labels) are DROPPED: boilerplate that sits
    inside articles as often as outside them.
    """
    out = []
    scale = stop_scale(lines) if has_language else 1.0
    for line, reason in zip(lines, reasons, strict=True):
        if reason is None:
            out.append(_alone(line, has_language, scale))
        else:
            out.append(
                BAD if reason in _BOX_REASONS else INLINE if reason in _INLINE_REASONS else DROPPED
            )
    return out


_BOX_REASONS = frozenset({"section", "related", "teaser"})
_INLINE_REASONS = frozenset({"ad"})


def _promote_runs(first: list[str], lines: list[Line]) -> list[str]:
    """NEAR lines in a run of prose long enough to be a paragraph group become GOOD."""
    out = list(first)
    run: list[int] = []
    chars = 0

    def close() -> None:
        if chars >= RUN_CHARS and len(run) >= RUN_MIN_LINES:
            for j in run:
                out[j] = GOOD

    for i, kind in enumerate(first):
        if kind in (DROPPED, INLINE):
            continue
        if kind in (NEAR, GOOD):
            run.append(i)
            chars += lines[i].chars
        else:
            close()
            run, chars = [], 0
    close()
    return out


def in_context(first: list[str], lines: list[Line]) -> list[str]:
    """GOOD for every line that belongs to the article text, another class otherwise."""
    first = _promote_runs(first, lines)
    final = list(first)
    before, after = _neighbours(first, _SKIP_SHORT_NEAR)
    before_near, after_near = _neighbours(first, _SKIP_SHORT)
    for i, kind in enumerate(first):
        if kind == NEAR:
            final[i] = BAD if before[i] == after[i] == BAD else GOOD
        elif kind != SHORT:
            continue
        elif before[i] == after[i]:
            final[i] = before[i]
        elif (before[i] == BAD and before_near[i] == NEAR) or (
            after[i] == BAD and after_near[i] == NEAR
        ):
            final[i] = GOOD
        elif (
            lines[i].terminal
            and lines[i].stop >= EDGE_SENTENCE_STOP
            and ((i > 0 and first[i - 1] == GOOD) or (i + 1 < len(first) and first[i + 1] == GOOD))
        ):
            # A short sentence right against the text ("He was 84." at the end).
            final[i] = GOOD
        else:
            final[i] = BAD
    return final


# A reader-comments section opens with a short label ("12 Comments", "Leave a
# Reply", "Join the conversation", "comments powered by ..."). Comments are
# prose, so the classifier keeps them; the label is where the article ends.
_COMMENTS_LABEL = re.compile(r"\b(?:comments?|replies|responses|discussion|conversation)\b")
# Labels are a few words; "Posted in Section | Permalink | 10 Comments" is seven.
COMMENTS_LABEL_MAX_WORDS = 8
# A comment's own header: "Name on May 4, 2019 at 6:34 am said:". The date
# (a digit) keeps an article's "In a statement, the company said:" out.
_COMMENT_HEADER = re.compile(r"\d.*\b(?:said|says|wrote|writes):$")
COMMENT_HEADER_MAX_WORDS = 14
# The label only ends an article that has just run: this much text judged good
# must come in the lines right before it (a comment count under the headline,
# below the menus, has none).
COMMENTS_AFTER_CHARS = 200
COMMENTS_AFTER_LINES = 30


def _comments_start(i: int, lines: list[Line], reasons: list[str | None]) -> bool:
    line = lines[i]
    if line.nwords <= COMMENT_HEADER_MAX_WORDS and _COMMENT_HEADER.search(line.lower):
        return True
    if line.nwords > COMMENTS_LABEL_MAX_WORDS or not _COMMENTS_LABEL.search(line.lower):
        return False
    if line.lower.startswith("by "):
        return False  # "by Name 0 Comments": the byline's comment count
    # A comment count among share buttons ("Twitter", "Print") is part of the row.
    return not any(
        0 <= j < len(lines) and reasons[j] == "share" and not _COMMENTS_LABEL.search(lines[j].lower)
        for j in (i - 1, i + 1)
    )


# A comment's time stamp: "6:34 am", "3 hours ago", or a date with a clock
# ("Mar 26, 2007 14:02"). Comments carry one each; an article's paragraphs
# and a page's menus rarely do (a bare "2:23" is a video's length).
_STAMP = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?\s*[ap]\.?m\b"
    r"|\b\d+\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\b"
)
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
# A label right above more text than it would keep (a "Comments" tab above
# the story, below a reprints notice) needs a second signal: this many short
# lines after it that read as comment headers (a stamp, "said:"). Chosen on
# Dragnet, reported on Scrapinghub.
COMMENT_MIN_HEADERS = 2


def _comment_headers(lines: list[Line], start: int) -> int:
    return sum(
        1
        for line in lines[start + 1 :]
        if line.nwords <= COMMENT_HEADER_MAX_WORDS
        and (
            _STAMP.search(line.lower)
            or _COMMENT_HEADER.search(line.lower)
            or (_CLOCK.search(line.lower) and find_date(line.text) is not None)
        )
    )


def _block_after(i: int, lines: list[Line], classes: list[str], reasons: list[str | None]) -> int:
    """Characters of the text judged good that starts right below line ``i``:
    one block, ended by a gap of CLUSTER_GAP_LINES lines (lines dropped by
    shape, a byline or a caption, do not count)."""
    chars = gap = 0
    for j in range(i + 1, len(classes)):
        if classes[j] == GOOD:
            chars += lines[j].chars
            gap = 0
        elif reasons[j] is None:
            gap += 1
            if gap >= CLUSTER_GAP_LINES:
                break
    return chars


def cut_comments(classes: list[str], reasons: list[str | None], lines: list[Line]) -> list[str]:
    """Drop everything from a comments label that follows the start of the article.

    Where the block of text right below the label is larger than all the text
    above it, the cut is made only when comment headers follow the label: a
    label alone is as often a tab or link right above the story ("Article |
    Comments | Stock Quotes").
    """
    for i in range(len(lines)):
        if classes[i] != GOOD and _comments_start(i, lines, reasons):
            window = range(max(0, i - COMMENTS_AFTER_LINES), i)
            if sum(lines[j].chars for j in window if classes[j] == GOOD) < COMMENTS_AFTER_CHARS:
                continue
            kept = sum(lines[j].chars for j in range(i) if classes[j] == GOOD)
            if (
                _block_after(i, lines, classes, reasons) > kept
                and _comment_headers(lines, i) < COMMENT_MIN_HEADERS
            ):
                continue
            return classes[:i] + [BAD] * (len(classes) - i)
    return classes


# Two stretches of text separated by this many undecided or boilerplate lines
# are separate blocks (an article and a sidebar, a footer, a related-stories
# box); shape-dropped lines (captions, "Related:" links) sit inside articles
# and do not count.
CLUSTER_GAP_LINES = 5
# A neighbouring block is part of the article too when it is this close and
# holds this share of the main block's text (an article split by an embed).
MERGE_GAP_LINES = 20
MERGE_SHARE = 0.3


# Items of a list inside an article: lower-case starts ("fresh fish (any)"),
# bullets, numbers, or a lead-in ending in a colon. Menus are capitalised.
_BULLET = re.compile(r"^(?:[-•*·–—]\s|\d{1,2}[.)]\s)")


def _list_item(text: str) -> bool:
    return text[0].islower() or text.endswith(":") or bool(_BULLET.match(text))


def main_block(classes: list[str], alone: list[str], lines: list[Line]) -> list[str]:
    """Keep the densest block of text and its close, substantial neighbours."""
    blocks: list[list[int]] = []
    gaps: list[int] = []  # gaps[k]: gap lines between blocks k-1 and k
    gap = CLUSTER_GAP_LINES
    for i, kind in enumerate(classes):
        if kind == GOOD:
            if gap >= CLUSTER_GAP_LINES:
                blocks.append([])
                gaps.append(gap)
            blocks[-1].append(i)
            gap = 0
        elif alone[i] not in (DROPPED, INLINE) and not _list_item(lines[i].text):
            gap += 1
    if len(blocks) < 2:
        return classes
    # A block weighs its prose: lines kept only for their neighbours (a menu
    # between two sentences) add nothing.
    weights = [sum(lines[i].chars for i in block if alone[i] in (GOOD, NEAR)) for block in blocks]
    best = max(range(len(blocks)), key=weights.__getitem__)
    keep = {best}
    for step in (-1, 1):
        k = best
        while 0 <= k + step < len(blocks):
            gap_between = gaps[max(k, k + step)]
            if gap_between > MERGE_GAP_LINES or weights[k + step] < MERGE_SHARE * weights[best]:
                break
            k += step
            keep.add(k)
    out = list(classes)
    for k, block in enumerate(blocks):
        if k not in keep:
            for i in block:
                out[i] = BAD
    return out


# An article's own list (tour dates, ingredients, steps) right after its text:
# items of one shape. Each item starts with a digit, a bullet or a lower-case
# word, or holds a digit; menus are bare capitalised words.
LIST_MIN_ITEMS = 3
LIST_ITEM_MAX_WORDS = 30
# The list starts at most this many lines after the text (a lead-in line).
LIST_LEAD_LINES = 2
_TOKEN = re.compile(r"\w+|[^\w\s]")
_DIGIT = re.compile(r"\d")


def _item_shape(text: str) -> tuple[str, ...] | None:
    if not (text[0].isdigit() or text[0].islower() or _BULLET.match(text) or _DIGIT.search(text)):
        return None
    shape = []
    for token in _TOKEN.findall(text)[:2]:
        if token.isdigit():
            shape.append("9")
        elif token[0].isupper():
            shape.append("A")
        elif token[0].isalpha():
            shape.append("a")
        else:
            shape.append(token)
    return tuple(shape)


def article_lists(classes: list[str], alone: list[str], lines: list[Line]) -> list[str]:
    """Keep a run of same-shaped list items that follows the article's text."""
    out = list(classes)
    i = 0
    while i < len(lines):
        if classes[i] != GOOD:
            i += 1
            continue
        start = i + 1
        while start < len(lines) and classes[start] == GOOD:
            start += 1
        found = False
        for first in range(start, min(start + LIST_LEAD_LINES, len(lines))):
            shape = _item_shape(lines[first].text)
            if shape is None or alone[first] in (DROPPED, INLINE):
                continue
            end = first
            while (
                end < len(lines)
                and alone[end] not in (DROPPED, INLINE)
                and lines[end].nwords <= LIST_ITEM_MAX_WORDS
                and _item_shape(lines[end].text) == shape
            ):
                end += 1
            if end - first >= LIST_MIN_ITEMS:
                for j in range(start, end):
                    out[j] = GOOD
                i = end
                found = True
                break
        if not found:
            i = start
    return out
