"""An HTML page to an Article: the story's paragraphs and what the publisher says about it.

The main text comes from trafilatura, which finds the article region of a page;
we add the metadata (see ``html_meta``), our paragraph layout, the outlet's
learned template lines, and a hard guarantee that no input can crash the
indexer: a page that cannot be parsed is a Skip, never an exception.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html
import trafilatura
from lxml.html import HtmlElement

from .html_meta import Meta, clean, extract_meta, host_of, http_url
from .model import SKIP_NO_TEXT, SKIP_NOT_HTML, SKIP_UNREADABLE, Article, Skip
from .templates import normalize_line

# A document is HTML if one of these tags appears near its start. Plain text
# that merely mentions "<p>" further down is still plain text.
_HTML_SNIFF_CHARS = 4096
_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|main|table|span|br|h[1-6]|ul|a)[\s/>]",
    re.IGNORECASE,
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Cheap site lookup for template learning: only the head is scanned.
_HEAD_CHARS = 65536
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
# A derived title (page without a headline) is the lead cut at a word
# boundary near this length: about what a results page shows on one line.
_DERIVED_TITLE_CHARS = 90
# Fewer words than this is a leftover menu item or button, not an article: the
# shortest news item worth indexing, a one-sentence brief, is longer.
MIN_BODY_WORDS = 5

# Elements whose text a reader never sees.
_INVISIBLE = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "svg",
        "iframe",
        "object",
    }
)
# Elements that start a new line of text in a browser: one template line each.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav",
        "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul", "br",
        "option", "legend", "center", "tbody", "thead", "tfoot",
    }
)  # fmt: skip
# Blocks of trafilatura's output tree (its TEI-like tags).
_OUTPUT_BLOCKS = frozenset(
    {"p", "head", "item", "row", "quote", "code", "list", "table", "div", "body"}
)

_SPACE = re.compile(r"\s+")


def _attrs(tag: str) -> dict[str, str]:
    return {
        m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
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


def looks_like_html(text: str) -> bool:
    return _HTML_TAG.search(text[:_HTML_SNIFF_CHARS]) is not None


def parse_html(text: str) -> HtmlElement | None:
    """Parse leniently; None when lxml finds no document at all."""
    text = _XML_DECLARATION.sub("", text, count=1)
    parser = lxml.html.HTMLParser(
        collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True
    )
    try:
        tree = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError, TypeError, lxml.etree.XMLSyntaxError):
        return None
    return tree


def _visible_blocks(tree: HtmlElement) -> list[str]:
    """The text a browser shows, one string per block element, in page order."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = _SPACE.sub(" ", "".join(current)).strip()
        if line:
            lines.append(line)
        current.clear()

    # Iterative walk: saved pages can nest deeper than Python's recursion limit.
    stack: list[tuple[object, bool]] = [(tree, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            if node.tag in BLOCK_TAGS:  # type: ignore[union-attr]
                flush()
            if node.tail:  # type: ignore[union-attr]
                current.append(node.tail)  # type: ignore[union-attr]
            continue
        tag = node.tag if isinstance(node.tag, str) else ""  # type: ignore[union-attr]
        if tag.lower() in _INVISIBLE or not isinstance(node.tag, str):  # type: ignore[union-attr]
            if node.tail:  # type: ignore[union-attr]
                current.append(node.tail)  # type: ignore[union-attr]
            continue
        if tag in BLOCK_TAGS:
            flush()
        if node.text:  # type: ignore[union-attr]
            current.append(node.text)  # type: ignore[union-attr]
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))  # type: ignore[arg-type]
    flush()
    return lines


def visible_text_blocks(text: str) -> list[str]:
    """All visible text of an HTML page, one string per block element, boilerplate included."""
    tree = parse_html(text)
    return [] if tree is None else _visible_blocks(tree)


def template_lines_html(text: str) -> list[str]:
    """The page's visible text blocks, for learning which ones every page of a site repeats."""
    if not looks_like_html(text):
        return []
    try:
        return visible_text_blocks(text)
    except (RecursionError, ValueError, lxml.etree.LxmlError):
        return []


def _output_blocks(body: lxml.etree._Element) -> list[str]:
    """trafilatura's output tree as one string per paragraph, list item or table row."""
    blocks: list[str] = []

    def walk(el: lxml.etree._Element) -> None:
        inner = [c for c in el if isinstance(c.tag, str) and c.tag in _OUTPUT_BLOCKS]
        if not inner or el.tag == "row":
            cells = el if el.tag == "row" else [el]
            blocks.append(" ".join("".join(c.itertext()) for c in cells))
            return
        blocks.append(el.text or "")
        for child in el:
            if isinstance(child.tag, str) and child.tag in _OUTPUT_BLOCKS:
                walk(child)
            else:
                blocks.append("".join(child.itertext()))
            blocks.append(child.tail or "")

    walk(body)
    return [b for b in (_SPACE.sub(" ", x).strip() for x in blocks) if b]


def _trafilatura_blocks(tree: HtmlElement) -> list[str]:
    doc = trafilatura.bare_extraction(
        tree,
        output_format="python",
        include_comments=False,
        include_tables=True,
        with_metadata=False,
    )
    if doc is None or doc.body is None:
        return []
    return _output_blocks(doc.body)


def _derive_title(body: list[str]) -> str:
    lead = body[0] if body else ""
    if len(lead) <= _DERIVED_TITLE_CHARS:
        return lead
    cut = lead[:_DERIVED_TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def _finish(blocks: list[str], meta: Meta, boilerplate: frozenset[str]) -> Article | Skip:
    headlines = {normalize_line(h) for h in meta.headlines}
    body = [b for b in blocks if normalize_line(b) not in boilerplate | headlines]
    if sum(len(b.split()) for b in body) < MIN_BODY_WORDS:
        return Skip(SKIP_NO_TEXT, "no article text found")
    title = meta.title
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
        title_derived=derived,
    )


def extract_html(text: str, *, boilerplate: frozenset[str] = frozenset()) -> Article | Skip:
    """Extract one HTML page; any failure inside the parser or extractor becomes a Skip."""
    if not looks_like_html(text):
        return Skip(SKIP_NOT_HTML, "no HTML tags near the start")
    try:
        tree = parse_html(text)
        if tree is None:
            return Skip(SKIP_NOT_HTML, "no HTML document could be parsed")
        meta = extract_meta(tree)
        blocks = _trafilatura_blocks(tree)
    except RecursionError:
        return Skip(SKIP_UNREADABLE, "HTML nested too deeply")
    except (ValueError, TypeError, AttributeError, lxml.etree.LxmlError) as error:
        return Skip(SKIP_UNREADABLE, f"HTML could not be processed: {type(error).__name__}")
    return _finish(blocks, meta, boilerplate)


__all__ = [
    "clean",
    "extract_html",
    "html_site",
    "looks_like_html",
    "template_lines_html",
    "visible_text_blocks",
]
