"""A fresh rebuild of HTML pages finishes each folder as soon as it has been read:
the index is the one a two-pass build (learn every template, then extract)
makes, document for document, with the same duplicate groups and ranking."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from helpers import served_documents, write_corpus

from search import open_index, rebuild
from search.build import folders, pool
from search.store import layout
from search.store.state import BuildState

PROMO = "Subscribe to the Harbour Ledger newsletter for the week's best stories."
STORIES = {
    "fees": "The harbour board raised mooring fees by a tenth on Monday after a long meeting.",
    "ferry": "Ferry pilots struck at dawn, leaving commuters stranded on the quay for hours.",
    "library": "The library will open on Sundays from March, the council said after a vote.",
    "bridge": "Repairs to the old stone bridge finished a week early and under budget.",
    "school": "A school science team won the national prize for its tide-gauge project.",
}
ARCHIVE = {
    "fees": "Forty years ago the quay was rebuilt in granite by crews from three counties.",
    "ferry": "The first steam ferry crossed the estuary in 1871 with eleven passengers aboard.",
    "library": "A reading room opened above the fish market in 1902, lit by gas lamps.",
    "bridge": "Flood water swept away the wooden bridge in the winter storms of 1947.",
    "school": "The village school once taught forty pupils in a single heated room.",
}
QUERIES = ("harbour", "ferry pilots", "library sundays", "bridge", "newsletter", "tide", "1947")


def page(title: str, story: str, *, promo: str | None = None, extra: str = "") -> str:
    """A page of three paragraphs, enough words for a near-duplicate sketch,
    all drawn from ``story`` (so that different stories share no shingles)."""
    words = story.rstrip(".").split()
    paragraphs = [story, " ".join(reversed(words)) + ".", " ".join(sorted(words)) + f". {extra}"]
    footer = f"<footer><p>{promo}</p></footer>" if promo else ""
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + f"</article>{footer}</body></html>"
    )


def corpus(root: Path) -> Path:
    """Three outlets whose pages carry a promo line (their template), one of
    them with a subfolder whose pages sort between its own ('ledger/b...'
    before 'ledger/c...'), a folder whose name extends another's
    ('ledger-archive'), a syndicated copy in another folder, and a page that
    is not HTML at all."""
    files: dict[str, str | bytes] = {}
    for name, story in STORIES.items():
        files[f"ledger/{name}.html"] = page(name.title(), story, promo=PROMO)
        files[f"ledger-archive/{name}.html"] = page(
            f"Archive: {name}", ARCHIVE[name], promo="From the Ledger's archive."
        )
    for n, name in enumerate(["alpha", "beta", "gamma"]):
        files[f"ledger/b{n}/{name}.html"] = page(
            f"Briefs {name}",
            f"Brief {name}: the tide gauge by the {name} pier read {n + 2} metres at noon today.",
            promo="Briefs.",
        )
    files["wire/fees-copy.html"] = page("Fees", STORIES["fees"], extra="Reporting by wire.")
    files["wire/empty.html"] = ""
    return write_corpus(root, files)


class InProcess:
    """An executor that runs every stage here, as a cluster would elsewhere: the
    build then takes the two-pass way (parsed pages stay where they are made)."""

    def map(self, fn: Callable[[Any], Any], items: list[Any], templates) -> Iterator[Any]:
        return iter(pool.run_batch(fn, items, templates))


def _rankings(index_dir: Path) -> dict[str, list[tuple[str, list[str]]]]:
    with open_index(index_dir) as index:
        return {
            q: [(h.path, [d.path for d in h.duplicates]) for h in index.search(q).hits]
            for q in QUERIES
        }


def _state(index_dir: Path) -> BuildState:
    return BuildState.load(layout.builds_dir(index_dir) / layout.current_generation(index_dir))


def test_folder_by_folder_makes_the_index_the_two_pass_build_makes(tmp_path):
    root = corpus(tmp_path / "corpus")
    streamed = rebuild(root, tmp_path / "streamed", workers=1)
    with pool.using(InProcess()):
        two_pass = rebuild(root, tmp_path / "two-pass", workers=1)
    documents = served_documents(tmp_path / "streamed")
    assert documents == served_documents(tmp_path / "two-pass")
    assert streamed.indexed == two_pass.indexed == 14
    assert streamed.skipped == two_pass.skipped
    assert [s.path for s in streamed.skipped] == ["wire/empty.html"]
    # Index order is path order, subfolders where their paths sort.
    assert [d["path"] for d in documents] == sorted(d["path"] for d in documents)
    # The templates were learned (the promo is no article's text) ...
    assert not any(PROMO in d["body"] for d in documents)
    assert _state(tmp_path / "streamed").templates == _state(tmp_path / "two-pass").templates
    assert _state(tmp_path / "streamed").learned_from == _state(tmp_path / "two-pass").learned_from
    # ... and the copy is folded under the story, with the same ranking.
    groups = {d["path"]: d["dup_group"] for d in documents}
    assert groups["wire/fees-copy.html"] == groups["ledger/fees.html"]
    assert groups["ledger-archive/fees.html"] != groups["ledger/fees.html"]
    rankings = _rankings(tmp_path / "streamed")
    assert rankings == _rankings(tmp_path / "two-pass")
    assert rankings["ferry pilots"][0][0] in ("ledger/ferry.html", "ledger-archive/ferry.html")
    assert rankings["newsletter"] == []


def test_a_folder_is_indexed_before_the_next_folders_are_parsed(tmp_path, monkeypatch):
    """The writer takes a folder's articles while later folders are still
    being parsed, not after the whole corpus (on one process, in order)."""
    root = corpus(tmp_path / "corpus")
    events: list[tuple[str, str]] = []
    parse, finish = pool.scan_with_lines, folders._finished

    def parsing(f):
        events.append(("parse", f.path))
        return parse(f)

    def finishing(path, *args):
        events.append(("finish", path))
        return finish(path, *args)

    monkeypatch.setattr(pool, "scan_with_lines", parsing)
    monkeypatch.setattr(folders, "_finished", finishing)
    rebuild(root, tmp_path / "index", workers=1)
    finished = events.index(("finish", "ledger-archive/school.html"))
    assert not [path for kind, path in events[:finished] if path.startswith("ledger/")]
    assert events.index(("finish", "ledger/b0/alpha.html")) < events.index(
        ("parse", "ledger/bridge.html")
    )
    assert events[-1] == ("finish", "wire/fees-copy.html")


def test_worker_processes_and_the_spare_one_make_the_one_process_index(tmp_path, monkeypatch):
    """Pages parsed on two worker processes, and the term index files written by
    a spare process beside the position files: the same index as one process's."""
    root = corpus(tmp_path / "corpus")
    single = rebuild(root, tmp_path / "single", workers=1)
    monkeypatch.setattr(pool, "PARALLEL_MIN_FILES", 2)
    spare = pool.spare
    started: list[bool] = []

    def spy(enabled):
        started.append(enabled)
        return spare(enabled)

    monkeypatch.setattr(pool, "spare", spy)
    parallel = rebuild(root, tmp_path / "parallel", workers=2)
    assert started == [True]
    assert parallel.indexed == single.indexed == 14
    assert served_documents(tmp_path / "parallel") == served_documents(tmp_path / "single")
    assert _rankings(tmp_path / "parallel") == _rankings(tmp_path / "single")
    for name in ("single", "parallel"):
        build = layout.builds_dir(tmp_path / name) / layout.current_generation(tmp_path / name)
        assert len(list(build.glob("*.nsp"))) == len(list(build.glob("*.npo"))) == 1
    with open_index(tmp_path / "parallel") as index:
        # The phrase is answered from the position files ("tide-gauge" too).
        assert sorted(h.path for h in index.search('"tide gauge"').hits) == [
            "ledger/b0/alpha.html",
            "ledger/b1/beta.html",
            "ledger/b2/gamma.html",
            "ledger/school.html",
        ]
