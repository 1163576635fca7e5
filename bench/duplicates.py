"""Near-duplicate benchmark: search/duplicates.py on synthetic copies and real repeats.

    .venv/bin/python bench/duplicates.py [--data DIR] [--out FILE.md]

DIR holds bbc2225/ and reuters21578/ (default ../shared/bench/news, or env
NEWSEARCH_NEWS). One run measures, and prints and writes as Markdown:

1. Synthetic syndication on BBC: copies of sampled articles made the way an
   outlet reprints a story (new headline, a middle paragraph trimmed, the last
   paragraph cut, one sentence reworded, house style, dateline and credit line)
   against near-misses (different articles of one category with the highest
   TF-IDF cosine: stories on the same event). Score distributions, and
   precision/recall/F1 of group() over pairs at a range of thresholds.
2. Real repeats: exact shingle Jaccard of all pairs on BBC (an inverted index:
   a sparse product) and, on Reuters, of pairs sharing a rare shingle; what
   group() finds against "exact Jaccard ≥ threshold".
3. datasketch MinHash + MinHashLSH (128 permutations) at the same threshold.
4. Time of sketch + group per 1,000 Reuters bodies, ours against datasketch.
5. The other constants (sketch size, candidate rule, minimum length) swept.

Only the body is sketched, as search/build/sync.py does: a new headline changes
nothing. Shingles here are built exactly as search/duplicates.py builds them
(casefolded \\w+ words, SHINGLE_WORDS per shingle, none under MIN_WORDS), so
"exact" is the quantity the sketches estimate. Predicted pairs are all pairs
inside a group (grouping is transitive), so chaining errors count. Needs the
bench extra (numpy, scipy; datasketch for section 3, skipped without it).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from itertools import combinations
from pathlib import Path

import numpy as np
import scipy.sparse as sp

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from search import duplicates as dup  # noqa: E402

THRESHOLDS = (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8)
SEED = 2225
COPIES = 500  # BBC articles given a syndicated copy
NEAR_MISSES_PER_CATEGORY = 100  # top TF-IDF pairs per BBC category
# Reuters reference: candidate pairs share a shingle found in 2..RARE_DF bodies.
# The BBC check in section 2 shows what this restriction loses against all pairs.
RARE_DF = 50
EXTRACTION_MS_PER_PAGE = 10.0  # trafilatura, bench/results/extraction.md
REFERENCE_MIN_WORDS = 10  # the Reuters reference also covers texts below MIN_WORDS

_WORD = re.compile(r"\w+")
Pair = tuple[str, str]


def load(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [doc for doc in map(json.loads, fh) if doc.get("body")]


def shingle_set(text: str, min_words: int | None = None) -> frozenset[str]:
    words = _WORD.findall(text.casefold())
    if len(words) < (dup.MIN_WORDS if min_words is None else min_words):
        return frozenset()
    n = dup.SHINGLE_WORDS
    return frozenset(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))


def pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def quantiles(values: Sequence[float]) -> list[str]:
    """min, p5, median, p95, max."""
    v = sorted(values)
    pick = lambda q: v[round(q * (len(v) - 1))]  # noqa: E731
    return [f"{pick(q):.3f}" for q in (0, 0.05, 0.5, 0.95, 1)]


@contextlib.contextmanager
def constants(**values: float) -> Iterator[None]:
    """Temporarily set search.duplicates constants (they are read at call time)."""
    saved = {k: getattr(dup, k) for k in values}
    for k, v in values.items():
        setattr(dup, k, v)
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(dup, k, v)


# -- exact reference --------------------------------------------------------


def jaccard_containment(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """Exact resemblance, and the share of the smaller set found in the other."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


