"""Reading query-string parameters strictly: anything odd is a BadQuery (HTTP 400).

Only the shape is checked here (a whole number written in digits); the library
checks the range (page ≥ 1, per_page ≤ its maximum, depth ≤ its maximum), so
the limits live in one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from search import BadQuery
from search.engine import DEFAULT_PER_PAGE

# Longest number accepted: nine digits fit any page a reader can reach, and
# refusing longer strings keeps int() from chewing on a 100,000-digit number.
MAX_DIGITS = 9
_DIGITS = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")


def whole_number(args: Mapping[str, str], name: str, default: int) -> int:
    """The parameter as an int, the default when absent or empty, BadQuery otherwise."""
    raw = args.get(name, "")
    if raw == "":
        return default
    if not _DIGITS.fullmatch(raw):
        raise BadQuery(f"{name} must be a whole number from 1, not {_shorten(raw)!r}")
    return int(raw)


def paging(args: Mapping[str, str]) -> tuple[int, int]:
    return whole_number(args, "page", 1), whole_number(args, "per_page", DEFAULT_PER_PAGE)


def _shorten(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
