"""The story's paragraphs: trafilatura's default mode decides the article region.

trafilatura's default mode compares its own extractor with readability and
jusText before it settles on a region; its fast mode and its recall-oriented
mode skip that comparison (recall skips it whenever the first pass found a
few thousand characters), and on pages never seen before they now and then
take a sidebar, a promo box or a fixtures table for the story. The default
mode's region is used as it is.

Layout rules on top of it (link density, story chunks in sibling
containers, bare web addresses) were measured rule by rule on both dev sets
(see the README's extraction section): each helped on one set and cost the
other, so none is kept: where the sets disagree, trafilatura's result is
trusted. Two trims stay for what the product shows rather than for a set:
the article's header (headline, kicker, byline, date: fields of their own)
and the standfirst (the page's description, indexed as the summary), each
bounded so that it can never take most of the story.
"""

from __future__ import annotations

import lxml.etree
import trafilatura
from lxml.html import HtmlElement

from ..templates import normalize_line
from .dom import Line

# Blocks of trafilatura's output tree (its TEI-like tags).
_OUTPUT_BLOCKS = frozenset({"p", "head", "item", "row", "quote", "code", "list", "table", "div"})
_LEAF_BLOCKS = frozenset({"p", "head"})
# trafilatura's default (balanced, not fast) mode; comments are readers', not
# the story, and the index holds the article. The output format only decides
# how the result is serialised (the region found is the same): "xml" leaves
# the body tree as it is, without the plain-text copy the default ("python")
# renders and this module never reads.
_TRAFILATURA_OPTIONS = {
    "fast": False,
    "include_comments": False,
    "include_tables": True,
    "with_metadata": False,
    "output_format": "xml",
}
# Dropping the header or the standfirst may never take more than this share
# of the text: a story that is one paragraph long, told in the page's
# description or marked up inside a <header>, stays whatever the layout says
# (the rule: deleting most of the candidate text needs more than one
# signal; here it is never done at all). Not fitted: see the README.
MAX_TRIM_SHARE = 0.5


def _lines_of(el: lxml.etree._Element) -> list[str]:
    """The text of an output element, cut where trafilatura kept a line break (<lb/>)."""
    lines, current = [], [el.text or ""]
    for child in el.iterdescendants():
        if child.tag == "lb":
            lines.append("".join(current))
            current = []
        else:
            current.append(child.text or "")
        if child.tail:
            current.append(child.tail)
    lines.append("".join(current))
    return lines


def output_blocks(body: lxml.etree._Element) -> list[str]:
    """trafilatura's output tree as one string per paragraph, list item or table row."""
    blocks: list[str] = []

    def walk(el: lxml.etree._Element) -> None:
        if el.tag == "row":
            blocks.append(" ".join(" ".join(_lines_of(cell)) for cell in el))
            return
        # A paragraph or heading is one block whatever it holds: trafilatura
        # marks inline <code> and <q> inside it with its block tags.
        if el.tag in _LEAF_BLOCKS or not any(c.tag in _OUTPUT_BLOCKS for c in el):
            blocks.extend(_lines_of(el))
            return
        inline = [el.text or ""]
        for child in el:
            if child.tag in _OUTPUT_BLOCKS or child.tag == "lb":
                blocks.append("".join(inline))
                inline = []
                if child.tag != "lb":
                    walk(child)
            else:
                inline.extend(_lines_of(child))
            inline.append(child.tail or "")
        blocks.append("".join(inline))

    walk(body)
    return [b for b in (" ".join(x.split()) for x in blocks) if b]


def trafilatura_blocks(tree: HtmlElement) -> list[str]:
    """The article region's blocks as trafilatura's default mode finds them
    (it works on a copy of ``tree``)."""
    doc = trafilatura.bare_extraction(tree, **_TRAFILATURA_OPTIONS)
    if doc is None or doc.body is None:
        return []
    return output_blocks(doc.body)


def key(text: str) -> str:
    """How an output block is matched to page lines: trafilatura and the page
    differ in where they put spaces ("MISSPlague" vs "MISS Plague"), so none count.
    (``str.split`` cuts at the same characters as ``\\s``, at a fraction of
    a regular expression's cost on a long paragraph.)"""
    return "".join(text.split()).casefold()


def first_lines(lines: list[Line], keys: set[str]) -> dict[str, Line]:
    """The first page line of each of ``keys`` (matched by ``key``) that the
    page has: lines are keyed only until all are found, and most pages'
    blocks are looked up for a handful of keys, not every line."""
    found: dict[str, Line] = {}
    if not keys:
        return found
    for line in lines:
        k = key(line.text)
        if k in keys and k not in found:
            found[k] = line
            if len(found) == len(keys):
                break
    return found


def without_standfirst(
    blocks: list[str], lines: list[Line], summary: str | None, headlines: frozenset[str]
) -> list[str]:
    """The blocks without the standfirst: the page's description printed between
    the headline and the story.

    Many pages describe themselves with their lead paragraph, which is story
    text. A block is the standfirst only when two signals agree: it repeats
    the description (or the description cuts it short) and comes before the
    first story paragraph (only headlines may precede it), and it sits in its
    own container, apart from the paragraph that follows. A block trafilatura
    joined from several page lines has no container to compare, and stays.
    """
    if not summary or len(blocks) < 2:
        return blocks
    summary_key = key(summary).rstrip(".…")
    heads = {normalize_line(h) for h in headlines}

    def is_summary(block: str) -> bool:
        k = key(block).rstrip(".…")
        return bool(k) and (k.startswith(summary_key) or summary_key.startswith(k))

    lead = 0  # blocks above the story: headlines and description-equal blocks
    while lead < len(blocks) and (
        is_summary(blocks[lead]) or normalize_line(blocks[lead]) in heads
    ):
        lead += 1
    marked = [i for i in range(lead) if is_summary(blocks[i])]
    if not marked or lead == len(blocks):
        return blocks
    by_key = first_lines(lines, {key(blocks[i]) for i in (lead, *marked)})
    following = by_key.get(key(blocks[lead]))
    found = [by_key.get(key(blocks[i])) for i in marked]
    if following is None or any(ln is None or ln.box == following.box for ln in found):
        return blocks
    kept = [b for i, b in enumerate(blocks) if i not in marked]
    if sum(map(len, kept)) < (1 - MAX_TRIM_SHARE) * sum(map(len, blocks)):
        return blocks
    return kept


def without_header(blocks: list[str], lines: list[Line]) -> list[str]:
    """The blocks without those the page prints in its headline or a <header>
    element (the article's kicker, headline, byline and date).

    A block is matched to its page line exactly (a block trafilatura joined
    from several lines has no single place, and stays). A story marked up
    inside a <header> is still the story: the trim never takes more than
    MAX_TRIM_SHARE of the text.
    """
    header_keys = {key(line.text) for line in lines if line.in_header}
    keys = [key(b) for b in blocks]
    first = first_lines(lines, header_keys.intersection(keys))
    kept = [
        b for b, k in zip(blocks, keys, strict=True) if k not in first or not first[k].in_header
    ]
    if sum(map(len, kept)) < (1 - MAX_TRIM_SHARE) * sum(map(len, blocks)):
        return blocks
    return kept


def story_blocks(
    tree: HtmlElement,
    lines: list[Line],
    summary: str | None = None,
    headlines: frozenset[str] = frozenset(),
) -> list[str]:
    """The article's text blocks in page order: trafilatura's region without the
    article's header and the standfirst. ``summary`` is the page's description,
    ``headlines`` its headlines."""
    blocks = without_header(trafilatura_blocks(tree), lines)
    return without_standfirst(blocks, lines, summary, headlines)