class Exact:
    """Exact Jaccard and containment of shingle sets, for all or rare-shingle pairs."""

    def __init__(self, ids: Sequence[str], sets: Sequence[frozenset[str]], rare_df: int | None):
        self.ids, self.sets = list(ids), list(sets)
        self.index = {d: n for n, d in enumerate(self.ids)}
        vocab: dict[str, int] = {}
        indptr, indices = [0], []
        for s in sets:
            indices.extend(vocab.setdefault(x, len(vocab)) for x in s)
            indptr.append(len(indices))
        x = sp.csr_matrix(
            (np.ones(len(indices), np.float32), indices, indptr), shape=(len(sets), len(vocab))
        )
        if rare_df is not None:
            df = np.bincount(np.asarray(indices, dtype=np.int64), minlength=len(vocab))
            x = x[:, np.flatnonzero((df >= 2) & (df <= rare_df))]
        candidates = sp.triu(x @ x.T, 1).tocoo()
        self.candidates = candidates.nnz
        self.pairs: dict[Pair, tuple[float, float]] = {}
        for i, j in zip(candidates.row.tolist(), candidates.col.tolist(), strict=True):
            jac, con = self.measure(i, j)
            if jac >= 0.05 or con >= 0.5:
                self.pairs[pair(self.ids[i], self.ids[j])] = (jac, con)

    def measure(self, i: int, j: int) -> tuple[float, float]:
        return jaccard_containment(self.sets[i], self.sets[j])

    def of(self, p: Pair) -> tuple[float, float]:
        return self.pairs.get(p) or self.measure(self.index[p[0]], self.index[p[1]])

    def at(self, threshold: float) -> set[Pair]:
        return {p for p, (jac, _) in self.pairs.items() if jac >= threshold}


# -- grouping as pairs -------------------------------------------------------


def pairs_of(groups: dict[str, str]) -> set[Pair]:
    members: dict[str, list[str]] = defaultdict(list)
    for doc, g in groups.items():
        members[g].append(doc)
    return {pair(a, b) for ids in members.values() for a, b in combinations(ids, 2)}


