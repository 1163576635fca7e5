"""The ``newsearch`` command: parse options, call the library, print the outcome.

Errors from the library arrive as SearchError subclasses and leave as one line
on stderr and an exit code: 2 bad query or usage, 3 no index, 4 index busy,
5 the index cannot be written (disk full, no inodes, read-only, no permission),
1 anything else the library reports.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any

import click

from . import facets, fields, serialize, terminal
from .build import cluster
from .build.sync import rebuild as rebuild_index
from .build.sync import update as update_index
from .config import Config
from .document import doc_id
from .errors import (
    ArticleNotFound,
    BadConfig,
    BadQuery,
    IndexBusy,
    IndexNotFound,
    IndexWriteError,
    SearchError,
)
from .model import SORTS, Hit, SearchRequest, Skip
from .serve.engine import Index
from .serve.filters import parse_date

EXIT_FAILED_FILES = 1
EXIT_BAD_QUERY = 2
EXIT_NO_INDEX = 3
EXIT_BUSY = 4
EXIT_CANNOT_WRITE = 5
# Worker threads of `newsearch serve`. Searching is CPU-bound Python, so past
# a few threads the GIL adds waiting, not throughput, while each thread keeps
# its own searcher and ranking caches: at 100k articles 8 threads grew the
# server to 3.6 GB (bench/loadtest.py). 4 is waitress's own default.
SERVE_THREADS = 4
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


def _errors_to_exit(fn: Callable[..., Any]) -> Callable[..., Any]:
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


def _paths(corpus: Path | None, index: Path | None) -> tuple[Path, Path]:
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
def _progress(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
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


def _why(skip: Skip) -> str:
    """A skip's reason, with its detail when that adds something ("no article
    text found" already says "no article text")."""
    detail = skip.detail.strip()
    if not detail or detail == skip.reason:
        return skip.reason
    if detail.casefold().startswith(skip.reason.casefold()):
        return detail
    return f"{skip.reason} ({detail})"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def _report_skips(skips: tuple[Skip, ...], label: str) -> None:
    for skip in skips:
        click.echo(f"  {label} {terminal.line(skip.path)}: {terminal.line(_why(skip))}", err=True)


def _build_command(
    build,
    corpus: Path | None,
    index: Path | None,
    wait: float,
    scheduler: str | None = None,
    workers: int | None = None,
) -> None:
    corpus_dir, index_dir = _paths(corpus, index)
    with cluster.maybe(scheduler, workers), _progress(sys.stderr.isatty()) as progress:
        report = build(corpus_dir, index_dir, progress=progress, wait=wait)
    click.echo(
        f"indexed {_plural(report.indexed, 'document')}, skipped {len(report.skipped)}, "
        f"failed {len(report.failed)} in {report.seconds:.1f} s → {index_dir} "
        f"(build {report.generation})"
    )
    if build is update_index:
        click.echo(
            f"added {report.added}, changed {report.changed}, deleted {report.deleted}, "
            f"unchanged {report.unchanged}"
        )
    _report_skips(report.skipped, "skipped")
    _report_skips(report.failed, "FAILED")
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
@_errors_to_exit
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
@_errors_to_exit
def update(
    corpus: Path | None,
    index: Path | None,
    wait: float,
    scheduler: str | None,
    workers: int | None,
) -> None:
    """Apply new, changed and deleted files to the index in one commit."""
    _build_command(update_index, corpus, index, wait, scheduler, workers)


def _facet_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """A repeatable option per value facet of the facet table (``--source``, ...)."""
    for facet in reversed(facets.VALUE_FACETS):
        command = click.option(
            f"--{facet.param}",
            facet.request,
            multiple=True,
            help=f"Only this {facet.noun} (repeatable: OR).",
        )(command)
    return command


