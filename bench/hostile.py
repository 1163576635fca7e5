"""Hostile queries against normal ones, in one run: is every request's work bounded?

    .venv/bin/python bench/hostile.py [--index DIR | --corpus reuters --size 100k]
        [--work DIR] [--normal 300] [--repeats 3] [--requests 3000] [--rounds 3]
        [--out FILE.md]
        [--compare OTHER_CHECKOUT] [--no-library | --no-http]

Two measurements on one index:

* **Library**, one process, result cache off: the normal query log
  (bench/querylog.py, the same log as bench/speed.py) once, then every query
  of the documented hostile set ``HOSTILE`` ``--repeats`` times (a query's
  cost is the median of its runs). The claim: the worst hostile query costs
  at most 10x the median normal query.
* **HTTP**, ``newsearch serve`` with its default 4 threads (bench/loadtest.py's
  server): two clients send ``--requests`` normal queries alone, then again
  while four more clients send hostile queries without pause, without a rate
  limit (the default) and with ``NEWSEARCH_RATE_LIMIT=60``, ``--rounds``
  times (a p95 of one short pass moves by tens of percent from pass to pass
  on a shared machine: the alone passes' spread shows by how much). The
  claim: normal queries keep their p95. With ``--compare DIR`` the server of
  another checkout (e.g. main before a change, as a git worktree) is measured
  in the same run, its passes interleaved with ours, on the same index.
  Beside them, the machine's floor: in each round, each server without a rate
  limit answers the normal load once more beside a plain busy loop at the
  lowest priority (``nice`` 19) and no hostile client, which is what any work
  of its own beside the readers costs them at best on this machine.

Without ``--index`` the corpus is written and indexed under ``--work`` (a
temporary folder unless given; an index already there is reused). Sizes past
the corpus are synthetic copies, as in bench/speed.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import platform
import random
import statistics
import string
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

import loadtest  # noqa: E402
import querylog  # noqa: E402

# The ratio the issue asks for: worst hostile query over the median normal one.
MAX_RATIO = 10.0
HOSTILE_CLIENTS = 4
NORMAL_CLIENTS = 2


def _gibberish(words: int, seed: int) -> str:
    rng = random.Random(seed)
    return " ".join(
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 7)))
        for _ in range(words)
    )


# The documented hostile set (README, "Index layout and guarantees"): the
# attacks of issue 15, whose work is bounded by construction (capped
# expansions, capped words, no parser for plain words, capped corrections).
HOSTILE: list[tuple[str, str]] = [
    ("two-letter wildcard", "co*"),
    ("two-letter wildcard", "ma*"),
    ("two-letter wildcard", "st*"),
    ("two-letter wildcard", "pr*"),
    ("three-letter wildcard", "con*"),
    ("five wildcards", "co* ma* st* pr* re*"),
    ("wildcards in fields", "title:co* summary:ma* author:st*"),
    ("600 unknown words", _gibberish(600, 1)),
    ("30 unknown words (spelling)", _gibberish(30, 2)),
    ("3 misspelt words", "compnay anounced dividnd"),
    ("operator soup", "REQUIRE ANDMAYBE ANDNOT NOT OR AND ferry " * 20),
    ("many NOTs", "oil NOT the NOT of NOT and NOT to NOT in NOT said NOT for"),
    ("nested groups", "(" * 8 + "oil OR gas" + ")" * 8),
    ("600 common words", " ".join(["said", "the", "company", "year", "market"] * 120)),
    # Phrases of the most common words: Whoosh's matching stepped through every
    # article holding all the words until the deadline; matched on the position
    # arrays (serve/phrases.py), their work is their words' occurrences.
    ("wildcard with a phrase", '"the company said" co*'),
    ("OR of common phrases", '"the company said" OR "the bank said" OR "in a statement"'),
    ("long common phrase", '"said it would be the first time in the year that the"'),
]
# Queries whose work is bounded only by the deadline (serve/budget.py), measured
# apart from the set and sent by the hostile HTTP clients too: none since
# phrases are matched on position arrays.
COSTLY: list[tuple[str, str]] = []


def prepare(args: argparse.Namespace) -> tuple[Path, list[str]]:
    """The index to measure and the normal query log."""
    docs = querylog.read_corpus(args.corpus, querylog.data_dir(args.data))
    docs, _synthetic = querylog.sized(docs, querylog.parse_size(args.size))
    texts = [q.text for q in querylog.build(docs, n=args.normal)]
    if args.index:
        return Path(args.index), texts
    work = Path(args.work or tempfile.mkdtemp(prefix="hostile-"))
    index = work / "index"
    if not (index / "CURRENT").exists():
        from search import rebuild

        corpus = work / "corpus"
        print(f"  writing {len(docs)} documents to {corpus} …", flush=True)
        querylog.write_text_corpus(docs, corpus / args.corpus)
        print("  indexing …", flush=True)
        started = time.perf_counter()
        report = rebuild(corpus, index)
        print(f"  indexed {report.indexed} in {time.perf_counter() - started:.0f} s", flush=True)
    return index, texts


def library(index_dir: Path, texts: list[str], repeats: int) -> dict[str, Any]:
    from search import BadQuery, Index

    with Index(index_dir, result_cache=0) as index:
        for text in texts[:20]:  # open the columns, vocabulary and term index files
            index.search(text)
        normal, partial = [], 0
        for text in texts:
            started = time.perf_counter()
            partial += index.search(text).partial
            normal.append((time.perf_counter() - started) * 1000)
        hostile = []
        for label, text in HOSTILE + COSTLY:
            runs, outcome = [], "ok"
            for _ in range(repeats):
                started = time.perf_counter()
                try:
                    results = index.search(text)
                    outcome = f"{results.total} hits" + (", partial" if results.partial else "")
                except BadQuery as exc:
                    outcome = f"400: {str(exc)[:40]}"
                runs.append((time.perf_counter() - started) * 1000)
            hostile.append(
                {
                    "label": label,
                    "query": text,
                    "ms": statistics.median(runs),
                    "outcome": outcome,
                    "costly": (label, text) in COSTLY,
                }
            )
    return {"normal": normal, "normal_partial": partial, "hostile": hostile}


# A per-client limit no reader meets (a search a second, bursts of 60), and
# what a public server should set (README): the HTTP pass runs without it,
# then with it.
RATE_LIMIT = 60


def _get(port: int, path: str, source: str, conn=None):
    """One GET from address ``source``; (status, ms, connection to reuse).
    A 200 whose results were cut short is "200 partial"."""
    import http.client

    if conn is None:
        conn = http.client.HTTPConnection(
            loadtest.HOST, port, timeout=120, source_address=(source, 0)
        )
    started = time.perf_counter()
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        status = str(response.status)
        if b'"partial":true' in body:
            status += " partial"
    except (OSError, http.client.HTTPException) as exc:
        status = type(exc).__name__
        conn.close()
        conn = None
    return status, (time.perf_counter() - started) * 1000, conn


def _normal_load(
    port: int, paths: list[str], requests: int, first_address: int = 1
) -> dict[str, Any]:
    """``requests`` normal searches from NORMAL_CLIENTS threads, each request
    from another loopback address (127.0.1.x: readers, a few searches each)."""
    lock = threading.Lock()
    todo = iter(range(requests))
    latencies: list[float] = []
    statuses: dict[str, int] = {}

    def client() -> None:
        while True:
            with lock:
                i = next(todo, None)
            if i is None:
                return
            address = f"127.0.{first_address}.{i % 250 + 1}"
            status, ms, conn = _get(port, paths[i % len(paths)], address)
            if conn is not None:
                conn.close()
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status.startswith("200"):
                    latencies.append(ms)

    threads = [threading.Thread(target=client) for _ in range(NORMAL_CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"requests": requests, "latencies": latencies, "statuses": statuses}


# Pages the hostile clients cycle through: the deepest page of 13 results
# within the engine's 1,000, so that a client's (query, page) pairs repeat
# only after 17 x 76 = 1,292 requests, more than the result cache holds.
HOSTILE_PAGES = 76


def _attack(port: int, k: int, stop: Any, results: Any) -> None:
    """Hostile client ``k`` (address 127.0.0.k+2): the hostile set back to back on
    one keep-alive connection until ``stop``; its statuses and latencies go to
    ``results``. Each query for another page, and pages of another size than
    the other clients', so that the result cache never answers (an attacker
    varies its queries) while the search's work is the same."""
    hostile_paths = [loadtest.search_path("/api/search", q) for _, q in HOSTILE + COSTLY]
    statuses: dict[str, int] = {}
    latencies: list[float] = []
    conn, i = None, k * 3
    while not stop.is_set():
        page = 1 + i % HOSTILE_PAGES
        path = f"{hostile_paths[i % len(hostile_paths)]}&page={page}&per_page={10 + k}"
        status, ms, conn = _get(port, path, f"127.0.0.{k + 2}", conn)
        statuses[status] = statuses.get(status, 0) + 1
        latencies.append(ms)
        i += 1
    if conn is not None:
        conn.close()
    results.put((statuses, latencies))


