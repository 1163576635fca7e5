"""The story's paragraphs: trafilatura finds the article region, layout rules trim it.

trafilatura is good at finding where the article is, but keeps some of what
sits inside that region without being the story: the headline and the header
above the text, and lists of links to other stories. Those are recognised by
their place in the page layout (see ``dom.Line``), never by their wording.
"""

from __future__ import annotations

import re
from collections import Counter

import lxml.etree
import trafilatura
from lxml.html import HtmlElement

from .dom import Line

# Blocks of trafilatura's output tree (its TEI-like tags).
_OUTPUT_BLOCKS = frozenset({"p", "head", "item", "row", "quote", "code", "list", "table", "div"})
_LEAF_BLOCKS = frozenset({"p", "head"})
# trafilatura settings. favor_recall keeps more of the article region (we
# trim afterwards); comments are readers', not the story. Its fast mode skips
# the readability/jusText fallbacks (a third of its time), and is right on
# most pages, but now and then takes a sidebar or a teaser for the article
# and keeps a few lines of a long story: see FAST_MIN_COVERAGE.
_TRAFILATURA_OPTIONS = {
    "favor_recall": True,
    "include_comments": False,
    "include_tables": True,
    "with_metadata": False,
}
# The fast result is trusted when it holds at least this share of the page's
# prose (lines of PROSE_MIN_WORDS words or more, under PROSE_MAX_LINKS link
# text); below it, trafilatura's full mode (its fallbacks compared) decides
# the region. Chosen on Scrapinghub (F1 0.976 for 0-0.2, 0.974 from 0.3 up:
# its fast results are right) and reported on Dragnet (0.831 against 0.830
# with fast alone; 19 cliffs instead of 26; full mode on 8 % of pages).
# Chosen on Dragnet it would be 0.8 (0.833 there, 0.973 on Scrapinghub).
FAST_MIN_COVERAGE = 0.2
PROSE_MIN_WORDS = 10
PROSE_MAX_LINKS = 0.3
# A line whose text is mostly link text is a link to another story, a tag
# list or a menu. Share measured on the extraction benchmark: F1 was flat for
# thresholds 0.6-0.8 on both halves of the pages; 0.7 is the middle.
MAX_LINK_DENSITY = 0.7
# Where a line sits that is not story text: the page's headline (h1) and the
# header of the page or of the article (headline, standfirst, byline, date).
_NOT_STORY_INSIDE = frozenset({"h1", "header"})
# A rule may delete at most this share of the text trafilatura found on its
# own signal; beyond it, only blocks with two signals go (the rule:
# deleting most of the candidate text needs a second, agreeing signal).
MAX_SINGLE_SIGNAL_CUT = 0.5
# Split-chunk recovery (``_split_chunks``): the container kind holding at
# least this share of the kept text is the article's; 0.5 makes it unique.
MAIN_KIND_SHARE = 0.5
# ... and a sibling chunk must hold at least this many paragraphs: a lone
# paragraph in a same-class box was a pull quote or teaser on the benchmark
# (1 page lost precision with 1, none with 2 or 3; 2 is the smallest safe).
MIN_CHUNK_PARAGRAPHS = 2

_SPACE = re.compile(r"\s+")
# A block that is nothing but a web address is a printed link target or share
# URL, not a sentence of the story.
_BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


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


def trafilatura_blocks(tree: HtmlElement, *, fast: bool) -> list[str]:
    """The article region's blocks as trafilatura sees them (it works on a copy of ``tree``)."""
    doc = trafilatura.bare_extraction(tree, **{**_TRAFILATURA_OPTIONS, "fast": fast})
    if doc is None or doc.body is None:
        return []
    return output_blocks(doc.body)


def key(text: str) -> str:
    """How an output block is matched to page lines: trafilatura and the page
    differ in where they put spaces ("MISSPlague" vs "MISS Plague"), so none count."""
    return _SPACE.sub("", text).casefold()


def _spanned_line(block: str, lines: list[Line], keys: list[str]) -> Line | None:
    """The layout facts of a block trafilatura made from several consecutive page lines."""
    target = key(block)
    for i, first in enumerate(keys):
        if not first or not target.startswith(first):
            continue
        pos, parts = len(first), [lines[i]]
        for line, k in zip(lines[i + 1 :], keys[i + 1 :], strict=True):
            if pos == len(target) or not target.startswith(k, pos):
                break
            pos += len(k)
            parts.append(line)
        if pos != len(target) or len(parts) < 2:
            continue
        # The spanned lines vote, by length, on where the block sits.
        total = sum(len(p.text) for p in parts)
        share: Counter[str] = Counter()
        for part in parts:
            share.update(dict.fromkeys(part.inside, len(part.text)))
        inside = frozenset(tag for tag, chars in share.items() if 2 * chars > total)
        links = min(sum(p.link_chars for p in parts), len(block))
        head = parts[0]
        return Line(block, links, head.tag, inside, head.index, head.box, head.box_kind)
    return None


def match_lines(blocks: list[str], lines: list[Line]) -> list[tuple[str, Line | None]]:
    """Each output block with the page line (or run of lines) it came from, if found."""
    keys = [key(line.text) for line in lines]
    by_key: dict[str, Line] = {}
    for k, line in zip(keys, lines, strict=True):
        by_key.setdefault(k, line)
    return [(b, by_key.get(key(b)) or _spanned_line(b, lines, keys)) for b in blocks]


