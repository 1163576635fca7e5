"""Commands that read the corpus: ``rebuild``, ``update`` and ``extract``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import fields, serialize, terminal
from ..build import cluster
from ..build.sync import rebuild as rebuild_index
from ..build.sync import update as update_index
from ..errors import SearchError
from ..model import Skip
from ..serve.engine import Index
from .shell import (
    EXIT_FAILED_FILES,
    corpus_and_index,
    corpus_option,
    errors_to_exit,
    index_option,
    main,
    plural,
    progress_bar,
    report_skips,
)


def _build_command(
    build,
    corpus: Path | None,
    index: Path | None,
    wait: float,
    scheduler: str | None = None,
    workers: int | None = None,
) -> None:
    corpus_dir, index_dir = corpus_and_index(corpus, index)
    with cluster.maybe(scheduler, workers), progress_bar(sys.stderr.isatty()) as progress:
        report = build(corpus_dir, index_dir, progress=progress, wait=wait)
    click.echo(
        f"indexed {plural(report.indexed, 'document')}, skipped {len(report.skipped)}, "
        f"failed {len(report.failed)} in {report.seconds:.1f} s → {index_dir} "
        f"(build {report.generation})"
    )
    if build is update_index:
        click.echo(
            f"added {report.added}, changed {report.changed}, deleted {report.deleted}, "
            f"unchanged {report.unchanged}"
        )
    report_skips(report.skipped, "skipped")
    report_skips(report.failed, "FAILED")
    if report.failed:
        sys.exit(EXIT_FAILED_FILES)


wait_option = click.option(
    "--wait", type=float, default=0.0, help="Seconds to wait for a busy index (default: fail)."
)


def cluster_options(command):
    command = click.option(
        "--workers",
        type=click.IntRange(min=1),
        default=None,
        help="Extract on a local Dask cluster of N worker processes (needs newsearch[cluster]).",
    )(command)
    return click.option(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="Extract on the Dask cluster at ADDRESS (tcp://host:8786); the corpus must be "
        "at the same path on its workers (needs newsearch[cluster]).",
    )(command)


@main.command()
@corpus_option
@index_option
@wait_option
@cluster_options
@errors_to_exit
def rebuild(
    corpus: Path | None,
    index: Path | None,
    wait: float,
    scheduler: str | None,
    workers: int | None,
) -> None:
    """Build a fresh index of the corpus and switch to it atomically."""
    _build_command(rebuild_index, corpus, index, wait, scheduler, workers)


@main.command()
@corpus_option
@index_option
@wait_option
@cluster_options
@errors_to_exit
def update(
    corpus: Path | None,
    index: Path | None,
    wait: float,
    scheduler: str | None,
    workers: int | None,
) -> None:
    """Apply new, changed and deleted files to the index in one commit."""
    _build_command(update_index, corpus, index, wait, scheduler, workers)


@main.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--jsonl", is_flag=True, help="One JSON object per document.")
@corpus_option
@index_option
@errors_to_exit
def extract_command(
    paths: tuple[Path, ...], jsonl: bool, corpus: Path | None, index: Path | None
) -> None:
    """Show what the indexer keeps of each file.

    A folder learns its own outlet templates first; a single file uses the
    templates stored with the index (when there is one)."""
    from ..build.extract_files import extract_paths

    corpus_dir, index_dir = corpus_and_index(corpus, index)
    try:
        with Index(index_dir) as ix:
            templates = ix.templates()
    except SearchError:
        templates = None
    for result in extract_paths(paths, templates, corpus_dir):
        if isinstance(result, Skip):
            detail = terminal.line(result.detail or "")
            click.echo(
                f"skipped {terminal.line(result.path)}: {result.reason} {detail}".rstrip(), err=True
            )
            continue
        if jsonl:
            data = serialize.article_json(result)
            click.echo(terminal.json_text(json.dumps(data, ensure_ascii=False)))
            continue
        click.echo(f"== {terminal.line(result.path)}")
        click.echo(f"title: {terminal.line(result.title)}")
        shown = serialize.field_values(result)
        for field in fields.FIELDS:
            if shown[field.name]:
                click.echo(f"{field.label}: {terminal.line(str(shown[field.name]))}")
        click.echo("\n" + terminal.text(result.body) + "\n")
