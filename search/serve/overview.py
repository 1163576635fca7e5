"""What an index holds, for a home page that shows readers what they can find:
how many articles, from how many outlets, over which dates, and the latest ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from whoosh.util.times import long_to_datetime

from ..model import Hit
from . import array_page

# Latest articles listed on the home page.
LATEST = 5


@dataclass(frozen=True)
class Overview:
    articles: int
    outlets: int
    first: datetime | None
    last: datetime | None
    latest: tuple[Hit, ...] = ()


def overview(searcher, cols: array_page.Columns, latest: tuple[Hit, ...]) -> Overview:
    live = np.ones(len(cols.codes["source"]), dtype=bool)
    reader = searcher.reader()
    if reader.has_deletions():
        for docnum in range(len(live)):
            live[docnum] = not reader.is_deleted(docnum)
    labels = cols.labels["source"]
    used = np.unique(cols.codes["source"][live]).tolist()
    outlets = sum(1 for code in used if labels[code])
    dated = cols.published[cols.dated & live]
    first = last = None
    if len(dated):
        first, last = long_to_datetime(int(dated.min())), long_to_datetime(int(dated.max()))
    return Overview(int(live.sum()), outlets, first, last, latest)
