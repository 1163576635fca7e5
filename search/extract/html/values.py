"""Cleaning the values pages declare about themselves: titles, names, dates, URLs.

Declared metadata is written by many hands and CMSs: a title carries the
site's name, a byline runs on into the date or the writer's employer, an
og:url may be a javascript: link. Each function here turns one raw value into
what a reader should see, or None.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from ...dates import plausible

# An author "name" longer than this is a sentence scraped by mistake; the
# longest real multi-author bylines seen run around 80 characters.
_MAX_AUTHOR_CHARS = 120
# Title suffixes/prefixes (" | Site") are dropped when the part is at most
# this many words and the rest is longer: site names and sections are short.
_MAX_SITE_WORDS = 5
_SPACE = re.compile(r"\s+")
_TITLE_SEPARATORS = re.compile(r"(\s+[|–—·•»]\s+|\s+-\s+|\s*::\s+|:\s+)")
# What may join a headline to a site or section name in a title. A colon
# also joins the halves of real headlines ("Brexit: what now"), so it never
# counts here.
_NAME_SEPARATOR = re.compile(r"\s+[|–—·•»-]\s+")
_NAME_SEPARATOR_AT_END = re.compile(r"\s+[|–—·•»-]\s+$")
# "By ", "Posted by ", "Analysis by ", "Von ", or a one-word label ("Author: ").
_BY_PREFIX = re.compile(
    r"^\s*(?:(?:\w+\s+)?(?:by|von|par|por|di|door|av|af)\b\s*:?|[^\W\d]+\s*:)\s*",
    re.IGNORECASE,
)
# Bylines often run on into the date ("Ann Lee | November 18, 2019", "Ann Lee
# 1 day ago"): names carry no digits, so the name ends before the first one,
# and an English month name left dangling before it goes too.
_FIRST_DIGIT = re.compile(r"\d")
_TRAILING_DATE_WORD = re.compile(
    r"(?:[\s,|–—-]*\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?|updated|published|posted|on)\.?)+$",
    re.IGNORECASE,
)
# "Ann Lee, Provincial Press", "Ann Lee, AP Writer", "Ann Lee, MS, RD": the
# parts after the name that give an employer, a role or credentials. Words of
# job titles and outlet kinds, not names of any outlet.
_AFFILIATION_WORDS = frozenset(
    re.findall(
        r"\w+",
        """
    press news newspaper writer writers staff reporter reporters correspondent
    correspondents editor editors contributor columnist business bureau service wire
    agency times post herald journal tribune media magazine online desk team
    gazette courier chronicle daily weekly observer
    international national political sports science health
    """,
    )
)
_CREDENTIAL = re.compile(r"^[A-Z][A-Z.]{0,5}$")


def clean(text: str | None) -> str | None:
    if not text:
        return None
    if "&" in text:  # CMSs often escape twice: og:title="Q&amp;#8217;s" reads "Q&#8217;s"
        text = html.unescape(text)
    text = _SPACE.sub(" ", text).strip()
    return text or None


# Characters a shown URL may not hold: spaces and those that end an attribute or tag.
_NOT_IN_URL = re.compile(r"[\s<>\"']")


def http_url(value: str | None) -> str | None:
    """The URL if it is an absolute http(s) one: others (javascript:, data:) are never shown."""
    value = (value or "").strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    if _NOT_IN_URL.search(value):
        return None
    return value


def host_of(url: str | None) -> str | None:
    """'https://www.Example.com:443/x' → 'example.com'."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def parse_date(value: str | None) -> datetime | None:
    """ISO 8601 (what JSON-LD and Open Graph use) or RFC 2822; None for anything else."""
    value = (value or "").strip()
    if not value:
        return None
    candidate = value.replace("Z", "+00:00").replace("z", "+00:00")
    # "+0000" offsets and a space instead of "T" are common; fromisoformat in
    # Python 3.10 accepts neither.
    candidate = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", candidate)
    candidate = re.sub(r"^(\d{4}-\d\d-\d\d)[ T](\d)", r"\1T\2", candidate)
    candidate = re.sub(
        r"(T\d\d:\d\d:\d\d)\.(\d+)",
        lambda m: m.group(1) + "." + m.group(2)[:6].ljust(6, "0"),
        candidate,
    )
    parsed = None
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        match = re.match(r"^(\d{4})-?(\d\d)-?(\d\d)", value)
        if match:
            try:
                parsed = datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                parsed = None
        else:
            try:
                parsed = parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                parsed = None
    return plausible(parsed)


def names_role(part: str) -> bool:
    """Whether a byline part holds a word of a job title or an outlet kind."""
    return any(w.casefold().strip(".") in _AFFILIATION_WORDS for w in part.split())


def is_affiliation(part: str) -> bool:
    """Whether a byline part names an employer, a role or credentials, not a person."""
    words = part.split()
    if len(words) == 1 and _CREDENTIAL.match(words[0]):
        return True  # "AP", "CNN", "MS", "RD"
    return names_role(part)


def _without_affiliation(value: str) -> str:
    parts = [p.strip() for p in value.split(",")]
    names = [parts[0]] + [p for p in parts[1:] if p and not is_affiliation(p)]
    return ", ".join(names)


