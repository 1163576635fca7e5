"""Incremental updates: only what changed is extracted, applied in one commit."""

import os

import pytest
from helpers import article, write_corpus

import search.build.pool as pool
from search import open_index, rebuild, update
from search.store import layout
from search.store.state import BuildState

PROMO = "Sign up for the Ledger morning briefing"
STORIES = {
    "ferry": ("Ferry fares rise", "The ferry company raised fares by a tenth on Monday."),
    "library": ("Library extends hours", "The library will open until nine on weekdays."),
    "bridge": ("Bridge repairs finish", "Crews finished repairs to the swing bridge early."),
    "school": ("School wins award", "Pupils at the harbour school won a science award."),
    "market": ("Market moves indoors", "The Saturday market moves into the old grain hall."),
}


def page(promo: str, title: str, body: str) -> str:
    return f"{promo}\n\n{title}\n\n{body}\n"


@pytest.fixture
def corpus(tmp_path):
    files = {f"ledger/{k}.txt": page(PROMO, *v) for k, v in STORIES.items()}
    return write_corpus(tmp_path / "corpus", files)


@pytest.fixture
def extractions(monkeypatch):
    """The paths extraction was run on."""
    seen = []
    real = pool.extract

    def counting(data, path, templates=None):
        seen.append(path)
        return real(data, path, templates)

    monkeypatch.setattr(pool, "extract", counting)
    return seen


def titles(index_dir, query):
    with open_index(index_dir) as index:
        return sorted(h.title for h in index.search(query).hits)


def test_nothing_changed_means_nothing_extracted(corpus, tmp_path, extractions):
    index_dir = tmp_path / "index"
    rebuild(corpus, index_dir)
    extractions.clear()
    os.utime(corpus / "ledger/ferry.txt", (1, 1))  # touched, same content
    report = update(corpus, index_dir)
    assert extractions == []
    assert (report.added, report.changed, report.deleted, report.unchanged) == (0, 0, 0, 5)
    assert report.indexed == 5


def test_new_changed_and_deleted_files_are_applied(corpus, tmp_path, extractions):
    index_dir = tmp_path / "index"
    rebuild(corpus, index_dir)
    extractions.clear()
    (corpus / "ledger/ferry.txt").write_text(
        page(PROMO, "Ferry fares frozen", "The ferry company froze fares after protests.")
    )
    (corpus / "ledger/bridge.txt").unlink()
    (corpus / "ledger/pier.txt").write_text(
        page(PROMO, "Pier reopens", "The pier reopened after a winter of storm repairs.")
    )
    report = update(corpus, index_dir)
    assert sorted(extractions) == ["ledger/ferry.txt", "ledger/pier.txt"]
    assert (report.added, report.changed, report.deleted, report.unchanged) == (1, 1, 1, 3)
    assert report.indexed == 5
    assert titles(index_dir, "ferry") == ["Ferry fares frozen"]
    assert titles(index_dir, "bridge") == []
    assert titles(index_dir, "pier") == ["Pier reopens"]


def test_an_update_never_touches_the_served_build(corpus, tmp_path):
    index_dir = tmp_path / "index"
    before = rebuild(corpus, index_dir).generation
    (corpus / "ledger/ferry.txt").unlink()
    after = update(corpus, index_dir).generation
    assert layout.current_generation(index_dir) == after
    assert layout.damage(layout.builds_dir(index_dir) / before) is None
    with open_index(index_dir) as index:
        assert index.search("ferry").total == 0


def test_a_redesigned_outlet_gets_its_template_relearned(corpus, tmp_path):
    index_dir = tmp_path / "index"
    rebuild(corpus, index_dir)
    new_promo = "Get the Ledger app for breaking news alerts"
    for name, (title, body) in STORIES.items():
        (corpus / f"ledger/{name}.txt").write_text(page(new_promo, title, body))
    report = update(corpus, index_dir)
    assert report.changed == 5
    templates = BuildState.load(layout.current_build(index_dir)).templates
    assert templates.boilerplate_for("ledger") == {new_promo.casefold()}
    assert titles(index_dir, "app alerts") == []


def test_a_few_new_pages_reuse_the_learned_template(corpus, tmp_path, extractions):
    index_dir = tmp_path / "index"
    rebuild(corpus, index_dir)
    extractions.clear()
    (corpus / "ledger/pier.txt").write_text(page(PROMO, "Pier reopens", "The pier reopened."))
    update(corpus, index_dir)
    assert extractions == ["ledger/pier.txt"]
    assert titles(index_dir, "briefing") == []


def test_a_syndicated_copy_added_later_is_collapsed(tmp_path):
    from features_corpus import WIRE

    corpus = write_corpus(
        tmp_path / "corpus",
        {"gazette/court.txt": article("Appeal court strikes down voter ID law", *WIRE)},
    )
    index_dir = tmp_path / "index"
    rebuild(corpus, index_dir)
    write_corpus(
        corpus, {"courier/court.txt": article("Court throws out photo ID rule", *WIRE[:4])}
    )
    update(corpus, index_dir)
    with open_index(index_dir) as index:
        results = index.search("impersonation")
        assert results.total == 1
        assert [d.path for d in results.hits[0].duplicates] in (
            ["courier/court.txt"],
            ["gazette/court.txt"],
        )
    (corpus / "courier/court.txt").unlink()
    update(corpus, index_dir)
    with open_index(index_dir) as index:
        assert index.search("impersonation").hits[0].duplicates == ()


def test_skipped_files_are_remembered_not_re_read(corpus, tmp_path, extractions):
    index_dir = tmp_path / "index"
    (corpus / "ledger/empty.txt").write_text("   \n")
    first = rebuild(corpus, index_dir)
    assert [s.path for s in first.skipped] == ["ledger/empty.txt"]
    extractions.clear()
    again = update(corpus, index_dir)
    assert [s.path for s in again.skipped] == ["ledger/empty.txt"]
    assert extractions == []


def test_update_without_an_index_builds_one(corpus, tmp_path):
    report = update(corpus, tmp_path / "index")
    assert report.indexed == report.added == 5
