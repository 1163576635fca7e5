"""Which publication dates are believable: one rule for every extraction path
(HTML, text) and for the index document.

A date outside MIN_YEAR..MAX_YEAR is a typo, a placeholder (0001-01-01,
9999-12-31) or an attack, and one that cannot be expressed in UTC (year 9999
at -05:00 is in year 10000 there) would overflow when the index stores it in
UTC. Either is dropped: the article is indexed without a date.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

# News archives start in the 20th century; nothing is published after 2100.
MIN_YEAR, MAX_YEAR = 1900, 2100
YEARS = (MIN_YEAR, MAX_YEAR)
# Real UTC offsets run from -12:00 to +14:00; anything past 14 hours is not a zone.
MAX_OFFSET = timedelta(hours=14)


def plausible(value: datetime | None) -> datetime | None:
    """``value`` when it is a believable publication date, else None."""
    if value is None or not MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    if value.tzinfo is not None:
        offset = value.utcoffset()
        if offset is None or abs(offset) > MAX_OFFSET:
            return None
        try:
            utc = value.astimezone(timezone.utc)
        except (OverflowError, ValueError):
            return None
        if not MIN_YEAR <= utc.year <= MAX_YEAR:
            return None
    return value


def zone(sign: int, hours: int, minutes: int) -> timezone | None:
    """The UTC offset written as ``+HH:MM``, or None when no zone has it."""
    offset = timedelta(hours=hours, minutes=minutes)
    if minutes >= 60 or offset > MAX_OFFSET:
        return None
    return timezone(sign * offset)
