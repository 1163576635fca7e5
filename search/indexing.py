"""Building an index from a corpus folder: learn templates, extract, write, publish."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from whoosh import index as whoosh_index

from . import corpus, schema, storage
from .extract import extract, template_lines
from .model import SKIP_FAILED, Article, BuildReport, Skip
from .templates import Templates, learn

# Memory for the writer's in-RAM segment before it spills to disk; 256 MB keeps
# a 100k-article build in few segments on the 24 GB machines we run on.
WRITER_LIMIT_MB = 256

Progress = Callable[[str, int, int], None]  # (phase, done, total)


def doc_id(path: str) -> str:
    """Opaque, stable id for a corpus path: URLs never carry file paths."""
    return hashlib.blake2b(path.encode("utf-8"), digest_size=8).hexdigest()


def content_hash(article: Article) -> str:
    return hashlib.blake2b(article.body.encode("utf-8"), digest_size=16).hexdigest()


def _naive_utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def article_fields(article: Article) -> dict[str, object]:
    fields: dict[str, object] = {
        schema.ID_FIELD: doc_id(article.path),
        schema.PATH: article.path,
        schema.TITLE: article.title,
        schema.BODY: article.body,
        schema.FINGERPRINT: content_hash(article),
        schema.TITLE_DERIVED: article.title_derived,
    }
    optional = {
        schema.AUTHOR: article.author,
        schema.SOURCE: article.source,
        schema.SUMMARY: article.summary,
        schema.URL: article.url,
        schema.PUBLISHED: _naive_utc(article.published),
    }
    fields.update({k: v for k, v in optional.items() if v is not None})
    return fields


def learn_templates(files: Iterable[corpus.CorpusFile]) -> Templates:
    def documents() -> Iterator[tuple[str, list[str]]]:
        for f in files:
            data = corpus.read(f)
            if not isinstance(data, Skip):
                yield template_lines(data, f.path)

    return learn(documents())


def extract_file(f: corpus.CorpusFile, templates: Templates) -> Article | Skip:
    """Read and extract one file; an unexpected crash becomes a FAILED skip, not an abort."""
    data = corpus.read(f)
    if isinstance(data, Skip):
        return data
    try:
        return extract(data, f.path, templates)
    except Exception as exc:  # a bug on one page must not lose the rest of the corpus
        return Skip(SKIP_FAILED, f"{type(exc).__name__}: {exc}", f.path)


def extract_corpus(
    files: list[corpus.CorpusFile], templates: Templates, progress: Progress | None = None
) -> Iterator[Article | Skip]:
    for n, f in enumerate(files, 1):
        yield extract_file(f, templates)
        if progress:
            progress("extract", n, len(files))


def rebuild(
    corpus_dir: Path | str,
    index_dir: Path | str,
    *,
    progress: Progress | None = None,
    wait: float = 0.0,
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
            report = _build(corpus_dir, tmp, entries, progress)
            (tmp / storage.MANIFEST_FILE).write_text(
                json.dumps(
                    {
                        "generation": generation,
                        "corpus": str(corpus_dir.resolve()),
                        "indexed": report[0],
                        "skipped": len(report[1]),
                        "built": datetime.now(timezone.utc).isoformat(),
                    }
                ),
                encoding="utf-8",
            )
            storage.fsync_tree(tmp)
            final = storage.builds_dir(index_dir) / generation
            tmp.rename(final)
            storage.fsync_dir(final.parent)
            storage.publish(index_dir, generation)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        storage.prune(index_dir)
    indexed, skipped, failed = report
    return BuildReport(
        index_dir=str(index_dir),
        generation=generation,
        indexed=indexed,
        skipped=tuple(skipped),
        failed=tuple(failed),
        seconds=time.monotonic() - started,
    )


def _build(
    corpus_dir: Path,
    build_dir: Path,
    entries: list[corpus.CorpusFile | Skip],
    progress: Progress | None,
) -> tuple[int, list[Skip], list[Skip]]:
    files = [e for e in entries if isinstance(e, corpus.CorpusFile)]
    skipped = [e for e in entries if isinstance(e, Skip)]
    failed: list[Skip] = []
    templates = learn_templates(files)
    (build_dir / storage.TEMPLATES_FILE).write_text(templates.to_json(), encoding="utf-8")
    ix = whoosh_index.create_in(str(build_dir), schema.build_schema())
    indexed = 0
    with ix.writer(limitmb=WRITER_LIMIT_MB) as writer:
        for result in extract_corpus(files, templates, progress):
            if isinstance(result, Skip):
                (failed if result.reason == SKIP_FAILED else skipped).append(result)
                continue
            writer.add_document(**article_fields(result))
            indexed += 1
    ix.close()
    return indexed, skipped, failed
