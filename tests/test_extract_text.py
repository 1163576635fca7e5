"""Plain-text cleaning: each family of boilerplate goes, every article line stays."""

import itertools
from datetime import datetime, timedelta, timezone

import pytest

from search.extract.templates import normalize_line
from search.extract.text import extract_text, template_lines_text
from search.model import SKIP_NO_TEXT, Article, Skip

UTC = timezone.utc
HEADLINE = "Harbour Board Approves Dredging Plan After Long Debate"
LEAD = (
    "The harbour board approved a plan on Monday to dredge the old channel, ending a "
    "debate that had split the town for more than two years and delayed repairs."
)
SECOND = (
    "Fishermen said the work was long overdue, and several of them told the meeting that "
    "their boats had been stuck in the mud at low tide for most of the winter."
)
THIRD = (
    "The contractor expects to start in the spring, once the nesting season is over, and "
    "to finish the main channel before the summer regatta brings visitors to the town."
)


def page(*lines: str) -> str:
    return "\n\n".join(lines) + "\n"


def clean(*lines: str, **kwargs) -> Article:
    result = extract_text(page(*lines), **kwargs)
    assert isinstance(result, Article), result
    return result


def paragraphs(article: Article) -> list[str]:
    return article.body.split("\n\n")


def test_article_lines_are_kept_in_order_one_blank_line_apart():
    article = clean(HEADLINE, LEAD, SECOND, THIRD)
    assert article.body == f"{LEAD}\n\n{SECOND}\n\n{THIRD}"
    assert article.title == HEADLINE
    assert not article.title_derived


def test_short_article_lines_between_paragraphs_are_kept():
    quote = '"We waited long enough," he said.'
    short = "The next step, the dredging, will be next."
    article = clean(HEADLINE, LEAD, quote, SECOND, short, THIRD)
    assert paragraphs(article) == [LEAD, quote, SECOND, short, THIRD]


@pytest.mark.parametrize(
    "promo",
    [
        "Breaking News Emails",
        "Get breaking news alerts and special reports. The stories that matter, delivered daily.",
        "Sign up for our morning newsletter",
        "Subscribe to our newsletter to get the best stories in your inbox.",
        "Our site no longer supports this browser. Please upgrade for the best experience.",
        "Download the app",
        "Advertisement",
    ],
)
def test_promos_are_dropped(promo):
    article = clean(HEADLINE, LEAD, SECOND, promo, THIRD)
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


def test_sentences_that_mention_newsletters_or_subscriptions_are_kept():
    mention = "The club's newsletter, which goes to 400 subscribers, first reported the plan."
    said = "Readers who subscribe to the paper's alerts were told of the vote, the editor said."
    article = clean(HEADLINE, LEAD, mention, SECOND, said, THIRD)
    assert paragraphs(article) == [LEAD, mention, SECOND, said, THIRD]


@pytest.mark.parametrize(
    "caption",
    [
        "The old channel at low tide in a photo taken in 2019.Agency Photo - Some Images",
        "Boats stuck in the mud near the harbour wall last winter.Harbour video via AP file",
        "Image: The old channel at low tide",
        "Photo: Jane Smith",
        "Fishermen unload their catch on Monday. (AP Photo/Jane Smith)",
        "AP Photo/Jane Smith",
    ],
)
def test_captions_and_credits_are_dropped(caption):
    article = clean(HEADLINE, LEAD, SECOND, caption, THIRD)
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


@pytest.mark.parametrize(
    "link",
    [
        "Related: Town Votes on Harbour Budget, Council Says",
        "Read more: Why the channel silted up",
        "See also - the regatta's history",
        "More harbour stories »",
    ],
)
def test_related_links_are_dropped(link):
    article = clean(HEADLINE, LEAD, SECOND, link, THIRD)
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


@pytest.mark.parametrize(
    "line",
    [
        "© 2024 The Harbour Gazette. All rights reserved.",
        "Copyright 2024 Gazette Media",
        "Share on Facebook",
        "Tweet Email Print",
        "Share this article",
        "12 Comments",
        "Get more newsWatch live",
    ],
)
def test_copyright_share_and_glued_links_are_dropped(line):
    article = clean(HEADLINE, LEAD, SECOND, THIRD, line)
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


