"""``newsearch serve`` as run: waitress's own error answers carry the security
headers, and the connection limits are set."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from web import server as web_server
from web.headers import SECURITY_HEADERS

REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _exchange(port: int, raw: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(raw)
        chunks = []
        while True:
            try:
                chunk = conn.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks) and b"Connection: close" not in chunks[0]:
                break
        return b"".join(chunks)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from helpers import article, write_corpus

    from search import rebuild

    root = tmp_path_factory.mktemp("served")
    corpus = write_corpus(
        root / "corpus", {"port/a.txt": article("Harbour news", "The harbour board met.")}
    )
    rebuild(corpus, root / "index")
    port = _free_port()
    log = open(root / "server.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "search", "serve", "--index", str(root / "index")),
            *("--host", "127.0.0.1", "--port", str(port), "--threads", "1"),
        ],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.close()
                raise RuntimeError((root / "server.log").read_text()) from None
            time.sleep(0.05)
    yield port
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


REQUESTS = {
    "431 headers too large": (
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n",
        b"431",
    ),
    "501 transfer encoding": (
        b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
        b"501",
    ),
    "400 malformed header": (b"GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", b"400"),
    "413 body too large": (
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n",
        b"413",
    ),
}


@pytest.mark.parametrize("name", list(REQUESTS))
def test_waitress_own_errors_carry_the_security_headers(served, name):
    raw, status = REQUESTS[name]
    answer = _exchange(served, raw)
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    assert head.split(" ")[1].encode() == status, head
    for header, value in SECURITY_HEADERS.items():
        assert f"{header}: {value}" in head
    assert "Cache-Control: no-store" in head


def test_the_app_answers_as_before(served):
    answer = _exchange(served, b"GET /api/search?q=harbour HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200")
    assert b"Content-Security-Policy" in answer


def test_connection_limits_are_set(tmp_path):
    from web import create_app

    server = web_server.create(create_app({"INDEX_DIR": str(tmp_path)}), "127.0.0.1", 0, 1)
    try:
        adj = server.adj
        assert adj.connection_limit == web_server.CONNECTION_LIMIT
        assert adj.channel_timeout == web_server.CHANNEL_TIMEOUT_S
        assert adj.cleanup_interval == web_server.CLEANUP_INTERVAL_S
        assert adj.asyncore_use_poll  # select() cannot watch past 1,024 sockets
        assert server.channel_class is web_server.SecureChannel
    finally:
        server.task_dispatcher.shutdown()
        server.close()
