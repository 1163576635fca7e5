"""Fixtures for the web tests (flaskr style): a tiny corpus written here, its index, the app.

Also the small page reader the web tests share (``Page``) and the JSON error check.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import features_corpus
import pytest
from helpers import article, write_corpus

import search
from web import create_app
from web.state import EXTENSION

# A page with full metadata, so the views have a source, author, date and link to show.
RIVER_HTML = """<!doctype html>
<html lang="en"><head>
<title>River floods the old town</title>
<meta name="author" content="Ann Reed">
<meta property="og:url" content="https://daily.example/river-floods">
<meta property="article:published_time" content="2024-03-03T10:00:00Z">
</head><body><article>
<h1>River floods the old town</h1>
<p>The river rose two metres overnight and flooded the old town,
where shops stayed shut on Monday.</p>
<p>Residents said the flood was the worst in fifty years.
Volunteers filled sandbags along the bank.</p>
</article></body></html>
"""

# Markup in the text of a document is text: it must reach every reader escaped.
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"

TINY_CORPUS: dict[str, str | bytes] = {
    "daily/river.html": RIVER_HTML,
    "daily/comments.txt": article(
        f"Readers paste {SCRIPT} under the flood story",
        f"A reader pasted {SCRIPT} into the comment box under the flood story.",
        f"Another tried {IMG} as well, hoping the page would run it.",
        byline="Ben Ode",
    ),
    "daily/market.txt": article(
        "Market stalls return to the square",
        "Farmers brought apples and cheese to the square for the first market of spring.",
    ),
}
# Paths in the order a search for "flood" ranks them: the headline match first.
FLOOD_RANKING = ["daily/river.html", "daily/comments.txt"]


def make_app(index_dir: Path, corpus_dir: Path, **config: object):
    return create_app(
        {"TESTING": True, "INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus_dir), **config}
    )


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", TINY_CORPUS)


@pytest.fixture
def built_index(tmp_path: Path, corpus_dir: Path) -> Path:
    """The tiny corpus indexed with the library's own rebuild."""
    index_dir = tmp_path / "index"
    report = search.rebuild(corpus_dir, index_dir)
    assert report.indexed == len(TINY_CORPUS), report
    return index_dir


@pytest.fixture
def app(built_index: Path, corpus_dir: Path):
    app = make_app(built_index, corpus_dir)
    yield app
    app.extensions[EXTENSION].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--trials",
        type=int,
        default=None,
        help="kill -9 trials per crash test (default 20; more by hand, e.g. --trials 200)",
    )


@pytest.fixture(scope="module")
def features_app(tmp_path_factory):
    """Two outlets, authors, dates and one syndicated pair (tests/features_corpus.py),
    built once per test module: these tests only read."""
    root = tmp_path_factory.mktemp("features")
    corpus = features_corpus.build(root / "corpus")
    search.rebuild(corpus, root / "index")
    app = make_app(root / "index", corpus)
    yield app
    app.extensions[EXTENSION].close()


@pytest.fixture
def features_client(features_app):
    return features_app.test_client()


# -- reading responses ---------------------------------------------------------------


class Page(HTMLParser):
    """The parts of a page the tests look at: tags with attributes, and visible text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def html_of(response) -> str:
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def assert_json_error(response, status: int) -> str:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "message"}
    assert body["error"]["status"] == status
    assert body["error"]["message"]
    return body["error"]["message"]
