"""Hostile files: each is skipped with a reason (or read safely), the rest indexed."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from helpers import article, write_corpus

from search import open_index, rebuild

GOOD = {
    "good/harbour.txt": article(
        "Harbour dredging approved",
        "The council approved dredging of the old harbour on Monday evening after a vote.",
    ),
    "good/museum.html": (
        "<html><head><title>Museum reopens</title></head><body><article><h1>Museum reopens"
        "</h1><p>The maritime museum reopened on Saturday after two years of roof repairs "
        "and a long fundraising campaign by the town's volunteers.</p></article></body></html>"
    ),
}
SENTENCE = "The ferry company said on Monday that fares would rise by a tenth in spring."


def page(title: str, body: str) -> str:
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>" + (
        f"<p>{body}</p></article></body></html>"
    )


def huge() -> bytes:
    return b"<html><body><p>" + b"x " * 26_000_000 + b"</p></body></html>"


def long_text_node() -> bytes:
    return b"<html><body><p>" + b"word " * 2_100_000 + b"</p></body></html>"


def deep_nesting() -> bytes:
    return ("<div>" * 50_000 + f"<p>{SENTENCE}</p>" + "</div>" * 50_000).encode()


CAFE = "Café owners protest\n\nThe café owners said the new rule was “unfair” to them.\n"
SURROGATE = "Surrogate survives\n\nA lone surrogate \udcff from a broken tool, kept as text.\n"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nstream\n\x00\x01\x02"
SCRIPT_PAGE = page("Scripts stay out", SENTENCE).replace(
    "<body>", "<body><script>alert(1)</script>"
)

# name -> (content or a maker of it, expected: ("skipped", reason) or ("indexed", title part))
CASES: dict[str, tuple[object, tuple[str, str]]] = {
    "empty.txt": (b"", ("skipped", "empty")),
    "blank.html": (b"   \n\t \n", ("skipped", "empty")),
    "picture.html": (b"\x89PNG\r\n\x1a\n" + bytes(300), ("skipped", "binary")),
    "report.html": (PDF, ("skipped", "binary")),
    "bomb.html": (lambda: gzip.compress(bytes(50_000_000)), ("skipped", "binary")),
    "huge.html": (huge, ("skipped", "too large")),
    "long-node.html": (long_text_node, ("skipped", "no article text")),
    "deep.html": (deep_nesting, ("skipped", "no article text")),
    "not-html.html": (b"just some words, no markup at all, in a file named html", ("skipped", "")),
    "cp1252.txt": (CAFE.encode("cp1252"), ("indexed", "Café owners protest")),
    "utf16.html": (page("Zoë wins", SENTENCE).encode("utf-16"), ("indexed", "Zoë wins")),
    "nul.txt": (b"Headline\n\nA line with a NUL \x00 byte.\n", ("skipped", "binary")),
    "surrogate.txt": (
        SURROGATE.encode("utf-8", "surrogatepass"),
        ("indexed", "Surrogate survives"),
    ),
    "script.html": (SCRIPT_PAGE.encode(), ("indexed", "Scripts stay out")),
}


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    corpus = write_corpus(root / "corpus", GOOD)
    bad = corpus / "bad"
    bad.mkdir()
    for name, (content, _) in CASES.items():
        (bad / name).write_bytes(content() if callable(content) else content)
    # Links: a loop, one out of the corpus, and a folder link back up.
    outside = root / "secret.txt"
    outside.write_text(article("Secret", "Never meant to be published by the search page."))
    os.symlink(bad / "loop.txt", bad / "loop.txt")
    os.symlink(outside, bad / "outside.txt")
    os.symlink(corpus, bad / "up")
    os.mkfifo(bad / "pipe.txt")
    os.close(os.open(os.fsencode(bad) + b"/caf\xe9-latin1-name.txt", os.O_CREAT | os.O_WRONLY))
    report = rebuild(corpus, root / "index")
    with open_index(root / "index") as index:
        titles = {
            h.path: h.title
            for h in index.search(
                "harbour OR museum OR cafe OR ferry OR zoe OR surrogate", per_page=50
            ).hits
        }
    return report, titles  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_hostile_file_is_skipped_with_a_reason_or_read_safely(outcome, name):
    report, titles = outcome
    kind, expected = CASES[name][1]
    path = f"bad/{name}"
    if kind == "indexed":
        assert expected in titles[path]
    else:
        reasons = {s.path: s.reason for s in report.skipped}
        assert path in reasons, f"{path} was not reported"
        assert expected in reasons[path]


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("bad/loop.txt", "symbolic link"),
        ("bad/outside.txt", "symbolic link"),
        ("bad/up", "symbolic link to a folder"),
        ("bad/pipe.txt", "not a regular file"),
        ("bad/caf\\xe9-latin1-name.txt", "not valid UTF-8"),
    ],
)
def test_links_pipes_and_bad_names_are_reported_not_followed(outcome, path, detail):
    report, titles = outcome
    details = {s.path: s.detail for s in report.skipped}
    assert detail in details[path]
    assert not any("Secret" in t for t in titles.values())


def test_the_good_files_are_all_indexed_and_nothing_failed(outcome):
    report, titles = outcome
    assert {"good/harbour.txt", "good/museum.html"} <= set(titles)
    assert report.failed == ()


def test_a_file_that_cannot_be_opened_is_skipped(tmp_path, monkeypatch):
    import search.build.corpus as corpus_module

    corpus = write_corpus(tmp_path / "corpus", GOOD)
    real_open = corpus_module._open_inside

    def denied(root, parts):
        if parts[-1] == "harbour.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(root, parts)

    monkeypatch.setattr(corpus_module, "_open_inside", denied)
    report = rebuild(corpus, tmp_path / "index")
    assert [(s.path, s.detail) for s in report.skipped] == [
        ("good/harbour.txt", "Permission denied")
    ]
    assert report.indexed == 1


def test_a_file_deleted_during_the_run_is_skipped(tmp_path, monkeypatch):
    import search.build.corpus as corpus_module
    import search.build.sync as indexing

    corpus = write_corpus(tmp_path / "corpus", GOOD)
    real_walk = corpus_module.walk

    def walk_then_delete(root: Path):
        entries = list(real_walk(root))
        (root / "good/harbour.txt").unlink()
        return iter(entries)

    monkeypatch.setattr(indexing.corpus, "walk", walk_then_delete)
    report = rebuild(corpus, tmp_path / "index")
    assert [(s.path, s.reason) for s in report.skipped] == [("good/harbour.txt", "unreadable")]
    assert report.indexed == 1


def _swap_after_walk(monkeypatch, swap) -> None:
    """Run ``swap(root)`` between the walk's checks and the reading of the files."""
    import search.build.corpus as corpus_module
    import search.build.sync as indexing

    real_walk = corpus_module.walk

    def walk_then_swap(root: Path):
        entries = list(real_walk(root))
        swap(root)
        return iter(entries)

    monkeypatch.setattr(indexing.corpus, "walk", walk_then_swap)


