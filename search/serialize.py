"""The stable JSON shapes users script against (CLI ``--json`` and ``/api/search``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from . import fields
from .model import Article, ArticleRef, Hit, SearchResults, StoredArticle


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def field_values(item: Article | Hit | StoredArticle) -> dict[str, Any]:
    """The article-field table's fields of ``item`` as JSON values (dates in ISO 8601)."""
    return {
        f.name: iso(value) if f.kind == fields.DATE else value
        for f, value in zip(fields.FIELDS, fields.values(item).values(), strict=True)
    }


def hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "path": hit.path,
        "title": hit.title,
        **field_values(hit),
        "score": hit.score,
        "snippet_html": hit.snippet_html,
        "snippet_text": hit.snippet_text,
        "title_html": hit.title_html,
        "missing": list(hit.missing),
        "duplicates": [{"id": d.id, "path": d.path, "source": d.source} for d in hit.duplicates],
    }


def ref_json(ref: ArticleRef) -> dict[str, Any]:
    return {
        "id": ref.id,
        "path": ref.path,
        "title": ref.title,
        "source": ref.source,
        "published": iso(ref.published),
    }


def results_json(results: SearchResults) -> dict[str, Any]:
    return {
        "query": results.query,
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "took_ms": results.took_ms,
        "hits": [hit_json(h) for h in results.hits],
        "correction": results.correction,
        "showing": results.showing,
        "named_authors": list(results.named_authors),
        "facets": results.facets,
        "collapsed": results.collapsed,
        "partial": results.partial,
    }


def article_json(
    article: Article | StoredArticle, related: tuple[ArticleRef, ...] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if isinstance(article, StoredArticle):
        data["id"] = article.id
    data.update({"path": article.path, "title": article.title, **field_values(article)})
    data["body"] = article.body
    if related is not None:
        data["related"] = [ref_json(r) for r in related]
    return data
