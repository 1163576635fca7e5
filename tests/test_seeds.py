"""The two seed documents the project was created from must extract exactly as expected."""

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from search.extract import extract
from search.model import Article

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSEARCH_SHARED", REPO.parent / "shared"))
SEEDS = sorted((SHARED / "seeds").glob("*.expected.json"))


def test_the_shared_seeds_are_there():
    assert len(SEEDS) == 2, f"no seeds under {SHARED}; set NEWSEARCH_SHARED"


@pytest.fixture(params=SEEDS, ids=lambda p: p.name.split(".")[0])
def seed(request):
    expected = json.loads(request.param.read_text(encoding="utf-8"))
    source = request.param.with_name(expected["source_file"])
    article = extract(source.read_bytes(), f"seeds/{source.name}")
    assert isinstance(article, Article)
    return expected, article


def test_seed_body_is_exactly_the_article(seed):
    expected, article = seed
    either = [line for line in expected["either"] if line in article.body]
    body = article.body
    for line in either:
        body = body.replace("\n\n" + line, "").replace(line + "\n\n", "")
    assert body == expected["body"]


def test_seed_boilerplate_lines_are_gone(seed):
    expected, article = seed
    for line in expected["must_drop"]:
        assert line.strip() not in article.body
        assert line.strip() not in article.title


def test_seed_metadata(seed):
    expected, article = seed
    assert article.author == expected["author"]
    assert article.summary == expected["summary"]
    if expected["published"] is None:
        assert article.published is None
    else:
        assert article.published == datetime.fromisoformat(expected["published"])
    if expected["title"] is None:
        # No headline in the file: a title is made from the lead.
        assert article.title_derived
        assert article.title
        assert expected["body"].startswith(article.title.rstrip("…"))
    else:
        assert not article.title_derived
        assert article.title == expected["title"]
