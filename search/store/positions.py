"""Where each word of the ranked fields stands, as sorted arrays: one file beside
each Whoosh segment, for phrase queries.

Whoosh keeps a posting's positions as a pickled list, and matches a phrase one
document at a time in Python: a phrase of common words ("the company said")
stepped through every article holding its words until the deadline stopped
it. Here every occurrence of a term in a field is one number, its *global
position*: ``doc_start[doc] + position in the document`` (positions as Whoosh
numbers them: stop words keep their place), so a term's occurrences in the
whole segment are one sorted array, and a phrase is a few ``searchsorted``
over them (``serve.phrases``).

Layout of ``<segment id>.npo``: MAGIC, then the arrays, 8-byte aligned, then a
JSON footer naming each array's dtype, offset and length, then the footer's
length (8 bytes, little endian). Per field: ``pos.<field>`` (every term's
global positions, terms in the order of the segment's term index file,
``termindex``), ``at.<field>`` (term -> its first position, one more entry
than terms) and ``doc_start.<field>`` (document -> its first global position,
one more entry than documents). Positions are uint32 while the field's
positions fit, else uint64. Terms are the term index file's rows: the footer
holds their number and a CRC of its lexicon, checked when the file is opened,
so the two files cannot be paired wrongly.

Written after each commit from the segment's own postings, a term at a time
(two passes: the first finds where each document's positions end, through a
spool file, so that nothing of the size of the segment is held in memory). A
segment without the file (a build made before it existed) is searched by
Whoosh's phrase matching, as before; ``newsearch update`` writes the files.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import threading
import weakref
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import formats
from whoosh.matching import FilterMatcher

from .. import schema
from . import termfile, termindex
from .termindex import FileArray, SegmentTerms, _Descriptor

SUFFIX = ".npo"
_log = logging.getLogger(__name__)
MAGIC = b"NSPOS001"
_ALIGN = 8
_INT_SIZE = 4  # Whoosh's positions value: a 4-byte count, then the pickled deltas
_UINT32_LIMIT = 2**32 - 1


@dataclass
class FieldPositions:
    """One field's positions in one segment (the positions stay on disk)."""

    at: np.ndarray  # term row -> first index into ``positions``
    positions: np.ndarray | FileArray
    doc_start: np.ndarray  # document -> its first global position

    def count(self, term_id: int) -> int:
        return int(self.at[term_id + 1] - self.at[term_id])

    def of(self, term_id: int) -> np.ndarray:
        """Every global position of the term in this field, ascending (int64)."""
        start, stop = int(self.at[term_id]), int(self.at[term_id + 1])
        return np.asarray(self.positions[start:stop], dtype=np.int64)


@dataclass
class SegmentPositions:
    fields: dict[str, FieldPositions]


def lexicon_crc(terms: list[str]) -> int:
    return zlib.crc32("\0".join(terms).encode("utf-8"))


# -- writing ---------------------------------------------------------------------------


def _postings_values(reader: Any, field: str, text: str) -> tuple[list[int], list[bytes]]:
    """Every (document, encoded positions) of a term in one segment, deleted
    documents included (the file belongs to the segment, not to a build)."""
    m = reader.postings(field, text)
    if isinstance(m, FilterMatcher) and m._exclude and hasattr(m.child, "_next_block"):
        m = m.child
        m.reset()
    ids: list[int] = []
    values: list[bytes] = []
    if hasattr(m, "_read_ids") and hasattr(m, "_read_values") and hasattr(m, "_next_block"):
        while m.is_active():
            m._read_ids()
            m._read_values()
            ids.extend(m._ids)
            values.extend(m._values)
            m._next_block()
    else:
        while m.is_active():
            ids.append(m.id())
            values.append(m.value())
            m.next()
    return ids, values


