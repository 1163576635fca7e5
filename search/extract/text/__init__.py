"""Plain text of a news page, still wrapped in page boilerplate → an Article.

The text is one block per line (a paragraph, a menu item, a caption). Lines are
dropped by shape (promos, captions, credits, link labels, share rows), by the
outlet's learned template, and by a jusText-style classification that keeps the
dense run of prose; byline, dateline, headline and standfirst become metadata.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from ...model import SKIP_NO_TEXT, Article, Skip
from ..section import kicker
from ..templates import normalize_line
from ..titles import strip_site_names
from .growth import grow_blocks
from .lines import Line, fill_stop_share, pick_stopwords, split_lines
from .meta import credit_like, derive_title, headline_like, meta_line
from .region import (
    GOOD,
    article_lists,
    cut_comments,
    in_context,
    judge_alone,
    main_block,
    stop_scale,
)
from .shapes import boilerplate_shape, is_ad_label

__all__ = ["extract_text", "template_lines_text"]

T = TypeVar("T")

# How far above the first paragraph a headline is looked for, in lines that
# survive the shape rules (a byline, dateline, standfirst and a stray label).
HEADLINE_SEARCH_LINES = 6
# A standfirst repeated as the lead: this share of its words recur in the lead.
# Rewrites seen on news sites change one to three words of twenty (0.85-0.95).
STANDFIRST_OVERLAP = 0.8

# A standfirst is a sentence; shorter lines that the lead repeats are headlines
# or kickers (a headline's words usually all recur in the lead).
STANDFIRST_MIN_WORDS = 8
# Repeated text is found by word 4-grams, the benchmark's own unit; a line
# is a repeat when this share of its 4-grams were already in the body (a
# shorter teaser of the lead, a second copy with a changed word or two).
REPEAT_GRAM = 4
REPEAT_SHARE = 0.8
# Short lines may repeat on purpose (an interviewer's question put to each
# guest); only lines of paragraph length are checked.
REPEAT_MIN_WORDS = 25
# The story header printed above its byline: at most a headline, a kicker
# and a standfirst, within a few lines of the byline, each a sentence or two.
HEADER_MAX_LINES = 3
HEADER_SPAN = 6
STANDFIRST_MAX_WORDS = 60
# How many surviving lines above the first paragraph may hold the standfirst
# (headline, standfirst, one stray label).
STANDFIRST_SEARCH_LINES = 3


# A figures-only item (earnings, prices, results) is indexed when at least this
# many lines follow its headline and at least this share of them hold digits.
# Reuters-21578's earnings tables have 3-12 such rows, 70-100 % with figures;
# a menu or tag list has none.
TABLE_MIN_ROWS = 3
TABLE_FIGURE_SHARE = 0.6


def template_lines_text(text: str) -> list[str]:
    """The non-blank lines, stripped: what an outlet template is learned from."""
    return [s for s in (line.strip() for line in text.splitlines()) if s]


def _overlap(short: Line, long: Line) -> float:
    """Share of ``short``'s words that also occur in ``long``."""
    if not short.words:
        return 0.0
    other = set(long.words)
    return sum(w in other for w in short.words) / len(short.words)


def _without_repeats(lines: list[Line], body: list[int]) -> list[int]:
    """Drop body lines whose text the body already holds (a page printing its
    article twice, a teaser repeating the lead)."""
    seen: set[tuple[str, ...]] = set()
    kept = []
    for i in body:
        words = lines[i].words
        grams = {tuple(words[k : k + REPEAT_GRAM]) for k in range(len(words) - REPEAT_GRAM + 1)}
        if len(words) >= REPEAT_MIN_WORDS and len(grams & seen) >= REPEAT_SHARE * len(grams):
            continue
        seen |= grams
        kept.append(i)
    return kept


def _nearest(found: list[tuple[int, T]], anchor: int) -> T | None:
    if not found:
        return None
    return min(found, key=lambda item: (abs(item[0] - anchor), item[0]))[1]


