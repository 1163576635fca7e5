"""The command group and what every command shares: exit codes, the error
translation, the corpus and index options, progress and skip reports.

Errors from the library arrive as SearchError subclasses and leave as one line
on stderr and an exit code: 2 bad query or usage, 3 no index, 4 index busy,
5 the index cannot be written (disk full, no inodes, read-only, no permission),
1 anything else the library reports.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any

import click

from .. import terminal
from ..config import Config
from ..errors import BadConfig, BadQuery, IndexBusy, IndexNotFound, IndexWriteError, SearchError
from ..model import Skip

EXIT_FAILED_FILES = 1
EXIT_BAD_QUERY = 2
EXIT_NO_INDEX = 3
EXIT_BUSY = 4
EXIT_CANNOT_WRITE = 5
# The shell's convention for a command stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


def _exit_code(exc: SearchError) -> int:
    if isinstance(exc, (BadQuery, BadConfig)):
        return EXIT_BAD_QUERY
    if isinstance(exc, IndexNotFound):
        return EXIT_NO_INDEX
    if isinstance(exc, IndexBusy):
        return EXIT_BUSY
    if isinstance(exc, IndexWriteError):
        return EXIT_CANNOT_WRITE
    return 1


def errors_to_exit(fn: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SearchError as exc:
            click.echo(f"newsearch: {exc}", err=True)
            sys.exit(_exit_code(exc))
        except KeyboardInterrupt:
            click.echo("\nnewsearch: interrupted; the served index is unchanged", err=True)
            sys.exit(EXIT_INTERRUPTED)

    return wrapper


def corpus_and_index(corpus: Path | None, index: Path | None) -> tuple[Path, Path]:
    config = Config.from_env()
    return corpus or config.corpus_dir, index or config.index_dir


corpus_option = click.option(
    "--corpus",
    type=click.Path(path_type=Path, file_okay=False),
    help="Corpus folder (default: $NEWSEARCH_CORPUS or ./corpus).",
)
index_option = click.option(
    "--index",
    type=click.Path(path_type=Path, file_okay=False),
    help="Index folder (default: $NEWSEARCH_INDEX or ./index).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsearch")
def main() -> None:
    """Index a folder of news articles and search it."""


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    if not enabled:
        yield None
        return
    bar = None

    def update(phase: str, done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="Extracting", file=sys.stderr)
            bar.__enter__()
        bar.update(1)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def skip_reason(skip: Skip) -> str:
    """A skip's reason, with its detail when that adds something ("no article
    text found" already says "no article text")."""
    detail = skip.detail.strip()
    if not detail or detail == skip.reason:
        return skip.reason
    if detail.casefold().startswith(skip.reason.casefold()):
        return detail
    return f"{skip.reason} ({detail})"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def report_skips(skips: tuple[Skip, ...], label: str) -> None:
    for skip in skips:
        click.echo(
            f"  {label} {terminal.line(skip.path)}: {terminal.line(skip_reason(skip))}", err=True
        )
