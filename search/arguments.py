"""Checking what a host program passes to the public API, so that a wrong type
(None, bytes, a number) is a SearchError that names the argument, not a
TypeError or AttributeError from deep inside."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import BadArgument, BadQuery

_SURROGATES = re.compile(r"[\ud800-\udfff]")


def folder(value: object, name: str) -> Path:
    """A folder given as text or a path (``str``, ``pathlib.Path``, ``os.PathLike``)."""
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        if isinstance(path, str) and path and "\x00" not in path:
            return Path(path)
    raise BadArgument(f"{name} must be a folder path (str or pathlib.Path), not {value!r:.80}")


def text(value: object, name: str) -> str:
    """A text argument of a query (the query, an article id, typed text): a
    lone surrogate (from undecodable bytes) becomes U+FFFD."""
    if not isinstance(value, str):
        raise BadQuery(f"{name} must be text (str), not {type(value).__name__}")
    return _SURROGATES.sub("\ufffd", value)


def count(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise BadQuery(f"{name} must be a whole number from 0, not {value!r:.80}")
    return value
