"""Suggestions while typing, as the search box shows them: completed words in
the context of the words typed before, reporters' and outlets' names, and
headlines that open their article."""

from __future__ import annotations

import re

from whoosh.searching import Searcher

from ..analysis import fold
from ..model import Completion
from . import names, spelling

# Names offered among the suggestions: a reporter and an outlet at most.
MAX_NAME_SUGGESTIONS = 2

_WORD = re.compile(r"\w+")


def completions(
    searcher: Searcher, text: str, limit: int, vocabulary: spelling.Vocabulary
) -> list[Completion]:
    headlines: dict[str, str] = {}
    found = spelling.suggestions(searcher, text, limit, vocabulary, headlines)
    words = _WORD.findall(fold(text))
    named: list[str] = []
    if words and len(text.strip()) >= spelling.MIN_SUGGEST_CHARS:
        *head, last = words
        named = names.get(searcher).completions(last, head)[:MAX_NAME_SUGGESTIONS]
    typed = [Completion(s) for s in found if s not in headlines and s not in named]
    out = [
        *typed[: max(0, limit - len(named) - len(headlines))],
        *(Completion(n, kind="name") for n in named),
        *(Completion(t, article_id=i, kind="headline") for t, i in headlines.items()),
    ]
    return out[:limit]
