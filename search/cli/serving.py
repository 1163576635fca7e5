"""``newsearch serve``: the search page on waitress, building the index first if needed."""

from __future__ import annotations

from pathlib import Path

import click

from ..build.sync import rebuild as rebuild_index
from ..errors import IndexNotFound
from ..serve.engine import Index
from .shell import corpus_and_index, corpus_option, errors_to_exit, index_option, main

# Worker threads of `newsearch serve`. Searching is CPU-bound Python, so past
# a few threads the GIL adds waiting, not throughput, while each thread keeps
# its own searcher and ranking caches: at 100k articles 8 threads grew the
# server to 3.6 GB (bench/loadtest.py). 4 is waitress's own default.
SERVE_THREADS = 4


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
@errors_to_exit
def serve(
    corpus: Path | None,
    index: Path | None,
    host: str,
    port: int,
    threads: int,
    rate_limit: int | None,
) -> None:
    """Serve the search page (builds the index first if there is none).

    Clients take turns at the threads (at most half of them each; the least
    recent work first). Waitress keeps at most 1,000 connections and closes
    one silent for 30 s (swept every 10 s); on a public network put a reverse
    proxy in front and set NEWSEARCH_PROXIES and NEWSEARCH_RATE_LIMIT
    (README, "Serving on a network")."""
    corpus_dir, index_dir = corpus_and_index(corpus, index)
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
    server = web_server.create(app, host, port, threads, search_process=True)
    click.echo(f"serving http://{host}:{port}/ ({threads} threads); Ctrl-C stops", err=True)
    server.run()
