"""The HTML pages: parse the request, ask the library, render a template.

Errors from the library are not caught here: ``web.errors`` turns them into
pages with the right status at the edge.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request

from search import BadQuery
from search.model import SearchRequest

from . import facets, offload, params, present, urls
from .state import EXTENSION, IndexHolder, get_index

bp = Blueprint("views", __name__)
bp.add_app_template_filter(present.display_date, "display_date")
bp.add_app_template_global(present.byline, "byline")
bp.add_app_template_filter(present.duration, "duration")
bp.add_app_template_global(present.page_numbers, "page_numbers")
bp.add_app_template_global(urls.search_url, "search_url")
bp.add_app_template_global(urls.article_url, "article_url")
bp.add_app_template_global(urls.hidden_fields, "hidden_fields")
bp.add_app_template_global(urls.requiring, "requiring")
bp.add_app_template_global(urls.api_url, "api_url")
bp.add_app_template_global(urls.new_query_fields, "new_query_fields")

OPENSEARCH_TYPE = "application/opensearchdescription+xml"
# The description changes only with the deployment: a day in caches is fine.
OPENSEARCH_MAX_AGE_S = 86_400
SUGGESTIONS_TYPE = "application/x-suggestions+json"
# Typed text longer than this gets no suggestions: nobody types a paragraph
# into a search box one key at a time, and the index need not scan for it.
MAX_SUGGEST_CHARS = 100


@bp.app_context_processor
def _index_warning() -> dict[str, str | None]:
    """Pages say when an older build is served (the newest is damaged)."""
    holder: IndexHolder = current_app.extensions[EXTENSION]
    return {"index_warning": holder.warning}


@bp.get("/")
def home() -> str:
    index = get_index()  # no index yet: the 503 page says how to build one
    return render_template("home.html", overview=index.overview())


@bp.get("/search")
def search() -> str:
    state = params.search_request(request.args)
    if not state.query.strip() and not params.is_browse(state):
        return home()
    results = offload.search(state)
    return render_template(
        "results.html",
        q=state.query,
        state=state,
        results=results,
        browse=params.is_browse(state),
        facet_groups=facets.groups(results, state),
        active_filters=facets.active(state),
        clear_url=facets.clear_url(state),
        last_page=present.last_page(results),
    )


@bp.get("/article/<article_id>")
def article(article_id: str) -> str:
    index = get_index()
    stored = index.article(article_id)
    state = _found_by()
    paragraphs = present.paragraphs(stored.body)
    return render_template(
        "article.html",
        article=stored,
        summary=present.distinct_summary(stored.summary, paragraphs),
        paragraphs=paragraphs,
        original=present.original_url(stored.url),
        related=index.related(article_id),
        copies=index.copies(article_id),
        back=urls.search_url(state, page=state.page) if state else None,
        q=state.query if state else "",
    )


def _found_by() -> SearchRequest | None:
    """The search the reader came from, for the back link; a mangled parameter
    must not hide the article, so it falls back to the words alone."""
    try:
        state = params.search_request(request.args)
    except BadQuery:
        state = SearchRequest(request.args.get("q", ""))
    if not state.query.strip() and not params.is_browse(state):
        return None
    return state


@bp.get("/suggest")
def suggest() -> Response:
    """OpenSearch suggestions: ``["typed text", [text, ...], [description, ...],
    [url, ...]]``; a headline's URL opens its article, other URLs are empty
    (choosing them searches for the text)."""
    q = request.args.get("q", "")
    found = get_index().completions(q) if len(q) <= MAX_SUGGEST_CHARS else []
    texts = [c.text for c in found]
    descriptions = [_SUGGESTION_KINDS.get(c.kind, "") for c in found]
    links = [urls.article_url(c.article_id) if c.article_id else "" for c in found]
    body = current_app.json.dumps([q, texts, descriptions, links])
    return Response(body, mimetype=SUGGESTIONS_TYPE)


# What the page says beside a suggestion that is not the query completed.
_SUGGESTION_KINDS = {"name": "Reporter or outlet", "headline": "Article"}


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    """Browsers need absolute URLs here: from ``BASE_URL`` when it is set, else
    from the request's Host, in which case the answer varies by Host (a cache
    must not hand one client's Host to another)."""
    base = current_app.config.get("BASE_URL")
    xml = render_template("opensearch.xml", base=base or request.host_url.rstrip("/"))
    response = Response(xml, mimetype=OPENSEARCH_TYPE)
    response.cache_control.public = True
    response.cache_control.max_age = OPENSEARCH_MAX_AGE_S
    if not base:
        response.vary.add("Host")
    return response
