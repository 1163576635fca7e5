"""An outlet's name is cut from its titles: learned across its pages, or by its declaration."""

from helpers import write_corpus

from search import open_index, rebuild, update
from search.extract import extract, template_lines
from search.extract.html.values import drop_site_name
from search.extract.templates import Templates, learn, site_names
from search.extract.titles import strip_site_names
from search.store import layout
from search.store.state import BuildState

HEADLINES = [
    "Ferry fares rise again",
    "Library extends its opening hours",
    "Bridge repairs finish early",
    "School wins a science award",
]


def page(title: str, headline: str, host: str | None = None) -> str:
    """A page that names its outlet only in <title>: no og:site_name, no logo heading."""
    canonical = f'<link rel="canonical" href="https://{host}/story">' if host else ""
    return (
        f"<html><head><title>{title}</title>{canonical}</head><body><article>"
        f"<p>{headline}, the council said on Monday after a long meeting about the"
        " harbour, the ferry timetable and the new parking rules.</p></article></body></html>"
    )


def extracted_titles(files: dict[str, str]) -> dict[str, str]:
    data = {path: text.encode() for path, text in files.items()}
    templates = learn(template_lines(d, p) for p, d in data.items())
    return {p: extract(d, p, templates).title for p, d in data.items()}


def test_a_name_every_page_of_an_outlet_ends_with_is_cut_from_each_title():
    files = {f"notes/{n}.html": page(f"{h} - Harbour Notes", h) for n, h in enumerate(HEADLINES)}
    assert sorted(extracted_titles(files).values()) == sorted(HEADLINES)


def test_a_name_that_opens_the_titles_is_cut_too_whatever_its_separator():
    files = {
        f"scout/{n}.html": page(f"THE STREET SCOUT - City Fashion: {h}", h)
        for n, h in enumerate(HEADLINES)
    }
    assert sorted(extracted_titles(files).values()) == sorted(HEADLINES)


def test_one_page_alone_teaches_no_name():
    files = {"notes/one.html": page("Ferry fares rise again - Harbour Notes", "Ferry fares")}
    assert extracted_titles(files) == {"notes/one.html": "Ferry fares rise again - Harbour Notes"}


def test_a_series_on_a_few_of_an_outlets_pages_is_not_its_name():
    titles = [f"{h} | Harbour Notes" for h in HEADLINES] + [
        "Letters: the ferry fares | Harbour Notes",
        "Letters: our library | Harbour Notes",
    ]
    names = site_names(titles)
    assert names == ("Harbour Notes",)
    assert strip_site_names("Letters: our library | Harbour Notes", names) == (
        "Letters: our library"
    )


def test_a_column_on_half_of_an_outlets_pages_is_not_its_name():
    titles = [f"Q&A: {h} | Harbour Notes" for h in HEADLINES[:2]]
    titles += [f"{h} | Harbour Notes" for h in HEADLINES[2:]]
    assert site_names(titles) == ("Harbour Notes",)


def test_outlets_in_one_folder_learn_their_names_apart():
    files = {
        f"mixed/a{n}.html": page(f"{h} - Harbour Notes", h, "notes.example")
        for n, h in enumerate(HEADLINES[:2])
    }
    files |= {
        f"mixed/b{n}.html": page(f"Valley Post | {h}", h, "post.example")
        for n, h in enumerate(HEADLINES[2:])
    }
    assert sorted(extracted_titles(files).values()) == sorted(HEADLINES)


def test_a_separator_inside_brackets_splits_off_no_name():
    titles = [f"[Harbour Tales: Part {n}] {h} - Quay Theatre" for n, h in enumerate(HEADLINES)]
    assert site_names(titles) == ("Quay Theatre",)


def test_a_title_that_is_only_the_name_keeps_it():
    assert strip_site_names("Harbour Notes", ("Harbour Notes",)) == "Harbour Notes"


def found(index_dir, query: str) -> list[str]:
    with open_index(index_dir) as index:
        return [h.title for h in index.search(query).hits]


def test_names_are_kept_in_the_build_and_cut_from_indexed_titles(tmp_path):
    files = {f"notes/{n}.html": page(f"{h} - Harbour Notes", h) for n, h in enumerate(HEADLINES)}
    corpus = write_corpus(tmp_path / "corpus", files)
    index_dir = tmp_path / "index"
    rebuild(corpus, index_dir)
    templates = BuildState.load(layout.current_build(index_dir)).templates
    assert templates.names_for("notes") == ("Harbour Notes",)
    assert found(index_dir, "science award") == ["School wins a science award"]
    # The outlet renames itself: the update relearns the name and re-extracts.
    for n, h in enumerate(HEADLINES):
        (corpus / f"notes/{n}.html").write_text(page(f"{h} - Notes from the Harbour", h))
    update(corpus, index_dir)
    templates = BuildState.load(layout.current_build(index_dir)).templates
    assert templates.names_for("notes") == ("Notes from the Harbour",)
    assert found(index_dir, "science award") == ["School wins a science award"]


def test_learned_names_survive_the_templates_file_and_older_files_still_read():
    templates = Templates({"notes": frozenset({"follow us"})}, {"notes": ("Harbour Notes",)})
    assert Templates.from_json(templates.to_json()) == templates
    assert Templates.from_json('{"version": 1, "outlets": {}}').names_for("notes") == ()


def test_a_longer_form_of_the_declared_name_ends_the_title():
    assert drop_site_name(
        "Ferry fares rise again - Example Official Site", "Example.com", "example.com"
    ) == ("Ferry fares rise again")
    assert drop_site_name(
        "Three outcomes - Direction and trust - Ann Lee On Leadership", "Ann Lee", "annlee.com"
    ) == ("Three outcomes - Direction and trust")


def test_a_headline_about_the_site_keeps_its_words():
    # The part after the separator is longer than what is before it: a
    # product or subject, not the site's name.
    assert drop_site_name("Review - Example Watch Series 4", "Example", "example.com") == (
        "Review - Example Watch Series 4"
    )
    # A colon joins a headline's halves, never a site name.
    assert drop_site_name(
        "The big question: Example Watch Series sales", "Example", "example.com"
    ) == ("The big question: Example Watch Series sales")
