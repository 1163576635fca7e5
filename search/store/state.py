"""What a build remembers about its corpus, so that an update can be incremental.

Beside the Whoosh index, each build keeps: the content hash, outlet and outcome
of every file it saw (``sources.json``), the outlet templates and how many
documents each was learned from (``templates.json``), and each article's
near-duplicate sketch (``sketches.pickle``). An update compares the corpus
against these instead of re-extracting it.
"""

from __future__ import annotations

import json
import pickle
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..duplicates import Sketch, packed
from ..extract.templates import Templates

SOURCES_FILE = "sources.json"
TEMPLATES_FILE = "templates.json"
SKETCHES_FILE = "sketches.pickle"


@dataclass(frozen=True)
class Source:
    """One corpus file as the build saw it; ``skip`` is the reason it is not indexed."""

    file_hash: str
    outlet: str
    skip: str | None = None
    detail: str = ""


@dataclass
class BuildState:
    sources: dict[str, Source] = field(default_factory=dict)
    templates: Templates = field(default_factory=Templates)
    # Documents each outlet's template was learned from (to decide when to relearn).
    learned_from: dict[str, int] = field(default_factory=dict)
    sketches: dict[str, Sketch] = field(default_factory=dict)

    FILES = (SOURCES_FILE, TEMPLATES_FILE, SKETCHES_FILE)

    def save(self, build: Path) -> None:
        sources = {path: asdict(s) for path, s in sorted(self.sources.items())}
        (build / SOURCES_FILE).write_text(json.dumps(sources), encoding="utf-8")
        templates = json.loads(self.templates.to_json())
        templates["learned_from"] = self.learned_from
        (build / TEMPLATES_FILE).write_text(
            json.dumps(templates, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        with open(build / SKETCHES_FILE, "wb") as fh:
            pickle.dump(self.sketches, fh, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, build: Path) -> BuildState:
        sources_raw = json.loads((build / SOURCES_FILE).read_text(encoding="utf-8"))
        templates_text = (build / TEMPLATES_FILE).read_text(encoding="utf-8")
        with open(build / SKETCHES_FILE, "rb") as fh:
            sketches = pickle.load(fh)
        return cls(
            sources={path: Source(**s) for path, s in sources_raw.items()},
            templates=Templates.from_json(templates_text),
            learned_from=json.loads(templates_text).get("learned_from", {}),
            sketches={i: packed(sk) for i, sk in sketches.items()},
        )
