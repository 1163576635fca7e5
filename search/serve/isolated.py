"""Searches answered by an ``Index`` in a child process at low priority, so
that they share neither the caller's interpreter lock nor its CPU share.

Threads of one process take turns on one interpreter lock: a search running
beside another slows it by far more than its own work (each hands the lock
back only every few milliseconds, and the server's network thread needs it
too). A search sent here runs in another interpreter, with the lowest
scheduling priority the system allows (``os.nice``), so the operating system
gives the caller's threads a core first: what it costs the caller is a
pickled request and a pickled page of results.

The child keeps one long-lived ``Index`` (it follows new builds as any
``Index`` does) and answers one search at a time; the answer is the same
``SearchResults`` or the same ``SearchError`` a search in this process would
give. A child that dies, or gives no answer within ``stuck_after_s`` (many
search deadlines: it is stuck), is killed and the search fails with
``SearchUnavailable``; the next search starts a new child. It is started by
``start()`` or the first search, as a new interpreter (a fork of a threaded server could
inherit a lock held by another thread), and ends at ``close()`` or when the
process that made it ends (its socket closes). POSIX only (``pass_fds``).
"""

from __future__ import annotations

import json
import logging
import pickle
import signal
import socket
import subprocess
import sys
import threading
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..errors import SearchError, SearchUnavailable
from ..model import SearchRequest, SearchResults
from .budget import DEFAULT_DEADLINE_S

log = logging.getLogger(__name__)

# The child's niceness: the lowest priority (19 on Linux), so that on a busy
# machine its searches get what the caller's threads leave of the CPU.
NICENESS = 19
# A search answers by its deadline, plus work bounded by construction (tens
# of milliseconds); at the lowest priority on a busy machine it may take a
# few times that. Past this many deadlines the child is taken as stuck.
STUCK_AFTER_DEADLINES = 10
# Seconds a new child may take to import the engine and say it is ready
# (about a second on an idle machine).
STARTUP_S = 60.0


class SearchProcess:
    """Searches of ``index_dir`` answered one at a time by a child process."""

    def __init__(
        self,
        index_dir: Path | str,
        deadline_s: float | None = DEFAULT_DEADLINE_S,
        *,
        niceness: int = NICENESS,
        stuck_after_s: float | None = None,
    ) -> None:
        self.index_dir = str(index_dir)
        self.deadline_s = deadline_s
        self.niceness = niceness
        self.stuck_after_s = (
            stuck_after_s
            if stuck_after_s is not None
            else STUCK_AFTER_DEADLINES * (deadline_s or DEFAULT_DEADLINE_S)
        )
        self._lock = threading.Lock()
        self._child: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self.started = 0  # children started so far (a replaced one counts again)

    @property
    def pid(self) -> int | None:
        """The running child's process id (None before the first search)."""
        child = self._child
        return child.pid if child is not None and child.poll() is None else None

    @property
    def busy(self) -> bool:
        """True while a search is being answered (or a child started)."""
        return self._lock.locked()

    def search(self, request: SearchRequest) -> SearchResults:
        """``request`` answered by the child; ``SearchUnavailable`` if it died or got stuck."""
        with self._lock:
            conn = self._ready()
            try:
                conn.send(request)
                if not conn.poll(self.stuck_after_s):
                    self._discard()
                    raise SearchUnavailable(
                        "The search took far too long and was abandoned; please try again."
                    )
                kind, value = pickle.loads(conn.recv_bytes())
            except (OSError, EOFError):
                self._discard()
                raise SearchUnavailable(
                    "The search process stopped while answering; please try again."
                ) from None
        if kind == "ok":
            return value
        if kind == "error":
            raise value
        raise RuntimeError(f"search process failed:\n{value}")

    def start(self) -> None:
        """Start the child now rather than at the first search (SearchUnavailable
        if it cannot be): a server that starts it with itself has it ready
        before the first heavy client, not starting while one is served."""
        with self._lock:
            self._ready()

    def close(self) -> None:
        """End the child (a later search starts another)."""
        with self._lock:
            self._discard()

    def __enter__(self) -> SearchProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the child's life -----------------------------------------------------------

    def _ready(self) -> Connection:
        """The connection to a live child, started if there is none."""
        if self._child is not None and self._child.poll() is None and self._conn is not None:
            return self._conn
        self._discard()
        ours, theirs = socket.socketpair()
        args = [json.dumps(sys.path), str(theirs.fileno()), self.index_dir]
        args += [json.dumps(self.deadline_s), str(self.niceness)]
        try:
            child = subprocess.Popen(
                [sys.executable, "-c", _CHILD, *args],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
            )
        except OSError as exc:
            ours.close()
            raise SearchUnavailable(f"The search process could not be started: {exc}") from None
        finally:
            theirs.close()
        self._child, self._conn = child, Connection(ours.detach())
        self.started += 1
        try:
            if not self._conn.poll(STARTUP_S) or self._conn.recv() != "ready":
                raise EOFError
        except (OSError, EOFError):
            self._discard()
            raise SearchUnavailable(
                "The search process could not be started; please try again."
            ) from None
        return self._conn

    def _discard(self) -> None:
        child, conn = self._child, self._conn
        self._child = self._conn = None
        if conn is not None:
            conn.close()
        if child is not None:
            if child.poll() is None:
                child.kill()
            child.wait()
            if child.returncode not in (0, -signal.SIGKILL):
                log.warning("search process %s ended with %s", child.pid, child.returncode)


# The child's program: its priority lowered first (importing the engine
# takes a second of CPU, which must not be taken from the caller's threads),
# the caller's import path, then ``_serve`` (a fresh interpreter, not
# multiprocessing's spawn, which would import the caller's main module again,
# and fails in a program without the ``__main__`` guard).
_CHILD = (
    "import json, os, sys; os.nice(int(sys.argv[5])) if hasattr(os, 'nice') else None; "
    "sys.path[:0] = json.loads(sys.argv[1]); "
    "from search.serve.isolated import main; main(sys.argv[2:])"
)


def main(argv: list[str]) -> None:
    """The child's entry: its socket's descriptor, the index and the deadline
    (then the niceness, applied by ``_CHILD``)."""
    fd, index_dir, deadline, _niceness = argv
    _serve(Connection(int(fd)), index_dir, json.loads(deadline))


def _serve(conn: Connection, index_dir: str, deadline_s: float | None) -> None:
    """The child: answer searches until the parent closes its end."""
    from .engine import Index

    try:
        conn.send("ready")
    except OSError:  # the caller ended while this child started
        return
    index: Index | None = None
    try:
        while True:
            try:
                request = conn.recv()
            except (EOFError, OSError):
                return
            try:
                if index is None:
                    index = Index(index_dir, deadline_s=deadline_s)
                answer: tuple[str, Any] = ("ok", index.search(request))
            except SearchError as exc:
                answer = ("error", exc)
            except Exception:
                answer = ("crash", traceback.format_exc())
            try:
                data = pickle.dumps(answer)
            except Exception:
                data = pickle.dumps(("crash", f"unpicklable answer: {answer[1]!r:.200}"))
            try:
                conn.send_bytes(data)
            except OSError:  # the caller went away (it gave up on this child)
                return
    finally:
        if index is not None:
            index.close_all()
