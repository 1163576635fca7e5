"""A fresh build of HTML pages, finished folder by folder while the next folders are parsed.

A page's boilerplate is what recurs across its outlet's pages, so no page can
be finished before its outlet's template is learned. Learning from the whole
corpus first meant the index writer waited for every page to be parsed, then
worked alone while the other cores idled (on two cores, a rebuild from HTML
spent a third of its time so). But an outlet is a folder (and within it, the
site a page names: ``formats.template_key``), and the corpus is walked a
folder at a time: once the parse has gone past a folder's last page, its
templates are the ones a whole-corpus pass would learn, and its pages are
finished and indexed while the worker processes parse the next folder. The
index is the same as the two-pass build's, document for document
(tests/test_folders.py).

Only a fresh, local build of pages that all parse once (HTML) goes this way:
a text file is extracted from scratch once its template is known, which is
the worker processes' job, and a cluster's workers keep their parsed pages
(``pool.run_batch``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..extract import finish_draft
from ..extract.formats import folder_outlet, format_of
from ..extract.templates import MIN_DOCUMENTS, FolderLearner, Templates
from ..model import Article, Skip
from ..store.state import BuildState, Source
from . import corpus, pool
from .planning import Plan
from .pool import Progress
from .spools import DraftSpool


def applies(files: list[corpus.CorpusFile], fresh: bool) -> bool:
    """Whether a build of ``files`` goes folder by folder."""
    return (
        fresh
        and pool.local()
        and bool(files)
        and all((found := format_of(f.path)) is not None and found.prepare for f in files)
    )


def stream(
    files: list[corpus.CorpusFile], workers: int, progress: Progress | None, drafts: DraftSpool
) -> tuple[Plan, Iterator[pool.Extracted]]:
    """The build's plan and its extracted files in the order a two-pass build
    indexes them (``planning.plan``: by path); the plan is complete once the
    iterator is exhausted (it fills in as folders finish)."""
    plan = Plan(
        state=BuildState(),
        to_extract=sorted(files, key=lambda f: f.path),
        to_delete=set(),
        unchanged=0,
        added=0,
        changed=0,
        deleted=0,
        unreadable=[],
    )
    return plan, _extracted(plan, files, workers, progress, drafts)


def _extracted(
    plan: Plan,
    files: list[corpus.CorpusFile],
    workers: int,
    progress: Progress | None,
    drafts: DraftSpool,
) -> Iterator[pool.Extracted]:
    order = plan.to_extract
    # By path, a folder's own pages can have a subfolder's between them
    # ("a/b/c.html" sorts before "a/d.html"): a folder closes after its last page.
    learner = FolderLearner(folder_outlet(f.path) for f in order)
    outlet_docs: Counter[str] = Counter()
    unreadable: list[tuple[str, Skip]] = []
    # A folder's pages being read, finished once the parse is past its last one:
    # (position, path, draft?).
    reading: dict[str, list[tuple[int, str, bool]]] = {}
    ready: dict[int, pool.Extracted | None] = {}  # by position; None: nothing to index
    emitted = 0
    parsed = pool.run(
        pool.scan_with_lines, order, workers=workers, progress=progress, phase="extract"
    )
    for n, (scanned, lesson) in enumerate(parsed):
        name = folder_outlet(scanned.path)
        pages = reading.setdefault(name, [])
        taught = None
        if scanned.file_hash is None:
            if scanned.problem is not None:
                unreadable.append((scanned.path, scanned.problem))
            ready[n] = None
        else:
            outlet_docs[scanned.outlet] += 1
            plan.state.sources[scanned.path] = Source(scanned.file_hash, scanned.outlet)
            draft = lesson[3] if lesson is not None else None
            taught = lesson[:3] if lesson is not None else None
            if draft is not None:
                drafts.put(draft)
            pages.append((n, scanned.path, draft is not None))
        templates = learner.add(n, name, taught)
        if templates is not None:
            for position, path, has_draft in reading.pop(name):
                ready[position] = _finished(path, has_draft, templates, order[position], drafts)
        while emitted in ready:
            found = ready.pop(emitted)
            emitted += 1
            if found is not None:
                yield found
    # What ``planning.plan`` records of a fresh build: every outlet learned,
    # the unreadable files in the order of the walk.
    walked = {f.path: n for n, f in enumerate(files)}
    plan.unreadable = [skip for _, skip in sorted(unreadable, key=lambda u: walked[u[0]])]
    plan.state.templates = learner.templates()
    plan.state.learned_from = {o: n for o, n in outlet_docs.items() if n >= MIN_DOCUMENTS}
    plan.added = len(plan.state.sources)


def _finished(
    path: str,
    has_draft: bool,
    templates: Templates,
    file: corpus.CorpusFile,
    drafts: DraftSpool,
) -> pool.Extracted:
    result: Article | Skip
    if has_draft:
        result = finish_draft(drafts.get(path), templates)
    else:  # a page that would not parse: extraction says why
        result = pool.extract_file(file, templates)
    return pool.extracted(path, result)
