"""Crash safety, tested for real: killed and interrupted writer processes.

Each trial starts `newsearch rebuild` or `update` in a subprocess, kills it
with SIGKILL at a random moment, then checks what a reader would see. Trials
default to 20 per test; `pytest tests/test_crash.py --trials 200` runs more.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import article, write_corpus

from search import open_index, rebuild
from search.store import layout

DEFAULT_TRIALS = 20
TOPICS = ["harbour", "council", "museum", "ferry", "school", "market", "bridge", "library"]
VERBS = ["approved", "delayed", "opened", "closed", "funded", "debated", "repaired", "praised"]


def story(n: int) -> str:
    topic, verb = TOPICS[n % len(TOPICS)], VERBS[(n // len(TOPICS)) % len(VERBS)]
    return article(
        f"Story {n}: the {topic} plan is {verb}",
        f"Officials said on day {n} that the {topic} plan was {verb} after a long meeting.",
        f"Residents of ward {n} asked how the {topic} would change, and many were {verb}.",
    )


@pytest.fixture
def trials(request) -> int:
    return request.config.getoption("--trials") or DEFAULT_TRIALS


def cli(*args: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "search", *map(str, args)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def indexed_paths(index_dir: Path) -> set[str]:
    with open_index(index_dir) as index:
        searcher = index._searcher()
        answer = index.search("officials plan")  # the index answers queries
        assert answer.total == searcher.doc_count()
        return {fields["path"] for fields in searcher.all_stored_fields()}


def assert_writable(index_dir: Path) -> None:
    with layout.writer_lock(index_dir, timeout=0):
        pass


def killed_at_random(args: list[object], budget: float, rng: random.Random) -> None:
    proc = cli(*args)
    time.sleep(rng.uniform(0, budget))
    proc.send_signal(signal.SIGKILL)
    proc.communicate()


def timed_run(*args: object) -> float:
    started = time.monotonic()
    proc = cli(*args)
    _, err = proc.communicate()
    assert proc.returncode == 0, err.decode()
    return time.monotonic() - started


def test_kill_9_during_rebuild_never_breaks_the_served_index(tmp_path, trials):
    corpus = write_corpus(tmp_path / "corpus", {f"wire/{n}.txt": story(n) for n in range(60)})
    index_dir = tmp_path / "index"
    args = ["rebuild", "--corpus", corpus, "--index", index_dir]
    budget = timed_run(*args) * 1.2
    everything = {f"wire/{n}.txt" for n in range(60)}
    rng = random.Random(9)
    for _ in range(trials):
        killed_at_random(args, budget, rng)
        assert indexed_paths(index_dir) == everything
        assert_writable(index_dir)
    timed_run(*args)
    leftovers = [p for p in layout.builds_dir(index_dir).iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_kill_9_during_update_keeps_every_completed_commit(tmp_path, trials):
    corpus = write_corpus(tmp_path / "corpus", {f"wire/{n}.txt": story(n) for n in range(40)})
    index_dir = tmp_path / "index"
    timed_run("rebuild", "--corpus", corpus, "--index", index_dir)
    args = ["update", "--corpus", corpus, "--index", index_dir]
    budget = timed_run(*args) * 2
    rng = random.Random(6)
    before = indexed_paths(index_dir)
    for trial in range(trials):
        # Each trial adds, changes and deletes something.
        present = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt"))
        new = 1000 + trial
        write_corpus(corpus, {f"wire/{new}.txt": story(new)})
        victim = rng.choice(present)
        (corpus / victim).unlink()
        changed = corpus / rng.choice([p for p in present if p != victim])
        changed.write_text(changed.read_text() + "\nA late correction was added.\n")
        after = {p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt")}
        killed_at_random(args, budget, rng)
        now = indexed_paths(index_dir)
        assert now in (before, after), "a reader saw a half-applied update"
        assert_writable(index_dir)
        before = now
    timed_run(*args)
    assert indexed_paths(index_dir) == {
        p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt")
    }


def test_ctrl_c_during_rebuild_exits_130_and_removes_the_temporary_build(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", {f"wire/{n}.txt": story(n) for n in range(400)})
    index_dir = tmp_path / "index"
    good = rebuild(corpus, index_dir, workers=1).generation
    proc = cli("rebuild", "--corpus", corpus, "--index", index_dir)
    deadline = time.monotonic() + 30
    while not any(p.name.startswith(".tmp-") for p in layout.builds_dir(index_dir).iterdir()):
        assert time.monotonic() < deadline and proc.poll() is None, "rebuild never started"
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert "interrupted" in err.decode()
    assert layout.current_generation(index_dir) == good
    assert [p.name for p in layout.builds_dir(index_dir).iterdir()] == [good]
    assert len(indexed_paths(index_dir)) == 400


def test_queries_from_8_threads_never_fail_while_rebuilds_swap_the_index(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", {f"wire/{n}.txt": story(n) for n in range(30)})
    index_dir = tmp_path / "index"
    rebuild(corpus, index_dir)
    failures: list[BaseException] = []
    answered = [0] * 8
    done = threading.Event()
    with open_index(index_dir) as index:

        def reader(slot: int) -> None:
            while not done.is_set():
                try:
                    assert index.search("harbour plan").total > 0
                    answered[slot] += 1
                except BaseException as exc:
                    failures.append(exc)

        threads = [threading.Thread(target=reader, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        try:
            for _ in range(3):
                rebuild(corpus, index_dir)
        finally:
            done.set()
            for t in threads:
                t.join()
    assert failures == []
    assert all(answered)


def test_builds_are_flushed_to_disk_before_they_are_served(tmp_path, monkeypatch):
    synced: list[str] = []
    real = os.fsync

    def recording(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fsync", recording)
    corpus = write_corpus(tmp_path / "corpus", {"wire/1.txt": story(1)})
    rebuild(corpus, tmp_path / "index")
    builds = str(layout.builds_dir(tmp_path / "index"))
    assert any(s.endswith(".pst") for s in synced)  # the new build's files
    assert any(s.endswith(".nsp") for s in synced)
    assert any(s.endswith(".toc") for s in synced)
    assert builds in synced  # the folder the build was renamed into
    assert synced[-1] == str(tmp_path / "index")  # last: the folder holding CURRENT