@pytest.mark.parametrize(
    "headline",
    [
        "Readers comment on the flood",
        "Facebook fined over privacy breach",
        "Print edition returns to newsstands",
    ],
)
def test_a_headline_naming_a_network_or_button_word_is_still_the_headline(headline):
    article = clean(headline, "By Mara Quill", LEAD, SECOND, THIRD)
    assert article.title == headline
    assert not article.title_derived
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("By Alex Johnson", "Alex Johnson"),
        ("By Mara Quill and Tomas Reyes", "Mara Quill and Tomas Reyes"),
        ("By Mara Quill, Harbour Gazette", "Mara Quill"),
        ("BY Ana de la Cruz", "Ana de la Cruz"),
        ("By Mara Quill | March 4, 2024", "Mara Quill"),
        ("By José Álvarez", "José Álvarez"),
        ("By Øystein Ødegaard and Zoë Ferrández", "Øystein Ødegaard and Zoë Ferrández"),
    ],
)
def test_byline_becomes_the_author_and_leaves_the_body(line, author):
    article = clean(HEADLINE, line, LEAD, SECOND, THIRD)
    assert article.author == author
    assert paragraphs(article) == [LEAD, SECOND, THIRD]
    assert article.title == HEADLINE


def test_a_sentence_starting_with_by_is_not_a_byline():
    sentence = "By the end of the meeting, most of the board had changed its mind on the plan."
    article = clean(HEADLINE, LEAD, sentence, SECOND, THIRD)
    assert article.author is None
    assert sentence in paragraphs(article)


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("Published Dec. 26, 2015, 10:40 AM", datetime(2015, 12, 26, 10, 40)),
        ("Updated 4 March 2024 09:15 UTC", datetime(2024, 3, 4, 9, 15, tzinfo=timezone.utc)),
        ("2024-03-04", datetime(2024, 3, 4)),
        ("Monday, March 4, 2024", datetime(2024, 3, 4)),
        ("14 February 2023 · 11:20", datetime(2023, 2, 14, 11, 20)),
        # US Eastern time follows daylight saving: EDT in April and July.
        ("Published 12:31 p.m. ET April 9, 2025", datetime(2025, 4, 9, 16, 31, tzinfo=UTC)),
        ("updated 4:36 p.m. ET July 23, 2012", datetime(2012, 7, 23, 20, 36, tzinfo=UTC)),
        ("Posted 9:05 a.m. ET Jan. 8, 2024", datetime(2024, 1, 8, 14, 5, tzinfo=UTC)),
        ("March 4, 2024 10:40 PM BST", datetime(2024, 3, 4, 21, 40, tzinfo=UTC)),
    ],
)
def test_dateline_becomes_the_published_date(line, published):
    article = clean(HEADLINE, line, LEAD, SECOND, THIRD)
    assert article.published == published
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


def test_an_empty_dateline_remnant_is_dropped_without_a_date():
    article = clean(HEADLINE, "\u00a0/ Updated\u00a0", LEAD, SECOND, THIRD)
    assert article.published is None
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


def test_standfirst_repeated_by_the_lead_becomes_the_summary():
    standfirst = (
        "The harbour board approved a plan on Monday to dredge the old channel, "
        "ending a long debate."
    )
    article = clean(HEADLINE, standfirst, LEAD, SECOND, THIRD)
    assert article.summary == standfirst
    assert paragraphs(article) == [LEAD, SECOND, THIRD]
    assert article.title == HEADLINE


def test_a_lead_that_differs_from_the_line_above_is_no_standfirst():
    article = clean(HEADLINE, SECOND, LEAD, THIRD)
    assert article.summary is None
    assert paragraphs(article) == [SECOND, LEAD, THIRD]


def test_without_a_headline_the_title_is_cut_from_the_lead():
    article = clean("By Alex Johnson", LEAD, SECOND, THIRD)
    assert article.title_derived
    assert article.title.endswith("…")
    assert len(article.title) <= 100
    assert LEAD.startswith(article.title[:-1])
    assert LEAD[len(article.title) - 1] == " "  # cut at a word boundary


def test_a_short_lead_sentence_is_the_whole_derived_title():
    lead = "The harbour board approved the dredging plan. " + SECOND
    article = clean(lead, THIRD)
    assert article.title == "The harbour board approved the dredging plan."


def test_template_lines_of_the_outlet_are_dropped():
    promo = "The Harbour Gazette: local news since 1901"
    boilerplate = frozenset({normalize_line(promo)})
    article = clean(
        HEADLINE,
        LEAD,
        SECOND,
        "THE HARBOUR GAZETTE:  local news since 1901",
        THIRD,
        boilerplate=boilerplate,
    )
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