def _decode(values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(occurrences of each posting, positions in their documents, posting after
    posting): Whoosh's ``Positions.decode_positions`` for many postings at once."""
    deltas: list[int] = []
    counts = np.empty(len(values), dtype=np.int64)
    for i, value in enumerate(values):
        body = value[_INT_SIZE:]
        got = pickle.loads(body if body.endswith(b".") else body + b".")
        deltas.extend(got)
        counts[i] = len(got)
    running = np.cumsum(np.asarray(deltas, dtype=np.int64))
    # Each posting's deltas start again from 0: subtract the sum before it.
    ends = np.cumsum(counts)
    before = np.zeros(len(counts), dtype=np.int64)
    before[1:] = running[ends[:-1] - 1]
    return counts, running - np.repeat(before, counts)


def _writable_fields(reader: Any, fields: tuple[str, ...]) -> list[str]:
    """The fields whose postings hold positions in Whoosh's plain format."""
    found = []
    for field in fields:
        if field in reader.schema and type(reader.schema[field].format) is formats.Positions:
            found.append(field)
    return found


# Postings decoded together in pass 1, and positions per read in pass 2: a
# term at a time cost more in numpy's per-call overhead than in decoding
# (most terms have one or two postings); this bounds the batch's memory
# (~100 bytes a posting) while amortising it.
_BATCH_POSTINGS = 50_000
_CHUNK_POSITIONS = 1 << 20


def write(path: Path, reader: Any, terms: list[str], fields: tuple[str, ...]) -> None:
    """Write the positions of one segment (``reader``) to ``path`` (through a
    temporary name), term rows as in ``terms`` (its term index file's)."""
    doc_count = reader.doc_count_all()
    spools = [path.with_name(path.name + suffix) for suffix in (".docs", ".where")]
    tmp = path.with_name(path.name + ".tmp")
    row = {t: i for i, t in enumerate(terms)}
    arrays: dict[str, dict[str, Any]] = {}
    try:
        with open(tmp, "wb") as out:
            out.write(MAGIC)
            offset = 0

            def put(name: str, data: bytes, dtype: Any, length: int) -> None:
                nonlocal offset
                out.write(data + b"\0" * (-len(data) % _ALIGN))
                arrays[name] = {"dtype": np.dtype(dtype).str, "offset": offset, "length": length}
                offset += len(data) + (-len(data) % _ALIGN)

            for field in _writable_fields(reader, fields):
                counts, last = _spool_field(reader, field, row, doc_count, spools)
                doc_start = np.zeros(doc_count + 1, dtype=np.int64)
                np.cumsum(last + 1, out=doc_start[1:])
                dtype = np.uint32 if doc_start[-1] <= _UINT32_LIMIT else np.uint64
                # Pass 2: the global positions, in the spool's order (term rows').
                total = 0
                with open(spools[0], "rb") as docs_in, open(spools[1], "rb") as where_in:
                    while True:
                        docs = np.frombuffer(docs_in.read(4 * _CHUNK_POSITIONS), dtype=np.int32)
                        if not len(docs):
                            break
                        where = np.frombuffer(where_in.read(4 * len(docs)), dtype=np.uint32)
                        out.write((doc_start[docs] + where).astype(dtype).tobytes())
                        total += len(docs)
                size = total * np.dtype(dtype).itemsize
                out.write(b"\0" * (-size % _ALIGN))
                arrays[f"pos.{field}"] = {
                    "dtype": np.dtype(dtype).str,
                    "offset": offset,
                    "length": total,
                }
                offset += size + (-size % _ALIGN)
                at = np.cumsum(counts)
                put(f"at.{field}", at.tobytes(), np.int64, len(at))
                put(f"doc_start.{field}", doc_start.tobytes(), np.int64, len(doc_start))
            footer = json.dumps(
                {
                    "fields": [f for f in fields if f"pos.{f}" in arrays],
                    "terms": len(terms),
                    "lexicon_crc": lexicon_crc(terms),
                    "docs": doc_count,
                    "arrays": arrays,
                }
            ).encode("utf-8")
            out.write(footer + len(footer).to_bytes(8, "little"))
        os.replace(tmp, path)
    finally:
        for leftover in (*spools, tmp):
            leftover.unlink(missing_ok=True)


def _spool_field(
    reader: Any, field: str, row: dict[str, int], doc_count: int, spools: list[Path]
) -> tuple[np.ndarray, np.ndarray]:
    """Pass 1 over one field: every occurrence's document and position, term
    row after term row, into the two spool files; returns each row's number
    of occurrences (shifted by one, for the cumulative sum) and each
    document's last position (-1: none in this field)."""
    counts = np.zeros(len(row) + 1, dtype=np.int64)
    last = np.full(doc_count, -1, dtype=np.int64)
    with open(spools[0], "wb") as docs_out, open(spools[1], "wb") as where_out:
        batch_rows: list[int] = []  # a term's row per posting of the batch
        batch_ids: list[int] = []
        batch_values: list[bytes] = []

        def flush() -> None:
            if not batch_values:
                return
            per_posting, where = _decode(batch_values)
            ids = np.asarray(batch_ids, dtype=np.int64)
            # A posting's positions ascend: its last one is the largest.
            np.maximum.at(last, ids, where[np.cumsum(per_posting) - 1])
            np.add.at(counts, np.asarray(batch_rows, dtype=np.int64) + 1, per_posting)
            docs_out.write(np.repeat(ids, per_posting).astype(np.int32).tobytes())
            where_out.write(where.astype(np.uint32).tobytes())
            batch_rows.clear()
            batch_ids.clear()
            batch_values.clear()

        previous = -1
        for text in reader.lexicon(field):
            term = text.decode("utf-8") if isinstance(text, bytes) else text
            i = row.get(term, -1)
            if i <= previous:  # not in the term index, or not in its order
                raise ValueError(f"term {term!r} of {field} does not match the term index")
            previous = i
            ids, values = _postings_values(reader, field, text)
            batch_rows.extend([i] * len(ids))
            batch_ids.extend(ids)
            batch_values.extend(values)
            if len(batch_values) >= _BATCH_POSTINGS:
                flush()
        flush()
    return counts, last


def write_missing(
    build_dir: Path, ix: Any, fields: tuple[str, ...] = schema.DEFAULT_FIELDS
) -> None:
    """After a commit (before, after or while ``termindex.write_missing`` runs:
    the rows are the same, ``termfile.segment_terms``): write the file of each
    segment that lacks one, and remove files whose segment is gone."""
    wanted = set()
    with ix.reader() as top:
        for reader, _ in top.leaf_readers():
            segment = reader.segment()
            if segment is None:  # an index with no documents has no segment
                continue
            name = segment.make_filename(SUFFIX)
            wanted.add(name)
            if (build_dir / name).exists():
                continue
            try:
                write(build_dir / name, reader, termfile.segment_terms(reader, fields), fields)
            except ValueError as exc:
                # Phrases in this segment are then matched by Whoosh, as before
                # the files existed: slower, never a failed build.
                _log.warning("no position file for segment %s: %s", name, exc)
    for path in build_dir.glob(f"*{SUFFIX}"):
        if path.name not in wanted:
            path.unlink()


# -- reading ---------------------------------------------------------------------------


def load(path: Path, terms: SegmentTerms) -> SegmentPositions:
    """Open a written file for the segment whose term index is ``terms``;
    ValueError when it is not one, or was written for other term rows."""
    file = _Descriptor(path)
    size = os.fstat(file.fd).st_size
    if size < len(MAGIC) + 8 or os.pread(file.fd, len(MAGIC), 0) != MAGIC:
        raise ValueError(f"{path.name} is not a positions file")
    length = int.from_bytes(os.pread(file.fd, 8, size - 8), "little")
    footer = json.loads(os.pread(file.fd, length, size - 8 - length).decode("utf-8"))
    if footer["terms"] != len(terms.terms) or footer["lexicon_crc"] != lexicon_crc(terms.terms):
        raise ValueError(f"{path.name} was written for another term index")
    base = len(MAGIC)

    on_disk, in_memory = termindex.array_readers(file, base, footer["arrays"])

    return SegmentPositions(
        fields={
            f: FieldPositions(
                at=in_memory(f"at.{f}"),
                positions=on_disk(f"pos.{f}"),
                doc_start=in_memory(f"doc_start.{f}"),
            )
            for f in footer["fields"]
        }
    )


# Opened files, one per segment's term index arrays (``termindex.for_reader``
# shares those between threads and builds holding the segment), kept as long
# as those arrays are: a file is read once per opened build, not per query.
_OPENED: dict[int, tuple[tuple, SegmentPositions]] = {}
_MISSING = SegmentPositions(fields={})
_LOCK = threading.Lock()


def for_reader(reader: Any, terms: SegmentTerms, folder: str | Path | None) -> SegmentPositions:
    """The positions of a segment; no fields when it has no (usable) file."""
    path = termindex.segment_file(reader, folder)
    if path is None:
        return _MISSING
    path = path.with_suffix(SUFFIX)
    try:
        stat = path.stat()
    except OSError:
        return _MISSING
    key = (stat.st_dev, stat.st_ino, stat.st_size)
    with _LOCK:
        known = _OPENED.get(id(terms))
        if known is not None and known[0] == key:
            return known[1]
        try:
            found = load(path, terms)
        except (OSError, ValueError, KeyError):
            found = _MISSING  # remembered: not read again for every query
        if known is None:
            weakref.finalize(terms, _OPENED.pop, id(terms), None)
        _OPENED[id(terms)] = (key, found)
        return found