def _layout_signals(line: Line | None) -> int:
    """How many layout facts mark a line as furniture: inside the headline or
    header, mostly link text (0 for a block with no layout facts)."""
    if line is None:  # trafilatura joined or split lines: no layout facts
        return 0
    return bool(line.inside & _NOT_STORY_INSIDE) + (line.link_density >= MAX_LINK_DENSITY)


def is_story_line(line: Line | None) -> bool:
    """False for a line the layout marks as headline, header or link list."""
    return _layout_signals(line) == 0


def _split_chunks(kept: list[tuple[str, Line | None]], lines: list[Line]) -> list[Line]:
    """Paragraphs of the article that trafilatura left in sibling chunks of its container.

    Some layouts cut the story into several containers of the same class (an
    ad or a pull quote between chunks); trafilatura keeps the first. The other
    chunks are found by their container's tag and class, never their text.
    """
    weight: Counter[str] = Counter()
    used_boxes, used_lines = set(), set()
    for _, line in kept:
        if line is not None:
            weight[line.box_kind] += len(line.text)
            used_boxes.add(line.box)
            used_lines.add(line.index)
    total = sum(weight.values())
    kinds = {
        kind
        for kind, chars in weight.items()
        if chars >= MAIN_KIND_SHARE * total and not kind.endswith(".")  # a class is required
    }
    if not kinds:
        return []
    # A second <h1> after the story starts another article (an appended
    # "next story"): chunks are only looked for between the headlines around it.
    first = min(used_lines)
    h1s = [line.index for line in lines if line.tag == "h1"]
    start = max((i for i in h1s if i < first), default=-1)
    end = min((i for i in h1s if i > first), default=len(lines))
    extra = [
        line
        for line in lines[start + 1 : end]
        if line.box_kind in kinds
        and line.box not in used_boxes
        and line.tag == "p"
        and line.index not in used_lines
        and is_story_line(line)
    ]
    per_box = Counter(line.box for line in extra)
    return [line for line in extra if per_box[line.box] >= MIN_CHUNK_PARAGRAPHS]


def _standfirst_signals(kept: list[tuple[str, Line | None]], summary: str) -> list[bool]:
    """Which blocks are the standfirst: the page's description printed above the story.

    Many pages describe themselves with their lead paragraph, which is story
    text; a standfirst is the same words in its own container, apart from the
    paragraphs that follow (on the benchmark, every description-equal block
    that shared its container with the next block was story text).
    """
    summary = summary.rstrip(".…")

    def is_summary(block: str) -> bool:
        # Descriptions are often the standfirst cut short, or it cut short.
        k = key(block).rstrip(".…")
        return bool(k) and (k.startswith(summary) or summary.startswith(k))

    marks = []
    for i, (block, line) in enumerate(kept):
        mark = False
        if line is not None and is_summary(block):
            following = next((ln for b, ln in kept[i + 1 :] if not is_summary(b)), None)
            mark = following is not None and following.box != line.box
        marks.append(mark)
    return marks


def _trimmed(
    candidates: list[tuple[str, Line | None]], summary: str | None
) -> list[tuple[str, Line | None]]:
    """trafilatura's blocks without the furniture the layout marks.

    Each mark is one signal. Dropping most of what trafilatura found as the
    article is only believed when the blocks dropped carry two signals: a
    story inside a <header> element, or a one-paragraph story that the page
    also uses as its description, is still the story.
    """
    standfirst = (
        _standfirst_signals(candidates, key(summary)) if summary else [False] * len(candidates)
    )
    signals = [
        _layout_signals(line) + mark for (_, line), mark in zip(candidates, standfirst, strict=True)
    ]
    kept = [c for c, n in zip(candidates, signals, strict=True) if n == 0]
    total = sum(len(b) for b, _ in candidates)
    if sum(len(b) for b, _ in kept) >= (1 - MAX_SINGLE_SIGNAL_CUT) * total:
        return kept
    return [c for c, n in zip(candidates, signals, strict=True) if n < 2]


def story_blocks(tree: HtmlElement, lines: list[Line], summary: str | None = None) -> list[str]:
    """The article's text blocks, in page order, with layout furniture removed.

    ``summary`` is the page's own description (meta description), used to
    recognise the standfirst.
    """
    blocks = trafilatura_blocks(tree, fast=True)
    prose = sum(
        len(line.text)
        for line in lines
        if line.link_chars < PROSE_MAX_LINKS * len(line.text)
        and len(line.text.split()) >= PROSE_MIN_WORDS
    )
    if sum(len(b) for b in blocks) < FAST_MIN_COVERAGE * prose or not blocks:
        blocks = trafilatura_blocks(tree, fast=False)
    matched = match_lines(blocks, lines)
    kept = _trimmed([(b, line) for b, line in matched if not _BARE_URL.match(b)], summary)
    extra = _split_chunks(kept, lines)
    if not extra:
        return [b for b, _ in kept]
    # Each added paragraph goes after the last kept block that precedes it in
    # the page; trafilatura's own order is left as it is.
    result = [(line.index if line else None, b) for b, line in kept]
    for line in extra:
        after = [
            i for i, (index, _) in enumerate(result) if index is not None and index < line.index
        ]
        result.insert(after[-1] + 1 if after else 0, (line.index, line.text))
    return [b for _, b in result]
