from helpers import article, write_corpus

from search.build import corpus, planning
from search.build.spools import DraftSpool

PROMO = "Sign up for our newsletter and never miss a story from the valley."


def _story(n: int, place: str) -> str:
    return article(
        f"Story {n} from {place}",
        f"The {place} council met on day {n} and voted on item {n} of its agenda.",
        PROMO,
        f"Residents of {place} said item {n} had been discussed for {n + 2} years.",
    )


def test_a_fresh_build_learns_each_folders_templates_as_the_whole_corpus_would(tmp_path):
    # A subfolder's files come between its parent folder's in the walk: the
    # parent's template is learned after its last file, not at the subfolder.
    root = write_corpus(
        tmp_path / "corpus",
        {
            "valley/a.txt": _story(1, "Ashford"),
            "valley/archive/b.txt": _story(2, "Brill"),
            "valley/archive/c.txt": _story(3, "Cray"),
            "valley/archive/d.txt": _story(4, "Dunmore"),
            "valley/e.txt": _story(5, "Elm"),
            "valley/f.txt": _story(6, "Fenwick"),
            "hills/g.txt": _story(7, "Garth"),
            "hills/h.txt": _story(8, "Hale"),
        },
    )
    files = [f for f in corpus.walk(root) if isinstance(f, corpus.CorpusFile)]
    drafts = DraftSpool(tmp_path / "drafts")
    try:
        _, by_folder = planning._scan_and_learn(files, 1, None, drafts)
        whole = planning.learn_templates(files, 1, None, drafts)
    finally:
        drafts.close()
    assert by_folder == whole
    promo = PROMO.casefold()
    learned = {o for o, lines in by_folder.by_outlet.items() if promo in lines}
    assert len(learned) == 2  # valley and valley/archive (3 pages each); hills has 2
