"""Ranking benchmark: our search path against stock engines on judged IR test collections.

Each collection's documents (title + body) are indexed by the product's own
schema and analyzer and queried through ``Index.rank`` - the parser and scorer
the search page uses - with the query text as a reader would type it. Stock
peers in the same run: Whoosh with its defaults (StandardAnalyzer, BM25F, OR
group), Whoosh with StemmingAnalyzer, bm25s (Lucene BM25, with and without the
PyStemmer English stemmer) and tantivy (en_stem); peers get the query's words
only (their parsers would read ``?``, ``:``, ``AND``... as syntax). "before" is
the product's configuration before the ranking work (commit 04916e6) rebuilt
from Whoosh parts, to compare quality and speed in one run.

    .venv/bin/python bench/relevance.py [--data DIR] [--collections cranfield,cisi]
                                        [--systems ours,bm25s-stem] [--out FILE.md]
    .venv/bin/python bench/relevance.py --tune [--grid DELTA=0,0.6 --grid ...]

Data: ``--data``, else $NEWSEARCH_IR, else ``<repo>/../shared/bench/ir`` (see its
README for formats and traps). Metrics (ir-measures): nDCG@10 (primary),
AP@1000, P@10, R@100, averaged over the queries that have at least one relevant
document; a query a system returns nothing for scores 0. Runs are scored by
rank (ties cannot be reordered by the evaluator). Speed: judged queries per
second, best of ``--repeat`` passes, on an already opened index.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import ir_measures  # noqa: E402
from ir_measures import AP, P, R, nDCG  # noqa: E402

MEASURES = [nDCG @ 10, AP @ 1000, P @ 10, R @ 100]
DEPTH = 1000
COLLECTIONS = ("cranfield", "cisi", "cacm", "npl", "lisa")


@dataclass
class Collection:
    name: str
    docs: list[tuple[str, str, str]] = field(default_factory=list)  # (docno, title, body)
    queries: dict[str, str] = field(default_factory=dict)
    qrels: dict[str, dict[str, int]] = field(default_factory=dict)  # qid -> docno -> gain

    def judged(self) -> dict[str, str]:
        """Queries with at least one relevant document (trec_eval convention)."""
        return {
            q: t
            for q, t in self.queries.items()
            if any(g > 0 for g in self.qrels.get(q, {}).values())
        }


# -- readers -------------------------------------------------------------------------

_TAG = re.compile(r"^\.([A-Z])\b ?(.*)$")


def read_smart(path: Path) -> list[tuple[str, dict[str, str]]]:
    """SMART tagged records: ``.I id`` then ``.T``/``.W``/... fields on the next lines."""
    records: list[tuple[str, dict[str, str]]] = []
    current: dict[str, list[str]] = {}
    tag = None
    for line in path.read_text(encoding="latin-1").splitlines():
        m = _TAG.match(line)
        if m and m.group(1) == "I":
            current = {}
            records.append((m.group(2).strip(), current))  # type: ignore[arg-type]
            tag = None
        elif m:
            tag = m.group(1)
            current.setdefault(tag, [])
            if m.group(2).strip():
                current[tag].append(m.group(2))
        elif tag is not None:
            current[tag].append(line)
    return [(i, {k: " ".join(" ".join(v).split()) for k, v in f.items()}) for i, f in records]


def read_pairs(path: Path) -> dict[str, dict[str, int]]:
    """``qid docid 0 0`` lines, binary judgments; ids without leading zeros."""
    qrels: dict[str, dict[str, int]] = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            qrels.setdefault(str(int(parts[0])), {})[str(int(parts[1]))] = 1
    return qrels


def smart_docs(path: Path) -> list[tuple[str, str, str]]:
    return [(i, f.get("T", ""), f.get("W", "")) for i, f in read_smart(path)]


def smart_queries(path: Path) -> dict[str, str]:
    return {str(int(i)): f.get("W", "") for i, f in read_smart(path) if f.get("W", "").strip()}


def cranfield(root: Path) -> Collection:
    d = root / "cranfield"
    c = Collection("cranfield", smart_docs(d / "cran.all.1400"))
    # cranqrel numbers queries by position in cran.qry, not by their .I labels.
    texts = [f.get("W", "") for _i, f in read_smart(d / "cran.qry")]
    c.queries = {str(n): t for n, t in enumerate(texts, 1)}
    for line in (d / "cranqrel").read_text(encoding="latin-1").splitlines():
        parts = line.split()
        if len(parts) == 3:
            grade = int(parts[2])
            # Cleverdon grades: 1 best .. 4 least; -1 = no interest. Gain 5 - grade.
            c.qrels.setdefault(parts[0], {})[parts[1]] = 5 - grade if grade > 0 else 0
    return c


def cisi(root: Path) -> Collection:
    d = root / "cisi"
    c = Collection("cisi", smart_docs(d / "CISI.ALL"), smart_queries(d / "CISI.QRY"))
    c.qrels = read_pairs(d / "CISI.REL")
    return c


def cacm(root: Path) -> Collection:
    d = root / "cacm"
    # query.text ends with an empty ".I 0" record: smart_queries drops empty texts.
    c = Collection("cacm", smart_docs(d / "cacm.all"), smart_queries(d / "query.text"))
    c.qrels = read_pairs(d / "qrels.text")
    return c


def adi(root: Path) -> Collection:
    d = root / "adi"
    c = Collection("adi", smart_docs(d / "ADI.ALL"), smart_queries(d / "ADI.QRY"))
    c.qrels = read_pairs(d / "ADI.REL")
    return c


def _slash_records(path: Path) -> list[list[str]]:
    """Records ending with a line ``/``; the last one may lack it (NPL's rlv-ass)."""
    records, current = [], []
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.strip() == "/":
            records.append(current)
            current = []
        elif line.strip():
            current.append(line)
    if current:
        records.append(current)
    return records


def npl(root: Path) -> Collection:
    d = root / "npl"
    c = Collection("npl")
    c.docs = [
        (r[0].strip(), "", " ".join(" ".join(r[1:]).split()))
        for r in _slash_records(d / "doc-text")
    ]
    c.queries = {
        r[0].strip(): " ".join(" ".join(r[1:]).split()) for r in _slash_records(d / "query-text")
    }
    for r in _slash_records(d / "rlv-ass"):
        c.qrels[r[0].strip()] = {doc: 1 for line in r[1:] for doc in line.split()}
    return c


def lisa(root: Path) -> Collection:
    d = root / "lisa"
    c = Collection("lisa")
    parts = sorted(p for p in d.glob("LISA[0-9].[0-9][0-9][0-9]"))
    text = "\n".join(p.read_text(encoding="latin-1") for p in parts)
    for block in re.split(r"\n?\*{20,}\n?", text):
        lines = block.strip("\n").splitlines()
        if not lines or not lines[0].startswith("Document"):
            continue
        docno = lines[0].split()[1]
        rest = lines[1:]
        blank = next((n for n, line in enumerate(rest) if not line.strip()), len(rest))
        title = " ".join(" ".join(rest[:blank]).split())
        body = " ".join(" ".join(rest[blank:]).split())
        c.docs.append((docno, title, body))
    for block in (d / "LISA.QUE").read_text(encoding="latin-1").split("#"):
        lines = [line for line in block.splitlines() if line.strip()]
        if lines:
            c.queries[lines[0].strip()] = " ".join(" ".join(lines[1:]).split())
    # LISARJ.NUM (all 379 pairs; LISA.REL lacks some): a stream "qid count id id ...".
    stream = (d / "LISARJ.NUM").read_text(encoding="latin-1").split()
    pos = 0
    while pos < len(stream):
        qid, count = stream[pos], int(stream[pos + 1])
        c.qrels[qid] = {doc: 1 for doc in stream[pos + 2 : pos + 2 + count]}
        pos += 2 + count
    return c


READERS: dict[str, Callable[[Path], Collection]] = {
    "cranfield": cranfield,
    "cisi": cisi,
    "cacm": cacm,
    "npl": npl,
    "lisa": lisa,
    "adi": adi,
}


# -- systems -------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def words_only(text: str) -> str:
    """A peer's query: lower-cased words, so no parser reads them as syntax."""
    return " ".join(_WORD.findall(text.lower()))


class System:
    name = ""
    description = ""

    def index(self, docs: list[tuple[str, str, str]], workdir: Path) -> None:
        raise NotImplementedError

    def rank(self, query: str) -> list[str]:
        """Doc numbers, best first, at most DEPTH."""
        raise NotImplementedError

    def active(self) -> contextlib.AbstractContextManager:
        """Held while the system indexes and answers (ablations patch constants)."""
        return contextlib.nullcontext()


class Ours(System):
    name = "ours"
    description = "product: schema + analyzer + parser + scorer, via Index.rank"

    def index(self, docs, workdir):
        from whoosh import index as whoosh_index

        from search import document, schema
        from search.build import sync
        from search.model import Article
        from search.serve.engine import Index
        from search.store import layout, termindex

        index_dir = workdir / "ours"
        generation = layout.new_generation()
        build = layout.builds_dir(index_dir) / generation
        build.mkdir(parents=True)
        ix = whoosh_index.create_in(str(build), schema.build_schema())
        self.docno: dict[str, str] = {}
        with ix.writer(limitmb=sync.WRITER_LIMIT_MB, compound=sync.COMPOUND) as writer:
            for docno, title, body in docs:
                article = Article(title=title, body=body, path=f"doc/{docno}")
                fields = document.article_fields(article)
                self.docno[str(fields[schema.ID_FIELD])] = docno
                writer.add_document(**fields)
        termindex.write_missing(build, ix)
        ix.close()
        layout.seal(build)
        layout.publish(index_dir, generation)
        self.index_dir = index_dir
        self.ix = Index(index_dir)

    def reopen(self) -> None:
        """A fresh searcher, so that changed constants reach the cached statistics."""
        from search.serve.engine import Index

        self.ix.close()
        self.ix = Index(self.index_dir)

    def rank(self, query):
        from search.errors import BadQuery

        try:
            return [self.docno[i] for i, _ in self.ix.rank(query, limit=DEPTH)]
        except BadQuery:
            return []


class WhooshStock(System):
    def __init__(self, name: str, stemming: bool) -> None:
        self.name = name
        self.stemming = stemming
        analyzer = "StemmingAnalyzer" if stemming else "StandardAnalyzer"
        self.description = f"Whoosh defaults: {analyzer}, BM25F(B=0.75, K1=1.2), OR group"

    def index(self, docs, workdir):
        from whoosh import analysis, fields, qparser
        from whoosh.filedb.filestore import RamStorage

        make = analysis.StemmingAnalyzer if self.stemming else analysis.StandardAnalyzer
        schema = fields.Schema(
            docno=fields.ID(stored=True),
            title=fields.TEXT(analyzer=make()),
            body=fields.TEXT(analyzer=make()),
        )
        ix = RamStorage().create_index(schema)
        with ix.writer() as writer:
            for docno, title, body in docs:
                writer.add_document(docno=docno, title=title, body=body)
        self.searcher = ix.searcher()
        self.parser = qparser.MultifieldParser(["title", "body"], schema, group=qparser.OrGroup)

    def rank(self, query):
        q = self.parser.parse(words_only(query))
        return [h["docno"] for h in self.searcher.search(q, limit=DEPTH)]


# Whoosh's default English stop list, as the product indexed with before.
_WHOOSH_STOP_LIST = (
    "a an and are as at be by can for from have if in is it may not of on or "
    "tbd that the this to us we when will with yet you your"
)


class Before(System):
    name = "before"
    description = "product configuration at 04916e6: same analyzer, title boost 2, OR 0.9, BM25F"

    def index(self, docs, workdir):
        from whoosh import analysis, fields, qparser, scoring
        from whoosh.filedb.filestore import RamStorage

        from search.analysis import TOKEN_PATTERN, FoldFilter

        stop = frozenset(_WHOOSH_STOP_LIST.split())
        analyzer = (
            analysis.RegexTokenizer(TOKEN_PATTERN)
            | FoldFilter()
            | analysis.StopFilter(stoplist=stop, minsize=2, maxsize=40, renumber=False)
            | analysis.StemFilter(lang="en")
        )
        # Stored like the product's, so fetching each hit costs the same.
        schema = fields.Schema(
            docno=fields.ID(stored=True),
            title=fields.TEXT(analyzer=analyzer, field_boost=2.0, stored=True),
            body=fields.TEXT(analyzer=analyzer, chars=True, stored=True),
        )
        ix = RamStorage().create_index(schema)
        with ix.writer() as writer:
            for docno, title, body in docs:
                writer.add_document(docno=docno, title=title, body=body)
        self.searcher = ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2))
        parser = qparser.MultifieldParser(
            ["title", "body"], schema, group=qparser.OrGroup.factory(0.9)
        )
        parser.remove_plugin_class(qparser.WildcardPlugin)
        parser.add_plugin(qparser.WildcardPlugin(expr=r"(?P<text>\w[\w.]*\*)"))
        for plugin in (qparser.RangePlugin, qparser.BoostPlugin, qparser.GtLtPlugin):
            parser.remove_plugin_class(plugin)
        parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=r"(?<!\S)\+", minusexpr=r"(?<!\S)-"))
        self.parser = parser

    def rank(self, query):
        text = " ".join(query.split()).replace("?", " ")
        text = re.sub(r"(?<![\w\"])(\w+):(?=\S)", r"\1 ", text)  # no field names in these
        try:
            q = self.parser.parse(text)
        except NotImplementedError:  # it crashed on "a + b" and "--i.e."; count as no answer
            return []
        return [h["docno"] for h in self.searcher.search(q, limit=DEPTH)]


