from search.analysis import ANALYZER, analyze, spelling_words


def test_accents_case_and_width_fold_to_the_same_terms():
    assert analyze("Zoë FERRÁNDEZ") == analyze("zoe ferrandez")
    assert analyze("Ｍｏｓｕｌ") == analyze("Mosul")


def test_ligatures_and_curly_apostrophes_fold():
    assert analyze("ﬁnance") == analyze("finance")
    assert analyze("don’t") == analyze("don't")


def test_possessive_matches_the_name():
    assert analyze("Baghdadi’s") == analyze("Baghdadi") == ["baghdadi"]


def test_inflections_share_a_stem():
    assert analyze("running") == analyze("runs")
    assert analyze("elections") == analyze("election")


def test_common_stop_words_are_dropped():
    assert analyze("the mayor of the city") == analyze("mayor city")


def test_us_is_a_word_not_a_stop_word():
    assert analyze("US sanctions") == ["us", "sanction"]


def test_spelling_words_are_the_analyzers_words_before_stemming():
    text = (
        "Ferrández's team met O’Brien’s lawyers in the U.S. capital; they don't expect "
        "ＦＵＬＬ ﬁnance reports. The THE the İstanbul straße s's a1 é running ran "
        + "x" * 41
        + " "
        + "y" * 40
    )
    words = spelling_words(text)
    assert words == frozenset(t.text for t in ANALYZER(text, no_morph=True))
    assert {"ferrandez", "o'brien", "u.s", "don't", "full", "finance", "running"} <= words
    assert not {"the", "in", "s", "x" * 41, "runn", "run"} & words
