"""What the CLI prints from documents and file names cannot drive the terminal."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers import article, write_corpus

from search import rebuild, terminal
from search.cli import main

# A title with an 8-bit CSI (U+009B: not a control byte in UTF-8) and an RTL
# override; a body that would retitle the window, clear the screen and write
# the clipboard (OSC 52) past the first KiB (control bytes at the start of a
# file make it "binary"); a file name with a newline and an RTL override.
NASTY_TITLE = "Harbour \u009b31mdredging\u202e approved"
CLEAN = (
    "The board met for three hours on Tuesday evening in the old customs house by the "
    "quay, and members of the public asked about noise, dust and the fishing fleet. "
) * 8
NASTY_BODY = "The harbour board \x1b]0;owned\x07\x1b[2J\x1b]52;c;ZWNobyBoaQ==\x07approved it."
NASTY_NAME = "port/evil\nname\u202etxt.exe.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("terminal")
    corpus = write_corpus(root / "corpus", {NASTY_NAME: article(NASTY_TITLE, CLEAN, NASTY_BODY)})
    rebuild(corpus, root / "index")
    return corpus, root / "index"


def _assert_inert(output: str) -> None:
    assert "\x1b" not in output
    assert "\x9b" not in output
    assert "\u202e" not in output
    assert "\x07" not in output


def test_search_prints_no_escapes_and_shows_a_newline_in_a_path(built):
    _, index = built
    result = CliRunner().invoke(main, ["search", "harbour", "--index", str(index)])
    assert result.exit_code == 0, result.output
    _assert_inert(result.output)
    assert "port/evil\\x0aname" in result.output
    assert "Harbour dredging approved" in result.output


def test_search_json_escapes_what_json_allows_raw(built):
    _, index = built
    result = CliRunner().invoke(main, ["search", "harbour", "--index", str(index), "--json"])
    _assert_inert(result.output)
    data = json.loads(result.output)
    assert data["hits"][0]["path"] == NASTY_NAME  # the same value, written safely


def test_article_prints_no_escapes(built):
    _, index = built
    found = CliRunner().invoke(main, ["search", "harbour", "--index", str(index), "--json"])
    article_id = json.loads(found.output)["hits"][0]["id"]
    result = CliRunner().invoke(main, ["article", article_id, "--index", str(index)])
    assert result.exit_code == 0, result.output
    _assert_inert(result.output)
    assert "the fishing fleet" in result.output


def test_extract_prints_no_escapes(built):
    corpus, index = built
    path = corpus / NASTY_NAME
    for extra in ([], ["--jsonl"]):
        result = CliRunner().invoke(main, ["extract", str(path), "--index", str(index), *extra])
        assert result.exit_code == 0, result.output
        _assert_inert(result.output)


def test_a_non_utf8_argument_is_searched_not_a_crash(built):
    _, index = built
    # How Python hands over an argument that is not UTF-8 (surrogateescape).
    raw = b"harb\xff*".decode("utf-8", "surrogateescape")
    result = CliRunner().invoke(main, ["search", raw, "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "\ufffd" in terminal.argument(raw)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain text", "plain text"),
        ("a\x1b[1;31mb", "ab"),
        ("tab\there", "tab\\x09here"),
        ("new\nline", "new\\x0aline"),
        ("rtl\u202egpj.exe", "rtlgpj.exe"),
        ("bell\x07", "bell\\x07"),
        ("lone \udc80", "lone \ufffd"),
    ],
)
def test_one_line_values(raw, shown):
    assert terminal.line(raw) == shown


def test_text_keeps_its_lines():
    assert terminal.text("one\r\ntwo\n\x1b[2Jthree") == "one\ntwo\nthree"
