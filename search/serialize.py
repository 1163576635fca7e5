"""The stable JSON shapes users script against (CLI ``--json`` and ``/api/search``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .model import Article, Hit, SearchResults, StoredArticle


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "path": hit.path,
        "title": hit.title,
        "author": hit.author,
        "published": iso(hit.published),
        "source": hit.source,
        "url": hit.url,
        "summary": hit.summary,
        "score": hit.score,
        "snippet_html": hit.snippet_html,
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
    }


def article_json(article: Article | StoredArticle) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if isinstance(article, StoredArticle):
        data["id"] = article.id
    data.update(
        {
            "path": article.path,
            "title": article.title,
            "author": article.author,
            "published": iso(article.published),
            "source": article.source,
            "summary": article.summary,
        }
    )
    if isinstance(article, StoredArticle):
        data["url"] = article.url
    data["body"] = article.body
    return data
