"""Writing a segment's term index file (the format ``termindex`` reads), a term
range at a time.

Built in one piece, the file's arrays for a segment of 4,000 long articles took
about 200 MB of the writer's memory (~50 KB an article: every posting as a key,
a weight, a field number and their sorted copies, then the forward index
sorted again), and a build writes all its articles as one segment, so a
build of 100,000 would have needed ~5 GB for this step alone. ``write_segment``
reads Whoosh's postings in term order and writes them out whenever
``CHUNK_POSTINGS`` have gathered, so its memory is one chunk's arrays plus
what grows with the vocabulary (the sorted terms, a count per term) and with
the number of documents (a count per document), not with the postings.

The forward index (each document's terms) is the postings transposed: each
chunk is also written to a spill file sorted by document, then the forward
arrays are written a range of documents at a time, gathered from every
chunk's slice of that range (the chunks hold increasing terms, so a stable
sort by document keeps each document's terms in order). The file is byte for
byte the one ``write(path, termindex.build(reader))`` writes
(tests/test_termindex.py).
"""

from __future__ import annotations

import heapq
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from .postings import read_raw_postings

MAGIC = b"NSPOST01"
ALIGN = 8
# Postings (term, document pairs of all ranked fields) gathered before a term
# range is written out; the same bound sets the documents of one range of the
# forward index. About 100 bytes each while a chunk is sorted and split, so
# ~100 MB at 2^20; smaller chunks cost more spill-file reads (chunks x ranges)
# and no less time. Chosen by that arithmetic, not tuned on a corpus.
CHUNK_POSTINGS = 1 << 20
# Bytes copied at a time from the spill files into the term index file.
_COPY_BYTES = 1 << 22


def field_boost(reader: Any, field: str) -> float:
    try:
        return float(reader.schema[field].format.field_boost) or 1.0
    except (KeyError, AttributeError):
        return 1.0


# -- the file's layout ---------------------------------------------------------------


class _Spilled:
    """An array written to a temporary file piece by piece, copied into the
    term index file at the end."""

    def __init__(self, folder: Path, name: str, dtype: str) -> None:
        self.path = folder / name
        self.dtype = np.dtype(dtype)
        self.length = 0
        self.path.write_bytes(b"")

    def append(self, a: np.ndarray) -> None:
        with open(self.path, "ab") as out:
            out.write(np.ascontiguousarray(a, dtype=self.dtype).tobytes())
        self.length += len(a)

    def pieces(self) -> Iterator[bytes]:
        with open(self.path, "rb") as fh:
            while piece := fh.read(_COPY_BYTES):
                yield piece


Part = np.ndarray | _Spilled


def write_parts(path: Path, fields: tuple[str, ...], terms: int, parts: dict[str, Part]) -> None:
    """Write the file: MAGIC, the header's length, the JSON header (each array's
    dtype, offset and length), then the arrays 8-byte aligned; through a
    temporary name, so a reader never sees half a file."""
    table, offset = {}, 0
    for name, a in parts.items():
        table[name] = {"dtype": a.dtype.str, "offset": offset, "length": _count(a)}
        offset += -(-_nbytes(a) // ALIGN) * ALIGN
    header = json.dumps({"fields": list(fields), "terms": terms, "arrays": table}).encode("utf-8")
    header += b" " * (-(len(MAGIC) + 8 + len(header)) % ALIGN)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as out:
        out.write(MAGIC + len(header).to_bytes(8, "little") + header)
        for a in parts.values():
            pieces: Iterable[bytes] = (a.tobytes(),) if isinstance(a, np.ndarray) else a.pieces()
            for piece in pieces:
                out.write(piece)
            out.write(b"\0" * (-_nbytes(a) % ALIGN))
    os.replace(tmp, path)


def _count(a: Part) -> int:
    return a.length if isinstance(a, _Spilled) else len(a)


def _nbytes(a: Part) -> int:
    return a.length * a.dtype.itemsize if isinstance(a, _Spilled) else a.nbytes


def arrays_of(
    terms: list[str],
    starts: np.ndarray,
    docs: Part,
    weights: dict[str, Part],
    field_df: dict[str, np.ndarray],
    fwd_starts: np.ndarray,
    fwd_terms: Part,
    fwd_counts: Part,
) -> dict[str, Part]:
    """The file's arrays in their order and types."""

    def typed(a: Any, dtype: type) -> Part:
        return a if isinstance(a, _Spilled) else np.asarray(a, dtype=dtype)

    return {
        "lexicon": np.frombuffer("\0".join(terms).encode("utf-8"), dtype=np.uint8),
        "starts": np.asarray(starts, dtype=np.int64),
        "docs": typed(docs, np.int32),
        **{f"w.{f}": typed(w, np.float32) for f, w in weights.items()},
        **{f"df.{f}": np.asarray(d, dtype=np.int32) for f, d in field_df.items()},
        "fwd_starts": np.asarray(fwd_starts, dtype=np.int64),
        "fwd_terms": typed(fwd_terms, np.int32),
        "fwd_counts": typed(fwd_counts, np.float32),
    }


# -- a segment, a term range at a time --------------------------------------------------


def write_segment(path: Path, reader: Any, fields: tuple[str, ...]) -> None:
    """Write the term index file of one Whoosh segment from its postings."""
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.name}-") as spill:
        _SegmentWriter(Path(spill), reader, fields).write(path)