class Labelled:
    """Every line of a document with why it was dropped and how it was classified."""

    __slots__ = ("alone", "authors", "classes", "dates", "lines", "reasons")

    def __init__(self, text: str, boilerplate: frozenset[str]) -> None:
        self.lines = split_lines(text)
        stopwords = pick_stopwords(self.lines)
        fill_stop_share(self.lines, stopwords)
        # Why each line is boilerplate ("template", "meta", a shape), or None.
        self.reasons: list[str | None] = [None] * len(self.lines)
        self.authors: list[tuple[int, str]] = []
        self.dates: list[tuple[int, datetime]] = []
        in_box = False
        for i, line in enumerate(self.lines):
            if is_ad_label(line):
                self.reasons[i] = "ad"  # before templates: ad slots sit inside the text
                continue
            if boilerplate and normalize_line(line.text) in boilerplate:
                self.reasons[i] = "template"
                continue
            is_meta, author, date = meta_line(line)
            if is_meta:
                self.reasons[i] = "meta"
                if author:
                    self.authors.append((i, author))
                if date:
                    self.dates.append((i, date))
                continue
            reason = boilerplate_shape(line)
            if reason is None and in_box and not line.terminal:
                reason = "related"  # a headline in a related-stories box
            in_box = reason == "section" or (in_box and not line.terminal)
            self.reasons[i] = reason
        self.alone = judge_alone(self.lines, self.reasons, stopwords is not None)
        scale = stop_scale(self.lines) if stopwords is not None else 1.0
        classes = in_context(self.alone, self.lines)
        classes = grow_blocks(classes, self.alone, self.lines, self.reasons, scale)
        classes = cut_comments(classes, self.reasons, self.lines)
        classes = main_block(classes, self.alone, self.lines)
        self.classes = article_lists(classes, self.alone, self.lines)


def _tabular_item(lines: list[Line], reasons: list[str | None]) -> list[int]:
    """A wire item of figures ("Shr 3.13 dlrs vs 2.02 dlrs" under "ACME CORP YEAR
    NET"): no sentence anywhere, but a headline and rows that mostly carry
    figures. A page of menu words has no such rows, so it stays skipped."""
    kept = [i for i, r in enumerate(reasons) if r is None]
    rows = kept[1:]
    figures = [i for i in rows if any(ch.isdigit() for ch in lines[i].text)]
    if len(rows) < TABLE_MIN_ROWS or len(figures) < TABLE_FIGURE_SHARE * len(rows):
        return []
    return rows


def _header_block(doc: Labelled, body: list[int]) -> list[int]:
    """Body lines that are really the story's header: a headline and standfirst
    printed above the byline or dateline ("Headline / Standfirst / By X / date")."""
    lines, reasons = doc.lines, doc.reasons
    for m, reason in enumerate(reasons):
        if reason != "meta":
            continue
        if m < body[0]:
            if body[0] - m <= HEADER_SPAN:
                return []  # byline above the first paragraph: the usual layout
            continue  # a date far above, in the page's header or a sidebar
        above = [i for i in body if i < m]
        if (
            len(above) > HEADER_MAX_LINES
            or m - above[0] > HEADER_SPAN
            or any(lines[i].nwords > STANDFIRST_MAX_WORDS for i in above)
            or body[-1] < m
        ):
            return []
        return above
    return []


def _standfirst(lines: list[Line], reasons: list[str | None], body: list[int]) -> int | None:
    """A line at the top repeated nearly word for word by the lead, if any.

    It may have been judged prose (then it leads the body) or not (it sits just
    above the body, cut off by a promo line).
    """
    start = body[0]
    above = [i for i in range(start - 1, -1, -1) if reasons[i] is None]
    for i in [*reversed(above[:STANDFIRST_SEARCH_LINES]), *body[:1]]:
        lead = next((j for j in body if j > i), None)
        if lead is None:
            return None
        candidate = lines[i]
        if (
            candidate.terminal
            and STANDFIRST_MIN_WORDS <= candidate.nwords <= lines[lead].nwords
            and _overlap(candidate, lines[lead]) >= STANDFIRST_OVERLAP
        ):
            return i
    return None


# A line above the headline dropped for these reasons is no kicker: a byline
# or date, or a line every page of the outlet repeats (its masthead).
_NOT_KICKERS = ("meta", "template")

