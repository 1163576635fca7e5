"""Small display helpers for the templates: dates, paragraphs, safe links, pagination.

None of these emit HTML: marked titles and snippets come escaped from the
library (``Hit.title_html``, ``Hit.snippet_html``), everything else is
escaped by the templates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit, urlunsplit

from search import SearchResults, fields
from search.serve.engine import MAX_RESULT_DEPTH

# Page links shown on each side of the current page; the first and last page
# are always linked, gaps become an ellipsis (a Google-like strip of ~9 links).
PAGE_RADIUS = 3
# Link schemes a reader may follow to the original (never javascript:, data:, file:).
SAFE_SCHEMES = frozenset({"http", "https"})

# A summary sharing this share of its words with the lead paragraph only
# repeats it (a meta description cut from the lead), so the page leaves it out.
# 0.6 is a judgement, not tuned: the seed article's description shares all of
# its words with the lead, and a standfirst that adds something shares fewer.
SUMMARY_OVERLAP = 0.6


def display_date(value: date | datetime | None) -> str:
    """'3 March 2024': unambiguous in every English locale."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


@dataclass(frozen=True)
class BylinePart:
    """One field of a byline: ``name`` is its field (the CSS class), ``datetime``
    the machine-readable date of a date field."""

    name: str
    text: str
    datetime: str | None = None


def byline(item: object) -> list[BylinePart]:
    """The byline fields of the article-field table that a hit, article or
    reference has, in table order."""
    parts = []
    for field in fields.FIELDS:
        value = getattr(item, field.name, None)
        if not field.byline or not value:
            continue
        if field.kind == fields.DATE:
            parts.append(BylinePart(field.name, display_date(value), value.isoformat()))
        else:
            parts.append(BylinePart(field.name, str(value)))
    return parts


def duration(ms: float) -> str:
    """A search's time as a reader reads it: "0.4 ms", "12 ms", "1.3 s"."""
    if ms < 10:
        return f"{ms:.1f} ms"
    if ms < 1000:
        return f"{ms:.0f} ms"
    return f"{ms / 1000:.1f} s"


def paragraphs(body: str) -> list[str]:
    """The article body's paragraphs (the library separates them by one blank line)."""
    return [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]


def distinct_summary(summary: str | None, paragraphs: list[str]) -> str | None:
    """The summary, unless it only repeats the lead paragraph."""
    if not summary:
        return None
    if not paragraphs:
        return summary
    words = set(_words(summary))
    lead = set(_words(paragraphs[0]))
    if words and len(words & lead) / len(words) >= SUMMARY_OVERLAP:
        return None
    return summary


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def original_url(url: str | None) -> str | None:
    """The article's own address when it is a plain web link, else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return urlunsplit(parts)


def last_page(results: SearchResults) -> int:
    """The last page a reader can open (the library serves MAX_RESULT_DEPTH results at most)."""
    reachable = max(1, MAX_RESULT_DEPTH // results.per_page)
    return min(results.page_count, reachable)


def page_numbers(current: int, last: int) -> list[int | None]:
    """Page links to show, None marking a gap: 1 … 4 5 [6] 7 8 … 20."""
    shown = {1, last} | set(range(current - PAGE_RADIUS, current + PAGE_RADIUS + 1))
    pages = sorted(p for p in shown if 1 <= p <= last)
    out: list[int | None] = []
    previous = None
    for p in pages:
        if previous is not None and p - previous > 1:
            out.append(None)
        out.append(p)
        previous = p
    return out