def clean_author(value: str | None) -> str | None:
    value = clean(value)
    if not value or http_url(value) or value.startswith(("@", "/")):
        return None
    value = _BY_PREFIX.sub("", value)
    digit = _FIRST_DIGIT.search(value)
    if digit:
        value = _TRAILING_DATE_WORD.sub("", value[: digit.start()].rstrip())
    value = _without_affiliation(value.strip(" ,;|-–—·•"))
    if not value or len(value) > _MAX_AUTHOR_CHARS or not any(c.isalpha() for c in value):
        return None
    return value


def _is_site_name(part: str, site: str | None, host: str | None) -> bool:
    """Whether a title part spells the site: its declared name or its host ("Example.com")."""
    names = {n.casefold() for n in (site, host) if n}
    host_word = (host or "").split(".")[0].casefold()
    folded = part.strip().casefold()
    squashed = re.sub(r"\W", "", folded)
    return folded in names or (bool(host_word) and squashed in {host_word, host_word + "com"})


# A domain's last labels, which a declared name may carry ("Example.com").
_DOMAIN_TAIL = re.compile(r"\.(?:com|net|org|info|co|[a-z]{2})(?:\.[a-z]{2})?$", re.IGNORECASE)


def _squashed(text: str) -> str:
    return re.sub(r"\W", "", text).casefold()


def _extends_site_name(part: str, site: str | None, host: str | None) -> bool:
    """Whether a title part is a longer form of the site's declared name or
    host: it opens with that name and goes on ("Example Official Site" where
    "Example.com" is declared, "Ann Lee On Leadership" for "Ann Lee"). Read by
    shape (the leading words spell the name), never by the words that follow."""
    words = part.split()
    if len(words) < 2 or len(words) > _MAX_SITE_WORDS:
        return False
    stems = {_squashed(_DOMAIN_TAIL.sub("", n.strip())) for n in (site, host) if n}
    if host:
        stems.add(_squashed(host.split(".")[0]))
    stems.discard("")
    leading = ""
    for word in words[:-1]:  # the whole part spelling the name is ``_is_site_name``'s case
        leading += _squashed(word)
        if leading in stems:
            return True
    return False


def headline_within(
    title: str, headlines: list[str | None], site: str | None, host: str | None
) -> str | None:
    """The page's printed headline when the title is that headline plus a
    separated part ("Headline – Site", "Site | Headline"): whatever else the
    title holds is the site's name or section, whether or not the page names
    its site anywhere else. A headline that spells the site is its logo."""
    folded = title.casefold()
    for headline in headlines:
        if not headline or len(headline) >= len(title) or len(headline.split()) < 2:
            continue
        if _is_site_name(headline, site, host):
            continue
        h = headline.casefold()
        if folded.startswith(h) and _NAME_SEPARATOR.match(title, len(headline)):
            return headline
        rest = title[: len(title) - len(headline)]
        if folded.endswith(h) and _NAME_SEPARATOR_AT_END.search(rest):
            return headline
    return None


def strip_name(title: str, name: str) -> str:
    """The title without ``name`` where it is a separated first or last part."""
    folded, n = title.casefold(), name.casefold()
    if len(name) < len(title):
        if folded.startswith(n):
            sep = _NAME_SEPARATOR.match(title, len(name))
            if sep:
                return title[sep.end() :]
        if folded.endswith(n):
            sep = _NAME_SEPARATOR_AT_END.search(title[: len(title) - len(name)])
            if sep:
                return title[: sep.start()]
    return title


def drop_site_name(title: str, site: str | None, host: str | None) -> str:
    """Drop ' | Site' (or 'Site - ') from a headline: the site name is not the story's title."""
    pieces = _TITLE_SEPARATORS.split(title)  # text, separator, text, ...

    def is_site(part: str) -> bool:
        return _is_site_name(part, site, host)

    def is_longer_site(part: str, separator: str, rest: list[str]) -> bool:
        # Only a name separator (a colon joins a headline's halves), and only
        # beside a headline at least as long as the part: "Review - Example
        # Watch Series 4" keeps its product name.
        return (
            separator.strip() != ":"
            and _extends_site_name(part, site, host)
            and len("".join(rest).split()) >= len(part.split())
        )

    while len(pieces) >= 3 and (
        is_site(pieces[-1]) or is_longer_site(pieces[-1], pieces[-2], pieces[:-2])
    ):
        pieces = pieces[:-2]
    # A longer form is only looked for at the end, where sites put their name:
    # a first part that opens with the site's name is as often the subject
    # of a headline about the site itself ("Example shares fall - what now").
    while len(pieces) >= 3 and is_site(pieces[0]):
        pieces = pieces[2:]
    # " | " is the separator sites use for their name or section, while " - "
    # and ":" also join the halves of real headlines: after a pipe, a short
    # part is dropped even when it does not spell the site's name.
    while (
        len(pieces) >= 3
        and pieces[-2].strip() == "|"
        and len(pieces[-1].split()) <= _MAX_SITE_WORDS
    ):
        pieces = pieces[:-2]
    return "".join(pieces).strip() or title
