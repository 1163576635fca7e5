"""Commands that read the served index: ``search``, ``article``, ``suggest``, ``stats``."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .. import facets, fields, serialize, terminal
from ..document import doc_id
from ..errors import ArticleNotFound
from ..model import SORTS, Hit, SearchRequest
from ..serve.engine import Index
from ..serve.filters import parse_date
from .shell import corpus_and_index, errors_to_exit, index_option, main, plural


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
@errors_to_exit
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
    _, index_dir = corpus_and_index(None, index)
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
    click.echo(f"{plural(results.total, noun)}{order} ({results.took_ms:.0f} ms)")
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


@main.command()
@click.argument("text")
@index_option
@errors_to_exit
def suggest(text: str, index: Path | None) -> None:
    """Completions for TEXT, one per line, as the search box offers them."""
    _, index_dir = corpus_and_index(None, index)
    with Index(index_dir) as ix:
        for line in ix.suggest(terminal.argument(text)):
            click.echo(terminal.line(line))


@main.command()
@click.argument("article_id")
@index_option
@click.option("--json", "as_json", is_flag=True)
@errors_to_exit
def article(article_id: str, index: Path | None, as_json: bool) -> None:
    """Show one indexed article by its id or its corpus path (both shown by
    ``newsearch search``), with related coverage."""
    _, index_dir = corpus_and_index(None, index)
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
@errors_to_exit
def stats(index: Path | None, as_json: bool) -> None:
    """Show what the served index holds."""
    _, index_dir = corpus_and_index(None, index)
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
