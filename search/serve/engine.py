"""An open index: one long-lived searcher per thread, refreshed on a new build.

The web app keeps one ``Index`` for its life; each request thread reuses its
searcher until a rebuild publishes a new generation, then opens the new build
(the old one stays readable until its last searcher closes).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from whoosh.query import Every, Query
from whoosh.searching import Searcher

from .. import facets as facet_table
from .. import schema
from ..document import shown_fields
from ..errors import ArticleNotFound, BadQuery, IndexCorrupt, IndexNotFound, SearchError
from ..extract.templates import Templates
from ..model import ArticleRef, Hit, SearchRequest, SearchResults, StoredArticle
from ..store import layout, state, termindex
from ..store.generations import Generation, open_intact
from . import array_page, filters, related, spelling, whoosh_page
from .bm25 import weighting
from .cache import RESULT_CACHE_SIZE, ResultCache
from .parse import ParsedQuery, parse
from .ranking import BagOfWords
from .snippets import highlight_html, snippet_html

# Results per page: the default, and the most a caller may ask for (one page
# of snippets is built per request, so this bounds the request's cost).
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100
# Deepest result a caller may page to: no reader pages past 1,000 results, and
# Whoosh must score and sort everything before the page asked for.
MAX_RESULT_DEPTH = 1_000


class Index:
    """A served index folder (see ``store.layout``); thread-safe."""

    def __init__(self, index_dir: Path | str, result_cache: int = RESULT_CACHE_SIZE) -> None:
        """``result_cache``: result pages remembered (0: none)."""
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._local = threading.local()
        # Every thread's searcher, so that the files of a finished thread's
        # searcher are closed (by the next thread to open one) and close()
        # closes them all: Whoosh's readers hold their segment files open.
        self._open: dict[threading.Thread, Searcher] = {}
        self._results: ResultCache[SearchResults] = ResultCache(result_cache)
        # Set when the served build is not the one CURRENT names (it was damaged).
        self.warning: str | None = None
        self._rejected: str | None = None
        self._generation = self._open_current()

    # -- lifecycle -----------------------------------------------------------------

    def _open_current(self) -> Generation:
        generation, self.warning = open_intact(self.index_dir)
        return generation

    def refresh(self) -> bool:
        """Switch to a newer build if one was published; True when it switched."""
        name = layout.current_generation(self.index_dir)
        if name is None or name == self._generation.name or name == self._rejected:
            return False
        with self._lock:
            if name != self._generation.name:
                try:
                    generation = self._open_current()
                except (IndexNotFound, IndexCorrupt):
                    self._rejected = name
                    return False  # keep serving the build we have
                if generation.name != name:
                    self._rejected = name  # damaged: don't re-check on every request
                self._generation = generation
                return True
        return False

    @property
    def generation(self) -> str:
        return self._generation.name

    def _searcher(self) -> Searcher:
        self.refresh()
        gen = self._generation
        local = self._local
        if getattr(local, "name", None) != gen.name:
            searcher = gen.ix.searcher(weighting=weighting())
            with self._lock:
                old = self._open.pop(threading.current_thread(), None)
                finished = [t for t in self._open if not t.is_alive()]
                stale = [old] + [self._open.pop(t) for t in finished]
                self._open[threading.current_thread()] = searcher
            for each in stale:
                if each is not None:
                    each.close()
            local.searcher = searcher
            local.name = gen.name
        return local.searcher

    def close(self) -> None:
        """Close the calling thread's searcher, and those of threads that ended."""
        me = threading.current_thread()
        with self._lock:
            gone = [t for t in self._open if t is me or not t.is_alive()]
            searchers = [self._open.pop(t) for t in gone]
        for searcher in searchers:
            searcher.close()
        self._local.searcher = None
        self._local.name = None

    def close_all(self) -> None:
        """Close every thread's searcher (when no thread is searching any more)."""
        with self._lock:
            searchers, self._open = list(self._open.values()), {}
        for searcher in searchers:
            searcher.close()
        self._local = threading.local()

    def __enter__(self) -> Index:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close_all()

    # -- queries -------------------------------------------------------------------

    def search(self, query: str | SearchRequest, **options: Any) -> SearchResults:
        """Rank the articles matching ``query`` and build one page of results.

        ``options`` are the fields of SearchRequest (page, per_page, sources,
        authors, date_from, date_to, sort, collapse).
        """
        started = time.perf_counter()
        if isinstance(query, SearchRequest):
            request = dataclasses.replace(query, **options)
        else:
            request = SearchRequest(query, **options)
        request = filters.check(request)
        page, per_page = _check_paging(request.page, request.per_page)
        whoosh_query, parsed = self._query_of(request)
        searcher = self._searcher()
        if whoosh_query is None:
            return SearchResults(request.query, 0, page, per_page, _ms(started), request=request)
        build = self._local.name  # the build this thread's searcher reads
        cached = self._results.get(build, request)
        if cached is not None:
            return dataclasses.replace(cached, took_ms=_ms(started))
        fast = self._fast_page(searcher, whoosh_query, request, page, per_page)
        if fast is not None:
            total, collapsed, counted = fast.total, fast.collapsed, fast.facets
            found_hits = [(d, searcher.stored_fields(d), score) for d, score in fast.hits]
        else:
            found = whoosh_page.search_page(
                searcher,
                whoosh_page.filtered(whoosh_query, filters.filter_query(request)),
                page,
                per_page,
                sortedby=filters.sort_facet(request),
                facets=filters.facet_groups(),
                collapse=request.collapse,
            )
            total, collapsed, counted = found.total, found.collapsed, None
            # Whoosh clamps a page past the end to the last page; past the end is empty.
            past_end = (page - 1) * per_page >= total
            found_hits = (
                [] if past_end else [(h.docnum, h.fields(), h.score) for h in found.results]
            )
            counted = self._facets(searcher, whoosh_query, request, found.facets)
        terms = _highlight_terms(parsed, searcher) if parsed else frozenset()
        cols = array_page.columns(searcher, self._generation.cache)
        hits = tuple(
            self._hit(searcher, cols, docnum, fields, score, terms)
            for docnum, fields, score in found_hits
        )
        correction = None
        if total < spelling.CORRECT_BELOW_HITS and request.query.strip():
            correction = self._better_spelling(searcher, request, total)
        results = SearchResults(
            query=request.query,
            total=total,
            page=page,
            per_page=per_page,
            took_ms=_ms(started),
            hits=hits,
            correction=correction,
            facets={n: filters.top_values(c, n) for n, c in counted.items()}
            if fast is not None
            else counted,
            collapsed=collapsed,
            request=request,
        )
        self._results.put(build, request, results)
        return results

    def _fast_page(
        self, searcher: Searcher, query: Query, request: SearchRequest, page: int, per_page: int
    ) -> array_page.FastPage | None:
        """The array path for plain word queries in relevance order (see fastpage)."""
        if not isinstance(query, BagOfWords) or request.sort != "relevance":
            return None
        cols = array_page.columns(searcher, self._generation.cache)
        scores = query.scores(searcher)
        return array_page.page(scores, cols, request, page, per_page)

    def _query_of(self, request: SearchRequest) -> tuple[Query | None, ParsedQuery | None]:
        """The parsed query; an empty query with filters or a date sort browses all."""
        if not request.query.strip() and (request.has_filters or request.sort != "relevance"):
            return Every(), None
        parsed = parse(request.query)
        return (None if parsed.is_empty else parsed.query), parsed

    def _facets(
        self, searcher: Searcher, query: Query, request: SearchRequest, counted: dict[str, Any]
    ) -> dict[str, dict[str, int]]:
        """Articles per facet value under the current query and filters (copies
        included: an outlet whose copy was folded is still offered); a facet
        with its own filter set is counted without that filter, so that its
        other values stay offered (several values of one facet OR together)."""
        facets = {}
        chosen = {f.name: values for f, values in facet_table.chosen(request).items()}
        for name in schema.FACETS:
            counts = counted[name]
            if chosen.get(name):
                again = whoosh_page.search_page(
                    searcher,
                    whoosh_page.filtered(query, filters.filter_query(request, without=name)),
                    1,
                    1,
                    facets={name: filters.facet_groups()[name]},
                )
                counts = again.facets[name]
            facets[name] = filters.top_values(counts, name)
        return facets

    def _better_spelling(
        self, searcher: Searcher, request: SearchRequest, total: int
    ) -> str | None:
        try:
            corrected = spelling.correction(searcher, request.query, self._vocabulary(searcher))
            if corrected is None:
                return None
            better = searcher.search(
                parse(corrected).query, limit=1, filter=filters.filter_query(request)
            )
        except SearchError:
            return None
        return corrected if len(better) > total else None

    def _vocabulary(self, searcher: Searcher) -> spelling.Vocabulary:
        """The build's spelling vocabulary, read once and shared by every thread."""
        cache = self._generation.cache
        words = cache.get("vocabulary")
        if words is None:
            words = cache["vocabulary"] = spelling.vocabulary(searcher)
        return words

    def _hit(
        self,
        searcher: Searcher,
        cols: array_page.Columns,
        docnum: int,
        fields: dict[str, Any],
        score: Any,
        terms: frozenset[str],
    ) -> Hit:
        shown = shown_fields(fields)
        return Hit(
            **shown,
            # Under a date sort Whoosh's "score" is the sort key, not a relevance.
            score=round(float(score), 4) if isinstance(score, (int, float)) else 0.0,
            snippet_html=snippet_html(fields[schema.BODY], terms, shown["summary"]),
            title_html=highlight_html(fields[schema.TITLE], terms),
            duplicates=related.copies(searcher, docnum, cols),
        )

    def related(self, article_id: str, limit: int = related.LIMIT) -> tuple[ArticleRef, ...]:
        """The articles most like this one, leaving out its own syndicated copies."""
        return related.related(self._searcher(), article_id, limit)

    def copies(self, article_id: str) -> tuple[ArticleRef, ...]:
        """Other outlets' copies of this article (its near-duplicate group)."""
        searcher = self._searcher()
        docnum = searcher.document_number(**{schema.ID_FIELD: article_id})
        if docnum is None:
            raise ArticleNotFound(f"no article with id {article_id!r}")
        return related.copies(
            searcher, docnum, array_page.columns(searcher, self._generation.cache)
        )

    def suggest(self, text: str, limit: int = spelling.MAX_SUGGESTIONS) -> list[str]:
        """Completions for a search box (OpenSearch suggestions)."""
        searcher = self._searcher()
        return spelling.suggestions(searcher, text, limit, self._vocabulary(searcher))

    def rank(self, query: str, limit: int = MAX_RESULT_DEPTH) -> list[tuple[str, float]]:
        """(id, score) of the top ``limit`` matches, ranked exactly as ``search`` ranks
        them but without building pages: for relevance evaluation and host programs."""
        parsed = parse(query)
        if parsed.is_empty:
            return []
        searcher = self._searcher()
        results = searcher.search(parsed.query, limit=limit)
        return [(h[schema.ID_FIELD], float(h.score)) for h in results]

    def article(self, article_id: str) -> StoredArticle:
        fields = self._searcher().document(**{schema.ID_FIELD: article_id})
        if fields is None:
            raise ArticleNotFound(f"no article with id {article_id!r}")
        return StoredArticle(**shown_fields(fields), body=fields[schema.BODY])

    def templates(self) -> Templates:
        path = self._generation.path / state.TEMPLATES_FILE
        try:
            return Templates.from_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Templates()

    def stats(self) -> dict[str, object]:
        searcher = self._searcher()
        reader = searcher.reader()
        leaves = [r for r, _ in reader.leaf_readers()]
        # Segments written by an older version have no term index file; their
        # arrays are rebuilt in memory by every process that opens the build.
        files = [termindex.segment_file(r, self._generation.path) for r in leaves]
        missing = sum(1 for path in files if path is None or not path.exists())
        return {
            "index_dir": str(self.index_dir),
            "generation": self.generation,
            "warning": self.warning,
            "documents": searcher.doc_count(),
            "terms": sum(1 for _ in reader.lexicon(schema.BODY)),
            "outlets_with_templates": len(self.templates().by_outlet),
            "size_bytes": sum(
                p.stat().st_size for p in self._generation.path.iterdir() if p.is_file()
            ),
            "segments": len(leaves),
            "segments_without_term_index": missing,
            "advice": "run: newsearch update (writes the term index files searches read)"
            if missing
            else None,
        }


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _check_paging(page: object, per_page: object) -> tuple[int, int]:
    if not isinstance(page, int) or isinstance(page, bool) or page < 1:
        raise BadQuery("page must be a whole number from 1")
    if not isinstance(per_page, int) or isinstance(per_page, bool):
        raise BadQuery("per_page must be a whole number")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise BadQuery(f"per_page must be between 1 and {MAX_PER_PAGE}")
    if page * per_page > MAX_RESULT_DEPTH:
        raise BadQuery(
            f"results are shown up to number {MAX_RESULT_DEPTH}; refine the query instead"
        )
    return page, per_page


def _highlight_terms(parsed, searcher: Searcher) -> frozenset[str]:
    """Body terms to mark, with wildcard prefixes expanded to the words indexed."""
    try:
        expanded = parsed.query.existing_terms(searcher.reader(), expand=True)
    except Exception:  # expansion is a nicety; plain terms still highlight
        expanded = set()
    terms = {t for f, t in parsed.terms if f in schema.DEFAULT_FIELDS}
    terms |= {
        t.decode("utf-8") if isinstance(t, bytes) else t
        for f, t in expanded
        if f in schema.DEFAULT_FIELDS
    }
    return frozenset(terms)
