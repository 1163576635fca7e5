"""Dates no calendar can store: dropped (the article is kept), never a failed build."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest
from helpers import write_corpus

from search import Article, open_index, rebuild, update
from search.dates import plausible
from search.document import article_fields
from search.extract import extract

BODY = "\n\n".join(
    ["The harbour board met on Tuesday and approved the dredging of the channel after a debate."]
    * 3
)


def text_file(dateline: str, title: str = "Harbour dredging approved") -> str:
    # Each file's own sentences: lines repeated across a folder are boilerplate.
    own = f"{title} was reported by the board clerk, who read the {title.lower()} minutes aloud."
    return f"{title}\n\n{dateline}\n\n{own}\n\n{own} {BODY}\n"


@pytest.mark.parametrize(
    "dateline",
    [
        "Published 9999-12-31 23:59 -05:00",  # year 10000 in UTC: OverflowError
        "Published 0001-01-01 00:10 +05:00",  # year 0 in UTC
        "Published 1850-03-01",
        "Published 2150-03-01",
    ],
)
def test_text_dates_outside_the_years_are_dropped(dateline):
    found = extract(text_file(dateline).encode(), "port/a.txt")
    assert isinstance(found, Article)
    assert found.published is None


def test_a_zone_no_place_has_is_ignored_not_a_failed_file():
    found = extract(text_file("Published 2024-03-01 10:00 +9999").encode(), "port/a.txt")
    assert found.published == datetime(2024, 3, 1, 10, 0)


def test_a_real_zone_is_kept():
    found = extract(text_file("Published 2024-03-01 10:00 +05:00").encode(), "port/a.txt")
    assert found.published == datetime(2024, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=5)))


def test_html_and_text_share_the_year_bounds():
    assert plausible(datetime(1900, 1, 1)) and plausible(datetime(2100, 12, 31))
    assert plausible(datetime(1899, 12, 31)) is None
    assert plausible(datetime(2101, 1, 1)) is None
    assert plausible(datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=15)))) is None


def test_the_index_document_drops_a_date_with_no_utc_form_with_a_note(caplog):
    late = datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-5)))
    with caplog.at_level(logging.WARNING):
        fields = article_fields(Article("Harbour", BODY, "port/a.txt", published=late))
    assert "published" not in fields or fields["published"] is None
    assert "out of range" in caplog.text


def test_rebuild_and_later_updates_survive_hostile_dates(tmp_path):
    corpus = write_corpus(
        tmp_path / "corpus",
        {
            "port/late.txt": text_file("Published 9999-12-31 23:59 -05:00", "Late harbour news"),
            "port/early.txt": text_file("Published 0001-01-01 00:10 +05:00", "Early harbour news"),
            "port/zone.txt": text_file("Published 2024-03-01 10:00 +9999", "Zoned harbour news"),
        },
    )
    report = rebuild(corpus, tmp_path / "index")
    assert report.indexed == 3 and not report.failed
    write_corpus(corpus, {"port/more.txt": text_file("Published 2024-05-01", "More harbour")})
    again = update(corpus, tmp_path / "index")
    assert again.added == 1 and not again.failed
    with open_index(tmp_path / "index") as index:
        assert index.search("harbour").total == 4
        assert index.search("harbour", sort="date").hits[0].path == "port/more.txt"
