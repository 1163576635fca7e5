from datetime import datetime, timedelta, timezone

import pytest
from helpers import STORY

from search.extract.html import extract_html, html_site, template_lines_html
from search.extract.templates import normalize_line
from search.model import SKIP_NO_TEXT, SKIP_NOT_HTML, Article, Skip


def page(head: str = "", body_extra: str = "", paragraphs: list[str] = STORY) -> str:
    paras = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><title>Bridge vote | Harbour Times</title>{head}</head>"
        "<body><nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
        f"<article><h1>Council approves new harbour bridge</h1>{paras}{body_extra}</article>"
        "<footer><p>© 2024 Harbour Times. All rights reserved.</p></footer></body></html>"
    )


def extract(html: str, **kwargs) -> Article:
    result = extract_html(html, **kwargs)
    assert isinstance(result, Article), result
    return result


def test_body_is_the_story_paragraphs_separated_by_blank_lines():
    article = extract(page())
    assert article.body.split("\n\n") == STORY


def test_navigation_and_footer_are_not_in_the_body():
    body = extract(page()).body
    assert "Home" not in body
    assert "All rights reserved" not in body


def test_script_and_style_text_never_reach_the_body():
    extra = "<script>var secret = 'tracking code';</script><style>p { color: red }</style>"
    body = extract(page(body_extra=extra)).body
    assert "tracking" not in body
    assert "color" not in body


def test_entities_are_decoded():
    article = extract(
        page(paragraphs=[*STORY, "Fish &amp; chips cost &pound;5 &mdash; &#8220;cheap&#8221;."])
    )
    assert "Fish & chips cost £5 — “cheap”." in article.body


def test_title_prefers_open_graph_and_drops_site_suffix():
    head = '<meta property="og:title" content="Council approves new bridge | Harbour Times">'
    assert extract(page(head)).title == "Council approves new bridge"


def test_title_from_title_tag_loses_site_name():
    head = '<meta property="og:site_name" content="Harbour Times">'
    assert extract(page(head)).title == "Bridge vote"


