"""Bytes in, an Article or a Skip out: the one entry point to extraction.

Extraction is pure: it reads nothing but its arguments, so the indexer can run
it in worker processes and ``newsearch extract`` shows exactly what is indexed.
"""

from __future__ import annotations

import dataclasses
import posixpath
from dataclasses import dataclass

from ..model import SKIP_BINARY, SKIP_EMPTY, SKIP_TOO_LARGE, SKIP_UNSUPPORTED, Article, Skip
from .decoding import decode
from .html import Prepared, extract_html, finish_html, html_site, prepare_html, template_lines_html
from .templates import Templates
from .text import extract_text, template_lines_text

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text")
SUFFIXES = HTML_SUFFIXES + TEXT_SUFFIXES

# Largest document we extract. The longest real article page in the extraction
# benchmark is under 2 MB; 20 MB leaves room for inline images and scripts
# while keeping one worker's memory bounded.
MAX_BYTES = 20 * 1024 * 1024
# A control byte (other than tab/newline/CR/form feed) in the first KiB means
# an image, PDF or archive saved under a text name.
_BINARY_SNIFF = 1024
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")


def kind_of(path: str) -> str | None:
    lower = path.lower()
    if lower.endswith(HTML_SUFFIXES):
        return "html"
    if lower.endswith(TEXT_SUFFIXES):
        return "text"
    return None


def folder_outlet(path: str) -> str:
    """Outlet key from the corpus layout: the folder a document sits in."""
    return posixpath.dirname(path) or "."


def source_name(folder: str) -> str | None:
    """A display name for an outlet known only by its folder: 'daily-ledger' → 'Daily Ledger'."""
    name = posixpath.basename(folder.rstrip("/"))
    if not name or name == ".":
        return None
    words = name.replace("_", " ").replace("-", " ").split()
    if name.islower():
        return " ".join(w.capitalize() for w in words)
    return " ".join(words)


def _check_bytes(data: bytes, path: str) -> Skip | None:
    if len(data) > MAX_BYTES:
        return Skip(SKIP_TOO_LARGE, f"{len(data)} bytes, limit {MAX_BYTES}", path)
    if not data.strip():
        return Skip(SKIP_EMPTY, "", path)
    head = data[:_BINARY_SNIFF]
    # UTF-16 text has NUL bytes but starts with a byte order mark.
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if any(b < 0x20 and b not in _TEXT_CONTROLS for b in head):
        return Skip(SKIP_BINARY, "control bytes in the first KiB", path)
    return None


def outlet_of(data: bytes, path: str) -> str:
    """The outlet whose template a document follows: its site for HTML, else its folder."""
    if kind_of(path) == "html":
        site = html_site(decode(data, html=True))
        if site:
            return site
    return folder_outlet(path)


def template_lines(data: bytes, path: str) -> tuple[str, list[str]]:
    """The outlet key and the candidate lines a template could contain."""
    kind = kind_of(path)
    if kind is None or _check_bytes(data, path) is not None:
        return folder_outlet(path), []
    if kind == "html":
        text = decode(data, html=True)
        return html_site(text) or folder_outlet(path), template_lines_html(text)
    return folder_outlet(path), template_lines_text(decode(data, html=False))


@dataclass(frozen=True)
class Draft:
    """An HTML page parsed once for both passes of a rebuild: its outlet and
    template lines for learning, and the prepared article to finish after."""

    path: str
    outlet: str
    lines: list[str]
    prepared: Prepared | Skip


def draft_html(data: bytes, path: str) -> Draft | None:
    """Parse an HTML document once; None for other kinds (or bytes not worth parsing)."""
    if kind_of(path) != "html" or _check_bytes(data, path) is not None:
        return None
    text = decode(data, html=True)
    prepared = prepare_html(text)
    lines = prepared.lines if isinstance(prepared, Prepared) else []
    return Draft(path, html_site(text) or folder_outlet(path), lines, prepared)


def finish_draft(draft: Draft, templates: Templates | None = None) -> Article | Skip:
    """What ``extract`` returns for the page, once the outlet templates are known."""
    if isinstance(draft.prepared, Skip):
        result: Article | Skip = draft.prepared
    else:
        boilerplate = (templates or Templates()).boilerplate_for(draft.outlet)
        result = finish_html(draft.prepared, boilerplate)
    return _placed(result, draft.path)


def _placed(result: Article | Skip, path: str) -> Article | Skip:
    """The result with its corpus path, and a source name from the folder if the page gave none."""
    if isinstance(result, Skip):
        return dataclasses.replace(result, path=path)
    source = result.source or source_name(folder_outlet(path))
    return dataclasses.replace(result, path=path, source=source)


def extract(data: bytes, path: str, templates: Templates | None = None) -> Article | Skip:
    """Extract one document; ``path`` is relative to the corpus root."""
    kind = kind_of(path)
    if kind is None:
        return Skip(SKIP_UNSUPPORTED, posixpath.splitext(path)[1] or "no suffix", path)
    problem = _check_bytes(data, path)
    if problem is not None:
        return problem
    templates = templates or Templates()
    folder = folder_outlet(path)
    if kind == "html":
        text = decode(data, html=True)
        outlet = html_site(text) or folder
        result = extract_html(text, boilerplate=templates.boilerplate_for(outlet))
    else:
        text = decode(data, html=False)
        result = extract_text(text, boilerplate=templates.boilerplate_for(folder))
    return _placed(result, path)
