"""Whether two versions of the code build the same index of a corpus.

    .venv/bin/python bench/same_index.py --corpus DIR --base /path/to/other/checkout \\
        [--queries "harbour|ferry pilots|..."] [--work DIR]

Rebuilds ``--corpus`` once with this checkout's code and once with the code
of ``--base`` (each in its own process, ``PYTHONPATH`` pointing at its
checkout), then compares what a user can see: every stored document in
index order, each document's duplicate group as the serving side reads it
(a Whoosh column in older builds, a group file in newer ones), the hits of
each query in order with their scores and folded copies, related coverage of
the first documents, and the learned templates. Prints one line per aspect
and exits 1 on any difference. A refactoring of the build (issue #14: the
groups out of the Whoosh documents, HTML pages finished folder by folder)
must leave all of them unchanged.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_QUERIES = (
    'the|police|government said|election|"prime minister"|market -china|apple'
    "|football club|weather|harbour|ferry|library levy|voter id"
)
# Documents whose related coverage is compared (related is a search per document).
RELATED_DOCS = 40


def dump(index_dir: Path, queries: list[str]) -> dict:
    """What a user can see of the index at ``index_dir`` (run with the code to test)."""
    from whoosh import index as whoosh_index

    from search import Index, schema
    from search.serve.whoosh_page import column
    from search.store import layout

    build = layout.builds_dir(index_dir) / layout.current_generation(index_dir)
    ix = whoosh_index.open_dir(str(build))
    documents = []
    try:
        with ix.reader() as top:
            for reader, _ in top.leaf_readers():
                groups = column(reader, schema.DUP_GROUP)
                for n in reader.all_doc_ids():
                    stored = dict(reader.stored_fields(n))
                    stored.pop(schema.DUP_GROUP, None)  # older builds stored it too
                    stored["(group)"] = groups[n]
                    documents.append({k: str(v) for k, v in sorted(stored.items())})
    finally:
        ix.close()
    out: dict = {"documents": documents, "rankings": {}, "related": {}}
    with Index(index_dir) as index:
        for q in queries:
            page = index.search(q)
            out["rankings"][q] = {
                "total": page.total,
                "hits": [
                    [h.path, round(h.score, 6), [d.path for d in h.duplicates]] for h in page.hits
                ],
            }
        for doc in documents[:RELATED_DOCS]:
            out["related"][doc["path"]] = [r.path for r in index.related(doc["id"])]
    out["templates"] = json.loads((build / "templates.json").read_text(encoding="utf-8"))
    return out


def build_and_dump(code: Path, corpus: Path, index_dir: Path, queries: str) -> dict:
    shutil.rmtree(index_dir, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(code)}
    proc = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "_dump",
            str(corpus),
            str(index_dir),
            queries,
        ],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"the build with {code} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "_dump":
        corpus, index_dir, queries = Path(argv[1]), Path(argv[2]), argv[3]
        from search import rebuild

        rebuild(corpus, index_dir)
        print(json.dumps(dump(index_dir, queries.split("|"))))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--base", required=True, help="checkout of the code to compare with")
    ap.add_argument("--queries", default=DEFAULT_QUERIES, help="'|'-separated")
    ap.add_argument("--work", help="folder for the two indexes (default: a temporary one)")
    args = ap.parse_args(argv)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="newsearch-same-"))
    corpus = Path(args.corpus).resolve()
    ours = build_and_dump(REPO, corpus, work / "ours", args.queries)
    base = build_and_dump(Path(args.base).resolve(), corpus, work / "base", args.queries)
    same = True
    for aspect in ("documents", "rankings", "related", "templates"):
        equal = ours[aspect] == base[aspect]
        same &= equal
        print(f"{aspect:10s} {'same' if equal else 'DIFFERENT'} ({len(ours[aspect])} entries)")
    groups = len({d["(group)"] for d in ours["documents"]})
    hits = sum(len(r["hits"]) for r in ours["rankings"].values())
    print(
        f"{len(ours['documents'])} documents in {groups} groups; {hits} hits over "
        f"{len(ours['rankings'])} queries; related of {len(ours['related'])} documents"
    )
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
