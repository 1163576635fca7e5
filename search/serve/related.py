"""Related coverage and the other copies of a story, for the article view and hits."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from whoosh.query import Or, Query, Term
from whoosh.searching import Searcher

from .. import schema
from ..analysis import analyze
from ..errors import ArticleNotFound
from ..model import ArticleRef
from . import array_page
from .snippets import SCAN_CHARS

# Copies of a story listed under its hit ("also in ..."); more are counted, not named.
MAX_COPIES_LISTED = 10
# Related coverage shown on an article: the issue asks for 3-5; five fills a sidebar.
LIMIT = 5
# Key terms more-like-this draws from the article: Whoosh's default of 5 is
# too few for news bodies; 12 finds articles on the same event, not the same word.
KEY_TERMS = 12
# A key term must occur in at least this many articles: itself and one more.
MIN_DF = 2


def ref(fields: dict[str, Any]) -> ArticleRef:
    return ArticleRef(
        id=fields[schema.ID_FIELD],
        path=fields[schema.PATH],
        title=fields[schema.TITLE],
        source=fields.get(schema.SOURCE),
        published=fields.get(schema.PUBLISHED),
    )


def copies(searcher: Searcher, docnum: int, cols: array_page.Columns) -> tuple[ArticleRef, ...]:
    """The other members of an article's near-duplicate group, in index order.
    From the build's group arrays: a Whoosh search per hit was a third of a
    page's time at 100k articles, where every story had copies."""
    refs = []
    for member in array_page.group_members(cols, docnum):
        if member == docnum or searcher.reader().is_deleted(member):
            continue
        refs.append(ref(searcher.stored_fields(member)))
        if len(refs) == MAX_COPIES_LISTED:
            break
    return tuple(refs)


def related(searcher: Searcher, article_id: str, limit: int = LIMIT) -> tuple[ArticleRef, ...]:
    """The articles most like this one (more-like-this on the body), leaving
    out the article and its own syndicated copies."""
    docnum = searcher.document_number(**{schema.ID_FIELD: article_id})
    if docnum is None:
        raise ArticleNotFound(f"no article with id {article_id!r}")
    stored = searcher.stored_fields(docnum)
    group = stored.get(schema.DUP_GROUP) or article_id
    query = key_terms_query(searcher, stored[schema.BODY])
    if query is None:
        return ()
    found = searcher.search(
        query, limit=limit + searcher.doc_frequency(schema.DUP_GROUP, group) + 1
    )
    refs = [
        ref(h.fields())
        for h in found
        if h.get(schema.DUP_GROUP) != group and h[schema.ID_FIELD] != article_id
    ]
    return tuple(refs[:limit])


def key_terms_query(searcher: Searcher, body: str) -> Query | None:
    """An OR of the body's most telling terms, weighted by tf·idf.

    Like Lucene's MoreLikeThis: terms no other article contains cannot find a
    related one, so they are skipped (Whoosh's own more_like picks exactly
    those first, and then matches on leftovers).
    """
    total = searcher.doc_count_all()
    counts = Counter(analyze(body[:SCAN_CHARS]))
    weighted = []
    for term, tf in counts.items():
        df = searcher.doc_frequency(schema.BODY, term)
        # A word in every article (idf 0) relates nothing.
        if MIN_DF <= df < total:
            weighted.append((tf * math.log(total / df), term))
    if not weighted:
        return None
    weighted.sort(reverse=True)
    return Or([Term(schema.BODY, t, boost=w) for w, t in weighted[:KEY_TERMS]])
