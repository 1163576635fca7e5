"""Speed benchmark: our search request, rebuild and memory against peer engines, in one run.

    .venv/bin/python bench/speed.py [--sizes 1k,10k,full,100k] [--corpora reuters,bbc]
        [--engines ours,whoosh-naive,whoosh-naive-and,fts5,bm25s,tantivy]
        [--html-pages 1000] [--profile 10k,full] [--load] [--data DIR] [--out FILE.md]

Per corpus and size every engine indexes the same documents and answers the
same query log (bench/querylog.py, fixed seed). Each build and each serving
run is its own subprocess, so peak RSS is the engine's own; serving runs are
pinned to one core. Latency is per query, end to end through each engine's
API, with the results page as that engine can give it:

* ours          ``search.rebuild`` of a text corpus (title line, blank line,
                body) then ``Index(index).search(q, per_page=10)``: ranking,
                facets, collapse, copies, spelling and highlighted snippets
* whoosh-naive  Whoosh defaults: StemmingAnalyzer, title+body stored, default
                writer, MultifieldParser(title, body) with OrGroup, a new
                searcher per query, ``hit.highlights("body")`` for the top 10
* whoosh-naive-and  the same index, default AND group
* fts5          SQLite FTS5 (porter unicode61), ORDER BY rank = bm25 (title
                weight 2), ``highlight()`` title + ``snippet()`` body; terms OR-ed
* bm25s         top-10 ids only (no stored text, no snippets)
* tantivy       en_stem, OR parser (title boost 2), SnippetGenerator on body

Cold = the first time each query runs in the serving process (index opened
just before; OS page cache warm from the build); warm = the same log again.
Peers get the typed query as words and quoted phrases (their parsers read
other characters as syntax). Sizes past a corpus's own are synthetic: suffixed
copies of it (``--synthetic exact``: verbatim, so our index groups them as
syndicated copies; ``mixed``: sentences of two articles, no near-duplicates).
``--html-pages N`` also rebuilds N Scrapinghub benchmark pages (copies in their
own folders and hosts) and runs ``trafilatura.extract`` alone on the same pages
with as many processes. ``--profile`` runs cProfile
over our search path (cold, whole log) and over our rebuild (one process).

Data: ``--data``, else $NEWSEARCH_NEWS, else ``<repo>/../shared/bench/news``;
HTML pages from ``--html-data``, else ``<repo>/../shared/bench/extraction/scrapinghub/html``.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import gzip
import io
import json
import math
import os
import pickle
import platform
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

import querylog  # noqa: E402

ENGINES = ("ours", "whoosh-naive", "whoosh-naive-and", "fts5", "bm25s", "tantivy")
# Results per query, as the page shows them.
TOP = 10
# Serving runs are pinned to this CPU ("queries/second on one core").
SERVE_CPU = 0
# Most body characters in a tantivy snippet: our snippets are up to three
# fragments of 220 characters, Whoosh's default highlights three of ~200.
TANTIVY_SNIPPET_CHARS = 300
# Tokens in an FTS5 snippet (its maximum is 64): about two lines of text.
FTS5_SNIPPET_TOKENS = 32
COLD_START_TRIALS = 3
# Pages of the HTML rebuild profiled (cProfile in one process is slow).
HTML_PROFILE_PAGES = 400
SYNTHETIC_NOTE = {
    "exact": "verbatim suffixed copies of {corpus}: each article is a group of near-duplicates",
    "mixed": "suffixed copies of {corpus} mixing the sentences of two articles: "
    "same vocabulary, no near-duplicates",
}
# Corpora that grow past their own size with synthetic copies (--synthetic).
SYNTHETIC_CORPORA = ("reuters", "newsmix")
# A size past a corpus's records still counts as real data for the goals when its
# copies are at most this share of it: newsmix has 99,913 articles with a body, so
# its "100k" point is 87 copies (0.09 %), not a copied corpus like Reuters 100k.
REAL_ENOUGH_COPIES = 0.01
# Limits of one machine that the growth curve is read against.
P95_LIMIT_MS = 100.0
MEMORY_LIMIT_MB = 4096.0
# Goals of the issue on real newsmix 100k.
PHRASE_P95_GOAL_MS = 50.0
BUILD_RSS_GOAL_MB = 2048.0
TOP_FUNCTIONS = 25


# -- engines -------------------------------------------------------------------------


def _peer_text(text: str, phrases: bool = True) -> str:
    """The typed query as lower-case words and quoted phrases only."""
    parts = []
    for c in querylog.clauses(text.lower()):
        if isinstance(c, tuple):
            parts.append('"' + " ".join(c) + '"' if phrases else " ".join(c))
        else:
            parts.append(c)
    return " ".join(parts)


class Engine:
    name = ""
    index_name = ""  # engines sharing one index name it here

    def build(self, docs: list[querylog.Doc], corpus: Path, out: Path) -> dict[str, Any]:
        raise NotImplementedError

    def open(self, out: Path) -> None:
        raise NotImplementedError

    def search(self, q: dict[str, Any]) -> int:
        """Answer one query (``text``, optional ``source`` filter, ``sort``) with its
        results page; the number of hits shown."""
        raise NotImplementedError


class Ours(Engine):
    name = "ours"

    def build(self, docs, corpus, out):
        from search import rebuild

        phases: dict[str, list[float]] = {}
        started = time.perf_counter()

        def progress(phase: str, done: int, total: int) -> None:
            now = time.perf_counter() - started
            phases.setdefault(phase, [now, now])[1] = now
            peaks.phase = phase

        with PhasePeaks() as peaks:
            report = rebuild(corpus, out, progress=progress)
        seconds = time.perf_counter() - started
        return {
            "seconds": seconds,
            "indexed": report.indexed,
            "skipped": len(report.skipped),
            "failed": len(report.failed),
            "phases": phases,
            "rss_by_phase": peaks.peaks,
        }

    def open(self, out):
        from search import Index

        self.ix = Index(out)

    def search(self, q):
        options: dict[str, Any] = {"per_page": TOP}
        if q.get("source"):
            options["sources"] = (q["source"],)
        if q.get("sort", "relevance") != "relevance":
            options["sort"] = q["sort"]
        return len(self.ix.search(q["text"], **options).hits)


class WhooshNaive(Engine):
    name = "whoosh-naive"
    index_name = "whoosh-naive"
    conjunctive = False

    def build(self, docs, corpus, out):
        from whoosh import index
        from whoosh.analysis import StemmingAnalyzer
        from whoosh.fields import ID, TEXT, Schema

        started = time.perf_counter()
        out.mkdir(parents=True)
        schema = Schema(
            id=ID(stored=True, unique=True),
            title=TEXT(analyzer=StemmingAnalyzer(), stored=True),
            body=TEXT(analyzer=StemmingAnalyzer(), stored=True),
            source=ID(),
            date=ID(sortable=True),
        )
        ix = index.create_in(str(out), schema)
        with ix.writer() as writer:
            for d in docs:
                writer.add_document(
                    id=d.id, title=d.title, body=d.body, source=d.source or "", date=d.date or ""
                )
        return {"seconds": time.perf_counter() - started, "indexed": len(docs)}

    def open(self, out):
        from whoosh import index, qparser

        self.ix = index.open_dir(str(out))
        group = qparser.AndGroup if self.conjunctive else qparser.OrGroup
        self.parser = qparser.MultifieldParser(["title", "body"], self.ix.schema, group=group)

    def search(self, q):
        from whoosh.query import Term

        query = self.parser.parse(_peer_text(q["text"]))
        options: dict[str, Any] = {"limit": TOP}
        if q.get("source"):
            options["filter"] = Term("source", q["source"])
        if q.get("sort") == "date":
            options.update(sortedby="date", reverse=True)
        shown = 0
        with self.ix.searcher() as searcher:
            for hit in searcher.search(query, **options):
                hit["title"]
                hit.highlights("body")
                shown += 1
        return shown


class WhooshNaiveAnd(WhooshNaive):
    name = "whoosh-naive-and"
    conjunctive = True


class Fts5(Engine):
    name = "fts5"

    def build(self, docs, corpus, out):
        import sqlite3

        started = time.perf_counter()
        out.mkdir(parents=True)
        db = sqlite3.connect(out / "fts.db")
        db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
            "source UNINDEXED, date UNINDEXED, tokenize='porter unicode61')"
        )
        with db:
            db.executemany(
                "INSERT INTO docs(id, title, body, source, date) VALUES (?, ?, ?, ?, ?)",
                ((d.id, d.title, d.body, d.source, d.date) for d in docs),
            )
            db.execute(
                "INSERT INTO docs(docs, rank) VALUES ('rank', 'bm25(0.0, 2.0, 1.0, 0.0, 0.0)')"
            )
            db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        db.close()
        return {"seconds": time.perf_counter() - started, "indexed": len(docs)}

    def open(self, out):
        import sqlite3

        self.db = sqlite3.connect(out / "fts.db")
        self.select = (
            "SELECT id, highlight(docs, 1, '<mark>', '</mark>'), "
            f"snippet(docs, 2, '<mark>', '</mark>', '…', {FTS5_SNIPPET_TOKENS}) "
            "FROM docs WHERE docs MATCH ?"
        )

    @staticmethod
    def match(text: str) -> str:
        """FTS5 syntax: each word or phrase quoted, OR between them."""
        parts = querylog.clauses(text.lower())
        return " OR ".join('"' + (" ".join(c) if isinstance(c, tuple) else c) + '"' for c in parts)

    def search(self, q):
        match = self.match(q["text"])
        if not match:
            return 0
        sql, params = self.select, [match]
        if q.get("source"):
            sql += " AND source = ?"
            params.append(q["source"])
        # Undated rows last, as ours sorts them.
        sql += " ORDER BY date IS NULL, date DESC" if q.get("sort") == "date" else " ORDER BY rank"
        return len(self.db.execute(sql + " LIMIT ?", (*params, TOP)).fetchall())


class Bm25s(Engine):
    name = "bm25s"

    def build(self, docs, corpus, out):
        import bm25s
        import Stemmer

        started = time.perf_counter()
        stemmer = Stemmer.Stemmer("english")
        tokens = bm25s.tokenize(
            [f"{d.title}\n{d.body}" for d in docs],
            stopwords="en",
            stemmer=stemmer,
            show_progress=False,
        )
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        retriever.save(str(out))
        (out / "ids.json").write_text(json.dumps([d.id for d in docs]))
        return {"seconds": time.perf_counter() - started, "indexed": len(docs)}

    def open(self, out):
        import bm25s
        import Stemmer

        self.bm25s = bm25s
        self.stemmer = Stemmer.Stemmer("english")
        self.retriever = bm25s.BM25.load(str(out), mmap=False)
        self.ids = json.loads((out / "ids.json").read_text())

    def search(self, q):
        # No filters or sorts in bm25s: it answers the words alone.
        tokens = self.bm25s.tokenize(
            [_peer_text(q["text"], phrases=False)],
            stopwords="en",
            stemmer=self.stemmer,
            return_ids=False,
            show_progress=False,
        )
        found, scores = self.retriever.retrieve(
            tokens, k=min(TOP, len(self.ids)), show_progress=False, n_threads=1
        )
        return sum(1 for i, s in zip(found[0], scores[0], strict=True) if s > 0 and self.ids[i])


class Tantivy(Engine):
    name = "tantivy"

    def build(self, docs, corpus, out):
        import tantivy

        started = time.perf_counter()
        out.mkdir(parents=True)
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
        builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
        builder.add_text_field("source", tokenizer_name="raw")
        builder.add_integer_field("day", fast=True)
        ix = tantivy.Index(builder.build(), path=str(out))
        writer = ix.writer()
        for d in docs:
            day = int(d.date.replace("-", "")) if d.date else 0  # undated last
            writer.add_document(
                tantivy.Document(
                    id=d.id, title=d.title, body=d.body, source=d.source or "", day=day
                )
            )
        writer.commit()
        writer.wait_merging_threads()
        return {"seconds": time.perf_counter() - started, "indexed": len(docs)}

    def open(self, out):
        import tantivy

        self.tantivy = tantivy
        self.ix = tantivy.Index.open(str(out))
        self.ix.reload()
        self.searcher = self.ix.searcher()

    def search(self, q):
        words = _peer_text(q["text"])
        if not words:
            return 0
        query = self.ix.parse_query(words, ["title", "body"], field_boosts={"title": 2.0})
        if q.get("source"):
            source = self.tantivy.Query.term_query(self.ix.schema, "source", q["source"])
            occur = self.tantivy.Occur.Must
            query = self.tantivy.Query.boolean_query([(occur, query), (occur, source)])
        if q.get("sort") == "date":
            hits = self.searcher.search(query, TOP, order_by_field="day").hits
        else:
            hits = self.searcher.search(query, TOP).hits
        snippets = self.tantivy.SnippetGenerator.create(
            self.searcher, query, self.ix.schema, "body"
        )
        snippets.set_max_num_chars(TANTIVY_SNIPPET_CHARS)
        for _, address in hits:
            doc = self.searcher.doc(address)
            doc["title"]
            snippets.snippet_from_doc(doc).to_html()
        return len(hits)


def engine(name: str) -> Engine:
    classes = {c.name: c for c in (Ours, WhooshNaive, WhooshNaiveAnd, Fts5, Bm25s, Tantivy)}
    return classes[name]()


def index_dir(work: Path, name: str) -> Path:
    return work / "ix" / (engine(name).index_name or name)


# -- subprocess workers ------------------------------------------------------------------


def _peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM). Not ru_maxrss: Linux carries that
    across exec, so a worker would inherit the orchestrator's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class PhasePeaks:
    """The writer process's peak RSS in each phase of a build (sampled every 50 ms
    on a thread): which step holds the memory. The phase after the last progress
    report ("index") runs on into Whoosh's commit and the term index files."""

    def __init__(self) -> None:
        self.phase = "start"
        self.peaks: dict[str, float] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            now = _rss_now_mb()
            self.peaks[self.phase] = max(self.peaks.get(self.phase, 0.0), now)
            if self._done.wait(0.05):
                return

    def __enter__(self) -> PhasePeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.phase = "after"
        self._done.set()
        self._thread.join()


