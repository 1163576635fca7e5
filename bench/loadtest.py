"""HTTP load test and cold start of ``newsearch serve``, on loopback only.

Starts ``newsearch serve --index DIR --port <free port>`` on 127.0.0.1 (as
``python -m search serve``, the console script's code, so the checkout being
benchmarked is the one served), then sends a fixed number of requests from
8 and 32 concurrent clients (threads, one keep-alive http.client connection
each, each from its own loopback address: as many users, since the server
gives each client at most its share of the workers) cycling through the
query log, against ``/api/search`` and the ``/search`` page; reports
throughput, p50/p95/p99 and errors, and stops the server. Clients and server
share the machine's cores.

    .venv/bin/python bench/loadtest.py [--index DIR | --corpus reuters --size 10k]
        [--requests 2000] [--clients 8,32] [--threads 8] [--out FILE.md]

Without ``--index`` an index of the chosen corpus and size is built in a
temporary folder first (see bench/querylog.py for data paths).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import math
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import querylog  # noqa: E402

HOST = "127.0.0.1"
# How long a server may take to answer its first query before we give up.
START_TIMEOUT_S = 60.0
# Between attempts to reach a starting server.
POLL_S = 0.005
REQUEST_TIMEOUT_S = 60.0
DEFAULT_REQUESTS = 2000
DEFAULT_CLIENTS = (8, 32)
DEFAULT_THREADS = 8
ENDPOINTS = ("/api/search", "/search")


def proc_memory_mb(pid: int | str, keys: tuple[str, ...]) -> dict[str, float]:
    """Memory figures (MB) of a process from /proc: ``status`` keys (VmHWM,
    RssAnon...) and ``smaps_rollup``'s Pss; missing ones are left out."""
    out = {}
    for name in ("status", "smaps_rollup"):
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                key, _, value = line.partition(":")
                if key in keys:
                    out[key] = int(value.split()[0]) / 1024
        except OSError:
            pass
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def search_path(endpoint: str, text: str) -> str:
    return f"{endpoint}?{urllib.parse.urlencode({'q': text})}"


class Server:
    """A ``newsearch serve`` subprocess; ``started_s`` is Popen → first answered query."""

    def __init__(
        self,
        index_dir: Path,
        first_query: str,
        threads: int = DEFAULT_THREADS,
        repo: Path = REPO,
    ) -> None:
        """``repo``: the checkout whose code is served (this one unless given)."""
        self.port = free_port()
        self.index_dir = Path(index_dir).resolve()
        env = dict(os.environ, PYTHONPATH=str(repo))
        # A file, not a pipe: nobody reads the server's log while it runs, and a
        # full pipe would block waitress's logging (and with it the server).
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "search",
                "serve",
                "--index",
                str(index_dir),
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--threads",
                str(threads),
            ],
            cwd=repo,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        path = search_path("/api/search", first_query)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_text()[-2000:]}")
            if time.perf_counter() - started > START_TIMEOUT_S:
                self.stop()
                raise RuntimeError("server did not answer in time")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT_S)
                conn.request("GET", path)
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    break
                raise RuntimeError(f"first query answered {status}")
            except (ConnectionRefusedError, ConnectionResetError):
                time.sleep(POLL_S)
        self.started_s = time.perf_counter() - started

    def log_text(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def memory(self) -> dict[str, float]:
        """The server's peak and current resident memory (MB): VmHWM, and RSS split
        into anonymous (heap) and file-backed (mapped index files, reclaimable)."""
        out = proc_memory_mb(self.proc.pid, ("VmHWM", "VmRSS", "RssAnon", "RssFile", "Pss"))
        try:
            maps = Path(f"/proc/{self.proc.pid}/maps").read_text().splitlines()
            out["index_mappings"] = sum(1 for m in maps if str(self.index_dir) in m)
        except OSError:
            pass
        return out

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def cold_start(index_dir: Path, first_query: str) -> float:
    server = Server(index_dir, first_query)
    server.stop()
    return server.started_s


def load(port: int, paths: list[str], requests: int, clients: int) -> dict[str, Any]:
    """``requests`` GETs from ``clients`` threads; latencies of the answered ones."""
    lock = threading.Lock()
    next_request = iter(range(requests))
    latencies: list[float] = []
    statuses: dict[str, int] = {}

    def client(k: int) -> None:
        def connect() -> http.client.HTTPConnection:
            return http.client.HTTPConnection(
                HOST, port, timeout=REQUEST_TIMEOUT_S, source_address=(client_address(k), 0)
            )

        conn = connect()
        while True:
            with lock:
                i = next(next_request, None)
            if i is None:
                break
            started = time.perf_counter()
            try:
                conn.request("GET", paths[i % len(paths)])
                response = conn.getresponse()
                response.read()
                outcome = str(response.status)
            except (OSError, http.client.HTTPException) as exc:
                outcome = type(exc).__name__
                conn.close()
                conn = connect()
            ms = (time.perf_counter() - started) * 1000
            with lock:
                statuses[outcome] = statuses.get(outcome, 0) + 1
                if outcome == "200":
                    latencies.append(ms)
        conn.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    return {
        "requests": requests,
        "clients": clients,
        "seconds": seconds,
        "latencies": latencies,
        "statuses": statuses,
        "errors": requests - statuses.get("200", 0),
    }


def client_address(k: int) -> str:
    """Client ``k``'s own loopback address (127.0.2.1, 127.0.2.2, ...)."""
    return f"127.0.{2 + k // 250}.{k % 250 + 1}"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))]


