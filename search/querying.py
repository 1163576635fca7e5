"""Turning what a reader typed into a Whoosh query, or a BadQuery that says why not.

The parser accepts the syntax a reader expects (quoted phrases, AND/OR/NOT,
``title:``/``author:``/``source:``, a trailing ``*``) and natural-language
questions: words are OR-ed with a coordination bonus, so a document matching
most words is found and one matching all of them ranks first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from whoosh import qparser
from whoosh.query import AndNot, Not, NullQuery, Or, Query

from . import schema
from .errors import BadQuery

# Longest query accepted. A pasted paragraph of 300 words runs ~2,000
# characters; 5,000 leaves room for long natural-language questions (CISI's
# longest is ~1,300) while bounding parse and scoring time.
MAX_QUERY_CHARS = 5_000
# Most words in one query: 300 words of prose with room to spare; past this the
# OR group's cost grows without improving any ranking we measured.
MAX_QUERY_WORDS = 600
# Parentheses nested deeper than this are not a reader's query.
MAX_NESTING = 8
# Characters before a '*': "a*" expands to a large share of the vocabulary.
MIN_PREFIX_CHARS = 2
# Coordination bonus of the OR group: Whoosh's own suggestion for "OR with a
# preference for documents matching more words".
COORDINATION = 0.9

# Field names a reader may use, and friendlier aliases.
_FIELD_ALIASES = {"headline": schema.TITLE, "by": schema.AUTHOR, "outlet": schema.SOURCE}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_FIELD_PREFIX = re.compile(r"(?<![\w\"])(\w+):(?=\S)")
_WILDCARD_WORD = re.compile(r"[^\s()\"]*[*][^\s()\"]*")


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    query: Query
    # (field, term) pairs the query matches, for highlighting.
    terms: frozenset[tuple[str, str]]

    @property
    def is_empty(self) -> bool:
        return self.query is NullQuery


def clean(text: str) -> str:
    """Normalise what was typed: NFKC (full-width letters, ligatures), no control
    or direction-override characters, one space between words."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


def _check_shape(text: str) -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise BadQuery(
            f"query too long ({len(text)} characters); the limit is {MAX_QUERY_CHARS}"
        )
    if len(text.split()) > MAX_QUERY_WORDS:
        raise BadQuery(f"query has too many words; the limit is {MAX_QUERY_WORDS}")
    depth = deepest = 0
    for ch in text:
        if ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth = max(0, depth - 1)
    if deepest > MAX_NESTING:
        raise BadQuery(f"parentheses nested too deep; at most {MAX_NESTING} levels")
    for word in _WILDCARD_WORD.findall(text):
        stem = word.split(":", 1)[-1]
        prefix = stem.split("*", 1)[0]
        if not prefix:
            raise BadQuery(f"{word!r}: a wildcard needs letters before the '*'")
        if len(prefix) < MIN_PREFIX_CHARS:
            raise BadQuery(
                f"{word!r}: type at least {MIN_PREFIX_CHARS} letters before the '*'"
            )


def _fields_known(text: str) -> str:
    """Map aliases to field names; an unknown ``name:`` is read as plain words."""

    def repl(m: re.Match[str]) -> str:
        name = m.group(1).lower()
        name = _FIELD_ALIASES.get(name, name)
        if name in schema.QUERYABLE_FIELDS:
            return f"{name}:"
        return f"{m.group(1)} "

    return _FIELD_PREFIX.sub(repl, text)


def _parser() -> qparser.QueryParser:
    parser = qparser.MultifieldParser(
        list(schema.DEFAULT_FIELDS),
        schema=_SCHEMA,
        group=qparser.OrGroup.factory(COORDINATION),
    )
    # '?' ends questions far more often than it stands for one letter.
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.add_plugin(qparser.WildcardPlugin(expr=r"(?P<text>\w[\w.]*\*)"))
    for plugin in (qparser.RangePlugin, qparser.BoostPlugin, qparser.GtLtPlugin):
        parser.remove_plugin_class(plugin)
    # "+word" must appear, "-word" must not; only at the start of a word, so
    # "anti-ISIS" stays one search for both words.
    parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=r"(?<!\S)\+", minusexpr=r"(?<!\S)-"))
    return parser


def _lift_negations(query: Query) -> Query:
    """``a b NOT c`` means "a or b, but not c"; Whoosh's OR group would read it as
    "a or b or anything without c", which matches nearly every document."""
    if not query.is_leaf():
        query = query.apply(_lift_negations)
    if isinstance(query, Or):
        negated = [q for q in query.subqueries if isinstance(q, Not)]
        kept = [q for q in query.subqueries if not isinstance(q, Not)]
        if negated and kept:
            positive = kept[0] if len(kept) == 1 else Or(kept, **_group_options(query))
            excluded = [q.query for q in negated]
            return AndNot(positive, excluded[0] if len(excluded) == 1 else Or(excluded))
    return query


def _group_options(query: Query) -> dict[str, object]:
    options: dict[str, object] = {"boost": query.boost}
    if isinstance(query, Or) and query.scale:
        options["scale"] = query.scale
    return options


_SCHEMA = schema.build_schema()
_PARSER = _parser()


def parse(text: str) -> ParsedQuery:
    """Parse a reader's query; BadQuery (with what to change) when it cannot be run."""
    text = clean(text)
    if not text:
        raise BadQuery("type some words to search for")
    _check_shape(text)
    text = text.replace("?", " ")
    try:
        query = _lift_negations(_PARSER.parse(_fields_known(text)))
    except RecursionError:
        raise BadQuery("query is too complex; remove some parentheses or operators") from None
    terms = frozenset(
        (field, value.decode("utf-8") if isinstance(value, bytes) else str(value))
        for field, value in query.iter_all_terms()
    )
    return ParsedQuery(text=text, query=query, terms=terms)