def _attacked(port: int, normal_paths: list[str], requests: int, lead_s: float) -> dict[str, Any]:
    """The normal load while HOSTILE_CLIENTS clients send the hostile set,
    from ``lead_s`` seconds before the normal clients start (under a rate
    limit: long enough for each attacker to spend its first minute's burst).
    The attackers are processes of their own, as other machines would be:
    threads of this one would slow the normal clients' own code (they share
    its interpreter lock), which is not what is being measured."""
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    results = context.Queue()
    attackers = [
        context.Process(target=_attack, args=(port, k, stop, results))
        for k in range(HOSTILE_CLIENTS)
    ]
    for p in attackers:
        p.start()
    time.sleep(lead_s)
    normal = _normal_load(port, normal_paths, requests)
    stop.set()
    hostile: dict[str, Any] = {"statuses": {}, "latencies": []}
    for _ in attackers:
        statuses, latencies = results.get()
        for key, count in statuses.items():
            hostile["statuses"][key] = hostile["statuses"].get(key, 0) + count
        hostile["latencies"] += latencies
    for p in attackers:
        p.join()
    normal["hostile"] = hostile
    return normal


def _busy_loop(stop: Any) -> None:
    """A process that only spins, at the lowest priority (the floor's pass)."""
    os.nice(19)
    while not stop.is_set():
        for _ in range(100_000):
            pass