def _rss_now_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _rss_split_mb(pid: str = "self") -> dict[str, float]:
    """Current RSS as anonymous (heap) and file-backed (mapped files) parts, and
    PSS (a file page mapped twice counts once; RSS counts it per mapping)."""
    import loadtest

    return loadtest.proc_memory_mb(pid, ("RssAnon", "RssFile", "Pss"))


def _children_peak_rss_mb() -> float:
    """Largest peak RSS of a finished child (an upper bound: inherited across exec)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def worker_build_cluster(work: Path, workers: int) -> dict[str, Any]:
    """Our rebuild with extraction on a Dask LocalCluster of ``workers`` processes
    (started before the clock: a real cluster is up before a build)."""
    from search import rebuild
    from search.build import cluster

    out = work / "ix" / f"cluster-{workers}"
    started = time.perf_counter()
    with cluster.connect(workers=workers):
        up = time.perf_counter() - started
        started = time.perf_counter()
        report = rebuild(work / "corpus", out)
        seconds = time.perf_counter() - started
    result = {
        "workers": workers,
        "cluster_start_s": up,
        "seconds": seconds,
        "indexed": report.indexed,
        "size_bytes": dir_size(out),
        "rss_mb": _peak_rss_mb(),
    }
    shutil.rmtree(out, ignore_errors=True)
    return result


def worker_build(name: str, work: Path) -> dict[str, Any]:
    jsonl = work / "docs.jsonl"
    # Ours reads the text files, as the product does: loading the JSONL here too
    # would put the bench's own copy of the corpus (877 MB at newsmix 100k) into the
    # writer's peak RSS and into every spawned worker's inherited maximum.
    docs = querylog.read_jsonl(jsonl) if jsonl.exists() and name != "ours" else []
    out = index_dir(work, name)
    result = engine(name).build(docs, work / "corpus", out)
    result["size_bytes"] = dir_size(out)
    result["rss_mb"] = _peak_rss_mb()
    result["children_rss_mb"] = _children_peak_rss_mb()
    return result


def _pin() -> None:
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {SERVE_CPU})


def _queries(work: Path) -> list[dict[str, Any]]:
    return json.loads((work / "queries.json").read_text())


def _timed_pass(
    e: Engine, queries: list[dict[str, Any]]
) -> tuple[list[float], list[int], list[str]]:
    latencies, shown, errors = [], [], []
    for q in queries:
        started = time.perf_counter()
        try:
            n = e.search(q)
        except Exception as exc:  # a peer's parser may refuse a query: count it
            n = 0
            errors.append(f"{q['text']!r}: {type(exc).__name__}: {exc}")
        latencies.append((time.perf_counter() - started) * 1000)
        shown.append(n)
    return latencies, shown, errors


def worker_serve(name: str, work: Path) -> dict[str, Any]:
    _pin()
    texts = _queries(work)
    e = engine(name)
    base_rss = _peak_rss_mb()
    started = time.perf_counter()
    e.open(index_dir(work, name))
    open_ms = (time.perf_counter() - started) * 1000
    cold, shown, errors = _timed_pass(e, texts)
    warm, _, _ = _timed_pass(e, texts)
    return {
        "open_ms": open_ms,
        "cold": cold,
        "warm": warm,
        "shown": shown,
        "errors": errors[:5],
        "error_count": len(errors),
        "base_rss_mb": base_rss,
        "rss_mb": _peak_rss_mb(),
        "rss_split": _rss_split_mb(),
    }


def worker_profile_search(work: Path) -> dict[str, Any]:
    """cProfile over one cold pass of the log through ``Index.search``."""
    _pin()
    texts = _queries(work)
    e = Ours()
    e.open(index_dir(work, "ours"))
    profiler = cProfile.Profile()
    profiler.enable()
    for q in texts:
        with contextlib.suppress(Exception):  # counted in the serving run
            e.search(q)
    profiler.disable()
    return _profile_summary(profiler, len(texts), SEARCH_STAGES)


def worker_profile_rebuild(work: Path) -> dict[str, Any]:
    """cProfile over a one-process rebuild (workers=1: extraction runs in this process)."""
    from search import rebuild

    out = work / "ix" / "profile-rebuild"
    profiler = cProfile.Profile()
    profiler.enable()
    report = rebuild(work / "corpus", out, workers=1)
    profiler.disable()
    summary = _profile_summary(profiler, report.indexed + len(report.skipped), REBUILD_STAGES)
    shutil.rmtree(out, ignore_errors=True)
    return summary


def worker_trafilatura(work: Path, procs: int) -> dict[str, Any]:
    import multiprocessing

    files = sorted(str(p) for p in (work / "corpus").rglob("*.html"))
    started = time.perf_counter()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(procs) as pool:
        kept = sum(pool.imap(_trafilatura_one, files, 16))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "pages": len(files), "with_text": kept}


def _trafilatura_one(path: str) -> int:
    import trafilatura

    with open(path, "rb") as fh:
        data = fh.read()
    return 1 if trafilatura.extract(data) else 0


def run_worker(argv: list[str]) -> int:
    kind, work = argv[0], Path(argv[1])
    if kind == "build":
        result = worker_build(argv[2], work)
    elif kind == "serve":
        result = worker_serve(argv[2], work)
    elif kind == "profile-search":
        result = worker_profile_search(work)
    elif kind == "stage-times":
        result = worker_stage_times(work)
    elif kind == "profile-rebuild":
        result = worker_profile_rebuild(work)
    elif kind == "build-cluster":
        result = worker_build_cluster(work, int(argv[2]))
    elif kind == "trafilatura":
        result = worker_trafilatura(work, int(argv[2]))
    else:
        raise SystemExit(f"unknown worker {kind}")
    print(json.dumps(result))
    return 0


def subprocess_json(*args: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "_worker", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"worker {args} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- profiles ------------------------------------------------------------------------------

# Stages of a request and of a rebuild: (label, "module:qualname" alternatives;
# the first that exists is used, so a renamed function is reported, not fatal).
SEARCH_STAGES = (
    ("Index.search (whole request)", ("search.serve.engine:Index.search",)),
    ("parse query", ("search.serve.parse:parse",)),
    ("searcher for the thread (+ refresh check)", ("search.serve.engine:Index._searcher",)),
    (
        "match, score, collect, collapse, count facets (search_page)",
        ("search.serve.whoosh_page:search_page", "search.serve.engine:_search_page"),
    ),
    (
        "  of which collect_matches (collapse collector)",
        (
            "search.serve.whoosh_page:PageCollector.collect_matches",
            "search.serve.whoosh_page:CollapseCollector.collect_matches",
        ),
    ),
    ("plain words: rank every document (ranking.rank_words)", ("search.serve.ranking:rank_words",)),
    ("  postings slices read (termindex)", ("search.store.termindex:FileArray.__getitem__",)),
    (
        "plain words: filter, facets, fold, page (array_page.page)",
        ("search.serve.array_page:page",),
    ),
    ("facet values (Index._facets)", ("search.serve.engine:Index._facets",)),
    ("terms to highlight", ("search.serve.engine:_highlight_terms",)),
    ("hits: build the page's Hits (Index._hit)", ("search.serve.engine:Index._hit",)),
    ("  stored fields (whoosh Hit.fields)", ("whoosh.searching:Hit.fields",)),
    ("  body snippet (snippet_html)", ("search.serve.snippets:snippet_html",)),
    ("  title highlight (highlight_html)", ("search.serve.snippets:highlight_html",)),
    ("  syndicated copies", ("search.serve.related:copies", "search.serve.engine:Index._copies")),
    (
        "spelling correction (Index._better_spelling)",
        ("search.serve.engine:Index._better_spelling",),
    ),
)
REBUILD_STAGES = (
    ("rebuild (whole)", ("search.build.sync:rebuild",)),
    ("walk corpus", ("search.build.corpus:walk",)),
    ("plan: scan + learn templates (planning.plan)", ("search.build.planning:plan",)),
    ("  scan (hash + outlet)", ("search.build.pool:scan",)),
    ("  template lines of a file", ("search.build.pool:lines_for_templates",)),
    ("  learn templates (incl. template lines)", ("search.extract.templates:learn",)),
    ("parse a page once (draft_html, all passes)", ("search.extract:draft_html",)),
    ("  of which trafilatura (bare_extraction)", ("trafilatura.core:bare_extraction",)),
    ("learn templates, a page at a time (Learner.add)", ("search.extract.templates:Learner.add",)),
    ("finish a parsed page (folders._finished)", ("search.build.folders:_finished",)),
    ("extract (pool.extract_file)", ("search.build.pool:extract_file",)),
    ("  read file (corpus.read, all passes)", ("search.build.corpus:read",)),
    ("duplicate sketches", ("search.duplicates:sketch",)),
    ("duplicate grouping", ("search.duplicates:group",)),
    (
        "spool read (read_articles)",
        ("search.build.spools:read_articles", "search.build.sync:_read_spool"),
    ),
    ("fields of an article", ("search.fields:article_fields", "search.build.sync:article_fields")),
    (
        "Whoosh add_document (analysis + postings in RAM)",
        ("whoosh.writing:SegmentWriter.add_document",),
    ),
    ("Whoosh commit (write segment)", ("whoosh.writing:SegmentWriter.commit",)),
    ("term index files (termindex.write_missing)", ("search.store.termindex:write_missing",)),
    ("position files (positions.write_missing)", ("search.store.positions:write_missing",)),
    ("group files (groups.write)", ("search.store.groups:write",)),
    ("spelling words of a body", ("search.analysis:spelling_words",)),
    ("build state save", ("search.store.state:BuildState.save",)),
    ("seal", ("search.store.layout:seal",)),
    ("fsync tree", ("search.store.layout:fsync_tree",)),
)


def _resolve(targets: tuple[str, ...]) -> tuple[str, Any, Any] | None:
    """(target, owner, function) of the first target that exists."""
    import importlib
    import inspect

    for target in targets:
        module, _, qual = target.partition(":")
        try:
            owner: Any = importlib.import_module(module)
            *path, attr = qual.split(".")
            for part in path:
                owner = getattr(owner, part)
            func = getattr(owner, attr)
        except (ImportError, AttributeError):
            continue
        return target, owner, inspect.unwrap(func)
    return None


def _profile_summary(profiler: cProfile.Profile, n: int, stages) -> dict[str, Any]:
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    rows = []
    for label, targets in stages:
        found = _resolve(targets)
        code = getattr(found[2], "__code__", None) if found else None
        entry = (
            stats.stats.get((code.co_filename, code.co_firstlineno, code.co_name)) if code else None
        )
        if found is None:
            rows.append({"stage": label, "missing": " / ".join(targets)})
            continue
        cum, calls = (entry[3], entry[1]) if entry else (0.0, 0)
        rows.append(
            {
                "stage": label,
                "ms_per_item": cum * 1000 / max(n, 1),
                "calls": calls,
                "share": cum / total if total else 0.0,
            }
        )
    tables = {}
    for key in ("cumulative", "tottime"):
        buf = io.StringIO()
        s = pstats.Stats(profiler, stream=buf)
        s.strip_dirs().sort_stats(key).print_stats(TOP_FUNCTIONS)
        tables[key] = _trim_pstats(buf.getvalue())
    package = str(REPO / "search") + os.sep
    ours = sorted(
        ((v[3], v[2], v[1], k) for k, v in stats.stats.items() if k[0].startswith(package)),
        reverse=True,
    )[:TOP_FUNCTIONS]
    tables["ours"] = "\n".join(
        [f"{'cumtime s':>10} {'tottime s':>10} {'ncalls':>9}  function"]
        + [
            f"{cum:10.3f} {tt:10.3f} {nc:9d}  {Path(k[0]).relative_to(REPO)}:{k[1]}({k[2]})"
            for cum, tt, nc, k in ours
        ]
    )
    return {"items": n, "total_s": total, "stages": rows, "tables": tables}


def _trim_pstats(text: str) -> str:
    lines = text.splitlines()
    start = next((i for i, x in enumerate(lines) if x.strip().startswith("ncalls")), 0)
    return "\n".join(x.rstrip() for x in lines[start:] if x.strip())


def worker_stage_times(work: Path) -> dict[str, Any]:
    """Wall time inside each search stage over one cold pass, without a profiler:
    each stage function is wrapped with a perf_counter timer (inclusive times)."""
    import functools

    _pin()
    texts = _queries(work)
    e = Ours()
    e.open(index_dir(work, "ours"))
    totals: dict[str, list[float]] = {}
    missing = []
    for label, targets in SEARCH_STAGES:
        found = _resolve(targets)
        if found is None:
            missing.append(label)
            continue
        target, owner, func = found
        cell = totals.setdefault(label, [0.0, 0])

        def timed(*a, _func=func, _cell=cell, **kw):
            started = time.perf_counter()
            try:
                return _func(*a, **kw)
            finally:
                _cell[0] += time.perf_counter() - started
                _cell[1] += 1

        wrapper = functools.wraps(func)(timed)
        attr = target.rsplit(".", 1)[-1] if "." in target.split(":")[1] else target.split(":")[1]
        original = getattr(owner, attr)
        setattr(owner, attr, wrapper)
        if not isinstance(owner, type):  # "from x import f" copies in our modules
            for name, module in list(sys.modules.items()):
                if name.startswith("search") and getattr(module, attr, None) is original:
                    setattr(module, attr, wrapper)
    errors = 0
    started = time.perf_counter()
    for q in texts:
        try:
            e.search(q)
        except Exception:  # counted; the serving run lists the messages
            errors += 1
    wall = time.perf_counter() - started
    n = len(texts)
    return {
        "items": n,
        "wall_ms_per_item": wall * 1000 / n,
        "stages": [
            {"stage": label, "ms_per_item": t * 1000 / n, "calls": c}
            for label, (t, c) in totals.items()
        ],
        "missing": missing,
        "errors": errors,
    }


# -- measurements --------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))]


def latency_summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(values, 0.50),
        "p95": percentile(values, 0.95),
        "p99": percentile(values, 0.99),
        "mean": sum(values) / len(values) if values else float("nan"),
        "qps": 1000 * len(values) / sum(values) if values else float("nan"),
    }


def kept_by_extraction(docs: list[querylog.Doc], corpus_name: str) -> list[querylog.Doc]:
    """The documents our plain-text extraction keeps (it skips, e.g., Reuters' bare
    earnings tables), so that every engine indexes the same articles; a document's
    outlet and day become those our index shows, so that every engine filters and
    sorts on the same values. On one process per core (3 ms a long article)."""
    import multiprocessing

    jobs = [(d, corpus_name) for d in docs]
    with multiprocessing.get_context("spawn").Pool(os.cpu_count() or 1) as pool:
        kept = pool.imap(_kept_one, jobs, 256)
        return [d for d in kept if d is not None]


def _kept_one(job: tuple[querylog.Doc, str]) -> querylog.Doc | None:
    from search.extract import extract
    from search.model import Skip

    d, corpus_name = job
    article = extract(querylog.text_file(d).encode(), f"{corpus_name}/{querylog.text_path(d)}")
    if isinstance(article, Skip):
        return None
    if d.source is None and d.date is None:
        return d
    day = f"{article.published:%Y-%m-%d}" if article.published else None
    return replace(d, source=article.source, author=article.author, date=day)


def prepare(work: Path, docs: list[querylog.Doc], corpus_name: str, queries, need_text: bool):
    work.mkdir(parents=True, exist_ok=True)
    querylog.write_jsonl(docs, work / "docs.jsonl")
    (work / "queries.json").write_text(json.dumps([asdict(q) for q in queries]))
    if need_text:
        querylog.write_text_corpus(docs, work / "corpus" / corpus_name)


def measure_dataset(
    label: str,
    work: Path,
    engines: list[str],
    profile: bool,
    cluster_workers: tuple[int, ...] = (),
    reuse: bool = False,
) -> dict[str, Any]:
    kinds = [q["kind"] for q in json.loads((work / "queries.json").read_text())]
    out: dict[str, Any] = {"engines": {}, "kinds": kinds}
    built: dict[str, dict[str, Any]] = {}
    for name in engines:
        shared = engine(name).index_name
        saved = index_dir(work, name).with_name(index_dir(work, name).name + ".build.json")
        if shared and shared in built:
            build = dict(built[shared], shared_with=shared)
        elif reuse and saved.exists() and index_dir(work, name).exists():
            # --reuse-builds: the index and build figures of an earlier run in --work
            print(f"  [{label}] reuse the build of {name} …", flush=True)
            build = dict(json.loads(saved.read_text()), reused=True)
            built[shared or name] = build
        else:
            print(f"  [{label}] build {name} …", flush=True)
            build = subprocess_json("build", str(work), name)
            saved.write_text(json.dumps(build))
            built[shared or name] = build
        print(f"  [{label}] serve {name} …", flush=True)
        serve = subprocess_json("serve", str(work), name)
        out["engines"][name] = {
            "build": build,
            "serve": serve,
            "cold": latency_summary(serve["cold"]),
            "warm": latency_summary(serve["warm"]),
        }
        e = out["engines"][name]
        print(
            f"  [{label}] {name:16} build {build['seconds']:7.1f} s  "
            f"cold p50 {e['cold']['p50']:7.2f} p95 {e['cold']['p95']:7.2f} ms  "
            f"warm p50 {e['warm']['p50']:7.2f}  rss {serve['rss_mb']:6.0f} MB"
            + (f"  ERRORS {serve['error_count']}: {serve['errors'][0]}" if serve["errors"] else ""),
            flush=True,
        )
    if "ours" in engines and cluster_workers:
        plain = out["engines"]["ours"]["build"]
        out["cluster"] = []
        for n in cluster_workers:
            print(f"  [{label}] build ours on a local Dask cluster of {n} …", flush=True)
            c = subprocess_json("build-cluster", str(work), str(n))
            out["cluster"].append(c)
            print(
                f"  [{label}] cluster {n}: {c['seconds']:.1f} s "
                f"({c['indexed'] / c['seconds']:.0f} docs/s; plain {plain['seconds']:.1f} s)",
                flush=True,
            )
    if "ours" in engines:
        import loadtest

        texts = [q["text"] for q in json.loads((work / "queries.json").read_text())]
        trials = [
            loadtest.cold_start(index_dir(work, "ours"), texts[0]) for _ in range(COLD_START_TRIALS)
        ]
        out["cold_start_s"] = trials
        print(f"  [{label}] cold start {', '.join(f'{t:.2f}' for t in trials)} s", flush=True)
        if profile:
            print(f"  [{label}] stage times …", flush=True)
            out["stage_times"] = subprocess_json("stage-times", str(work))
            print(f"  [{label}] profile search …", flush=True)
            out["profile_search"] = subprocess_json("profile-search", str(work))
            print(f"  [{label}] profile rebuild …", flush=True)
            out["profile_rebuild"] = subprocess_json("profile-rebuild", str(work))
    return out


def prepare_html(work: Path, source: Path, pages: int) -> int:
    """``pages`` HTML files: the benchmark pages, copy k in folder copyNN/ with its
    site host renamed (cK.host) so copies are separate outlets, as distinct sites
    would be; otherwise every line of a page would be learned as its site's template."""
    from search.extract.html import html_site

    originals = sorted(source.glob("*.html.gz"))
    work.mkdir(parents=True, exist_ok=True)
    unrenamed = 0
    for i in range(pages):
        copy, page = divmod(i, len(originals))
        data = gzip.decompress(originals[page].read_bytes())
        if copy:
            site = html_site(data.decode("utf-8", "replace"))
            if site:
                # html_site drops "www." and case: match the URL's own spelling.
                pattern = rb"://(www\.)?" + re.escape(site.encode())
                new_host = f"c{copy}.{site}".encode()
                data = re.sub(
                    pattern,
                    lambda m, h=new_host: b"://" + (m.group(1) or b"") + h,
                    data,
                    flags=re.I,
                )
                if html_site(data.decode("utf-8", "replace")) == site:
                    unrenamed += 1
        folder = work / "corpus" / f"copy{copy:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / originals[page].name.removesuffix(".gz")).write_bytes(data)
    if unrenamed:
        print(f"  [html] {unrenamed} copies kept their original site host", flush=True)
    return len(originals)


