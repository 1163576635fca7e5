"""The ranked fields' postings as flat arrays, one file beside each Whoosh segment.

Whoosh keeps postings in blocks of 128, each zlib-compressed and pickled:
decoding them was three quarters of a plain word query at 100,000 articles
(a common word's postings are thousands of blocks), and feedback re-analysed
its documents' stored text on every query. This file holds the same postings
as arrays on disk, so that a word's postings are one read of an array slice,
and a forward index (each document's terms and counts) for feedback.

Layout of ``<segment id>.nsp``: MAGIC, the header's length (8 bytes, little
endian), a JSON header naming each array's dtype, offset and length, then the
arrays, 8-byte aligned. Arrays: the segment's terms of the ranked fields,
sorted and NUL-separated (``lexicon``); ``starts`` (term -> first posting);
``docs`` (segment document numbers, deleted ones included: deletions belong
to a build, the file to a segment that several builds share through hard
links); one weight array per field as Whoosh stores it (frequency x field
boost, 0 where the term is not in that field) and each term's document
frequency per field; and the forward index
``fwd_starts``, ``fwd_terms``, ``fwd_counts`` (occurrences in all fields).

Whoosh deletes a merged segment's files by their name prefix, this one with
them; ``write_missing`` writes the file of every segment that lacks one after
each commit. An index without them (built by an older version, or by Whoosh
directly) still works: the arrays are then built in memory when first needed.
"""

from __future__ import annotations

import bisect
import json
import os
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import schema
from . import termfile
from .postings import read_raw_postings

SUFFIX = ".nsp"
MAGIC = termfile.MAGIC


@dataclass
class SegmentTerms:
    """One segment's postings and forward index (the large arrays may be on disk)."""

    fields: tuple[str, ...]
    terms: list[str]
    starts: np.ndarray
    docs: np.ndarray | FileArray
    weights: dict[str, np.ndarray | FileArray]
    field_df: dict[str, np.ndarray]
    fwd_starts: np.ndarray
    fwd_terms: np.ndarray | FileArray
    fwd_counts: np.ndarray | FileArray

    @property
    def doc_count(self) -> int:
        return len(self.fwd_starts) - 1

    def term_id(self, term: str) -> int:
        """The term's row, or -1 when no document of the segment has it."""
        i = bisect.bisect_left(self.terms, term)
        return i if i < len(self.terms) and self.terms[i] == term else -1

    def span(self, term_id: int) -> slice:
        return slice(int(self.starts[term_id]), int(self.starts[term_id + 1]))

    def doc_frequencies(self, term_ids: np.ndarray) -> np.ndarray:
        return self.starts[term_ids + 1] - self.starts[term_ids]

    def forward(self, docnum: int) -> tuple[np.ndarray, np.ndarray]:
        """(term ids, occurrences) of one document of the segment."""
        s, e = int(self.fwd_starts[docnum]), int(self.fwd_starts[docnum + 1])
        return self.fwd_terms[s:e], self.fwd_counts[s:e]


