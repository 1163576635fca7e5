"""Article-body extraction benchmark: our HTML and text paths against trafilatura.

Runs every extractor over both dev sets (the 181 Scrapinghub pages and the
1,381 Dragnet pages, same layout: ``html/<id>.html.gz`` + ``ground-truth.json``),
scores the bodies against the ground truth with the shingle metric below, and
prints one table per set plus a metadata table, writing them as Markdown.

    .venv/bin/python bench/extraction.py [--sets scrapinghub,dragnet] [--jobs 2]
        [--limit N] [--only NAME] [--out FILE.md] [--per-page FILE.json]

Metric: tokens are ``re.findall(r"\\w+", text)``; a text's shingles are its
overlapping 4-token tuples as a multiset (a 1-3 token text is one short
shingle, an empty text has none). Per page, TP = Σ min(truth, predicted), FP
and FN the excesses. Precision is the mean of TP/(TP+FP) over pages with a
non-empty prediction, recall the mean of TP/(TP+FN) over pages with a
non-empty truth, F1 = 2PR/(P+R) from those means.

Extractors take turns over blocks of 16 pages (``TIMING_BLOCK``), so that
none is timed on pages another one has just warmed trafilatura's caches with.

Beside each row: "Δ vs best" is F1 minus that of trafilatura's best mode on
the set, with a 95 % paired-bootstrap interval (pages resampled together for
both systems); "cliffs" counts pages where the row scores below 0.5 while
that trafilatura mode scores above 0.8 (per-page F1).

Our HTML row extracts as a build does: the outlet names in titles are first
learned across the set's pages (grouped as a build groups a folder's pages,
by the host each page names; ``learn_outlets``, timed as our cost).

Text rows run our plain-text path on renditions of each page: our own
flattener (one line per block, ``flatten_html``), a plain BeautifulSoup
``get_text`` with a newline around every block element, and each of those
hard-wrapped at 60, 72 and 80 columns the way ``textwrap`` (and fmt, mail
clients, ``lynx -dump``) does: every block filled to the width, a blank line
between blocks. One more row per rendition wraps at 72 with no blank line
between blocks, the hardest case: a block ends only where the next word would
have fitted (or, at the edge, where a sentence ends).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import multiprocessing
import os
import platform
import re
import sys
import textwrap
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from search.extract.decoding import decode  # noqa: E402
from search.extract.html import visible_text_blocks  # noqa: E402
from search.extract.templates import Templates, learn  # noqa: E402

SHINGLE = 4
_TOKEN = re.compile(r"\w+")
SETS = ("scrapinghub", "dragnet")
WRAP_WIDTHS = (60, 72, 80)
BOOTSTRAP_SAMPLES = 2000
# A cliff: the page is lost (below LOW) where trafilatura gets it (above HIGH).
CLIFF_LOW, CLIFF_HIGH = 0.5, 0.8


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


def page_pr(truth: str, predicted: str) -> tuple[float | None, float | None]:
    tp, fp, fn = page_counts(truth, predicted)
    return (tp / (tp + fp) if tp + fp else None), (tp / (tp + fn) if tp + fn else None)


def f1_of(precisions: np.ndarray, recalls: np.ndarray) -> float:
    """F1 from the per-page means (NaN = no prediction / no truth on that page)."""
    p = float(np.nanmean(precisions)) if np.isfinite(precisions).any() else 0.0
    r = float(np.nanmean(recalls)) if np.isfinite(recalls).any() else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def page_f1(pr: tuple[float | None, float | None]) -> float:
    p, r = pr
    return 2 * p * r / (p + r) if p and r else 0.0


# --- renditions and extractors: (html text, raw bytes) → body text -------------------------


def flatten_html(html: str) -> str:
    """All visible text of a page, one line per block element, boilerplate included.

    This is what the plain-text path sees when a page is saved as text: the
    benchmark's input for ``extract_text``, and reusable by its tests and tuning.
    """
    return "\n".join(visible_text_blocks(html))


_BLOCKS = [
    *("address", "article", "aside", "blockquote", "body", "caption", "dd", "div", "dl"),
    *("dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
    *("header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td"),
    *("th", "tr", "ul", "br"),
]


def get_text_blocks(html: str) -> str:
    """A plain ``get_text`` with a line break around each block element: what a
    naive "save as text" gives (runs of spaces and blank lines left in)."""
    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():
        # A few pages open with an XML declaration; they are still HTML.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    return soup.get_text()


def hard_wrap(text: str, width: int, *, blank: bool = True) -> str:
    """Each line filled to ``width``; with ``blank``, a blank line between blocks."""
    blocks = ["\n".join(textwrap.wrap(line, width)) for line in text.splitlines() if line.strip()]
    return ("\n\n" if blank else "\n").join(blocks)


# Our result per page (by the identity of its bytes), for the metadata row.
_LAST_OURS: dict[int, object] = {}
# What the product learns across an outlet's pages before extracting them
# (``learn_outlets``), as a build's first pass does; set in each worker.
_LEARNED: dict[str, Templates | None] = {}


def learn_outlets(pages: list[tuple[str, str, bytes]]) -> Templates:
    """The product's outlet learning over a set, keyed as a build keys a folder's
    pages (by the host a page names): here only the outlet names in titles."""
    from search.extract import outlet_title

    lessons = []
    for _, _, data in pages:
        outlet, title = outlet_title(data, "page.html")
        lessons.append((outlet, [], title))
    return learn(lessons)


def ours(html: str, data: bytes) -> str:
    from search.extract import extract

    result = extract(data, "page.html", _LEARNED.get("templates"))
    _LAST_OURS[id(data)] = result  # the metadata row reads it: no second extraction
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


def trafilatura_fast(html: str, data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(html, fast=True, include_comments=False) or ""


def bs4_get_text(html: str, data: bytes) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "lxml").get_text()


def _text_path(text: str) -> str:
    from search.extract import extract

    result = extract(text.encode("utf-8"), "page.txt")
    return getattr(result, "body", "")


# Renditions are the bench's input, not the text path's cost: each page is
# rendered once per renderer (untimed) and shared by the widths; the cache
# holds one timing block's pages.
_RENDERED: dict[tuple[int, str], str] = {}


def render(html: str, how: str) -> str:
    cache_key = (id(html), how)
    if cache_key not in _RENDERED:
        _RENDERED[cache_key] = flatten_html(html) if how == "flattened" else get_text_blocks(html)
    return _RENDERED[cache_key]


@dataclass(frozen=True)
class TextRendition:
    how: str  # "flattened" or "get_text"
    width: int | None = None
    blank: bool = True

    def prepare(self, html: str) -> str:
        text = render(html, self.how)
        return hard_wrap(text, self.width, blank=self.blank) if self.width else text

    def __call__(self, text: str, data: bytes) -> str:
        return _text_path(text)


OURS = "newsearch HTML"
HTML_EXTRACTORS: dict[str, Callable[[str, bytes], str]] = {
    OURS: ours,
    "trafilatura default": trafilatura_default,
    # Readers' comments are not the story: the fair comparison switches them off.
    "trafilatura default, comments off": trafilatura_no_comments,
    "trafilatura favor_precision, comments off": trafilatura_precision,
}
# Slower to run, and never the best mode on either set: on request only.
OPTIONAL_EXTRACTORS: dict[str, Callable[[str, bytes], str]] = {
    "trafilatura fast, comments off": trafilatura_fast,
    "BeautifulSoup get_text": bs4_get_text,
}
TRAFILATURA = [
    name for name in {**HTML_EXTRACTORS, **OPTIONAL_EXTRACTORS} if name.startswith("trafilatura")
]
TEXT_EXTRACTORS: dict[str, Callable[[str, bytes], str]] = {
    f"newsearch text: {how}{f' @{w}' if w else ''}": TextRendition(how, w)
    for how in ("flattened", "get_text")
    for w in (None, *WRAP_WIDTHS)
}
# The stress case: no blank line between blocks, so a paragraph ends only
# where the next word would have fitted (a headline can run into its dateline).
for _how in ("flattened", "get_text"):
    TEXT_EXTRACTORS[f"newsearch text: {_how} @72, no blank lines"] = TextRendition(
        _how, 72, blank=False
    )
EXTRACTORS = {**HTML_EXTRACTORS, **TEXT_EXTRACTORS}
ALL_EXTRACTORS = {**EXTRACTORS, **OPTIONAL_EXTRACTORS}


# --- metadata -----------------------------------------------------------------------------

_SITE_NAME = re.compile(
    r"""<meta[^>]+(?:property|name)\s*=\s*["']og:site_name["'][^>]*>""", re.IGNORECASE
)
_CONTENT = re.compile(r"""content\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TITLE_SPLIT = re.compile(r"\s+[|–—·•»:-]\s+")


def og_site_name(html: str) -> str | None:
    tag = _SITE_NAME.search(html)
    content = _CONTENT.search(tag.group(0)) if tag else None
    name = " ".join(content.group(1).split()) if content else ""
    return name or None


def page_title_parts(html: str) -> list[str]:
    match = _TITLE_TAG.search(html[:200_000])
    title = " ".join(match.group(1).split()) if match else ""
    return [p for p in _TITLE_SPLIT.split(title) if p]


def metadata_row(html: str, data: bytes) -> dict:
    """Our title/author/date and what htmldate and trafilatura find, for one page (untimed)."""
    import htmldate
    import trafilatura

    from search.extract import extract
    from search.extract.html import html_site

    result = _LAST_OURS.pop(id(data), None) or extract(data, "page.html", _LEARNED.get("templates"))
    found = None
    with contextlib.suppress(Exception):
        found = htmldate.find_date(html)
    meta = None
    with contextlib.suppress(Exception):
        meta = trafilatura.extract_metadata(html)
    published = getattr(result, "published", None)
    return {
        "title": getattr(result, "title", None),
        "title_derived": getattr(result, "title_derived", False),
        "author": getattr(result, "author", None),
        "date": published.date().isoformat() if published else None,
        "htmldate": found,
        "traf_title": getattr(meta, "title", None),
        "traf_author": getattr(meta, "author", None),
        "site_name": og_site_name(html),
        "outlet": html_site(html),
        "title_parts": page_title_parts(html),
    }


def learned_names(rows: dict[str, dict]) -> dict[str, str]:
    """Per outlet with several pages: a <title> part every one of its pages shares."""
    by_outlet: dict[str, list[list[str]]] = defaultdict(list)
    for row in rows.values():
        if row["outlet"] and len(row["title_parts"]) > 1:
            by_outlet[row["outlet"]].append(row["title_parts"])
    names = {}
    for outlet, titles in by_outlet.items():
        if len(titles) < 2:
            continue
        shared = set(titles[0]).intersection(*titles[1:])
        if shared:
            names[outlet] = max(shared, key=len)
    return names


def title_keeps_site(title: str | None, names: list[str]) -> bool:
    """Whether a title still carries a site name as a separate part ("Headline | Site",
    "Site - Headline"); a headline whose subject is the site ("Site's guide to x") is fine."""
    if not title:
        return False
    parts = [p.casefold() for p in _TITLE_SPLIT.split(title)]
    if len(parts) < 2:
        return False
    return any(n.casefold() in (parts[0], parts[-1]) for n in names)


def metadata_table(rows: dict[str, dict]) -> list[str]:
    learned = learned_names(rows)

    def has_site(title: str | None, row: dict) -> bool:
        names = [n for n in (row["site_name"], learned.get(row["outlet"] or "")) if n]
        return title_keeps_site(title, names)

    all_rows = list(rows.values())
    n = len(all_rows)
    with_date = [r for r in all_rows if r["htmldate"]]
    ours_titles = sum(bool(r["title"]) and not r["title_derived"] for r in all_rows)
    return [
        "| metadata | newsearch | trafilatura |",
        "|---|---|---|",
        f"| titles found | {ours_titles} / {n}"
        f" | {sum(bool(r['traf_title']) for r in all_rows)} / {n} |",
        "| titles still holding the site name (og:site_name or learned across the outlet) | "
        f"{sum(has_site(r['title'], r) for r in all_rows)} | "
        f"{sum(has_site(r['traf_title'], r) for r in all_rows)} |",
        f"| a date where htmldate finds one | {sum(bool(r['date']) for r in with_date)}"
        f" / {len(with_date)} | (htmldate) |",
        f"| ... the same day as htmldate | "
        f"{sum(r['date'] == r['htmldate'] for r in with_date)} / {len(with_date)} | |",
        f"| authors found | {sum(bool(r['author']) for r in all_rows)} / {n}"
        f" | {sum(bool(r['traf_author']) for r in all_rows)} / {n} |",
    ]


# --- running ------------------------------------------------------------------------------


@dataclass
class Run:
    name: str
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
            pages.append((page_id, truth[page_id]["articleBody"] or "", f.read()))
    return pages


def warm_lazy_tables() -> None:
    """Build the tables libraries build on first use, once per worker process.

    jusText's stoplists (trafilatura's default mode reads them when it falls
    back to jusText) and dateparser's month names and locale patterns (htmldate's
    extensive pass) take 0.5-4 s to build in each new process; a build's
    workers pay that once for thousands of pages, while a bench worker runs a
    few hundred, so it would show as a per-page cost of whichever row first
    needs it. Every row gets the same warm-up.
    """
    from htmldate import extractors
    from trafilatura import external

    with contextlib.suppress(Exception):
        external.jt_stoplist_init()
    with contextlib.suppress(Exception):
        extractors.month_words()
        extractors.external_date_parser("Published on 14 February 2023 at noon", "%Y-%m-%d")


# Extractors take turns over blocks of this many consecutive pages (the order
# rotating from block to block), not page by page. trafilatura caches its
# per-line work (functools.lru_cache, 1,024 lines), and every trafilatura-based
# row runs it: page by page, a row timed right after another one on the same
# page found that page's lines cached and ran about 8 % faster than alone
# (Scrapinghub, one process, two passes: trafilatura default 22.0 ms a page
# after our row, 24.2 alone), so the first row in the list paid for the others.
# Sixteen pages hold several thousand lines, more than those caches keep, and
# take a few seconds, so a busy machine still slows every row alike.
TIMING_BLOCK = 16


def _run_chunk(
    args: tuple[list[str], list[tuple[str, str, bytes]], bool, Templates | None],
) -> tuple[dict[str, Run], dict[str, dict]]:
    """Every chosen extractor on every page of a chunk, interleaved block by
    block (``TIMING_BLOCK``) so that a busy machine slows all of them alike and
    their pages/s stay comparable."""
    names, pages, with_meta, learned = args
    _LEARNED["templates"] = learned
    extractors = {name: ALL_EXTRACTORS[name] for name in names}
    runs = {name: Run(name) for name in names}
    texts = [decode(data, html=True) for _, _, data in pages]
    warm_lazy_tables()
    for fn in extractors.values():
        # Warm-up: imports and lazily built tables are not per-page cost.
        with contextlib.suppress(Exception):
            fn(fn.prepare(texts[0]) if isinstance(fn, TextRendition) else texts[0], pages[0][2])
    meta: dict[str, dict] = {}
    order = list(extractors)
    for n, start in enumerate(range(0, len(pages), TIMING_BLOCK)):
        end = start + TIMING_BLOCK
        block = list(zip(pages[start:end], texts[start:end], strict=True))
        _RENDERED.clear()
        turn = n % len(order)
        for name in order[turn:] + order[:turn]:
            fn, result = extractors[name], runs[name]
            for (page_id, truth, data), html in block:
                try:
                    given = fn.prepare(html) if isinstance(fn, TextRendition) else html
                except Exception:
                    given = ""
                start_time = time.perf_counter()
                try:
                    out = fn(given, data)
                except Exception as error:  # a crash counts, and scores as an empty output
                    out = ""
                    result.errors += 1
                    result.error_kinds[type(error).__name__] += 1
                result.seconds += time.perf_counter() - start_time
                if not out.strip():
                    result.empty += 1
                result.per_page[page_id] = page_pr(truth, out)
        if with_meta:
            for (page_id, _, data), html in block:
                meta[page_id] = metadata_row(html, data)
    _LAST_OURS.clear()
    return runs, meta


def run_all(
    names: list[str], pages: list[tuple[str, str, bytes]], jobs: int, with_meta: bool
) -> tuple[list[Run], dict[str, dict]]:
    # The product's first pass, timed as our cost: outlet names are learned
    # across the whole set before any page is extracted.
    start = time.perf_counter()
    learned = learn_outlets(pages) if OURS in names or with_meta else None
    learning = time.perf_counter() - start
    chunks = [pages[i::jobs] for i in range(jobs)]
    work = [(names, chunk, with_meta, learned) for chunk in chunks if chunk]
    if jobs > 1:
        with multiprocessing.get_context("spawn").Pool(jobs) as pool:
            parts = pool.map(_run_chunk, work)
    else:
        parts = [_run_chunk(w) for w in work]
    merged = {name: Run(name) for name in names}
    meta: dict[str, dict] = {}
    for runs, rows in parts:
        meta.update(rows)
        for name, run in runs.items():
            total = merged[name]
            total.seconds += run.seconds
            total.empty += run.empty
            total.errors += run.errors
            total.error_kinds.update(run.error_kinds)
            total.per_page.update(run.per_page)
    if OURS in merged:
        merged[OURS].seconds += learning
    return list(merged.values()), meta


def arrays(run: Run, ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    pr = [run.per_page[i] for i in ids]
    p = np.array([np.nan if x is None else x for x, _ in pr])
    r = np.array([np.nan if x is None else x for _, x in pr])
    return p, r


def bootstrap_delta(a: Run, b: Run, ids: list[str], seed: int = 12) -> tuple[float, float]:
    """95 % paired-bootstrap interval of F1(a) - F1(b): the same pages resampled for both."""
    pa, ra = arrays(a, ids)
    pb, rb = arrays(b, ids)
    rng = np.random.default_rng(seed)
    deltas = []
    for _ in range(BOOTSTRAP_SAMPLES):
        pick = rng.integers(0, len(ids), len(ids))
        deltas.append(f1_of(pa[pick], ra[pick]) - f1_of(pb[pick], rb[pick]))
    low, high = np.percentile(deltas, [2.5, 97.5])
    return float(low), float(high)


def table(runs: list[Run], ids: list[str]) -> list[str]:
    by_name = {r.name: r for r in runs}
    scores = {r.name: f1_of(*arrays(r, ids)) for r in runs}
    peers = [n for n in TRAFILATURA if n in by_name]
    best = max(peers, key=scores.__getitem__) if peers else None
    head = (
        "| extractor | F1 | precision | recall | Δ vs best trafilatura [95 % CI] | cliffs"
        " | pages/s | empty | errors |"
    )
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        p, rec = arrays(r, ids)
        speed = len(ids) / r.seconds if r.seconds else float("inf")
        errors = str(r.errors)
        if r.error_kinds:
            errors += " (" + ", ".join(f"{k} {n}" for k, n in r.error_kinds.most_common()) + ")"
        delta = cliffs = "—"
        if best is not None and r.name != best:
            low, high = bootstrap_delta(r, by_name[best], ids)
            delta = f"{scores[r.name] - scores[best]:+.3f} [{low:+.3f}, {high:+.3f}]"
            lost = [
                i
                for i in ids
                if page_f1(r.per_page[i]) < CLIFF_LOW
                and page_f1(by_name[best].per_page[i]) > CLIFF_HIGH
            ]
            cliffs = f"{len(lost)} ({100 * len(lost) / len(ids):.1f} %)"
        name = f"**{r.name}**" if r.name == best else r.name
        lines.append(
            f"| {name} | {scores[r.name]:.3f} | {np.nanmean(p):.3f} | {np.nanmean(rec):.3f}"
            f" | {delta} | {cliffs} | {speed:.1f} | {r.empty} | {errors} |"
        )
    return lines


OURS, WITH_COMMENTS, NO_COMMENTS = (
    "newsearch HTML",
    "trafilatura default",
    "trafilatura default, comments off",
)


def comments_note(runs: list[Run], ids: list[str]) -> list[str]:
    """How much of the gap to trafilatura with comments is readers' comments.

    Comment pages are those where trafilatura's default output scores
    differently with comments on and off (its comment extraction changed the
    text); the gap is split between them and the other pages, and the gap left
    if newsearch scored as trafilatura with comments on the comment pages.
    """
    by_name = {r.name: r for r in runs}
    if not {OURS, WITH_COMMENTS, NO_COMMENTS} <= by_name.keys():
        return []
    ours, on, off = by_name[OURS], by_name[WITH_COMMENTS], by_name[NO_COMMENTS]
    comment_pages = [i for i in ids if on.per_page[i] != off.per_page[i]]
    chosen = set(comment_pages)
    rest = [i for i in ids if i not in chosen]
    lines = [
        f"| pages | n | {OURS} | {WITH_COMMENTS} | {NO_COMMENTS} |",
        "|---|---|---|---|---|",
    ]
    for label, subset in (("comment pages", comment_pages), ("other pages", rest)):
        if subset:
            f1s = [f1_of(*arrays(r, subset)) for r in (ours, on, off)]
            cells = " | ".join(f"{x:.3f}" for x in f1s)
            lines.append(f"| {label} | {len(subset)} | {cells} |")
    swapped = Run("swapped", per_page={i: (on if i in chosen else ours).per_page[i] for i in ids})
    gap = f1_of(*arrays(ours, ids)) - f1_of(*arrays(on, ids))
    left = f1_of(*arrays(swapped, ids)) - f1_of(*arrays(on, ids))
    lines += [
        "",
        f"Gap to {WITH_COMMENTS}: {gap:+.3f} on all pages; {left:+.3f} if {OURS} scored as"
        f" {WITH_COMMENTS} on the {len(comment_pages)} comment pages (so"
        f" {gap - left:+.3f} of the gap is readers' comments).",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    shared = Path(os.environ.get("NEWSEARCH_SHARED") or REPO.parent / "shared")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--root",
        default=str(shared / "bench" / "extraction"),
        help="folder holding the sets (each with html/ and ground-truth.json)",
    )
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated set names")
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "extraction.md"))
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (by id)")
    parser.add_argument(
        "--only",
        action="append",
        help="run only extractors whose name contains this (also the optional ones:"
        " 'fast', 'BeautifulSoup')",
    )
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--no-meta", action="store_true", help="skip the metadata table")
    parser.add_argument("--per-page", help="also write per-page precision/recall as JSON here")
    args = parser.parse_args(argv)

    names = [
        name
        for name in ALL_EXTRACTORS
        if (name in EXTRACTORS and not args.only)
        or (args.only and any(o.lower() in name.lower() for o in args.only))
    ]
    import trafilatura

    now = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    machine = f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    report = [
        "# Extraction benchmark",
        "",
        f"- date: {now}",
        f"- machine: {machine}",
        f"- trafilatura {trafilatura.__version__}; {args.jobs} worker process(es)",
        "- metric: 4-token shingle multisets; P and R are per-page means, F1 from the means;"
        f" Δ with a {BOOTSTRAP_SAMPLES}-sample paired bootstrap; cliffs = pages below"
        f" {CLIFF_LOW} where the best trafilatura mode is above {CLIFF_HIGH}; pages/s summed"
        f" over workers, extractors taking turns over blocks of {TIMING_BLOCK} pages",
        "",
    ]
    per_page: dict[str, dict] = {}
    for set_name in args.sets.split(","):
        data_dir = Path(args.root) / set_name
        if not (data_dir / "ground-truth.json").is_file():
            print(f"no benchmark at {data_dir} (set --root)", file=sys.stderr)
            return 2
        pages = load(data_dir, args.limit)
        ids = [page_id for page_id, _, _ in pages]
        runs, meta = run_all(names, pages, max(1, args.jobs), not args.no_meta)
        rows = table(runs, ids)
        section = [f"## {set_name} ({len(pages)} pages)", "", *rows, ""]
        note = comments_note(runs, ids)
        if note:
            section += [*note, ""]
        if meta:
            section += [*metadata_table(meta), ""]
        print("\n".join(section), flush=True)
        report += section
        per_page[set_name] = {
            "runs": {r.name: r.per_page for r in runs},
            "meta": meta,
        }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(report), encoding="utf-8")
    print(f"written to {out}", file=sys.stderr)
    if args.per_page:
        Path(args.per_page).write_text(json.dumps(per_page, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
