import pytest

from search.errors import BadQuery
from search.serve.parse import MAX_QUERY_CHARS, parse


def terms(text: str) -> set[str]:
    return {t for f, t in parse(text).terms}


def test_plain_words_search_title_and_body():
    fields = {f for f, _ in parse("harbour dredging").terms}
    assert fields == {"title", "body"}


def test_field_prefixes_and_aliases():
    assert parse("author:Johnson").terms == {("author", "johnson")}
    assert parse("by:Johnson").terms == {("author", "johnson")}


def test_unknown_field_is_read_as_words():
    assert terms("colour:red") == {"colour", "red"}


def test_question_mark_is_punctuation_not_a_wildcard():
    assert "law" in terms("what about the voter ID law?")


@pytest.mark.parametrize("query", ["", "   ", "\x00\x01"])
def test_empty_query_is_refused_with_a_message(query):
    with pytest.raises(BadQuery, match="type some words"):
        parse(query)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("*", "letters before"),
        ("*ing", "letters before"),
        ("a*", "at least 2 letters"),
        ("(" * 20 + "x" + ")" * 20, "nested too deep"),
        ("word " * 1000, "too many words"),
        ("x" * (MAX_QUERY_CHARS + 1), "too long"),
    ],
)
def test_costly_queries_are_refused(query, message):
    with pytest.raises(BadQuery, match=message):
        parse(query)


def test_a_pasted_paragraph_of_300_words_is_accepted():
    paragraph = " ".join(["council", "budget", "harbour", "dredging", "vote"] * 60)
    assert len(paragraph) >= 2000
    assert terms(paragraph) == {"council", "budget", "harbour", "dredg", "vote"}


def test_unbalanced_quotes_and_lone_operators_do_not_raise():
    assert terms('"harbour dredging') == {"harbour", "dredg"}
    assert parse("AND").is_empty
    assert parse("OR OR").is_empty


def test_control_and_direction_characters_are_removed():
    assert terms("har\u202ebour\x07") == terms("har bour")


def test_question_and_request_words_are_dropped():
    assert terms("What did the court decide about the voter ID law?") == {
        "court",
        "decid",
        "voter",
        "id",
        "law",
    }
    assert terms("I am interested in articles on tramways, please") == {"tramway"}


def test_a_word_is_dropped_as_typed_not_by_its_stem():
    assert terms("I am interested in interest rates") == {"interest", "rate"}


def test_a_query_of_only_question_words_is_kept():
    assert terms("the who") == {"who"}
    assert terms("how about them") == {"how", "about", "them"}


def test_a_repeated_word_counts_twice():
    assert parse("harbour dredging harbour").query.words == {"harbour": 2, "dredg": 1}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("y = a log(x + c) + b", {"log"}),
        ("types of messages?--i.e. any", {"type", "messag"}),
        ("operators like *, +.", {"oper"}),
    ],
)
def test_stray_plus_minus_and_star_are_punctuation(query, expected):
    assert terms(query) == expected


def test_a_stop_word_typed_as_an_acronym_is_kept():
    assert terms("what are the US sanctions on the WHO") == {"us", "sanction", "who"}
    assert terms("what are the sanctions on us") == {"sanction"}