def _beside_busy_loop(port: int, normal_paths: list[str], requests: int) -> dict[str, Any]:
    """The normal load beside one busy loop at ``nice`` 19 and no hostile client."""
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    loop = context.Process(target=_busy_loop, args=(stop,))
    loop.start()
    time.sleep(1.0)  # started and spinning
    try:
        return _normal_load(port, normal_paths, requests)
    finally:
        stop.set()
        loop.join()


def http(
    index_dir: Path,
    texts: list[str],
    requests: int,
    lead_s: float,
    compare: Path | None,
    rounds: int,
) -> dict[str, Any]:
    """Each server (ours, and --compare's), without and with a rate limit:
    ``rounds`` times a pass alone and one attacked, on a fresh server; the
    servers' passes interleaved, so that they share the machine's moods."""
    normal_paths = [loadtest.search_path("/api/search", t) for t in texts]
    servers = {"this checkout": REPO} | ({f"{compare}": compare} if compare else {})
    out: dict[str, Any] = {name: {} for name in servers}
    for round_no in range(rounds):
        for turn, limit in enumerate((0, RATE_LIMIT)):
            # The other checkout first, then ours, then the other way round: the
            # first pass of a run tends to be the slowest.
            order = list(servers.items())[:: -1 if (turn + round_no) % 2 == 0 else 1]
            for name, repo in order:
                os.environ["NEWSEARCH_RATE_LIMIT"] = str(limit)  # read by the server at start
                server = loadtest.Server(index_dir, texts[0], threads=4, repo=repo)
                try:
                    # Each query once first (from other addresses), so that every pass
                    # below is warm: the first answer of a query opens what it reads.
                    _normal_load(server.port, normal_paths, len(normal_paths), first_address=100)
                    print(
                        f"  [http] round {round_no + 1}/{rounds}, {name}, limit {limit}: "
                        f"{NORMAL_CLIENTS} normal clients alone, then with "
                        f"{HOSTILE_CLIENTS} hostile clients …",
                        flush=True,
                    )
                    alone = _normal_load(server.port, normal_paths, requests)
                    attacked = _attacked(server.port, normal_paths, requests, lead_s)
                    out[name].setdefault(f"alone_{limit}", []).append(alone)
                    out[name].setdefault(f"attacked_{limit}", []).append(attacked)
                    if not limit:
                        busy = _beside_busy_loop(server.port, normal_paths, requests)
                        out[name].setdefault("busy", []).append(busy)
                finally:
                    server.stop()
                    os.environ.pop("NEWSEARCH_RATE_LIMIT", None)
    return out


