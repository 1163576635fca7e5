"""Related coverage: how similar must an article be to be worth listing?

    .venv/bin/python bench/related.py [--data DIR] [--docs 4000] [--sample 400]

Builds an index of Reuters-21578 stories with topic codes (and of the BBC
articles) through the product's own rebuild, asks ``related`` for each of a
sample of articles with no similarity threshold, and tabulates, for each
threshold, the share of listed related articles that share a topic code with
the article (Reuters; the BBC's five categories are a coarse check), how many
articles get at least one, and how many are listed on average.
``search/serve/related.py: MIN_SIMILARITY`` is chosen on Reuters by the rule
"the lowest threshold at which 85% of listed articles share a topic"; BBC
is reported beside it, never used to choose.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from search import open_index, rebuild  # noqa: E402
from search.document import doc_id  # noqa: E402
from search.serve import related  # noqa: E402

THRESHOLDS = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4]
# Topic codes are incomplete (two stories on one merger often carry different
# codes), so even identical-event pairs miss a shared code now and then: 85%,
# not 90% (which gives 0.30 here and drops same-event pairs of the default
# corpus at 0.27-0.30; a judgement, stated here rather than hidden).
TARGET_PRECISION = 0.85


def load(path: Path, docs: int, labels) -> list[tuple[str, str, str, frozenset[str]]]:
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            label = labels(rec)
            if not label or not rec.get("body") or len(rec["body"]) < 300:
                continue
            out.append((rec["id"], rec["title"] or "", rec["body"], label))
            if len(out) == docs:
                break
    return out


def measure(records, work: Path, sample: int, seed: int) -> list[tuple[float, bool, str]]:
    corpus = work / "corpus" / "wire"
    corpus.mkdir(parents=True)
    label_of = {}
    for rid, title, body, label in records:
        path = f"wire/{rid}.txt"
        (corpus / f"{rid}.txt").write_text(f"{title.strip()}\n\n{body}\n", encoding="utf-8")
        label_of[doc_id(path)] = label
    rebuild(work / "corpus", work / "index")
    pairs = []
    ids = sorted(label_of)
    random.Random(seed).shuffle(ids)
    with open_index(work / "index") as ix:
        searcher = ix._searcher()
        for article_id in ids[:sample]:
            for ref, sim in related.scored_related(searcher, article_id, related.LIMIT, 0.0):
                shared = bool(label_of[article_id] & label_of.get(ref.id, frozenset()))
                pairs.append((sim, shared, article_id))
    return pairs


def table(name: str, pairs, sample: int) -> list[str]:
    lines = [
        f"\n{name}: {sample} articles, related listed at each threshold",
        "| min similarity | listed per article | articles with any | share sharing a label |",
        "|---:|---:|---:|---:|",
    ]
    for t in THRESHOLDS:
        kept = [(s, ok, a) for s, ok, a in pairs if s >= t]
        share = sum(ok for _, ok, _ in kept) / len(kept) if kept else float("nan")
        with_any = len({a for _, _, a in kept}) / sample
        lines.append(f"| {t:.2f} | {len(kept) / sample:.2f} | {with_any:.0%} | {share:.1%} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    shared = Path(os.environ.get("NEWSEARCH_SHARED", REPO.parent / "shared"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(shared / "bench" / "news"))
    ap.add_argument("--docs", type=int, default=4000)
    ap.add_argument("--sample", type=int, default=400)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    data = Path(args.data)
    sets = {
        "Reuters-21578 (topic codes; chooses MIN_SIMILARITY)": (
            data / "reuters21578" / "reuters21578.jsonl.gz",
            lambda r: frozenset(r.get("topics") or ()),
        ),
        "BBC (five categories; reported only)": (
            data / "bbc2225" / "bbc2225.jsonl.gz",
            lambda r: frozenset([r["id"].split("-")[1]]),
        ),
    }
    out = [f"current MIN_SIMILARITY = {related.MIN_SIMILARITY}"]
    for name, (path, labels) in sets.items():
        records = load(path, args.docs, labels)
        with tempfile.TemporaryDirectory() as tmp:
            pairs = measure(records, Path(tmp), args.sample, args.seed)
        out += table(name, pairs, args.sample)
        if name.startswith("Reuters"):
            chosen = next(
                (
                    t
                    for t in THRESHOLDS
                    if (k := [ok for s, ok, _ in pairs if s >= t])
                    and sum(k) / len(k) >= TARGET_PRECISION
                ),
                None,
            )
            out.append(f"\nlowest threshold with >= {TARGET_PRECISION:.0%} sharing: {chosen}")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
