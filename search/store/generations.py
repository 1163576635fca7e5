"""Opening a served build: the one CURRENT names or, when its files are
damaged, the newest older build that is intact, with a warning that says
which command to run."""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index

from ..errors import IndexCorrupt
from . import layout


class Generation:
    """One opened build, shared by the threads that search it."""

    def __init__(self, path: Path, name: str) -> None:
        try:
            self.ix = whoosh_index.open_dir(str(path))
        except Exception as exc:  # Whoosh raises many types for a damaged index
            raise IndexCorrupt(
                f"the index build {name!r} cannot be opened ({type(exc).__name__}: {exc}); "
                "run: newsearch rebuild"
            ) from exc
        self.name = name
        self.path = path


def open_intact(index_dir: Path) -> tuple[Generation, str | None]:
    """The build to serve, and a warning when it is not the one CURRENT names."""
    current = layout.current_build(index_dir)
    candidates = [current.name] + [g for g in layout.finished_builds(index_dir) if g < current.name]
    problems = []
    for name in candidates:
        path = layout.builds_dir(index_dir) / name
        problem = layout.damage(path)
        if problem is None:
            try:
                generation = Generation(path, name)
            except IndexCorrupt as exc:
                problem = str(exc)
            else:
                warning = (
                    None
                    if name == current.name
                    else f"index build {current.name} is damaged ({problems[0]}); "
                    f"serving the previous build {name}; run: newsearch rebuild "
                    f"--index {index_dir}"
                )
                return generation, warning
        problems.append(problem)
    raise IndexCorrupt(
        f"the index in {str(index_dir)!r} is damaged ({problems[0]}) and no "
        f"earlier build is intact; run: newsearch rebuild --index {index_dir}"
    )
