"""Turning what a reader typed into a Whoosh query, or a BadQuery that says why not.

The parser accepts the syntax a reader expects (quoted phrases, AND/OR/NOT,
``title:``/``author:``/``source:``, a trailing ``*``) and natural-language
questions: the plain words of a query (not in quotes, not naming a field) are
scored together as one ``ranking.BagOfWords`` - a word typed twice counts
twice, and the words that only phrase the question ("what did", "I am
interested in articles about") are dropped first, so a question ranks like its
keywords. A query typed all in capitals is read as words (its AND, OR and NOT
are not operators).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from whoosh import qparser
from whoosh.fields import Schema
from whoosh.matching import AndNotMatcher
from whoosh.qparser.common import attach
from whoosh.query import AndNot, Not, NullQuery, Or, Phrase, Query, Term

from .. import schema
from ..analysis import QUERY_STOP_TERMS, QUERY_STOP_WORDS, TOKEN_PATTERN, analyze, fold
from ..errors import BadQuery
from .phrases import Phrase as PlacedPhrase
from .ranking import BagOfWords
from .wildcard import cap_prefixes

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

# Field names a reader may use, and friendlier aliases.
_FIELD_ALIASES = {"headline": schema.TITLE, "by": schema.AUTHOR, "outlet": schema.SOURCE}
# Control and direction characters, and lone surrogates (a Python string can
# hold one, e.g. from a non-UTF-8 command-line argument; it has no UTF-8 form).
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_FIELD_PREFIX = re.compile(r"(?<![\w\"])(\w+):(?=\S)")
_WILDCARD_WORD = re.compile(r"[^\s()\"]*[*][^\s()\"]*")
_WORD_CHAR = re.compile(r"\w")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"})
# A quoted phrase (possibly unclosed) or a run of non-spaces.
_CHUNK = re.compile(r'"[^"]*"?|[^\s"]+')
# Punctuation around a word that does not change which word it is.
_WORD_EDGES = "()[]{},.;:!?'\u2018\u2019\u201c\u201d"


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
        raise BadQuery(f"query too long ({len(text)} characters); the limit is {MAX_QUERY_CHARS}")
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
        if not _WORD_CHAR.search(word) and _WORD_CHAR.search(text):
            continue  # a lone "*" among words is punctuation ("operators like *, +")
        stem = word.split(":", 1)[-1]
        prefix = stem.split("*", 1)[0]
        if not prefix:
            raise BadQuery(f"{word!r}: a wildcard needs letters before the '*'")
        if len(prefix) < MIN_PREFIX_CHARS:
            raise BadQuery(f"{word!r}: type at least {MIN_PREFIX_CHARS} letters before the '*'")


def _fields_known(text: str) -> str:
    """Map aliases to field names; an unknown ``name:`` is read as plain words."""

    def repl(m: re.Match[str]) -> str:
        name = m.group(1).lower()
        name = _FIELD_ALIASES.get(name, name)
        if name in schema.QUERYABLE_FIELDS:
            return f"{name}:"
        return f"{m.group(1)} "

    return _FIELD_PREFIX.sub(repl, text)


def _drop_question_words(text: str) -> str:
    """Remove QUERY_STOP_WORDS typed as plain words; keep the text as it was when
    nothing else would be left ("the who", "to be or not to be")."""
    # Whoosh's operators are capitals too: they stay, and are not content.
    kept: list[str] = []
    content = dropped = False
    for chunk in _CHUNK.findall(text):
        if chunk.startswith('"') or chunk in _OPERATORS or ":" in chunk or "*" in chunk:
            kept.append(chunk)
            content = content or (bool(_WORD_CHAR.search(chunk)) and chunk not in _OPERATORS)
            continue
        typed = chunk.lstrip("+-").strip(_WORD_EDGES)
        word = fold(typed)
        # An acronym typed in capitals is a name ("US sanctions", "WHO report");
        # a query all in capitals was lower-cased before it got here.
        acronym = len(typed) > 1 and typed.isupper()
        if word in QUERY_STOP_WORDS and not acronym:
            dropped = True
            brackets = "".join(c for c in chunk if c in "()")
            if brackets:
                kept.append(brackets)  # groups stay balanced
        else:
            kept.append(chunk)
            content = content or bool(_WORD_CHAR.search(chunk))
    if not dropped or not content:
        return text
    return " ".join(kept)


def _shouted(text: str) -> bool:
    """All letters capitals: a caps-lock query or an old upper-case text."""
    return text.upper() == text and text.lower() != text


def _query_schema() -> Schema:
    """The index schema cut down to the fields a reader may name: Whoosh's parser
    takes any ``name:`` its schema knows, wherever it stands (after a quote, in
    the middle of a word), so internal fields (path, dup_group, spell_body) and
    unindexed ones (url, fingerprint) must not be in it at all."""
    full = schema.build_schema()
    cut = Schema(**{name: full[name] for name in schema.QUERYABLE_FIELDS})
    for name in cut.names():  # a field with spelling brings its own (spell_body)
        if name not in schema.QUERYABLE_FIELDS:
            cut.remove(name)
    return cut


class _PhrasePlugin(qparser.PhrasePlugin):
    """Quoted phrases whose words keep their places in the quoted text, as the
    analyzer numbers them (``phrases.Phrase``): ``"bank of england"`` is
    *bank* then *england* two places on, where the indexed text has them."""

    class PhraseNode(qparser.PhrasePlugin.PhraseNode):
        def query(self, parser):
            fieldname = self.fieldname or parser.fieldname
            if fieldname not in parser.schema:
                return super().query(parser)
            field = parser.schema[fieldname]
            if not field.analyzer or not field.format:
                return super().query(parser)
            start = self.textstartchar
            # The analyzer yields one Token object, changed in place.
            tokens = [
                (t.text, t.pos, (start + t.startchar, start + t.endchar))
                for t in field.tokenize(self.text, mode="query", positions=True, chars=True)
            ]
            phrase = PlacedPhrase(
                fieldname,
                [text for text, _, _ in tokens],
                slop=self.slop,
                boost=self.boost,
                char_ranges=[chars for _, _, chars in tokens],
                offsets=[pos for _, pos, _ in tokens],
            )
            return attach(phrase, self)

    class PhraseTagger(qparser.PhrasePlugin.PhraseTagger):
        def create(self, parser, match):
            slop = match.group("slop")
            node = _PhrasePlugin.PhraseNode(
                match.group("text"), match.start("text"), int(slop) if slop else 1
            )
            node.degrade = self.degrade
            return node


def _parser() -> qparser.QueryParser:
    parser = qparser.MultifieldParser(
        list(schema.DEFAULT_FIELDS), schema=_SCHEMA, group=qparser.OrGroup
    )
    parser.remove_plugin_class(qparser.PhrasePlugin)
    parser.add_plugin(_PhrasePlugin())
    # '?' ends questions far more often than it stands for one letter.
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.add_plugin(qparser.WildcardPlugin(expr=r"(?P<text>\w[\w.]*\*)"))
    for plugin in (qparser.RangePlugin, qparser.BoostPlugin, qparser.GtLtPlugin):
        parser.remove_plugin_class(plugin)
    # "+word" must appear, "-word" must not; only at the start of a word, so
    # "anti-ISIS" stays one search for both words, and "a + b" or "--i.e." are
    # punctuation.
    parser.add_plugin(
        qparser.PlusMinusPlugin(plusexpr=r"(?<!\S)\+(?=[\w\"(])", minusexpr=r"(?<!\S)-(?=[\w\"(])")
    )
    return parser


def _word_unit(query: Query) -> list[str] | None:
    """The terms of one plain word as the multi-field parser builds it, or None:
    an OR with one Term per default field ("harbour"), or, for a word the
    analyzer splits ("anti-ISIS"), an OR with one OR of Terms per field."""
    if not isinstance(query, Or) or query.boost != 1.0 or not query.subqueries:
        return None
    texts: list[str] = []
    fields: list[str] = []
    for sub in query.subqueries:
        if _single_word(sub):
            terms = [sub]
        elif isinstance(sub, Or) and sub.boost == 1.0 and sub.subqueries:
            terms = list(sub.subqueries)
            if not all(isinstance(t, Term) for t in terms):
                return None
        else:
            return None
        names = {t.fieldname for t in terms}
        if len(names) != 1 or any(t.boost != 1.0 for t in terms):
            return None
        fields.append(names.pop())
        texts.extend(_text_of(t) for t in terms)
    # One term per default field: "title:word" alone names where it must be.
    if len(set(fields)) != len(fields) or set(fields) != set(schema.DEFAULT_FIELDS):
        return None
    return list(dict.fromkeys(texts))


def _single_word(query: Query) -> bool:
    """A Term, or a quoted single word (a one-word Phrase means the same)."""
    return isinstance(query, Term) or (isinstance(query, Phrase) and len(query.words) == 1)


def _text_of(query: Query) -> str:
    return str(query.words[0] if isinstance(query, Phrase) else query.text)


def _gather_words(query: Query) -> Query:
    """Replace the plain words of each group by one BagOfWords, counting repeats."""
    unit = _word_unit(query)
    if unit is not None:
        return BagOfWords(Counter(unit)) if unit else NullQuery
    if query.is_leaf():
        return query
    query = query.apply(_gather_words)
    if not isinstance(query, Or):
        return query
    counts: Counter[str] = Counter()
    rest: list[Query] = []
    # "a OR b" flattens a's per-field Terms into the group itself.
    loose: dict[str, list[Term]] = {}
    for sub in _flat_or(query):
        if isinstance(sub, BagOfWords) and sub.boost == 1.0:
            counts.update(sub.words)
        elif isinstance(sub, Term) and sub.fieldname in schema.DEFAULT_FIELDS and sub.boost == 1:
            loose.setdefault(str(sub.text), []).append(sub)
        else:
            rest.append(sub)
    for text, terms in loose.items():
        if {t.fieldname for t in terms} == set(schema.DEFAULT_FIELDS):
            counts[text] += 1
        else:
            rest.extend(terms)
    if not counts:
        return query
    # A phrase among plain words ("Backus "can programming be liberated from the
    # von Neumann style" functional") stays a bonus for the exact words, and its
    # words also count as plain words: a document that paraphrases it still ranks.
    phrases = {tuple(q.words) for q in rest if _phrase_in_default_fields(q)}
    for words in phrases:
        counts.update(w for w in words if w not in QUERY_STOP_TERMS)
    return Or([BagOfWords(counts), *rest], **_group_options(query))


def _phrase_in_default_fields(query: Query) -> bool:
    return (
        isinstance(query, Phrase)
        and query.fieldname in schema.DEFAULT_FIELDS
        and query.boost == 1.0
        and len(query.words) > 1
    )


def _flat_or(query: Or) -> Iterator[Query]:
    """The members of an OR group with plain nested OR groups opened up."""
    for sub in query.subqueries:
        if isinstance(sub, Or) and sub.boost == 1.0 and not sub.scale:
            yield from _flat_or(sub)
        else:
            yield sub


class _AndNotMatcher(AndNotMatcher):
    # Whoosh only skips the excluded postings ahead when the first two
    # documents coincide, so an excluded document that comes after the first
    # excluded one but first among the matches slipped through ("zeppelin
    # -harbour" returned a document mentioning the harbour).
    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class Excluding(AndNot):
    """``a ANDNOT b`` that excludes every document matching ``b``."""

    def matcher(self, searcher, context=None):
        scored = self.a.matcher(searcher, context)
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        return _AndNotMatcher(scored, excluded)


def _lift_negations(query: Query) -> Query:
    """``a b NOT c`` means "a or b, but not c"; Whoosh's OR group would read it as
    "a or b or anything without c", which matches nearly every document."""
    if not query.is_leaf():
        query = query.apply(_lift_negations)
    if type(query) is AndNot:
        return Excluding(query.a, query.b)
    if isinstance(query, Or):
        negated = [q for q in query.subqueries if isinstance(q, Not)]
        kept = [q for q in query.subqueries if not isinstance(q, Not)]
        if negated and kept:
            positive = kept[0] if len(kept) == 1 else Or(kept, **_group_options(query))
            excluded = [q.query for q in negated]
            return Excluding(positive, excluded[0] if len(excluded) == 1 else Or(excluded))
    return query


def _group_options(query: Query) -> dict[str, object]:
    options: dict[str, object] = {"boost": query.boost}
    if isinstance(query, Or) and query.scale:
        options["scale"] = query.scale
    return options


_SCHEMA = _query_schema()
_PARSER = _parser()
_WORD = re.compile(r"\w+")


# Text Whoosh's parser reads as plain words only: word characters, spaces,
# punctuation that is no syntax, and apostrophes inside words ("it's").
_PLAIN = re.compile(r"(?:[\w\s.,;!]|(?<=\w)')*")


def _plain_words(text: str) -> Query | None:
    """What Whoosh's parser and ``_gather_words`` make of a query of plain words
    (one BagOfWords of each word's analysed terms), without the parser: it
    costs ~0.2 ms a word (a 600-word query took 0.1 s to parse). None when
    the text has anything the parser could read as syntax."""
    if not _PLAIN.fullmatch(text) or any(w in _OPERATORS for w in text.split()):
        return None
    field = _SCHEMA[schema.DEFAULT_FIELDS[0]]
    counts: Counter[str] = Counter()
    for word in text.split():
        counts.update(list(dict.fromkeys(field.process_text(word, mode="query"))))
    return BagOfWords(counts) if counts else NullQuery


def _build(text: str) -> Query:
    fast = _plain_words(text)
    if fast is not None:
        return fast
    tree = _PARSER.parse(text, normalize=False)
    return cap_prefixes(_lift_negations(_gather_words(tree).normalize()))


def _words_only(text: str) -> Query:
    words = (w.lower() if w in _OPERATORS else w for w in _WORD.findall(text))
    try:
        return _build(" ".join(words))
    except Exception as exc:
        raise BadQuery("the query cannot be read; try plain words") from exc


def parse(text: str) -> ParsedQuery:
    """Parse a reader's query; BadQuery (with what to change) when it cannot be run."""
    if not isinstance(text, str):
        raise BadQuery(f"the query must be text, not {type(text).__name__}")
    text = clean(text)
    if not text:
        raise BadQuery("type some words to search for")
    _check_shape(text)
    text = text.replace("?", " ")
    if _shouted(text):
        text = text.lower()
    text = _drop_question_words(text)
    try:
        query = _build(_fields_known(text))
    except RecursionError:
        raise BadQuery("query is too complex; remove some parentheses or operators") from None
    except (NotImplementedError, AssertionError):
        # An operator Whoosh's parser cannot place ("REQUIRE ANDMAYBE ferry"):
        # the query is read as its words.
        query = _words_only(text)
    except Exception as exc:  # Whoosh's parser has no error type of its own
        raise BadQuery(f"the query cannot be read ({type(exc).__name__}); try plain words") from exc
    _name_words(query, _typed_forms(text))
    terms = frozenset(
        (field, value.decode("utf-8") if isinstance(value, bytes) else str(value))
        for field, value in query.iter_all_terms()
    )
    return ParsedQuery(text=text, query=query, terms=terms)


def _typed_forms(text: str) -> dict[str, tuple[str, ...]]:
    """Each plain word's query term -> the folded words typed for it, which
    bylines and outlet names are matched on (names are not stemmed)."""
    forms: dict[str, dict[str, None]] = {}
    for chunk in _CHUNK.findall(text):
        if chunk.startswith('"') or ":" in chunk or "*" in chunk or chunk in _OPERATORS:
            continue
        for token in TOKEN_PATTERN.findall(chunk):
            word = fold(token)
            if word.endswith(("'s", "\u2019s")):
                word = word[:-2]
            stems = analyze(token)
            if len(stems) == 1:
                forms.setdefault(stems[0], {})[word] = None
    return {stem: tuple(words) for stem, words in forms.items()}


def _name_words(query: Query, forms: dict[str, tuple[str, ...]]) -> None:
    """Tell each BagOfWords which of its words were typed as what (see ``names``)."""
    if not forms:
        return
    if isinstance(query, BagOfWords):
        query.names = {w: forms[w] for w in query.words if w in forms}
    elif not query.is_leaf():
        for sub in query.children():
            _name_words(sub, forms)
