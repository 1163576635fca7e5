"""Outlet templates: lines recurring across an outlet's pages are learned as boilerplate."""

from search.extract.templates import MAX_TEMPLATE_CHARS, Templates, learn, normalize_line

PROMO = "Sign up for the Gazette's morning email"


def docs(outlet: str, count: int, *shared: str):
    """``count`` documents of one outlet, each with its own sentence plus ``shared`` lines."""
    return [(outlet, [f"Story number {'x' * n} about the harbour.", *shared]) for n in range(count)]


def test_normalize_line_folds_case_and_spaces_but_keeps_digits():
    assert normalize_line("  © 2023\u00a0The  GAZETTE ") == "© 2023 the gazette"
    assert normalize_line("© 2023 the gazette") != normalize_line("© 2024 the gazette")
    assert normalize_line("Ｆｕｌｌ width") == "full width"


def test_lines_that_differ_in_a_number_are_distinct_items():
    # Folding digits made three pages' "Seats won: N" lines one template line,
    # dropping every such line (each a different result) from the outlet.
    corpus = [("results", [f"Seats won: {n}", f"Ward {n} count"]) for n in (12, 45, 7, 3)]
    assert learn(corpus).boilerplate_for("results") == frozenset()


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


VICTIM_SENTENCES = [
    "The appeal court struck down the voter ID law on Tuesday in a two to one ruling.",
    "Judges said the law placed an unfair burden on elderly voters without photo cards.",
    "The state attorney general said he would take the case to the supreme court.",
]


def _page(host: str, title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html><head><title>{title}</title><link rel="canonical" href="https://{host}/{title}">'
        f"</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def test_pages_claiming_another_outlets_host_cannot_erase_its_articles(tmp_path):
    # Three pages in the attacker's folder declare the victim's canonical host
    # and repeat its article's sentences; templates are learned per folder, so
    # the victim's own page keeps every paragraph.
    from helpers import write_corpus

    from search import open_index, rebuild

    filler = "Readers can find more coverage of the ruling across our site this week."
    files = {
        f"attacker/copy{n}.html": _page("victim.example", f"copy{n}", [*VICTIM_SENTENCES, filler])
        for n in range(3)
    }
    files["victim/ruling.html"] = _page(
        "victim.example",
        "ruling",
        [*VICTIM_SENTENCES, "Campaigners outside the court cheered as the ruling was read out."],
    )
    corpus = write_corpus(tmp_path / "corpus", files)
    rebuild(corpus, tmp_path / "index")
    with open_index(tmp_path / "index") as index:
        hits = index.search('"voter ID law"', collapse=False).hits
        victim = [h for h in hits if h.path == "victim/ruling.html"]
        assert victim, [h.path for h in hits]
        body = index.article(victim[0].id).body
    assert all(sentence in body for sentence in VICTIM_SENTENCES)