def test_navigation_around_the_article_is_dropped():
    menu = ["Home", "News", "Sport", "Business", "Weather", "Contact us"]
    footer = ["About", "Careers", "Privacy", "Terms"]
    article = clean(*menu, HEADLINE, LEAD, SECOND, THIRD, *footer)
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


def test_a_short_note_without_page_around_it_is_kept():
    article = clean("Harbour festival returns", "The festival returns this summer with boats.")
    assert article.body == "The festival returns this summer with boats."
    assert article.title == "Harbour festival returns"


@pytest.mark.parametrize(
    "text",
    ["", "\n\n  \n", "Home\nNews\nSport\nContact us\n", "Sign up for our newsletter\n"],
)
def test_nothing_article_like_is_skipped(text):
    result = extract_text(text)
    assert isinstance(result, Skip)
    assert result.reason == SKIP_NO_TEXT


def test_template_lines_are_the_stripped_non_blank_lines():
    assert template_lines_text("  Home \n\n\tNews\n \nA line.\n") == ["Home", "News", "A line."]


@pytest.mark.parametrize(
    ("line", "author", "published"),
    [
        (
            "By Mara Quill 2024-03-04T09:15:00Z Local News",
            "Mara Quill",
            datetime(2024, 3, 4, 9, 15, tzinfo=timezone.utc),
        ),
        (
            "Posted by Mara Quill on March 4, 2024, 6:21 AM EST",
            "Mara Quill",
            datetime(2024, 3, 4, 6, 21, tzinfo=timezone(timedelta(hours=-5))),
        ),
        ("Monday March 4, 2024 7:45 am by Mara Quill", "Mara Quill", datetime(2024, 3, 4, 7, 45)),
    ],
)
def test_byline_and_date_on_one_line(line, author, published):
    article = clean(HEADLINE, line, LEAD, SECOND, THIRD)
    assert (article.author, article.published) == (author, published)
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


def test_the_published_time_is_the_one_next_to_the_first_date():
    line = "PUBLISHED: 00:01, Tue, Mar 5, 2024 | UPDATED: 10:43, Tue, Mar 5, 2024"
    article = clean(HEADLINE, line, LEAD, SECOND, THIRD)
    assert article.published == datetime(2024, 3, 5, 0, 1)


def test_reader_comments_after_the_article_are_dropped():
    comments = [
        "3 Comments",
        "Pat on March 5, 2024 at 6:34 am said:",
        "I have lived by this harbour for forty years and I have never seen the channel as "
        "shallow as it was this winter, so I am glad the board finally made up its mind.",
        "Sam on March 5, 2024 at 9:02 am said:",
        "The regatta brings in more money than the dredging will ever cost, and everybody in "
        "town knows it, whatever the board members say at their meetings.",
    ]
    article = clean(HEADLINE, LEAD, SECOND, THIRD, *comments)
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


def test_a_comment_count_among_share_buttons_does_not_end_the_article():
    article = clean(HEADLINE, "Facebook", "12 Comments", "Twitter", LEAD, SECOND, THIRD)
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


def test_one_sentence_paragraphs_between_inline_boilerplate_are_kept():
    sentences = [
        "The harbour board approved the dredging plan on Monday evening.",
        "However, three members voted against it after a long debate.",
        "The work will cost about two million pounds, officials said.",
        "Fishermen welcomed the vote and said it was long overdue.",
        "The contractor expects to start work in the spring.",
        "Boats have been stuck in the mud at low tide all winter.",
        "The regatta is due to take place in the summer as usual.",
    ]
    promo = "Sign up for our newsletter"
    article = clean(HEADLINE, *sentences[:3], promo, *sentences[3:])
    assert paragraphs(article) == sentences


@pytest.mark.parametrize(
    "caption",
    [
        "The old channel is shallow at low tide.Jane Smith/Agency",
        "The board met on Monday in the town hall.Agency",
        "Boats in the harbour at low tide last winterCredit: Jane Smith",
    ],
)
def test_captions_glued_to_a_name_credit_are_dropped(caption):
    article = clean(HEADLINE, LEAD, SECOND, caption, THIRD)
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


def test_a_related_stories_box_is_dropped_with_its_headlines():
    box = [
        "Related articles",
        "Town votes on harbour budget after long debate",
        "Regatta organisers hope for calm weather this year",
    ]
    article = clean(HEADLINE, LEAD, SECOND, *box, THIRD)
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


