"""Judged news queries over the default corpus: what readers type, not IR test
queries - reporters' names, misspellings, queries only partly matched, phrases
and date ranges.

    .venv/bin/python bench/news_queries.py [--before DIR] [--corpus DIR] [--out FILE.md]

Systems, in one run:
- ``ours``: this checkout's ``Index.search`` (the page's and the API's path),
  every copy of a syndicated story listed (``collapse=False``), corrected
  results when the library shows them.
- ``before``: the same, with the code of another checkout (``--before DIR``,
  e.g. ``git worktree add /tmp/before c3a40df``), run in a subprocess.
- ``whoosh-stem``: stock Whoosh (StemmingAnalyzer, OR group, default parser,
  so phrases work) over each file's whole text as found (HTML tags stripped,
  page furniture kept), one field; it cannot filter by date, so a date-range
  query gets its words only.

Judgements are graded (2: the article is what the query asks for; 1: it
touches it) and written below by hand. s9-s13 (a misspelt word carrying the
query alone) were added after a first run showed that, with so few articles,
the other words of s1-s8 find the story without the misspelt one.
Metric: nDCG@10 (gain 2^g - 1, log2 discount), per category and overall.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# A subprocess measuring another checkout sets NEWSEARCH_CODE to it.
sys.path.insert(0, os.environ.get("NEWSEARCH_CODE", str(REPO)))

HG = "harbour-gazette/"
VC = "valley-courier/"
NBC_MOSUL = "NBC-News/000_6a0f0449fe7305ca.txt"
NBC_MESSAGE = "NBC-News/004_27ef5e2fc35f2c32.txt"
ROVERS = HG + "rovers-win-provincial-cup.html"
FERRY = HG + "ferry-website-defaced.html"
MUSEUM = HG + "maritime-museum-reopens.html"
DREDGING = HG + "inner-harbour-dredging-september.html"
HOTTEST = HG + "hottest-june-night-heat-warning.html"
BUDGET = HG + "council-budget-tax-increase.html"
VOTER_ID = HG + "voter-id-law-struck-down.html"
COURT = VC + "court-throws-out-photo-id-rule.txt"
CLERKS = VC + "clerks-reprint-by-election-guides.txt"
COOLING = VC + "cooling-centres-stay-open-late.txt"
FROST = VC + "late-frost-apricot-crop.txt"
LEVY = VC + "ashford-vale-library-levy.txt"
ROBOTICS = VC + "robotics-team-heads-to-nationals.txt"
FERNLIGHT = VC + "fernlight-raises-12-million.txt"

# (id, category, query, options, {path: grade})
QUERIES: list[tuple[str, str, str, dict, dict[str, int]]] = [
    ("n1", "names", "jose alvarez", {}, {ROVERS: 2}),
    ("n2", "names", "Okafor", {}, {FERRY: 2}),
    ("n3", "names", "zoe ferrandez", {}, {MUSEUM: 2}),
    ("n4", "names", "Renee Cote", {}, {COOLING: 2, FERNLIGHT: 2}),
    ("n5", "names", "priya ramaswamy", {}, {HOTTEST: 2, BUDGET: 2}),
    ("n6", "names", "hannah lindqvist", {}, {FROST: 2, CLERKS: 2}),
    ("n7", "names", "Marguerite Osei", {}, {VOTER_ID: 2}),
    ("n8", "names", "whitcombe dredging", {}, {DREDGING: 2}),
    ("n9", "names", "valley courier heat", {}, {COOLING: 2, HOTTEST: 1}),
    ("n10", "names", "owen pritchard robotics", {}, {ROBOTICS: 2, LEVY: 1}),
    ("s1", "misspellings", "harbr dredging", {}, {DREDGING: 2}),
    ("s2", "misspellings", "baghdadi mosel", {}, {NBC_MOSUL: 2, NBC_MESSAGE: 1}),
    ("s3", "misspellings", "aprocot frost", {}, {FROST: 2}),
    ("s4", "misspellings", "libary levy", {}, {LEVY: 2}),
    ("s5", "misspellings", "robotcs team nationals", {}, {ROBOTICS: 2}),
    ("s6", "misspellings", "maritme museum", {}, {MUSEUM: 2}),
    ("s7", "misspellings", "voter id rulng", {}, {VOTER_ID: 2, COURT: 2, CLERKS: 1}),
    ("s8", "misspellings", "fernlite sensors", {}, {FERNLIGHT: 2}),
    ("s9", "misspellings", "harbr", {}, {DREDGING: 2, MUSEUM: 1}),
    ("s10", "misspellings", "aprocot", {}, {FROST: 2}),
    ("s11", "misspellings", "lighthose lens", {}, {MUSEUM: 2}),
    ("s12", "misspellings", "Okafr", {}, {FERRY: 2}),
    ("s13", "misspellings", "defaced websit", {}, {FERRY: 2}),
    ("p1", "partial", "zzqxv lighthouse octopus", {}, {MUSEUM: 1}),
    ("p2", "partial", "heat warning cooling centres", {}, {COOLING: 2, HOTTEST: 1}),
    ("p3", "partial", "hackers ferry website ransom bitcoin", {}, {FERRY: 2}),
    ("p4", "partial", "council budget tax increase pothole", {}, {BUDGET: 2, LEVY: 1}),
    ("p5", "partial", "apricot growers insurance payout", {}, {FROST: 2}),
    ("p6", "partial", "penalty shootout final stadium", {}, {ROVERS: 2}),
    ("f1", "phrases", '"heat warning"', {}, {HOTTEST: 2, COOLING: 2}),
    ("f2", "phrases", '"photo identification"', {}, {VOTER_ID: 2, COURT: 2, CLERKS: 1}),
    ("f3", "phrases", '"provincial cup"', {}, {ROVERS: 2}),
    ("f4", "phrases", '"inner harbour" dredging', {}, {DREDGING: 2}),
    ("d1", "dates", "heat", {"date_from": "2024-06-01", "date_to": "2024-06-30"},
     {HOTTEST: 2, COOLING: 2}),
    ("d2", "dates", "court ruling", {"date_from": "2025-01-01", "date_to": "2025-01-31"},
     {VOTER_ID: 2, COURT: 2, CLERKS: 1}),
    ("d3", "dates", "harbour", {"date_from": "2024-06-01", "date_to": "2024-06-30"},
     {DREDGING: 2, HOTTEST: 1}),
    ("d4", "dates", "valley", {"date_from": "2025-01-01", "date_to": "2025-12-31"},
     {CLERKS: 2, ROBOTICS: 2, FERNLIGHT: 2}),
]  # fmt: skip
DEPTH = 10


def ndcg(ranking: list[str], judged: dict[str, int], k: int = DEPTH) -> float:
    gains = [2 ** judged.get(p, 0) - 1 for p in ranking[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted((2**g - 1 for g in judged.values()), reverse=True)[:k]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def rank_ours(corpus: Path) -> dict[str, list[str]]:
    """Rankings of the code on sys.path (this checkout, or NEWSEARCH_CODE)."""
    from search import open_index, rebuild

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        rebuild(corpus, Path(tmp) / "index")
        with open_index(Path(tmp) / "index") as ix:
            for qid, _, text, options, _ in QUERIES:
                dated = {k: date.fromisoformat(v) for k, v in options.items()}
                results = ix.search(text, per_page=DEPTH, collapse=False, **dated)
                out[qid] = [h.path for h in results.hits]
    return out


def rank_before(code: Path, corpus: Path) -> dict[str, list[str]]:
    env = {**os.environ, "NEWSEARCH_CODE": str(code), "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, __file__, "--emit", "--corpus", str(corpus)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=code,
    )
    return json.loads(done.stdout)


def rank_whoosh(corpus: Path) -> dict[str, list[str]]:
    from bs4 import BeautifulSoup
    from whoosh import index as whoosh_index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import OrGroup, QueryParser

    schema = Schema(path=ID(stored=True), content=TEXT(analyzer=StemmingAnalyzer()))
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        ix = whoosh_index.create_in(tmp, schema)
        with ix.writer() as writer:
            for path in sorted(corpus.rglob("*")):
                if path.suffix not in (".html", ".htm", ".txt") or path.name == "README.md":
                    continue
                raw = path.read_bytes()
                if path.suffix == ".txt":
                    text = raw.decode("utf-8", errors="replace")
                else:
                    text = BeautifulSoup(raw, "lxml").get_text(" ")
                writer.add_document(path=path.relative_to(corpus).as_posix(), content=text)
        parser = QueryParser("content", schema, group=OrGroup)
        with ix.searcher() as searcher:
            for qid, _, text, _, _ in QUERIES:
                hits = searcher.search(parser.parse(text), limit=DEPTH)
                out[qid] = [h["path"] for h in hits]
    return out


def table(runs: dict[str, dict[str, list[str]]]) -> list[str]:
    categories = list(dict.fromkeys(c for _, c, _, _, _ in QUERIES))
    names = list(runs)
    lines = [
        f"| queries | n | {' | '.join(names)} |",
        "|---|---:|" + "---:|" * len(names),
    ]
    for cat in [*categories, "all"]:
        chosen = [q for q in QUERIES if cat in ("all", q[1])]
        cells = []
        for name in names:
            scores = [ndcg(runs[name].get(q[0], []), q[4]) for q in chosen]
            cells.append(f"{sum(scores) / len(scores):.3f}")
        label = f"**{cat}**" if cat == "all" else cat
        lines.append(f"| {label} | {len(chosen)} | {' | '.join(cells)} |")
    return lines


def per_query(runs: dict[str, dict[str, list[str]]]) -> list[str]:
    names = list(runs)
    lines = [f"| id | query | {' | '.join(names)} |", "|---|---|" + "---:|" * len(names)]
    for qid, _, text, options, judged in QUERIES:
        shown = text + (f" ({options['date_from']}..{options['date_to']})" if options else "")
        cells = [f"{ndcg(runs[n].get(qid, []), judged):.2f}" for n in names]
        lines.append(f"| {qid} | `{shown}` | {' | '.join(cells)} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=str(REPO / "corpus"))
    ap.add_argument("--before", help="a checkout of the code to compare with")
    ap.add_argument("--emit", action="store_true", help="print this code's rankings as JSON")
    ap.add_argument("--out", help="also write the tables (Markdown) here")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus).resolve()
    if args.emit:
        print(json.dumps(rank_ours(corpus)))
        return 0
    runs: dict[str, dict[str, list[str]]] = {}
    if args.before:
        runs["before"] = rank_before(Path(args.before).resolve(), corpus)
    runs["ours"] = rank_ours(corpus)
    runs["whoosh-stem"] = rank_whoosh(corpus)
    lines = [
        f"nDCG@{DEPTH} on {len(QUERIES)} judged news queries over {corpus.name}/",
        "",
        *table(runs),
        "",
        *per_query(runs),
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
