"""Article metadata lines: bylines, datelines, headlines, and a title made from the lead."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ...dates import plausible, zone
from ..html.values import names_role
from .lines import Line
from .stopwords import word_set

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_PATTERNS = (
    # "Dec. 26, 2015", "December 26 2015"
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.I),
    # "26 December 2015", "26th of Dec 2015"
    re.compile(
        r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>\d{4})\b",
        re.I,
    ),
    # "2015-12-26", "2015/12/26"
    re.compile(r"\b(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})(?!\d)"),
    # "12/26/2015" (US order unless the first number cannot be a month)
    re.compile(r"\b(?P<month>\d{1,2})[/.](?P<day>\d{1,2})[/.](?P<year>\d{4})\b"),
)
_TIME = re.compile(
    r"(?:\b|(?<=T))(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::\d{2})?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"\s*(?P<zone>utc|gmt|z\b|[+-]\d{2}:?\d{2}|(?:[ecmp][sd]?t|bst|cest|cet)\b)?",
    re.I,
)
# How far from a date its time of day may be, in characters: ", 10:40 AM EST"
# plus a weekday ("00:01, Tue, ").
TIME_REACH = 16
# Words that may sit on a dateline besides the date itself.
_DATELINE_WORDS = word_set(
    """published updated posted last modified sept first originally on at and date time
    am pm a m p et est edt ct cst cdt mt mst mdt pt pst pdt gmt utc bst cet cest z
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur
    thurs fri sat sun today yesterday ago hour hours minute minutes min mins day days
    week weeks january february march april june july august september october november
    december"""
) | frozenset(_MONTHS)
_ALPHA = re.compile(r"[^\W\d_]+")
# Datelines are short: "Published Dec. 26, 2015, 10:40 AM EST / Updated Dec. 27" is 12.
DATELINE_MAX_WORDS = 20

_BY = re.compile(
    r"^(?i:by|written by|words by|story by|reporting by|text by|posted by)\s*:?\s+(?P<rest>.+)$"
)
# A name word: a capital of any alphabet ("Álvarez", "Ødegaard") then word
# characters, dots, hyphens or apostrophes; or a lower-case particle.
_NAME_WORD = re.compile(r"[\w'’.-]+")
_NAME_PARTICLES = frozenset(
    ("de", "da", "del", "der", "den", "van", "von", "la", "le", "al", "bin", "ibn", "dos", "du")
)


def _name_part(part: str) -> bool:
    if part in _NAME_PARTICLES:
        return True
    return part[:1].isupper() and part[:1].isalpha() and bool(_NAME_WORD.fullmatch(part))


_AND = re.compile(r"\s+(?:and|&)\s+")
# A person's name is one to five words ("Abu Bakr al-Baghdadi Jr." is five).
NAME_MAX_WORDS = 5
# What may follow a byline's names after a comma: an outlet or a role.
BYLINE_TAIL_MAX_WORDS = 6
# What separates a byline's names from its outlet or role.
_BYLINE_TAIL = re.compile(r",|\s[-–—|]\s")
# "Monday November 18, 2019 7:45 am PST by Joe Rossignol"
_DATE_BY = re.compile(r"^(?P<date>.+?)\s+(?i:by)\s+(?P<name>[^,|]+)$")
# Parts of a combined meta line: "By Name | Dec 26, 2015".
_META_SEPARATORS = re.compile(r"\s+[|•·/–—-]\s+|\s*[|•·]\s*")

# Headlines run from two words to ~30 ("The long headline of a magazine feature").
HEADLINE_MIN_WORDS = 2
HEADLINE_MAX_WORDS = 30
# A derived title is cut near this many characters: about what a result list
# shows on one line, and the length of a typical print headline (60-100).
DERIVED_TITLE_CHARS = 90
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[\"“‘'A-Z0-9])")


# Zone abbreviations printed after a time. A season-less one ("ET") follows
# its region's daylight saving on the date it is read with.
_NAMED_OFFSETS = {
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
    "pst": -8, "pdt": -7, "bst": 1, "cet": 1, "cest": 2,
}  # fmt: skip
_NAMED_REGIONS = {
    "et": "America/New_York",
    "ct": "America/Chicago",
    "mt": "America/Denver",
    "pt": "America/Los_Angeles",
}


def _zone(text: str | None) -> tzinfo | None:
    if not text:
        return None
    text = text.lower()
    if text in ("utc", "gmt", "z"):
        return timezone.utc
    if text in _NAMED_OFFSETS:
        return timezone(timedelta(hours=_NAMED_OFFSETS[text]))
    if text in _NAMED_REGIONS:
        try:
            return ZoneInfo(_NAMED_REGIONS[text])
        except (ZoneInfoNotFoundError, ValueError):  # no time zone database here
            return None
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return zone(sign, int(digits[:2]), int(digits[2:]))


def find_date(text: str) -> tuple[datetime, tuple[int, int]] | None:
    """The first calendar date in ``text`` (with a time if one follows) and its span."""
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        year, day = int(parts["year"]), int(parts["day"])
        if parts.get("mon"):
            month = _MONTHS[parts["mon"][:3].lower()]
        else:
            month = int(parts["month"])
            if month > 12 >= day and pattern is _DATE_PATTERNS[3]:
                month, day = day, month
        try:
            value = datetime(year, month, day)
        except ValueError:
            continue
        start, end = match.span()
        # The time sits right after the date ("Nov 19, 2019, 6:21 AM") or right
        # before it ("00:01, Tue, Nov 19"); further off it belongs to another date.
        clock = _TIME.search(text[: end + TIME_REACH], end) or next(
            reversed(list(_TIME.finditer(text[:start], max(0, start - TIME_REACH)))), None
        )
        if clock:
            hour, minute = int(clock["hour"]), int(clock["minute"])
            ampm = (clock["ampm"] or "").lower()
            if ampm.startswith("p") and hour < 12:
                hour += 12
            elif ampm.startswith("a") and hour == 12:
                hour = 0
            if hour < 24 and minute < 60:
                value = value.replace(hour=hour, minute=minute, tzinfo=_zone(clock["zone"]))
                start, end = min(start, clock.start()), max(end, clock.end())
        if plausible(value) is None:
            continue  # 0001 or 9999: not a publication date
        return value, (start, end)
    return None


def dateline(text: str) -> tuple[bool, datetime | None]:
    """Whether ``text`` is only a dateline (maybe an empty one), and its date."""
    if len(text.split()) > DATELINE_MAX_WORDS:
        return False, None
    found = find_date(text)
    rest = text
    date = None
    if found:
        date, (start, end) = found
        rest = text[:start] + " " + text[end:]
    rest = _TIME.sub(" ", rest)
    words = [w.lower() for w in _ALPHA.findall(rest)]
    if any(w not in _DATELINE_WORDS for w in words):
        return False, None
    if date is None and not words:
        return False, None  # digits or punctuation alone: not a dateline
    return True, date


def _is_name(text: str) -> bool:
    parts = text.split()
    if not 1 <= len(parts) <= NAME_MAX_WORDS or not parts[0][:1].isupper():
        return False
    return all(_name_part(p) for p in parts)


def _bare_byline(text: str) -> str | None:
    """The author of a byline without "By": "Ann Lee, Staff Writer", "Ann Lee | Outlet".

    The shape is a person's name (two to five capitalised words) then short
    capitalised parts of which one names a role or an outlet kind; "Paris,
    France", "Tampa, FL" or "Lee, Ann" have no such part.
    """
    segments = [s.strip() for s in _BYLINE_TAIL.split(text.strip().rstrip("."))]
    if len(segments) < 2 or not 2 <= len(segments[0].split()) <= NAME_MAX_WORDS:
        return None
    if not _is_name(segments[0]):
        return None
    tails = segments[1:]
    if any(len(t.split()) > BYLINE_TAIL_MAX_WORDS or not t[:1].isupper() for t in tails):
        return None
    return segments[0] if any(names_role(t) for t in tails) else None


def byline(text: str) -> str | None:
    """The author of a byline ("By ...", or "Name, Role"); None when ``text`` is not one."""
    match = _BY.match(text)
    if not match:
        return _bare_byline(text)
    rest = match["rest"].strip().rstrip(".")
    segments = [s.strip() for s in _BYLINE_TAIL.split(rest)]
    if _AND.search(segments[-1]) and len(segments) > 1:
        names = segments[:-1] + _AND.split(segments[-1])
        return rest if all(_is_name(n) for n in names) else None
    if not all(_is_name(n) for n in _AND.split(segments[0])):
        return None
    for tail in segments[1:]:
        if len(tail.split()) > BYLINE_TAIL_MAX_WORDS or not tail[:1].isupper():
            return None
    return segments[0]


def meta_line(line: Line) -> tuple[bool, str | None, datetime | None]:
    """Whether a line holds only a byline and/or dateline, with the author and date."""
    author = byline(line.text)
    if author:
        found = find_date(line.text)
        return True, author, found[0] if found else None
    is_date, date = dateline(line.text)
    if is_date:
        return True, None, date
    if line.nwords > DATELINE_MAX_WORDS + NAME_MAX_WORDS:
        return False, None, None
    parts = [p for p in _META_SEPARATORS.split(line.text) if p.strip()]
    if len(parts) < 2:
        date_then_name = _DATE_BY.match(line.text)
        if date_then_name and _is_name(date_then_name["name"]):
            is_date, date = dateline(date_then_name["date"])
            if is_date:
                return True, date_then_name["name"], date
        return _byline_then_date(line.text)
    author, date = None, None
    # "Ann Lee | Harbour Gazette | March 4, 2024": a bare name counts when
    # another part names a role or an outlet kind.
    has_role = any(names_role(p) for p in parts)
    for part in parts:
        name = byline(part)
        if not name and has_role and len(part.split()) >= 2 and _is_name(part):
            name = part.strip()
        if name:
            author = author or name
            continue
        if author and names_role(part):
            continue
        is_date, when = dateline(part)
        if not is_date:
            return False, None, None
        date = date or when
    return True, author, date


def _byline_then_date(text: str) -> tuple[bool, str | None, datetime | None]:
    """ "By Name 2019-11-18T20:51Z Section": a byline run into its date."""
    found = find_date(text) if _BY.match(text) else None
    if not found:
        return False, None, None
    date, (start, end) = found
    head = text[:start].split()
    while head and head[-1].strip(",|-–—").lower() in _DATELINE_WORDS:
        head.pop()
    author = byline(" ".join(head).strip(" ,|-–—"))
    if not author or len(text[end:].split()) > BYLINE_TAIL_MAX_WORDS:
        return False, None, None
    return True, author, date


# An agency or outlet credit is a name of a few words: "Provincial Press Agency".
CREDIT_MAX_WORDS = 4


def credit_like(line: Line) -> bool:
    """A line that names an agency or outlet: a few capitalised words, one of an outlet kind."""
    words = line.text.split()
    return (
        len(words) <= CREDIT_MAX_WORDS
        and all(w[:1].isupper() for w in words)
        and names_role(line.text)
    )


def headline_like(line: Line) -> bool:
    if not HEADLINE_MIN_WORDS <= line.nwords <= HEADLINE_MAX_WORDS:
        return False
    return not line.text.endswith((".", ",", ":", ";"))


def derive_title(lead: str) -> str:
    """A display title from the lead paragraph: its first sentence, cut at a word."""
    sentence = _SENTENCE_END.split(lead, maxsplit=1)[0].strip()
    if len(sentence) <= DERIVED_TITLE_CHARS:
        return sentence
    cut = sentence[: DERIVED_TITLE_CHARS + 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"
