"""Reading and extracting corpus files, on worker processes when it pays.

Extraction (HTML parsing above all) is the cost of a rebuild, so it runs on
one process per core and the single index writer consumes the results in
corpus order. A build may instead hand its work to an ``Executor`` (a Dask
cluster, see cluster.py) for the length of a ``with using(executor)`` block:
the choice is made once at the edge, and every stage that maps over files
follows it without being told.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from .. import duplicates
from ..analysis import spelling_words
from ..extract import (
    Draft,
    draft_html,
    extract,
    finish_draft,
    folder_outlet,
    outlet_of,
    template_lines,
)
from ..extract.templates import Templates
from ..model import SKIP_FAILED, Article, Skip
from . import corpus
from .spools import DraftRef, load_draft

# One process per core by default.
DEFAULT_WORKERS = os.cpu_count() or 1
# Below this many files, starting worker processes (each imports lxml and
# trafilatura, ~0.5 s) costs more than it saves.
PARALLEL_MIN_FILES = 200
# Files handed to a worker at a time: large enough to amortise pickling,
# small enough to keep every core busy to the end.
PARALLEL_CHUNK = 16
# Chunks a pool works on ahead of its consumer, per worker process. Pool.imap
# hands out every file at once and holds every result the consumer has not
# taken yet: a build's index writer is slower than two extraction processes
# on text files, so the articles of the whole corpus waited in memory (the
# extraction phase put 1.2 GB on the newsmix 100k build's peak of 1.8 GB).
# Four keep a worker busy while the consumer takes a chunk (one would leave
# it waiting for the consumer's request of the next); with four, newsmix
# 30k built in 259 s against 286 before, its peak 421 MB against 1,122.
AHEAD_CHUNKS = 4

Progress = Callable[[str, int, int], None]  # (phase, done, total)
T = TypeVar("T")


@dataclass(frozen=True)
class Scanned:
    """A file's identity for change detection: its content hash and outlet."""

    path: str
    file_hash: str | None  # None: unreadable
    outlet: str
    problem: Skip | None = None


@dataclass(frozen=True)
class Extracted:
    """A file's extraction and, for an article, its near-duplicate sketch and
    spelling words (made where the article was extracted: the writer's process
    is the bottleneck)."""

    path: str
    result: Article | Skip
    sketch: duplicates.Sketch | None = None
    words: frozenset[str] = frozenset()  # the body's spelling words


def extracted(path: str, result: Article | Skip) -> Extracted:
    if not isinstance(result, Article):
        return Extracted(path, result)
    return Extracted(path, result, duplicates.sketch(result.body), spelling_words(result.body))


def file_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def scan(f: corpus.CorpusFile) -> Scanned:
    data = corpus.read(f)
    if isinstance(data, Skip):
        return Scanned(f.path, None, "", data)
    return _scanned(f, data)


def _scanned(f: corpus.CorpusFile, data: bytes) -> Scanned:
    try:
        outlet = outlet_of(data, f.path)
    except Exception:  # extraction will report the file; here it only needs an outlet
        outlet = folder_outlet(f.path)
    return Scanned(f.path, file_hash(data), outlet)


# What a document teaches its outlet's template: its outlet, its candidate
# template lines, its title (for the outlet's name) and, for an HTML page,
# the page parsed (a Draft), so that extraction need not parse it again.
Lesson = tuple[str, list[str], str | None, Draft | None]


def lines_for_templates(f: corpus.CorpusFile) -> Lesson | None:
    """What the document teaches its outlet's template (``Lesson``)."""
    data = corpus.read(f)
    if isinstance(data, Skip):
        return None
    return _lines_of(f, data)


def _lines_of(f: corpus.CorpusFile, data: bytes) -> Lesson | None:
    try:
        draft = draft_html(data, f.path)
        if draft is not None:
            return draft.outlet, draft.lines, draft.title, draft
        outlet, lines, title = template_lines(data, f.path)
        return outlet, lines, title, None
    except Exception:  # the extraction pass reports this file; learning just skips it
        return None


def scan_with_lines(f: corpus.CorpusFile) -> tuple[Scanned, Lesson | None]:
    """``scan`` and ``lines_for_templates`` from one read of the file: a fresh
    build needs both for every file, and a second pass over the corpus (with its
    own worker processes) was a tenth of an HTML rebuild."""
    data = corpus.read(f)
    if isinstance(data, Skip):
        return Scanned(f.path, None, "", data), None
    lines = _lines_of(f, data)
    if lines is None:
        return _scanned(f, data), None
    return Scanned(f.path, file_hash(data), lines[0]), lines


def extract_file(f: corpus.CorpusFile, templates: Templates) -> Article | Skip:
    """Read and extract one file; an unexpected crash becomes a FAILED skip, not an abort."""
    data = corpus.read(f)
    if isinstance(data, Skip):
        return data
    try:
        return extract(data, f.path, templates)
    except Exception as exc:  # a bug on one page must not lose the rest of the corpus
        return Skip(SKIP_FAILED, f"{type(exc).__name__}: {exc}", f.path)


_worker_templates = Templates()


def _init_worker(templates: Templates) -> None:
    global _worker_templates
    _worker_templates = templates


