"""The JSON API: the library's stable shapes from ``search.serialize``, nothing added.

Errors leave as ``{"error": {"status": 400, "message": "..."}}`` (see ``web.errors``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from search import serialize

from . import params
from .state import get_index

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search() -> dict[str, Any]:
    page, per_page = params.paging(request.args)
    results = get_index().search(request.args.get("q", ""), page=page, per_page=per_page)
    return serialize.results_json(results)


@bp.get("/article/<article_id>")
def article(article_id: str) -> dict[str, Any]:
    return serialize.article_json(get_index().article(article_id))
