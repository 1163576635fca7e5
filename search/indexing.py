"""Building an index from a corpus folder: learn templates, extract, write, publish."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pickle
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from whoosh import index as whoosh_index

from . import corpus, duplicates, schema, storage
from .extract import extract, template_lines
from .model import SKIP_FAILED, Article, BuildReport, Skip
from .templates import Templates, learn

# Memory for the writer's in-RAM segment before it spills to disk; 256 MB keeps
# a 100k-article build in few segments on the 24 GB machines we run on.
WRITER_LIMIT_MB = 256

Progress = Callable[[str, int, int], None]  # (phase, done, total)

# Extraction runs on this many processes by default: one per core, since
# extraction (HTML parsing above all) is the cost of a rebuild.
DEFAULT_WORKERS = os.cpu_count() or 1
# Below this many files, starting worker processes (each imports lxml and
# trafilatura, ~0.5 s) costs more than it saves.
PARALLEL_MIN_FILES = 200
# Files handed to a worker at a time: large enough to amortise pickling,
# small enough to keep both cores busy to the end.
PARALLEL_CHUNK = 16
# Extracted articles wait here (in the build folder) until duplicate groups are known.
SPOOL_FILE = ".articles.spool"


def doc_id(path: str) -> str:
    """Opaque, stable id for a corpus path: URLs never carry file paths."""
    return hashlib.blake2b(path.encode("utf-8"), digest_size=8).hexdigest()


def content_hash(article: Article) -> str:
    return hashlib.blake2b(article.body.encode("utf-8"), digest_size=16).hexdigest()


def _naive_utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def article_fields(article: Article, dup_group: str | None = None) -> dict[str, object]:
    """The stored and indexed fields of one article; ``dup_group`` names the
    near-duplicate group it belongs to, if any."""
    own_id = doc_id(article.path)
    published = _naive_utc(article.published)
    fields: dict[str, object] = {
        schema.ID_FIELD: own_id,
        schema.PATH: article.path,
        schema.TITLE: article.title,
        schema.BODY: article.body,
        schema.FINGERPRINT: content_hash(article),
        schema.TITLE_DERIVED: article.title_derived,
        schema.DUP_GROUP: dup_group or own_id,
        schema.UNDATED: "0" if published else "1",
    }
    optional = {
        schema.AUTHOR: article.author,
        schema.SOURCE: article.source,
        schema.SUMMARY: article.summary,
        schema.URL: article.url,
        schema.PUBLISHED: published,
        schema.SOURCE_FACET: article.source,
        schema.AUTHOR_FACET: article.author,
        schema.YEAR: f"{published:%Y}" if published else None,
        schema.MONTH: f"{published:%Y-%m}" if published else None,
    }
    fields.update({k: v for k, v in optional.items() if v is not None})
    return fields


def _template_lines_of(f: corpus.CorpusFile) -> tuple[str, list[str]] | None:
    data = corpus.read(f)
    if isinstance(data, Skip):
        return None
    try:
        return template_lines(data, f.path)
    except Exception:  # the extraction pass reports this file; learning just skips it
        return None


def learn_templates(files: list[corpus.CorpusFile], workers: int = 1) -> Templates:
    with _pool(len(files), workers) as pool:
        found = pool.imap(_template_lines_of, files, PARALLEL_CHUNK)
        return learn(x for x in found if x is not None)


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


def _extract_in_worker(f: corpus.CorpusFile) -> Article | Skip:
    return extract_file(f, _worker_templates)


class _InProcess:
    """The pool interface, run in this process: small corpora don't pay for workers."""

    def __init__(self, templates: Templates | None = None) -> None:
        if templates is not None:
            _init_worker(templates)

    def imap(self, fn, items, chunksize=1):
        return map(fn, items)

    def __enter__(self) -> _InProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _pool(n_items: int, workers: int, templates: Templates | None = None):
    if workers <= 1 or n_items < PARALLEL_MIN_FILES:
        return _InProcess(templates)
    ctx = multiprocessing.get_context("spawn")
    init = (_init_worker, (templates,)) if templates is not None else (None, ())
    return ctx.Pool(min(workers, n_items), initializer=init[0], initargs=init[1])


