"""Near-duplicate articles (syndicated copies) found at index time.

A wire story reprinted by another outlet keeps most of its word sequences while
the headline changes and a paragraph may be trimmed; two different stories on
the same event share names and facts but few 5-word runs. So each article gets
a bottom-k MinHash sketch of its word 5-shingles, candidates are pairs sharing
two of their smallest hashes, and pairs whose estimated resemblance passes a
threshold are grouped (connected components). The constants were measured with
bench/duplicates.py.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import combinations

# Words per shingle: 5 is the usual choice for near-duplicate news (Broder);
# shorter shingles make unrelated stories on one event look alike.
SHINGLE_WORDS = 5
# Sketch size: the k smallest shingle hashes. 128 keeps the resemblance
# estimate within about ±0.05 around the threshold; costs one hash per shingle.
SKETCH_SIZE = 128
# Candidate pairs share at least BUCKET_MATCHES of their BUCKET_HASHES
# smallest hashes. Two texts of resemblance J share about Binomial(16, J) of
# them: a pair at J = 0.5 is missed with probability 0.03%, as with the former
# "one of 12" rule, for a fifth of the resemblance() calls on Reuters.
BUCKET_HASHES = 16
BUCKET_MATCHES = 2
# Estimated resemblance (Jaccard of shingle sets) from which two articles count
# as copies of one story. bench/duplicates.py: syndicated copies with a new
# headline and one of eight paragraphs cut score 0.70-0.95; different stories
# about the same event score below 0.1; 0.5 sits in the wide gap between them.
RESEMBLANCE_THRESHOLD = 0.5
# Articles shorter than this many words are not grouped: a two-line brief
# resembles every other brief of its kind.
MIN_WORDS = 40
# A minimum hash shared by more articles than this comes from a stock phrase
# ("said in a statement on ...") and is not counted: its pairs would grow
# quadratically, and true copies share other minimum hashes too.
MAX_BUCKET = 64

_WORD = re.compile(r"\w+")

Sketch = tuple[int, ...]


def sketch(text: str) -> Sketch:
    """The bottom-k MinHash sketch of ``text``'s word shingles (empty when too short)."""
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS:
        return ()
    shingles = map(" ".join, zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False))
    return tuple(sorted(set(map(zlib.crc32, map(str.encode, shingles))))[:SKETCH_SIZE])


def resemblance(a: Sketch, b: Sketch) -> float:
    """Estimated Jaccard resemblance from two bottom-k sketches (Broder 1997).

    Below the smaller of the two sketches' largest hashes both sketches hold
    every hash of their text, so the hashes there are a uniform sample of the
    union: the share of them found in both texts estimates the resemblance. A
    sketch shorter than SKETCH_SIZE holds its whole text, so two short texts
    are compared exactly, and a short text against a long one uses all the
    long one's sketch rather than only as many hashes as the short one has.
    """
    if not a or not b:
        return 0.0
    mine = set(a)
    both = mine.intersection(b)
    if not both:
        return 0.0
    limit = min(_complete_below(a), _complete_below(b))
    union = sum(1 for h in mine.union(b) if h <= limit)
    return sum(1 for h in both if h <= limit) / union


def _complete_below(sk: Sketch) -> float:
    """The hash up to which ``sk`` holds all of its text's hashes."""
    return max(sk) if len(sk) >= SKETCH_SIZE else math.inf


def group(sketches: Sequence[tuple[str, Sketch]]) -> dict[str, str]:
    """Map each article id that has copies to its group's id (the smallest member id).

    Groups are the connected components of "resemblance ≥ threshold", so they
    do not depend on the order of ``sketches``.
    """
    buckets: dict[int, list[int]] = defaultdict(list)
    for n, (_id, sk) in enumerate(sketches):
        for h in sk[:BUCKET_HASHES]:
            buckets[h].append(n)
    shared: Counter[tuple[int, int]] = Counter()
    for members in buckets.values():
        if 1 < len(members) <= MAX_BUCKET:
            shared.update(combinations(members, 2))
    parent = list(range(len(sketches)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (a, b), matches in sorted(shared.items()):
        if matches < BUCKET_MATCHES:
            continue
        root_a, root_b = find(a), find(b)
        if root_a != root_b and (
            resemblance(sketches[a][1], sketches[b][1]) >= RESEMBLANCE_THRESHOLD
        ):
            parent[root_a] = root_b
    clusters: dict[int, list[str]] = defaultdict(list)
    for n, (doc, _sk) in enumerate(sketches):
        clusters[find(n)].append(doc)
    return {doc: min(ids) for ids in clusters.values() if len(ids) > 1 for doc in ids}