def test_a_page_printing_its_article_twice_is_indexed_once():
    promo = "Sign up for our newsletter"
    article = clean(HEADLINE, LEAD, SECOND, THIRD, promo, LEAD, SECOND, THIRD)
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


def test_a_question_asked_twice_in_an_interview_is_kept_twice():
    question = "What is your favourite dish?"
    answer_one = "My grandmother's fish soup, which I still make every Sunday for the family."
    answer_two = "Anything with fresh bread from the bakery by the harbour, to be honest."
    article = clean(HEADLINE, LEAD, question, answer_one, SECOND, question, answer_two, THIRD)
    assert paragraphs(article) == [LEAD, question, answer_one, SECOND, question, answer_two, THIRD]


@pytest.mark.parametrize(
    "line",
    [
        "The Harbour Festival Returns With Tall ShipsOrganisers expect record crowds this year.",
        "Is The Old Pier Safe For Anglers?Engineers will inspect the structure next month.",
    ],
)
def test_teasers_of_other_stories_glued_to_their_blurb_are_dropped(line):
    article = clean(HEADLINE, LEAD, SECOND, THIRD, line, line.replace("Harbour", "River"))
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


def test_brand_names_with_inner_capitals_are_not_teasers():
    line = (
        "Fans lined up at the Harbour Games Store on Monday to buy the new PlayStation console, "
        "which sold out within an hour, the manager said."
    )
    article = clean(HEADLINE, LEAD, line, SECOND, THIRD)
    assert line in paragraphs(article)


def test_a_caption_ending_in_a_spelled_out_credit_is_dropped():
    caption = "Fishermen unload their catch at the harbour. Photograph by Jane Smith/Agency"
    article = clean(HEADLINE, LEAD, SECOND, caption, THIRD)
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


def test_headline_and_standfirst_above_the_byline_are_the_title_and_summary():
    standfirst = "The vote ends two years of argument over the silted channel."
    article = clean(
        "Harbour board backs dredging plan after two-year fight",
        standfirst,
        "By Mara Quill",
        "Published March 4, 2024",
        LEAD,
        SECOND,
        THIRD,
    )
    assert article.title == "Harbour board backs dredging plan after two-year fight"
    assert not article.title_derived
    assert article.summary == standfirst
    assert article.author == "Mara Quill"
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


def test_a_quote_just_above_an_ad_slot_is_kept():
    quote = '"We waited long enough," he said.'
    article = clean(HEADLINE, LEAD, SECOND, quote, "Advertisement", THIRD)
    assert paragraphs(article) == [LEAD, SECOND, quote, THIRD]


def test_a_list_that_follows_the_article_text_is_kept():
    dates = [
        "June 9 – West Palm Beach, FL",
        "June 10 – Tampa, FL",
        "June 14 – Alpharetta, GA",
        "June 17 – Nashville, TN",
    ]
    menu = ["Home", "News", "Sport", "Contact us"]
    article = clean(HEADLINE, LEAD, SECOND, THIRD, "The tour dates:", *dates, *menu)
    assert paragraphs(article) == [LEAD, SECOND, THIRD, "The tour dates:", *dates]


def test_a_short_last_sentence_right_after_the_text_is_kept():
    long_para = LEAD + " " + SECOND
    article = clean(HEADLINE, long_para, THIRD, "He was 84.", "Home", "Sport")
    assert paragraphs(article) == [long_para, THIRD, "He was 84."]


def test_a_wire_item_of_figures_is_indexed_under_its_headline():
    article = clean(
        "ACME SHIPPING CORP YEAR NET",
        "Shr 3.13 dlrs vs 2.02 dlrs",
        "Net 39.1 mln vs 26.9 mln",
        "Revs 203.2 mln vs 173.8 mln",
    )
    assert article.title == "ACME SHIPPING CORP YEAR NET"
    assert paragraphs(article) == [
        "Shr 3.13 dlrs vs 2.02 dlrs",
        "Net 39.1 mln vs 26.9 mln",
        "Revs 203.2 mln vs 173.8 mln",
    ]


def test_a_page_of_menu_words_is_still_no_article():
    result = extract_text(page("Home", "World", "Business", "Sport", "Weather", "Contact"))
    assert isinstance(result, Skip)


# --- hard-wrapped text: paragraphs are rebuilt before anything is judged ------------------


