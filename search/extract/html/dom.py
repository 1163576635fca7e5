"""Parsing a page and reading it the way a browser lays it out: one line per block.

Every visible line carries the block element holding it, the container
around that block (what tells a standfirst in its own box from a lead
paragraph that opens the story's) and whether it sits in a headline or a
header: facts of the layout, never of the wording.
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
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Line:
    """One visible line of the page."""

    text: str
    # The innermost block element holding the line ("p", "li", "h2", ...).
    tag: str
    # Position in page order.
    index: int = 0
    # The block element around the line's own block (the paragraph's
    # container): a number unique within the page.
    box: int = 0
    # Inside one of HEADER_TAGS.
    in_header: bool = False


# Elements whose text is the page's or the article's header: the headline,
# and the kicker, byline and date printed around it.
HEADER_TAGS = frozenset({"h1", "header"})

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


# Every element of the tree is an HtmlElement, chosen inside lxml. lxml.html's
# own lookup picks a class per tag (FormElement, InputElement, ...) in a
# Python method that runs each time an element is touched from Python: by
# trafilatura, htmldate and our walks, hundreds of thousands of calls a page,
# a fifth of trafilatura's time on our tree. Nothing here or in those
# libraries uses the form classes' extras (form fields and values), and the
# output is the same page for page (tests/test_extract_parse.py; both dev sets).
_HTML_CLASSES = lxml.etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


# The ASCII controls of _JUNK: in UTF-8 these bytes stand for themselves only.
_CONTROL_BYTES = bytes(c for c in range(0x20) if chr(c) not in "\t\n\r")


def _without_junk(text: str) -> str:
    """The text without _JUNK. A page almost never holds any, and finding that
    out on its UTF-8 bytes (where a lone surrogate fails to encode) costs a
    third of running the regular expression over hundreds of KB."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        return _JUNK.sub("", text)
    if len(raw.translate(None, _CONTROL_BYTES)) != len(raw) or "\ufffe" in text or "\uffff" in text:
        return _JUNK.sub("", text)
    return text


def parse_html(text: str) -> HtmlElement | None:
    """Parse leniently; None when lxml finds no document at all."""
    text = _without_junk(_XML_DECLARATION.sub("", text, count=1))
    parser = lxml.html.HTMLParser(
        collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True
    )
    parser.set_element_class_lookup(_HTML_CLASSES)
    try:
        return lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError, TypeError):
        return None


def page_lines(tree: HtmlElement) -> list[Line]:
    """The text a browser shows, one Line per block element, in page order."""
    lines: list[Line] = []
    texts: list[str] = []  # text of the line being read
    # Open block elements, innermost last: (tag, number).
    blocks: list[tuple[str, int]] = [("html", 0)]
    counter = itertools.count(1)
    headers = 0  # open HEADER_TAGS elements

    def flush() -> None:
        text = " ".join("".join(texts).split())
        if text:
            _, box = blocks[-2] if len(blocks) > 1 else blocks[-1]
            lines.append(Line(text, blocks[-1][0], len(lines), box, headers > 0))
        texts.clear()

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
                blocks.append((tag, next(counter)))
            headers += tag in HEADER_TAGS
            text = el.text
        else:
            if tag in BLOCK_TAGS:  # never an invisible tag, whose subtree was skipped
                if texts:
                    flush()
                blocks.pop()
                headers -= tag in HEADER_TAGS
            text = el.tail
        if text:
            texts.append(text)
    if texts:
        flush()
    return lines
