"""Building and updating an index: one synchronisation of a corpus into a new build.

``rebuild`` starts from nothing; ``update`` starts from the served build, keeps
every unchanged file as it is (no re-extraction), and applies new, changed
and deleted files in one commit. Both write a new build folder beside the
served one and switch to it atomically (see store.layout), so a crash or Ctrl-C
at any moment leaves the served index whole.
"""

from __future__ import annotations

import errno
import json
import os
import pickle
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import IndexWriter

from .. import duplicates, schema
from ..analysis import spelling_words
from ..arguments import folder
from ..document import article_fields, doc_id
from ..errors import CorpusEmpty, IndexWriteError
from ..model import SKIP_FAILED, Article, BuildReport, Skip
from ..store import groups, layout, positions, termindex, vocabulary
from ..store.state import BuildState, Source
from . import corpus, folders, planning, pool, runs
from .planning import learn_templates
from .pool import DEFAULT_WORKERS, Progress, extract_file
from .spools import DraftSpool

__all__ = ["DEFAULT_WORKERS", "extract_file", "learn_templates", "rebuild", "update"]

# Memory the writer's in-RAM posting pool may hold before it spills a sorted
# run to disk: the build's largest single use of memory, and the same for any
# corpus past ~2,500 long articles. Adding 5,000 Reuters articles took 5.3 s
# at Whoosh's default limit (128), 2.9 s at 512 (no spill at all); once a
# corpus spills, every posting is pickled out and read back whatever the limit,
# so a smaller pool costs a few more runs to merge, not another pass.
WRITER_MEMORY_MB = 256
# Whoosh counts a pooled posting at ~175 bytes (its own estimate of a tuple of
# str, bytes, int and float) where CPython holds ~280 with allocator rounding
# and the list: 600 newsmix articles, 37.1 MB counted, 58.1 MB of RSS.
WHOOSH_POOL_UNDERCOUNT = 1.6
WRITER_LIMIT_MB = int(WRITER_MEMORY_MB / WHOOSH_POOL_UNDERCOUNT)
# Whoosh packs a segment's files into one compound file by default, and a
# reader of a compound segment copies its terms and postings files into memory
# (BytesIO over the mapped file): at 100k articles each searching thread held
# 220 MB of private copies, and 8 threads 3.6 GB. Separate files are read in
# place, through the OS page cache that every thread and process shares.
COMPOUND = False
# Parsed HTML pages wait here while their outlets' templates are learned.
DRAFTS_FILE = ".drafts.spool"


# -- the public commands -----------------------------------------------------------


def rebuild(
    corpus_dir: Path | str,
    index_dir: Path | str,
    *,
    progress: Progress | None = None,
    wait: float = 0.0,
    workers: int = DEFAULT_WORKERS,
) -> BuildReport:
    """Build a fresh index of ``corpus_dir`` beside the served one, then switch to it."""
    corpus_path, index_path = folder(corpus_dir, "corpus_dir"), folder(index_dir, "index_dir")
    return _publish_sync(corpus_path, index_path, False, progress, wait, workers)


def update(
    corpus_dir: Path | str,
    index_dir: Path | str,
    *,
    progress: Progress | None = None,
    wait: float = 0.0,
    workers: int = DEFAULT_WORKERS,
) -> BuildReport:
    """Apply the corpus's new, changed and deleted files to the served index in one
    commit; unchanged files are not read past their hash. Without an index, builds one."""
    corpus_path, index_path = folder(corpus_dir, "corpus_dir"), folder(index_dir, "index_dir")
    return _publish_sync(corpus_path, index_path, True, progress, wait, workers)


@dataclass(frozen=True)
class Build:
    """The build in progress: the folder it is written to, the served build it
    updates (None: a full rebuild), and how its files are extracted."""

    folder: Path
    base: Path | None
    progress: Progress | None
    workers: int


def _publish_sync(
    corpus_dir: Path,
    index_dir: Path,
    incremental: bool,
    progress: Progress | None,
    wait: float,
    workers: int,
) -> BuildReport:
    """Build and publish; a failure to write (disk full, read-only, ...) is an
    IndexWriteError that says what to do, after the unfinished build is removed."""
    try:
        return _build_and_publish(corpus_dir, index_dir, incremental, progress, wait, workers)
    except OSError as exc:
        raise IndexWriteError(_cannot_write(index_dir, exc)) from exc