def _p(values: list[float], q: float) -> float:
    return loadtest.percentile(values, q)


def markdown(
    args: argparse.Namespace,
    lib: dict[str, Any] | None,
    web: dict[str, Any] | None,
    load: tuple[float, float],
) -> str:
    lines = [
        f"# Hostile queries ({args.corpus} {args.size}, {dt.date.today()})",
        "",
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs (shared), "
        f"Python {platform.python_version()}; load average (1 min) {load[0]:.1f} at the "
        f"start, {load[1]:.1f} at the end. Command: `python bench/hostile.py "
        f"{' '.join(sys.argv[1:])}`.",
    ]
    if lib:
        lines += _library_lines(lib)
    if web:
        lines += _http_lines(args, web)
    return "\n".join(lines) + "\n"


def _library_lines(lib: dict[str, Any]) -> list[str]:
    median = statistics.median(lib["normal"])
    worst = max((h for h in lib["hostile"] if not h["costly"]), key=lambda h: h["ms"])
    lines = [
        "",
        "## Library, one process, result cache off",
        "",
        f"Normal log: {len(lib['normal'])} queries, median {median:.1f} ms, "
        f"p95 {_p(lib['normal'], 0.95):.1f} ms, max {max(lib['normal']):.1f} ms; "
        f"{lib['normal_partial']} cut short by the deadline.",
        "",
        "| hostile query | ms (median of runs) | x median normal | outcome |",
        "|---|---|---|---|",
    ]
    for h in sorted(lib["hostile"], key=lambda h: h["costly"]):
        shown = h["query"] if len(h["query"]) <= 50 else h["query"][:47] + "…"
        shown = shown.replace("|", "\\|")
        label = h["label"] + (" (deadline-bounded)" if h["costly"] else "")
        lines.append(
            f"| {label}: `{shown}` | {h['ms']:.1f} | {h['ms'] / median:.1f} | {h['outcome']} |"
        )
    ratio = worst["ms"] / median
    lines += [
        "",
        f"**Worst of the hostile set / median normal: {ratio:.1f}x** ({worst['label']}; "
        f"target at most {MAX_RATIO:.0f}x: {'met' if ratio <= MAX_RATIO else 'NOT met'}).",
    ]
    return lines


