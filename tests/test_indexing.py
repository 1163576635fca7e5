import pytest
from helpers import article, write_corpus

import search.build.corpus
from search import IndexBusy, rebuild
from search.document import doc_id
from search.serve.engine import Index
from search.store import layout


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(
        tmp_path / "corpus",
        {
            "ledger/harbour.txt": article(
                "Harbour dredging approved",
                "The council approved dredging of the old harbour on Monday evening.",
                "Fishermen said the work was long overdue and welcomed the vote.",
                byline="Mara Quill",
            ),
            "ledger/museum.txt": article(
                "Museum reopens after repairs",
                "The town museum reopened its doors after two years of repairs to the roof.",
                "Visitors queued from early morning to see the restored galleries.",
            ),
            "ledger/picture.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
            "ledger/empty.txt": "",
            "ledger/notes.md": "not a document type; ignored",
        },
    )


def test_rebuild_indexes_articles_and_reports_skips(corpus, tmp_path):
    report = rebuild(corpus, tmp_path / "index")
    assert report.indexed == 2
    assert {(s.path, s.reason) for s in report.skipped} == {
        ("ledger/picture.txt", "binary"),
        ("ledger/empty.txt", "empty"),
    }
    assert report.failed == ()


def test_rebuild_switches_atomically_and_keeps_the_previous_build(corpus, tmp_path):
    index_dir = tmp_path / "index"
    first = rebuild(corpus, index_dir).generation
    second = rebuild(corpus, index_dir).generation
    third = rebuild(corpus, index_dir).generation
    assert layout.current_generation(index_dir) == third
    builds = sorted(p.name for p in (index_dir / "builds").iterdir())
    assert builds == [second, third]
    assert first not in builds


def test_a_reader_keeps_its_build_while_a_rebuild_publishes_a_new_one(corpus, tmp_path):
    index_dir = tmp_path / "index"
    rebuild(corpus, index_dir)
    with Index(index_dir) as index:
        before = index.generation
        assert index.search("harbour").total == 1
        (corpus / "ledger/harbour.txt").unlink()
        rebuild(corpus, index_dir)
        assert index.search("harbour").total == 0
        assert index.generation != before


def test_a_crashing_extractor_fails_one_file_not_the_build(corpus, tmp_path, monkeypatch):
    import search.build.pool as pool

    real = pool.extract

    def flaky(data, path, templates=None):
        if path.endswith("museum.txt"):
            raise ValueError("extractor bug")
        return real(data, path, templates)

    monkeypatch.setattr(pool, "extract", flaky)
    report = rebuild(corpus, tmp_path / "index")
    assert report.indexed == 1
    assert [(f.path, f.reason) for f in report.failed] == [("ledger/museum.txt", "failed")]
    assert "extractor bug" in report.failed[0].detail


def test_an_interrupted_rebuild_leaves_the_old_index_serving(corpus, tmp_path, monkeypatch):
    import search.build.pool as pool

    index_dir = tmp_path / "index"
    good = rebuild(corpus, index_dir).generation

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pool, "extract", interrupted)
    with pytest.raises(KeyboardInterrupt):
        rebuild(corpus, index_dir)
    assert layout.current_generation(index_dir) == good
    assert [p.name for p in (index_dir / "builds").iterdir()] == [good]
    with Index(index_dir) as index:
        assert index.search("museum").total == 1


def test_a_second_writer_gets_index_busy(corpus, tmp_path):
    index_dir = tmp_path / "index"
    with layout.writer_lock(index_dir), pytest.raises(IndexBusy, match="busy"):
        rebuild(corpus, index_dir)


def test_ids_are_opaque_and_stable():
    assert doc_id("ledger/harbour.txt") == doc_id("ledger/harbour.txt")
    assert "harbour" not in doc_id("ledger/harbour.txt")


def test_parallel_extraction_indexes_the_same_articles(corpus, tmp_path, monkeypatch):
    import search.build.pool as pool

    serial = rebuild(corpus, tmp_path / "serial", workers=1)
    monkeypatch.setattr(pool, "PARALLEL_MIN_FILES", 1)
    parallel = rebuild(corpus, tmp_path / "parallel", workers=2)
    assert parallel.indexed == serial.indexed == 2
    assert sorted(s.path for s in parallel.skipped) == sorted(s.path for s in serial.skipped)
    with Index(tmp_path / "parallel") as index:
        assert [h.path for h in index.search("harbour dredging").hits] == ["ledger/harbour.txt"]


def test_each_html_page_is_parsed_once_and_indexed_as_extract_keeps_it(tmp_path, monkeypatch):
    import dataclasses

    from search.extract import extract, formats, template_lines
    from search.extract.templates import learn

    pages = {
        f"gazette/{n}.html": (
            f"<html><head><title>Story {n}</title>"
            f'<link rel="canonical" href="https://gazette.example/{n}"></head><body>'
            "<nav>Home World Sport</nav><p>Sign up for the Gazette briefing</p>"
            f"<article><h1>Story {n}</h1><p>{lead}, the council said on Monday after "
            "a long meeting about the harbour and the ferry timetable.</p></article>"
            "</body></html>"
        )
        for n, lead in enumerate(
            ["Fares will rise", "The pier reopens", "A bridge is closed", "Nets are mended"]
        )
    }
    corpus = write_corpus(tmp_path / "corpus", pages)
    parsed, read = [], []
    html = formats.HTML
    spy = dataclasses.replace(html, prepare=lambda text: parsed.append(1) or html.prepare(text))
    monkeypatch.setattr(formats, "FORMATS", (spy, *(f for f in formats.FORMATS if f is not html)))
    real_read = search.build.corpus.read
    monkeypatch.setattr(search.build.corpus, "read", lambda f: read.append(f.path) or real_read(f))
    report = rebuild(corpus, tmp_path / "index")
    assert report.indexed == len(pages), report
    assert len(parsed) == len(pages)
    assert sorted(read) == sorted(pages)  # a fresh build reads each file once
    files = {p: (corpus / p).read_bytes() for p in pages}
    templates = learn(template_lines(data, p) for p, data in files.items())
    with Index(tmp_path / "index") as index:
        for path, data in files.items():
            expected = extract(data, path, templates)
            stored = index.article(doc_id(path))
            assert (stored.title, stored.body) == (expected.title, expected.body)
            assert "Sign up" not in stored.body
