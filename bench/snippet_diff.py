"""Snippets before and after a change to how they are made: the same query log
over the same index, each hit's snippet (HTML and text) and highlighted title
written down by one checkout, then compared with another's.

A change meant to make snippets cheaper must not change one of them; this
counts the ones that differ (and prints the first few), with the CPU time the
snippets took per hit in each run (CPU time, not wall time: the machine is
shared, and the runs may be minutes apart).

    # in each checkout, on an index and log written by bench/speed.py --keep:
    PYTHONPATH=. python bench/snippet_diff.py dump /tmp/w/newsmix-10000 before.json
    PYTHONPATH=. python bench/snippet_diff.py dump /tmp/w/newsmix-10000 after.json
    python bench/snippet_diff.py compare before.json after.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

# Differences printed in full before only counting the rest.
SHOWN = 5


def dump(work: Path, out: Path) -> None:
    """Every hit's snippet of the log's queries, as ``bench/speed.py`` asks them."""
    from search import Index
    from search.serve import engine

    spent = {"snippets": 0.0, "calls": 0}
    made = engine.snippet

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return made(*args, **kwargs)
        finally:
            spent["snippets"] += time.process_time() - started
            spent["calls"] += 1

    engine.snippet = timed
    queries = json.loads((work / "queries.json").read_text())
    index = Index(work / "ix" / "ours", result_cache=0)
    answers = []
    for q in queries:
        options: dict[str, Any] = {"per_page": 10}
        if q.get("source"):
            options["sources"] = (q["source"],)
        if q.get("sort", "relevance") != "relevance":
            options["sort"] = q["sort"]
        hits = index.search(q["text"], **options).hits
        answers.append(
            {
                "q": q["text"],
                "hits": [[h.id, h.snippet_html, h.snippet_text, h.title_html] for h in hits],
            }
        )
    out.write_text(json.dumps(answers))
    per_hit = spent["snippets"] * 1000 / max(spent["calls"], 1)
    print(f"{len(queries)} queries, {spent['calls']} snippets, {per_hit:.3f} ms CPU a snippet")


def compare(before: Path, after: Path) -> int:
    """The number of hits whose snippet or title differs (the same hits are expected)."""
    a, b = (json.loads(p.read_text()) for p in (before, after))
    if [x["q"] for x in a] != [y["q"] for y in b]:
        sys.exit("the two files answer different query logs")
    differing = compared = other_hits = 0
    for x, y in zip(a, b, strict=True):
        if [h[0] for h in x["hits"]] != [h[0] for h in y["hits"]]:
            other_hits += 1
        for p, q in zip(x["hits"], y["hits"], strict=False):
            compared += 1
            if p[1:] != q[1:]:
                differing += 1
                if differing <= SHOWN:
                    print(f"{x['q']!r} {p[0]}:\n  before {p[1:]}\n  after  {q[1:]}")
    print(f"{differing} of {compared} snippets differ; {other_hits} queries show other hits")
    return differing


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="write this checkout's snippets for a log")
    d.add_argument("work", type=Path, help="a bench/speed.py work folder (queries.json, ix/ours)")
    d.add_argument("out", type=Path)
    c = sub.add_parser("compare", help="count the snippets that differ")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.command == "dump":
        dump(args.work, args.out)
    else:
        sys.exit(1 if compare(args.before, args.after) else 0)


if __name__ == "__main__":
    main()