class Bm25s(System):
    def __init__(self, name: str, stemming: bool) -> None:
        self.name = name
        self.stemming = stemming
        stem = ", PyStemmer english" if stemming else ""
        self.description = f"bm25s defaults: Lucene BM25 k1=1.5 b=0.75, English stop words{stem}"

    def index(self, docs, workdir):
        import bm25s
        import Stemmer

        self.stemmer = Stemmer.Stemmer("english") if self.stemming else None
        texts = [f"{title}\n{body}" for _, title, body in docs]
        tokens = bm25s.tokenize(texts, stemmer=self.stemmer, show_progress=False)
        self.retriever = bm25s.BM25()
        self.retriever.index(tokens, show_progress=False)
        self.docnos = [d[0] for d in docs]

    def rank(self, query):
        import bm25s
        import numpy as np

        tokens = bm25s.tokenize(
            [query], stemmer=self.stemmer, return_ids=False, show_progress=False
        )[0]
        ids = self.retriever.get_tokens_ids(tokens)
        if not ids:
            return []
        scores = self.retriever.get_scores(ids)
        top = np.argsort(-scores, kind="stable")[:DEPTH]
        return [self.docnos[i] for i in top if scores[i] > 0]


class Tantivy(System):
    name = "tantivy"
    description = "tantivy: en_stem tokenizer, BM25, default OR parser over title + body"

    def index(self, docs, workdir):
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("docno", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", tokenizer_name="en_stem")
        builder.add_text_field("body", tokenizer_name="en_stem")
        self.ix = tantivy.Index(builder.build())
        writer = self.ix.writer()
        for docno, title, body in docs:
            writer.add_document(tantivy.Document(docno=docno, title=title, body=body))
        writer.commit()
        writer.wait_merging_threads()
        self.ix.reload()
        self.searcher = self.ix.searcher()

    def rank(self, query):
        text = words_only(query)
        if not text:
            return []
        q = self.ix.parse_query(text, ["title", "body"])
        hits = self.searcher.search(q, DEPTH).hits
        return [self.searcher.doc(addr)["docno"][0] for _, addr in hits]


class Ablation(Ours):
    """Our path with one ranking choice undone, to show what that choice is worth."""

    def __init__(self, name: str, description: str, patches: Callable[[], dict]) -> None:
        self.name = name
        self.description = description
        self.patches = patches

    def active(self) -> Ablation:
        return self

    def __enter__(self):
        self.undo = []
        for (module, attr), value in self.patches().items():
            self.undo.append((module, attr, getattr(module, attr)))
            setattr(module, attr, value)
        return self

    def __exit__(self, *exc):
        for module, attr, value in reversed(self.undo):
            setattr(module, attr, value)


def ablations() -> list[System]:
    from math import log

    from search import schema
    from search.serve import bm25, parse, ranking

    original = ranking.rank_words

    def flat(searcher, words, fields):
        return original(searcher, dict.fromkeys(words, 1.0), fields)

    def whoosh_idf(n, df):
        return log(n / (df + 1)) + 1

    return [
        Ablation("-feedback", "no pseudo-relevance feedback", lambda: {(bm25, "FEEDBACK_DOCS"): 0}),
        Ablation(
            "-question",
            "question and request words kept",
            lambda: {(parse, "QUERY_STOP_WORDS"): frozenset()},
        ),
        Ablation(
            "-qtf", "a repeated query word counted once", lambda: {(ranking, "rank_words"): flat}
        ),
        Ablation(
            "-coord",
            "no coordination for short queries",
            lambda: {(bm25, "COORDINATION_MAX_WORDS"): 0},
        ),
        Ablation("-delta", "no BM25+ floor for short queries", lambda: {(bm25, "DELTA"): 0.0}),
        Ablation(
            "-idf",
            "Whoosh's idf log(N/(df+1))+1 instead of Lucene's",
            lambda: {(bm25, "idf"): whoosh_idf},
        ),
        Ablation("-title", "title boost 1 instead of 3", lambda: {(schema, "TITLE_BOOST"): 1.0}),
        Ablation(
            "-k1b",
            "Lucene's k1 1.2, b 0.75 for every field",
            lambda: {(bm25, "K1"): 1.2, (bm25, "B"): dict.fromkeys(bm25.B, 0.75)},
        ),
    ]


# The stock engines "ours" must beat (not "before", not the ablations).
STOCK = ("whoosh-or", "whoosh-stem", "bm25s", "bm25s-stem", "tantivy")


def all_systems() -> list[System]:
    return [
        Ours(),
        Before(),
        WhooshStock("whoosh-or", stemming=False),
        WhooshStock("whoosh-stem", stemming=True),
        Bm25s("bm25s", stemming=False),
        Bm25s("bm25s-stem", stemming=True),
        Tantivy(),
    ]


# -- evaluation ----------------------------------------------------------------------


def evaluate(c: Collection, runs: dict[str, list[str]]) -> dict[str, float]:
    """Mean of each measure over the judged queries (missing from the run = 0)."""
    qrels = [ir_measures.Qrel(q, d, g) for q, docs in c.qrels.items() for d, g in docs.items()]
    run = [
        ir_measures.ScoredDoc(q, d, float(DEPTH - r))
        for q, ranked in runs.items()
        for r, d in enumerate(ranked)
    ]
    sums = {str(m): 0.0 for m in MEASURES}
    for metric in ir_measures.iter_calc(MEASURES, qrels, run):
        sums[str(metric.measure)] += metric.value
    n = len(c.judged())
    return {k: v / n for k, v in sums.items()}


@dataclass
class Outcome:
    scores: dict[str, float]
    qps: float


def run_system(system: System, c: Collection, workdir: Path, repeat: int) -> Outcome:
    with system.active():
        return _run_system(system, c, workdir, repeat)


def _run_system(system: System, c: Collection, workdir: Path, repeat: int) -> Outcome:
    system.index(c.docs, workdir)
    queries = c.judged()
    runs: dict[str, list[str]] = {}
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        runs = {q: system.rank(text) for q, text in queries.items()}
        best = min(best, time.perf_counter() - started)
    return Outcome(evaluate(c, runs), len(queries) / best)


def markdown(results: dict[str, dict[str, Outcome]], systems: list[System], machine: str) -> str:
    names = [s.name for s in systems]
    lines = [
        "# Ranking benchmark (bench/relevance.py)",
        "",
        f"{dt.datetime.now().isoformat(timespec='seconds')} - {machine}",
        "",
        "Judged queries only; nDCG@10 is the primary figure (Cranfield graded, gain 5 - grade).",
        "",
    ]
    for s in systems:
        lines.append(f"* **{s.name}**: {s.description}")
    lines.append("")
    lines += ["## nDCG@10", "", "| collection | " + " | ".join(names) + " |"]
    lines.append("|---" * (len(names) + 1) + "|")
    primary = str(MEASURES[0])
    for cname, by_system in results.items():
        cells = [f"{by_system[n].scores[primary]:.3f}" for n in names]
        lines.append(f"| {cname} | " + " | ".join(cells) + " |")
    means = [sum(r[n].scores[primary] for r in results.values()) / len(results) for n in names]
    lines.append("| **mean** | " + " | ".join(f"**{m:.3f}**" for m in means) + " |")
    stock = [n for n in names if n in STOCK]
    if "ours" in names and stock:
        lines += ["", "| collection | ours | best stock peer | ours / best |", "|---|---|---|---|"]
        for cname, by_system in results.items():
            peer = max(stock, key=lambda n: by_system[n].scores[primary])
            ours, best = by_system["ours"].scores[primary], by_system[peer].scores[primary]
            ratio = f"{ours / best:.3f}" if best else "-"
            lines.append(f"| {cname} | {ours:.3f} | {best:.3f} ({peer}) | {ratio} |")
    for cname, by_system in results.items():
        lines += [
            "",
            f"## {cname}",
            "",
            "| system | " + " | ".join(map(str, MEASURES)) + " | q/s |",
        ]
        lines.append("|---" * (len(MEASURES) + 2) + "|")
        for n in names:
            o = by_system[n]
            cells = [f"{o.scores[str(m)]:.3f}" for m in MEASURES]
            lines.append(f"| {n} | " + " | ".join(cells) + f" | {o.qps:.0f} |")
    return "\n".join(lines) + "\n"


def apply_settings(pairs: list[str]) -> str:
    """Patch ranking constants for a tuning run; returns them as text for the report."""
    from search import schema
    from search.serve import bm25

    for pair in pairs:
        name, _, text = pair.partition("=")
        value = float(text)
        if name == "TITLE_BOOST":
            schema.TITLE_BOOST = value
        elif name == "B":
            bm25.B.update({f: value for f in bm25.B})
        elif name.startswith("B_"):
            bm25.B[name[2:]] = value
        elif hasattr(bm25, name):
            current = getattr(bm25, name)
            setattr(bm25, name, int(value) if isinstance(current, int) else value)
        else:
            raise SystemExit(f"unknown setting {name!r}")
    return ", ".join(pairs)


# The grid --tune searches: values around the usual defaults of each constant.
TUNE_GRID = {
    "TITLE_BOOST": [2.0, 3.0, 4.0],
    "K1": [1.2, 1.5, 1.8, 2.1],
    "B_body": [0.4, 0.5, 0.6, 0.75],
    "B_title": [0.3, None],  # None: the body's value
    "FEEDBACK_DOCS": [0, 5],
}


def tune(collections: list[Collection]) -> str:
    """nDCG@10 of ours for every combination of TUNE_GRID, then leave-one-collection-
    out: for each collection, the combination with the best mean over the other
    four, and what it scores on the one left out."""
    import itertools

    from search import schema
    from search.serve import bm25

    keys = [k for k in TUNE_GRID if k != "TITLE_BOOST"]
    table: dict[tuple, dict[str, float]] = {}
    saved = (schema.TITLE_BOOST, bm25.K1, dict(bm25.B), bm25.FEEDBACK_DOCS)
    with tempfile.TemporaryDirectory(prefix="relevance-tune-") as tmp:
        for boost in TUNE_GRID["TITLE_BOOST"]:
            schema.TITLE_BOOST = boost
            systems = {}
            for c in collections:
                systems[c.name] = Ours()
                systems[c.name].index(c.docs, Path(tmp) / f"{c.name}-{boost}")
            for values in itertools.product(*(TUNE_GRID[k] for k in keys)):
                config = dict(zip(keys, values, strict=True))
                bm25.K1 = config["K1"]
                bm25.B = {
                    "body": config["B_body"],
                    "title": config["B_title"] or config["B_body"],
                }
                bm25.FEEDBACK_DOCS = config["FEEDBACK_DOCS"]
                key = (("TITLE_BOOST", boost), *config.items())
                table[key] = {}
                for c in collections:
                    system = systems[c.name]
                    system.reopen()
                    runs = {q: system.rank(text) for q, text in c.judged().items()}
                    table[key][c.name] = evaluate(c, runs)[str(MEASURES[0])]
                print(key, " ".join(f"{v:.3f}" for v in table[key].values()), file=sys.stderr)
    schema.TITLE_BOOST, bm25.K1, bm25.B, bm25.FEEDBACK_DOCS = saved
    names = [c.name for c in collections]

    def label(key: tuple) -> str:
        return ", ".join(f"{k}={v}" for k, v in key)

    lines = ["## Leave-one-collection-out tuning (nDCG@10)", ""]
    lines.append(f"{len(table)} combinations of {TUNE_GRID}.")
    lines += held_out(table, names, label)
    best = max(table, key=lambda k: sum(table[k].values()))
    cells = " ".join(f"{n} {table[best][n]:.3f}" for n in names)
    lines += ["", f"Best on all {len(names)}: {label(best)} ({cells})."]
    return "\n".join(lines) + "\n"


def tune_grid(collections: list[Collection], grid: dict[str, list[str]]) -> str:
    """Like ``tune`` for any constants of search.serve.bm25 (``--grid NAME=v1,v2``):
    every combination on one index per collection, then leave-one-collection-out."""
    import itertools

    from search.serve import bm25

    saved = {name: getattr(bm25, name) for name in grid}
    table: dict[tuple, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="relevance-grid-") as tmp:
        systems = {}
        for c in collections:
            systems[c.name] = Ours()
            systems[c.name].index(c.docs, Path(tmp) / c.name)
        for values in itertools.product(*grid.values()):
            pairs = [f"{n}={v}" for n, v in zip(grid, values, strict=True)]
            apply_settings(pairs)
            table[tuple(pairs)] = {}
            for c in collections:
                system = systems[c.name]
                system.reopen()
                runs = {q: system.rank(text) for q, text in c.judged().items()}
                table[tuple(pairs)][c.name] = evaluate(c, runs)[str(MEASURES[0])]
            scores = " ".join(f"{v:.3f}" for v in table[tuple(pairs)].values())
            print(", ".join(pairs), scores, file=sys.stderr)
    for name, value in saved.items():
        setattr(bm25, name, value)
    names = [c.name for c in collections]
    lines = ["## Leave-one-collection-out over a grid (nDCG@10)", ""]
    lines += ["| setting | " + " | ".join(names) + " | mean |"]
    lines.append("|---|" + "---|" * (len(names) + 1))
    for key, row in table.items():
        cells = " | ".join(f"{row[n]:.3f}" for n in names)
        lines.append(f"| {', '.join(key)} | {cells} | {sum(row.values()) / len(row):.3f} |")
    lines += held_out(table, names, ", ".join)
    return "\n".join(lines) + "\n"


def held_out(
    table: dict[tuple, dict[str, float]], names: list[str], label: Callable[[tuple], str]
) -> list[str]:
    """Leave-one-collection-out rows: for each collection, the setting with the
    best sum over the others, and what it scores on the one left out."""
    lines = ["", "| left out | chosen on the other collections | held-out nDCG@10 |"]
    lines.append("|---|---|---|")
    for held in names:
        others = [n for n in names if n != held]
        best = max(table, key=lambda k: sum(table[k][n] for n in others))
        lines.append(f"| {held} | {label(best)} | {table[best][held]:.3f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    default_data = os.environ.get("NEWSEARCH_IR") or str(REPO.parent / "shared" / "bench" / "ir")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=default_data)
    parser.add_argument("--collections", default=",".join(COLLECTIONS))
    parser.add_argument("--systems", default=None, help="comma-separated names (default: all)")
    parser.add_argument("--repeat", type=int, default=1, help="timed passes per system")
    parser.add_argument(
        "--ablations", action="store_true", help="also run ours with each ranking choice undone"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a ranking constant of search.serve.bm25 (or TITLE_BOOST, B, B_<field>) "
        "for tuning runs",
    )
    parser.add_argument(
        "--tune",
        action="store_true",
        help="instead of the comparison: search TUNE_GRID for ours, leaving one collection out",
    )
    parser.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="NAME=V1,V2",
        help="with --tune: search these constants of search.serve.bm25 instead of TUNE_GRID",
    )
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "relevance.md"))
    args = parser.parse_args(argv)
    data = Path(args.data)
    if not data.is_dir():
        print(f"no collections at {data} (set --data or NEWSEARCH_IR)", file=sys.stderr)
        return 2
    settings = apply_settings(args.set)
    if args.tune:
        collections = [READERS[n](data) for n in args.collections.split(",")]
        if args.grid:
            grid = {}
            for spec in args.grid:
                name, _, values = spec.partition("=")
                grid[name] = values.split(",")
            report = tune_grid(collections, grid)
        else:
            report = tune(collections)
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report, encoding="utf-8")
        print(report)
        return 0
    systems = all_systems() + (ablations() if args.ablations else [])
    if args.systems:
        wanted = args.systems.split(",")
        systems = [s for s in systems if s.name in wanted]
    results: dict[str, dict[str, Outcome]] = {}
    for cname in args.collections.split(","):
        c = READERS[cname](data)
        print(f"{cname}: {len(c.docs)} docs, {len(c.judged())} judged queries", file=sys.stderr)
        results[cname] = {}
        for system in systems:
            with tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
                outcome = run_system(system, c, Path(tmp), args.repeat)
            results[cname][system.name] = outcome
            figures = "  ".join(f"{k} {v:.3f}" for k, v in outcome.scores.items())
            print(f"  {system.name:12} {figures}  {outcome.qps:.0f} q/s", file=sys.stderr)
    machine = f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    if settings:
        machine += f"; settings: {settings}"
    report = markdown(results, systems, machine)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
