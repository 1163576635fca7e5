"""The index schema: the index's own fields, and the article-field table's
(``search.fields``) as Whoosh fields."""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, STORED, TEXT, FieldType, Schema

from . import facets, fields
from .analysis import exact_analyzer, news_analyzer

# The index's own fields; the article-field table's are named by the table
# (these names are kept for the code that reads them by name).
ID_FIELD = "id"
PATH = "path"
TITLE = "title"
BODY = "body"
AUTHOR = "author"
SOURCE = "source"
PUBLISHED = "published"
# The UTC offset (minutes) the source gave its date in; absent when it gave none.
# ``published`` itself is indexed in UTC, so that date ranges and sorts compare
# instants; the offset gives the reader back the time as the outlet wrote it.
PUBLISHED_OFFSET = "published_offset"
SUMMARY = "summary"
URL = "url"
FINGERPRINT = "fingerprint"
TITLE_DERIVED = "title_derived"
# Facet columns (whole values, sortable, never analysed) are named by the
# facet table, ``search.facets``.
# "1" for an article without a date: sorts undated articles after dated ones
# in both date orders.
UNDATED = "undated"
# Id of the near-duplicate group an article belongs to (its own id when alone):
# a column of builds made before the group files (store/groups.py), read then.
DUP_GROUP = "dup_group"
# Unstemmed words of the body, kept by Whoosh for spelling suggestions in
# builds made before the vocabulary file (store/vocabulary.py); read, never written.
SPELLING_FIELD = "spell_body"

# Facet name -> the sortable column counted for it (the facet table, ``search.facets``).
FACETS = {f.name: f.column for f in facets.FACETS}

# Fields a query word searches when it names no field, and the ones a user may name.
DEFAULT_FIELDS = (TITLE, BODY)
QUERYABLE_FIELDS = (TITLE, BODY, *(f.name for f in fields.FIELDS if f.searchable))

# A word in the headline says more about the article than the same word deep in
# its body: BM25F counts each headline occurrence this many times (applied when
# indexing). 2.0 is the usual starting point (Robertson & Zaragoza); 3.0 ranked
# better on the judged collections of bench/relevance.py (see serve/bm25.py).
TITLE_BOOST = 3.0


def _article_field(field: fields.ArticleField) -> FieldType:
    """The Whoosh field that stores (and for searchable kinds, indexes) a table field."""
    if field.kind == fields.NAME:
        return TEXT(analyzer=exact_analyzer(), stored=True)
    if field.kind == fields.TEXT:
        return TEXT(analyzer=news_analyzer(), stored=True)
    if field.kind == fields.DATE:
        return DATETIME(stored=True, sortable=True)
    return STORED()


def build_schema() -> Schema:
    analyzer = news_analyzer()
    return Schema(
        **{f.name: _article_field(f) for f in fields.FIELDS},
        **{f.column: ID(stored=False, sortable=True) for f in facets.FACETS},
        **{
            ID_FIELD: ID(stored=True, unique=True),
            PATH: ID(stored=True),
            TITLE: TEXT(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST),
            # Positions for phrases, no character offsets: snippets find their
            # words in the text (1,000 long pages: add + commit 5.2 -> 4.9 s).
            # No spelling field: the build writes a vocabulary file instead.
            BODY: TEXT(analyzer=analyzer, stored=True),
            FINGERPRINT: STORED(),
            TITLE_DERIVED: STORED(),
            PUBLISHED_OFFSET: STORED(),
            UNDATED: ID(stored=False, sortable=True),
        },
    )
