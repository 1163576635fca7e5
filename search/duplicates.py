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

import numpy as np

# Words per shingle: 5 is the usual choice for near-duplicate news (Broder);
# shorter shingles make unrelated stories on one event look alike.
SHINGLE_WORDS = 5
# Sketch size: the k smallest shingle hashes. bench/duplicates.py, |estimate −
# exact Jaccard| over 2,470 BBC and Reuters pairs with Jaccard ≥ 0.2: p95 0.049
# at 64, 0.022 at 128, 0.006 at 256; Reuters precision/recall at the threshold
# 0.962/0.979, 0.971/0.994, 0.976/0.997. 256 would double the sketches kept
# for incremental builds for +0.005 P; and changing this invalidates saved
# sketches (resemblance() reads a shorter sketch as a whole text).
SKETCH_SIZE = 128
# Candidate pairs share at least BUCKET_MATCHES of their BUCKET_HASHES
# smallest hashes. Two texts of resemblance J share about Binomial(16, J) of
# them, so a pair at J = 0.45 is missed with probability < 0.1% (the earlier
# "one of 12" rule: 0.08%). bench: the same pairs as "one of 12" on BBC and
# Reuters with 13,048 resemblance() calls instead of 60,153; "3 of 16" already
# loses a Reuters pair.
BUCKET_HASHES = 16
BUCKET_MATCHES = 2
# Estimated resemblance (Jaccard of shingle sets) from which two articles count
# as copies of one story. bench/duplicates.py, synthetic BBC copies (a middle
# and the last paragraph cut, a sentence reworded, house style, dateline):
# median 0.64, p5 0.37; the 500 most similar different stories (top TF-IDF
# pairs per category): median 0.01, p95 0.19, max 0.68 (an updated version).
# group() P/R on those: 0.996/0.928 at 0.4, 0.995/0.878 at 0.45, 0.998/0.814
# at 0.5. On Reuters the pairs added going down from 0.5 to 0.45 are mostly
# one story (73% dated within a day of each other); from 0.45 to 0.4 mostly two
# items of one template on different days (34% within a day: the Fed's daily
# repurchase notices chain into one group). On BBC 0.45 adds one pair to the
# 169 at 0.5: two versions of one report, exact 0.47. A copy cut to under 45%
# of the original scores below 0.45 however faithful: 58 Reuters pairs have
# one text ≥ 90% inside the other, and only 5 are grouped (through others).
RESEMBLANCE_THRESHOLD = 0.45
# Articles shorter than this many words are not grouped: a two-line brief
# resembles every other brief of its kind. bench (Reuters pairs with exact
# Jaccard ≥ 0.45 by the shorter text's length): 10–19 words, 5% same headline
# (dividend notices and other templates); 20–39, 52%, and 8 of 25 checked by
# hand were one item (the rest: prime-rate notices of different banks, one
# fund family's dividends, intraday price tables); 40–79, 76%.
MIN_WORDS = 40
# A minimum hash shared by more articles than this comes from a stock phrase
# ("said in a statement on ...") and is not counted: its pairs would grow
# quadratically, and true copies share other minimum hashes too. bench: 16, 64
# and 256 group the same BBC and Reuters pairs.
MAX_BUCKET = 64
# In a bucket past MAX_BUCKET, each distinct member is compared with at most
# this many earlier ones (see _fold_large_bucket): copies of one story match
# the first of them; a stock phrase's unrelated articles cost this many checks
# each, not a check per pair.
MAX_LEADERS = 16

_WORD = re.compile(r"\w+")

# A sketch is its hashes in ascending order, packed as little-endian uint32
# (crc32 values): 545 bytes an article where a tuple of 128 Python ints took
# 4.8 KB, which a build holds for every article of the corpus (480 MB at
# 100,000 articles, 4.8 GB at a million). Bytes rather than an array keep a
# sketch a value: hashable, compared with ==, empty (falsy) for a short text.
Sketch = bytes
_HASH = np.dtype("<u4")