def components(edges: set[Pair]) -> set[Pair]:
    """All pairs inside the connected components of ``edges``."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    return pairs_of({x: find(x) for x in parent})


def ours(sketches: list[tuple[str, dup.Sketch]], threshold: float) -> set[Pair]:
    with constants(RESEMBLANCE_THRESHOLD=threshold):
        return pairs_of(dup.group(sketches))


def sketch_all(docs: Sequence[tuple[str, str]]) -> list[tuple[str, dup.Sketch]]:
    return sorted((d, dup.sketch(body)) for d, body in docs)


def prf(found: set[Pair], truth: set[Pair]) -> tuple[int, int, int, float, float, float]:
    tp = len(found & truth)
    p = tp / len(found) if found else 1.0
    r = tp / len(truth) if truth else 1.0
    return tp, len(found) - tp, len(truth) - tp, p, r, 2 * p * r / (p + r) if p + r else 0.0


# -- datasketch peer -----------------------------------------------------------


def datasketch_pairs(
    docs: Sequence[tuple[str, str]], threshold: float
) -> tuple[set[Pair], set[Pair], float, float] | None:
    """(LSH candidate groups, LSH + MinHash.jaccard ≥ threshold groups, s to hash, s to group)."""
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        return None
    start = time.process_time()
    hashes = {}
    for d, body in docs:
        s = shingle_set(body)
        if s:
            m = MinHash(num_perm=128)
            m.update_batch([x.encode("utf-8") for x in s])
            hashes[d] = m
    hashed = time.process_time()
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    for d, m in hashes.items():
        lsh.insert(d, m)
    candidates, verified = set(), set()
    for d, m in hashes.items():
        for other in lsh.query(m):
            if other != d:
                p = pair(d, other)
                candidates.add(p)
                if m.jaccard(hashes[other]) >= threshold:
                    verified.add(p)
    grouped = time.process_time()
    return components(candidates), components(verified), hashed - start, grouped - hashed


# -- synthetic syndication -----------------------------------------------------

_SENTENCE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"']))\s+(?=[A-Z0-9\"(])")
_HOUSE_STYLE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bper cent\b"), "%"),
    (re.compile(r"\b(?:Mr|Mrs|Ms|Dr) (?=[A-Z])"), ""),
    (re.compile(r"(\d)m\b"), r"\1 million"),
    (re.compile(r"(\d)bn\b"), r"\1 billion"),
    (re.compile(r"\bUS\b"), "U.S."),
    (re.compile(r"\bUK\b"), "Britain"),
    (
        re.compile(
            r"\b(organ|recogn|real|critic|apolog|emphas|privat|author|summar|modern|"
            r"mobil|stabil|final|prioritis|character)is(e|ed|es|ing|ation)\b"
        ),
        r"\1iz\2",
    ),
    (re.compile(r"\b(col|fav|lab|hon|behavi|neighb)our"), r"\1or"),
    (re.compile(r"\b(cent|theat|met)re\b"), r"\1er"),
    (re.compile(r"\bprogramme"), "program"),
    (re.compile(r"\bdefence\b"), "defense"),
]
_REWORD = {"said": "stated", "says": "states", "but": "however", "about": "around",
           "will": "would", "more than": "over", "because": "as", "also": "further"}  # fmt: skip
_REWORD_RE = re.compile(r"\b(" + "|".join(_REWORD) + r")\b")


def reword(sentence: str) -> str:
    """Swap the clauses around the first comma and swap a few words for synonyms."""
    head, sep, tail = sentence.partition(", ")
    if sep and len(head.split()) >= 3 and len(tail.split()) >= 3:
        tail = tail.rstrip(".!?")
        first = head[0].lower() + head[1:] if head[1:2].islower() else head
        sentence = f"{tail[0].upper()}{tail[1:]}, {first}."
    return _REWORD_RE.sub(lambda m: _REWORD[m.group(1)], sentence)


def syndicate(doc: dict, *, cut: bool = True, edit: bool = True) -> dict:
    """An outlet's reprint: BBC blocks are re-cut into web paragraphs of a lede
    and then two sentences each; ``cut`` trims one middle paragraph and the
    last; ``edit`` rewords one sentence, applies house style and adds a
    dateline and a credit line. Random choices are seeded by the article id,
    so the variants of one article make the same choices."""
    rng = random.Random(f"{SEED}-{doc['id']}")
    sentences = [s for block in doc["body"].split("\n\n") for s in _SENTENCE.split(block) if s]
    paras = [sentences[:1]] + [sentences[i : i + 2] for i in range(1, len(sentences), 2)]
    middle = rng.randrange(1, len(paras) - 1) if len(paras) >= 4 else None
    if cut and middle is not None:
        del paras[middle]
    if cut and len(paras) >= 3:
        paras.pop()
    spots = [(i, j) for i in range(1, len(paras)) for j in range(len(paras[i]))]
    if edit and spots:
        i, j = spots[rng.randrange(len(spots))]
        paras[i][j] = reword(paras[i][j])
    text = "\n\n".join(" ".join(p) for p in paras)
    if edit:
        for pattern, replacement in _HOUSE_STYLE:
            text = pattern.sub(replacement, text)
        text = f"LONDON (Newswire) - {text}\n\nReporting by Newswire staff; editing by the desk."
    return {"id": doc["id"] + "-copy", "title": "UPDATE 1-" + doc["title"], "body": text}


def tfidf_near_misses(docs: Sequence[dict], per_category: int) -> list[tuple[str, str, float]]:
    """Per category, the pairs of different articles with the highest TF-IDF cosine."""
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for n, doc in enumerate(docs):
        counts: dict[int, int] = defaultdict(int)
        for w in _WORD.findall(doc["body"].casefold()):
            counts[vocab.setdefault(w, len(vocab))] += 1
        rows += [n] * len(counts)
        cols += list(counts)
        vals += [1 + np.log(c) for c in counts.values()]
    x = sp.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)))
    df = np.bincount(np.asarray(cols), minlength=len(vocab))
    x = x @ sp.diags(np.log(len(docs) / df))
    x = sp.diags(1 / np.sqrt(x.multiply(x).sum(1).A.ravel())) @ x
    out = []
    by_category: dict[str, list[int]] = defaultdict(list)
    for n, doc in enumerate(docs):
        by_category[doc["category"]].append(n)
    for members in by_category.values():
        sub = x[members]
        cos = np.triu((sub @ sub.T).toarray(), 1)
        top = np.argsort(cos, axis=None)[::-1][:per_category]
        for i, j in zip(*np.unravel_index(top, cos.shape), strict=True):
            out.append((docs[members[i]]["id"], docs[members[j]]["id"], float(cos[i, j])))
    return out


def dedup_base(docs: Sequence[dict], exact: Exact) -> list[dict]:
    """BBC minus its own versions of one article (same headline, or the shorter
    ≥ 80% inside the longer): one article per version group is kept, so that
    the only copies in section 1 are the ones we make."""
    title = {d["id"]: d["title"].casefold().strip() for d in docs}
    versions = {
        p for p, (_, con) in exact.pairs.items() if con >= 0.8 or title[p[0]] == title[p[1]]
    }
    by_title: dict[str, list[str]] = defaultdict(list)
    for d, t in title.items():
        by_title[t].append(d)
    versions |= {pair(a, b) for ids in by_title.values() for a, b in combinations(ids, 2)}
    dropped = {max(a, b) for a, b in components(versions)}
    return [d for d in docs if d["id"] not in dropped]


class Signs:
    """Signs, independent of the text, that a pair is one story: the same
    headline (a retransmission), or, where articles are dated, dates at most a
    day apart. Two items written from one template (dividend notices, the Fed's
    daily repurchases) carry different headlines and, mostly, dates."""

    def __init__(self, docs: Sequence[dict]):
        self.title = {d["id"]: d["title"].casefold().strip() for d in docs}
        self.day = {d["id"]: dt.date.fromisoformat(d["date"][:10]) for d in docs if d.get("date")}
        self.dated = bool(self.day)
        self.legend = "same headline / ≤ 1 day apart" if self.dated else "same headline"

    def of(self, pairs: set[Pair]) -> str:
        if not pairs:
            return "–"
        head = sum(1 for a, b in pairs if self.title[a] == self.title[b]) / len(pairs)
        if not self.dated:
            return f"{head:.2f}"
        near = sum(
            1
            for a, b in pairs
            if a in self.day and b in self.day and abs((self.day[a] - self.day[b]).days) <= 1
        )
        return f"{head:.2f} / {near / len(pairs):.2f}"


# -- report ------------------------------------------------------------------


class Report:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def heading(self, text: str) -> None:
        self.lines += ["", f"## {text}", ""]
        print(f"\n== {text}")

    def note(self, text: str) -> None:
        self.lines += [text, ""]
        print(text)

    def table(self, head: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        cells = [[str(c) for c in r] for r in rows]
        self.lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        self.lines += ["| " + " | ".join(r) + " |" for r in cells]
        self.lines.append("")
        widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(head)]
        print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
        for r in cells:
            print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best of ``repeat`` CPU times of this process: the machine is shared, and
    waiting for a core is not a cost of the code."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def f3(x: float) -> str:
    return f"{x:.3f}"


def synthetic(report: Report, bbc: list[dict], exact_bbc: Exact, chosen: float) -> None:
    rng = random.Random(SEED)
    base = dedup_base(bbc, exact_bbc)
    originals = rng.sample(base, COPIES)
    copies = [syndicate(d) for d in originals]
    truth = {pair(d["id"], c["id"]) for d, c in zip(originals, copies, strict=True)}
    near = tfidf_near_misses(base, NEAR_MISSES_PER_CATEGORY)
    docs = [(d["id"], d["body"]) for d in base + copies]
    sketches = sketch_all(docs)
    sk = dict(sketches)
    body = dict(docs)
    report.heading("1. Synthetic syndication on BBC")
    report.note(
        f"{len(bbc) - len(base)} BBC articles dropped as versions of another (same headline or"
        f" ≥ 80% contained); {COPIES} of the other {len(base)} given a copy (seed {SEED});"
        f" near-misses: top {NEAR_MISSES_PER_CATEGORY} TF-IDF cosine pairs per category"
        f" ({len(near)} pairs, cosine {min(c for *_, c in near):.2f}–"
        f"{max(c for *_, c in near):.2f}). group() runs on all {len(docs)} bodies."
    )
    copy_est = [dup.resemblance(sk[a], sk[b]) for a, b in truth]
    near_est = [dup.resemblance(sk[a], sk[b]) for a, b, _ in near]
    exact = lambda a, b: jaccard_containment(shingle_set(body[a]), shingle_set(body[b]))  # noqa: E731
    copy_ex = [exact(a, b) for a, b in truth]
    near_ex = [exact(a, b) for a, b, _ in near]
    report.table(
        ["pairs", "n", "min", "p5", "median", "p95", "max"],
        [
            ["copies, resemblance()", len(truth), *quantiles(copy_est)],
            ["copies, exact Jaccard", len(truth), *quantiles([j for j, _ in copy_ex])],
            ["near-misses, resemblance()", len(near), *quantiles(near_est)],
            ["near-misses, exact Jaccard", len(near), *quantiles([j for j, _ in near_ex])],
            ["copies, exact containment", len(truth), *quantiles([c for _, c in copy_ex])],
            ["near-misses, exact containment", len(near), *quantiles([c for _, c in near_ex])],
        ],
    )
    rows = []
    for label, options in (("cut only", {"edit": False}), ("edits only", {"cut": False})):
        jac = [
            jaccard_containment(
                shingle_set(d["body"]), shingle_set(syndicate(d, **options)["body"])
            )[0]
            for d in originals
        ]
        at = sum(1 for j in jac if j >= chosen) / len(jac)
        rows.append([label, len(jac), *quantiles(jac), f3(at)])
    at = sum(1 for j, _ in copy_ex if j >= chosen) / len(copy_ex)
    rows.append(
        ["both (the copies above)", len(copy_ex), *quantiles([j for j, _ in copy_ex]), f3(at)]
    )
    report.note(
        "Exact Jaccard of the copies by what the outlet did (cut: a middle and the last"
        " paragraph; edits: one sentence reworded, house style, dateline, credit line):"
    )
    report.table(["copies", "n", "min", "p5", "median", "p95", "max", f"share ≥ {chosen}"], rows)
    near_pairs = {pair(a, b) for a, b, _ in near}
    rows = []
    for t in sorted({*THRESHOLDS, chosen}):
        found = ours(sketches, t)
        tp, fp, fn, p, r, f = prf(found, truth)
        mark = " ← chosen" if t == chosen else ""
        rows.append([f"{t:.2f}{mark}", tp, fp, len(found & near_pairs), fn, f3(p), f3(r), f3(f)])
    report.table(["threshold", "TP", "FP", "FP near-miss", "FN", "precision", "recall", "F1"], rows)
    peer = datasketch_pairs(docs, chosen)
    if peer:
        rows = []
        for name, found in (
            ("ours", ours(sketches, chosen)),
            ("datasketch LSH candidates", peer[0]),
            ("datasketch LSH + jaccard ≥ t", peer[1]),
        ):
            tp, fp, fn, p, r, f = prf(found, truth)
            rows.append([name, tp, fp, fn, f3(p), f3(r), f3(f)])
        report.note(f"At the chosen threshold {chosen}, against datasketch (128 permutations):")
        report.table(["method", "TP", "FP", "FN", "precision", "recall", "F1"], rows)


def real(
    report: Report,
    name: str,
    docs: Sequence[tuple[str, str]],
    exact: Exact,
    long_ids: set[str],
    signs: Signs,
    chosen: float,
) -> None:
    """Sweep the threshold against exact Jaccard; datasketch at ``chosen``."""
    sketches = sketch_all(docs)

    def reference(t: float, found: set[Pair]) -> set[Pair]:
        known = {p for p in exact.at(t) if p[0] in long_ids and p[1] in long_ids}
        return known | {p for p in found if exact.of(p)[0] >= t}

    rows = []
    higher: set[Pair] = set()
    for t in sorted({*THRESHOLDS, chosen}, reverse=True):
        with constants(RESEMBLANCE_THRESHOLD=t):
            groups = dup.group(sketches)
        found = pairs_of(groups)
        ref = reference(t, found)
        tp, fp, fn, p, r, f = prf(found, ref)
        clear = sum(1 for q in found if exact.of(q)[0] < t - 0.1)
        added = found - higher
        higher = found
        mark = " ← chosen" if t == chosen else ""
        rows.append(
            [f"{t:.2f}{mark}", len(ref), len(found), tp, clear, f3(p), f3(r), f3(f),
             signs.of(found), f"{len(added)}: {signs.of(added)}",
             max(Counter(groups.values()).values(), default=0)]
        )  # fmt: skip
    long_here = sum(1 for d, _ in docs if d in long_ids)
    report.note(f"**{name}** ({len(docs)} bodies, {long_here} of ≥ {dup.MIN_WORDS} words):")
    report.table(
        ["threshold", "exact pairs ≥ t", "grouped pairs", "both", "grouped, J < t−0.1",
         "precision", "recall", "F1", f"same story? ({signs.legend})",
         "added vs next t up",
         "largest group"],
        rows[::-1],
    )  # fmt: skip
    found = ours(sketches, chosen)
    ref = reference(chosen, found)
    trimmed = {
        p
        for p, (jac, con) in exact.pairs.items()
        if con >= 0.9 and jac < chosen and p[0] in long_ids and p[1] in long_ids
    }
    report.note(
        f"Pairs where one text is ≥ 90% inside the other but exact Jaccard < {chosen}"
        f" (a copy cut to under about half): {len(trimmed)}, of which grouped:"
        f" {len(trimmed & found)}."
    )
    peer = datasketch_pairs(docs, chosen)
    if peer is None:
        report.note("datasketch not installed: `.venv/bin/pip install datasketch`.")
        return
    rows = []
    for label, got in (
        ("ours", found),
        ("datasketch LSH candidates", peer[0]),
        ("datasketch LSH + jaccard ≥ t", peer[1]),
    ):
        tp, fp, fn, p, r, f = prf(got, ref | {q for q in got if exact.of(q)[0] >= chosen})
        rows.append([label, len(got), tp, fp, fn, f3(p), f3(r), f3(f)])
    report.table(["method", "grouped pairs", "TP", "FP", "FN", "precision", "recall", "F1"], rows)


def timing(report: Report, docs: Sequence[tuple[str, str]], chosen: float) -> None:
    per_k = 1000 / len(docs)
    sketches: list[tuple[str, dup.Sketch]] = []

    def do_sketch() -> None:
        sketches[:] = sketch_all(docs)

    sketch_s = timed(do_sketch)
    with constants(RESEMBLANCE_THRESHOLD=chosen):
        group_s = timed(lambda: dup.group(sketches))
    rows = [
        ["ours: sketch()", f"{sketch_s * per_k * 1000:.0f}", ""],
        ["ours: group()", f"{group_s * per_k * 1000:.0f}", ""],
        ["ours: total", f"{(sketch_s + group_s) * per_k * 1000:.0f}", "1.0"],
    ]
    runs = [datasketch_pairs(docs, chosen) for _ in range(3)]
    if all(runs):
        hash_s = min(run[2] for run in runs if run)
        lsh_s = min(run[3] for run in runs if run)
        rows += [
            ["datasketch: MinHash (128 perms)", f"{hash_s * per_k * 1000:.0f}", ""],
            ["datasketch: LSH + verify", f"{lsh_s * per_k * 1000:.0f}", ""],
            [
                "datasketch: total",
                f"{(hash_s + lsh_s) * per_k * 1000:.0f}",
                f"{(hash_s + lsh_s) / (sketch_s + group_s):.1f}",
            ],
        ]
    share = (sketch_s + group_s) * per_k * 1000 / (EXTRACTION_MS_PER_PAGE * 10)
    report.heading("4. Time per 1,000 documents (Reuters bodies)")
    report.note(
        f"{len(docs)} bodies, CPU time of one process, best of 3 runs;"
        f" extraction costs about {EXTRACTION_MS_PER_PAGE * 1000:.0f} ms per 1,000 pages, so"
        f" ours is {share:.1f}% of it."
    )
    report.table(["step", "ms / 1,000 docs", "× ours"], rows)


def estimate_errors(exacts: Sequence[Exact], sketches: dict[str, dup.Sketch]) -> list[str]:
    """Mean, p95 and max |resemblance() − exact Jaccard| over pairs with exact ≥ 0.2."""
    errors = sorted(
        abs(dup.resemblance(sketches[a], sketches[b]) - jac)
        for exact in exacts
        for (a, b), (jac, _) in exact.pairs.items()
        if jac >= 0.2 and sketches.get(a) and sketches.get(b)
    )
    p95 = errors[int(0.95 * (len(errors) - 1))]
    return [f3(statistics.fmean(errors)), f3(p95), f3(errors[-1]), str(len(errors))]


def sweep_constants(
    report: Report,
    corpora: dict[str, tuple[list[tuple[str, str]], Exact, set[str]]],
    chosen: float,
    reuters_words: dict[str, int],
    signs: Signs,
) -> None:
    report.heading("5. The other constants")

    def recall_precision(name: str, sketches: list[tuple[str, dup.Sketch]]) -> str:
        _, exact, long_ids = corpora[name]
        found = ours(sketches, chosen)
        ref = {p for p in exact.at(chosen) if p[0] in long_ids and p[1] in long_ids}
        ref |= {p for p in found if exact.of(p)[0] >= chosen}
        _, _, _, p, r, _ = prf(found, ref)
        return f"{f3(p)} / {f3(r)}"

    rows = []
    reuters_docs = corpora["Reuters"][0]
    per_k = 1000 / len(reuters_docs)
    for k in (64, 128, 256):
        with constants(SKETCH_SIZE=k):
            start = time.process_time()
            sk_r = sketch_all(reuters_docs)
            with constants(RESEMBLANCE_THRESHOLD=chosen):
                dup.group(sk_r)
            ms = (time.process_time() - start) * per_k * 1000
            sk = dict(sk_r) | dict(sketch_all(corpora["BBC"][0]))
            err = estimate_errors([c[1] for c in corpora.values()], sk)
            sd = (chosen * (1 - chosen) / k) ** 0.5
            rows.append([k, err, f"{sd:.3f}", recall_precision("Reuters", sk_r), f"{ms:.0f}"])
    report.note(
        "Sketch size: error = abs(estimate − exact Jaccard) over reference pairs with exact"
        " ≥ 0.2 (BBC and Reuters), the binomial sd at the threshold, Reuters precision / recall"
        " at the threshold, sketch+group time (one run):"
    )
    report.table(
        ["SKETCH_SIZE", "mean error", "p95 error", "max error", "pairs", "sd at t",
         "Reuters P / R", "ms / 1,000"],
        [[r[0], *r[1], *r[2:]] for r in rows],
    )  # fmt: skip

    sketches = {name: sketch_all(c[0]) for name, c in corpora.items()}
    rows = []
    real_resemblance = dup.resemblance
    for hashes, matches, max_bucket in (
        (12, 1, 64),
        (12, 2, 64),
        (16, 2, 64),
        (24, 2, 64),
        (16, 3, 64),
        (16, 2, 16),
        (16, 2, 256),
    ):
        settings = dict(BUCKET_HASHES=hashes, BUCKET_MATCHES=matches, MAX_BUCKET=max_bucket)
        calls = 0

        def counting(a: dup.Sketch, b: dup.Sketch) -> float:
            nonlocal calls
            calls += 1
            return real_resemblance(a, b)

        with constants(**settings, resemblance=counting):
            result = [recall_precision(n, sketches[n]) for n in ("BBC", "Reuters")]
        with constants(**settings, RESEMBLANCE_THRESHOLD=chosen):
            seconds = timed(lambda: dup.group(sketches["Reuters"]))
        current = (hashes, matches, max_bucket) == (
            dup.BUCKET_HASHES,
            dup.BUCKET_MATCHES,
            dup.MAX_BUCKET,
        )
        rows.append(
            [f"{hashes} / {matches} / {max_bucket}" + (" ← current" if current else ""),
             calls, *result, f"{seconds * per_k * 1000:.0f}"]
        )  # fmt: skip
    report.note(
        "Candidate rule: pairs sharing ≥ BUCKET_MATCHES of their BUCKET_HASHES smallest hashes,"
        " buckets over MAX_BUCKET skipped. resemblance() calls on BBC + Reuters; precision /"
        " recall against exact Jaccard at the threshold; Reuters group() time (best of 3):"
    )
    report.table(
        ["hashes / matches / max bucket", "resemblance() calls", "BBC P / R", "Reuters P / R",
         "group ms / 1,000"],
        rows,
    )  # fmt: skip

    exact = corpora["Reuters"][1]
    bands = ((REFERENCE_MIN_WORDS, 20), (20, 40), (40, 80), (80, 160), (160, 10**9))
    rows = []
    for lo, hi in bands:
        got = {
            p for p in exact.at(chosen) if lo <= min(reuters_words[p[0]], reuters_words[p[1]]) < hi
        }
        label = f"{lo}–{hi - 1}" if hi < 10**9 else f"{lo}+"
        rows.append([label, len(got), signs.of(got)])
    report.note(
        f"Minimum length: Reuters pairs with exact Jaccard ≥ {chosen} by the shorter body's"
        " word count, and the signs that they are one story (not two items from one template):"
    )
    report.table(["shorter body, words", "pairs", signs.legend], rows)


def main(argv: list[str] | None = None) -> int:
    default = os.environ.get("NEWSEARCH_NEWS") or str(REPO.parent / "shared" / "bench" / "news")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=default, help="folder with bbc2225/, reuters21578/")
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "duplicates.md"))
    args = parser.parse_args(argv)
    data = Path(args.data)
    paths = {
        "BBC": data / "bbc2225" / "bbc2225.jsonl.gz",
        "Reuters": data / "reuters21578" / "reuters21578.jsonl.gz",
    }
    if not all(p.is_file() for p in paths.values()):
        print(f"no news corpora under {data} (set --data or NEWSEARCH_NEWS)", file=sys.stderr)
        return 2
    chosen = dup.RESEMBLANCE_THRESHOLD
    report = Report()
    bbc, reuters = load(paths["BBC"]), load(paths["Reuters"])
    bbc_docs = [(d["id"], d["body"]) for d in bbc]
    reuters_docs = [(d["id"], d["body"]) for d in reuters]
    exact_bbc = Exact([d for d, _ in bbc_docs], [shingle_set(b) for _, b in bbc_docs], None)
    synthetic(report, bbc, exact_bbc, chosen)

    report.heading("2. Real repeats against exact Jaccard (3. with datasketch)")
    rare_bbc = Exact(exact_bbc.ids, exact_bbc.sets, RARE_DF)
    lost = exact_bbc.at(0.2) - rare_bbc.at(0.2)
    exact_reuters = Exact(
        [d for d, _ in reuters_docs],
        [shingle_set(b, REFERENCE_MIN_WORDS) for _, b in reuters_docs],
        RARE_DF,
    )
    report.note(
        f"BBC: all {exact_bbc.candidates} pairs sharing a shingle. Reuters: the"
        f" {exact_reuters.candidates} pairs sharing a shingle found in 2–{RARE_DF} bodies;"
        f" on BBC that restriction loses {len(lost)} of {len(exact_bbc.at(0.2))} pairs with"
        " Jaccard ≥ 0.2. Precision counts a grouped pair right when its exact Jaccard"
        " reaches the threshold; such pairs join the reference even when outside it."
    )
    words = {d: len(_WORD.findall(b)) for d, b in reuters_docs}
    words |= {d: len(_WORD.findall(b)) for d, b in bbc_docs}
    long_ids = {d for d, n in words.items() if n >= dup.MIN_WORDS}
    corpora = {
        "BBC": (bbc_docs, exact_bbc, long_ids),
        "Reuters": (reuters_docs, exact_reuters, long_ids),
    }
    signs = {"BBC": Signs(bbc), "Reuters": Signs(reuters)}
    for name, (docs, exact, long_ids) in corpora.items():
        real(report, name, docs, exact, long_ids, signs[name], chosen)
    timing(report, reuters_docs, chosen)
    sweep_constants(report, corpora, chosen, words, signs["Reuters"])

    try:
        from importlib.metadata import version

        peer = f"datasketch {version('datasketch')}"
    except Exception:
        peer = "datasketch not installed"
    now = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    machine = f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    head = [
        "# Near-duplicate benchmark",
        "",
        f"- date: {now}",
        f"- machine: {machine}",
        f"- data: {paths['BBC']} ({len(bbc)} bodies), {paths['Reuters']} ({len(reuters)} bodies)",
        f"- constants: SHINGLE_WORDS {dup.SHINGLE_WORDS}, SKETCH_SIZE {dup.SKETCH_SIZE},"
        f" BUCKET_HASHES {dup.BUCKET_HASHES}, BUCKET_MATCHES {dup.BUCKET_MATCHES},"
        f" MIN_WORDS {dup.MIN_WORDS}, MAX_BUCKET {dup.MAX_BUCKET},"
        f" RESEMBLANCE_THRESHOLD {dup.RESEMBLANCE_THRESHOLD}",
        f"- peer: {peer}",
    ]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(head + report.lines), encoding="utf-8")
    print(f"written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