def test_metadata_from_meta_tags():
    head = (
        '<meta name="author" content="By Jane Doe">'
        '<meta property="article:published_time" content="2024-03-05T10:30:00+01:00">'
        '<meta property="og:site_name" content="Harbour Times">'
        '<meta name="description" content="The harbour bridge will be rebuilt.">'
        '<link rel="canonical" href="https://www.harbourtimes.example/news/bridge">'
    )
    article = extract(page(head))
    assert article.author == "Jane Doe"
    assert article.published == datetime(2024, 3, 5, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    assert article.source == "Harbour Times"
    assert article.summary == "The harbour bridge will be rebuilt."
    assert article.url == "https://www.harbourtimes.example/news/bridge"


def test_metadata_from_json_ld():
    head = """<script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [
      {"@type": "WebSite", "name": "Ignored Site"},
      {"@type": "NewsArticle", "headline": "Bridge to be rebuilt",
       "author": [{"@type": "Person", "name": "Ann Lee"}],
       "datePublished": "2023-11-20T08:00:00Z",
       "publisher": {"@type": "Organization", "name": "Harbour Times"}}
    ]}</script>"""
    article = extract(page(head))
    assert article.title == "Bridge to be rebuilt"
    assert article.author == "Ann Lee"
    assert article.published == datetime(2023, 11, 20, 8, 0, tzinfo=timezone.utc)
    assert article.source == "Harbour Times"


def test_broken_json_ld_is_ignored():
    head = '<script type="application/ld+json">{"headline": "oops",,</script>'
    assert extract(page(head)).title == "Bridge vote"


def test_date_from_time_element():
    extra = '<p>Published <time datetime="2022-07-01">1 July</time></p>'
    assert extract(page(body_extra=extra)).published == datetime(2022, 7, 1)


def test_source_falls_back_to_canonical_host():
    head = '<link rel="canonical" href="https://www.harbourtimes.example/a">'
    assert extract(page(head)).source == "harbourtimes.example"


def test_javascript_and_data_urls_are_never_the_canonical_url():
    head = (
        '<link rel="canonical" href="javascript:alert(1)">'
        '<meta property="og:url" content="data:text/html,hi">'
    )
    assert extract(page(head)).url is None


def test_og_url_used_when_no_canonical_link():
    head = '<meta property="og:url" content="http://harbourtimes.example/b">'
    assert extract(page(head)).url == "http://harbourtimes.example/b"


def test_template_lines_are_dropped_from_the_body():
    promo = "Sign up for our morning newsletter today"
    article = extract(
        page(paragraphs=[*STORY, promo]), boilerplate=frozenset({normalize_line(promo)})
    )
    assert promo not in article.body
    assert STORY[0] in article.body


def test_headline_repeated_as_first_paragraph_is_dropped():
    head = '<meta property="og:title" content="Council approves new harbour bridge">'
    article = extract(page(head, paragraphs=["Council approves new harbour bridge", *STORY]))
    assert article.body.split("\n\n")[0] == STORY[0]


def test_plain_text_is_not_html():
    result = extract_html("Just a note.\nNo markup in here at all.")
    assert isinstance(result, Skip) and result.reason == SKIP_NOT_HTML


def test_page_without_article_text_is_skipped():
    result = extract_html(
        "<html><head><title>Empty</title></head><body><nav>Home</nav></body></html>"
    )
    assert isinstance(result, Skip) and result.reason == SKIP_NO_TEXT


def test_hostile_inputs_give_a_skip_or_an_article_never_an_exception():
    deep = "<div>" * 50_000 + "text" + "</div>" * 50_000
    huge = "<html><body><p>" + "word " * 400_000 + "</p></body></html>"
    garbage = "<html>\x01<<<>>><p<p<p></html" + "&#xffffff;" * 10
    for html in (deep, huge, garbage, "<html></html>", "<", "<?xml version='1.0'?><html/>"):
        assert isinstance(extract_html(html), (Article, Skip))


def test_html_site_from_canonical_or_og_url():
    assert (
        html_site(page('<link href="https://www.Example.com/x" rel="canonical">')) == "example.com"
    )
    assert html_site(page("<meta property='og:url' content='https://news.example.org/y'>")) == (
        "news.example.org"
    )
    assert html_site(page('<link rel="canonical" href="javascript:void(0)">')) is None


def test_template_lines_are_the_visible_blocks_in_page_order():
    lines = template_lines_html(page(body_extra="<script>hidden()</script>"))
    assert lines[:3] == ["Home", "News", "Council approves new harbour bridge"]
    assert lines[-1] == "© 2024 Harbour Times. All rights reserved."
    assert not any("hidden" in line for line in lines)


def test_a_paragraph_with_a_few_links_is_kept():
    linked = (
        "The <a href='/council'>council</a> will publish the full engineering report and the"
        " <a href='/budget'>budget</a> on its website next week, officials said."
    )
    assert linked.split("<")[0] in extract(page(paragraphs=[*STORY, linked])).body


def test_title_escaped_twice_by_the_cms_reads_cleanly():
    head = '<meta property="og:title" content="Council&amp;#8217;s bridge &amp;#8211; approved">'
    assert extract(page(head)).title == "Council’s bridge – approved"


def test_byline_loses_its_prefix_and_the_date_run_on_after_the_name():
    head = '<meta name="author" content="Posted by Jane Doe | November 18, 2019 10:30">'
    assert extract(page(head)).author == "Jane Doe"


def test_visible_byline_is_used_when_the_head_names_no_author():
    extra = '<p class="byline">By Ann Lee</p>'
    assert extract(page(body_extra=extra)).author == "Ann Lee"


def test_comment_form_labels_are_not_the_author():
    form = (
        '<form class="comment-form"><label class="comment-author">Name (required)</label>'
        "<input name='author'></form>"
    )
    assert extract(page(body_extra=form)).author is None


def test_standfirst_matching_the_description_is_not_body_text():
    head = '<meta name="description" content="A decade of argument ends with a narrow vote.">'
    html = (
        page(head)
        .replace(
            "</h1>",
            "</h1><p class='standfirst'>A decade of argument ends with a narrow vote and"
            " grants.</p>"
            "<div class='story-body'>",
        )
        .replace("</article>", "</div></article>")
    )
    assert extract(html).body.split("\n\n") == STORY


def test_a_lead_paragraph_used_as_the_description_stays_in_the_body():
    head = f'<meta name="description" content="{STORY[0]}">'
    assert extract(page(head)).body.split("\n\n") == STORY


def test_inline_code_and_quotes_stay_inside_their_sentence():
    sentence = (
        "The box contained the text <code>&lt;script&gt;alert(1)&lt;/script&gt;</code>, which"
        " browsers ran, and the engineer called it <q>a textbook case</q> of the problem."
    )
    body = extract(page(paragraphs=[*STORY, sentence])).body
    assert (
        "The box contained the text <script>alert(1)</script>, which browsers ran, and the"
        " engineer called it a textbook case of the problem."
    ) in body.split("\n\n")


def test_nul_and_lone_surrogate_characters_do_not_cut_the_text():
    last = "Ferry fares rise in May\x00 and again in \ud800September, the operator said today."
    body = extract(page(paragraphs=[*STORY, last])).body
    assert body.endswith("Ferry fares rise in May and again in September, the operator said today.")


LONG_STORY = (
    "The city council voted on Tuesday to rebuild the old harbour bridge, ending a debate that"
    " has divided residents for more than a decade. Engineers say the new span will carry twice"
    " the traffic and open in three years, although the budget still depends on a regional"
    " grant that is not yet approved, and opponents argued that the money would be better spent"
    " on the ferry service, which they said serves more commuters than the bridge ever did."
)


def test_a_one_paragraph_story_equal_to_the_description_is_not_dropped_as_a_standfirst():
    # Dropping it would delete nearly all the text on one signal alone.
    head = f'<meta name="description" content="{LONG_STORY}">'
    html = page(head, paragraphs=[]).replace(
        "</h1>",
        f"</h1><div class='lead'><p>{LONG_STORY}</p></div>"
        "<div class='tools'><p>Share this story</p></div>",
    )
    assert LONG_STORY in extract(html).body


def test_a_story_marked_up_inside_a_header_element_is_kept():
    html = (
        page()
        .replace("<article>", "<article><header>")
        .replace("</article>", "</header></article>")
    )
    assert extract(html).body.split("\n\n") == STORY


def test_html_is_found_by_parsing_even_after_kilobytes_of_script():
    script = "<script>var config = {" + "'key': 'value', " * 600 + "};</script>\n"
    assert extract(script + page()).body.split("\n\n") == STORY


def test_the_date_printed_in_the_page_is_read_when_none_is_declared():
    dated = page(body_extra="<p class='dateline'>Published March 4, 2024</p>")
    assert extract(dated).published.date() == datetime(2024, 3, 4).date()


def test_a_stray_control_character_does_not_cost_the_story():
    items = "".join(f"<li>{p}\x07</li>" for p in STORY)
    html = page(paragraphs=[]).replace("</h1>", f"</h1><ul>{items}</ul>")
    assert extract(html).body.split("\n\n") == STORY


def test_a_site_name_the_page_never_declares_is_cut_from_the_title_by_its_headline():
    html = page().replace(
        "Bridge vote | Harbour Times", "Council approves new harbour bridge – Quay Notes"
    )
    assert extract(html).title == "Council approves new harbour bridge"


def test_a_logo_heading_is_not_taken_for_the_headline_inside_the_title():
    html = (
        page()
        .replace("Bridge vote | Harbour Times", "Harbour Times - Council approves new bridge")
        .replace("<body>", "<body><h1>Harbour Times</h1>")
        .replace("<h1>Council approves new harbour bridge</h1>", "")
    )
    head = '<meta property="og:site_name" content="Harbour Times">'
    html = html.replace("</title>", "</title>" + head)
    assert extract(html).title == "Council approves new bridge"


def test_a_blog_name_heading_linking_home_is_cut_from_the_title():
    html = (
        page()
        .replace("Bridge vote | Harbour Times", "Quay Notes » Council approves new bridge")
        .replace("<body>", "<body><h1><a href='/notes/'>Quay Notes</a></h1>")
        .replace("<h1>Council approves new harbour bridge</h1>", "")
    )
    assert extract(html).title == "Council approves new bridge"


@pytest.fixture
def date_passes(monkeypatch):
    """htmldate's passes over the page, in order (True: the extensive one)."""
    import htmldate

    passes = []
    real = htmldate.find_date

    def spy(*args, **kwargs):
        passes.append(kwargs.get("extensive_search", True))
        return real(*args, **kwargs)

    monkeypatch.setattr(htmldate, "find_date", spy)
    return passes


def test_date_printed_in_the_byline_is_found_by_the_cheap_pass(date_passes):
    # htmldate's extensive pass loads dateparser (seconds per process); a page
    # whose date is printed in the text must not pay for it.
    byline = '<p class="byline">Posted on June 27, 2012 by Ann Lee</p>'
    assert extract(page(body_extra=byline)).published == datetime(2012, 6, 27)
    assert date_passes == [False]


def test_a_page_with_no_date_gets_the_extensive_pass_only_as_a_fallback(date_passes):
    html = (
        "<html><head><title>Bridge vote</title></head><body><article><h1>Bridge vote</h1>"
        + "".join(f"<p>{p}</p>" for p in STORY)
        + "</article></body></html>"
    )
    assert extract(html).published is None
    assert date_passes == [False, True]


def test_a_paragraph_repeating_the_description_further_down_the_story_is_kept():
    # Only a standfirst above the story is dropped; the same words printed
    # again inside the story (a pull quote, a summary box) are story text.
    repeated = "Opponents say the ferry service deserves the money more than the bridge does."
    head = f'<meta name="description" content="{repeated}">'
    html = page(head, paragraphs=[]).replace(
        "</h1>",
        "</h1><div class='story-body'>"
        + "".join(f"<p>{p}</p>" for p in STORY[:2])
        + f"</div><div class='pull'><p>{repeated}</p></div><div class='story-body'>"
        + f"<p>{STORY[2]}</p></div>",
    )
    assert extract(html).body.split("\n\n") == [*STORY[:2], repeated, STORY[2]]


def test_a_promo_box_beside_the_story_does_not_replace_it():
    promo = (
        "<aside class='promo'><h3>Subscribe today</h3>"
        "<p>Get unlimited access to every story, the daily newsletter and our puzzles for one"
        " low price each month, and cancel any time you like.</p>"
        "<p>Readers who subscribe before Friday receive a free tote bag and two tickets to the"
        " harbour festival in the summer.</p></aside>"
    )
    html = page().replace("<article>", f"<div class='layout'>{promo}<article>")
    html = html.replace("</article>", "</article></div>")
    assert extract(html).body.split("\n\n") == STORY
