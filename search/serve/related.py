"""Related coverage and the other copies of a story, for the article view and hits."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from whoosh.query import Or, Query, Term
from whoosh.searching import Searcher

from .. import schema
from ..analysis import analyze
from ..document import published_of
from ..errors import ArticleNotFound
from ..model import ArticleRef
from . import array_page, statistics
from .snippets import SCAN_CHARS
from .whoosh_page import column

# Copies of a story listed under its hit ("also in ..."); more are counted, not named.
MAX_COPIES_LISTED = 10
# Related coverage shown on an article: the issue asks for 3-5; five fills a sidebar.
LIMIT = 5
# Key terms more-like-this draws from the article: Whoosh's default of 5 is
# too few for news bodies; 12 finds articles on the same event, not the same word.
KEY_TERMS = 12
# A key term must occur in at least this many articles: itself and one more.
MIN_DF = 2
# More-like-this candidates weighed per slot before the similarity threshold.
CANDIDATES_PER_SLOT = 3
# Least cosine similarity (tf-idf over headline and text terms) of related
# coverage. Chosen on Reuters-21578 with bench/related.py: the lowest threshold
# at which 85% of the related articles listed share a topic code with the
# article (0.20: 86%, 2.9 listed per article, 78% of articles get some; at 0
# five were always listed, 75% sharing). Reported on BBC categories (97%) and
# on the hand-labelled pairs of the default corpus (tests/test_related.py).
MIN_SIMILARITY = 0.2


def ref(fields: dict[str, Any]) -> ArticleRef:
    return ArticleRef(
        id=fields[schema.ID_FIELD],
        path=fields[schema.PATH],
        title=fields[schema.TITLE],
        source=fields.get(schema.SOURCE),
        published=published_of(fields),
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


def related(
    searcher: Searcher,
    article_id: str,
    limit: int = LIMIT,
    min_similarity: float | None = None,
) -> tuple[ArticleRef, ...]:
    """The articles most like this one, leaving out the article and its own
    syndicated copies: more-like-this on the body finds candidates, and only
    those whose cosine similarity to the article reaches ``min_similarity``
    (default MIN_SIMILARITY) are kept, most similar first. Fewer than
    ``limit``, or none, is better than filling the slots with noise."""
    threshold = MIN_SIMILARITY if min_similarity is None else min_similarity
    return tuple(r for r, _ in scored_related(searcher, article_id, limit, threshold))


def scored_related(
    searcher: Searcher, article_id: str, limit: int, threshold: float = 0.0
) -> list[tuple[ArticleRef, float]]:
    """``related`` with each article's similarity (for bench/related.py)."""
    docnum = searcher.document_number(**{schema.ID_FIELD: article_id})
    if docnum is None:
        raise ArticleNotFound(f"no article with id {article_id!r}")
    stored = searcher.stored_fields(docnum)
    query = key_terms_query(searcher, stored[schema.BODY])
    if query is None:
        return []
    own = _copies_of(searcher, docnum)
    found = searcher.search(query, limit=limit * CANDIDATES_PER_SLOT + len(own))
    collection = statistics.get(searcher.get_parent(), schema.DEFAULT_FIELDS)
    mine = _vector(collection, docnum)
    scored = []
    for h in found:
        if h.docnum in own:
            continue
        similarity = _cosine(mine, _vector(collection, h.docnum))
        if similarity >= threshold:
            scored.append((similarity, h.rank, ref(h.fields())))
    scored.sort(key=lambda entry: (-entry[0], entry[1]))
    return [(r, round(sim, 4)) for sim, _, r in scored[:limit]]


def _copies_of(searcher: Searcher, docnum: int) -> set[int]:
    """The article and its syndicated copies (global document numbers)."""
    leaves = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
    label = None
    for reader, offset in leaves:
        if offset <= docnum < offset + reader.doc_count_all():
            label = column(reader, schema.DUP_GROUP)[docnum - offset]
    if not label:
        return {docnum}
    return {docnum} | {
        offset + n
        for reader, offset in leaves
        for n, value in enumerate(column(reader, schema.DUP_GROUP))
        if value == label
    }


def _vector(collection: statistics.Collection, docnum: int) -> dict[str, float]:
    """An article's unit tf-idf vector (log tf, idf ln(1 + N/df)) over its headline
    and text terms, from the forward index."""
    counts, _ = collection.term_counts(docnum)
    n = collection.doc_count
    vector = {}
    for term, count in counts.items():
        df = collection.doc_frequency(term)
        if 0 < df < n:
            vector[term] = (1.0 + math.log(count)) * math.log(1.0 + n / df)
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


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
