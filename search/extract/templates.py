"""Outlet templates: what recurs across many pages of one outlet is the outlet's, not the story's.

A newsletter promo or a "Follow us" line is printed on every page of an outlet,
while an article sentence appears on one page (or on a few syndicated copies,
usually at other outlets). Counting, per outlet, how many documents contain each
normalised line therefore finds the template without any rule about wording.

The same holds for titles: "Headline - Example Blog" on one page and "Another
story - Example Blog" on the next. A separated first or last part of the
``<title>`` that recurs across the outlet's distinct pages is the outlet's
name (``site_names``), learned here and cut from each page's title at
extraction, whether or not any page declares it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .titles import name_candidates

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
# A title part is the outlet's name when it opens or closes the titles of at
# least this many distinct pages of the outlet ... (two: an outlet's name is
# the same on every page, so two stories agreeing on it is already evidence,
# and a folder of two pages is the smallest that can teach it) ...
NAME_MIN_PAGES = 2
# ... and more than this share of its distinct titles, so that a recurring
# series or column ("Weekly roundup - Week 3") on some of an outlet's pages is
# not taken for its name. Half: a name sits on (nearly) every page, a series,
# a section or a kicker on a part of them. Chosen on Dragnet, where the
# outlets whose titles carry a name have it on all of their pages, and two
# columns sit on exactly half of a blog's pages ("Q&A:" on 4 of 8, an event's
# name on 3 of 6: "at least half" took them for names); Scrapinghub's outlets
# have two pages each, which either reading takes alike.
NAME_MIN_SHARE = 0.5

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
    """Boilerplate lines learned per outlet (normalised with ``normalize_line``),
    and the names its titles carry (``site_names``, as printed)."""

    by_outlet: dict[str, frozenset[str]] = field(default_factory=dict)
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def boilerplate_for(self, outlet: str | None) -> frozenset[str]:
        if outlet is None:
            return frozenset()
        return self.by_outlet.get(outlet, frozenset())

    def names_for(self, outlet: str | None) -> tuple[str, ...]:
        """The outlet's name as its titles print it, first and last parts (longest first)."""
        if outlet is None:
            return ()
        return self.names.get(outlet, ())

    def to_json(self) -> str:
        data = {k: sorted(v) for k, v in sorted(self.by_outlet.items())}
        names = {k: list(v) for k, v in sorted(self.names.items())}
        return json.dumps(
            {"version": 1, "outlets": data, "names": names}, ensure_ascii=False, indent=1
        )

    @classmethod
    def from_json(cls, text: str) -> Templates:
        data = json.loads(text)
        outlets = data.get("outlets", {})
        names = data.get("names", {})  # absent from builds made before names were learned
        return cls(
            {k: frozenset(v) for k, v in outlets.items()},
            {k: tuple(v) for k, v in names.items()},
        )


# One document's lesson: its outlet, its candidate template lines and,
# optionally, its title (the page's <title>; None when it has none).
Document = tuple[str, Iterable[str]] | tuple[str, Iterable[str], str | None]


def learn(documents: Iterable[Document]) -> Templates:
    """Learn templates from ``(outlet, lines[, title])``, one tuple per document."""
    learner = Learner()
    for outlet, lines, *title in documents:
        learner.add(outlet, lines, title[0] if title else None)
    return learner.templates()


class Learner:
    """``learn`` one document at a time: an outlet's template depends on its own
    documents only, so a build can finish the pages of a folder as soon as the
    folder has been read, while the next one is still being parsed."""

    def __init__(self) -> None:
        self.doc_counts: Counter[str] = Counter()
        self.line_counts: dict[str, Counter[str]] = {}
        self.titles: dict[str, set[str]] = {}

    def add(self, outlet: str, lines: Iterable[str], title: str | None = None) -> None:
        self.doc_counts[outlet] += 1
        seen = {normalize_line(line) for line in lines}
        seen.discard("")
        counter = self.line_counts.setdefault(outlet, Counter())
        counter.update(x for x in seen if len(x) <= MAX_TEMPLATE_CHARS)
        if title:
            self.titles.setdefault(outlet, set()).add(" ".join(title.split()))

    def templates(self) -> Templates:
        by_outlet: dict[str, frozenset[str]] = {}
        for outlet, counter in self.line_counts.items():
            needed = max(MIN_DOCUMENTS, MIN_SHARE * self.doc_counts[outlet])
            lines = frozenset(line for line, n in counter.items() if n >= needed)
            if lines:
                by_outlet[outlet] = lines
        names = {o: learned for o, t in self.titles.items() if (learned := site_names(t))}
        return Templates(by_outlet, names)


class FolderLearner:
    """``Learner`` over a build's files in walk order, a folder at a time: an
    outlet is a folder (or a site within one), so once the walk is past a
    folder's last file its templates are those a whole-corpus pass would
    learn, and its line counts can go (held for the whole corpus at once,
    they were most of a large build's memory)."""

    def __init__(self, folders: Iterable[str]) -> None:
        """``folders``: each file's folder, in the order the files will come."""
        self._last = {folder: n for n, folder in enumerate(folders)}
        self._reading: dict[str, Learner] = {}
        self._by_outlet: dict[str, frozenset[str]] = {}
        self._names: dict[str, tuple[str, ...]] = {}

    def add(
        self, n: int, folder: str, lesson: tuple[str, Iterable[str], str | None] | None
    ) -> Templates | None:
        """File ``n`` of ``folder`` and its lesson (None: it teaches nothing); the
        folder's templates if this was its last file."""
        learner = self._reading.setdefault(folder, Learner())
        if lesson is not None:
            learner.add(*lesson)
        if self._last[folder] != n:
            return None
        learned = self._reading.pop(folder).templates()
        self._by_outlet.update(learned.by_outlet)
        self._names.update(learned.names)
        return learned

    def templates(self) -> Templates:
        """Every closed folder's templates."""
        return Templates(dict(self._by_outlet), dict(self._names))


def site_names(titles: Iterable[str]) -> tuple[str, ...]:
    """The name an outlet's titles carry: the longest separated first part and
    the longest separated last part that recur on enough of its distinct titles
    (``NAME_MIN_PAGES``, ``NAME_MIN_SHARE``). A part counts once per title, and
    only where something is left beside it (a title that is only the name
    teaches nothing)."""
    distinct = set(titles)
    needed, half = NAME_MIN_PAGES, NAME_MIN_SHARE * len(distinct)
    found: list[str] = []
    for side in ("first", "last"):
        counts: Counter[str] = Counter()
        printed: dict[str, str] = {}
        for title in sorted(distinct):  # sorted: the printed form must not vary by run
            for key, part in name_candidates(title, side):
                counts[key] += 1
                printed.setdefault(key, part)
        recurring = [key for key, n in counts.items() if n >= needed and n > half]
        if recurring:
            found.append(printed[max(recurring, key=len)])
    return tuple(sorted(set(found), key=len, reverse=True))