def _wrap(paragraph: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(paragraph, width)


@pytest.mark.parametrize("width", [60, 72, 80])
def test_hard_wrapped_paragraphs_are_rejoined_and_kept_whole(width):
    blocks = [HEADLINE, "By Mara Quill", LEAD, SECOND, THIRD]
    wrapped = "\n\n".join("\n".join(_wrap(b, width)) for b in blocks) + "\n"
    article = extract_text(wrapped)
    assert isinstance(article, Article)
    assert paragraphs(article) == [LEAD, SECOND, THIRD]
    assert (article.title, article.author) == (HEADLINE, "Mara Quill")


def test_wrapped_paragraphs_without_blank_lines_end_where_the_next_word_would_have_fitted():
    text = "\n".join(line for p in (LEAD, SECOND, THIRD) for line in _wrap(p, 70))
    assert paragraphs(clean(HEADLINE, "By Mara Quill", text)) == [LEAD, SECOND, THIRD]


@pytest.mark.parametrize("width", [54, 78])
def test_a_paragraph_whose_last_line_reaches_the_edge_still_ends_there(width):
    # At these widths the lead's and the second paragraph's last lines are
    # full: the next paragraph's first word would not have fitted after them,
    # so only the sentence ending there tells the paragraphs apart.
    text = "\n".join(line for p in (LEAD, SECOND, THIRD) for line in _wrap(p, width))
    assert paragraphs(clean(HEADLINE, "By Mara Quill", text)) == [LEAD, SECOND, THIRD]


# Short sentences, so that at some widths a line ends a sentence right at the edge.
CHOPPY = (
    "The board met at noon. The vote was close. Two members left early. The chair "
    "spoke last. Nobody asked about the cost. The meeting ended before one o'clock."
)


def _edge_sentence_widths() -> list[int]:
    """Widths at which a line inside CHOPPY ends a sentence and the next word would not fit."""
    found = []
    for width in range(40, 81):
        lines = _wrap(CHOPPY, width)
        if any(
            a.endswith(".") and len(a) + 1 + len(b.split()[0]) > width
            for a, b in itertools.pairwise(lines)
        ):
            found.append(width)
    return found


def test_choppy_paragraph_reaches_the_edge_at_a_sentence_end_at_some_widths():
    assert len(_edge_sentence_widths()) >= 3


@pytest.mark.parametrize("width", _edge_sentence_widths())
def test_a_file_with_blank_lines_between_paragraphs_keeps_each_one_whole(width):
    from search.extract.text.paragraphs import unwrap

    blocks = [LEAD, CHOPPY, SECOND]
    text = "\n\n".join("\n".join(_wrap(b, width)) for b in blocks)
    assert [line for line in unwrap(text) if line] == blocks


@pytest.mark.parametrize("width", _edge_sentence_widths())
def test_without_blank_lines_a_sentence_at_the_edge_may_split_a_paragraph_but_keeps_its_text(
    width,
):
    from search.extract.text.paragraphs import unwrap

    text = "\n".join(line for b in (LEAD, CHOPPY, SECOND) for line in _wrap(b, width))
    lines = unwrap(text)
    assert " ".join(lines) == " ".join([LEAD, CHOPPY, SECOND])
    assert LEAD in lines and SECOND in lines


def test_chinese_and_japanese_cut_at_the_width_are_rejoined_without_spaces():
    from search.extract.text.paragraphs import unwrap

    # 36 characters a line (72 columns): the wrapper cuts anywhere, and the
    # short last line of the first paragraph ends it.
    first = "港の委員会は月曜日に古い水路を浚渫する計画を承認した。" * 3
    second = "漁師たちは工事が遅すぎたと話し、冬の間ずっと船が泥に埋まっていたと語った。"
    text = "\n".join([*_wrap(first, 36), *_wrap(second, 36)])
    assert unwrap(text) == [first, second]


def test_crlf_tabs_and_first_line_indents_of_wire_copy():
    import textwrap

    lines = []
    for p in (LEAD, SECOND, THIRD):
        # An editor counting a tab as 8 columns, wrapping at 64.
        wrapped = textwrap.wrap(p, 64, initial_indent=" " * 8)
        lines += [wrapped[0].replace(" " * 8, "\t", 1), *wrapped[1:]]
    text = "\r\n".join([HEADLINE, "By Mara Quill", *lines]) + "\r\n"
    assert paragraphs(extract_text(text)) == [LEAD, SECOND, THIRD]


def test_a_quoted_block_is_joined_within_itself_only():
    quote = (
        "We have waited for this channel to be cleared since before my children were born, and"
        " now that it is finally happening we intend to be there on the first morning."
    )
    text = "\n".join(
        [
            *_wrap(LEAD, 66),
            *("> " + line for line in _wrap(quote, 64)),
            *_wrap(SECOND, 66),
            *_wrap(THIRD, 66),
        ]
    )
    assert paragraphs(clean(HEADLINE, text)) == [LEAD, quote, SECOND, THIRD]


def test_a_file_written_one_paragraph_per_line_is_left_as_it_is():
    # Short lines of similar length that do not continue each other: a list
    # of headlines under the story must not be glued into one paragraph.
    related = [
        "Ferry timetable changes from next month on every route",
        "Mayor opens the new waterfront park after two years of work",
        "Harbour board elects a new chair at its annual meeting",
        "Regatta organisers ask volunteers to sign up by Friday",
    ]
    from search.extract.text.paragraphs import unwrap

    text = "\n".join([HEADLINE, LEAD, SECOND, THIRD, *related])
    assert unwrap(text) == [HEADLINE, LEAD, SECOND, THIRD, *related]


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("Mara Quill, Staff Writer", "Mara Quill"),
        ("Mara Quill, Provincial Press", "Mara Quill"),
        ("Mara Quill | Harbour Gazette", "Mara Quill"),
        ("Mara Quill | Harbour Gazette | March 4, 2024", "Mara Quill"),
    ],
)
def test_bylines_without_by_name_the_author(line, author):
    article = clean(HEADLINE, line, LEAD, SECOND, THIRD)
    assert article.author == author
    assert paragraphs(article) == [LEAD, SECOND, THIRD]
    assert article.title == HEADLINE


