"""An open index: one long-lived searcher per thread, refreshed on a new build.

The web app keeps one ``Index`` for its life; each request thread reuses its
searcher until a rebuild publishes a new generation, then opens the new build
(the old one stays readable until its last searcher closes).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Unpack

from whoosh.query import Every, MultiTerm, Query
from whoosh.searching import Searcher

from .. import arguments, schema
from ..document import shown_fields
from ..errors import ArticleNotFound, BadQuery, IndexCorrupt, IndexNotFound
from ..extract.templates import Templates
from ..model import (
    ArticleRef,
    Completion,
    Hit,
    SearchOptions,
    SearchRequest,
    SearchResults,
    StoredArticle,
)
from ..store import layout, state, termindex
from ..store.generations import open_intact
from . import (
    array_page,
    completion,
    correction,
    filters,
    missing,
    names,
    phrases,
    related,
    spelling,
    whoosh_page,
)
from .budget import DEFAULT_DEADLINE_S, Bounded, Budget
from .cache import RESULT_CACHE_SIZE
from .overview import LATEST, Overview
from .overview import overview as summarise
from .pages import Pager
from .parse import ParsedQuery, parse
from .served import ServedBuild
from .snippets import highlight_html, snippet

# Results per page: the default, and the most a caller may ask for (one page
# of snippets is built per request, so this bounds the request's cost).
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100
# Deepest result a caller may page to: no reader pages past 1,000 results, and
# Whoosh must score and sort everything before the page asked for.
MAX_RESULT_DEPTH = 1_000


# The pagers, in the order asked (see ``pages``): the first that accepts a query pages it.
PAGERS: tuple[Pager, ...] = (array_page.ArrayPager(), whoosh_page.WhooshPager())


class Index:
    """A served index folder (see ``store.layout``); thread-safe.

    Lifecycle (which build is served, one searcher per thread) and a thin
    facade: a search is parsed (``parse``), paged (``pages``), given snippets
    (``snippets``) and a spelling correction (``spelling``); what a build
    computes once is kept by its ``served.ServedBuild``."""

    def __init__(
        self,
        index_dir: Path | str,
        result_cache: int = RESULT_CACHE_SIZE,
        deadline_s: float | None = DEFAULT_DEADLINE_S,
    ) -> None:
        """``result_cache``: result pages remembered (0: none); ``deadline_s``:
        how long one search may work before answering with partial results
        (``SearchResults.partial``; None: no limit)."""
        self.index_dir = arguments.folder(index_dir, "index_dir")
        self.deadline_s = deadline_s
        self._lock = threading.Lock()
        self._local = threading.local()
        # Every thread's searcher, so that the files of a finished thread's
        # searcher are closed (by the next thread to open one) and close()
        # closes them all: Whoosh's readers hold their segment files open.
        self._open: dict[threading.Thread, Searcher] = {}
        self._result_cache = result_cache
        # Set when the served build is not the one CURRENT names (it was damaged).
        self.warning: str | None = None
        self._rejected: str | None = None
        self._served = self._open_current()

    # -- lifecycle -----------------------------------------------------------------

    def _open_current(self) -> ServedBuild:
        generation, self.warning = open_intact(self.index_dir)
        return ServedBuild(generation, self._result_cache)

    def refresh(self) -> bool:
        """Switch to a newer build if one was published; True when it switched."""
        name = layout.current_generation(self.index_dir)
        if name is None or name == self._served.name or name == self._rejected:
            return False
        with self._lock:
            if name != self._served.name:
                try:
                    served = self._open_current()
                except (IndexNotFound, IndexCorrupt):
                    self._rejected = name
                    return False  # keep serving the build we have
                if served.name != name:
                    self._rejected = name  # damaged: don't re-check on every request
                self._served = served
                return True
        return False

    @property
    def generation(self) -> str:
        return self._served.name

    def _searching(self) -> tuple[ServedBuild, Searcher]:
        """The served build and this thread's searcher of it (opened on a new build)."""
        self.refresh()
        served = self._served
        local = self._local
        if getattr(local, "served", None) is not served:
            searcher = served.searcher()
            with self._lock:
                old = self._open.pop(threading.current_thread(), None)
                finished = [t for t in self._open if not t.is_alive()]
                stale = [old] + [self._open.pop(t) for t in finished]
                self._open[threading.current_thread()] = searcher
            for each in stale:
                if each is not None:
                    each.close()
            local.searcher = searcher
            local.served = served
        return local.served, local.searcher

    def _searcher(self) -> Searcher:
        return self._searching()[1]

    def close(self) -> None:
        """Close the calling thread's searcher, and those of threads that ended."""
        me = threading.current_thread()
        with self._lock:
            gone = [t for t in self._open if t is me or not t.is_alive()]
            searchers = [self._open.pop(t) for t in gone]
        for searcher in searchers:
            searcher.close()
        self._local.searcher = None
        self._local.served = None

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

    def search(self, query: str | SearchRequest, **options: Unpack[SearchOptions]) -> SearchResults:
        """Rank the articles matching ``query`` and build one page of results.

        ``options`` are the fields of SearchRequest (see SearchOptions): e.g.
        ``sources="The Harbour Gazette"`` or a list, ``date_from="2024-06-01"``
        or a date. A misshapen option is a BadQuery saying what was expected.
        """
        started = time.perf_counter()
        budget = Budget(self.deadline_s)
        known = [f.name for f in dataclasses.fields(SearchRequest) if f.name != "query"]
        unknown = set(options) - set(known)
        if unknown:
            raise BadQuery(
                f"unknown search option {sorted(unknown)[0]!r}; the options are {', '.join(known)}"
            )
        if isinstance(query, SearchRequest):
            request = dataclasses.replace(query, **options)
        else:
            request = SearchRequest(query, **options)
        request = filters.check(request)
        served, searcher = self._searching()
        # The page shown (after any spelling correction) is remembered apart
        # from the query's own results, which the correction is weighed against.
        key = ("shown", request)
        shown = served.results.get(key)
        if shown is None:
            shown = self._search_as_typed(request, budget, served, searcher, started)
            if (
                request.query.strip()
                and not budget.expired()
                and correction.worth_correcting(
                    searcher, request.query, shown.total, served.vocabulary(searcher)
                )
            ):
                corrected = correction.corrected_query(
                    searcher, request.query, served.vocabulary(searcher), budget
                )
                shown = correction.apply(
                    shown,
                    corrected,
                    lambda again: self._search_as_typed(again, budget, served, searcher),
                )
            if not shown.partial:  # a calmer moment may answer in full
                served.results.put(key, shown)
        return dataclasses.replace(shown, took_ms=_ms(started))

    def _search_as_typed(
        self,
        request: SearchRequest,
        budget: Budget,
        served: ServedBuild,
        searcher: Searcher,
        started: float | None = None,
    ) -> SearchResults:
        """``served``/``searcher``: the ones ``search`` already holds, so that a
        query and its correction read one build (and CURRENT is read once)."""
        started = time.perf_counter() if started is None else started
        page, per_page = _check_paging(request.page, request.per_page)
        whoosh_query, parsed = self._query_of(request)
        if whoosh_query is None:
            return SearchResults(request.query, 0, page, per_page, _ms(started), request=request)
        cached = served.results.get(request)
        if cached is not None:
            return dataclasses.replace(cached, took_ms=_ms(started))
        whoosh_query = phrases.positional(whoosh_query, searcher)
        pager = next(p for p in PAGERS if p.accepts(whoosh_query, request))
        lacking = missing.finder(searcher, whoosh_query)
        if not isinstance(pager, array_page.ArrayPager):  # arrays are bounded by construction
            whoosh_query = Bounded(whoosh_query, budget)
        found = pager.page(served, searcher, whoosh_query, request, page, per_page)
        terms = _highlight_terms(parsed, searcher) if parsed else frozenset()
        cols = served.columns(searcher)
        hits = tuple(
            self._hit(searcher, cols, docnum, fields, score, terms, request, lacking)
            for docnum, fields, score in found.hits
        )
        results = SearchResults(
            query=request.query,
            total=found.total,
            page=page,
            per_page=per_page,
            took_ms=_ms(started),
            hits=hits,
            facets=found.facets,
            collapsed=found.collapsed,
            request=request,
            partial=budget.exceeded,
            named_authors=names.named_authors(searcher, parsed),
        )
        if not results.partial:  # a calmer moment may answer in full
            served.results.put(request, results)
        return results

    def _query_of(self, request: SearchRequest) -> tuple[Query | None, ParsedQuery | None]:
        """The parsed query; an empty query with filters or a date sort browses all."""
        if not request.query.strip() and (request.has_filters or request.sort != "relevance"):
            return Every(), None
        parsed = parse(request.query)
        return (None if parsed.is_empty else parsed.query), parsed

    def _hit(
        self,
        searcher: Searcher,
        cols: array_page.Columns,
        docnum: int,
        fields: dict[str, Any],
        score: Any,
        terms: frozenset[str],
        request: SearchRequest,
        lacking: Callable[[int], tuple[str, ...]],
    ) -> Hit:
        shown = shown_fields(fields)
        shown_snippet = snippet(fields[schema.BODY], terms, shown["summary"], request.snippet_chars)
        return Hit(
            **shown,
            # Under a date sort Whoosh's "score" is the sort key, not a relevance.
            score=round(float(score), 4) if isinstance(score, (int, float)) else 0.0,
            snippet_html=shown_snippet.html,
            snippet_text=shown_snippet.text,
            missing=lacking(docnum),
            title_html=highlight_html(fields[schema.TITLE], terms),
            duplicates=related.copies(searcher, docnum, cols),
        )

    def overview(self, latest: int = LATEST) -> Overview:
        """What the index holds (articles, outlets, dates) and its newest articles."""
        newest = self.search(SearchRequest("", sort="date", per_page=latest)).hits
        served, searcher = self._searching()
        return summarise(searcher, served.columns(searcher), newest)

    def related(self, article_id: str, limit: int = related.LIMIT) -> tuple[ArticleRef, ...]:
        """The articles most like this one, leaving out its own syndicated copies."""
        article_id = arguments.text(article_id, "article_id")
        return related.related(self._searcher(), article_id, arguments.count(limit, "limit"))

    def copies(self, article_id: str) -> tuple[ArticleRef, ...]:
        """Other outlets' copies of this article (its near-duplicate group)."""
        article_id = arguments.text(article_id, "article_id")
        served, searcher = self._searching()
        docnum = searcher.document_number(**{schema.ID_FIELD: article_id})
        if docnum is None:
            raise ArticleNotFound(f"no article with id {article_id!r}")
        return related.copies(searcher, docnum, served.columns(searcher))

    def suggest(self, text: str, limit: int = spelling.MAX_SUGGESTIONS) -> list[str]:
        """Completions for a search box (OpenSearch suggestions)."""
        return [c.text for c in self.completions(text, limit)]

    def completions(self, text: str, limit: int = spelling.MAX_SUGGESTIONS) -> list[Completion]:
        """``suggest`` with what each suggestion is (words, a name, a headline
        and its article)."""
        text = arguments.text(text, "text")
        limit = arguments.count(limit, "limit")
        served, searcher = self._searching()
        return completion.completions(searcher, text, limit, served.vocabulary(searcher))

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
        article_id = arguments.text(article_id, "article_id")
        fields = self._searcher().document(**{schema.ID_FIELD: article_id})
        if fields is None:
            raise ArticleNotFound(f"no article with id {article_id!r}")
        return StoredArticle(**shown_fields(fields), body=fields[schema.BODY])

    def templates(self) -> Templates:
        path = self._served.path / state.TEMPLATES_FILE
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
        files = [termindex.segment_file(r, self._served.path) for r in leaves]
        missing = sum(
            1
            for leaf, path in zip(leaves, files, strict=True)
            if leaf.doc_count_all() and (path is None or not path.exists())
        )
        return {
            "index_dir": str(self.index_dir),
            "generation": self.generation,
            "warning": self.warning,
            "documents": searcher.doc_count(),
            "terms": sum(1 for _ in reader.lexicon(schema.BODY)),
            "outlets_with_templates": len(self.templates().by_outlet),
            "size_bytes": sum(p.stat().st_size for p in self._served.path.iterdir() if p.is_file()),
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
    reader = searcher.reader()
    expanded: set[tuple[str, object]] = set()
    try:  # only wildcards expand: a 600-word query's words need no look-up each
        for leaf in parsed.query.leaves():
            if isinstance(leaf, MultiTerm):
                expanded.update(leaf.expanded_terms(reader))
    except Exception:  # expansion is a nicety; plain terms still highlight
        expanded = set()
    terms = {t for f, t in parsed.terms if f in schema.DEFAULT_FIELDS}
    terms |= {
        t.decode("utf-8") if isinstance(t, bytes) else t
        for f, t in expanded
        if f in schema.DEFAULT_FIELDS
    }
    return frozenset(terms)
