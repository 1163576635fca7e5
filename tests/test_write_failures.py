"""Disk full, no inodes, a read-only index: a clear message and exit code, the
served index unchanged, and no unpublished build left behind."""

from __future__ import annotations

import errno
import shutil

import pytest
from click.testing import CliRunner
from helpers import article, write_corpus

import search.build.sync as sync
from search import IndexWriteError, open_index, rebuild, update
from search.cli import EXIT_CANNOT_WRITE, main
from search.store import layout

FILES = {
    "port/harbour.txt": article("Harbour dredging", "The harbour board approved dredging."),
    "port/museum.txt": article("Museum reopens", "The maritime museum reopened on Saturday."),
}


@pytest.fixture
def served(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", FILES)
    rebuild(corpus, tmp_path / "index")
    return corpus, tmp_path / "index"


def _fail_with(monkeypatch, where: str, code: int) -> None:
    def failing(*args, **kwargs):
        raise OSError(code, "simulated")

    target = layout if where == "publish" else sync
    monkeypatch.setattr(target, where, failing)


@pytest.mark.parametrize(
    ("where", "code", "says"),
    [
        ("_sync", errno.ENOSPC, "df -i"),  # disk full or out of inodes while writing
        ("_sync", errno.EROFS, "read-only"),
        ("_sync", errno.EACCES, "permission denied"),
        ("publish", errno.ENOSPC, "no space left"),  # while switching to the new build
    ],
)
def test_a_failed_write_is_a_clear_error_and_changes_nothing(
    served, monkeypatch, where, code, says
):
    corpus, index = served
    before = layout.current_generation(index)
    builds_before = sorted(p.name for p in layout.builds_dir(index).iterdir())
    _fail_with(monkeypatch, where, code)
    with pytest.raises(IndexWriteError, match=says) as failed:
        rebuild(corpus, index)
    assert "served index is unchanged" in str(failed.value)
    assert layout.current_generation(index) == before
    # Neither the unfinished nor the finished-but-unpublished build is left.
    assert sorted(p.name for p in layout.builds_dir(index).iterdir()) == builds_before
    with open_index(index) as served_index:
        assert served_index.search("harbour").total == 1


def test_the_cli_reports_it_with_exit_code_5_and_no_traceback(served, monkeypatch):
    corpus, index = served
    _fail_with(monkeypatch, "_sync", errno.ENOSPC)
    for command in ("rebuild", "update"):
        result = CliRunner().invoke(main, [command, "--corpus", str(corpus), "--index", str(index)])
        assert result.exit_code == EXIT_CANNOT_WRITE
        assert "cannot write the index" in result.output
        assert "Traceback" not in result.output


def test_an_unwritable_index_folder_is_reported_before_any_work(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus", FILES)

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(layout.Path, "mkdir", read_only)
    with pytest.raises(IndexWriteError, match="read-only"):
        rebuild(corpus, tmp_path / "index")


def test_cleanup_removes_a_build_that_died_while_being_switched_to(served):
    corpus, index = served
    current = layout.current_generation(index)
    # A build that got its final name and then died before CURRENT named it.
    orphan_name = "99991231T000000000000Z-1"  # newer than any real build
    shutil.copytree(layout.builds_dir(index) / current, layout.builds_dir(index) / orphan_name)
    assert orphan_name in layout.finished_builds(index)
    report = update(corpus, index)
    assert orphan_name not in layout.finished_builds(index)
    assert layout.current_generation(index) == report.generation
    # The previous served build is still kept for rollback.
    assert current in layout.finished_builds(index)