def segment_terms(reader: Any, fields: tuple[str, ...]) -> list[str]:
    """The rows of a segment's term index file: every term of ``fields``, sorted
    (the position file's rows too, so it can be written without the term index
    file, at the same time)."""
    return list(dict.fromkeys(heapq.merge(*(_lexicon(reader, f) for f in fields))))


def _lexicon(reader: Any, field: str) -> list[str]:
    if field not in reader.schema:
        return []
    return [t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon(field)]


class _SegmentWriter:
    def __init__(self, spill: Path, reader: Any, fields: tuple[str, ...]) -> None:
        self.reader, self.fields = reader, fields
        self.doc_count = reader.doc_count_all()
        self.per_field = [_lexicon(reader, f) for f in fields]
        # Every field's terms, sorted once (each field's lexicon is already sorted).
        self.terms = list(dict.fromkeys(heapq.merge(*self.per_field)))
        n = len(self.terms)
        self.postings_per_term = np.zeros(n, dtype=np.int64)
        self.field_df = {f: np.zeros(n, dtype=np.int32) for f in fields}
        self.per_doc = np.zeros(self.doc_count, dtype=np.int64)
        self.docs = _Spilled(spill, "docs", "<i4")
        self.weights = {f: _Spilled(spill, f"w.{k}", "<f4") for k, f in enumerate(fields)}
        # Chunks sorted by document: (document, term, count) columns, one run a chunk.
        self.run_docs = _Spilled(spill, "run.docs", "<i4")
        self.run_terms = _Spilled(spill, "run.terms", "<i4")
        self.run_counts = _Spilled(spill, "run.counts", "<f4")
        self.runs: list[tuple[int, int]] = []  # (first posting, postings) in the run files
        self.fwd_terms = _Spilled(spill, "fwd.terms", "<i4")
        self.fwd_counts = _Spilled(spill, "fwd.counts", "<f4")

    def write(self, path: Path) -> None:
        self._postings()
        fwd_starts = np.zeros(self.doc_count + 1, dtype=np.int64)
        np.cumsum(self.per_doc, out=fwd_starts[1:])
        self._forward(fwd_starts)
        starts = np.zeros(len(self.terms) + 1, dtype=np.int64)
        np.cumsum(self.postings_per_term, out=starts[1:])
        parts = arrays_of(
            self.terms,
            starts,
            self.docs,
            self.weights,
            self.field_df,
            fwd_starts,
            self.fwd_terms,
            self.fwd_counts,
        )
        write_parts(path, self.fields, len(self.terms), parts)

    def _postings(self) -> None:
        """Read every term's postings in lexicon order, a chunk at a time."""
        next_of = [0] * len(self.fields)
        first, gathered = 0, 0
        chunk: list[tuple[int, int, np.ndarray, np.ndarray]] = []  # (row, field, docs, weights)
        for row, term in enumerate(self.terms):
            for k, terms in enumerate(self.per_field):
                i = next_of[k]
                if i < len(terms) and terms[i] == term:
                    d, w = read_raw_postings(self.reader, self.fields[k], term)
                    chunk.append((row, k, d, w))
                    gathered += len(d)
                    next_of[k] = i + 1
            if gathered >= CHUNK_POSTINGS:
                self._flush(first, row + 1, chunk)
                first, gathered, chunk = row + 1, 0, []
        self._flush(first, len(self.terms), chunk)
        self.per_field = []

    def _flush(self, first: int, end: int, chunk: list) -> None:
        """Write the postings of terms ``first`` to ``end`` (the same arithmetic
        as ``termindex.build``, on term rows counted from ``first``)."""
        if end <= first:
            return
        span = max(self.doc_count, 1)
        if chunk:
            rows = np.array([row - first for row, _, _, _ in chunk], dtype=np.int64)
            lengths = np.array([len(d) for _, _, d, _ in chunk], dtype=np.int64)
            key = np.repeat(rows, lengths) * span + np.concatenate([d for _, _, d, _ in chunk])
            value = np.concatenate([w for _, _, _, w in chunk])
            field_no = np.repeat(np.array([k for _, k, _, _ in chunk], dtype=np.int64), lengths)
            chunk.clear()
            order = np.argsort(key, kind="stable")
            key, value, field_no = key[order], value[order], field_no[order]
            del order
            new = np.r_[True, key[1:] != key[:-1]]
            unique, slot = key[new], np.cumsum(new) - 1
            del key, new
        else:
            unique = slot = value = field_no = np.zeros(0, dtype=np.int64)
        term_of = unique // span
        docs = (unique % span).astype(np.int32)
        del unique
        counts = np.zeros(len(term_of), dtype=np.float64)
        for k, field in enumerate(self.fields):
            w = np.zeros(len(term_of), dtype=np.float32)
            mine = field_no == k
            w[slot[mine]] = value[mine]  # a (term, document) pair is once per field
            self.weights[field].append(w)
            self.field_df[field][first:end] = np.bincount(term_of[w > 0], minlength=end - first)
            counts += w / field_boost(self.reader, field)
        self.docs.append(docs)
        self.postings_per_term[first:end] = np.bincount(term_of, minlength=end - first)
        self.per_doc += np.bincount(docs, minlength=self.doc_count)
        by_doc = np.lexsort((term_of, docs))
        self.runs.append((self.run_docs.length, len(by_doc)))
        self.run_docs.append(docs[by_doc])
        self.run_terms.append(term_of[by_doc] + first)
        self.run_counts.append(counts[by_doc])

    def _forward(self, fwd_starts: np.ndarray) -> None:
        """The forward arrays, a range of documents at a time, from every run's
        slice of that range."""
        total = int(fwd_starts[-1])
        bounds = np.unique(
            np.r_[
                0,
                np.searchsorted(fwd_starts, np.arange(CHUNK_POSTINGS, total, CHUNK_POSTINGS)),
                self.doc_count,
            ]
        )
        bounds = bounds[(bounds >= 0) & (bounds <= self.doc_count)]
        with (
            open(self.run_docs.path, "rb") as docs_file,
            open(self.run_terms.path, "rb") as terms_file,
            open(self.run_counts.path, "rb") as counts_file,
        ):
            cuts = [
                start + np.searchsorted(_read(docs_file, np.int32, start, n), bounds)
                for start, n in self.runs
            ]
            for j in range(len(bounds) - 1):
                spans = [(int(c[j]), int(c[j + 1])) for c in cuts if c[j + 1] > c[j]]
                if not spans:
                    continue
                docs = np.concatenate([_read(docs_file, np.int32, a, b - a) for a, b in spans])
                order = np.argsort(docs, kind="stable")
                del docs
                terms = np.concatenate([_read(terms_file, np.int32, a, b - a) for a, b in spans])
                self.fwd_terms.append(terms[order])
                del terms
                counts = np.concatenate(
                    [_read(counts_file, np.float32, a, b - a) for a, b in spans]
                )
                self.fwd_counts.append(counts[order])


def _read(fh: Any, dtype: type, start: int, count: int) -> np.ndarray:
    """``count`` items of a spill file from item ``start``."""
    size = np.dtype(dtype).itemsize
    data = os.pread(fh.fileno(), count * size, start * size)
    return np.frombuffer(data, dtype=dtype, count=count)
