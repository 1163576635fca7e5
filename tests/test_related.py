"""Related coverage on the default corpus, judged on hand-labelled pairs: stories
on one event are listed, unrelated ones never fill the slots."""

from pathlib import Path

import pytest

from search import open_index, rebuild
from search.document import doc_id

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

# (article, articles a reader would call related coverage of it), by hand.
RELATED = {
    "harbour-gazette/hottest-june-night-heat-warning.html": {
        "valley-courier/cooling-centres-stay-open-late.txt"
    },
    "valley-courier/clerks-reprint-by-election-guides.txt": {
        "harbour-gazette/voter-id-law-struck-down.html",
        "valley-courier/court-throws-out-photo-id-rule.txt",
    },
    "NBC-News/000_6a0f0449fe7305ca.txt": {"NBC-News/004_27ef5e2fc35f2c32.txt"},
}
# Articles with no related coverage in the corpus: nothing must be listed.
ALONE = [
    "harbour-gazette/ferry-website-defaced.html",
    "valley-courier/late-frost-apricot-crop.txt",
    "valley-courier/robotics-team-heads-to-nationals.txt",
    "valley-courier/fernlight-raises-12-million.txt",
    "harbour-gazette/rovers-win-provincial-cup.html",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("related") / "index"
    rebuild(CORPUS, folder)
    with open_index(folder) as ix:
        yield ix


@pytest.mark.parametrize("path", sorted(RELATED))
def test_stories_on_one_event_are_related(index, path):
    listed = {r.path for r in index.related(doc_id(path))}
    assert listed == RELATED[path]


@pytest.mark.parametrize("path", ALONE)
def test_unrelated_articles_do_not_fill_the_slots(index, path):
    assert index.related(doc_id(path)) == ()