SECRET = "Private payroll figures that must never be served from the search index at all."


@pytest.mark.parametrize("target", ["file", "folder"])
def test_a_file_swapped_for_a_link_after_the_walk_is_not_read(tmp_path, monkeypatch, target):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "harbour.txt").write_text(article("Payroll", SECRET), encoding="utf-8")
    corpus = write_corpus(tmp_path / "corpus", GOOD)

    def swap(root: Path) -> None:
        if target == "file":
            (root / "good/harbour.txt").unlink()
            (root / "good/harbour.txt").symlink_to(outside / "harbour.txt")
        else:  # the folder: every file below it would come from outside
            (root / "good").rename(root / ".moved")
            (root / "good").symlink_to(outside)

    _swap_after_walk(monkeypatch, swap)
    report = rebuild(corpus, tmp_path / "index")
    assert ("good/harbour.txt", "symbolic link, not followed") in [
        (s.path, s.detail) for s in report.skipped
    ]
    with open_index(tmp_path / "index") as index:
        assert index.search("payroll").total == 0


def test_a_file_swapped_for_a_fifo_after_the_walk_is_skipped_without_hanging(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus", GOOD)

    def swap(root: Path) -> None:
        (root / "good/harbour.txt").unlink()
        os.mkfifo(root / "good/harbour.txt")

    _swap_after_walk(monkeypatch, swap)
    # Reading a FIFO nobody writes to would block forever; the open does not.
    report = rebuild(corpus, tmp_path / "index")
    assert [(s.path, s.detail) for s in report.skipped] == [
        ("good/harbour.txt", "not a regular file")
    ]
    assert report.indexed == 1


def test_a_file_that_grew_past_the_limit_after_the_walk_is_skipped(tmp_path, monkeypatch):
    import search.build.corpus as corpus_module

    monkeypatch.setattr(corpus_module, "MAX_BYTES", 1_000)
    corpus = write_corpus(tmp_path / "corpus", GOOD)

    def swap(root: Path) -> None:
        (root / "good/harbour.txt").write_text(article("Big", SENTENCE * 40), encoding="utf-8")

    _swap_after_walk(monkeypatch, swap)
    report = rebuild(corpus, tmp_path / "index")
    assert ("good/harbour.txt", "too large") in [(s.path, s.reason) for s in report.skipped]
