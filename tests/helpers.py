"""Small builders shared by tests: tiny corpora written out in the test itself."""

from __future__ import annotations

import http.client
from pathlib import Path

# Three paragraphs of an ordinary news story, long enough that every extractor
# keeps them: the body the HTML extraction tests wrap in their page layouts.
STORY = [
    "The city council voted on Tuesday to rebuild the old harbour bridge, ending a"
    " debate that has divided residents for more than a decade.",
    "Engineers say the new span will carry twice the traffic and open in three years,"
    " although the budget still depends on a regional grant that is not yet approved.",
    "Opponents argued that the money would be better spent on the ferry service, which"
    " they said serves more commuters than the bridge ever did.",
]


def write_corpus(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: content}`` under ``root`` and return ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def article(title: str, *paragraphs: str, byline: str | None = None) -> str:
    """A plain-text article as a clean page export: headline, byline, paragraphs."""
    parts = [title]
    if byline:
        parts.append(f"By {byline}")
    parts.extend(paragraphs)
    return "\n\n".join(parts) + "\n"


def page_summary(results):
    """What two ways of answering a query must agree on: hits, scores, copies, totals, facets."""
    return (
        [(h.path, h.score, [d.path for d in h.duplicates]) for h in results.hits],
        results.total,
        results.collapsed,
        results.facets,
    )


def served_documents(index_dir: Path) -> list[dict]:
    """Every stored document of the served build, in index order (a document
    number is part of the index), each with its duplicate group (``dup_group``)
    as the serving side reads it."""
    from whoosh import index as whoosh_index

    from search import schema
    from search.serve.whoosh_page import column
    from search.store import layout

    build = layout.builds_dir(index_dir) / layout.current_generation(index_dir)
    ix = whoosh_index.open_dir(str(build))
    try:
        with ix.reader() as top:
            documents = []
            for reader, _ in top.leaf_readers():
                labels = column(reader, schema.DUP_GROUP)
                documents += [
                    {**reader.stored_fields(n), schema.DUP_GROUP: labels[n]}
                    for n in reader.all_doc_ids()
                ]
            return documents
    finally:
        ix.close()


def http_get(port: int, path: str, source: str, timeout: float) -> tuple[int, dict, bytes]:
    """GET from a local server as the client at address ``source`` (127.0.0.x), so
    that tests of per-client fairness can be several clients on one machine."""
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0)
    )
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()
