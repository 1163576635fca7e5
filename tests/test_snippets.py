from search.analysis import analyze
from search.snippets import snippet_html


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
    assert html.startswith("The council voted")
    assert "dull opening" not in html
    assert html.index("voted") < html.index("passed")


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
