"""Outlet templates: lines recurring across an outlet's pages are learned as boilerplate."""

from search.extract.templates import MAX_TEMPLATE_CHARS, Templates, learn, normalize_line

PROMO = "Sign up for the Gazette's morning email"


def docs(outlet: str, count: int, *shared: str):
    """``count`` documents of one outlet, each with its own sentence plus ``shared`` lines."""
    return [(outlet, [f"Story number {'x' * n} about the harbour.", *shared]) for n in range(count)]


def test_normalize_line_folds_case_spaces_and_digits():
    assert normalize_line("  © 2023\u00a0The  GAZETTE ") == normalize_line("© 2024 the gazette")
    assert normalize_line("Updated 10:40") == "updated #:#"
    assert normalize_line("Ｆｕｌｌ width") == "full width"


def test_a_line_on_most_pages_of_an_outlet_is_learned():
    templates = learn(docs("gazette", 5, PROMO))
    assert normalize_line(PROMO) in templates.boilerplate_for("gazette")


def test_article_sentences_are_not_learned():
    templates = learn(docs("gazette", 5, PROMO))
    learned = templates.boilerplate_for("gazette")
    assert not any("story number" in line for line in learned)


def test_a_line_on_two_pages_is_not_enough():
    corpus = docs("gazette", 2, PROMO) + docs("gazette", 3)
    assert normalize_line(PROMO) not in learn(corpus).boilerplate_for("gazette")


def test_a_line_on_a_small_share_of_a_large_outlet_is_not_learned():
    quote = '"We will rebuild the pier," the mayor said.'
    corpus = docs("gazette", 4, quote) + docs("gazette", 30)
    assert normalize_line(quote) not in learn(corpus).boilerplate_for("gazette")


def test_templates_are_per_outlet():
    templates = learn(docs("gazette", 5, PROMO) + docs("courier", 5))
    assert normalize_line(PROMO) in templates.boilerplate_for("gazette")
    assert templates.boilerplate_for("courier") == frozenset()
    assert templates.boilerplate_for(None) == frozenset()
    assert templates.boilerplate_for("unknown") == frozenset()


def test_very_long_repeated_lines_are_prose_not_template():
    long_line = "word " * (MAX_TEMPLATE_CHARS // 5 + 1)
    assert learn(docs("gazette", 5, long_line)).boilerplate_for("gazette") == frozenset()


def test_templates_survive_a_json_round_trip():
    templates = learn(docs("gazette", 5, PROMO, "Follow us"))
    again = Templates.from_json(templates.to_json())
    assert again == templates
    assert again.boilerplate_for("gazette") == templates.boilerplate_for("gazette")
