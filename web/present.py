"""Small display helpers for the templates: dates, paragraphs, safe links, pagination.

None of these emit HTML except ``title_html``, which delegates to
``search.snippets`` (the one place that escapes and adds ``<mark>``).
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from search import SearchResults, schema
from search.analysis import ANALYZER
from search.engine import MAX_RESULT_DEPTH
from search.errors import BadQuery
from search.querying import parse
from search.snippets import highlight_html

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

_MARKED = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)


def display_date(value: datetime | None) -> str:
    """'3 March 2024': unambiguous in every English locale."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


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


def highlight_terms(results: SearchResults) -> frozenset[str]:
    """Analysed words to mark in titles: the query's words, plus the words the
    snippets marked (which include what a ``prefix*`` expanded to)."""
    terms: set[str] = set()
    try:
        parsed = parse(results.query) if results.query else None
    except BadQuery:
        parsed = None
    if parsed is not None:
        terms |= {t for f, t in parsed.terms if f in schema.DEFAULT_FIELDS}
    for hit in results.hits:
        for marked in _MARKED.findall(hit.snippet_html):
            terms |= {t.text for t in ANALYZER(html.unescape(marked))}
    return frozenset(terms)


def title_html(title: str, terms: frozenset[str]) -> str:
    """The title escaped, with matched words in ``<mark>``."""
    return highlight_html(title, terms)


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
