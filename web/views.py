"""The HTML pages: parse the request, ask the library, render a template.

Errors from the library are not caught here: ``web.errors`` turns them into
pages with the right status at the edge.
"""

from __future__ import annotations

import dataclasses

from flask import Blueprint, Response, render_template, request, url_for

from search import BadQuery

from . import params, present
from .state import get_index

bp = Blueprint("views", __name__)
bp.add_app_template_filter(present.display_date, "display_date")
bp.add_app_template_global(present.page_numbers, "page_numbers")

OPENSEARCH_TYPE = "application/opensearchdescription+xml"


@bp.get("/")
def home() -> str:
    get_index()  # no index yet: the 503 page says how to build one
    return render_template("home.html")


@bp.get("/search")
def search() -> str:
    q = request.args.get("q", "")
    if not q.strip():
        return home()
    page, per_page = params.paging(request.args)
    results = get_index().search(q, page=page, per_page=per_page)
    if results.page > results.page_count:
        # Whoosh answers a page past the end with the last page's hits; show none.
        results = dataclasses.replace(results, hits=())
    terms = present.highlight_terms(results)
    titles = {hit.id: present.title_html(hit.title, terms) for hit in results.hits}
    return render_template(
        "results.html",
        q=q,
        results=results,
        titles=titles,
        last_page=present.last_page(results),
        per_page=per_page if "per_page" in request.args else None,
    )


@bp.get("/article/<article_id>")
def article(article_id: str) -> str:
    stored = get_index().article(article_id)
    q = request.args.get("q", "").strip()
    try:
        page = params.whole_number(request.args, "page", 1) or 1
    except BadQuery:  # a mangled back-link parameter must not hide the article
        page = 1
    back = url_for("views.search", q=q, page=page if page > 1 else None) if q else None
    paragraphs = present.paragraphs(stored.body)
    return render_template(
        "article.html",
        article=stored,
        summary=present.distinct_summary(stored.summary, paragraphs),
        paragraphs=paragraphs,
        original=present.original_url(stored.url),
        back=back,
        q=q,
    )


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    xml = render_template("opensearch.xml")
    return Response(xml, mimetype=OPENSEARCH_TYPE)