def build(reader: Any, fields: tuple[str, ...] = schema.DEFAULT_FIELDS) -> SegmentTerms:
    """The arrays of one segment, read from its Whoosh postings."""
    doc_count = reader.doc_count_all()
    per_field = []
    vocabulary: set[str] = set()
    for field in fields:
        terms, ids, weights, lengths = [], [], [], []
        if field in reader.schema:
            for text in reader.lexicon(field):
                term = text.decode("utf-8") if isinstance(text, bytes) else text
                d, w = read_raw_postings(reader, field, term)
                terms.append(term)
                ids.append(d)
                weights.append(w)
                lengths.append(len(d))
        vocabulary.update(terms)
        per_field.append((terms, ids, weights, lengths))
    lexicon = sorted(vocabulary)
    row = {t: i for i, t in enumerate(lexicon)}
    keys, values, which = [], [], []
    for k, (terms, ids, weights, lengths) in enumerate(per_field):
        if not terms:
            continue
        term_rows = np.repeat(np.array([row[t] for t in terms], dtype=np.int64), lengths)
        keys.append(term_rows * max(doc_count, 1) + np.concatenate(ids))
        values.append(np.concatenate(weights))
        which.append(np.full(len(term_rows), k, dtype=np.int64))
    if keys:
        key = np.concatenate(keys)
        order = np.argsort(key, kind="stable")
        key, value, field_no = (
            key[order],
            np.concatenate(values)[order],
            np.concatenate(which)[order],
        )
        new = np.r_[True, key[1:] != key[:-1]]
        unique, slot = key[new], np.cumsum(new) - 1
    else:
        unique = slot = value = field_no = np.zeros(0, dtype=np.int64)
    term_of = unique // max(doc_count, 1)
    docs = (unique % max(doc_count, 1)).astype(np.int32)
    starts = np.searchsorted(term_of, np.arange(len(lexicon) + 1)).astype(np.int64)
    weight_arrays = {}
    counts = np.zeros(len(unique), dtype=np.float64)
    field_df = {}
    for k, field in enumerate(fields):
        w = np.zeros(len(unique), dtype=np.float32)
        mine = field_no == k
        w[slot[mine]] = value[mine]  # a (term, document) pair is once per field
        weight_arrays[field] = w
        field_df[field] = np.bincount(term_of[w > 0], minlength=len(lexicon)).astype(np.int32)
        boost = termfile.field_boost(reader, field)
        counts += w / boost
    # Forward index: the same postings ordered by document.
    by_doc = np.lexsort((term_of, docs))
    fwd_terms = term_of[by_doc].astype(np.int32)
    fwd_counts = counts[by_doc].astype(np.float32)
    fwd_starts = np.searchsorted(docs[by_doc], np.arange(doc_count + 1)).astype(np.int64)
    return SegmentTerms(
        fields=tuple(fields),
        terms=lexicon,
        starts=starts,
        docs=docs,
        weights=weight_arrays,
        field_df=field_df,
        fwd_starts=fwd_starts,
        fwd_terms=fwd_terms,
        fwd_counts=fwd_counts,
    )


def write(path: Path, st: SegmentTerms) -> None:
    """Write ``st`` to ``path`` (through a temporary name: a reader never sees half)."""
    parts = termfile.arrays_of(
        st.terms,
        st.starts,
        np.asarray(st.docs),
        {f: np.asarray(w) for f, w in st.weights.items()},
        st.field_df,
        st.fwd_starts,
        np.asarray(st.fwd_terms),
        np.asarray(st.fwd_counts),
    )
    termfile.write_parts(path, st.fields, len(st.terms), parts)


