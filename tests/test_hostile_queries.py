"""Hostile queries through the library and the CLI: a result or a BadQuery, never a crash."""

from __future__ import annotations

import unicodedata

import pytest
from click.testing import CliRunner
from features_corpus import build

from search import BadQuery, open_index, rebuild
from search.cli import main

OK, BAD = "ok", "bad"
# (query, expected outcome, a path that must be among the hits or None)
CASES = [
    ("", BAD, None),
    ("   ", BAD, None),
    ("the of and", OK, None),
    ("AND", OK, None),
    ("OR", OK, None),
    ("NOT", OK, None),
    ("-", OK, None),
    ("+", OK, None),
    ('"harbour dredging', OK, "gazette/harbour.txt"),
    ("(harbour dredging", OK, "gazette/harbour.txt"),
    ("harbour dredging)", OK, "gazette/harbour.txt"),
    ("foo:bar harbour", OK, "gazette/harbour.txt"),
    ("title:", OK, None),
    ("*", BAD, None),
    ("?????", OK, None),
    ("*ing", BAD, None),
    ("?arbour", OK, None),  # "?" is punctuation: questions end with it
    ("h*", BAD, None),
    ("harb*", OK, "gazette/harbour.txt"),
    (" ".join(["harbour"] * 2_000), BAD, None),
    ("(" * 3_000 + "harbour" + ")" * 3_000, BAD, None),
    ("x" * 100_000, BAD, None),
    ("harbour\x00\x07\x1b dredging", OK, "gazette/harbour.txt"),
    (unicodedata.normalize("NFD", "José Álvarez"), OK, "gazette/museum.txt"),
    (unicodedata.normalize("NFC", "José Álvarez"), OK, "gazette/museum.txt"),
    ("ＨＡＲＢＯＵＲ", OK, "gazette/harbour.txt"),
    ("lighthouse keeper\ufb01", OK, "gazette/museum.txt"),
    ("\u202eruobrah harbour", OK, "gazette/harbour.txt"),
    ("harbour 🚢⚓", OK, "gazette/harbour.txt"),
    ('"><script>alert(1)</script>', OK, None),
    ("harbour AND AND OR NOT", OK, None),
    ("author:", OK, None),
    ('""', OK, None),
    ("((()))", OK, None),
    ("a" * 41 + " harbour", OK, "gazette/harbour.txt"),
    ("harbour~2", OK, None),
    ("harbour^5", OK, None),
    ("[a TO z]", OK, None),
    ("what did the court decide about the voter ID law?", OK, "courier/clerks.txt"),
    # Operators Whoosh's parser cannot place: read as words, never a 500.
    ("REQUIRE ANDMAYBE harbour", OK, "gazette/harbour.txt"),
    ("x ANDNOT ANDMAYBE harbour", OK, None),
    ("harbour ANDNOT REQUIRE dredging", OK, "gazette/harbour.txt"),
    ("AND OR NOT ANDNOT ANDMAYBE REQUIRE", OK, None),
    # Unindexed and internal fields are words, wherever the name stands.
    ('"url:x', OK, None),
    ('x"fingerprint:a', OK, None),
    ('harbour"path:gazette', OK, "gazette/harbour.txt"),
    # Lone surrogates (a non-UTF-8 argument decoded with surrogateescape).
    ("harb\udc80*", OK, None),
    ("harbour \udcff", OK, "gazette/harbour.txt"),
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-queries")
    rebuild(build(root / "corpus"), root / "index")
    return root / "index"


@pytest.mark.parametrize(("query", "expected", "must_find"), CASES)
def test_library_answers_or_refuses(index_dir, query, expected, must_find):
    with open_index(index_dir) as index:
        if expected == BAD:
            with pytest.raises(BadQuery) as refused:
                index.search(query)
            assert str(refused.value)  # a message a person can act on
            return
        results = index.search(query)
        if must_find:
            assert must_find in [h.path for h in results.hits]
        for hit in results.hits:
            assert "<script>" not in hit.snippet_html
            assert "<script>" not in hit.title_html


@pytest.mark.parametrize(("query", "expected", "must_find"), CASES)
def test_cli_exits_0_or_2_never_a_traceback(index_dir, query, expected, must_find):
    result = CliRunner().invoke(main, ["search", query, "--index", str(index_dir), "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == (2 if expected == BAD else 0), result.output
    if must_find:
        assert must_find in result.output
