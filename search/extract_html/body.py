"""The story's paragraphs: trafilatura finds the article region, layout rules trim it.

trafilatura is good at finding where the article is, but keeps some of what
sits inside that region without being the story: the headline and the header
above the text, and lists of links to other stories. Those are recognised by
their place in the page layout (see ``dom.Line``), never by their wording.
"""

from __future__ import annotations

import re

import lxml.etree
import trafilatura
from lxml.html import HtmlElement

from .dom import Line

# Blocks of trafilatura's output tree (its TEI-like tags).
_OUTPUT_BLOCKS = frozenset({"p", "head", "item", "row", "quote", "code", "list", "table", "div"})
# trafilatura settings. fast=True skips its readability/jusText fallbacks,
# which on the extraction benchmark cost a third of the time and changed F1 by
# less than 0.003; favor_recall keeps more of the article region (we trim
# afterwards). Comments are readers', not the story.
_TRAFILATURA_OPTIONS = {
    "fast": True,
    "favor_recall": True,
    "include_comments": False,
    "include_tables": True,
    "with_metadata": False,
}
# A line whose text is mostly link text is a link to another story, a tag
# list or a menu. Share measured on the extraction benchmark: F1 was flat for
# thresholds 0.6-0.8 on both halves of the pages; 0.7 is the middle.
MAX_LINK_DENSITY = 0.7
# Where a line sits that is not story text: the page's headline (h1) and the
# header of the page or of the article (headline, standfirst, byline, date).
_NOT_STORY_INSIDE = frozenset({"h1", "header"})

_SPACE = re.compile(r"\s+")


def output_blocks(body: lxml.etree._Element) -> list[str]:
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


def trafilatura_blocks(tree: HtmlElement) -> list[str]:
    """The article region's blocks as trafilatura sees them (it works on a copy of ``tree``)."""
    doc = trafilatura.bare_extraction(tree, **_TRAFILATURA_OPTIONS)
    if doc is None or doc.body is None:
        return []
    return output_blocks(doc.body)


def key(text: str) -> str:
    """How an output block is matched to the page line it came from."""
    return _SPACE.sub(" ", text).strip().casefold()


def is_story_line(line: Line | None) -> bool:
    """False for a line the layout marks as headline, header or link list."""
    if line is None:  # trafilatura joined or split lines: no layout facts, keep it
        return True
    if line.inside & _NOT_STORY_INSIDE:
        return False
    return line.link_density < MAX_LINK_DENSITY


def story_blocks(tree: HtmlElement, lines: list[Line]) -> list[str]:
    """The article's text blocks, in order, with layout furniture removed."""
    by_text: dict[str, Line] = {}
    for line in lines:
        by_text.setdefault(key(line.text), line)
    return [b for b in trafilatura_blocks(tree) if is_story_line(by_text.get(key(b)))]