class _Descriptor:
    """An open file descriptor, closed when the last array reading it is gone."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDONLY)

    def __del__(self) -> None:
        if getattr(self, "fd", -1) >= 0:  # not when os.open failed
            os.close(self.fd)


def array_readers(file, base: int, specs: dict[str, Any]):
    """Readers of a file's named arrays (offset, dtype, length in ``specs``, after ``base``):
    one that leaves an array on disk, read a slice at a time, and one that loads it whole."""

    def on_disk(name: str) -> FileArray:
        spec = specs[name]
        return FileArray(file, base + spec["offset"], np.dtype(spec["dtype"]), spec["length"])

    def in_memory(name: str) -> np.ndarray:
        whole = on_disk(name)
        return whole[0 : len(whole)]

    return on_disk, in_memory


class FileArray:
    """A read-only array on disk whose slices are read when asked (``pread``):
    a query reads a few postings lists, through the OS page cache that every
    process shares, and holds nothing once answered. (A memory map of the
    same file counted every page ever touched in the server's RSS, 170 MB at
    100k articles.)"""

    def __init__(self, file: _Descriptor, offset: int, dtype: np.dtype, length: int) -> None:
        self.file, self.offset, self.dtype, self.length = file, offset, dtype, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, span: slice) -> np.ndarray:
        start, stop, _ = span.indices(self.length)
        count = max(stop - start, 0)
        size = self.dtype.itemsize
        data = os.pread(self.file.fd, count * size, self.offset + start * size)
        return np.frombuffer(data, dtype=self.dtype, count=count)


def load(path: Path) -> SegmentTerms:
    """Open a written file; raises ValueError when it is not one. The small
    arrays (per term, per document) are read into memory, the postings and the
    forward index stay on disk as ``FileArray``s."""
    file = _Descriptor(path)
    head = os.pread(file.fd, len(MAGIC) + 8, 0)
    if head[: len(MAGIC)] != MAGIC:
        raise ValueError(f"{path.name} is not a term index file")
    size = int.from_bytes(head[len(MAGIC) :], "little")
    base = len(MAGIC) + 8
    header = json.loads(os.pread(file.fd, size, base).decode("utf-8"))
    base += size

    on_disk, in_memory = array_readers(file, base, header["arrays"])

    blob = in_memory("lexicon").tobytes().decode("utf-8")
    terms = blob.split("\0") if header["terms"] else []
    fields = tuple(header["fields"])
    return SegmentTerms(
        fields=fields,
        terms=terms,
        starts=in_memory("starts"),
        docs=on_disk("docs"),
        weights={f: on_disk(f"w.{f}") for f in fields},
        field_df={f: in_memory(f"df.{f}") for f in fields},
        fwd_starts=in_memory("fwd_starts"),
        fwd_terms=on_disk("fwd_terms"),
        fwd_counts=on_disk("fwd_counts"),
    )


def segment_file(reader: Any, folder: str | Path | None = None) -> Path | None:
    """Where a segment reader's term index file is (None: not a folder index).
    ``folder``: the index folder, needed for a compound segment (built by an
    older version), whose reader's storage is the compound file."""
    segment = reader.segment()
    folder = folder or getattr(getattr(reader, "storage", lambda: None)(), "folder", None)
    if segment is None or folder is None:
        return None
    return Path(folder) / segment.make_filename(SUFFIX)


def write_missing(
    build_dir: Path, ix: Any, fields: tuple[str, ...] = schema.DEFAULT_FIELDS
) -> None:
    """After a commit: write the file of each segment that lacks one, and remove
    files whose segment is gone."""
    with ix.reader() as top:
        readers = [r for r, _ in top.leaf_readers()]
        wanted = set()
        for reader in readers:
            segment = reader.segment()
            if segment is None:  # an index with no documents has no segment
                continue
            name = segment.make_filename(SUFFIX)
            wanted.add(name)
            if not (build_dir / name).exists():
                termfile.write_segment(build_dir / name, reader, fields)
    for path in build_dir.glob(f"*{SUFFIX}"):
        if path.name not in wanted:
            path.unlink()


# Opened segments, shared by every thread while some open searcher uses them:
# keyed by the file's inode (builds sharing a segment through a hard link
# share one), or by folder and segment for arrays built in memory. Weak, so a
# replaced build's files are closed once its last searcher is gone.
_OPENED: weakref.WeakValueDictionary[tuple, SegmentTerms] = weakref.WeakValueDictionary()
_LOCK = threading.Lock()


def for_reader(
    reader: Any, fields: tuple[str, ...], folder: str | Path | None = None
) -> SegmentTerms:
    """The arrays of a segment: its file, or when it has none (or one for other
    fields), built in memory from Whoosh postings once for all threads."""
    path = segment_file(reader, folder)
    try:
        stat = path.stat() if path is not None else None
    except OSError:
        stat = None
    with _LOCK:
        found = None
        if stat is not None:
            key: tuple = (stat.st_dev, stat.st_ino, stat.st_size)
            found = _OPENED.get(key)
            if found is None:
                try:
                    found = load(path)
                except (OSError, ValueError, KeyError):
                    found = None
        if found is None or not set(fields) <= set(found.fields):
            segment = reader.segment()
            key = ("built", str(path), segment.segment_id() if segment else id(reader), fields)
            found = _OPENED.get(key)
            if found is None:
                found = build(reader, fields)
        _OPENED[key] = found
        return found


def deleted_mask(reader: Any) -> np.ndarray | None:
    """True for the segment's deleted documents (None: it has none)."""
    if not reader.has_deletions():
        return None
    mask = np.ones(reader.doc_count_all(), dtype=bool)
    mask[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = False
    return mask