def _with_cpu(*args: str) -> dict[str, Any]:
    """A worker's result with the CPU seconds it and its processes used (user +
    system, its start-up included): on a machine others load, the share of the
    cores a run gets varies from trial to trial, the work it does much less."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess_json(*args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["cpu_seconds"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


def measure_html(
    work: Path, source: Path, pages: int, profile: bool, trials: int = 1
) -> dict[str, Any]:
    """Our rebuild and trafilatura alone on the same pages, alternated ``trials``
    times (the machine is shared: alternating spreads other people's load over
    both); the median trial of each is reported."""
    distinct = prepare_html(work, source, pages)
    procs = os.cpu_count() or 1
    ours_runs, traf_runs = [], []
    for trial in range(1, trials + 1):
        print(f"  [html] trial {trial}: rebuild {pages} pages …", flush=True)
        ours_runs.append(_with_cpu("build", str(work), "ours"))
        shutil.rmtree(index_dir(work, "ours"), ignore_errors=True)
        print(f"  [html] trial {trial}: trafilatura alone, {procs} processes …", flush=True)
        traf_runs.append(_with_cpu("trafilatura", str(work), str(procs)))
    ours = sorted(ours_runs, key=lambda r: r["seconds"])[len(ours_runs) // 2]
    traf = sorted(traf_runs, key=lambda r: r["seconds"])[len(traf_runs) // 2]
    result = {
        "pages": pages,
        "distinct": distinct,
        "procs": procs,
        "ours": ours,
        "trafilatura": traf,
        "trials": [[o["seconds"], t["seconds"]] for o, t in zip(ours_runs, traf_runs, strict=True)],
        "cpu_trials": [
            [o["cpu_seconds"], t["cpu_seconds"]] for o, t in zip(ours_runs, traf_runs, strict=True)
        ],
    }
    print(
        f"  [html] ours {pages / ours['seconds']:.1f} pages/s, "
        f"trafilatura {pages / traf['seconds']:.1f} pages/s",
        flush=True,
    )
    if profile:
        few = min(pages, HTML_PROFILE_PAGES)
        print(f"  [html] profile rebuild of {few} pages (one process) …", flush=True)
        prepare_html(work / "profiled", source, few)
        result["profile_rebuild"] = subprocess_json("profile-rebuild", str(work / "profiled"))
        result["profiled_pages"] = few
    return result


# -- report --------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "search", "web"],
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        commit, dirty = "?", ""
    if not commit:  # a snapshot (git archive) says what it is through the environment
        commit = os.environ.get("NEWSEARCH_BENCH_CODE", "")
    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": (commit or "not a git checkout")
        + (" (search/ or web/ modified)" if dirty else ""),
        "load": os.getloadavg(),
    }


def _f(x: float, digits: int = 1) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{digits}f}"


def _split(serve: dict[str, Any]) -> str:
    split = serve.get("rss_split") or {}
    if not split:
        return ""
    pss = f", PSS {split['Pss']:.0f}" if "Pss" in split else ""
    return f" ({split.get('RssAnon', 0):.0f} + {split.get('RssFile', 0):.0f}{pss})"


def _ratio(a: float, b: float) -> str:
    return "–" if not a or not b else f"{a / b:.2f}×"


def _real_part(d: dict[str, Any]) -> str:
    """How much of a synthetic size is real articles: 100k of newsmix is 99,913 real
    articles and 87 copies, which is not the same claim as a corpus copied five times."""
    real, docs = d.get("real_docs"), d.get("docs")
    if not real or not docs or real >= docs:
        return ""
    return f" past the first {real:,} real articles: {docs - real:,} copies"


def dataset_markdown(label: str, d: dict[str, Any], synthetic: str | None) -> list[str]:
    lines = [
        f"### {label}"
        + (f" (run {d['run']})" if "run" in d else "")
        + (
            f" — SYNTHETIC{_real_part(d)}"
            f" ({SYNTHETIC_NOTE[synthetic].format(corpus=label.split()[0])})"
            if synthetic
            else ""
        ),
        "",
    ]
    lines += [
        "| engine | cold p50 | cold p95 | cold p99 | q/s (1 core, cold) | warm p50 | warm p95 "
        "| build s | docs/s | index MB | open ms "
        "| peak RSS MB: bare process → serving (now: heap + mapped files) "
        "| hits shown/query | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, e in d["engines"].items():
        b, s, c, w = e["build"], e["serve"], e["cold"], e["warm"]
        shown = sum(s["shown"]) / max(len(s["shown"]), 1)
        docs = b.get("indexed") or 0
        lines.append(
            f"| {name} | {_f(c['p50'], 2)} | {_f(c['p95'], 2)} | {_f(c['p99'], 2)} "
            f"| {_f(c['qps'])} | "
            f"{_f(w['p50'], 2)} | {_f(w['p95'], 2)} | {_f(b['seconds'])}"
            f"{' (shared)' if b.get('shared_with') else ''} | {_f(docs / b['seconds'], 0)} | "
            f"{_f(b['size_bytes'] / 2**20)} | {_f(s['open_ms'])} | "
            f"{_f(s['base_rss_mb'], 0)} → {_f(s['rss_mb'], 0)}{_split(s)} | {shown:.1f} "
            f"| {s['error_count']} |"
        )
    lines.append("")
    lines += kinds_markdown(d)
    for name, e in d["engines"].items():
        if e["serve"]["errors"]:
            lines.append(f"Errors of {name} (first {len(e['serve']['errors'])}):")
            lines += [f"- `{x[:300]}`" for x in e["serve"]["errors"]]
            lines.append("")
    eng = d["engines"]
    if "ours" in eng:
        ours = eng["ours"]
        ratios = []
        for peer in ("fts5", "tantivy", "bm25s"):
            if peer in eng:
                p = eng[peer]
                ratios.append(
                    f"ours/{peer}: cold p50 {_ratio(ours['cold']['p50'], p['cold']['p50'])}, "
                    f"p95 {_ratio(ours['cold']['p95'], p['cold']['p95'])}"
                )
        for peer in ("whoosh-naive", "whoosh-naive-and"):
            if peer in eng:
                p = eng[peer]
                ratios.append(
                    f"{peer}/ours: cold p50 {_ratio(p['cold']['p50'], ours['cold']['p50'])}, "
                    f"p95 {_ratio(p['cold']['p95'], ours['cold']['p95'])}"
                )
        lines += ["Ratios: " + "; ".join(ratios) + ".", ""]
        b = ours["build"]
        phases = b.get("phases") or {}
        if phases:
            ends = sorted((v[1], k) for k, v in phases.items())
            parts, prev = [], 0.0
            for end, name in ends:
                parts.append(f"{name} {end - prev:.1f} s")
                prev = end
            parts.append(f"commit/seal {b['seconds'] - prev:.1f} s")
            lines += [
                f"Our rebuild: {b['indexed']} indexed, {b['skipped']} skipped, "
                f"{b['failed']} failed; "
                f"phases (wall, {os.cpu_count()} extraction processes): {', '.join(parts)}; "
                f"peak RSS writer {_f(b['rss_mb'], 0)} MB"
                + (
                    " (by phase: "
                    + ", ".join(f"{k} {v:.0f}" for k, v in b["rss_by_phase"].items())
                    + ")"
                    if b.get("rss_by_phase")
                    else ""
                )
                + f", extraction workers ≤ {_f(b['children_rss_mb'], 0)} MB.",
                "",
            ]
        if d.get("cluster"):
            lines += cluster_markdown(b, d["cluster"])
        if "cold_start_s" in d:
            t = d["cold_start_s"]
            lines += [
                f"Cold start (`newsearch serve` to first answered /api/search): "
                f"{', '.join(f'{x:.2f}' for x in t)} s (median {sorted(t)[len(t) // 2]:.2f} s).",
                "",
            ]
    return lines


def cluster_markdown(plain: dict[str, Any], runs: list[dict[str, Any]]) -> list[str]:
    rate = plain["indexed"] / plain["seconds"]
    lines = [
        "Our rebuild on a Dask LocalCluster (`newsearch rebuild --workers N`; "
        "cluster started before the clock):",
        "",
        "| build | workers | seconds | docs/s | vs plain rebuild | cluster start s "
        "| writer peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| plain `rebuild` (local processes) | {os.cpu_count()} | {plain['seconds']:.1f} "
        f"| {rate:.0f} | 1.00× | – | {_f(plain['rss_mb'], 0)} |",
    ]
    for c in runs:
        r = c["indexed"] / c["seconds"]
        lines.append(
            f"| Dask cluster | {c['workers']} | {c['seconds']:.1f} | {r:.0f} | "
            f"{r / rate:.2f}× | {c['cluster_start_s']:.1f} | {_f(c['rss_mb'], 0)} |"
        )
    return [*lines, ""]


def kinds_markdown(d: dict[str, Any]) -> list[str]:
    """Cold p50 / p95 per kind of query: which queries are slow, per engine."""
    kinds = d.get("kinds")
    if not kinds:
        return []
    names = sorted(set(kinds))
    lines = [
        "Cold p50 / p95 ms by kind of query:",
        "",
        "| engine | " + " | ".join(f"{k} ({kinds.count(k)})" for k in names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for engine_name, e in d["engines"].items():
        cells = []
        for k in names:
            values = [t for t, kind in zip(e["serve"]["cold"], kinds, strict=True) if kind == k]
            cells.append(f"{percentile(values, 0.5):.1f} / {percentile(values, 0.95):.1f}")
        lines.append(f"| {engine_name} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def fit_exponent(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """(b, a) of y = a * x**b, least squares in log-log; None under two points."""
    pts = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    if not sxx:
        return None
    b = sum((x - mx) * (y - my) for x, y in pts) / sxx
    return b, math.exp(my - b * mx)


# A fitted exponent below this is flat: no size is predicted from it.
FLAT_EXPONENT = 0.05
# Sizes past this are not worth naming (and far outside what was measured).
FAR_DOCS = 1e9


def _reach(fit: tuple[float, float] | None, limit: float, largest: int) -> str:
    """Corpus size at which the fitted cost reaches ``limit``."""
    if fit is None or fit[0] < FLAT_EXPONENT:
        return "– (flat)"
    b, a = fit
    if a * largest**b >= limit:
        return f"already at {largest / 1e3:,.0f} k"
    n = (limit / a) ** (1 / b)
    if n > FAR_DOCS:
        return "> 1,000 M"
    return f"{n / 1e6:,.1f} M" if n >= 1e6 else f"{n / 1e3:,.0f} k"


def growth_markdown(results: dict[str, Any]) -> list[str]:
    """Cost against corpus size per corpus: the figures, their fitted exponents,
    and where one machine stops meeting p95 <= 100 ms or fitting in 4 GB."""
    by_corpus: dict[str, list[dict[str, Any]]] = {}
    for label, d in results.items():
        if not label.startswith("_") and d.get("docs"):
            by_corpus.setdefault(d["corpus"], []).append(d)
    lines: list[str] = []
    for corpus_name, runs in by_corpus.items():
        if len(runs) < 2:
            continue
        runs.sort(key=lambda d: d["docs"])
        names = [n for n in runs[-1]["engines"] if all(n in r["engines"] for r in runs)]
        lines += [
            f"### Growth curve: {corpus_name}",
            "",
            "Cold p95 ms / build s per engine; ours also serving RSS and build peak RSS "
            "(writer; extraction workers). *synthetic* = mixed-sentence copies.",
            "",
            "| docs | " + " | ".join(names) + " | ours index MB | ours serving RSS MB "
            "| ours build peak RSS MB (writer; workers) |",
            "|---:|" + "---:|" * (len(names) + 3),
        ]
        for r in runs:
            e = r["engines"]
            cells = [
                f"{_f(e[n]['cold']['p95'], 1)} / {_f(e[n]['build']['seconds'], 0)}" for n in names
            ]
            ours = e.get("ours")
            extra = (
                [
                    _f(ours["build"]["size_bytes"] / 2**20, 0),
                    _f(ours["serve"]["rss_mb"], 0),
                    f"{_f(ours['build']['rss_mb'], 0)}; "
                    f"{_f(ours['build'].get('children_rss_mb'), 0)}",
                ]
                if ours
                else ["–", "–", "–"]
            )
            copies = r["docs"] - r.get("real_docs", r["docs"])
            tag = " *synthetic*" if copies > r["docs"] * REAL_ENOUGH_COPIES else ""
            tag += f" (run {r['run']})" if "run" in r else ""
            lines.append(f"| {r['docs']:,}{tag} | " + " | ".join(cells + extra) + " |")
        lines += [
            "",
            "Fitted exponent b of cost ∝ docs^b (least squares over the sizes above), and "
            f"the size where the fit reaches p95 = {P95_LIMIT_MS:.0f} ms or "
            f"{MEMORY_LIMIT_MB / 1024:.0f} GB:",
            "",
            "| engine | b of cold p95 | p95 reaches 100 ms at | b of build time "
            "| b of serving RSS | serving RSS reaches 4 GB at "
            "| b of build peak RSS | build peak reaches 4 GB at |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for n in names:
            p95 = fit_exponent([(r["docs"], r["engines"][n]["cold"]["p95"]) for r in runs])
            build = fit_exponent([(r["docs"], r["engines"][n]["build"]["seconds"]) for r in runs])
            rss = fit_exponent([(r["docs"], r["engines"][n]["serve"]["rss_mb"]) for r in runs])
            peak = fit_exponent(
                [
                    (
                        r["docs"],
                        max(
                            r["engines"][n]["build"]["rss_mb"],
                            r["engines"][n]["build"].get("children_rss_mb") or 0,
                        ),
                    )
                    for r in runs
                ]
            )

            def b(fit):
                return "–" if fit is None else f"{fit[0]:.2f}"

            top = runs[-1]["docs"]
            lines.append(
                f"| {n} | {b(p95)} | {_reach(p95, P95_LIMIT_MS, top)} | {b(build)} | {b(rss)} "
                f"| {_reach(rss, MEMORY_LIMIT_MB, top)} | {b(peak)} "
                f"| {_reach(peak, MEMORY_LIMIT_MB, top)} |"
            )
        lines.append("")
    return lines


def profile_markdown(title: str, prof: dict[str, Any], unit: str, units: str) -> list[str]:
    lines = [
        f"#### {title}",
        "",
        f"{prof['items']} {units}, {prof['total_s']:.1f} s under cProfile (the profiler "
        "inflates Python-heavy code several-fold; read shares, not absolute times). "
        "Stage times are inclusive (a stage contains its indented sub-stages).",
        "",
        f"| stage | ms per {unit} (profiled) | share | calls |",
        "|---|---:|---:|---:|",
    ]
    for r in prof["stages"]:
        if "missing" in r:
            lines.append(f"| {r['stage']} | not found: {r['missing']} | | |")
            continue
        lines.append(
            f"| {r['stage']} | {r['ms_per_item']:.2f} | {100 * r['share']:.1f} % | {r['calls']:,} |"
        )
    names = {
        "ours": "functions of search/ by cumulative time",
        "cumulative": "all functions by cumulative time",
        "tottime": "all functions by own (tottime) time",
    }
    for key in ("ours", "cumulative", "tottime"):
        if key in prof["tables"]:
            lines += [
                "",
                f"Top {TOP_FUNCTIONS} {names[key]}:",
                "",
                "```",
                prof["tables"][key],
                "```",
            ]
    return [*lines, ""]


def stage_times_markdown(label: str, st: dict[str, Any], cold_p50: float | None) -> list[str]:
    lines = [
        f"#### Where a request's time goes, {label} (no profiler; cold pass)",
        "",
        f"Each stage function wrapped with a timer; {st['items']} queries, "
        f"{st['wall_ms_per_item']:.2f} ms per query on average"
        + (f" (median request {cold_p50:.2f} ms)" if cold_p50 else "")
        + ". Inclusive times; indented rows are inside the row above.",
        "",
        "| stage | mean ms per query | share of request | calls |",
        "|---|---:|---:|---:|",
    ]
    total = next(
        (r["ms_per_item"] for r in st["stages"] if r["stage"].startswith("Index.search")), 0
    )
    for r in st["stages"]:
        share = f"{100 * r['ms_per_item'] / total:.1f} %" if total else "–"
        lines.append(f"| {r['stage']} | {r['ms_per_item']:.3f} | {share} | {r['calls']:,} |")
    if st["missing"]:
        lines += ["", f"Not found (renamed?): {', '.join(st['missing'])}."]
    return [*lines, ""]


def html_markdown(h: dict[str, Any]) -> list[str]:
    ours, traf = h["ours"], h["trafilatura"]
    ours_rate = h["pages"] / ours["seconds"]
    traf_rate = h["pages"] / traf["seconds"]
    lines = [
        f"### Rebuild from HTML: {h['pages']} pages ({h['distinct']} Scrapinghub benchmark pages, "
        "copies in their own folders with renamed hosts)",
        "",
        "| pipeline | seconds | pages/s | note |",
        "|---|---:|---:|---|",
        f"| ours: `search.rebuild` ({h['procs']} extraction processes + writer) | "
        f"{ours['seconds']:.1f} | {ours_rate:.1f} | {ours['indexed']} indexed, "
        f"{ours['skipped']} skipped, {ours['failed']} failed |",
        f"| `trafilatura.extract` alone ({h['procs']} processes) | {traf['seconds']:.1f} | "
        f"{traf_rate:.1f} | {traf['with_text']} pages with text |",
        "",
        f"Ours / trafilatura-alone throughput: **{100 * ours_rate / traf_rate:.0f} %** "
        "(goal ≥ 90 %)" + _trial_ratios(h.get("trials") or []) + ".",
        "",
    ]
    cpu = h.get("cpu_trials") or []
    if cpu:
        ratios = sorted(t / o for o, t in cpu)
        lines += [
            "CPU seconds (all processes, start-up included; ours / trafilatura): "
            + ", ".join(f"{o:.1f} / {t:.1f}" for o, t in cpu)
            + f"; trafilatura's CPU over ours, median of the trials: "
            f"**{100 * ratios[len(ratios) // 2]:.0f} %** (the throughput an idle machine "
            "would allow if every process kept its core busy).",
            "",
        ]
    if len(h.get("trials") or []) > 1:
        lines += [
            "Trials, alternated (ours s / trafilatura s; the median of each is shown above): "
            + ", ".join(f"{o:.1f} / {t:.1f}" for o, t in h["trials"])
            + ".",
            "",
        ]
    phases = ours.get("phases") or {}
    if phases:
        ends = sorted((v[1], k) for k, v in phases.items())
        parts, prev = [], 0.0
        for end, name in ends:
            parts.append(f"{name} {end - prev:.1f} s")
            prev = end
        parts.append(f"commit/seal {ours['seconds'] - prev:.1f} s")
        lines += [f"Our rebuild phases (wall): {', '.join(parts)}.", ""]
    return lines


def _trial_ratios(trials: list[list[float]]) -> str:
    """The median of each alternated pair's ratio: a pair ran under much the same
    load, so its ratio varies less than the two medians' (taken apart)."""
    if len(trials) < 2:
        return ""
    ratios = sorted(t / o for o, t in trials)
    return (
        f"; per trial {', '.join(f'{100 * r:.0f} %' for r in sorted(ratios))}, "
        f"median **{100 * ratios[len(ratios) // 2]:.0f} %**"
    )


