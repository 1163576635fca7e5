from search.analysis import analyze


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