def _extract_in_worker(item: corpus.CorpusFile | DraftRef) -> Extracted:
    if isinstance(item, DraftRef):
        return extracted(item.path, finish_draft(load_draft(item), _worker_templates))
    return extracted(item.path, extract_file(item, _worker_templates))


class Executor(Protocol):
    """Somewhere other than this machine's processes to run a build's work."""

    def map(
        self,
        fn: Callable[[Any], T],
        items: list[Any],
        templates: Templates | None,
    ) -> Iterator[T]:
        """``map(fn, items)`` in order, each call seeing ``templates`` as a worker
        process would (``_init_worker``)."""
        ...


_executor: ContextVar[Executor | None] = ContextVar("newsearch_executor", default=None)


@contextmanager
def using(executor: Executor) -> Iterator[Executor]:
    """Run every file-mapping stage of the builds inside the block on ``executor``."""
    token = _executor.set(executor)
    try:
        yield executor
    finally:
        _executor.reset(token)


def local() -> bool:
    """Whether the build's files are mapped here (this machine's processes),
    not on the executor of a ``using`` block."""
    return _executor.get() is None


def run_batch(fn: Callable[[Any], T], items: list[Any], templates: Templates | None) -> list[T]:
    """One task of an executor: ``fn`` over a batch, on a worker, without Drafts
    in the results (a parsed page is larger than the file it came from: shipping
    it back costs more than parsing the page again where it is extracted).
    The templates are set process-wide, as a pool worker's are: run the
    cluster's workers with one thread each (``dask worker --nthreads 1``), which
    is also what CPU-bound Python wants."""
    if templates is not None:
        _init_worker(templates)
    return [_without_drafts(fn(item)) for item in items]


def _without_drafts(result: Any) -> Any:
    if isinstance(result, Draft):
        return None
    if isinstance(result, tuple):
        return tuple(_without_drafts(x) for x in result)
    return result


def run(
    fn: Callable[[Any], T],
    items: list[Any],
    *,
    workers: int,
    templates: Templates | None = None,
    progress: Progress | None = None,
    phase: str = "",
) -> Iterator[T]:
    """``map(fn, items)`` in order, on ``workers`` processes when there are enough
    items, or on the executor of the enclosing ``using`` block."""
    executor = _executor.get()
    if executor is not None:
        yield from _counted(executor.map(fn, items, templates), len(items), progress, phase)
        return
    if templates is not None:
        _init_worker(templates)
    if workers <= 1 or len(items) < PARALLEL_MIN_FILES:
        results: Iterable[T] = map(fn, items)
        yield from _counted(results, len(items), progress, phase)
        return
    ctx = multiprocessing.get_context("spawn")
    init_args = (templates or Templates(),)
    processes = min(workers, len(items))
    with ctx.Pool(processes, _init_worker, init_args) as pool:
        yield from _counted(_ahead(pool, fn, items, processes), len(items), progress, phase)


def _ahead(pool: Any, fn: Callable[[Any], T], items: list[Any], processes: int) -> Iterator[T]:
    """``fn`` over ``items`` in order, at most ``AHEAD_CHUNKS`` chunks a process
    ahead of the consumer."""
    chunks = (items[i : i + PARALLEL_CHUNK] for i in range(0, len(items), PARALLEL_CHUNK))
    pending: deque[Any] = deque()
    for chunk in chunks:
        pending.append(pool.apply_async(_map_chunk, (fn, chunk)))
        if len(pending) >= AHEAD_CHUNKS * processes:
            break
    while pending:
        done = pending.popleft().get()
        following = next(chunks, None)
        if following is not None:
            pending.append(pool.apply_async(_map_chunk, (fn, following)))
        yield from done


def _map_chunk(fn: Callable[[Any], T], chunk: list[Any]) -> list[T]:
    return [fn(item) for item in chunk]


def _counted(
    results: Iterable[T], total: int, progress: Progress | None, phase: str
) -> Iterator[T]:
    for n, result in enumerate(results, 1):
        # Counted before it is handed on: a consumer that takes exactly as many
        # results as it expects never resumes the generator after the last one.
        if progress:
            progress(phase, n, total)
        yield result


@contextmanager
def spare(enabled: bool) -> Iterator[Any]:
    """One more worker process, for the build's own work after the commit
    (``write_term_index``); started now, so that its imports are done while
    the extraction runs. None when not ``enabled``."""
    if not enabled:
        yield None
        return
    with multiprocessing.get_context("spawn").Pool(1) as process:
        process.apply_async(_ready)
        yield process


def _ready() -> None:
    """Nothing: unpickling this call imports the package, the slow part of a start."""


def write_term_index(folder: str) -> None:
    """The term index files of a committed build (``termindex.write_missing``), in
    a spare process while the build's own writes the position files: both read
    every posting of the new segment back from Whoosh, each a tenth of an HTML
    rebuild's time, and neither needs the other's file."""
    from whoosh import index as whoosh_index

    from ..store import termindex

    ix = whoosh_index.open_dir(folder)
    try:
        termindex.write_missing(Path(folder), ix)
    finally:
        ix.close()


def extract_files(
    files: list[corpus.CorpusFile | DraftRef],
    templates: Templates,
    *,
    workers: int,
    progress: Progress | None = None,
) -> Iterator[Extracted]:
    return run(
        _extract_in_worker,
        files,
        workers=workers,
        templates=templates,
        progress=progress,
        phase="extract",
    )
