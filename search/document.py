"""An article's index document and back: the stored and indexed fields of an
Article, and the shown fields of a stored one (the article-field table,
``search.fields``, says which fields there are)."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta, timezone
from typing import Any

from . import dates, facets, fields, schema
from .model import Article

_log = logging.getLogger(__name__)


def doc_id(path: str) -> str:
    """Opaque, stable id for a corpus path: URLs never carry file paths."""
    return hashlib.blake2b(path.encode("utf-8"), digest_size=8).hexdigest()


def content_hash(article: Article) -> str:
    return hashlib.blake2b(article.body.encode("utf-8"), digest_size=16).hexdigest()


def naive_utc(value: datetime | None) -> datetime | None:
    """The date in UTC without a zone, as the index stores it; a date that is
    not believable (``dates.plausible``: year 9999 at -05:00 has no UTC form)
    is dropped with a note in the log, never an error that stops a build."""
    if value is None:
        return None
    if dates.plausible(value) is None:
        _log.warning("date %s is out of range (%d-%d); indexed without it", value, *dates.YEARS)
        return None
    if value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def utc_offset_minutes(value: datetime | None) -> int | None:
    offset = value.utcoffset() if value is not None else None
    return None if offset is None else int(offset.total_seconds() // 60)


def as_published(utc: datetime | None, offset_minutes: int | None) -> datetime | None:
    """A stored (naive UTC) date back in the zone its source gave, timezone-aware;
    naive when the source named no zone (its time zone is unknown)."""
    if utc is None or offset_minutes is None:
        return utc
    zone = timezone(timedelta(minutes=offset_minutes))
    return utc.replace(tzinfo=timezone.utc).astimezone(zone)


def article_fields(article: Article) -> dict[str, object]:
    """The stored and indexed fields of one article (its near-duplicate group
    is not one of them: see ``store.groups``)."""
    own_id = doc_id(article.path)
    values = fields.values(article)
    offset = utc_offset_minutes(values.get(schema.PUBLISHED))
    for f in fields.FIELDS:
        if f.kind == fields.DATE:
            values[f.name] = naive_utc(values[f.name])
    published = values[schema.PUBLISHED]
    document: dict[str, object] = {
        schema.ID_FIELD: own_id,
        schema.PATH: article.path,
        schema.TITLE: article.title,
        schema.BODY: article.body,
        schema.FINGERPRINT: content_hash(article),
        schema.TITLE_DERIVED: article.title_derived,
        schema.UNDATED: "0" if published else "1",
    }
    optional = {
        **values,
        **{f.column: f.value_of(values[f.field]) for f in facets.FACETS},
        schema.PUBLISHED_OFFSET: offset,
    }
    document.update({k: v for k, v in optional.items() if v is not None})
    return document


def shown_fields(stored: dict[str, Any]) -> dict[str, Any]:
    """The stored fields every view of an article shows (a hit, the article page),
    under the names Hit and StoredArticle use."""
    return {
        "id": stored[schema.ID_FIELD],
        "path": stored[schema.PATH],
        "title": stored[schema.TITLE],
        **{name: stored.get(name) for name in fields.NAMES},
        schema.PUBLISHED: published_of(stored),
    }


def published_of(stored: dict[str, Any]) -> datetime | None:
    """An article's date as its source gave it (see ``as_published``)."""
    return as_published(stored.get(schema.PUBLISHED), stored.get(schema.PUBLISHED_OFFSET))


def stored_article(stored: dict[str, Any]) -> Article:
    """An Article back from its stored fields (to re-add it without re-extracting)."""
    return Article(
        title=stored[schema.TITLE],
        body=stored[schema.BODY],
        path=stored[schema.PATH],
        title_derived=bool(stored.get(schema.TITLE_DERIVED)),
        **{
            **{name: stored.get(name) for name in fields.NAMES},
            schema.PUBLISHED: published_of(stored),
        },
    )
