"""An HTML page to an Article: the story's paragraphs and what the publisher says about it.

trafilatura's default mode finds the article region (``body``), the
metadata comes from the page's own declarations (``extract.html.meta``), and the
outlet's learned template lines are dropped. No input can crash the indexer:
a page that cannot be parsed is a Skip, never an exception.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import lxml.etree

from ...model import SKIP_NO_TEXT, SKIP_NOT_HTML, SKIP_UNREADABLE, Article, Skip
from ..templates import normalize_line
from .body import story_blocks
from .dom import BLOCK_TAGS, INVISIBLE_TAGS, Line, is_markup, page_lines, parse_html
from .meta import Meta, extract_meta, title_for
from .values import host_of, http_url

# Cheap site lookup for template learning: only the head is scanned.
_HEAD_CHARS = 65536
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_TITLE_TAG = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
# A derived title (page without a headline) is the lead cut at a word
# boundary near this length: about what a results page shows on one line.
_DERIVED_TITLE_CHARS = 90
# Fewer words than this is a leftover menu item or button, not an article: the
# shortest news item worth indexing, a one-sentence brief, is longer.
MIN_BODY_WORDS = 5


def _attrs(tag: str) -> dict[str, str]:
    return {
        m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
        for m in _ATTR.finditer(tag)
    }


def html_site(text: str) -> str | None:
    """The page's site host from its canonical link or og:url, e.g. 'example.com'."""
    head = text[:_HEAD_CHARS]
    for tag in _LINK_TAG.findall(head):
        attrs = _attrs(tag)
        if "canonical" in attrs.get("rel", "").lower().split():
            host = host_of(http_url(attrs.get("href")))
            if host:
                return host
    for tag in _META_TAG.findall(head):
        attrs = _attrs(tag)
        if (attrs.get("property") or attrs.get("name") or "").lower() == "og:url":
            host = host_of(http_url(attrs.get("content")))
            if host:
                return host
    return None


def html_title(text: str) -> str | None:
    """The page's ``<title>`` as shown in a browser tab, from the head alone:
    what an outlet's name is learned from across its pages (``templates``)."""
    match = _TITLE_TAG.search(text[:_HEAD_CHARS])
    if match is None:
        return None
    title = " ".join(html.unescape(_TAG.sub(" ", match.group(1))).split())
    return title or None


def visible_text_blocks(text: str) -> list[str]:
    """All visible text of an HTML page, one string per block element, boilerplate included."""
    tree = parse_html(text)
    return [] if tree is None else [line.text for line in page_lines(tree)]


def template_lines_html(text: str) -> list[str]:
    """The page's visible text blocks, for learning which ones every page of a site repeats."""
    try:
        tree = parse_html(text)
        if tree is None or not is_markup(tree, text):
            return []
        return [line.text for line in page_lines(tree)]
    except (RecursionError, ValueError, lxml.etree.LxmlError):
        return []


def _derive_title(body: list[str]) -> str:
    lead = body[0] if body else ""
    if len(lead) <= _DERIVED_TITLE_CHARS:
        return lead
    cut = lead[:_DERIVED_TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def _finish(
    blocks: list[str], meta: Meta, boilerplate: frozenset[str], site_names: tuple[str, ...]
) -> Article | Skip:
    title = title_for(meta, site_names)
    drop = boilerplate | {normalize_line(h) for h in (*meta.headlines, title) if h}
    body = [b for b in blocks if normalize_line(b) not in drop]
    if sum(len(b.split()) for b in body) < MIN_BODY_WORDS:
        return Skip(SKIP_NO_TEXT, "no article text found")
    derived = False
    if not title:
        title, derived = _derive_title(body), True
    return Article(
        title=title,
        body="\n\n".join(body),
        author=meta.author,
        published=meta.published,
        source=meta.source,
        summary=meta.summary,
        url=meta.url,
        section=meta.section,
        title_derived=derived,
    )


@dataclass(frozen=True)
class Prepared:
    """A parsed page before its outlet's template is known: its visible text
    blocks (what template learning counts) and its story blocks and metadata.
    A rebuild parses each page once for both, then drops template lines."""

    lines: list[str]
    blocks: list[str]
    meta: Meta


def prepare_html(text: str) -> Prepared | Skip:
    """Parse one page; any failure inside the parser or extractor becomes a Skip."""
    try:
        tree = parse_html(text)
        if tree is None or not is_markup(tree, text):
            return Skip(SKIP_NOT_HTML, "no HTML markup found")
        meta = extract_meta(tree)
        lines = page_lines(tree)
        texts = [line.text for line in lines]
        blocks = story_blocks(tree, lines, meta.summary, meta.headlines)
    except RecursionError:
        return Skip(SKIP_UNREADABLE, "HTML nested too deeply")
    except Exception as error:  # one odd page must not stop a corpus build
        # trafilatura is a large heuristic library working on arbitrary
        # markup; whatever it raises on one page, the indexer goes on.
        return Skip(SKIP_UNREADABLE, f"HTML could not be processed: {type(error).__name__}")
    return Prepared(texts, blocks, meta)


def finish_html(
    prepared: Prepared,
    boilerplate: frozenset[str] = frozenset(),
    site_names: tuple[str, ...] = (),
) -> Article | Skip:
    """The article of a prepared page, without its outlet's template lines and
    with its outlet's learned name cut from the title."""
    return _finish(prepared.blocks, prepared.meta, boilerplate, site_names)


def extract_html(
    text: str, *, boilerplate: frozenset[str] = frozenset(), site_names: tuple[str, ...] = ()
) -> Article | Skip:
    """Extract one HTML page; any failure inside the parser or extractor becomes a Skip."""
    prepared = prepare_html(text)
    if isinstance(prepared, Skip):
        return prepared
    return finish_html(prepared, boilerplate, site_names)


__all__ = [
    "BLOCK_TAGS",
    "INVISIBLE_TAGS",
    "Line",
    "Prepared",
    "extract_html",
    "finish_html",
    "html_site",
    "html_title",
    "is_markup",
    "page_lines",
    "parse_html",
    "prepare_html",
    "template_lines_html",
    "visible_text_blocks",
]
