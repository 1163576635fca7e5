"""Parsing a page and reading it the way a browser lays it out: one line per block.

Every visible line carries the few layout facts that tell story text from page
furniture without looking at its wording: how much of it is link text, which
block element holds it, and whether it sits in the page's headline or header.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# libxml2 turns a NUL into U+FFFD, silently drops the text after a lone
# surrogate, and may stop reading the page at another control character
# (a stray \x0b or \x1f in a 2012 page cost its whole body): all are
# removed first (``decode`` never produces NULs or surrogates, but callers
# may pass any str).
_JUNK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Elements whose text a reader never sees.
INVISIBLE_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "svg", "iframe", "object"}
)
# Elements that start a new line of text in a browser: one line each.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav",
        "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul", "br",
        "option", "legend", "center", "tbody", "thead", "tfoot",
    }
)  # fmt: skip
# Enclosing elements worth remembering for a line: the ones whose role (a
# headline, a page header, a caption, navigation...) says what the text is.
_MARK_TAGS = frozenset(
    {"h1", "header", "figure", "figcaption", "nav", "aside", "footer", "li", "blockquote", "a"}
)

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Line:
    """One visible line of the page."""

    text: str
    # Characters of ``text`` that are inside links (spaces collapsed).
    link_chars: int
    # The innermost block element holding the line ("p", "li", "h2", ...).
    tag: str
    # Which of the _MARK_TAGS enclose the line.
    inside: frozenset[str]
    # Position in page order.
    index: int = 0
    # The block element around the line's own block (the paragraph's
    # container): a number unique within the page, and its tag and class.
    box: int = 0
    box_kind: str = ""
    # The number of the line's own block element: lines cut by <br> share it.
    block: int = 0

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


# The three tags lxml invents around plain text, written out in the source.
_WRAPPER_TAG = re.compile(r"<(?:html|body|p)[\s/>]", re.IGNORECASE)


def is_markup(tree: HtmlElement, text: str) -> bool:
    """Whether the parsed document had any markup: lxml wraps plain text in
    <html><body><p> and invents nothing else, so one element beyond those (or
    those three written in the source) means the source had tags, wherever
    they start: a page may open with kilobytes of script, style or junk."""
    paragraphs = 0
    for el in tree.iter():
        if not isinstance(el.tag, str):
            return True  # a comment or processing instruction is markup too
        if el.tag == "p":
            paragraphs += 1
        elif el.tag not in {"html", "body"}:
            return True
    return paragraphs > 1 or _WRAPPER_TAG.search(text) is not None


def parse_html(text: str) -> HtmlElement | None:
    """Parse leniently; None when lxml finds no document at all."""
    text = _JUNK.sub("", _XML_DECLARATION.sub("", text, count=1))
    parser = lxml.html.HTMLParser(
        collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True
    )
    try:
        return lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError, TypeError):
        return None


def page_lines(tree: HtmlElement) -> list[Line]:
    """The text a browser shows, one Line per block element, in page order."""
    lines: list[Line] = []
    texts: list[str] = []  # text of the line being read
    link_texts: list[str] = []  # ... and the part of it inside links
    # Open block elements, innermost last: (tag, number, "tag.class").
    blocks: list[tuple[str, int, str]] = [("html", 0, "html")]
    marks: dict[str, int] = dict.fromkeys(_MARK_TAGS, 0)
    counter = itertools.count(1)

    def flush() -> None:
        text = " ".join("".join(texts).split())
        if text:
            links = len(" ".join("".join(link_texts).split())) if link_texts else 0
            inside = frozenset(tag for tag, count in marks.items() if count)
            _, box, box_kind = blocks[-2] if len(blocks) > 1 else blocks[-1]
            tag, block, _ = blocks[-1]
            links = min(links, len(text))
            line = Line(text, links, tag, inside, len(lines), box, box_kind, block)
            lines.append(line)
        texts.clear()
        link_texts.clear()

    # iterwalk rather than recursion: saved pages can nest deeper than
    # Python's recursion limit.
    walker = lxml.etree.iterwalk(tree, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if not isinstance(tag, str) or tag in INVISIBLE_TAGS:
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                if texts:
                    flush()
                blocks.append((tag, next(counter), f"{tag}.{el.get('class', '')}"))
            if tag in _MARK_TAGS:
                marks[tag] += 1
            text = el.text
        else:
            if isinstance(tag, str) and tag not in INVISIBLE_TAGS:
                if tag in BLOCK_TAGS:
                    if texts:
                        flush()
                    blocks.pop()
                if tag in _MARK_TAGS:
                    marks[tag] -= 1
            text = el.tail
        if text:
            texts.append(text)
            if marks["a"]:
                link_texts.append(text)
    if texts:
        flush()
    return lines
