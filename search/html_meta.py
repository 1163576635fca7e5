"""Article metadata from an HTML page's head: what the publisher declared about it.

Publishers describe their articles for social cards (Open Graph, Twitter) and
search engines (JSON-LD, schema.org microdata), so those declarations are more
reliable than anything guessed from the visible layout; the layout (<title>,
<time>, a byline element) is only the fallback.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from lxml.html import HtmlElement

# schema.org types whose JSON-LD object describes the page's article.
_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "webpage",
        "creativework",
    }
)
# Dates outside this range are template placeholders or parse accidents
# ("0001-01-01", a Unix epoch of 0), not publication dates.
_MIN_YEAR, _MAX_YEAR = 1900, 2100
# An author "name" longer than this is a sentence scraped by mistake; the
# longest real multi-author bylines seen run around 80 characters.
_MAX_AUTHOR_CHARS = 120
# Title suffixes/prefixes (" | Site") are dropped when the part is at most
# this many words and the rest is longer: site names and sections are short.
_MAX_SITE_WORDS = 5
# Pages with several <h1> use the first for the headline and the rest for
# section or teaser titles; only the first few can be the headline.
_MAX_H1 = 2

_SPACE = re.compile(r"\s+")
_TITLE_SEPARATORS = re.compile(r"(\s+[|–—·•»]\s+|\s+-\s+|\s*::\s+|:\s+)")
# "By ", "Posted by ", "Analysis by ", "Von ", or a one-word label ("Author: ").
_BY_PREFIX = re.compile(
    r"^\s*(?:(?:\w+\s+)?(?:by|von|par|por|di|door|av|af)\b\s*:?|[^\W\d]+\s*:)\s*",
    re.IGNORECASE,
)
# Bylines often run on into the date ("Ann Lee | November 18, 2019", "Ann Lee
# 1 day ago"): names carry no digits, so the name ends before the first one,
# and an English month name left dangling before it goes too.
_FIRST_DIGIT = re.compile(r"\d")
_TRAILING_MONTH = re.compile(
    r"[\s,|–—-]*\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?$",
    re.IGNORECASE,
)
_DATE_META_NAMES = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "published_time",
    "date",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.created",
    "dcterms.issued",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "original-publish-date",
)
_AUTHOR_META_NAMES = (
    "author",
    "article:author",
    "dc.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
)
_SITE_META_NAMES = ("og:site_name", "application-name", "twitter:site")
_SUMMARY_META_NAMES = ("description", "og:description", "twitter:description", "dc.description")
_TITLE_META_NAMES = ("og:title", "twitter:title", "dc.title", "headline")
_URL_META_NAMES = ("og:url", "twitter:url")


@dataclass(frozen=True)
class Meta:
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    source: str | None = None
    summary: str | None = None
    url: str | None = None
    # Every form of the headline the page shows (h1, <title>, og:title), so
    # that the body does not repeat it: the headline is not body text.
    headlines: frozenset[str] = frozenset()


def clean(text: str | None) -> str | None:
    if not text:
        return None
    if "&" in text:  # CMSs often escape twice: og:title="Q&amp;#8217;s" reads "Q&#8217;s"
        text = html.unescape(text)
    text = _SPACE.sub(" ", text).strip()
    return text or None


def http_url(value: str | None) -> str | None:
    """The URL if it is an absolute http(s) one: others (javascript:, data:) are never shown."""
    value = (value or "").strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    if any(c.isspace() or c in "<>\"'" for c in value):
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
    if parsed is None or not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
        return None
    return parsed


def _meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        content = el.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop"):
            key = el.get(attr)
            if key:
                found.setdefault(key.strip().lower(), []).append(content)
    return found


def _first(meta: dict[str, list[str]], names: tuple[str, ...]) -> str | None:
    for name in names:
        for value in meta.get(name, ()):
            value = clean(value)
            if value:
                return value
    return None


def _json_objects(tree: HtmlElement) -> Iterator[dict]:
    """Every JSON-LD object on the page, @graph members included, parse errors skipped."""
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            try:  # trailing commas or stray control characters are common
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw), strict=False)
            except (ValueError, RecursionError):
                continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph))


def _types(obj: dict) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.lower() for v in values if isinstance(v, str)}


def _names(value: object) -> list[str]:
    """Names from a schema.org Person/Organization value (string, object or list)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return _names(name) if isinstance(name, (str, list)) else []
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _article_ld(tree: HtmlElement) -> dict:
    """The JSON-LD object that best describes the article (typed Article first)."""
    best: dict = {}
    best_rank = 0
    for obj in _json_objects(tree):
        types = _types(obj)
        if types & (_ARTICLE_TYPES - {"webpage", "creativework"}):
            rank = 3
        elif types & _ARTICLE_TYPES:
            rank = 2
        elif "headline" in obj or "datePublished" in obj:
            rank = 1
        else:
            continue
        if rank > best_rank:
            best, best_rank = obj, rank
    return best


