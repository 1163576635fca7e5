"""Outlet templates: lines that recur across many pages of one outlet are boilerplate.

A newsletter promo or a "Follow us" line is printed on every page of an outlet,
while an article sentence appears on one page (or on a few syndicated copies,
usually at other outlets). Counting, per outlet, how many documents contain each
normalised line therefore finds the template without any rule about wording.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

# A line must recur in at least this many documents of one outlet. Two is too
# few: a story and its follow-up can share a quoted sentence. Three catches a
# template on the smallest outlets of the sample corpus (5 pages each).
MIN_DOCUMENTS = 3
# ... and in at least this share of the outlet's documents, so that on a large
# outlet a sentence quoted in a handful of follow-ups is not taken for template.
# 0.3 keeps a promo that only shows on some sections' pages; seen on the sample
# corpus and the seeds' outlet, where template lines sit on 60-100 % of pages.
MIN_SHARE = 0.3
# Lines longer than this are article prose even when repeated (a syndicated
# paragraph); templates are short. Chosen above the longest promo seen (~170).
MAX_TEMPLATE_CHARS = 300

_SPACE = re.compile(r"\s+")


def normalize_line(line: str) -> str:
    """Fold a line so that template repeats compare equal.

    NFKC folds no-break spaces and full-width forms, casefold removes case.
    Digits are kept: lines that differ in a number are different items ("Seats
    won: 12" and "Seats won: 45"), and folding them made every such line of an
    outlet boilerplate once three pages had one. A template line whose number
    changes (a copyright year) is learned per value when that value is common.
    """
    text = unicodedata.normalize("NFKC", line).casefold()
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Templates:
    """Boilerplate lines learned per outlet (normalised with ``normalize_line``)."""

    by_outlet: dict[str, frozenset[str]] = field(default_factory=dict)

    def boilerplate_for(self, outlet: str | None) -> frozenset[str]:
        if outlet is None:
            return frozenset()
        return self.by_outlet.get(outlet, frozenset())

    def to_json(self) -> str:
        data = {k: sorted(v) for k, v in sorted(self.by_outlet.items())}
        return json.dumps({"version": 1, "outlets": data}, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Templates:
        data = json.loads(text)
        outlets = data.get("outlets", {})
        return cls({k: frozenset(v) for k, v in outlets.items()})


def learn(documents: Iterable[tuple[str, Iterable[str]]]) -> Templates:
    """Learn templates from ``(outlet, lines)`` pairs, one pair per document."""
    doc_counts: dict[str, int] = Counter()
    line_counts: dict[str, Counter[str]] = {}
    for outlet, lines in documents:
        doc_counts[outlet] += 1
        seen = {normalize_line(line) for line in lines}
        seen.discard("")
        counter = line_counts.setdefault(outlet, Counter())
        counter.update(x for x in seen if len(x) <= MAX_TEMPLATE_CHARS)
    by_outlet: dict[str, frozenset[str]] = {}
    for outlet, counter in line_counts.items():
        needed = max(MIN_DOCUMENTS, MIN_SHARE * doc_counts[outlet])
        lines = frozenset(line for line, n in counter.items() if n >= needed)
        if lines:
            by_outlet[outlet] = lines
    return Templates(by_outlet)
