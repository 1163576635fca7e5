"""Text from documents and file names made safe to print on a terminal.

A document or a file name can hold escape sequences (colours, cursor moves,
an OSC 52 clipboard write, a changed window title), other control
characters, direction overrides that make ``gpj.exe`` read as ``exe.jpg``,
and, from a non-UTF-8 file name or argument, lone surrogates that cannot be
written at all. What the CLI prints goes through here: escape sequences and
direction controls are removed, other controls shown as ``\\xNN`` (so a
newline in a file name is seen, not obeyed), surrogates as U+FFFD.
"""

from __future__ import annotations

import re

# ESC [ ... final (CSI), ESC ] ... BEL or ESC \ (OSC), ESC P/X/^/_ ... ESC \
# (DCS, SOS, PM, APC), and any other ESC + one character; the 8-bit CSI.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[\s\S]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
)
# Marks that reorder or hide text: LRM/RLM, ALM, embeddings and overrides,
# isolates, and zero-width characters.
_DIRECTION = re.compile(r"[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_AND_NEWLINES = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def _shown(m: re.Match[str]) -> str:
    return f"\\x{ord(m.group()):02x}"


def text(value: str) -> str:
    """Printable text: newlines and tabs kept, every other control made visible."""
    value = _SURROGATES.sub("\ufffd", value)
    value = _DIRECTION.sub("", _ESCAPES.sub("", value))
    return _CONTROLS.sub(_shown, value.replace("\r\n", "\n"))


def line(value: str) -> str:
    """Printable on one line (a title, a path): newlines and tabs shown as ``\\x0a``."""
    value = _SURROGATES.sub("\ufffd", value)
    value = _DIRECTION.sub("", _ESCAPES.sub("", value))
    return _CONTROLS_AND_NEWLINES.sub(_shown, value)


def argument(value: str) -> str:
    """A command-line argument as text: bytes that were not UTF-8 (which Python
    keeps as lone surrogates) become U+FFFD."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def json_text(value: str) -> str:
    """JSON written with ``ensure_ascii=False``, its C1 controls, direction marks
    and surrogates written as ``\\uXXXX`` escapes (the same JSON value; JSON
    already escapes C0 controls)."""

    def escaped(m: re.Match[str]) -> str:
        return f"\\u{ord(m.group()):04x}"

    return re.sub(r"[\x7f-\x9f\ud800-\udfff]", escaped, _DIRECTION.sub(escaped, value))
