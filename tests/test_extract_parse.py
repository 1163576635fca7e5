"""Parsing a page once for every reader of it (trafilatura, htmldate, our own
walks) must not change what is read: the parsed tree gives trafilatura the
region it finds in the page's own text."""

import re

import trafilatura
from helpers import STORY

from search.extract.html import extract_html
from search.extract.html.body import (
    _TRAFILATURA_OPTIONS,
    key,
    output_blocks,
    trafilatura_blocks,
    without_header,
)
from search.extract.html.dom import page_lines, parse_html
from search.extract.html.values import http_url

# An ASP.NET-style page: the whole document inside one <form>, with inputs,
# a label and a select beside the story (the elements lxml.html has classes
# of its own for), a comment and a readers' comment section.
FORM_PAGE = (
    "<!DOCTYPE html><html><head><title>Bridge vote | Harbour Times</title></head><body>"
    "<form id='aspnetForm' method='post' action='/story.aspx'>"
    "<input type='hidden' name='__VIEWSTATE' value='dDwtMTA4MzE0MjEwNTs7Pg=='>"
    "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
    "<div class='search'><label for='q'>Search</label><input id='q' name='q'>"
    "<select name='edition'><option>North</option><option>South</option></select></div>"
    "<!-- story starts -->"
    "<div id='story'><h1>Council approves new harbour bridge</h1>"
    + "".join(f"<p>{p}</p>" for p in STORY)
    + "</div><div id='comments'><h3>Comments</h3><p>First!</p></div>"
    "</form><footer><p>© 2024 Harbour Times</p></footer></body></html>"
)


def test_the_parsed_tree_gives_trafilatura_the_region_it_finds_in_the_page_text():
    own = trafilatura.bare_extraction(
        FORM_PAGE, **{**_TRAFILATURA_OPTIONS, "output_format": "python"}
    )
    assert own is not None
    blocks = trafilatura_blocks(parse_html(FORM_PAGE))
    assert blocks == output_blocks(own.body)
    assert blocks[1:] == STORY


def test_a_story_inside_a_page_wide_form_is_extracted():
    article = extract_html(FORM_PAGE)
    assert article.body.split("\n\n") == STORY


def test_parsing_leaves_the_tree_for_the_other_readers():
    tree = parse_html(FORM_PAGE)
    before = [el.tag for el in tree.iter()]
    trafilatura_blocks(tree)
    assert [el.tag for el in tree.iter()] == before


def test_noncharacters_do_not_cut_the_text():
    last = "Ferry fares rise in May\ufffe and again in\uffff September, the operator said."
    html = FORM_PAGE.replace("<p>First!</p>", "").replace(STORY[-1], last)
    assert extract_html(html).body.split("\n\n")[-1] == (
        "Ferry fares rise in May and again in September, the operator said."
    )


def test_blocks_match_page_lines_whatever_the_spaces_between_words():
    spaced = "MISS\u00a0Plague\tat the\u2003harbour\u3000today\x1c"
    assert key(spaced) == key("MISSPlague at theharbour today") == "missplagueattheharbourtoday"
    for c in map(chr, range(0x3000 + 1)):
        assert key(f"a{c}b") == re.sub(r"\s+", "", f"a{c}b").casefold()


def test_a_block_is_a_header_line_only_where_the_page_first_prints_it_in_the_header():
    tree = parse_html(
        "<html><body><p>Harbour Times</p><header><h1>Bridge vote</h1><p>Harbour Times</p>"
        "<p>By Ann Lee</p></header><article>"
        + "".join(f"<p>{p}</p>" for p in STORY)
        + "</article></body></html>"
    )
    blocks = ["Bridge vote", "Harbour Times", "By Ann Lee", *STORY]
    assert without_header(blocks, page_lines(tree)) == ["Harbour Times", *STORY]


def test_a_url_with_spaces_or_quotes_is_never_the_canonical_url():
    assert http_url("https://example.com/a story") is None
    assert http_url('https://example.com/a"onmouseover="x') is None
    assert http_url("https://example.com/a-story") == "https://example.com/a-story"
