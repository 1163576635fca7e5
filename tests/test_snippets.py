import pytest

from search.analysis import analyze
from search.serve.snippets import snippet, snippet_html


def test_matches_are_marked_and_the_rest_escaped():
    body = "The mayor said <script>alert(1)</script> was found on the harbour site."
    html = snippet_html(body, set(analyze("harbour")))
    assert "<mark>harbour</mark>" in html
    assert "&lt;script&gt;" in html
    assert "<script>" not in html


def test_marks_inflected_and_accented_forms():
    body = "Zoë Ferrández was dredging the harbours."
    html = snippet_html(body, set(analyze("zoe dredge harbour")))
    assert html.count("<mark>") == 3
    assert "<mark>Zoë</mark>" in html


def test_picks_the_sentences_with_most_matched_words_in_reading_order():
    body = (
        "A dull opening sentence about nothing. "
        "The council voted on the harbour. "
        "Filler text here. "
        "The harbour dredging budget passed the council."
    )
    html = snippet_html(body, set(analyze("harbour dredging budget")))
    assert html.startswith("… The council voted")  # text left out before it
    assert "dull opening" not in html
    assert html.index("voted") < html.index("passed")


def test_a_snippet_is_one_or_two_sentences_within_about_300_characters():
    sentence = "The harbour board met again on Monday to argue about the silt and the fees. "
    body = "Opening line. " + sentence * 12
    found = snippet(body, {"harbour"})
    assert len(found.text) <= 300 + 4
    assert 1 <= found.text.count("harbour") <= 2 * 2
    assert found.text.startswith("… ") and found.text.endswith(" …")
    longer = snippet(body, {"harbour"}, max_chars=900)
    assert longer.text.count("harbour") > 2 and len(longer.text) > 400


def test_the_plain_text_snippet_has_no_markup():
    found = snippet("The mayor said <b> on the harbour site.", {"harbour"})
    assert found.text == "The mayor said <b> on the harbour site."
    assert "<mark>harbour</mark>" in found.html and "&lt;b&gt;" in found.html


def test_marks_cover_words_not_the_hyphens_between_them():
    html = snippet_html("Abu Bakr al-Baghdadi spoke.", set(analyze("al-baghdadi")))
    assert "<mark>al</mark>-<mark>Baghdadi</mark>" in html


def test_long_sentences_are_cut_at_word_boundaries():
    body = "word " * 200 + "harbour " + "word " * 200 + "."
    html = snippet_html(body, {"harbour"})
    text = html.replace("<mark>", "").replace("</mark>", "")
    assert "<mark>harbour</mark>" in html
    assert len(text) < 300
    assert all(w in ("…", "word", "harbour") for w in text.split())


def test_falls_back_to_the_summary_when_the_body_has_no_match():
    html = snippet_html("Body text.", {"harbour"}, fallback="A summary with <b>tags</b>.")
    assert html == "A summary with &lt;b&gt;tags&lt;/b&gt;."


TRICKY = (
    "Baghdadi's men met O'Brien in the U.S. on Monday; they don't say so. "
    "Hoping for hope, the happy happiness of HARBOUR harbours ends.Brien and 'brien "
    "foo_bar anti-ISIS 1987s McDonald’s ‘quoted’ words — ellipsis… "
    + "x" * 45
    + " generously relational possibility skies dying early"
    + " O’Rourke I’m ties tying lying lied oils OIL"
)


@pytest.mark.parametrize("word", sorted(set(TRICKY.replace("—", " ").split())))
def test_words_are_found_as_a_full_reading_finds_them(word):
    from search.serve.snippets import TOKEN_PATTERN, match_spans, term_of

    terms = set(analyze(word))
    full = [m.span() for m in TOKEN_PATTERN.finditer(TRICKY) if term_of(m.group()) in terms]
    assert match_spans(TRICKY, terms) == full


@pytest.mark.parametrize(
    "word",
    [
        *sorted(set(TRICKY.replace("—", " ").split())),
        *("x" * 40, "x" * 41, "s", "THE", "’s", "O’Brien’s", "İstanbul", "ﬁnance", "Ｔｏｋｙｏ"),
        *("news", "Skies", "a b", ""),
    ],
)
def test_a_word_is_analysed_as_the_index_analyses_it(word):
    from search.analysis import ANALYZER
    from search.serve.snippets import term_of

    analysed = [t.text for t in ANALYZER(word)]
    assert term_of(word) == (analysed[0] if len(analysed) == 1 else None)
