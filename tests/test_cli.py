import json

import pytest
from click.testing import CliRunner
from helpers import article, write_corpus

from search.cli import main


@pytest.fixture
def paths(tmp_path):
    corpus = write_corpus(
        tmp_path / "corpus",
        {
            "ledger/harbour.txt": article(
                "Harbour dredging approved",
                "The council approved dredging of the old harbour on Monday evening.",
                "Fishermen said the work was long overdue.",
                byline="Mara Quill",
            ),
            "ledger/museum.txt": article(
                "Museum reopens after repairs",
                "The town museum reopened after two years of repairs to its roof.",
            ),
            "ledger/broken.html": b"\x00\x01\x02binary junk",
        },
    )
    return corpus, tmp_path / "index"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_rebuild_reports_indexed_and_skipped_files(paths):
    corpus, index = paths
    result = run("rebuild", "--corpus", corpus, "--index", index)
    assert result.exit_code == 0, result.output
    assert "indexed 2 documents, skipped 1, failed 0" in result.output
    assert "ledger/broken.html: binary" in result.output


def test_search_prints_ranked_results_and_json(paths):
    corpus, index = paths
    run("rebuild", "--corpus", corpus, "--index", index)
    text = run("search", "harbour dredging", "--index", index)
    assert text.exit_code == 0
    assert "1 result " in text.output
    assert "Harbour dredging approved" in text.output
    data = json.loads(run("search", "museum", "--index", index, "--json").output)
    assert [h["path"] for h in data["hits"]] == ["ledger/museum.txt"]
    assert set(data) == {
        "query", "total", "page", "per_page", "took_ms", "hits", "correction", "facets",
        "collapsed", "partial", "showing", "named_authors",
    }  # fmt: skip
    assert set(data["hits"][0]) == {
        "id", "path", "title", "author", "published", "source", "section", "url", "summary",
        "score", "snippet_html", "snippet_text", "title_html", "duplicates", "missing",
    }  # fmt: skip


def test_bad_query_exits_2_and_missing_index_exits_3(paths, tmp_path):
    corpus, index = paths
    run("rebuild", "--corpus", corpus, "--index", index)
    bad = run("search", "*", "--index", index)
    assert bad.exit_code == 2
    assert "letters before the '*'" in bad.output
    missing = run("search", "harbour", "--index", tmp_path / "none")
    assert missing.exit_code == 3
    assert "newsearch rebuild" in missing.output


def test_environment_chooses_the_index(paths, monkeypatch):
    corpus, index = paths
    monkeypatch.setenv("NEWSEARCH_CORPUS", str(corpus))
    monkeypatch.setenv("NEWSEARCH_INDEX", str(index))
    assert run("rebuild").exit_code == 0
    assert "Museum reopens" in run("search", "museum").output


def test_the_web_apps_old_variable_names_still_work_with_a_warning(paths, monkeypatch):
    corpus, index = paths
    monkeypatch.setenv("NEWSEARCH_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("NEWSEARCH_INDEX_DIR", str(index))
    with pytest.warns(DeprecationWarning) as caught:
        assert run("rebuild").exit_code == 0
        assert "Museum reopens" in run("search", "museum").output
    assert {str(w.message) for w in caught} == {
        "NEWSEARCH_CORPUS_DIR is deprecated; set NEWSEARCH_CORPUS instead",
        "NEWSEARCH_INDEX_DIR is deprecated; set NEWSEARCH_INDEX instead",
    }


def test_extract_jsonl_is_what_gets_indexed(paths):
    corpus, _ = paths
    result = run("extract", "--jsonl", corpus / "ledger" / "harbour.txt")
    doc = json.loads(result.output)
    assert doc["title"] == "Harbour dredging approved"
    assert doc["author"] == "Mara Quill"
    assert doc["body"].split("\n\n") == [
        "The council approved dredging of the old harbour on Monday evening.",
        "Fishermen said the work was long overdue.",
    ]


def test_extract_a_folder_learns_its_template(tmp_path):
    promo = "Sign up for the Ledger morning briefing"
    stories = [
        ("Ferry fares rise", "The ferry company raised fares by a tenth on Monday."),
        ("Library extends hours", "The library will open until nine on weekdays from May."),
        ("Bridge repairs finish", "Crews finished repairs to the swing bridge ahead of schedule."),
        ("School wins award", "Pupils at the harbour school won a national science award."),
    ]
    files = {
        f"ledger/{n}.txt": f"{promo}\n\n{title}\n\n{body}\n"
        for n, (title, body) in enumerate(stories)
    }
    corpus = write_corpus(tmp_path / "corpus", files)
    out = run("extract", "--jsonl", corpus).output
    docs = [json.loads(line) for line in out.splitlines()]
    assert len(docs) == 4
    assert all(promo not in d["body"] and promo != d["title"] for d in docs)


def test_stats(paths):
    corpus, index = paths
    run("rebuild", "--corpus", corpus, "--index", index)
    data = json.loads(run("stats", "--index", index, "--json").output)
    assert data["documents"] == 2


def test_busy_index_exits_4(paths):
    from search.store import layout

    corpus, index = paths
    with layout.writer_lock(index):
        result = run("rebuild", "--corpus", corpus, "--index", index)
    assert result.exit_code == 4
    assert "busy" in result.output


def test_search_filters_and_sort_mirror_the_api(tmp_path):
    from features_corpus import build

    corpus = build(tmp_path / "corpus")
    run("rebuild", "--corpus", corpus, "--index", tmp_path / "index")
    out = run(
        "search", "court OR harbour", "--index", tmp_path / "index", "--json",
        "--source", "Courier", "--from", "2025-01-01", "--sort", "date",
    )  # fmt: skip
    data = json.loads(out.output)
    assert [h["path"] for h in data["hits"]] == ["courier/clerks.txt", "courier/court.txt"]
    assert data["hits"][1]["duplicates"][0]["path"] == "gazette/court.txt"
    assert data["facets"]["source"] == {"Courier": 2, "Gazette": 1}
    index = tmp_path / "index"
    reversed_dates = run(
        "search", "court", "--index", index, "--from", "2025-02", "--to", "2025-01"
    )
    assert reversed_dates.exit_code == 2
    assert "ISO date like" in reversed_dates.output
    swapped = run("search", "court", "--index", index, "--from", "2025-02-01", "--to", "2025-01-01")
    assert swapped.exit_code == 2
    assert "swap them" in swapped.output


def test_suggest_and_article_commands(tmp_path):
    from features_corpus import build

    corpus = build(tmp_path / "corpus")
    index = tmp_path / "index"
    run("rebuild", "--corpus", corpus, "--index", index)
    assert run("suggest", "harbour dre", "--index", index).output.splitlines()[0] == (
        "harbour dredging"
    )
    hits = json.loads(run("search", "clerks", "--index", index, "--json").output)["hits"]
    article = json.loads(run("article", hits[0]["id"], "--index", index, "--json").output)
    assert article["title"] == "Clerks reprint election guides after ID ruling"
    assert {r["path"] for r in article["related"]} <= {"gazette/court.txt", "courier/court.txt"}
    assert run("article", "nope", "--index", index).exit_code == 1
