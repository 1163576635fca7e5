"""Near-duplicate articles (syndicated copies) found at index time.

A wire story reprinted by another outlet keeps most of its word sequences while
the headline changes and a paragraph may be trimmed; two different stories on
the same event share names and facts but few 5-word runs. So each article gets
a bottom-k MinHash sketch of its word 5-shingles, candidates are found by
shared minimum hashes, and pairs whose estimated resemblance passes a threshold
are grouped (union-find). The threshold was measured with bench/duplicates.py.
"""

from __future__ import annotations

import heapq
import re
import zlib
from collections import defaultdict
from collections.abc import Sequence

# Words per shingle: 5 is the usual choice for near-duplicate news (Broder);
# shorter shingles make unrelated stories on one event look alike.
SHINGLE_WORDS = 5
# Sketch size: the k smallest shingle hashes. 128 keeps the resemblance
# estimate within about ±0.05 around the threshold; costs one hash per shingle.
SKETCH_SIZE = 128
# Candidate pairs share one of their first few minimum hashes; two articles of
# resemblance ≥ 0.5 share one of their 12 smallest with probability > 0.99.
BUCKET_HASHES = 12
# Estimated resemblance (Jaccard of shingle sets) from which two articles count
# as copies of one story. bench/duplicates.py: syndicated copies with a new
# headline and one of eight paragraphs cut score 0.70-0.95; different stories
# about the same event score below 0.1; 0.5 sits in the wide gap between them.
RESEMBLANCE_THRESHOLD = 0.5
# Articles shorter than this many words are not grouped: a two-line brief
# resembles every other brief of its kind.
MIN_WORDS = 40
# A minimum hash shared by more articles than this comes from a stock phrase
# ("said in a statement on ...") and is not compared pairwise: that would be
# quadratic, and true copies share other minimum hashes too.
MAX_BUCKET = 64

_WORD = re.compile(r"\w+")

Sketch = tuple[int, ...]


def sketch(text: str) -> Sketch:
    """The bottom-k MinHash sketch of ``text``'s word shingles (empty when too short)."""
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS:
        return ()
    hashes = {
        zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8"))
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    return tuple(heapq.nsmallest(SKETCH_SIZE, hashes))


def resemblance(a: Sketch, b: Sketch) -> float:
    """Estimated Jaccard resemblance from two bottom-k sketches (Broder 1997)."""
    if not a or not b:
        return 0.0
    k = min(SKETCH_SIZE, len(a), len(b))
    union_bottom = heapq.nsmallest(k, set(a) | set(b))
    both = set(a) & set(b)
    return sum(1 for h in union_bottom if h in both) / k


def group(sketches: Sequence[tuple[str, Sketch]]) -> dict[str, str]:
    """Map each article id that has copies to its group's id (the smallest member id)."""
    buckets: dict[int, list[int]] = defaultdict(list)
    for n, (_id, sk) in enumerate(sketches):
        for h in sk[:BUCKET_HASHES]:
            buckets[h].append(n)
    parent = list(range(len(sketches)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) > MAX_BUCKET:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pair = (a, b)
                if pair in checked or find(a) == find(b):
                    continue
                checked.add(pair)
                if resemblance(sketches[a][1], sketches[b][1]) >= RESEMBLANCE_THRESHOLD:
                    parent[find(a)] = find(b)
    clusters: dict[int, list[str]] = defaultdict(list)
    for n, (doc, _sk) in enumerate(sketches):
        clusters[find(n)].append(doc)
    return {doc: min(ids) for ids in clusters.values() if len(ids) > 1 for doc in ids}
