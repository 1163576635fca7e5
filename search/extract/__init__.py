"""Bytes in, an Article or a Skip out: the one entry point to extraction.

Extraction is pure: it reads nothing but its arguments, so the indexer can run
it in worker processes and ``newsearch extract`` shows exactly what is indexed.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import BadArgument
from ..model import SKIP_BINARY, SKIP_EMPTY, SKIP_TOO_LARGE, SKIP_UNSUPPORTED, Article, Skip
from .decoding import decode
from .formats import FORMATS, HTML, TEXT, Format, folder_outlet, format_of
from .html import Prepared
from .templates import Templates

HTML_SUFFIXES = HTML.suffixes
TEXT_SUFFIXES = TEXT.suffixes
SUFFIXES = tuple(suffix for f in FORMATS for suffix in f.suffixes)

# Largest document we extract. The longest real article page in the extraction
# benchmark is under 2 MB; 20 MB leaves room for inline images and scripts
# while keeping one worker's memory bounded.
MAX_BYTES = 20 * 1024 * 1024
# A control byte (other than tab/newline/CR/form feed) in the first KiB means
# an image, PDF or archive saved under a text name.
_BINARY_SNIFF = 1024
# How far into a page its <head> is looked for: the charset declaration put
# after it must sit well inside what decoding reads for one (8 KiB).
_CHARSET_REACH = 4096
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")


def kind_of(path: str) -> str | None:
    """The name of the file's format ("html", "text"), None when we read no such files."""
    found = format_of(path)
    return found.name if found is not None else None


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
    """The outlet whose template a document follows (``formats.template_key``)."""
    found = format_of(path)
    if found is None or found.site is None:
        return folder_outlet(path)
    return found.outlet(decode(data, html=found.markup), path)


def template_lines(data: bytes, path: str) -> tuple[str, list[str], str | None]:
    """The outlet key, the candidate lines a template could contain and the
    title its outlet's name could be learned from (``templates.learn``)."""
    found = format_of(path)
    if found is None or _check_bytes(data, path) is not None:
        return folder_outlet(path), [], None
    text = decode(data, html=found.markup)
    return found.outlet(text, path), found.template_lines(text), _title(found, text)


def outlet_title(data: bytes, path: str) -> tuple[str, str | None]:
    """The outlet key and the title its name could be learned from, without the
    template lines (a head scan: for learning outlet names alone)."""
    found = format_of(path)
    if found is None or _check_bytes(data, path) is not None:
        return folder_outlet(path), None
    text = decode(data, html=found.markup)
    return found.outlet(text, path), _title(found, text)


def _title(found: Format, text: str) -> str | None:
    return found.title(text) if found.title is not None else None


@dataclass(frozen=True)
class Draft:
    """An HTML page parsed once for both passes of a rebuild: its outlet and
    template lines for learning, and the prepared article to finish after."""

    path: str
    outlet: str
    lines: list[str]
    title: str | None
    prepared: Prepared | Skip

    @property
    def finish(self) -> Callable[[Prepared, frozenset[str], tuple[str, ...]], Article | Skip]:
        found = format_of(self.path)
        assert found is not None and found.finish is not None, self.path
        return found.finish


def draft_html(data: bytes, path: str) -> Draft | None:
    """Parse a document of a format that prepares once (HTML); None for other
    formats (or bytes not worth parsing)."""
    found = format_of(path)
    if found is None or found.prepare is None or _check_bytes(data, path) is not None:
        return None
    text = decode(data, html=found.markup)
    prepared = found.prepare(text)
    lines = prepared.lines if isinstance(prepared, Prepared) else []
    return Draft(path, found.outlet(text, path), lines, _title(found, text), prepared)


def finish_draft(draft: Draft, templates: Templates | None = None) -> Article | Skip:
    """What ``extract`` returns for the page, once the outlet templates are known."""
    if isinstance(draft.prepared, Skip):
        result: Article | Skip = draft.prepared
    else:
        templates = templates or Templates()
        result = draft.finish(
            draft.prepared,
            templates.boilerplate_for(draft.outlet),
            templates.names_for(draft.outlet),
        )
    return _placed(result, draft.path)


def _placed(result: Article | Skip, path: str) -> Article | Skip:
    """The result with its corpus path, and a source name from the folder if the page gave none."""
    if isinstance(result, Skip):
        return dataclasses.replace(result, path=path)
    source = result.source or source_name(folder_outlet(path))
    return dataclasses.replace(result, path=path, source=source)


# The opening <head> (else <html>) tag, after which a charset declaration
# goes: placed before it, a <meta> starts the document and the parser drops
# the attributes of the <html> that follows (its lang among them).
_HEAD_OPEN = re.compile(rb"<head\b[^>]*>|<html\b[^>]*>", re.IGNORECASE)


def _as_utf8(text: str, path: str) -> bytes:
    """A decoded document as UTF-8 bytes; an HTML page gets a charset
    declaration first in its head, so that a stale one cannot mis-decode it."""
    encoded = text.encode("utf-8", errors="replace")
    found = format_of(path)
    if found is not None and found.markup:
        tag = _HEAD_OPEN.search(encoded, 0, _CHARSET_REACH)
        at = tag.end() if tag else 0
        encoded = encoded[:at] + b'<meta charset="utf-8">' + encoded[at:]
    return encoded


def extract(data: bytes | str, path: str, templates: Templates | None = None) -> Article | Skip:
    """Extract one document; ``path`` is relative to the corpus root. ``data``
    is the file's bytes, or text already decoded (a host program's string is
    encoded as UTF-8, and an HTML page's own charset declaration is then moot)."""
    if not isinstance(path, str):
        raise BadArgument(f"extract() takes the path as text (str), not {type(path).__name__}")
    if isinstance(data, str):
        data = _as_utf8(data, path)
    elif not isinstance(data, (bytes, bytearray, memoryview)):
        raise BadArgument(f"extract() takes bytes or str, not {type(data).__name__}")
    data = bytes(data)
    found = format_of(path)
    if found is None:
        return Skip(SKIP_UNSUPPORTED, posixpath.splitext(path)[1] or "no suffix", path)
    problem = _check_bytes(data, path)
    if problem is not None:
        return problem
    text = decode(data, html=found.markup)
    templates = templates or Templates()
    outlet = found.outlet(text, path)
    result = found.extract(
        text,
        boilerplate=templates.boilerplate_for(outlet),
        site_names=templates.names_for(outlet),
    )
    return _placed(result, path)
