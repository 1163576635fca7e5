"""Reading query-string parameters strictly: anything odd is a BadQuery (HTTP 400).

The parameters mirror the CLI flags: ``q``, ``page``, ``per_page``, one per
value facet of ``search.facets`` (``source``, ``author``, ...: repeatable;
values of one facet OR together), ``from``/``to``
(ISO days), ``sort`` (relevance, date, date_asc), ``all=1`` (show every
syndicated copy) and ``spell=0`` (search the words as typed, no corrected
results). Only the shape is checked here; the library checks ranges
and values (``search.serve.filters.check``), so the limits live in one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from werkzeug.datastructures import MultiDict

from search import BadQuery, facets
from search.model import SearchRequest
from search.serve.engine import DEFAULT_PER_PAGE
from search.serve.filters import check, parse_date

# Longest number accepted: nine digits fit any page a reader can reach, and
# refusing longer strings keeps int() from chewing on a 100,000-digit number.
MAX_DIGITS = 9
_DIGITS = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")
# What ``all`` may say: on, or off (a form's unchecked box sends nothing).
_FLAG = {"1": True, "0": False, "": False}


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


def search_request(args: MultiDict[str, str]) -> SearchRequest:
    """The whole search the URL describes, checked; BadQuery says what to fix."""
    page, per_page = paging(args)
    flag = args.get("all", "")
    if flag not in _FLAG:
        raise BadQuery(f"all must be 1 or 0, not {_shorten(flag)!r}")
    spell = args.get("spell", "")
    if spell not in _FLAG:
        raise BadQuery(f"spell must be 1 or 0, not {_shorten(spell)!r}")
    return check(
        SearchRequest(
            query=args.get("q", ""),
            page=page,
            per_page=per_page,
            **{f.request: _values(args, f.param) for f in facets.VALUE_FACETS},
            date_from=_day(args, "from"),
            date_to=_day(args, "to"),
            sort=args.get("sort", "") or "relevance",
            collapse=not _FLAG[flag],
            correct=spell != "0",
        )
    )


def is_browse(request: SearchRequest) -> bool:
    """True when the request lists articles without words (filters or a date order)."""
    return not request.query.strip() and (request.has_filters or request.sort != "relevance")


def _values(args: MultiDict[str, str], name: str) -> tuple[str, ...]:
    """A repeatable parameter's non-empty values, each once, in URL order."""
    return tuple(dict.fromkeys(v for v in args.getlist(name) if v.strip()))


def _day(args: Mapping[str, str], name: str) -> date | None:
    raw = args.get(name, "")
    if not raw.strip():
        return None
    return parse_date(_shorten(raw, 40), name)


def _shorten(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