@main.command("search")
@click.argument("query", nargs=-1)
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON shape.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, help="Results per page.")
@click.option("--page", type=click.IntRange(1, None), default=1, help="Page of results.")
@_facet_options
@click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Published on or after.")
@click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Published on or before.")
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="relevance",
    show_default=True,
    help="date = newest first.",
)
@click.option("--all-copies", is_flag=True, help="Show syndicated copies as separate hits.")
@click.option("--as-typed", is_flag=True, help="No corrected results for misspelt words.")
@_errors_to_exit
def search_command(
    query: tuple[str, ...],
    index: Path | None,
    as_json: bool,
    limit: int,
    page: int,
    date_from: str | None,
    date_to: str | None,
    sort: str,
    all_copies: bool,
    as_typed: bool,
    **chosen: tuple[str, ...],
) -> None:
    """Search the index: QUERY takes words, "phrases", AND/OR/NOT and title:/author:/source:.

    Words need no quotes (newsearch search heat warning); a phrase does, inside
    the shell's own ('"heat warning"'). No QUERY with filters or --sort date
    lists matching articles, newest first. Each hit shows its id, for
    ``newsearch article ID``."""
    _, index_dir = _paths(None, index)
    request = SearchRequest(
        terminal.argument(" ".join(query)),
        page=page,
        per_page=limit,
        **chosen,
        date_from=parse_date(date_from, "--from") if date_from else None,
        date_to=parse_date(date_to, "--to") if date_to else None,
        sort=sort,
        collapse=not all_copies,
        correct=not as_typed,
    )
    with Index(index_dir) as ix:
        results = ix.search(request)
    if as_json:
        data = serialize.results_json(results)
        click.echo(terminal.json_text(json.dumps(data, ensure_ascii=False, indent=2)))
        return
    noun = "result" if request.query.strip() else "article"
    order = ""
    if not request.query.strip() and results.request is not None:
        order = {"date": ", newest first", "date_asc": ", oldest first"}.get(
            results.request.sort, ""
        )
    click.echo(f"{_plural(results.total, noun)}{order} ({results.took_ms:.0f} ms)")
    if results.partial:
        click.echo("(the search ran out of time: these are the results found so far)")
    if results.showing:
        showing = terminal.line(results.showing)
        click.echo(f"showing results for: {showing} (as typed: add --as-typed)")
    elif results.correction:
        click.echo(f"did you mean: {terminal.line(results.correction)}")
    for name in results.named_authors:
        click.echo(f'only articles by {terminal.line(name)}: --author "{terminal.line(name)}"')
    bold, reset = _emphasis()
    for n, hit in enumerate(results.hits, (results.page - 1) * results.per_page + 1):
        meta = " · ".join(terminal.line(x) for x in _byline(hit))
        title, path = terminal.line(hit.title), terminal.line(hit.path)
        click.echo(f"\n{n}. {bold}{title}{reset}\n   id {hit.id}  {path}")
        if meta:
            click.echo(f"   {meta}")
        click.echo("   " + _marked(hit.snippet_html, bold, reset))
        if hit.missing:
            click.echo("   missing: " + ", ".join(terminal.line(w) for w in hit.missing))
        if hit.duplicates:
            also = ", ".join(terminal.line(d.source or d.path) for d in hit.duplicates)
            click.echo("   also in: " + also)
    for name, counts in results.facets.items():
        if counts and not facets.BY_NAME[name].within:
            listed = ", ".join(f"{terminal.line(value)} ({n})" for value, n in counts.items())
            click.echo(f"\n{name}: {listed}")


def _byline(hit: Hit) -> list[str]:
    """The byline fields of the article-field table that the hit has, dates as days."""
    shown = []
    for field in fields.FIELDS:
        value = getattr(hit, field.name)
        if field.byline and value:
            shown.append(value.date().isoformat() if field.kind == fields.DATE else value)
    return shown


def _emphasis() -> tuple[str, str]:
    """Bold on a terminal, nothing when piped or when NO_COLOR is set (no-color.org)."""
    if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
        return "", ""
    return "\x1b[1m", "\x1b[0m"


def _marked(snippet_html: str, bold: str, reset: str) -> str:
    """A terminal rendering of a snippet: marks become bold, entities decoded."""
    import html

    marked = snippet_html.split("<mark>")
    parts = [terminal.line(html.unescape(marked[0]))]
    for part in marked[1:]:
        inside, _, after = part.partition("</mark>")
        parts.append(bold + terminal.line(html.unescape(inside)) + reset)
        parts.append(terminal.line(html.unescape(after)))
    return "".join(parts)


@main.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--jsonl", is_flag=True, help="One JSON object per document.")
@corpus_option
@index_option
@_errors_to_exit
def extract_command(
    paths: tuple[Path, ...], jsonl: bool, corpus: Path | None, index: Path | None
) -> None:
    """Show what the indexer keeps of each file.

    A folder learns its own outlet templates first; a single file uses the
    templates stored with the index (when there is one)."""
    from .build.extract_files import extract_paths

    corpus_dir, index_dir = _paths(corpus, index)
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


