"""Article-body extraction benchmark: our HTML path against trafilatura and naive baselines.

Runs every extractor over the 181 pages of the Scrapinghub article-extraction
benchmark and scores the bodies against the ground truth with the shingle
metric below, printing one table and writing it as Markdown.

    .venv/bin/python bench/extraction.py [--data DIR] [--out FILE.md] [--limit N]

Metric: tokens are ``re.findall(r"\\w+", text)``; a text's shingles are its
overlapping 4-token tuples as a multiset (a 1-3 token text is one short
shingle, an empty text has none). Per page, TP = Σ min(truth, predicted), FP
and FN the excesses. Precision is the mean of TP/(TP+FP) over pages with a
non-empty prediction, recall the mean of TP/(TP+FN) over pages with a
non-empty truth, F1 = 2PR/(P+R) from those means. "even"/"odd" are F1 on the
two halves of the pages sorted by id, to check that a change helps both.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import os
import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from search.extract.decoding import decode  # noqa: E402
from search.extract.html import visible_text_blocks  # noqa: E402

SHINGLE = 4
_TOKEN = re.compile(r"\w+")


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_counts(truth: str, predicted: str) -> tuple[int, int, int]:
    """(TP, FP, FN) in shingles for one page."""
    t, p = shingles(truth), shingles(predicted)
    tp = sum((t & p).values())
    return tp, sum(p.values()) - tp, sum(t.values()) - tp


@dataclass
class Score:
    precisions: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)

    def add(self, truth: str, predicted: str) -> tuple[float | None, float | None]:
        tp, fp, fn = page_counts(truth, predicted)
        p = r = None
        if tp + fp:
            p = tp / (tp + fp)
            self.precisions.append(p)
        if tp + fn:
            r = tp / (tp + fn)
            self.recalls.append(r)
        return p, r

    @property
    def precision(self) -> float:
        return sum(self.precisions) / len(self.precisions) if self.precisions else 0.0

    @property
    def recall(self) -> float:
        return sum(self.recalls) / len(self.recalls) if self.recalls else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def flatten_html(html: str) -> str:
    """All visible text of a page, one line per block element, boilerplate included.

    This is what the plain-text path sees when a page is saved as text: the
    benchmark's input for ``extract_text``, and reusable by its tests and tuning.
    """
    return "\n".join(visible_text_blocks(html))


# --- the extractors: (html text, raw bytes) → body text ------------------------------------


def ours(html: str, data: bytes) -> str:
    from search.extract import extract

    result = extract(data, "page.html")
    return getattr(result, "body", "")


def trafilatura_default(html: str, data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def trafilatura_no_comments(html: str, data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False) or ""


def trafilatura_precision(html: str, data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(html, favor_precision=True, include_comments=False) or ""


def bs4_get_text(html: str, data: bytes) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "lxml").get_text()


def plain_text_path(html: str, data: bytes) -> str:
    from search.extract.text import extract_text

    result = extract_text(flatten_html(html))
    return getattr(result, "body", "")


EXTRACTORS: dict[str, Callable[[str, bytes], str]] = {
    "newsearch HTML": ours,
    "trafilatura default": trafilatura_default,
    # Readers' comments are not the story: the fair comparison switches them off.
    "trafilatura default, comments off": trafilatura_no_comments,
    "trafilatura favor_precision, comments off": trafilatura_precision,
    "BeautifulSoup get_text": bs4_get_text,
    "newsearch plain-text (flattened)": plain_text_path,
}


@dataclass
class Run:
    name: str
    score: Score = field(default_factory=Score)
    halves: tuple[Score, Score] = field(default_factory=lambda: (Score(), Score()))
    seconds: float = 0.0
    empty: int = 0
    errors: int = 0
    error_kinds: Counter[str] = field(default_factory=Counter)
    per_page: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)


def load(data_dir: Path, limit: int | None) -> list[tuple[str, str, bytes]]:
    truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        with gzip.open(data_dir / "html" / f"{page_id}.html.gz") as f:
            pages.append((page_id, truth[page_id]["articleBody"], f.read()))
    return pages


def run_all(
    extractors: dict[str, Callable[[str, bytes], str]], pages: list[tuple[str, str, bytes]]
) -> list[Run]:
    """Every extractor on every page, interleaved page by page so that a busy
    machine slows all of them alike and their pages/s stay comparable."""
    runs = {name: Run(name) for name in extractors}
    texts = [decode(data, html=True) for _, _, data in pages]
    for fn in extractors.values():
        # Warm-up: imports and lazily built tables are not per-page cost.
        with contextlib.suppress(Exception):
            fn(texts[0], pages[0][2])
    for i, ((page_id, truth, data), html) in enumerate(zip(pages, texts, strict=True)):
        for name, fn in extractors.items():
            result = runs[name]
            start = time.perf_counter()
            try:
                out = fn(html, data)
            except Exception as error:  # a crash counts, and scores as an empty output
                out = ""
                result.errors += 1
                result.error_kinds[type(error).__name__] += 1
            result.seconds += time.perf_counter() - start
            if not out.strip():
                result.empty += 1
            result.per_page[page_id] = result.score.add(truth, out)
            result.halves[i % 2].add(truth, out)
    return list(runs.values())


def table(runs: list[Run], pages: int) -> list[str]:
    head = "| extractor | F1 | precision | recall | F1 even | F1 odd | pages/s | empty | errors |"
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        speed = pages / r.seconds if r.seconds else float("inf")
        errors = str(r.errors)
        if r.error_kinds:
            errors += " (" + ", ".join(f"{k} {n}" for k, n in r.error_kinds.most_common()) + ")"
        lines.append(
            f"| {r.name} | {r.score.f1:.3f} | {r.score.precision:.3f} | {r.score.recall:.3f}"
            f" | {r.halves[0].f1:.3f} | {r.halves[1].f1:.3f} | {speed:.1f} | {r.empty} | {errors} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    default_data = os.environ.get("NEWSEARCH_SCRAPINGHUB") or str(
        REPO.parent / "shared" / "bench" / "extraction" / "scrapinghub"
    )
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data", default=default_data, help="benchmark folder (html/, ground-truth.json)"
    )
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "extraction.md"))
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (by id)")
    parser.add_argument(
        "--only", action="append", help="run only extractors whose name contains this"
    )
    parser.add_argument("--per-page", help="also write per-page precision/recall as JSON here")
    args = parser.parse_args(argv)

    data_dir = Path(args.data)
    if not (data_dir / "ground-truth.json").is_file():
        print(f"no benchmark at {data_dir} (set --data or NEWSEARCH_SCRAPINGHUB)", file=sys.stderr)
        return 2
    pages = load(data_dir, args.limit)
    chosen = {
        name: fn
        for name, fn in EXTRACTORS.items()
        if not args.only or any(o.lower() in name.lower() for o in args.only)
    }
    runs = run_all(chosen, pages)

    import trafilatura

    rows = table(runs, len(pages))
    now = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    machine = f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    report = [
        "# Extraction benchmark",
        "",
        f"- date: {now}",
        f"- machine: {machine}",
        f"- data: {len(pages)} pages of the Scrapinghub article-extraction benchmark",
        f"- trafilatura {trafilatura.__version__}",
        "- metric: 4-token shingle multisets; P and R are per-page means, F1 from the means;"
        " even/odd = F1 on alternate pages sorted by id; pages/s = one process, extractors"
        " interleaved page by page",
        "",
        *rows,
        "",
    ]
    print("\n".join(rows))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(report), encoding="utf-8")
    print(f"written to {out}", file=sys.stderr)
    if args.per_page:
        per_page = {r.name: r.per_page for r in runs}
        Path(args.per_page).write_text(json.dumps(per_page, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
