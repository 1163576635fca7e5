"""The document formats extraction reads, each one value: which files it
takes, how its bytes decode, which outlet a document follows, the lines an
outlet template is learned from, and the extractor itself.

Everything that differs between HTML and plain text is here; the entry
points (``search.extract``) ask ``format_of(path)`` and never test a kind.
A new format is one more ``Format`` in ``FORMATS``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Article, Skip
from .html import (
    Prepared,
    extract_html,
    finish_html,
    html_site,
    html_title,
    prepare_html,
    template_lines_html,
)
from .text import extract_text, template_lines_text


def folder_outlet(path: str) -> str:
    """Outlet key from the corpus layout: the folder a document sits in."""
    return posixpath.dirname(path) or "."


def template_key(path: str, site: str | None) -> str:
    """The outlet whose template a document follows: its folder, and within the
    folder the site an HTML page names. Always the folder first: a page may
    declare any site's canonical host, and pages elsewhere in the corpus must
    not teach that site's real pages what is boilerplate (three pages in one
    folder claiming another outlet's host erased that outlet's articles)."""
    folder = folder_outlet(path)
    return f"{folder} {site}" if site else folder


@dataclass(frozen=True)
class Format:
    """``markup``: decoded as HTML (its ``<meta charset>`` counts); ``site``:
    the outlet a document names itself (None: its folder is always its
    outlet); ``prepare``/``finish``: a document parsed once for both passes
    of a rebuild, finished once its outlet's template is known (None:
    extraction is cheap enough to run twice); ``title``: the title a
    document's outlet name is learned from (None: the format has no such
    title)."""

    name: str
    suffixes: tuple[str, ...]
    markup: bool
    template_lines: Callable[[str], list[str]]
    extract: Callable[..., Article | Skip]
    site: Callable[[str], str | None] | None = None
    prepare: Callable[[str], Prepared | Skip] | None = None
    finish: Callable[[Prepared, frozenset[str], tuple[str, ...]], Article | Skip] | None = None
    title: Callable[[str], str | None] | None = None

    def outlet(self, text: str, path: str) -> str:
        """The outlet whose template a document follows (``template_key``)."""
        return template_key(path, self.site(text) if self.site is not None else None)


HTML = Format(
    "html",
    (".html", ".htm", ".xhtml"),
    markup=True,
    template_lines=template_lines_html,
    extract=extract_html,
    site=html_site,
    prepare=prepare_html,
    finish=finish_html,
    title=html_title,
)
TEXT = Format(
    "text",
    (".txt", ".text"),
    markup=False,
    template_lines=template_lines_text,
    extract=extract_text,
)
FORMATS: tuple[Format, ...] = (HTML, TEXT)


def format_of(path: str) -> Format | None:
    """The format of a file by its name's suffix; None when we read no such files."""
    lower = path.lower()
    return next((f for f in FORMATS if lower.endswith(f.suffixes)), None)
