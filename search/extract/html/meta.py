"""Article metadata from an HTML page: what the publisher declared about it.

Publishers describe their articles for social cards (Open Graph, Twitter) and
search engines (JSON-LD, schema.org microdata), so those declarations are more
reliable than anything guessed from the visible layout; the layout (<title>,
<time>, a byline element) is only the fallback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from ..section import kicker, section_name
from ..titles import strip_site_names
from .published import publication_date
from .values import (
    clean,
    clean_author,
    drop_site_name,
    headline_within,
    host_of,
    http_url,
    strip_name,
)

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
# Pages with several <h1> use the first for the headline and the rest for
# section or teaser titles; only the first few can be the headline.
_MAX_H1 = 2

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
_SECTION_META_NAMES = ("article:section",)
# A kicker is looked for beside the headline and beside its parent: a kicker
# and headline sit together in the story's header, one wrapper apart at most.
_KICKER_LEVELS = 2
# Elements whose text is never shown.
_UNSHOWN = frozenset({"script", "style", "noscript", "template"})


@dataclass(frozen=True)
class Meta:
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    source: str | None = None
    summary: str | None = None
    url: str | None = None
    section: str | None = None
    # Every form of the headline the page shows (h1, <title>, og:title), so
    # that the body does not repeat it: the headline is not body text.
    headlines: frozenset[str] = frozenset()
    # The title as declared, before the cuts made from this page alone: the
    # name learned across the outlet's pages is cut from it (``title_for``).
    declared_title: str | None = None


def title_for(meta: Meta, site_names: tuple[str, ...]) -> str | None:
    """The page's title once its outlet's learned name is cut.

    Where the name sits in the declared title it is cut there first, and the
    page's own cuts then see only what is left: "Valley Post | Bridge
    repairs finish" read alone loses its short last part after the bar (a
    section, usually); knowing that "Valley Post" is the outlet's name, the
    rest is the headline.
    """
    if not site_names or not meta.title:
        return meta.title
    declared = meta.declared_title or meta.title
    cut = strip_site_names(declared, site_names)
    if cut != declared:
        return drop_site_name(cut, meta.source, host_of(meta.url))
    return strip_site_names(meta.title, site_names)


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


# A blog's or section's front page: "/", "/index.html", "/thoughts/" (one
# path segment with no hyphen, digit or dot). Article permalinks carry a
# slug, a date or an id.
_HOME_PATH = re.compile(r"^/?(?:index\.\w+|[^\W\d_]+/?)?$")


def _links_home(el: HtmlElement) -> bool:
    """Whether a heading links to a front page: a logo or blog name, not a headline."""
    hrefs = [(a.get("href") or "").strip() for a in el.iter("a")]
    return any(
        _HOME_PATH.match(urlsplit(href).path.replace("_", ""))
        for href in hrefs
        if href and not href.startswith("#")
    )


def _byline(tree: HtmlElement) -> str | None:
    """Author from the visible page: rel=author links or byline/author-classed elements."""
    # One predicate per step, the class read once: libxml2 evaluates the
    # first on every element, the ancestor tests only on the few it keeps.
    xpath = (
        "//*[@class[contains(.,'byline') or contains(.,'author')]"
        " or @rel='author' or @itemprop='author'][not(ancestor-or-self::form)]"
        "[not(ancestor-or-self::*[contains(@class,'comment') or contains(@id,'comment')])]"
    )
    try:
        elements = tree.xpath(xpath)
    except Exception:  # lxml raises its own errors on odd trees
        return None
    for el in elements[:10]:
        if el.tag in {"meta", "link", "script", "style"}:
            continue
        # The date printed in the byline is not part of the name.
        name = clean_author(" ".join(el.xpath(".//text()[not(ancestor::time)]")))
        if name and len(name.split()) <= 8:
            return name
    return None


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
    declared_title = title
    if title:
        # A heading that links to the front page is the site's logo or the
        # blog's name: the title's part that repeats it is the site name.
        h1_els = list(tree.iter("h1"))[:_MAX_H1]
        printed = [clean(h.text_content()) for h in h1_els if not _links_home(h)]
        logos = [clean(h.text_content()) for h in h1_els if _links_home(h)]
        title = headline_within(title, printed, source, host) or drop_site_name(title, source, host)
        for logo in logos:
            title = strip_name(title, logo) if logo else title
    headlines = {title, page_title, _first(meta, _TITLE_META_NAMES), *h1s}
    if page_title:
        headlines.add(drop_site_name(page_title, source, host))

    author = None
    for name in _names(article.get("author")) + _names(article.get("creator")):
        author = clean_author(name)
        if author:
            break
    author = author or clean_author(_first(meta, _AUTHOR_META_NAMES)) or _byline(tree)

    declared = (_ld_str(article, "datePublished"), _ld_str(article, "dateCreated"))
    published = publication_date(tree, article, meta, url, declared)

    summary = _first(meta, _SUMMARY_META_NAMES) or clean(_ld_str(article, "description"))
    section = section_name(_first(meta, _SECTION_META_NAMES))
    section = section or section_name(article.get("articleSection"))
    printed = _kicker(tree)
    if printed and printed.casefold() not in {(source or "").casefold(), host or ""}:
        section = section or printed  # (a masthead above the headline is no section)
    return Meta(
        headlines=frozenset(h for h in headlines if h),
        title=title,
        declared_title=declared_title,
        author=author,
        published=published,
        source=source,
        summary=summary,
        url=url,
        section=section,
    )


def _one_link(element: HtmlElement, text: str) -> bool:
    """Whether all of the element's text is one link's."""
    links = [element] if element.tag == "a" else element.findall(".//a")
    return len(links) == 1 and links[0].text_content().strip() == text


def _kicker(tree: HtmlElement) -> str | None:
    """The section printed just above the page's headline (see ``section.kicker``):
    the nearest shown element before the first h1, at its level or its parent's."""
    node = next((h for h in tree.iter("h1") if clean(h.text_content())), None)
    for _ in range(_KICKER_LEVELS):
        if node is None:
            return None
        for before in node.itersiblings(preceding=True):
            if not isinstance(before.tag, str) or before.tag in _UNSHOWN:
                continue
            text = before.text_content().strip()
            if text:
                return kicker(text, linked=_one_link(before, text))
        node = node.getparent()
    return None
