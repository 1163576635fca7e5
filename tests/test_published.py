"""Publication dates htmldate reads from a page's text, in the page's own language."""

from datetime import datetime

from search.extract import extract

# A Spanish story; dates are written the way Spanish pages print them, which
# only dateparser (htmldate's extensive pass) reads, and only in Spanish.
STORY = [
    "El consejo de la ciudad decidió por la noche, tras una larga reunión sobre el"
    " puerto y el nuevo puente, que las obras empezarán en la primavera.",
    "Los costes serán pagados por la ciudad y la región, dijo el alcalde después de"
    " la votación en el pleno del ayuntamiento.",
]


def page(printed_date: str, lang: str | None) -> str:
    declared = f' lang="{lang}"' if lang else ""
    return (
        f"<html{declared}><head><title>El puente</title></head><body><article>"
        f"<h1>El puente</h1><p class='fecha'>{printed_date}</p>"
        + "".join(f"<p>{p}</p>" for p in STORY)
        + "</article></body></html>"
    )


def test_a_date_in_the_declared_language_is_read():
    html = page("martes 24 de julio de 2012", "es-ES")
    assert extract(html, "a.html").published == datetime(2012, 7, 24)


def test_a_page_that_declares_no_language_is_read_in_the_language_of_its_words():
    html = page("miércoles 25 de julio de 2012", None)
    assert extract(html, "a.html").published == datetime(2012, 7, 25)


def test_a_language_tag_no_locale_has_leaves_the_page_s_words_to_decide():
    html = page("jueves 26 de julio de 2012", "xq")  # a tag no locale has
    assert extract(html, "a.html").published == datetime(2012, 7, 26)


def test_a_page_given_as_text_keeps_its_declared_language():
    # Spanish words, but the page says it is Portuguese: the declaration wins,
    # also when the page reaches extract() as a string (it used to lose the
    # attributes of its <html> tag there).
    html = page("sexta-feira, 27 de julho de 2012", "pt-BR")
    assert extract(html, "a.html").published == datetime(2012, 7, 27)
    assert extract(html.encode(), "b.html").published == datetime(2012, 7, 27)
