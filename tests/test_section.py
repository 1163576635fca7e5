"""The section a story is filed under: found on HTML pages (declared, or a kicker
above the headline) and in text files (a kicker line), then stored, counted as
a facet, filtered on, and shown in the CLI, the JSON, the page and the library."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import Page, html_of, make_app
from helpers import write_corpus
from test_web_features import facet

from search import extract, open_index, rebuild
from search.cli import main
from search.extract.section import kicker
from web.state import EXTENSION

LEAD = (
    "<p>The harbour board raised its mooring fees by a tenth on Monday, the first rise "
    "in six years, citing repairs to the north pier.</p>"
    "<p>Fishermen said the rise would hurt small boats most, and asked the board to "
    "phase it in over two years instead.</p>"
)


def page(head: str = "", header: str = "", title: str = "Harbour fees rise") -> bytes:
    return (
        f"<!doctype html><html><head><title>{title}</title>{head}</head><body>"
        "<nav><a href='/'>HOME</a> <a href='/news'>NEWS</a></nav>"
        f"<article><header>{header}<h1>{title}</h1></header>{LEAD}</article>"
        "</body></html>"
    ).encode()


def text(*lines: str) -> bytes:
    return "\n\n".join(lines).encode() + b"\n"


BODY = (
    "The harbour board raised its mooring fees by a tenth on Monday, the first rise in six years.",
    "Fishermen said the rise would hurt small boats most, and asked for it to be phased in.",
)


# -- a kicker's shape ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "section"),
    [
        ("POLITICS", "Politics"),
        ("BUSINESS › WORK", "Business › Work"),
        ("Business > Work", "Business › Work"),
        ("World » Europe", "World › Europe"),
        ("U.S. NEWS", "U.S. News"),
        ("CLIMATE CRISIS", "Climate Crisis"),
    ],
)
def test_a_kicker_is_capitals_or_a_short_breadcrumb(line, section):
    assert kicker(line) == section


@pytest.mark.parametrize(
    "line",
    [
        "Politics",  # ordinary case alone: a label of anything
        "Harbour fees rise",
        "By Mara Quill",
        "UPDATED 3 JUNE 2025",
        "THE COUNCIL APPROVED DREDGING OF THE OLD HARBOUR",
        "Home | World | Europe | Politics | Elections",
        "READ MORE:",
        "",
    ],
)
def test_other_short_lines_are_no_kicker(line):
    assert kicker(line) is None


# -- HTML ----------------------------------------------------------------------------------


def test_html_declared_section_comes_first():
    head = '<meta property="article:section" content="Business">'
    found = extract(page(head, '<p class="kicker">POLITICS</p>'), "gazette/fees.html")
    assert found.section == "Business"


def test_html_masthead_above_the_headline_is_no_section():
    head = '<meta property="og:site_name" content="The Gazette">'
    assert extract(page(head, "<div>THE GAZETTE</div>"), "gazette/fees.html").section is None


def test_html_json_ld_article_section_a_list_gives_its_first():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Harbour fees rise", "articleSection": ["Business", "Ports"]}</script>'
    )
    assert extract(page(head), "gazette/fees.html").section == "Business"


@pytest.mark.parametrize(
    ("header", "section"),
    [
        ('<p class="kicker">POLITICS</p>', "Politics"),
        (
            '<div><a href="/b">Business</a> &rsaquo; <a href="/b/w">Work</a></div>',
            "Business › Work",
        ),
        ('<p class="kicker"><a href="/culture/">Culture</a></p>', "Culture"),  # one link
        ('<p class="kicker">Culture</p>', None),  # ordinary case, no link: a label of anything
        ('<nav><a href="/">Home</a> <a href="/news">News</a></nav>', None),
        ("<div><span>CLIMATE</span></div><div><span>x</span></div>", None),  # not next to it
        ("<p>Published on Monday by the harbour desk.</p>", None),
        ("", None),
    ],
)
def test_html_kicker_above_the_headline(header, section):
    found = extract(page(header=header), "gazette/fees.html")
    assert (found.section, found.title) == (section, "Harbour fees rise")
    assert found.body.startswith("The harbour board raised")


# -- text ----------------------------------------------------------------------------------


def test_text_kicker_line_above_the_headline():
    found = extract(text("POLITICS", "Harbour fees rise", *BODY), "courier/fees.txt")
    assert (found.section, found.title) == ("Politics", "Harbour fees rise")
    assert found.body.split("\n\n") == list(BODY)


def test_text_breadcrumb_in_a_header_with_byline_and_date():
    found = extract(
        text("BUSINESS › WORK", "Harbour fees rise", "By Mara Quill", "March 3, 2025", *BODY),
        "courier/fees.txt",
    )
    assert (found.section, found.title, found.author) == (
        "Business › Work",
        "Harbour fees rise",
        "Mara Quill",
    )
    assert found.body.split("\n\n") == list(BODY)


def test_text_without_a_kicker_has_no_section():
    found = extract(text("Harbour fees rise", "By Mara Quill", *BODY), "courier/fees.txt")
    assert (found.section, found.title) == (None, "Harbour fees rise")


# -- stored, faceted, filtered: library, CLI, JSON, page -----------------------------------


def story(title: str, lead: str) -> str:
    return f"{title}\n\n{lead} The harbour board met on Monday.\n\nIt will meet again in May.\n"


CORPUS = {
    "courier/fees.txt": "POLITICS\n\n" + story("Harbour fees rise", "Fees rose by a tenth."),
    "courier/vote.txt": "POLITICS\n\n" + story("Harbour vote delayed", "The vote was delayed."),
    "gazette/jobs.html": page(
        '<meta property="article:section" content="Business">',
        title="Harbour jobs return",
    ),
    "gazette/ferry.txt": story("Ferry timetable changes", "The harbour ferry runs later."),
}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("section")
    rebuild(write_corpus(root / "corpus", CORPUS), root / "index")
    return root / "index"


def test_library_counts_and_filters_sections(index_dir):
    with open_index(index_dir) as index:
        everything = index.search("harbour fees")
        politics = index.search("harbour fees", sections=("Politics",))
        either = index.search("harbour", sections=("Politics", "Business"), sort="date_asc")
    assert everything.facets["section"] == {"Politics": 2, "Business": 1}
    assert [h.path for h in politics.hits] == ["courier/fees.txt", "courier/vote.txt"]
    assert {h.section for h in politics.hits} == {"Politics"}
    # Another chosen section stays offered with its count (values OR together).
    assert politics.facets["section"] == {"Politics": 2, "Business": 1}
    assert sorted(h.path for h in either.hits) == [
        "courier/fees.txt",
        "courier/vote.txt",
        "gazette/jobs.html",
    ]


def test_a_query_may_name_the_section_field(index_dir):
    with open_index(index_dir) as index:
        found = index.search("section:business")
    assert [h.path for h in found.hits] == ["gazette/jobs.html"]


def test_cli_section_option_text_and_json(index_dir):
    runner = CliRunner()
    out = runner.invoke(
        main, ["search", "harbour", "--index", str(index_dir), "--section", "Business"]
    )
    assert out.exit_code == 0, out.output
    assert "Harbour jobs return" in out.output and "Harbour fees rise" not in out.output
    assert "\n   Gazette · Business\n" in out.output  # the hit's byline
    assert "section: Politics (2), Business (1)" in out.output
    data = json.loads(
        runner.invoke(main, ["search", "harbour fees", "--index", str(index_dir), "--json"]).output
    )
    assert (data["hits"][0]["title"], data["hits"][0]["section"]) == (
        "Harbour fees rise",
        "Politics",
    )
    assert {h["path"]: h["section"] for h in data["hits"]}["gazette/ferry.txt"] is None
    assert data["facets"]["section"] == {"Politics": 2, "Business": 1}


def test_cli_extract_shows_the_section(tmp_path):
    corpus = write_corpus(tmp_path, {"courier/fees.txt": CORPUS["courier/fees.txt"]})
    runner = CliRunner()
    shown = runner.invoke(main, ["extract", str(corpus / "courier/fees.txt")]).output
    assert "section: Politics" in shown
    line = runner.invoke(main, ["extract", "--jsonl", str(corpus / "courier/fees.txt")]).output
    assert json.loads(line)["section"] == "Politics"


def test_page_and_api_filter_and_show_sections(index_dir, tmp_path):
    app = make_app(index_dir, tmp_path)
    client = app.test_client()
    html = html_of(client.get("/search?q=harbour"))
    sections = facet(html, "section")
    assert {label: count for label, (_, count, _) in sections.items()} == {
        "Politics": 2,
        "Business": 1,
    }
    filtered = html_of(client.get(sections["Business"][0]))
    page_ = Page(filtered)
    assert "Section: Business" in page_.visible
    assert page_.find("span", **{"class": "section"})
    data = client.get("/api/search?q=harbour&section=Politics").get_json()
    assert sorted(h["path"] for h in data["hits"]) == ["courier/fees.txt", "courier/vote.txt"]
    assert {h["section"] for h in data["hits"]} == {"Politics"}
    app.extensions[EXTENSION].close()
