"""An open index: one long-lived searcher per thread, refreshed on a new build.

The web app keeps one ``Index`` for its life; each request thread reuses its
searcher until a rebuild publishes a new generation, then opens the new build
(the old one stays readable until its last searcher closes).
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path
from types import TracebackType

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from . import schema, storage
from .errors import ArticleNotFound, BadQuery, IndexCorrupt, IndexNotFound
from .model import Hit, SearchResults, StoredArticle
from .querying import parse
from .scoring import weighting
from .snippets import snippet_html
from .templates import Templates

# Results per page: the default, and the most a caller may ask for (one page
# of snippets is built per request, so this bounds the request's cost).
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100
# Deepest result a caller may page to: no reader pages past 1,000 results, and
# Whoosh must score and sort everything before the page asked for.
MAX_RESULT_DEPTH = 1_000


class _Generation:
    """One opened build, shared by the threads that search it."""

    def __init__(self, path: Path, name: str) -> None:
        try:
            self.ix = whoosh_index.open_dir(str(path))
        except Exception as exc:  # Whoosh raises many types for a damaged index
            raise IndexCorrupt(
                f"the index build {name!r} cannot be opened ({type(exc).__name__}: {exc}); "
                "run: newsearch rebuild"
            ) from exc
        self.name = name
        self.path = path


class Index:
    """A served index folder (see ``storage``); thread-safe."""

    def __init__(self, index_dir: Path | str) -> None:
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._generation = self._open_current()

    # -- lifecycle -----------------------------------------------------------------

    def _open_current(self) -> _Generation:
        path = storage.current_build(self.index_dir)
        return _Generation(path, path.name)

    def refresh(self) -> bool:
        """Switch to a newer build if one was published; True when it switched."""
        name = storage.current_generation(self.index_dir)
        if name is None or name == self._generation.name:
            return False
        with self._lock:
            if name != self._generation.name:
                try:
                    self._generation = self._open_current()
                except (IndexNotFound, IndexCorrupt):
                    return False  # keep serving the build we have
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
            old = getattr(local, "searcher", None)
            if old is not None:
                old.close()
            local.searcher = gen.ix.searcher(weighting=weighting())
            local.name = gen.name
        return local.searcher

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None
            self._local.name = None

    def __enter__(self) -> Index:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- queries -------------------------------------------------------------------

    def search(
        self, query: str, *, page: int = 1, per_page: int = DEFAULT_PER_PAGE
    ) -> SearchResults:
        """Rank the articles matching ``query`` and build one page of results."""
        started = time.perf_counter()
        page, per_page = _check_paging(page, per_page)
        parsed = parse(query)
        searcher = self._searcher()
        if parsed.is_empty:
            return SearchResults(parsed.text, 0, page, per_page, _ms(started))
        results = searcher.search_page(parsed.query, page, pagelen=per_page)
        terms = _highlight_terms(parsed, searcher)
        hits = tuple(_hit(h, terms) for h in results)
        return SearchResults(
            query=parsed.text,
            total=results.total,
            page=page,
            per_page=per_page,
            took_ms=_ms(started),
            hits=hits,
        )

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
        return StoredArticle(
            id=fields[schema.ID_FIELD],
            path=fields[schema.PATH],
            title=fields[schema.TITLE],
            body=fields[schema.BODY],
            author=fields.get(schema.AUTHOR),
            published=fields.get(schema.PUBLISHED),
            source=fields.get(schema.SOURCE),
            summary=fields.get(schema.SUMMARY),
            url=fields.get(schema.URL),
        )

    def templates(self) -> Templates:
        path = self._generation.path / storage.TEMPLATES_FILE
        try:
            return Templates.from_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Templates()

    def stats(self) -> dict[str, object]:
        searcher = self._searcher()
        reader = searcher.reader()
        return {
            "index_dir": str(self.index_dir),
            "generation": self.generation,
            "documents": searcher.doc_count(),
            "terms": sum(1 for _ in reader.lexicon(schema.BODY)),
            "outlets_with_templates": len(self.templates().by_outlet),
            "size_bytes": sum(
                p.stat().st_size for p in self._generation.path.iterdir() if p.is_file()
            ),
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


def _hit(hit, terms: frozenset[str]) -> Hit:
    fields = hit.fields()
    published: datetime | None = fields.get(schema.PUBLISHED)
    summary = fields.get(schema.SUMMARY)
    return Hit(
        id=fields[schema.ID_FIELD],
        path=fields[schema.PATH],
        title=fields[schema.TITLE],
        author=fields.get(schema.AUTHOR),
        published=published,
        source=fields.get(schema.SOURCE),
        url=fields.get(schema.URL),
        summary=summary,
        score=round(float(hit.score), 4),
        snippet_html=snippet_html(fields[schema.BODY], terms, summary),
    )
