"""What one synchronisation of the index with the corpus must do.

Compares the corpus with what the base build saw (content hashes), relearns
the templates of outlets that changed enough, and lists what to extract and
what to delete. A fresh build scans and learns in one pass over the corpus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..document import doc_id
from ..extract.formats import folder_outlet
from ..extract.templates import MIN_DOCUMENTS, FolderLearner, Templates, learn
from ..model import Skip
from ..store.state import BuildState, Source
from . import corpus, pool
from .pool import Progress
from .spools import DraftSpool

# An update relearns an outlet's template when at least this share of the
# documents it was learned from were added, changed or deleted: a few new
# stories barely move line counts, while a redesign changes most pages at
# once. Relearning reads all of the outlet's pages, so it is not done lightly.
TEMPLATE_REFRESH_SHARE = 0.2


def learn_templates(
    files: list[corpus.CorpusFile],
    workers: int = 1,
    progress: Progress | None = None,
    drafts: DraftSpool | None = None,
) -> Templates:
    """Outlet templates from ``files``; parsed HTML pages are kept in ``drafts``."""
    found = pool.run(
        pool.lines_for_templates, files, workers=workers, progress=progress, phase="templates"
    )
    return _learn_from(found, drafts)


def _learn_from(found: Iterable[pool.Lesson | None], drafts: DraftSpool | None) -> Templates:
    def documents() -> Iterator[tuple[str, list[str], str | None]]:
        for item in found:
            if item is None:
                continue
            outlet, lines, title, draft = item
            if draft is not None and drafts is not None:
                drafts.put(draft)
            yield outlet, lines, title

    return learn(documents())


def _scan_and_learn(
    files: list[corpus.CorpusFile], workers: int, progress: Progress | None, drafts: DraftSpool
) -> tuple[list[pool.Scanned], Templates]:
    """A fresh build's scan and template learning in one pass over the corpus
    (every file is new, so every outlet learns its template from all its files),
    a folder at a time (``FolderLearner``: the whole corpus's line counts at
    once were 1.5 GB of the newsmix 300k build's peak)."""
    scans: list[pool.Scanned] = []
    learner = FolderLearner(folder_outlet(f.path) for f in files)
    found = pool.run(
        pool.scan_with_lines, files, workers=workers, progress=progress, phase="templates"
    )
    for n, (scanned, lesson) in enumerate(found):
        scans.append(scanned)
        if lesson is not None and lesson[3] is not None:
            drafts.put(lesson[3])
        learner.add(n, folder_outlet(scanned.path), lesson[:3] if lesson else None)
    return scans, learner.templates()


@dataclass
class Plan:
    state: BuildState
    to_extract: list[corpus.CorpusFile]
    to_delete: set[str]  # doc ids
    unchanged: int
    added: int
    changed: int
    deleted: int
    unreadable: list[Skip]


def plan(
    old: BuildState,
    files: list[corpus.CorpusFile],
    workers: int,
    progress: Progress | None,
    drafts: DraftSpool,
) -> Plan:
    """Compare the corpus with what the base build saw; relearn the templates of
    outlets that changed enough, and list what to extract and what to delete."""
    fresh: Templates | None = None
    if old.sources:
        scans = list(pool.run(pool.scan, files, workers=workers, progress=progress, phase="scan"))
    else:
        scans, fresh = _scan_and_learn(files, workers, progress, drafts)
    by_path = {f.path: f for f in files}
    current = {s.path: s for s in scans if s.file_hash is not None}
    new_or_changed = {
        p
        for p, s in current.items()
        if p not in old.sources or old.sources[p].file_hash != s.file_hash
    }
    deleted_paths = set(old.sources) - set(current)
    touched = Counter(current[p].outlet for p in new_or_changed)
    touched.update(old.sources[p].outlet for p in deleted_paths)
    # A file whose template key changed (a build keyed by the site a page
    # claims, before keys began with the folder) joins its new outlet.
    touched.update(
        s.outlet
        for p, s in current.items()
        if p in old.sources and old.sources[p].outlet != s.outlet
    )
    outlet_docs = Counter(s.outlet for s in current.values())
    relearn = {
        outlet
        for outlet, n in touched.items()
        if n >= TEMPLATE_REFRESH_SHARE * max(old.learned_from.get(outlet, 0), 1)
    }
    templates = {o: t for o, t in old.templates.by_outlet.items() if outlet_docs.get(o)}
    names = {o: n for o, n in old.templates.names.items() if outlet_docs.get(o)}
    learned_from = {o: n for o, n in old.learned_from.items() if outlet_docs.get(o)}
    outlet_files = [by_path[p] for p, s in current.items() if s.outlet in relearn]
    if fresh is None:
        fresh = (
            learn_templates(outlet_files, workers, progress, drafts)
            if outlet_files
            else Templates()
        )
    retemplated = set()
    for outlet in relearn:
        before = templates.get(outlet, frozenset())
        after = fresh.boilerplate_for(outlet)
        if outlet_docs[outlet] >= MIN_DOCUMENTS or outlet in templates:
            learned_from[outlet] = outlet_docs[outlet]
        if after != before or fresh.names_for(outlet) != names.get(outlet, ()):
            retemplated.add(outlet)
        if after:
            templates[outlet] = after
        else:
            templates.pop(outlet, None)
        if fresh.names_for(outlet):
            names[outlet] = fresh.names_for(outlet)
        else:
            names.pop(outlet, None)
    # A changed template changes what every page of the outlet keeps.
    extract_paths = new_or_changed | {
        p for p, s in current.items() if s.outlet in retemplated and p in old.sources
    }
    sources = {
        p: old.sources[p] if p not in extract_paths else Source(s.file_hash, s.outlet)
        for p, s in current.items()
    }
    state = BuildState(
        sources=sources,
        templates=Templates(templates, names),
        learned_from=learned_from,
        sketches={i: sk for i, sk in old.sketches.items()},
    )
    had_article = {p for p, s in old.sources.items() if not s.skip}
    to_delete = {doc_id(p) for p in (deleted_paths | extract_paths) & had_article}
    for i in to_delete:
        state.sketches.pop(i, None)
    return Plan(
        state=state,
        to_extract=[by_path[p] for p in sorted(extract_paths)],
        to_delete=to_delete,
        unchanged=len(current) - len(new_or_changed),
        added=len(new_or_changed - set(old.sources)),
        changed=len(new_or_changed & set(old.sources)),
        deleted=len(deleted_paths),
        unreadable=[s.problem for s in scans if s.problem is not None],
    )