def extract_corpus(
    files: list[corpus.CorpusFile],
    templates: Templates,
    progress: Progress | None = None,
    workers: int = 1,
) -> Iterator[Article | Skip]:
    """Extract every file, in corpus order, on ``workers`` processes."""
    with _pool(len(files), workers, templates) as pool:
        for n, result in enumerate(pool.imap(_extract_in_worker, files, PARALLEL_CHUNK), 1):
            yield result
            if progress:
                progress("extract", n, len(files))


def rebuild(
    corpus_dir: Path | str,
    index_dir: Path | str,
    *,
    progress: Progress | None = None,
    wait: float = 0.0,
    workers: int = DEFAULT_WORKERS,
) -> BuildReport:
    """Build a fresh index of ``corpus_dir`` beside the served one, then switch to it.

    Nothing is written into the served build: a failed or interrupted rebuild
    leaves the old index serving, and its temporary folder is removed.
    """
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    started = time.monotonic()
    entries = list(corpus.walk(corpus_dir))
    with storage.writer_lock(index_dir, timeout=wait):
        storage.prune(index_dir)
        generation = storage.new_generation()
        tmp = storage.builds_dir(index_dir) / (storage.TMP_PREFIX + generation)
        tmp.mkdir(parents=True)
        try:
            indexed, skipped, failed, copies = _build(tmp, entries, progress, workers)
            manifest = {
                "generation": generation,
                "corpus": str(corpus_dir.resolve()),
                "indexed": indexed,
                "skipped": len(skipped),
                "failed": len(failed),
                "in_duplicate_groups": copies,
                "built": datetime.now(timezone.utc).isoformat(),
            }
            (tmp / storage.MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
            storage.seal(tmp)
            storage.fsync_tree(tmp)
            final = storage.builds_dir(index_dir) / generation
            tmp.rename(final)
            storage.fsync_dir(final.parent)
            storage.publish(index_dir, generation)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        storage.prune(index_dir)
    return BuildReport(
        index_dir=str(index_dir),
        generation=generation,
        indexed=indexed,
        skipped=tuple(skipped),
        failed=tuple(failed),
        seconds=time.monotonic() - started,
    )


def _build(
    build_dir: Path,
    entries: list[corpus.CorpusFile | Skip],
    progress: Progress | None,
    workers: int,
) -> tuple[int, list[Skip], list[Skip], int]:
    """Learn templates, extract to a spool, group near-duplicates, then write the index.

    Articles are spooled to disk rather than held in memory, because duplicate
    groups are only known once every article has been seen.
    """
    files = [e for e in entries if isinstance(e, corpus.CorpusFile)]
    skipped = [e for e in entries if isinstance(e, Skip)]
    failed: list[Skip] = []
    templates = learn_templates(files, workers)
    (build_dir / storage.TEMPLATES_FILE).write_text(templates.to_json(), encoding="utf-8")
    spool = build_dir / SPOOL_FILE
    sketches: list[tuple[str, duplicates.Sketch]] = []
    with open(spool, "wb") as out:
        for result in extract_corpus(files, templates, progress, workers):
            if isinstance(result, Skip):
                (failed if result.reason == SKIP_FAILED else skipped).append(result)
                continue
            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
            sketches.append((doc_id(result.path), duplicates.sketch(result.body)))
    groups = duplicates.group(sketches)
    ix = whoosh_index.create_in(str(build_dir), schema.build_schema())
    with ix.writer(limitmb=WRITER_LIMIT_MB) as writer, open(spool, "rb") as spooled:
        for n, article in enumerate(_read_spool(spooled), 1):
            writer.add_document(**article_fields(article, groups.get(doc_id(article.path))))
            if progress:
                progress("index", n, len(sketches))
    ix.close()
    spool.unlink()
    return len(sketches), skipped, failed, len(groups)


def _read_spool(fh) -> Iterator[Article]:
    while True:
        try:
            yield pickle.load(fh)
        except EOFError:
            return