def sketch(text: str) -> Sketch:
    """The bottom-k MinHash sketch of ``text``'s word shingles (empty when too short)."""
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS:
        return b""
    shingles = map(" ".join, zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False))
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, shingles)), dtype=np.uint32)
    return np.unique(hashes)[:SKETCH_SIZE].astype(_HASH).tobytes()


def hashes(sk: Sketch | tuple[int, ...]) -> np.ndarray:
    """A sketch's hashes, ascending (a tuple of ints is a sketch saved by an older
    version)."""
    if isinstance(sk, tuple):
        return np.array(sk, dtype=_HASH)
    return np.frombuffer(sk, dtype=_HASH)


def packed(sk: Sketch | tuple[int, ...]) -> Sketch:
    """A sketch as this version keeps it (an older version's tuple converted)."""
    return hashes(sk).tobytes() if isinstance(sk, tuple) else sk


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
    ha, hb = hashes(a), hashes(b)
    both = np.intersect1d(ha, hb, assume_unique=True)
    if not len(both):
        return 0.0
    limit = min(_complete_below(ha), _complete_below(hb))
    union = int(np.count_nonzero(np.union1d(ha, hb) <= limit))
    return int(np.count_nonzero(both <= limit)) / union


def _complete_below(hs: np.ndarray) -> float:
    """The hash up to which a sketch holds all of its text's hashes."""
    return float(hs[-1]) if len(hs) >= SKETCH_SIZE else math.inf


def group(sketches: Sequence[tuple[str, Sketch]]) -> dict[str, str]:
    """Map each article id that has copies to its group's id (the smallest member id).

    Groups are the connected components of "resemblance ≥ threshold" over the
    candidate pairs, so they do not depend on the order in which pairs are
    checked.
    """
    buckets: dict[int, list[int]] = defaultdict(list)
    for n, (_id, sk) in enumerate(sketches):
        for h in hashes(sk)[:BUCKET_HASHES].tolist():
            buckets[h].append(n)
    parent = list(range(len(sketches)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(a: int, b: int) -> bool:
        root_a, root_b = find(a), find(b)
        if root_a == root_b:
            return True
        if resemblance(sketches[a][1], sketches[b][1]) >= RESEMBLANCE_THRESHOLD:
            parent[root_a] = root_b
            return True
        return False

    shared: Counter[tuple[int, int]] = Counter()
    for members in buckets.values():
        if len(members) <= 1:
            continue
        if len(members) > MAX_BUCKET:
            members = _fold_large_bucket(members, sketches, join)
        if 1 < len(members) <= MAX_BUCKET:
            shared.update(combinations(members, 2))
    for (a, b), matches in sorted(shared.items()):
        if matches >= BUCKET_MATCHES:
            join(a, b)
    clusters: dict[int, list[str]] = defaultdict(list)
    for n, (doc, _sk) in enumerate(sketches):
        clusters[find(n)].append(doc)
    return {doc: min(ids) for ids in clusters.values() if len(ids) > 1 for doc in ids}


def _fold_large_bucket(
    members: list[int], sketches: Sequence[tuple[str, Sketch]], join
) -> list[int]:
    """Group a bucket too large to pair up, in work linear in its size; returns
    the members left to pair as usual (none when there are still too many).

    A big bucket is either many copies of one story (a wire story in 65
    papers: ignoring the bucket left them 65 separate hits) or a stock phrase
    shared by unrelated articles. Copies have the same smallest hashes, so
    members are first grouped by those (one resemblance check each); what is
    left - one member per distinct set - is paired as usual when few enough,
    else each is checked against at most MAX_LEADERS earlier ones.
    """
    firsts: dict[bytes, int] = {}
    for n in members:
        first = firsts.setdefault(hashes(sketches[n][1])[:BUCKET_HASHES].tobytes(), n)
        if first != n:
            join(first, n)
    distinct = list(firsts.values())
    if len(distinct) <= MAX_BUCKET:
        return distinct
    leaders: list[int] = []
    for n in distinct:
        if not any(join(leader, n) for leader in leaders) and len(leaders) < MAX_LEADERS:
            leaders.append(n)
    return []