def run(
    index_dir: Path,
    texts: list[str],
    requests: int = DEFAULT_REQUESTS,
    clients: tuple[int, ...] = DEFAULT_CLIENTS,
    threads: int = DEFAULT_THREADS,
) -> dict[str, Any]:
    server = Server(index_dir, texts[0], threads)
    runs = []
    try:
        for endpoint in ENDPOINTS:
            paths = [search_path(endpoint, t) for t in texts]
            for n in clients:
                print(f"  [http] {endpoint} {n} clients, {requests} requests …", flush=True)
                r = load(server.port, paths, requests, n)
                r["endpoint"] = endpoint
                runs.append(r)
                print(f"  [http]   {_row(r)}", flush=True)
        memory = server.memory()
        warnings = [x for x in server.log_text().splitlines() if "WARNING" in x]
    finally:
        server.stop()
    return {
        "threads": threads,
        "started_s": server.started_s,
        "runs": runs,
        "queries": len(texts),
        "memory": memory,
        "warnings": warnings[:5],
        "warning_count": len(warnings),
    }


def _row(r: dict[str, Any]) -> str:
    lat = r["latencies"]
    return (
        f"| `{r['endpoint']}` | {r['clients']} | {r['requests']} | {r['seconds']:.1f} | "
        f"{r['requests'] / r['seconds']:.1f} | {percentile(lat, 0.5):.1f} | "
        f"{percentile(lat, 0.95):.1f} | {percentile(lat, 0.99):.1f} | {r['errors']} |"
        + (
            f" {', '.join(f'{k}: {v}' for k, v in sorted(r['statuses'].items()) if k != '200')}"
            if r["errors"]
            else ""
        )
    )


def markdown(outcome: dict[str, Any]) -> list[str]:
    lines = [
        f"`newsearch serve` with {outcome['threads']} waitress threads on {HOST}; "
        f"{outcome['queries']} distinct queries cycled; clients are threads in one process "
        f"on the same {os.cpu_count()} cores (server first answered after "
        f"{outcome['started_s']:.2f} s).",
        "",
        "| endpoint | clients | requests | seconds | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(_row(r) for r in outcome["runs"]),
        "",
    ]
    m = outcome.get("memory") or {}
    if m:
        lines += [
            f"Server memory after the load: peak RSS {m.get('VmHWM', 0):.0f} MB; now "
            f"{m.get('VmRSS', 0):.0f} MB = {m.get('RssAnon', 0):.0f} MB anonymous (heap) + "
            f"{m.get('RssFile', 0):.0f} MB file-backed (mapped index files and libraries; "
            "RSS counts a file page once per mapping, and each thread's searcher maps the "
            f"index; {m.get('index_mappings', 0):.0f} mappings of index files); "
            f"PSS {m.get('Pss', 0):.0f} MB.",
            "",
        ]
    if outcome.get("warning_count"):
        lines += [f"Server log: {outcome['warning_count']} warnings, e.g.:", ""]
        lines += [f"- `{w[:200]}`" for w in outcome["warnings"]]
        lines.append("")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", help="an existing index folder")
    ap.add_argument("--data")
    ap.add_argument("--corpus", default="reuters", choices=sorted(querylog.CORPORA))
    ap.add_argument("--size", default="10k", help="corpus size to build when no --index")
    ap.add_argument("--requests", type=int, default=DEFAULT_REQUESTS)
    ap.add_argument("--clients", default=",".join(map(str, DEFAULT_CLIENTS)))
    ap.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="server threads")
    ap.add_argument("--queries", type=int, default=querylog.DEFAULT_QUERIES)
    ap.add_argument("--seed", type=int, default=querylog.DEFAULT_SEED)
    ap.add_argument("--out", default=str(BENCH / "results" / "loadtest.md"))
    args = ap.parse_args(argv)

    all_docs = querylog.read_corpus(args.corpus, querylog.data_dir(args.data))
    texts = [q.text for q in querylog.build(all_docs, args.queries, args.seed)]
    tmp = None
    if args.index:
        index_dir = Path(args.index)
        what = f"index {index_dir}"
    else:
        sys.path.insert(0, str(REPO))
        from search import rebuild

        docs, synthetic = querylog.sized(all_docs, querylog.parse_size(args.size))
        tmp = Path(tempfile.mkdtemp(prefix="newsearch-load-"))
        print(f"building {len(docs):,} {args.corpus} documents in {tmp} …", flush=True)
        querylog.write_text_corpus(docs, tmp / "corpus" / args.corpus)
        index_dir = tmp / "index"
        rebuild(tmp / "corpus", index_dir)
        what = f"{args.corpus} {args.size} ({len(docs):,} docs{', synthetic' if synthetic else ''})"
    try:
        clients = tuple(int(c) for c in args.clients.split(","))
        outcome = run(index_dir, texts, args.requests, clients, args.threads)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    report = "\n".join(
        [
            "# HTTP load test",
            "",
            f"{dt.datetime.now().isoformat(timespec='seconds')} — {cpu}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}; {what}.",
            "",
            *markdown(outcome),
        ]
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report + "\n", encoding="utf-8")
    print(report)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