@main.command()
@corpus_option
@index_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=5000, show_default=True)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=SERVE_THREADS,
    show_default=True,
    help="Worker threads serving requests (each keeps its own searcher).",
)
@click.option(
    "--rate-limit",
    type=click.IntRange(0, None),
    default=None,
    help="Requests per minute per client on the API and suggestions (0: none; "
    "default $NEWSEARCH_RATE_LIMIT or none).",
)
@_errors_to_exit
def serve(
    corpus: Path | None,
    index: Path | None,
    host: str,
    port: int,
    threads: int,
    rate_limit: int | None,
) -> None:
    """Serve the search page (builds the index first if there is none).

    Waitress keeps at most 1,000 connections and closes one silent for 30 s
    (swept every 10 s); on a public network put a reverse proxy in front and
    set NEWSEARCH_RATE_LIMIT (README, "Serving on a network")."""
    corpus_dir, index_dir = _paths(corpus, index)
    try:
        Index(index_dir).close()
    except IndexNotFound:
        click.echo(f"no index in {index_dir}; building it from {corpus_dir} …", err=True)
        report = rebuild_index(corpus_dir, index_dir)
        click.echo(f"indexed {report.indexed} documents, skipped {len(report.skipped)}", err=True)
    from web import create_app
    from web import server as web_server

    settings: dict[str, object] = {"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus_dir)}
    if rate_limit is not None:
        settings["RATE_LIMIT"] = rate_limit
    app = create_app(settings)
    server = web_server.create(app, host, port, threads)
    click.echo(f"serving http://{host}:{port}/ ({threads} threads); Ctrl-C stops", err=True)
    server.run()


@main.command()
@click.argument("text")
@index_option
@_errors_to_exit
def suggest(text: str, index: Path | None) -> None:
    """Completions for TEXT, one per line, as the search box offers them."""
    _, index_dir = _paths(None, index)
    with Index(index_dir) as ix:
        for line in ix.suggest(terminal.argument(text)):
            click.echo(terminal.line(line))


@main.command()
@click.argument("article_id")
@index_option
@click.option("--json", "as_json", is_flag=True)
@_errors_to_exit
def article(article_id: str, index: Path | None, as_json: bool) -> None:
    """Show one indexed article by its id or its corpus path (both shown by
    ``newsearch search``), with related coverage."""
    _, index_dir = _paths(None, index)
    with Index(index_dir) as ix:
        article_id = terminal.argument(article_id)
        try:
            stored = ix.article(article_id)
        except ArticleNotFound:
            try:
                stored = ix.article(doc_id(article_id.replace(os.sep, "/")))
            except ArticleNotFound:
                raise ArticleNotFound(
                    f"no article with id or path {article_id!r}; "
                    "`newsearch search WORDS` shows both"
                ) from None
        related = ix.related(stored.id)
    if as_json:
        data = serialize.article_json(stored, related)
        click.echo(terminal.json_text(json.dumps(data, ensure_ascii=False, indent=2)))
        return
    title, path = terminal.line(stored.title), terminal.line(stored.path)
    click.echo(f"{title}\n{path}\n\n{terminal.text(stored.body)}")
    if related:
        click.echo("\nrelated:")
        for ref in related:
            click.echo(
                f"  {terminal.line(ref.title)} [{terminal.line(ref.source or ref.path)}] {ref.id}"
            )


@main.command()
@index_option
@click.option("--json", "as_json", is_flag=True)
@_errors_to_exit
def stats(index: Path | None, as_json: bool) -> None:
    """Show what the served index holds."""
    _, index_dir = _paths(None, index)
    with Index(index_dir) as ix:
        data = ix.stats()
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    for key, value in data.items():
        if value is None:
            continue  # nothing to say (no warning, no advice)
        if key == "size_bytes":
            key, value = "size", _size(int(value))
        elif isinstance(value, int):
            value = f"{value:,}"
        click.echo(f"{key.replace('_', ' ')}: {terminal.line(str(value))}")


def _size(n: int) -> str:
    """1,536 -> '1.5 KB' (binary multiples, as file managers show them)."""
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{n:,} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n:,} bytes"