def test_a_place_and_region_line_is_not_a_byline():
    article = clean(HEADLINE, "Port Ellery, Harbour County", LEAD, SECOND, THIRD)
    assert article.author is None


def test_an_agency_credit_under_the_headline_is_not_the_title():
    article = clean(HEADLINE, "Provincial Press Agency", "By Mara Quill", LEAD, SECOND, THIRD)
    assert article.title == HEADLINE
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


def test_a_short_headline_naming_an_outlet_kind_is_still_the_title():
    article = clean("Press Freedom Day", "By Mara Quill", LEAD, SECOND, THIRD)
    assert article.title == "Press Freedom Day"


NOTICE = (
    "Reprints: this copy is for your personal, non-commercial use only. To order copies for"
    " distribution to colleagues, clients or customers, use the order form on our site, or"
    " call the reprints desk, which is open on weekdays from nine in the morning."
)
MORE = [
    "Board members said the dredged channel would also let the lifeboat leave at any tide,"
    " which the crew has asked for since the old slipway was closed three years ago.",
    "The town council will pay a quarter of the cost, and the rest will come from the port"
    " fund that the harbour dues have filled since the new marina opened in the bay.",
]


def test_a_comments_tab_above_the_story_does_not_cut_the_story():
    # "Comments" sits in a tab row between a reprints notice and the story: it
    # would cut more text than it keeps, and no comment headers follow it.
    article = clean(
        "Home", "World", NOTICE, "Article", "Comments", "Stock Quotes", HEADLINE,
        "By Mara Quill", LEAD, SECOND, THIRD, *MORE,
    )  # fmt: skip
    assert paragraphs(article)[-5:] == [LEAD, SECOND, THIRD, *MORE]


def test_comments_longer_than_the_story_are_still_cut_after_its_label():
    comments = []
    for n in range(3):
        comments += [f"Reader{n} on March 5, 2024 at 6:3{n} am said:", " ".join(MORE)]
    article = clean(HEADLINE, "By Mara Quill", LEAD, SECOND, THIRD, "3 Comments", *comments)
    assert paragraphs(article) == [LEAD, SECOND, THIRD]


# --- article text runs on over the sentences next to it ------------------------------------

FIGURES = (
    "Dredging costs: 41,200 pounds in 2019, 38,950 pounds in 2020, 12,400 pounds in 2021,"
    " 44,010 pounds in 2022"
)
TAIL = [
    "The board will publish the full accounts at its next meeting in the town hall.",
    "Residents can send their questions to the harbour office until the end of May.",
]
MENU = ["Home", "News", "Sport", "Weather", "Contact us"]


def test_a_sentence_of_figures_without_its_full_stop_does_not_strand_the_paragraphs_after_it():
    article = clean(*MENU, HEADLINE, LEAD, SECOND, THIRD, FIGURES, *TAIL, *MENU)
    assert paragraphs(article) == [LEAD, SECOND, THIRD, FIGURES, *TAIL]
