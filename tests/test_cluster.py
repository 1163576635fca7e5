"""The build on a Dask cluster: the same index as a local rebuild, a lost worker
costs a retry, a lost scheduler fails the build and leaves the served index alone."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import article, served_documents, write_corpus

from search import ClusterError, rebuild, update
from search.build import cluster
from search.cli import main
from search.serve.engine import Index
from search.store import layout
from search.store.state import BuildState

distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")

SAMPLE = Path(__file__).resolve().parent.parent / "corpus"
QUERIES = ("voter id", "harbour dredging", "library levy", "heat warning", "frost apricot")


@pytest.fixture(scope="module")
def scheduler():
    """One local cluster of two worker processes for the module (starting one
    costs seconds: each worker imports lxml and trafilatura)."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as local,
        distributed.Client(local, set_as_default=False) as client,
    ):
        yield local.scheduler_address, client


@pytest.fixture
def corpus(tmp_path):
    """The sample corpus, plus a syndicated copy (a duplicate group) and two
    files the build must skip and report."""
    root = tmp_path / "corpus"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("README.md"))
    levy = (root / "valley-courier/ashford-vale-library-levy.txt").read_text(encoding="utf-8")
    write_corpus(
        root,
        {
            "wire/library-levy-copy.txt": levy.replace("levy", "levy,", 1),
            "wire/empty.txt": "",
            "wire/picture.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
            "wire/orchard.txt": article(
                "Orchard growers count the cost of a late frost",
                "Growers in the valley said a late frost took most of the apricot blossom.",
                "The co-operative expects a crop of half the usual size this summer.",
            ),
        },
    )
    return root


def _build(index_dir: Path) -> Path:
    return layout.builds_dir(index_dir) / layout.current_generation(index_dir)


def _documents(index_dir: Path) -> list[dict]:
    """Every stored document and its duplicate group, in index order."""
    return served_documents(index_dir)


def _rankings(index_dir: Path) -> dict[str, list[str]]:
    with Index(index_dir) as index:
        return {q: [h.path for h in index.search(q).hits] for q in QUERIES}


def _state(index_dir: Path) -> BuildState:
    return BuildState.load(_build(index_dir))


def test_a_cluster_build_is_the_same_index_as_a_local_one(scheduler, corpus, tmp_path):
    address, _ = scheduler
    local = rebuild(corpus, tmp_path / "local", workers=1)
    progress: list[tuple[str, int, int]] = []
    with cluster.connect(address, batch_files=3):
        remote = rebuild(corpus, tmp_path / "remote", progress=lambda *a: progress.append(a))
    assert remote.indexed == local.indexed == 18
    assert _documents(tmp_path / "remote") == _documents(tmp_path / "local")
    groups = {d["path"]: d["dup_group"] for d in _documents(tmp_path / "remote")}
    assert (
        groups["wire/library-levy-copy.txt"]
        == groups["valley-courier/ashford-vale-library-levy.txt"]
    )
    assert _rankings(tmp_path / "remote") == _rankings(tmp_path / "local")
    assert all(_rankings(tmp_path / "remote").values())
    assert _state(tmp_path / "remote").templates == _state(tmp_path / "local").templates
    assert _state(tmp_path / "remote").sketches == _state(tmp_path / "local").sketches
    # The skip report and the progress bar work as they do locally.
    assert remote.skipped == local.skipped
    assert {(s.path, s.reason) for s in remote.skipped} == {
        ("wire/picture.txt", "binary"),
        ("wire/empty.txt", "empty"),
    }
    extract = [(done, total) for phase, done, total in progress if phase == "extract"]
    total = extract[-1][1]
    assert extract == [(done, total) for done in range(1, total + 1)]
    assert total >= remote.indexed


def test_an_update_on_the_cluster_matches_a_local_update(scheduler, corpus, tmp_path):
    address, _ = scheduler
    rebuild(corpus, tmp_path / "local", workers=1)
    rebuild(corpus, tmp_path / "remote", workers=1)
    (corpus / "wire/orchard.txt").unlink()
    write_corpus(
        corpus,
        {
            "wire/ferry.txt": article(
                "Ferry timetable changes for the winter",
                "The island ferry will sail twice a day from November until the spring.",
            )
        },
    )
    local = update(corpus, tmp_path / "local", workers=1)
    with cluster.connect(address, batch_files=2):
        remote = update(corpus, tmp_path / "remote")
    assert (remote.added, remote.deleted) == (local.added, local.deleted) == (1, 1)
    assert _documents(tmp_path / "remote") == _documents(tmp_path / "local")
    assert _rankings(tmp_path / "remote") == _rankings(tmp_path / "local")
    with Index(tmp_path / "remote") as index:
        assert [h.path for h in index.search("ferry timetable").hits][:1] == ["wire/ferry.txt"]


def test_the_command_line_rebuilds_on_a_scheduler(scheduler, corpus, tmp_path):
    address, _ = scheduler
    args = ["rebuild", "--corpus", str(corpus), "--index", str(tmp_path / "ix")]
    result = CliRunner().invoke(main, [*args, "--scheduler", address])
    assert result.exit_code == 0, result.output
    assert "indexed 18 documents, skipped 2" in result.output
    assert "skipped wire/empty.txt: empty" in result.output
    with Index(tmp_path / "ix") as index:
        assert "wire/orchard.txt" in [h.path for h in index.search("apricot frost").hits]


def test_a_worker_killed_mid_build_costs_a_retry_not_an_article(scheduler, corpus, tmp_path):
    address, client = scheduler
    local = rebuild(corpus, tmp_path / "local", workers=1)
    pids = client.run(os.getpid)
    killed: list[int] = []

    def kill_one_worker(phase: str, done: int, total: int) -> None:
        if phase == "extract" and not killed:
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    with cluster.connect(address, batch_files=1):
        remote = rebuild(corpus, tmp_path / "remote", progress=kill_one_worker)
    assert killed
    assert killed[0] not in client.run(os.getpid).values()  # really gone (the nanny restarted it)
    assert remote.failed == ()
    docs = _documents(tmp_path / "remote")
    assert len({d["path"] for d in docs}) == len(docs) == local.indexed
    assert docs == _documents(tmp_path / "local")


def test_a_lost_scheduler_fails_the_build_and_leaves_the_served_index(corpus, tmp_path):
    index_dir = tmp_path / "index"
    served = rebuild(corpus, index_dir, workers=1).generation
    local = distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=":0"
    )

    def stop_the_scheduler(phase: str, done: int, total: int) -> None:
        if phase == "extract" and done == 1:
            local.close()

    with (
        pytest.raises(ClusterError, match="cluster"),
        cluster.connect(local.scheduler_address, batch_files=1),
    ):
        rebuild(corpus, index_dir, progress=stop_the_scheduler)
    assert layout.current_generation(index_dir) == served
    assert [p.name for p in layout.builds_dir(index_dir).iterdir()] == [served]
    with Index(index_dir) as index:
        assert index.search("apricot frost").total >= 1


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    args = ["rebuild", "--corpus", str(SAMPLE), "--index", str(tmp_path / "ix")]
    result = CliRunner().invoke(main, [*args, "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert not (tmp_path / "ix").exists()