def _ld_str(obj: dict, key: str) -> str | None:
    value = obj.get(key)
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url") or value.get("name")
    return clean(value) if isinstance(value, str) else None


def _publisher_name(tree: HtmlElement, article: dict) -> str | None:
    names = _names(article.get("publisher"))
    if names:
        return clean(names[0])
    for obj in _json_objects(tree):
        if _types(obj) & {"newsmediaorganization", "organization", "website"}:
            names = _names(obj)
            if names:
                return clean(names[0])
    return None


def clean_author(value: str | None) -> str | None:
    value = clean(value)
    if not value or http_url(value) or value.startswith(("@", "/")):
        return None
    value = _BY_PREFIX.sub("", value)
    digit = _FIRST_DIGIT.search(value)
    if digit:
        value = _TRAILING_MONTH.sub("", value[: digit.start()].rstrip())
    value = value.strip(" ,;|-–—·•")
    if not value or len(value) > _MAX_AUTHOR_CHARS or not any(c.isalpha() for c in value):
        return None
    return value


def _byline(tree: HtmlElement) -> str | None:
    """Author from the visible page: rel=author links or byline/author-classed elements."""
    xpath = (
        "//*[(@rel='author' or @itemprop='author' or contains(@class,'byline')"
        " or contains(@class,'author')) and not(ancestor-or-self::form)"
        " and not(ancestor-or-self::*[contains(@class,'comment') or contains(@id,'comment')])]"
    )
    try:
        elements = tree.xpath(xpath)
    except Exception:  # lxml raises its own errors on odd trees
        return None
    for el in elements[:10]:
        if el.tag in {"meta", "link", "script", "style"}:
            continue
        name = clean_author(" ".join(el.itertext()))
        if name and len(name.split()) <= 8:
            return name
    return None


def _site_from_title(title: str, site: str | None, host: str | None) -> str:
    """Drop ' | Site' (or 'Site - ') from a headline: the site name is not the story's title."""
    pieces = _TITLE_SEPARATORS.split(title)  # text, separator, text, ...
    names = {n.casefold() for n in (site, host) if n}
    host_word = (host or "").split(".")[0].casefold()

    def is_site(part: str) -> bool:
        folded = part.strip().casefold()
        squashed = re.sub(r"\W", "", folded)
        return folded in names or (bool(host_word) and squashed in {host_word, host_word + "com"})

    while len(pieces) >= 3 and is_site(pieces[-1]):
        pieces = pieces[:-2]
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


def extract_meta(tree: HtmlElement) -> Meta:
    """Everything but the body, from one parsed page."""
    meta = _meta_tags(tree)
    article = _article_ld(tree)

    url = None
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            url = http_url(link.get("href"))
            if url:
                break
    url = url or http_url(_first(meta, _URL_META_NAMES)) or http_url(_ld_str(article, "url"))
    url = url or http_url(_ld_str(article, "mainEntityOfPage"))
    host = host_of(url)

    source = _first(meta, ("og:site_name", "application-name")) or _publisher_name(tree, article)
    if source and http_url(source):
        source = host_of(source)
    source = source or host

    title_el = tree.find(".//title")
    page_title = clean(title_el.text_content()) if title_el is not None else None
    h1s = [clean(h.text_content()) for h in tree.iter("h1")][:_MAX_H1]
    title = clean(_ld_str(article, "headline")) or _first(meta, _TITLE_META_NAMES)
    title = title or page_title or next((h for h in h1s if h), None)
    if title:
        title = _site_from_title(title, source, host)
    headlines = {title, page_title, _first(meta, _TITLE_META_NAMES), *h1s}
    if page_title:
        headlines.add(_site_from_title(page_title, source, host))

    author = None
    for name in _names(article.get("author")) + _names(article.get("creator")):
        author = clean_author(name)
        if author:
            break
    author = author or clean_author(_first(meta, _AUTHOR_META_NAMES)) or _byline(tree)

    published = parse_date(_ld_str(article, "datePublished")) or parse_date(
        _ld_str(article, "dateCreated")
    )
    if published is None:
        for name in _DATE_META_NAMES:
            for value in meta.get(name, ()):
                published = parse_date(value)
                if published:
                    break
            if published:
                break
    if published is None:
        for el in tree.iter("time"):
            published = parse_date(el.get("datetime"))
            if published:
                break

    summary = _first(meta, _SUMMARY_META_NAMES) or clean(_ld_str(article, "description"))
    return Meta(
        headlines=frozenset(h for h in headlines if h),
        title=title,
        author=author,
        published=published,
        source=source,
        summary=summary,
        url=url,
    )
