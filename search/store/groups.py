"""Each document's near-duplicate group, in a file beside each Whoosh segment.

The group of an article is only known once every article's sketch is (it is
the smallest id of its connected component, ``duplicates.group``). Kept as a
Whoosh field, it had to be known before the article was added, so the index
writer waited for the whole extraction to finish before it took the first
article: on two cores a rebuild from HTML spent a third of its time writing
with one core idle. Kept here, the writer takes articles as they are
extracted and the groups are written after its commit.

``<segment id>.grp``: a NumPy ``.npy`` array of 16-byte labels, one per
segment document number (deleted ones included): the group's id, or the
document's own id when it has no copies - the values the ``dup_group``
column held. Unlike the term index files, these belong to a build, not to a
segment: an update can regroup old articles without touching their segment,
so every build writes the file of every segment anew, and never shares one
with another build through a hard link. A build written before this file
existed keeps its ``dup_group`` column, which is read instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .. import schema

SUFFIX = ".grp"
# A document id (``document.doc_id``) is 16 hex characters.
_LABEL = np.dtype("S16")


def segment_file(reader: Any, folder: str | Path | None = None) -> Path | None:
    """Where a segment reader's group file is (None: not a folder index)."""
    segment = reader.segment()
    folder = folder or getattr(getattr(reader, "storage", lambda: None)(), "folder", None)
    if segment is None or folder is None:
        return None
    return Path(folder) / segment.make_filename(SUFFIX)


def segment_labels(reader: Any, groups: Mapping[str, str]) -> np.ndarray:
    """Each of the segment's documents' group label, by document number. An id
    term holds one posting, which Whoosh keeps inside its term info: reading
    the labels costs no posting list."""
    labels = np.zeros(reader.doc_count_all(), dtype=_LABEL)
    if schema.ID_FIELD not in reader.schema or not len(labels):
        return labels
    for text, info in reader.iter_field(schema.ID_FIELD):
        own = text.decode("ascii") if isinstance(text, bytes) else text
        label = groups.get(own, own).encode("ascii")
        labels[info.min_id()] = label
        if info.doc_frequency() > 1:  # never in our builds; Whoosh allows it
            for docnum in reader.postings(schema.ID_FIELD, text).all_ids():
                labels[docnum] = label
    return labels


def write(build_dir: Path, ix: Any, groups: Mapping[str, str]) -> None:
    """After the commit: the group file of every segment (``groups`` maps each
    article with copies to its group's id), and none of a segment that is gone."""
    wanted = set()
    with ix.reader() as top:
        for reader, _ in top.leaf_readers():
            path = segment_file(reader, build_dir)
            if path is None:  # an index with no documents has no segment
                continue
            wanted.add(path.name)
            tmp = path.with_name(path.name + ".tmp")
            with open(tmp, "wb") as fh:
                np.save(fh, segment_labels(reader, groups), allow_pickle=False)
            os.replace(tmp, path)
    for path in build_dir.glob(f"*{SUFFIX}"):
        if path.name not in wanted:
            path.unlink()


def read(path: Path) -> list[str] | None:
    """The labels of a segment's documents, as the ``dup_group`` column gave
    them (str); None when the build has no group file (an older build)."""
    try:
        with open(path, "rb") as fh:
            labels = np.load(fh, allow_pickle=False)
    except FileNotFoundError:
        return None
    return [label.decode("ascii") for label in labels.tolist()]
