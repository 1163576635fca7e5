"""The CLI as a new reader meets it: clear messages instead of tracebacks,
words without quotes, ids that ``article`` takes, readable stats."""

import pytest
from click.testing import CliRunner
from helpers import article, write_corpus

from search.cli import main, skip_reason
from search.model import Skip


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    corpus = write_corpus(
        root / "corpus",
        {
            "ledger/heat.txt": article(
                "Heat warning extended to Monday",
                "Forecasters extended the heat warning for the coast to Monday.",
                "Cooling centres stay open late.",
                byline="Renée Côté",
            ),
            "ledger/museum.txt": article(
                "Museum reopens after repairs",
                "The town museum reopened after two years of repairs to its roof.",
            ),
        },
    )
    index = root / "index"
    assert run("rebuild", "--corpus", corpus, "--index", index).exit_code == 0
    return corpus, index


def test_an_empty_corpus_folder_is_a_clear_error_not_a_traceback(tmp_path):
    (tmp_path / "corpus").mkdir()
    for command in ("rebuild", "serve"):
        result = run(command, "--corpus", tmp_path / "corpus", "--index", tmp_path / "index")
        assert result.exit_code == 1
        assert "holds no documents" in result.output
        assert "Traceback" not in result.output and not isinstance(result.exception, AttributeError)
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_words_need_no_quotes_and_each_hit_shows_its_id(built):
    _, index = built
    result = run("search", "heat", "warning", "--index", index)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 result (")
    line = next(x for x in result.output.splitlines() if x.strip().startswith("id "))
    article_id, path = line.split()[1], line.split()[2]
    assert path == "ledger/heat.txt"
    for handle in (article_id, path):
        shown = run("article", handle, "--index", index)
        assert shown.exit_code == 0, shown.output
        assert shown.output.startswith("Heat warning extended to Monday")
    missing = run("article", "nope/none.txt", "--index", index)
    assert missing.exit_code == 1 and "newsearch search" in missing.output


def test_no_color_and_pipes_get_plain_text(built):
    _, index = built
    result = run("search", "museum", "--index", index, env={"NO_COLOR": "1"})
    assert "\x1b[" not in result.output


def test_stats_are_readable(built):
    _, index = built
    result = run("stats", "--index", index)
    assert result.exit_code == 0
    assert "None" not in result.output
    assert "documents: 2" in result.output
    size = next(x for x in result.output.splitlines() if x.startswith("size:"))
    assert size.endswith(("KB", "MB"))


def test_skip_reasons_do_not_repeat_themselves():
    assert skip_reason(Skip("no article text", "no article text found")) == "no article text found"
    assert skip_reason(Skip("binary", "3 NUL bytes")) == "binary (3 NUL bytes)"
    assert skip_reason(Skip("empty")) == "empty"


def test_a_listing_without_words_is_newest_first_and_says_so(built):
    _, index = built
    result = run("search", "--source", "Ledger", "--index", index)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 articles, newest first (")