def _http_lines(args: argparse.Namespace, web: dict[str, Any]) -> list[str]:
    lines = [
        "",
        f"## HTTP: `newsearch serve` (4 threads), {NORMAL_CLIENTS} normal clients",
        "",
        f"{args.rounds} rounds; in each, for each server and rate limit, a fresh "
        f"server answers {args.requests} normal requests alone, then as many while "
        f"{HOSTILE_CLIENTS} hostile clients send the hostile set (one each, back to "
        f"back on keep-alive connections, starting {args.attack_lead:.0f} s before "
        "the normal clients). Normal requests come from 250 loopback addresses "
        "(readers). p95s are per pass; **ratio**: the median attacked p95 over the "
        "median alone p95 of the same server and limit; **alone spread**: the "
        "largest alone p95 of those rounds over the smallest (the noise a ratio "
        "has to be read against).",
        "",
        "| server | rate limit | alone p95 ms (per round) | attacked p95 ms (per round) "
        "| ratio | alone spread | attacked p50 ms | not 200 | hostile requests (statuses) "
        "| hostile p50 / max ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for server, runs in web.items():
        for limit in (0, RATE_LIMIT):
            alone, attacked = runs[f"alone_{limit}"], runs[f"attacked_{limit}"]
            alone95 = [_p(r["latencies"], 0.95) for r in alone]
            hit95 = [_p(r["latencies"], 0.95) for r in attacked]
            hit50 = statistics.median(_p(r["latencies"], 0.5) for r in attacked)
            failed = sum(
                v for r in attacked for k, v in r["statuses"].items() if not k.startswith("200")
            )
            statuses: dict[str, int] = {}
            hostile_ms: list[float] = []
            for r in attacked:
                for k, v in r["hostile"]["statuses"].items():
                    statuses[k] = statuses.get(k, 0) + v
                hostile_ms += r["hostile"]["latencies"]
            lines.append(
                f"| {server} | {f'{limit}/min' if limit else 'none'} | "
                + ", ".join(f"{v:.1f}" for v in alone95)
                + " | "
                + ", ".join(f"{v:.1f}" for v in hit95)
                + f" | **{statistics.median(hit95) / statistics.median(alone95):.2f}x** | "
                f"{max(alone95) / min(alone95):.2f}x | {hit50:.1f} | {failed} | "
                f"{sum(statuses.values())} ("
                + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
                + f") | {_p(hostile_ms, 0.5):.0f} / {max(hostile_ms):.0f} |"
            )
    lines += [
        "",
        "The machine's floor: the same servers without a rate limit, the normal "
        "load once more beside one busy loop at `nice` 19 and no hostile client "
        "(ratio: its median p95 over the alone passes' median, as above).",
        "",
        "| server | p95 ms beside a busy loop (per round) | ratio |",
        "|---|---|---|",
    ]
    for server, runs in web.items():
        alone95 = [_p(r["latencies"], 0.95) for r in runs["alone_0"]]
        busy95 = [_p(r["latencies"], 0.95) for r in runs["busy"]]
        lines.append(
            f"| {server} | "
            + ", ".join(f"{v:.1f}" for v in busy95)
            + f" | **{statistics.median(busy95) / statistics.median(alone95):.2f}x** |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", help="an index already built (of --corpus at --size)")
    parser.add_argument("--corpus", default="reuters", choices=sorted(querylog.CORPORA))
    parser.add_argument("--size", default="100k")
    parser.add_argument("--data", help="news data folder (default: see bench/querylog.py)")
    parser.add_argument("--work", help="folder for the corpus and index (reused if present)")
    parser.add_argument("--normal", type=int, default=300, help="normal queries in the log")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each hostile query")
    parser.add_argument("--requests", type=int, default=600, help="normal HTTP requests per pass")
    parser.add_argument("--rounds", type=int, default=3, help="passes alone and attacked")
    parser.add_argument("--no-http", action="store_true", help="library measurement only")
    parser.add_argument("--no-library", action="store_true", help="HTTP measurement only")
    parser.add_argument(
        "--compare", type=Path, help="another checkout whose server is measured in the same run"
    )
    parser.add_argument(
        "--attack-lead", type=float, default=15.0, help="seconds of attack before normal clients"
    )
    parser.add_argument("--out", help="also write the Markdown table here")
    args = parser.parse_args(argv)
    index, texts = prepare(args)
    load_before = os.getloadavg()[0]
    lib = None
    if not args.no_library:
        print("  [library] normal log and hostile set …", flush=True)
        lib = library(index, texts, args.repeats)
    web = (
        None
        if args.no_http
        else http(index, texts, args.requests, args.attack_lead, args.compare, args.rounds)
    )
    text = markdown(args, lib, web, (load_before, os.getloadavg()[0]))
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
