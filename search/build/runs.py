"""The writer's sorted runs merged in one pass, however large the corpus.

Whoosh's posting pool spills a sorted run to disk whenever it fills (every
~3,300 newsmix articles at ``WRITER_MEMORY_MB``) and at commit merges them.
With more runs than ``maxfiles`` (128 by default) it first merges 128 at a
time into bigger runs, unpickling and pickling those postings once more: past
~420k articles most of a commit's postings are read and written twice. The
newsmix 1M build (305 runs, 2026-12-04) spent 25.6 minutes on two such passes
(27.4 GB rewritten) before its final merge began. A merge holds one open file
and one posting per run, so allowing every run at once costs a few KB a run,
not a pass.
"""

from __future__ import annotations

from typing import Any

# Whoosh's own limit, kept where the process cannot say how many files it may open.
WHOOSH_MAX_FILES = 128
# Share of the process's open-file limit a merge may take: the rest stays for
# the index's segment files, the corpus being read and the extraction pipes.
# Half is a margin, not a measurement: a merge needs one file a run, and 20,000
# files (this machine's limit) is 3,000 runs, ~10M long articles.
MERGE_FILES_SHARE = 0.5


def max_merge_files() -> int:
    try:
        import resource
    except ImportError:  # not on POSIX
        return WHOOSH_MAX_FILES
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 100 * WHOOSH_MAX_FILES
    return max(WHOOSH_MAX_FILES, int(soft * MERGE_FILES_SHARE))


def merge_in_one_pass(writer: Any) -> None:
    """Make ``writer`` (a Whoosh SegmentWriter) merge up to ``max_merge_files()``
    runs at once at commit, instead of Whoosh's 128."""
    posting_pool = writer.pool
    limit = max_merge_files()
    posting_pool.iter_postings = lambda: posting_pool.items(maxfiles=limit)
