"""Every word of a word list within a few edits of a typed word, exactly, in memory.

Did-you-mean needs the words close to an unknown typed word. Whoosh found them
by building a Levenshtein automaton for the typed word and walking the sorted
vocabulary with it, in Python: 14-60 ms a word at 10k articles, most of a
misspelt query's time. Here the words are kept as small integer matrices, one
per word length, and a typed word is compared with all of them at once:

1. only lengths within ``max_edits`` of the typed word's can be close;
2. a letter-set filter drops most of those: each edit brings at most one
   letter the other word lacks, so a word with more than ``max_edits``
   letters the typed word lacks (or lacking more than ``max_edits`` of its
   letters) is too far. Letters are hashed onto 64 bits, which can only
   hide differences, never invent them, so no close word is dropped;
3. the survivors get their exact Levenshtein distance from Myers' bit-parallel
   algorithm (in Hyyrö's form for whole-word distance), one column of the
   dynamic programme per step for all of them together as numpy uint64 lanes.

The answer is the same set Whoosh's automaton finds (plain Levenshtein: a swap
of two letters is two edits), with each word's distance. Memory is the words'
characters (one byte each while the alphabet has at most 256 letters), a
64-bit letter set and a 32-bit position per word: 0.67 MB for Reuters 10k's 35k
words, 1.5 MB for newsmix 10k's 77k.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Longest typed word compared: Myers' algorithm keeps one bit per letter of the
# typed word in a 64-bit lane (and one bit of headroom keeps the sums exact).
# A longer "word" is not typed by hand.
MAX_TYPED_CHARS = 63


class Lexicon:
    """Sorted words, the number of articles holding each, and their Nearby
    index, made by the first caller that needs it (once per served build:
    0.1-0.35 s for Reuters 10k's 35k words and newsmix 10k's 77k on a loaded
    machine)."""

    def __init__(self, words: list[str], articles: np.ndarray) -> None:
        self.words = words
        self.articles = articles
        self._nearby: Nearby | None = None
        self._lock = threading.Lock()

    def has(self, word: str) -> bool:
        i = bisect.bisect_left(self.words, word)
        return i < len(self.words) and self.words[i] == word

    def nearby(self) -> Nearby:
        if self._nearby is None:
            with self._lock:
                if self._nearby is None:
                    self._nearby = Nearby(self.words)
        return self._nearby

    def close(self, typed: str, max_edits: int) -> list[tuple[str, int]]:
        """(word, articles holding it) of every word within ``max_edits`` of ``typed``."""
        return [
            (self.words[i], int(self.articles[i]))
            for i, _ in self.nearby().within(typed, max_edits)
        ]


@dataclass(frozen=True)
class _Length:
    """The words of one length: their letters as alphabet codes, row by row."""

    codes: np.ndarray  # (n, length), uint8 or uint16
    letters: np.ndarray  # (n,) uint64 letter sets
    positions: np.ndarray  # (n,) int32 positions in the word list


class Nearby:
    """The words of ``words`` within a few edits of a typed word."""

    def __init__(self, words: Sequence[str]) -> None:
        alphabet = sorted(set("".join(words)))
        self._alphabet = {c: i for i, c in enumerate(alphabet)}
        self._lengths: dict[int, _Length] = {}
        if not words:
            return
        dtype = np.uint8 if len(alphabet) <= 256 else np.uint16
        if len(alphabet) > 65536:
            dtype = np.uint32
        # Code point -> alphabet code, as a table (at most 1.1 M entries).
        table = np.zeros(ord(alphabet[-1]) + 1, dtype=dtype)
        table[[ord(c) for c in alphabet]] = np.arange(len(alphabet))
        # Every word as a row of codes (padded), the rows grouped by length.
        points = np.array(words, dtype=str).view(np.uint32).reshape(len(words), -1)
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        order = np.argsort(lengths, kind="stable")
        rows = table[points]  # a byte a letter while the alphabet fits, not four
        del points
        rows = rows[order]
        starts = np.flatnonzero(np.diff(lengths[order], prepend=-1))
        for lo, hi in zip(starts.tolist(), [*starts[1:].tolist(), len(words)], strict=True):
            length = int(lengths[order[lo]])
            if length == 0:
                continue
            codes = rows[lo:hi, :length].copy()  # not a view: the rows go
            bits = np.left_shift(np.uint64(1), (codes % 64).astype(np.uint64))
            letters = np.bitwise_or.reduce(np.ascontiguousarray(bits.T), axis=0)
            self._lengths[length] = _Length(codes, letters, order[lo:hi].astype(np.int32))

    def nbytes(self) -> int:
        """Memory held by the matrices (the alphabet dict aside)."""
        return sum(
            g.codes.nbytes + g.letters.nbytes + g.positions.nbytes for g in self._lengths.values()
        )

    def within(self, typed: str, max_edits: int) -> list[tuple[int, int]]:
        """(position in the word list, edit distance) of every word at most
        ``max_edits`` edits from ``typed`` (``typed`` itself included when
        listed, at distance 0), in list order. Empty for a typed word longer
        than MAX_TYPED_CHARS."""
        m = len(typed)
        if m == 0 or m > MAX_TYPED_CHARS:
            return []
        codes = [self._alphabet.get(c, -1) for c in typed]
        # Positions of each alphabet letter in the typed word, as bit masks;
        # a typed letter the list never uses matches nothing.
        equal = np.zeros(len(self._alphabet) + 1, dtype=np.uint64)
        typed_letters = 0
        for i, code in enumerate(codes):
            if code >= 0:
                equal[code] |= np.uint64(1 << i)
                typed_letters |= 1 << (code % 64)
            else:
                # A letter no list word has: a bit of its own, which a list
                # word's letter may share (that only lets more words through).
                typed_letters |= 1 << (ord(typed[i]) % 64)
        typed_set = np.uint64(typed_letters)
        width = m + max_edits
        pad = len(self._alphabet)  # a code no typed letter equals
        blocks: list[np.ndarray] = []
        positions: list[np.ndarray] = []
        ends: list[tuple[int, int, int]] = []  # (length, first row, past last row)
        rows = 0
        for length in range(max(1, m - max_edits), width + 1):
            group = self._lengths.get(length)
            if group is None:
                continue
            extra = np.bitwise_count(group.letters & ~typed_set)
            lacking = np.bitwise_count(typed_set & ~group.letters)
            keep = np.flatnonzero((extra <= max_edits) & (lacking <= max_edits))
            if not len(keep):
                continue
            block = np.full((len(keep), width), pad, dtype=np.uint32)
            block[:, :length] = group.codes[keep]
            blocks.append(block)
            positions.append(group.positions[keep])
            ends.append((length, rows, rows + len(keep)))
            rows += len(keep)
        if not blocks:
            return []
        distances = _distances(equal, m, np.concatenate(blocks), ends)
        close = distances <= max_edits
        found = sorted(
            zip(np.concatenate(positions)[close].tolist(), distances[close].tolist(), strict=True)
        )
        return found


def _distances(
    equal: np.ndarray, m: int, codes: np.ndarray, ends: list[tuple[int, int, int]]
) -> np.ndarray:
    """Levenshtein distance between the typed word (``m`` letters, its letter
    positions by code in ``equal``) and each row of ``codes``: Myers'
    bit-vector algorithm as Hyyrö states it for global distance, the vertical
    deltas of one column per lane. Rows are words of several lengths padded
    to one width, grouped by length (``ends``): a row's distance is the score
    after its own last letter."""
    n = len(codes)
    ones = np.uint64((1 << m) - 1)
    top = np.uint64(1 << (m - 1))
    one = np.uint64(1)
    plus = np.full(n, ones, dtype=np.uint64)  # VP: D[i][j] - D[i-1][j] = +1
    minus = np.zeros(n, dtype=np.uint64)  # VN: ... = -1
    score = np.full(n, m, dtype=np.int64)  # D[m][j]
    out = np.empty(n, dtype=np.int64)
    ending = {length: (lo, hi) for length, lo, hi in ends}
    for j in range(max(ending)):
        x = equal[codes[:, j]] | minus
        d0 = (((x & plus) + plus) ^ plus) | x
        h_minus = plus & d0
        h_plus = minus | ~(plus | d0)
        score += ((h_plus & top) != 0).astype(np.int64) - ((h_minus & top) != 0)
        if j + 1 in ending:
            lo, hi = ending[j + 1]
            out[lo:hi] = score[lo:hi]
        # Row 0 of the programme is D[0][j] = j: its horizontal delta is +1.
        x = (h_plus << one) | one
        minus = x & d0
        plus = ((h_minus << one) | ~(x | d0)) & ones
    return out