def _build_and_publish(
    corpus_dir: Path,
    index_dir: Path,
    incremental: bool,
    progress: Progress | None,
    wait: float,
    workers: int,
) -> BuildReport:
    started = time.monotonic()
    entries = list(corpus.walk(corpus_dir))
    if not any(not isinstance(e, Skip) for e in entries):
        # An empty folder is far more often a wrong path than a wish to empty
        # the index: refuse, and leave the served index as it is.
        raise CorpusEmpty(
            f"the corpus folder {corpus_dir} holds no documents (.html, .htm or .txt "
            "files, one folder per outlet); add some, or give the right folder with "
            "--corpus. The served index is unchanged."
        )
    with layout.writer_lock(index_dir, timeout=wait):
        layout.prune(index_dir)
        base = _base_build(index_dir) if incremental else None
        generation = layout.new_generation()
        tmp = layout.builds_dir(index_dir) / (layout.TMP_PREFIX + generation)
        build = Build(tmp, base, progress, workers)
        try:
            tmp.mkdir(parents=True)  # inside the try: Ctrl-C right after still cleans up
            if base is not None:
                _link_copy(base, tmp)
            counts, skipped, failed = _sync(build, entries)
            manifest = {
                "generation": generation,
                "corpus": str(corpus_dir.resolve()),
                "built": datetime.now(timezone.utc).isoformat(),
                "incremental": base is not None,
                **counts,
                "skipped": len(skipped),
                "failed": len(failed),
            }
            (tmp / layout.MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
            layout.seal(tmp)
            layout.fsync_tree(tmp)
            final = layout.builds_dir(index_dir) / generation
            tmp.rename(final)
            layout.fsync_dir(final.parent)
            layout.publish(index_dir, generation)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            if layout.current_generation(index_dir) != generation:  # never served
                shutil.rmtree(layout.builds_dir(index_dir) / generation, ignore_errors=True)
            raise
        layout.prune(index_dir)
    return BuildReport(
        index_dir=str(index_dir),
        generation=generation,
        indexed=counts["indexed"],
        skipped=tuple(skipped),
        failed=tuple(failed),
        seconds=time.monotonic() - started,
        added=counts["added"],
        changed=counts["changed"],
        deleted=counts["deleted"],
        unchanged=counts["unchanged"],
    )


def _cannot_write(index_dir: Path, exc: OSError) -> str:
    """What went wrong writing a build, and what to do, for the person at the terminal."""
    advice = {
        errno.ENOSPC: "no space left on the device, or no free inodes (check df -h and "
        "df -i); free some and run again",
        errno.EDQUOT: "the disk quota is exhausted; free some space and run again",
        errno.EROFS: "the index folder is on a read-only file system; pass --index DIR "
        "on a writable one",
        errno.EACCES: "permission denied; run as a user who may write the index folder",
        errno.EPERM: "operation not permitted; run as a user who may write the index folder",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return (
        f"cannot write the index in {str(index_dir)!r}: {advice}. "
        "The served index is unchanged; the unfinished build was removed."
    )


def _base_build(index_dir: Path) -> Path | None:
    """The served build to update from, or None to build from scratch (no index yet,
    or a build too old or damaged to update — a full build replaces it)."""
    gen = layout.current_generation(index_dir)
    if gen is None:
        return None
    build = layout.builds_dir(index_dir) / gen
    if not build.is_dir() or layout.damage(build) is not None:
        return None
    try:
        BuildState.load(build)
    except (OSError, ValueError, EOFError, TypeError, pickle.UnpicklingError):
        return None
    return build if _has_every_field(build) else None


def _has_every_field(build: Path) -> bool:
    """Whether the build's schema holds every field ours does: one written before
    a field (or facet) was added cannot take the new documents, and its old
    documents lack the field, so it is rebuilt in full."""
    try:
        ix = whoosh_index.open_dir(str(build))
    except Exception:  # Whoosh raises many types for a damaged index
        return False
    try:
        return set(schema.build_schema().names()) <= set(ix.schema.names())
    finally:
        ix.close()


def _link_copy(base: Path, target: Path) -> None:
    """Hard-link the base build's files into the new build: Whoosh never rewrites a
    segment file (deletions live in the table of contents), so the served build
    stays untouched while the new one is written."""
    ours = {layout.SEAL_FILE, layout.MANIFEST_FILE, vocabulary.FILE, *BuildState.FILES}
    for path in base.iterdir():
        # Our own files are written anew, and writing through a link would
        # change the served build's copy too.
        if (
            path.is_file()
            and path.name not in ours
            and not path.name.endswith(("LOCK", groups.SUFFIX))
        ):
            os.link(path, target / path.name)


# -- one synchronisation ---------------------------------------------------------------


def _sync(
    build: Build, entries: list[corpus.CorpusFile | Skip]
) -> tuple[dict[str, int], list[Skip], list[Skip]]:
    files = [e for e in entries if isinstance(e, corpus.CorpusFile)]
    skipped = [e for e in entries if isinstance(e, Skip)]
    old = BuildState.load(build.base) if build.base is not None else BuildState()
    drafts = DraftSpool(build.folder / DRAFTS_FILE)
    try:
        if folders.applies(files, fresh=build.base is None):
            plan, extracted = folders.stream(files, build.workers, build.progress, drafts)
        else:
            plan = planning.plan(old, files, build.workers, build.progress, drafts)
            extracted = _extracted(build, plan, drafts)
        return _write(build, plan, extracted, skipped)
    finally:
        drafts.close()


def _extracted(build: Build, plan: planning.Plan, drafts: DraftSpool) -> Iterator[pool.Extracted]:
    """Every file to extract, in corpus order (the order of the index's documents,
    wherever they were extracted), on the worker processes: pages parsed while
    learning templates are finished from the draft spool, the rest read anew."""
    drafts.flush()
    work = [drafts.ref(f.path) if f.path in drafts else f for f in plan.to_extract]
    templates = plan.state.templates
    yield from pool.extract_files(work, templates, workers=build.workers, progress=build.progress)


def _write(
    build: Build,
    plan: planning.Plan,
    extracted: Iterator[pool.Extracted],
    skipped: list[Skip],
) -> tuple[dict[str, int], list[Skip], list[Skip]]:
    """Index the articles as they are extracted (the duplicate groups, known only
    once every sketch is, go to files beside the segments after the commit).
    The plan is complete once ``extracted`` is exhausted."""
    failed: list[Skip] = []
    new_ids: set[str] = set()
    words: Counter[str] = Counter()
    if build.base is None:
        ix = whoosh_index.create_in(str(build.folder), schema.build_schema())
    else:
        ix = whoosh_index.open_dir(str(build.folder))
    # Builds made before the vocabulary file keep their spelling field.
    with_vocabulary = schema.SPELLING_FIELD not in ix.schema
    if with_vocabulary and build.base is not None:
        words.update(_base_words(ix, build.base, plan.to_delete))
    with pool.spare(_parallel(build, plan)) as spare:
        with ix.writer(limitmb=WRITER_LIMIT_MB, compound=COMPOUND) as writer:
            runs.merge_in_one_pass(writer)
            for gone in plan.to_delete:
                writer.delete_by_term(schema.ID_FIELD, gone)
            for done in extracted:
                article = _indexed(writer, plan, done, failed)
                if article is None:
                    continue
                new_ids.add(doc_id(article.path))
                sketch = done.sketch or duplicates.sketch(article.body)
                plan.state.sketches[doc_id(article.path)] = sketch
                words.update(done.words)
        # Committed: the files beside the segments, two at once when a spare process runs.
        term_index = None
        if spare is not None:
            term_index = spare.apply_async(pool.write_term_index, (str(build.folder),))
        else:
            termindex.write_missing(build.folder, ix)
        positions.write_missing(build.folder, ix)
        for gone in plan.to_delete - new_ids:
            plan.state.sketches.pop(gone, None)
        found = duplicates.group(sorted(plan.state.sketches.items()))
        if term_index is not None:
            term_index.get()
    skipped += plan.unreadable
    skipped += [
        Skip(s.skip, s.detail, path) for path, s in sorted(plan.state.sources.items()) if s.skip
    ]
    groups.write(build.folder, ix, found)
    if with_vocabulary:
        vocabulary.write(build.folder, words)
    with ix.searcher() as searcher:
        indexed = searcher.doc_count()
    ix.close()
    plan.state.save(build.folder)
    counts = {
        "indexed": indexed,
        "added": plan.added,
        "changed": plan.changed,
        "deleted": plan.deleted,
        "unchanged": plan.unchanged,
        "in_duplicate_groups": len(found),
    }
    return counts, skipped, failed


def _indexed(
    writer: IndexWriter, plan: planning.Plan, done: pool.Extracted, failed: list[Skip]
) -> Article | None:
    """Index an extracted article; for a file without one, note why (None)."""
    result = done.result
    if not isinstance(result, Skip):
        writer.add_document(**_known(writer, article_fields(result)))
        return result
    source = plan.state.sources.get(done.path)
    if result.reason == SKIP_FAILED:
        failed.append(result)
        plan.state.sources.pop(done.path, None)  # retried next time
    elif source is not None:
        plan.state.sources[done.path] = Source(
            source.file_hash, source.outlet, result.reason, result.detail
        )
    return None


def _parallel(build: Build, plan: planning.Plan) -> bool:
    """Whether a spare process writes the term index files beside the position
    files: on this machine, with cores to spare, for a build large enough to
    repay starting one (``pool.PARALLEL_MIN_FILES``, like the extraction's)."""
    return pool.local() and build.workers > 1 and len(plan.to_extract) >= pool.PARALLEL_MIN_FILES


def _base_words(ix, base: Path, deleted: set[str]) -> Counter[str]:
    """The base build's word counts less the words of its deleted articles (read
    back from their stored bodies, before the writer deletes them)."""
    counts = vocabulary.counts_of(base)
    with ix.searcher() as searcher:
        for gone in sorted(deleted):
            fields = searcher.document(**{schema.ID_FIELD: gone})
            if fields is not None:
                counts.subtract(spelling_words(fields[schema.BODY]))
    return counts


def _known(writer: IndexWriter, document: dict[str, object]) -> dict[str, object]:
    """The fields of ``document`` the build's schema has: an update of a build
    written by an older version adds documents in that build's schema."""
    return {k: v for k, v in document.items() if k in writer.schema}
