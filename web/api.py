"""The JSON API: the library's stable shapes from ``search.serialize``, nothing added.

``/api/search`` takes the parameters of the search page (see ``web.params``).
Errors leave as ``{"error": {"status": 400, "message": "..."}}`` (see ``web.errors``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from search import serialize

from . import offload, params
from .state import get_index

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search() -> dict[str, Any]:
    results = offload.search(params.search_request(request.args))
    return serialize.results_json(results)


@bp.get("/article/<article_id>")
def article(article_id: str) -> dict[str, Any]:
    index = get_index()
    data = serialize.article_json(index.article(article_id), index.related(article_id))
    data["copies"] = [serialize.ref_json(ref) for ref in index.copies(article_id)]
    return data