# Reasons from button-word shapes, which a headline can share.
_BUTTON_REASONS = ("promo", "share")


def _headline_above(lines: list[Line], reasons: list[str | None], start: int) -> int | None:
    """The nearest headline-shaped line above ``start`` among the surviving lines.

    The line right above the byline or text is the headline even when a button
    word in it made it look like a promo or share row ("Facebook fined over
    privacy"): a promo sits apart from the story, not on top of its byline.
    """
    nearest = next((j for j in range(start - 1, -1, -1) if reasons[j] != "meta"), None)
    if (
        nearest is not None
        and reasons[nearest] in _BUTTON_REASONS
        and headline_like(lines[nearest])
    ):
        return nearest
    above = [j for j in range(start - 1, -1, -1) if reasons[j] is None]
    found = [i for i in above[:HEADLINE_SEARCH_LINES] if headline_like(lines[i])]
    # An agency credit under the headline ("Provincial Press Agency") is
    # headline-shaped too; it gives way when a headline sits above it.
    while len(found) > 1 and credit_like(lines[found[0]]):
        found.pop(0)
    return found[0] if found else None


def extract_text(
    text: str, *, boilerplate: frozenset[str] = frozenset(), site_names: tuple[str, ...] = ()
) -> Article | Skip:
    """Clean one plain-text page; Skip when no article text is left. ``site_names``
    are the outlet's name as its titles print it (learned from the HTML pages
    of the same folder), cut from a headline line that carries one."""
    doc = Labelled(text, boilerplate)
    lines, reasons = doc.lines, doc.reasons
    body = [i for i, kind in enumerate(doc.classes) if kind == GOOD]
    if not body:
        # A short note with no page around it: keep its sentences.
        body = [i for i, line in enumerate(lines) if reasons[i] is None and line.terminal]
    if not body:
        body = _tabular_item(lines, reasons)
    if not body:
        return Skip(SKIP_NO_TEXT, "no line looks like article text")

    summary = None
    title_index = None
    header = _header_block(doc, body)
    if header:
        body = [i for i in body if i > header[-1] and reasons[i] != "meta"]
        body = [i for i in body if i not in header]
        start = header[0]
        titles = [i for i in header if headline_like(lines[i])]
        # A kicker ("BUSINESS › WORK") can look like a short headline; the
        # headline is the header's other headline-shaped line.
        title_index = next((i for i in titles if kicker(lines[i].text) is None), None)
        title_index = title_index if title_index is not None else next(iter(titles), None)
        deck = [lines[i].text for i in header if i != title_index and lines[i].terminal]
        summary = " ".join(deck) or None
    else:
        start = body[0]
        standfirst = _standfirst(lines, reasons, body)
        if standfirst is not None:
            summary = lines[standfirst].text
            if standfirst in body:
                body.remove(standfirst)
            start = standfirst
    if title_index is None:
        title_index = _headline_above(lines, reasons, start)
    if title_index is not None and summary is None:
        # A sentence between the headline and the text is its standfirst.
        deck = [
            lines[i].text
            for i in range(title_index + 1, start)
            if reasons[i] is None and lines[i].terminal and lines[i].nwords >= STANDFIRST_MIN_WORDS
        ]
        summary = " ".join(deck) or None
    if title_index is not None and title_index in body:
        body.remove(title_index)
    if not body:
        return Skip(SKIP_NO_TEXT, "only a headline")

    section = None
    above = title_index - 1 if title_index else -1
    if above >= 0 and reasons[above] not in _NOT_KICKERS:
        section = kicker(lines[above].text)
        if section is not None and above in body:
            body.remove(above)
    paragraphs = [lines[i].text for i in _without_repeats(lines, body)]
    return Article(
        title=strip_site_names(lines[title_index].text, site_names)
        if title_index is not None
        else derive_title(paragraphs[0]),
        title_derived=title_index is None,
        body="\n\n".join(paragraphs),
        author=_nearest(doc.authors, start),
        published=_nearest(doc.dates, start),
        summary=summary,
        section=section,
    )
