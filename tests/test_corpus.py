"""The default corpus, run through the real pipeline, yields what its pages say.

Every expectation below was written by hand from the page itself (for the
fictional outlets, when the page was written), not copied from extractor
output: it is what a reader of the page would name as its headline, byline,
date and outlet, and the text they would call the article. The pipeline is the
one the indexer runs: templates learned over the whole corpus, then
``extract`` per document.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from search.build.corpus import read, walk
from search.extract import extract, template_lines
from search.extract.templates import learn
from search.model import Article, Skip

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

GAZETTE = "The Harbour Gazette"  # its pages' og:site_name
COURIER = "Valley Courier"  # plain text: named after its folder
NBC = "NBC News"  # the folder rule applied to 'NBC-News'

HG = "harbour-gazette/"
VC = "valley-courier/"
SEED_NO_HEADLINE = "NBC-News/000_6a0f0449fe7305ca.txt"

# path: (title, author, published date, source). A title of None means the
# document has no headline, so the title must be derived from its lead.
EXPECTED: dict[str, tuple[str | None, str | None, date | None, str]] = {
    SEED_NO_HEADLINE: (None, "Alex Johnson", None, NBC),
    "NBC-News/004_27ef5e2fc35f2c32.txt": (
        "ISIS Leader Says Group Is Getting Stronger in Purported New Message",
        None,
        None,
        NBC,
    ),
    HG + "council-budget-tax-increase.html": (
        "Port Ellery council passes $184-million budget with 3.9 per cent tax increase",
        "Priya Ramaswamy",
        date(2025, 2, 12),
        GAZETTE,
    ),
    HG + "inner-harbour-dredging-september.html": (
        "Inner harbour dredging to begin in September after six years of delay",
        "Tomás Whitcombe",
        date(2024, 6, 3),
        GAZETTE,
    ),
    HG + "voter-id-law-struck-down.html": (
        "Appeal court strikes down province’s voter ID law",
        "Marguerite Osei",
        date(2025, 1, 21),
        GAZETTE,
    ),
    HG + "ferry-website-defaced.html": (
        "Hackers deface ferry operator’s website on busiest weekend of the summer",
        "Daniel Okafor",
        date(2024, 8, 14),
        GAZETTE,
    ),
    HG + "maritime-museum-reopens.html": (
        "Maritime museum reopens with restored lighthouse lens after four-year overhaul",
        "Zoë Ferrández",
        date(2024, 9, 28),
        GAZETTE,
    ),
    HG + "rovers-win-provincial-cup.html": (
        "Harbour Rovers win Provincial Cup on penalties after 2-2 thriller",
        "José Álvarez",
        date(2025, 5, 25),
        GAZETTE,
    ),
    HG + "hottest-june-night-heat-warning.html": (
        "Port Ellery records hottest June night as heat warning is extended",
        "Priya Ramaswamy",
        date(2024, 6, 27),
        GAZETTE,
    ),
    VC + "court-throws-out-photo-id-rule.txt": (
        "Court throws out photo ID requirement for voters",
        "Marguerite Osei",
        date(2025, 1, 21),
        COURIER,
    ),
    VC + "clerks-reprint-by-election-guides.txt": (
        "Valley clerks scramble to reprint by-election guides after ID ruling",
        "Hannah Lindqvist",
        date(2025, 1, 22),
        COURIER,
    ),
    VC + "fernlight-raises-12-million.txt": (
        "Brindlecombe startup Fernlight raises $12 million to put sensors in grain bins",
        "Renée Côté",
        date(2025, 3, 3),
        COURIER,
    ),
    VC + "late-frost-apricot-crop.txt": (
        "Late frost wipes out half of Marrow Valley apricot crop",
        "Hannah Lindqvist",
        date(2024, 4, 19),
        COURIER,
    ),
    VC + "ashford-vale-library-levy.txt": (
        "Ashford Vale voters approve library levy by 212 votes",
        "Owen Pritchard",
        date(2024, 11, 6),
        COURIER,
    ),
    VC + "cooling-centres-stay-open-late.txt": (
        "Valley cooling centres stay open late as heat warning is extended",
        "Renée Côté",
        date(2024, 6, 27),
        COURIER,
    ),
    VC + "robotics-team-heads-to-nationals.txt": (
        "Ashford Vale robotics team heads to nationals with a robot built from a broken combine",
        "Owen Pritchard",
        date(2025, 4, 11),
        COURIER,
    ),
}

# The article text starts with the lead (no headline, byline or dateline in the
# body) and ends with the story's last paragraph (no related links or footer).
FIRST_AND_LAST: dict[str, tuple[str, str]] = {
    HG + "council-budget-tax-increase.html": (
        "Port Ellery city council approved a $184-million operating budget",
        "Residents can comment on the capital plan, which council will debate"
        " separately, until March 7.",
    ),
    HG + "inner-harbour-dredging-september.html": (
        "Work to deepen Port Ellery’s inner harbour will finally begin in September",
        "The authority says the full project should be finished by the end of 2026.",
    ),
    HG + "voter-id-law-struck-down.html": (
        "The province’s Court of Appeal on Tuesday struck down a 2023 law",
        "three by-elections scheduled for March would be run under the previous"
        " identification rules.",
    ),
    HG + "ferry-website-defaced.html": (
        "Passengers trying to check the Port Ellery–Gull Island ferry timetable",
        "“Nobody budgets for the boring part, which is keeping old code up to date,” she said.",
    ),
    HG + "maritime-museum-reopens.html": (
        "The Port Ellery Maritime Museum reopened its doors on Saturday",
        "and for Port Ellery residents on the first Sunday of each month.",
    ),
    HG + "rovers-win-provincial-cup.html": (
        "Harbour Rovers won the Provincial Cup for the first time in 31 years",
        "Their last Provincial Cup came in 1994, when they beat the same opponents 1-0.",
    ),
    HG + "hottest-june-night-heat-warning.html": (
        "Port Ellery recorded its warmest June night on record on Wednesday",
        "Forecasters expect a cold front to bring thunderstorms and relief by Tuesday.",
    ),
    VC + "court-throws-out-photo-id-rule.txt": (
        "The province’s Court of Appeal on Tuesday struck down a 2023 law",
        "three by-elections scheduled for March would be run under the previous"
        " identification rules.",
    ),
    VC + "clerks-reprint-by-election-guides.txt": (
        "Election staff in the Marrow Valley spent Wednesday pulping thousands of voter guides",
        "Advance polls will open on March 8 at the Brindlecombe community hall.",
    ),
    VC + "fernlight-raises-12-million.txt": (
        "A Brindlecombe company that makes wireless sensors for grain bins has raised",
        "The company plans to hire 40 people over the next two years, most of them in"
        " Brindlecombe.",
    ),
    VC + "late-frost-apricot-crop.txt": (
        "Two nights of hard frost this week destroyed roughly half",
        '"There will be apricots," she said. "Just not as many, and not cheap."',
    ),
    VC + "ashford-vale-library-levy.txt": (
        "Ashford Vale's public library will stay open six days a week",
        "hoped to hire a part-time youth librarian.",
    ),
    VC + "cooling-centres-stay-open-late.txt": (
        "Cooling centres in Brindlecombe and Ashford Vale will stay open until 10 p.m.",
        "A cold front is expected to bring thunderstorms and cooler air to the valley by Tuesday.",
    ),
    VC + "robotics-team-heads-to-nationals.txt": (
        "A team of eight students from Ashford Vale District High School",
        '"We\'ve rebuilt the arm four times," she said. "We have spare parts. We have a lot'
        ' of spare parts."',
    ),
}

# Lines the Courier prints on every page: never article text.
COURIER_TEMPLATE = (
    "This browser is no longer supported",
    "Valley Courier morning briefing",
    "Follow us on Facebook",
    "Valley Courier Media Co.",
)
# The Gazette's page furniture: cookie notice, masthead, share tools, newsletter
# box, story footer, "Most read" list and site footer.
GAZETTE_FURNITURE = (
    "We use cookies",
    "Accept all cookies",
    "Skip to main content",
    "Port Ellery’s newspaper since 1874",
    "Share on Facebook",
    "Copy link",
    "The Morning Tide",
    "top stories in your inbox",
    "Sign me up",
    "Report a correction",
    "Topics:",
    "Most read",
    "Northgate parents pack meeting over school boundary review",
    "Harbour Gazette Media Ltd.",
)
# Photo captions and their credits, by document.
CAPTIONS = {
    HG + "inner-harbour-dredging-september.html": ("The dredger Marit Holm", "Callum Reid"),
    HG + "rovers-win-provincial-cup.html": ("lift the Provincial Cup in front of", "Hamish Doyle"),
    VC + "fernlight-raises-12-million.txt": (
        "holds one of Fernlight's grain probes",
        "Ines Fairweather",
    ),
    VC + "late-frost-apricot-crop.txt": ("checks frost-damaged apricot blossom", "Marcus Bell"),
    VC + "robotics-team-heads-to-nationals.txt": (
        "test their robot in the school gym",
        "Marcus Bell",
    ),
}
# Short article paragraphs, mostly one-line quotes, that must survive whole.
SHORT_PARAGRAPHS = {
    VC + "fernlight-raises-12-million.txt": '"It paid for itself that one time," she said.',
    VC + "clerks-reprint-by-election-guides.txt": (
        '"My neighbours have been calling since seven," she said. "One of them cried."'
    ),
    VC + "cooling-centres-stay-open-late.txt": '"Heat is a quiet killer," Feldstein said.',
    VC + "robotics-team-heads-to-nationals.txt": (
        '"My job is mostly to keep the fire extinguisher nearby," Brady said.'
    ),
    HG + "rovers-win-provincial-cup.html": (
        "“I looked at my shoes,” Halvorsen said. “I heard the noise and I knew.”"
    ),
    HG + "council-budget-tax-increase.html": (
        "“We are one bad winter away from a very difficult conversation,” Solberg told councillors."
    ),
}
NEWSLETTER_SENTENCE = (
    "Fernlight first told customers about the investment in its monthly newsletter, which"
    " farmers can subscribe to from inside the app, before announcing it publicly on Monday."
)

WIRE_GAZETTE = HG + "voter-id-law-struck-down.html"
WIRE_COURIER = VC + "court-throws-out-photo-id-rule.txt"
SAME_RULING_OTHER_STORY = VC + "clerks-reprint-by-election-guides.txt"


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    docs: dict[str, bytes] = {}
    problems: list[Skip] = []
    for found in walk(CORPUS):  # the indexer's own walk: same files, same order
        data = found if isinstance(found, Skip) else read(found)
        if isinstance(data, Skip):
            problems.append(data)
        else:
            docs[found.path] = data
    assert problems == []
    templates = learn(template_lines(data, rel) for rel, data in docs.items())
    results = {rel: extract(data, rel, templates) for rel, data in docs.items()}
    skipped = {rel: r for rel, r in results.items() if not isinstance(r, Article)}
    assert not skipped, f"corpus documents not indexed: {skipped}"
    return results  # type: ignore[return-value]


def paragraphs(article: Article) -> list[str]:
    return article.body.split("\n\n")


def test_every_corpus_document_has_expectations(articles: dict[str, Article]) -> None:
    assert set(articles) == set(EXPECTED)


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_metadata(articles: dict[str, Article], path: str) -> None:
    title, author, published, source = EXPECTED[path]
    article = articles[path]
    derived = title is None
    if derived:
        title = article.title  # no headline to compare with; checked against the lead below
    got = (
        article.title,
        article.title_derived,
        article.author,
        article.published.date() if article.published else None,
        article.source,
    )
    assert got == (title, derived, author, published, source)
    if derived:
        assert article.body.startswith(article.title.rstrip(" .…"))


@pytest.mark.parametrize("path", sorted(FIRST_AND_LAST))
def test_body_runs_from_lead_to_last_paragraph(articles: dict[str, Article], path: str) -> None:
    first, last = FIRST_AND_LAST[path]
    body = paragraphs(articles[path])
    assert body[0].startswith(first)
    assert body[-1].endswith(last)


@pytest.mark.parametrize("path", sorted(p for p in EXPECTED if p.startswith(VC)))
def test_courier_template_lines_never_reach_the_body(
    articles: dict[str, Article], path: str
) -> None:
    body = articles[path].body
    assert [line for line in COURIER_TEMPLATE if line in body] == []
    assert "Advertisement" not in paragraphs(articles[path])


@pytest.mark.parametrize("path", sorted(p for p in EXPECTED if p.startswith(HG)))
def test_gazette_page_furniture_never_reaches_the_body(
    articles: dict[str, Article], path: str
) -> None:
    body = articles[path].body
    assert [text for text in GAZETTE_FURNITURE if text in body] == []
    nav = {"Home", "News", "World", "Business", "Sport", "Culture", "Advertisement", "Email"}
    assert nav.isdisjoint(paragraphs(articles[path]))


@pytest.mark.parametrize("path", sorted(CAPTIONS))
def test_photo_captions_and_credits_are_dropped(articles: dict[str, Article], path: str) -> None:
    caption, credit = CAPTIONS[path]
    body = articles[path].body
    assert caption not in body
    assert credit not in body


@pytest.mark.parametrize("path", sorted(p for p in EXPECTED if not p.startswith("NBC-News/")))
def test_related_links_are_dropped(articles: dict[str, Article], path: str) -> None:
    assert "Related:" not in articles[path].body


@pytest.mark.parametrize("path", sorted(SHORT_PARAGRAPHS))
def test_short_article_paragraphs_are_kept(articles: dict[str, Article], path: str) -> None:
    assert SHORT_PARAGRAPHS[path] in paragraphs(articles[path])


def test_a_sentence_about_a_newsletter_in_the_story_is_kept(
    articles: dict[str, Article],
) -> None:
    assert NEWSLETTER_SENTENCE in paragraphs(articles[VC + "fernlight-raises-12-million.txt"])


def test_markup_quoted_in_a_story_is_kept_as_text(articles: dict[str, Article]) -> None:
    body = articles[HG + "ferry-website-defaced.html"].body
    assert 'the text <script>alert("pwned")</script>, which made browsers' in body
    assert "will take <img src=x onerror=alert(1)> and show it" in body


def test_windows_1252_page_is_decoded_by_its_declared_charset(
    articles: dict[str, Article],
) -> None:
    body = articles[HG + "maritime-museum-reopens.html"].body
    assert "said curator Amélie Brossard" in body
    assert "“I polished that every morning for eighteen years,” he said." in body
    assert "A new café on the upper floor" in body


def test_no_body_holds_replacement_characters_or_mojibake(articles: dict[str, Article]) -> None:
    damaged = {
        path
        for path, article in articles.items()
        if any(mark in article.body for mark in ("\ufffd", "Ã", "â€"))
    }
    assert damaged == set()


def test_syndicated_copy_is_the_wire_story_less_one_paragraph(
    articles: dict[str, Article],
) -> None:
    wire = set(paragraphs(articles[WIRE_GAZETTE]))
    reprint = set(paragraphs(articles[WIRE_COURIER]))
    assert reprint < wire
    assert len(wire - reprint) == 1
    assert articles[WIRE_GAZETTE].title != articles[WIRE_COURIER].title


def test_another_story_on_the_same_ruling_shares_no_paragraph(
    articles: dict[str, Article],
) -> None:
    other = set(paragraphs(articles[SAME_RULING_OTHER_STORY]))
    assert other.isdisjoint(paragraphs(articles[WIRE_GAZETTE]))
    assert other.isdisjoint(paragraphs(articles[WIRE_COURIER]))
