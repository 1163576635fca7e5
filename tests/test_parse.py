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


PLAIN_QUERIES = [
    "harbour dredging", "it's a test", "O'Neill U.S. sanctions", "what's new",
    "3.5 per cent 1,000", "José Álvarez", "the who", "to be or not to be", "a b c d",
    "x" * 50 + " harbour", "harbour harbour dredging", "U.S.A. U.K.", "naïve café",
    "Straße", "don't stop", "Harbour, dredging; approved!", "rock'n'roll",
    "interested in articles about oil prices", "voter ID law ruling appeal court",
]  # fmt: skip


@pytest.mark.parametrize("text", PLAIN_QUERIES)
def test_plain_words_skip_whooshs_parser_with_the_same_query(text):
    from search.serve import parse as p

    fast = p._plain_words(text)
    assert fast is not None
    slow = p._gather_words(p._PARSER.parse(text, normalize=False)).normalize()
    assert repr(fast) == repr(slow)


@pytest.mark.parametrize(
    "text", ['"harbour dredging"', "title:harbour", "harb*", "a OR b", "(a)", "-x y", "'quoted'"]
)
def test_anything_syntax_goes_through_the_parser(text):
    from search.serve import parse as p

    assert p._plain_words(text) is None
