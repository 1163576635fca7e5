"""The parser never fails with anything but BadQuery, whatever is typed.

A seeded generator (no extra dependency: hypothesis would add shrinking,
which a token soup this small does not need) strings together the pieces
that broke Whoosh's parser before: operators in odd places, quotes glued to
field names, unbalanced brackets, wildcards, internal field names, control
and surrogate characters.
"""

from __future__ import annotations

import random

import pytest

from search import BadQuery, schema
from search.serve.parse import parse

PIECES = [
    "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "and", "(", ")", '"', "'", "*",
    "+", "-", "~", "^2", ":", "harbour", "ferry", "co*", "ma*", "x", "title:", "author:",
    "source:", "summary:", "body:", "url:", "path:", "fingerprint:", "spell_body:",
    "dup_group:", "id:", "published:", "[a TO z]", "{", "}", "\\", "/", "?", "\x00", "\x1b",
    "\u202e", "\udc80", "ﬁ", "Ｈ", "🚢", "é", "1999", "-5", "..", ",", ";",
]  # fmt: skip
INTERNAL = {
    schema.PATH, schema.URL, schema.FINGERPRINT, schema.DUP_GROUP, schema.SPELLING_FIELD,
    schema.ID_FIELD, schema.PUBLISHED,
}  # fmt: skip


def _queries(n: int, seed: int = 15):
    rng = random.Random(seed)
    for _ in range(n):
        pieces = rng.choices(PIECES, k=rng.randint(1, 8))
        glue = rng.choice(["", " "])
        yield glue.join(pieces)


@pytest.mark.parametrize("chunk", range(4))
def test_any_token_soup_parses_or_is_a_bad_query(chunk):
    for query in list(_queries(4_000))[chunk * 1_000 : (chunk + 1) * 1_000]:
        try:
            parsed = parse(query)
        except BadQuery as exc:
            assert str(exc)
            continue
        # Only the documented fields are ever searched.
        fields = {field for field, _ in parsed.query.iter_all_terms()}
        assert not fields & INTERNAL, (query, fields)