def goals_markdown(label: str, d: dict[str, Any], html: dict[str, Any] | None) -> list[str]:
    eng = d["engines"]
    if "ours" not in eng:
        return []
    ours = eng["ours"]
    rows = []

    def row(goal: str, value: str, ok: bool | None) -> None:
        rows.append(f"| {goal} | {value} | {'–' if ok is None else ('met' if ok else 'NOT met')} |")

    if "fts5" in eng:
        f = eng["fts5"]
        r50 = ours["cold"]["p50"] / f["cold"]["p50"]
        r95 = ours["cold"]["p95"] / f["cold"]["p95"]
        row("cold p50 ≤ FTS5's", f"{r50:.2f}× FTS5", r50 <= 1)
        row("cold p95 ≤ FTS5's", f"{r95:.2f}× FTS5", r95 <= 1)
    if "whoosh-naive" in eng:
        r = eng["whoosh-naive"]["cold"]["p50"] / ours["cold"]["p50"]
        row("≥ 10× faster than naive Whoosh (OR) at p50", f"{r:.2f}×", r >= 10)
    phrases = [
        t
        for t, k in zip(ours["serve"]["cold"], d.get("kinds") or [], strict=False)
        if k == "phrase"
    ]
    if phrases:
        p95 = percentile(phrases, 0.95)
        row(
            f"phrase queries cold p95 ≤ {PHRASE_P95_GOAL_MS:.0f} ms",
            f"{p95:.1f} ms",
            p95 <= PHRASE_P95_GOAL_MS,
        )
    if html:
        share = (html["pages"] / html["ours"]["seconds"]) / (
            html["pages"] / html["trafilatura"]["seconds"]
        )
        row("rebuild from HTML ≥ 90 % of trafilatura alone", f"{100 * share:.0f} %", share >= 0.9)
    rss = ours["serve"]["rss_mb"]
    row("serving RSS ≤ 300 MB", f"{rss:.0f} MB", rss <= 300)
    b = ours["build"]
    peak = max(b["rss_mb"], b.get("children_rss_mb") or 0)
    row(
        f"build peak RSS ≤ {BUILD_RSS_GOAL_MB / 1024:.0f} GB (writer; largest worker)",
        f"{b['rss_mb']:.0f}; {b.get('children_rss_mb') or 0:.0f} MB",
        peak <= BUILD_RSS_GOAL_MB,
    )
    if "cold_start_s" in d:
        t = sorted(d["cold_start_s"])[len(d["cold_start_s"]) // 2]
        row("cold start < 1 s", f"{t:.2f} s (median)", t < 1)
    return [
        f"## Goals, judged on {label}",
        "",
        "| goal | measured | |",
        "|---|---:|---|",
        *rows,
        "",
    ]


def merge_runs(states: list[dict[str, Any]]) -> dict[str, Any]:
    """Several saved runs as one, so that a size too long to run with the others (1M
    takes hours) joins their growth curve. Only runs of the same query log merge: a
    curve across different queries would measure the log, not the corpus size."""
    first = states[0]
    for other in states[1:]:
        if other["seed"] != first["seed"]:
            raise ValueError(f"runs differ in seed: {first['seed']} and {other['seed']}")
        if other["results"].get("_logs") != first["results"].get("_logs"):
            raise ValueError("runs differ in their query logs (_logs): they do not merge")
    if len(states) == 1:
        return first
    results: dict[str, Any] = {}
    for i, state in enumerate(states, 1):
        for label, d in state["results"].items():
            if label.startswith("_"):
                results.setdefault(label, d)
            else:
                results[label] = {**d, "run": i}
    return {
        "info": {**first["info"], "runs": [s["info"] for s in states]},
        "seed": first["seed"],
        "results": results,
        "html": next((s["html"] for s in states if s.get("html")), None),
        "load": next((s["load"] for s in states if s.get("load")), None),
    }


def _runs_line(info: dict[str, Any]) -> list[str]:
    runs = info.get("runs") or []
    if len(runs) < 2:
        return []
    return [
        "Merged runs (each size says its run): "
        + "; ".join(
            f"run {i}: {r['date']}, code {r['commit']}, load average at start {r['load'][0]:.2f}"
            for i, r in enumerate(runs, 1)
        )
        + ".",
        "",
    ]


def markdown(info, seed, results, html, load) -> str:
    lines = [
        "# Speed benchmark",
        "",
        f"{info['date']} — {info['cpu']}, {info['cores']} cores, Python {info['python']}, "
        f"{info['platform']}; code {info['commit']}; load average at start "
        f"{info['load'][0]:.2f}, at end {os.getloadavg()[0]:.2f}.",
        "",
        *_runs_line(info),
        f"Query logs (bench/querylog.py, seed {seed}, sampled from the whole corpus, "
        f"same log at every size): {results['_logs']}. "
        f"Documents: {results['_kept']}. Latencies in ms per query, top {TOP} with snippets; "
        "serving pinned to one core; cold = first time each query, warm = log repeated.",
        "",
        "Engines: ours = `Index.search(q, per_page=10)` (ranking, facets, collapse, copies, "
        "spelling, snippets); whoosh-naive = Whoosh defaults (StemmingAnalyzer, default "
        "writer, MultifieldParser title+body with **OrGroup**, new searcher per query, "
        "`hit.highlights('body')`); whoosh-naive-and = same with the default AND group; "
        "fts5 = SQLite FTS5 porter, `ORDER BY rank` (bm25, title 2), `highlight` + `snippet`, "
        "terms OR-ed; bm25s = top-10 ids, **no snippets or stored text**; tantivy = en_stem, "
        "OR parser, SnippetGenerator. Peers' build times exclude reading the JSONL; ours "
        "reads the text files (the product's path). Peers build in one process (tantivy: its "
        "own threads); ours extracts on one process per core.",
        "",
    ]
    goal_label = results.get("_goal_label")
    if goal_label:
        lines += goals_markdown(goal_label, results[goal_label], html)
    lines += ["## Search and build", ""]
    for label, d in results.items():
        if label.startswith("_"):
            continue
        lines += dataset_markdown(label, d, d.get("synthetic"))
    growth = growth_markdown(results)
    if growth:
        lines += ["## Growth", "", *growth]
    if html:
        lines += ["## Rebuild from HTML", "", *html_markdown(html)]
    if load:
        lines += ["## HTTP load", "", *load]
    profiled = [
        (k, d) for k, d in results.items() if not k.startswith("_") and "profile_search" in d
    ]
    if profiled or (html and "profile_rebuild" in html):
        lines += ["## Profiles", ""]
    for label, d in profiled:
        if "stage_times" in d:
            cold = d["engines"].get("ours", {}).get("cold", {}).get("p50")
            lines += stage_times_markdown(label, d["stage_times"], cold)
        lines += profile_markdown(
            f"Search path, {label} (cProfile, cold pass)", d["profile_search"], "query", "queries"
        )
        lines += profile_markdown(
            f"Rebuild, {label} (text files, one process)",
            d["profile_rebuild"],
            "document",
            "documents",
        )
    if html and "profile_rebuild" in html:
        lines += profile_markdown(
            f"Rebuild from HTML, {html['profiled_pages']} pages (one process)",
            html["profile_rebuild"],
            "page",
            "pages",
        )
    return "\n".join(lines) + "\n"


def _corpus_and_log(corpus_name: str, root: Path, args) -> tuple[list, list, str]:
    """A corpus's documents as every engine indexes them, and its query log."""
    kept_note = ""
    all_docs = querylog.read_corpus(corpus_name, root)
    # Filters name outlets as our index shows them: the log of a corpus
    # with outlets is drawn after extraction has named them.
    meta = corpus_name in querylog.WITH_META
    if not meta:
        queries = querylog.build(all_docs, args.queries, args.seed)
    if not args.all_docs or meta:
        before = len(all_docs)
        all_docs = kept_by_extraction(all_docs, corpus_name)
        kept_note = (
            f"{corpus_name}: {len(all_docs):,} of {before:,} records with a body "
            "(those our text extraction keeps; every engine indexes exactly these)"
        )
        print(
            f"{corpus_name}: {len(all_docs):,} of {before:,} articles kept by our "
            "text extraction; every engine indexes those",
            flush=True,
        )
    if meta:
        print(f"{corpus_name}: drawing the query log …", flush=True)
        queries = querylog.build(all_docs, args.queries, args.seed)
    return all_docs, queries, kept_note


# -- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_worker":
        return run_worker(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--data", help="news corpora folder (default $NEWSEARCH_NEWS or ../shared/bench/news)"
    )
    ap.add_argument("--html-data", help="folder of *.html.gz pages")
    ap.add_argument("--sizes", default="1k,10k", help="comma list of 1k,10k,full,100k")
    ap.add_argument("--corpora", default="reuters,bbc")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--queries", type=int, default=querylog.DEFAULT_QUERIES)
    ap.add_argument("--seed", type=int, default=querylog.DEFAULT_SEED)
    ap.add_argument(
        "--all-docs",
        action="store_true",
        help="peers index every record, even those our text extraction skips",
    )
    ap.add_argument(
        "--synthetic",
        choices=("exact", "mixed"),
        default="exact",
        help="copies past a corpus's size: verbatim, or mixed sentences (no near-duplicates)",
    )
    ap.add_argument("--html-pages", type=int, default=1000, help="0 skips the HTML rebuild")
    ap.add_argument(
        "--html-trials", type=int, default=1, help="alternate ours and trafilatura N times"
    )
    ap.add_argument(
        "--cluster",
        default="",
        help="also rebuild on a local Dask cluster of these worker counts (e.g. 1,2), "
        "at the first size (needs newsearch[cluster])",
    )
    ap.add_argument("--profile", default="", help="sizes to profile (e.g. 10k,full); 'all'")
    ap.add_argument(
        "--load", action="store_true", help="HTTP load test on the largest Reuters index"
    )
    ap.add_argument("--load-requests", type=int, default=2000)
    ap.add_argument("--work", help="work folder (default: a temporary one, removed at the end)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument(
        "--reuse-builds",
        action="store_true",
        help="with --work: serve the indexes an earlier run built there (and its build "
        "figures) instead of building again; for comparing query-path changes",
    )
    ap.add_argument("--out", default=str(BENCH / "results" / "speed.md"))
    ap.add_argument(
        "--from-json",
        help="only render the Markdown of a saved run (FILE.json), or of several runs of "
        "the same query log merged (A.json,B.json: e.g. a long size run on its own)",
    )
    args = ap.parse_args(argv)
    if args.from_json:
        states = [json.loads(Path(p).read_text()) for p in args.from_json.split(",")]
        try:
            state = merge_runs(states)
        except ValueError as e:
            ap.error(str(e))
        report = markdown(
            state["info"], state["seed"], *(state[k] for k in ("results", "html", "load"))
        )
        Path(args.out).write_text(report, encoding="utf-8")
        print(report)
        return 0

    info = machine()
    root = querylog.data_dir(args.data)
    html_source = Path(args.html_data or REPO.parent / "shared/bench/extraction/scrapinghub/html")
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    profile_sizes = set(sizes if args.profile == "all" else args.profile.split(","))
    cluster_workers = tuple(int(x) for x in args.cluster.split(",") if x.strip())
    cluster_size = sizes[0] if sizes else None
    work_root = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="newsearch-speed-"))
    work_root.mkdir(parents=True, exist_ok=True)
    print(f"{info['cpu']}, {info['cores']} cores, Python {info['python']}; work in {work_root}")

    results: dict[str, Any] = {}
    html = load = None
    state_file = Path(args.out).with_suffix(".json")

    def save() -> None:
        """Everything measured so far, so a failure late in a long run loses nothing
        (``--from-json`` renders the Markdown from it)."""
        state = {"info": info, "seed": args.seed, "results": results, "html": html, "load": load}
        state_file.parent.mkdir(parents=True, exist_ok=True)
        state_file.write_text(json.dumps(state))

    logs: list[str] = []
    kept: list[str] = []
    largest_reuters: tuple[int, str] | None = None
    real_meta: tuple[int, str] | None = None  # the largest real run of a corpus with outlets

    def summarise() -> None:
        """The run's query logs, kept documents and goal corpus so far, saved with
        every size so that a run cut short still renders (``--from-json``)."""
        results["_logs"] = "; ".join(logs)
        results["_kept"] = "; ".join(kept) if kept else "every record with a body"
        if real_meta:
            results["_goal_label"] = real_meta[1]
        elif largest_reuters:
            results["_goal_label"] = largest_reuters[1]

    try:
        for corpus_name in [c.strip() for c in args.corpora.split(",") if c.strip()]:
            cached = work_root / f".{corpus_name}-{args.seed}-{args.queries}-{args.all_docs}.pickle"
            if cached.exists():  # --work DIR again: extraction and the log are not redone
                all_docs, queries, kept_note = pickle.loads(cached.read_bytes())
            else:
                all_docs, queries, kept_note = _corpus_and_log(corpus_name, root, args)
                cached.write_bytes(pickle.dumps((all_docs, queries, kept_note)))
            if kept_note:
                kept.append(kept_note)
            meta = corpus_name in querylog.WITH_META
            mix: dict[str, int] = {}
            for q in queries:
                mix[q.kind] = mix.get(q.kind, 0) + 1
            logs.append(
                f"{corpus_name} {len(queries)} queries ("
                + ", ".join(f"{k} {v}" for k, v in mix.items())
                + ")"
            )
            done_counts: set[int] = set()
            for size in sizes:
                n = querylog.parse_size(size)
                if corpus_name not in SYNTHETIC_CORPORA and n is not None and n > len(all_docs):
                    n = None  # only some corpora get synthetic copies; others stop at full
                docs, synthetic = querylog.sized(all_docs, n, args.synthetic)
                if len(docs) in done_counts:
                    continue
                done_counts.add(len(docs))
                label = f"{corpus_name} {size if n is not None else 'full'} ({len(docs):,} docs)"
                work = work_root / f"{corpus_name}-{len(docs)}"
                print(f"{label}: preparing …", flush=True)
                prepare(work, docs, corpus_name, queries, "ours" in engines)
                with_cluster = cluster_workers if size == cluster_size else ()
                d = measure_dataset(
                    label, work, engines, size in profile_sizes, with_cluster, args.reuse_builds
                )
                d["synthetic"] = args.synthetic if synthetic else None
                d["corpus"], d["docs"] = corpus_name, len(docs)
                d["real_docs"] = min(len(all_docs), len(docs))
                results[label] = d
                real = len(docs) - d["real_docs"] <= len(docs) * REAL_ENOUGH_COPIES
                if meta and real and (real_meta is None or len(docs) > real_meta[0]):
                    real_meta = (len(docs), label)
                summarise()
                save()
                if corpus_name == "reuters" and (
                    largest_reuters is None or len(docs) > largest_reuters[0]
                ):
                    if largest_reuters is not None and not args.keep:
                        shutil.rmtree(
                            work_root / f"reuters-{largest_reuters[0]}", ignore_errors=True
                        )
                    largest_reuters = (len(docs), label)
                elif not args.keep:
                    shutil.rmtree(work, ignore_errors=True)
        summarise()
        if args.html_pages > 0 and "ours" in engines:
            html = measure_html(
                work_root / "html",
                html_source,
                args.html_pages,
                bool(profile_sizes - {""}),
                args.html_trials,
            )
            save()
            if not args.keep:
                shutil.rmtree(work_root / "html", ignore_errors=True)
        if args.load and largest_reuters and "ours" in engines:
            import loadtest

            work = work_root / f"reuters-{largest_reuters[0]}"
            texts = [q["text"] for q in json.loads((work / "queries.json").read_text())]
            outcome = loadtest.run(index_dir(work, "ours"), texts, args.load_requests, (8, 32))
            load = [f"On {largest_reuters[1]}.", "", *loadtest.markdown(outcome)]
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work_root, ignore_errors=True)

    save()
    report = markdown(info, args.seed, results, html, load)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print()
    print(report)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
