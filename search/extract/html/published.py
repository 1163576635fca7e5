"""When an HTML page's article was published: its declarations, else htmldate.

The page's own declarations come first (JSON-LD, meta tags, ``<time>``): they
carry the time and zone. Pages that declare nothing are left to htmldate,
which reads dates from the markup, the URL and the visible text.

htmldate's extensive pass hands the text it cannot read with its own patterns
to dateparser, which tries every one of the 205 locales it knows on each
string: the first call in a process compiles every locale's patterns (3.9 s
measured on Dragnet, per worker process), and each call after that splits the
string once per locale. A page is written in a language, so here dateparser
reads a page in that language only: the one the page declares (``<html
lang>``, ``og:locale``, Content-Language, JSON-LD ``inLanguage``), else the
one its function words show. Only a page with neither gets every locale.
On Dragnet the extensive pass runs on 127 pages and reads the same date on
all of them either way (125 in English, 2 with every locale).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import lru_cache
from typing import Any

import htmldate
import htmldate.extractors
from lxml.html import HtmlElement

from ..text.lines import WORD, language_of
from .values import parse_date

DATE_META_NAMES = (
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
_LANGUAGE_META_NAMES = ("og:locale", "content-language", "language", "dc.language")
# "en-US", "pt_BR", "zh-Hant-TW": the language is the first subtag.
_PRIMARY_SUBTAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_]|\s*$)")
# How much of the page's text the language is read from when it declares
# none: a few hundred words settle it (the stop-word lists are short).
LANGUAGE_SAMPLE_CHARS = 20_000

# The same settings htmldate gives its own parser (htmldate.extractors), so
# that a date reads the same way; only the languages tried differ.
_DATEPARSER_SETTINGS = {
    "NORMALIZE": True,
    "PARSERS": ["custom-formats", "absolute-time"],
    "PREFER_DATES_FROM": "past",
    "PREFER_LOCALE_DATE_ORDER": True,
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": True,
}

_page_languages: ContextVar[tuple[str, ...]] = ContextVar("page_languages", default=())
_every_locale = htmldate.extractors.get_external_parser


@lru_cache(maxsize=64)
def _parser_for(languages: tuple[str, ...]) -> Any:
    from dateparser import DateDataParser

    return DateDataParser(languages=list(languages), settings=_DATEPARSER_SETTINGS)


@lru_cache(maxsize=1)
def _dateparser_languages() -> frozenset[str]:
    from dateparser.data.languages_info import language_order

    return frozenset(language_order)


def _known(language: str) -> bool:
    return language in _dateparser_languages()


def _external_parser() -> Any:
    """The parser htmldate's extensive pass asks for: the page's languages' when known."""
    languages = _page_languages.get()
    return _parser_for(languages) if languages else _every_locale()


# htmldate looks its parser up through this module attribute on each call;
# which languages it gets is a per-context value, so threads never mix pages.
htmldate.extractors.get_external_parser = _external_parser  # type: ignore[assignment]


@contextmanager
def _reading(languages: tuple[str, ...]) -> Iterator[None]:
    token = _page_languages.set(languages)
    try:
        yield
    finally:
        _page_languages.reset(token)


def _primary(tag: str | None) -> str | None:
    match = _PRIMARY_SUBTAG.match(tag or "")
    return match.group(1).lower() if match else None


def page_languages(tree: HtmlElement, meta: dict[str, list[str]], article: dict) -> tuple[str, ...]:
    """The languages the page is written in: declared, else read from its words."""
    declared = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for el in tree.iter("meta"):
        if (el.get("http-equiv") or "").lower() == "content-language":
            declared.extend((el.get("content") or "").split(","))
    for name in _LANGUAGE_META_NAMES:
        declared.extend(meta.get(name, ()))
    in_language = article.get("inLanguage")
    declared.extend(v for v in (in_language if isinstance(in_language, list) else [in_language]))
    found = [code for tag in declared if isinstance(tag, str) and (code := _primary(tag))]
    found = [code for code in dict.fromkeys(found) if _known(code)]
    if found:  # (a tag no locale has, "xx" or a typo, is no declaration)
        return tuple(found)
    # Paragraphs are where prose is; a page without any is read whole.
    texts = tree.xpath("//p//text()") or tree.xpath("//body//text()")
    text = " ".join(t for t in texts if isinstance(t, str))[:LANGUAGE_SAMPLE_CHARS]
    detected = language_of(WORD.findall(text.casefold()))
    return (detected,) if detected else ()


def _htmldate(
    tree: HtmlElement, url: str | None, meta: dict[str, list[str]], article: dict
) -> datetime | None:
    """htmldate's fast pass first; its extensive pass only when that finds nothing.

    The fast pass reads markup, the URL and dates printed in the text with
    regular expressions: work linear in the page. The extensive pass adds
    dateparser (read in the page's languages, see above), so it runs only on
    pages where everything cheaper has failed. Each pass works on its own
    copy of the tree.
    """
    for extensive in (False, True):
        try:
            languages = page_languages(tree, meta, article) if extensive else ()
            with _reading(languages):
                found = htmldate.find_date(
                    tree,
                    url=url,
                    extensive_search=extensive,
                    original_date=True,
                    outputformat="%Y-%m-%d",
                )
        except Exception:  # a heuristic library on arbitrary markup: no date, not a crash
            found = None
        published = parse_date(found)
        if published is not None:
            return published
    return None


def publication_date(
    tree: HtmlElement,
    article: dict,
    meta: dict[str, list[str]],
    url: str | None,
    declared: tuple[str | None, ...],
) -> datetime | None:
    """When the article was first published: the one place dates are read.

    ``declared`` are the JSON-LD datePublished and dateCreated. The page's own
    declarations first: they carry the time and zone. Pages that declare
    nothing (on the Dragnet set, most 2012 pages) are left to htmldate, which
    reads dates from the visible text and the URL; it runs only then, since it
    costs a tree copy.
    """
    for value in declared:
        published = parse_date(value)
        if published is not None:
            return published
    for name in DATE_META_NAMES:
        for value in meta.get(name, ()):
            published = parse_date(value)
            if published:
                return published
    for el in tree.iter("time"):
        published = parse_date(el.get("datetime"))
        if published:
            return published
    return _htmldate(tree, url, meta, article)
