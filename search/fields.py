"""The mapping between an Article and the fields of its index document."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any

from . import schema
from .model import Article


def doc_id(path: str) -> str:
    """Opaque, stable id for a corpus path: URLs never carry file paths."""
    return hashlib.blake2b(path.encode("utf-8"), digest_size=8).hexdigest()


def content_hash(article: Article) -> str:
    return hashlib.blake2b(article.body.encode("utf-8"), digest_size=16).hexdigest()


def naive_utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def article_fields(article: Article, dup_group: str | None = None) -> dict[str, object]:
    """The stored and indexed fields of one article; ``dup_group`` names the
    near-duplicate group it belongs to, if any."""
    own_id = doc_id(article.path)
    published = naive_utc(article.published)
    fields: dict[str, object] = {
        schema.ID_FIELD: own_id,
        schema.PATH: article.path,
        schema.TITLE: article.title,
        schema.BODY: article.body,
        schema.FINGERPRINT: content_hash(article),
        schema.TITLE_DERIVED: article.title_derived,
        schema.DUP_GROUP: dup_group or own_id,
        schema.UNDATED: "0" if published else "1",
    }
    optional = {
        schema.AUTHOR: article.author,
        schema.SOURCE: article.source,
        schema.SUMMARY: article.summary,
        schema.URL: article.url,
        schema.PUBLISHED: published,
        schema.SOURCE_FACET: article.source,
        schema.AUTHOR_FACET: article.author,
        schema.YEAR: f"{published:%Y}" if published else None,
        schema.MONTH: f"{published:%Y-%m}" if published else None,
    }
    fields.update({k: v for k, v in optional.items() if v is not None})
    return fields


def shown_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The stored fields every view of an article shows (a hit, the article page),
    under the names Hit and StoredArticle use."""
    return {
        "id": fields[schema.ID_FIELD],
        "path": fields[schema.PATH],
        "title": fields[schema.TITLE],
        "author": fields.get(schema.AUTHOR),
        "published": fields.get(schema.PUBLISHED),
        "source": fields.get(schema.SOURCE),
        "url": fields.get(schema.URL),
        "summary": fields.get(schema.SUMMARY),
    }


def stored_article(fields: dict[str, object]) -> Article:
    """An Article back from its stored fields (to re-add it without re-extracting)."""
    return Article(
        title=fields[schema.TITLE],
        body=fields[schema.BODY],
        path=fields[schema.PATH],
        author=fields.get(schema.AUTHOR),
        published=fields.get(schema.PUBLISHED),
        source=fields.get(schema.SOURCE),
        summary=fields.get(schema.SUMMARY),
        url=fields.get(schema.URL),
        title_derived=bool(fields.get(schema.TITLE_DERIVED)),
    )
