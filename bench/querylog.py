"""The speed benchmark's inputs: news corpora at chosen sizes, and a query log.

Corpora are read from ``--data``, else $NEWSEARCH_NEWS, else
``<repo>/../shared/bench/news`` (see its README). Nothing is copied into the
repository: the product's text corpus is written to a temporary folder.

The query log is sampled from a corpus with a fixed seed, so every engine (and
every run) gets the same queries. Kinds, as a search box sees them:

* ``frequent``  one of the 300 most common content words ("oil")
* ``rare``      a content word found in 2-5 articles ("temporao")
* ``words``     2-4 content words of one article, lower case ("cocoa bahia crop")
* ``phrase``    2-3 consecutive content words of one article in quotes,
                sometimes with one more word ('"crop estimates" cocoa')
* ``name``      a capitalised bigram seen at least twice mid-sentence ("James Baker"),
                alone or with a content word of an article it occurs in
* ``question``  a natural-language question around a name and a topic word
                ("what did James Baker say about dollar?")

Corpora with outlets and dates (newsmix) add three kinds:

* ``filtered``  2-3 content words of one article, restricted to its outlet
* ``date-sorted`` a frequent word or a name, newest first
* ``misspelt``  a word of 6+ letters found in 50+ articles with one letter
                dropped or two swapped, the result in no article ("goverment")

    .venv/bin/python bench/querylog.py [--corpus reuters] [-n 400] [--seed 7] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CORPORA = {
    "reuters": "reuters21578/reuters21578.jsonl.gz",
    "bbc": "bbc2225/bbc2225.jsonl.gz",
    "newsmix": "newsmix/newsmix.jsonl.gz",
}
# Corpora whose records carry an outlet, an author and a date: their text files
# get a byline line, they sit in one folder per outlet, and their query log
# has the filtered, date-sorted and misspelt kinds.
WITH_META = frozenset({"newsmix"})
# Share of each query kind in the log (sums to 1). Single words and short
# word lists dominate real news-search logs; phrases, names and questions are
# the cases that stress the parser, positions and the OR group.
MIX = {
    "frequent": 0.15,
    "rare": 0.15,
    "words": 0.25,
    "phrase": 0.125,
    "name": 0.15,
    "question": 0.175,
}
# The same log with filters, date sorts and misspellings (corpora WITH_META).
MIX_META = {
    "frequent": 0.125,
    "rare": 0.125,
    "words": 0.175,
    "phrase": 0.125,
    "name": 0.125,
    "question": 0.125,
    "filtered": 0.075,
    "date-sorted": 0.075,
    "misspelt": 0.05,
}
# A misspelt query starts from a word at least this long found in at least
# this many articles (a word people search for and know how to nearly spell).
MISSPELT_MIN_CHARS = 6
MISSPELT_MIN_DF = 50
DEFAULT_QUERIES = 400
DEFAULT_SEED = 7
# "Frequent" words are drawn from this many most common content words.
FREQUENT_TOP = 300
# "Rare" words occur in this many articles (at least 2: a word in one article
# only is usually a typo or a number glued to letters).
RARE_DF = (2, 5)
# Words of a multi-word query come from one article and are not among the
# most common (a query of "said", "year", "pct" says nothing).
TOPIC_MAX_DF_SHARE = 0.05

_STOP_TEXT = """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves said says say mln pct dlrs cts vs reuter reuters inc corp
    co ltd year years also one two three new would last first told"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_CAPITALISED = re.compile(r"[A-Z][a-z]{2,}")


def data_dir(given: str | None = None) -> Path:
    return Path(given or os.environ.get("NEWSEARCH_NEWS") or REPO.parent / "shared/bench/news")


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    body: str
    source: str | None = None
    author: str | None = None
    date: str | None = None  # ISO day, "2019-11-18"


def read_corpus(name: str, root: Path) -> list[Doc]:
    """All records of a corpus that have a body, in file order."""
    path = root / CORPORA[name]
    docs = []
    meta = name in WITH_META
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            body = (record.get("body") or "").strip()
            if not body:
                continue
            title = (record.get("title") or "").strip()
            if meta:
                date = (record.get("date") or "")[:10] or None
                docs.append(
                    Doc(
                        record["id"],
                        title,
                        body,
                        _one_line(record.get("source")),
                        _one_line(record.get("author")),
                        date,
                    )
                )
            else:
                docs.append(Doc(record["id"], title, body))
    return docs


def _one_line(text: str | None) -> str | None:
    text = " ".join((text or "").split())
    return text or None


def parse_size(text: str) -> int | None:
    """'1k' -> 1000, '100k' -> 100000, 'full' -> None (the whole corpus)."""
    text = text.strip().lower()
    if text == "full":
        return None
    if text.endswith("k"):
        return int(float(text[:-1]) * 1000)
    return int(text)


def sized(docs: list[Doc], size: int | None, synthetic: str = "exact") -> tuple[list[Doc], bool]:
    """The first ``size`` documents; past the corpus, suffixed copies of it up to
    ``size`` (True: synthetic — same vocabulary, longer posting lists).

    ``synthetic="exact"`` copies articles as they are, so each becomes a group of
    near-duplicates (our index folds them into one hit with "also in" copies);
    ``"mixed"`` makes copy k of article i from the even sentences of article i and
    the odd ones of another article, so that no two documents are near-duplicates
    (resemblance ~1/3, under the 0.5 threshold) while words and phrases stay real.
    """
    if size is None or size <= len(docs):
        return docs[:size], False
    out = list(docs)
    k = 1
    while len(out) < size:
        k += 1
        if synthetic == "exact":
            out += [replace(d, id=f"{d.id}-c{k}") for d in docs]
        else:
            step = 7919 * (k - 1)
            out += [
                replace(d, id=f"{d.id}-c{k}", body=_mix(d.body, docs[(i + step) % len(docs)].body))
                for i, d in enumerate(docs)
            ]
    return out[:size], True


def _mix(own: str, other: str) -> str:
    mine = [s for s in _SENTENCE.split(own) if s.strip()]
    theirs = [s for s in _SENTENCE.split(other) if s.strip()]
    picked = mine[0::2] + theirs[1::2]
    return "\n\n".join(picked) if picked else own


def write_text_corpus(docs: list[Doc], folder: Path) -> None:
    """The product's plain-text path: title line, blank line, body paragraphs;
    documents with an outlet sit in its folder (the outlet our index shows)."""
    folder.mkdir(parents=True, exist_ok=True)
    made: set[str] = set()
    for d in docs:
        path = folder / text_path(d)
        if path.parent.name not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent.name)
        path.write_text(text_file(d), encoding="utf-8")


def text_path(d: Doc) -> str:
    """The file of a document, relative to its corpus folder."""
    if d.source is None and d.author is None and d.date is None:
        return f"{d.id}.txt"
    return f"{outlet_folder(d.source)}/{d.id}.txt"


def outlet_folder(source: str | None) -> str:
    """'Washington Times' -> 'washington-times' (our extraction names the outlet
    back from its folder)."""
    slug = re.sub(r"[^a-z0-9]+", "-", (source or "").lower()).strip("-")
    return slug or "unknown-outlet"


def text_file(d: Doc) -> str:
    byline = " | ".join(x for x in (f"By {d.author}" if d.author else None, d.date) if x)
    head = "".join(f"{x}\n\n" for x in (d.title, byline) if x)
    return f"{head}{d.body}\n"


def write_jsonl(docs: list[Doc], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(asdict(d)) + "\n")


def read_jsonl(path: Path) -> list[Doc]:
    with open(path, encoding="utf-8") as fh:
        return [Doc(**json.loads(line)) for line in fh]


# -- the query log ---------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    source: str | None = None  # only articles of this outlet
    sort: str = "relevance"  # or "date": newest first


def _content(word: str) -> bool:
    return word.isalpha() and len(word) >= 3 and word.lower() not in STOP_WORDS


class _Stats:
    """Document frequencies and name bigrams of a corpus."""

    def __init__(self, docs: list[Doc]) -> None:
        self.docs = docs
        self.df: Counter[str] = Counter()
        names: Counter[str] = Counter()
        self.name_docs: dict[str, list[int]] = defaultdict(list)
        for n, d in enumerate(docs):
            self.df.update({w.lower() for w in _TOKEN.findall(d.body) if _content(w)})
            for name in _names(d.body):
                names[name] += 1
                if len(self.name_docs[name]) < 20:
                    self.name_docs[name].append(n)
        self.names = sorted(n for n, c in names.items() if c >= 2)
        common = [w for w, _ in self.df.most_common(FREQUENT_TOP)]
        self.frequent = sorted(common)
        self.rare = sorted(w for w, c in self.df.items() if RARE_DF[0] <= c <= RARE_DF[1])
        self.topic_max_df = max(2, int(TOPIC_MAX_DF_SHARE * len(docs)))
        self.with_source = [n for n, d in enumerate(docs) if d.source]
        self.misspellable = sorted(
            w for w, c in self.df.items() if c >= MISSPELT_MIN_DF and len(w) >= MISSPELT_MIN_CHARS
        )

    def topic_words(self, doc: Doc) -> list[str]:
        words = {w.lower() for w in _TOKEN.findall(doc.body) if _content(w) and w.islower()}
        return sorted(w for w in words if 2 <= self.df[w] <= self.topic_max_df)


def _names(body: str) -> list[str]:
    """Capitalised bigrams not at a sentence start ("... said James Baker ...")."""
    found = []
    for sentence in _SENTENCE.split(body):
        tokens = _TOKEN.findall(sentence)
        for a, b in itertools.pairwise(tokens[1:]):  # not the sentence's first word
            if (
                _CAPITALISED.fullmatch(a)
                and _CAPITALISED.fullmatch(b)
                and a.lower() not in STOP_WORDS
                and b.lower() not in STOP_WORDS
            ):
                found.append(f"{a} {b}")
    return found


def _phrase(rng: random.Random, doc: Doc) -> str | None:
    sentences = [s for s in _SENTENCE.split(doc.body) if len(s) > 40]
    rng.shuffle(sentences)
    for sentence in sentences:
        tokens = _TOKEN.findall(sentence)
        length = rng.choice((2, 2, 3))
        starts = [
            i
            for i in range(len(tokens) - length + 1)
            if all(_content(t) and t.islower() for t in tokens[i : i + length])
        ]
        if starts:
            i = rng.choice(starts)
            return " ".join(tokens[i : i + length])
    return None


_QUESTIONS = (
    "what did {name} say about {topic}",
    "why is {name} in the news",
    "latest news on {name} and {topic}",
    "how much {topic} did {name} report",
    "who is {name}",
)


def build(docs: list[Doc], n: int = DEFAULT_QUERIES, seed: int = DEFAULT_SEED) -> list[Query]:
    """``n`` distinct queries in the proportions of MIX, shuffled; same seed, same log."""
    rng = random.Random(seed)
    stats = _Stats(docs)
    mix = MIX_META if stats.with_source else MIX
    wanted = {kind: round(share * n) for kind, share in mix.items()}
    wanted["words"] += n - sum(wanted.values())
    makers = {
        "frequent": lambda: rng.choice(stats.frequent),
        "rare": lambda: rng.choice(stats.rare),
        "words": lambda: _words_query(rng, stats),
        "phrase": lambda: _phrase_query(rng, stats),
        "name": lambda: _name_query(rng, stats),
        "question": lambda: _question(rng, stats),
        "filtered": lambda: _filtered_query(rng, stats),
        "date-sorted": lambda: _date_sorted_query(rng, stats),
        "misspelt": lambda: _misspelt_query(rng, stats),
    }
    queries: list[Query] = []
    seen: set[str] = set()
    for kind, count in wanted.items():
        made = attempts = 0
        while made < count and attempts < 50 * count:
            attempts += 1
            made_query = makers[kind]()
            if made_query is None:
                continue
            query = made_query if isinstance(made_query, Query) else Query(kind, made_query)
            key = (query.text.lower(), query.source, query.sort)
            if query.text and key not in seen:
                seen.add(key)
                queries.append(query)
                made += 1
    rng.shuffle(queries)
    return queries


def _words_query(rng: random.Random, stats: _Stats) -> str | None:
    words = stats.topic_words(rng.choice(stats.docs))
    k = rng.choice((2, 2, 3, 3, 4))
    return " ".join(rng.sample(words, k)) if len(words) >= k else None


def _phrase_query(rng: random.Random, stats: _Stats) -> str | None:
    doc = rng.choice(stats.docs)
    phrase = _phrase(rng, doc)
    if phrase is None:
        return None
    if rng.random() < 0.3:
        extra = [w for w in stats.topic_words(doc) if w not in phrase.split()]
        if extra:
            return f'"{phrase}" {rng.choice(extra)}'
    return f'"{phrase}"'


def _name_query(rng: random.Random, stats: _Stats) -> str:
    name = rng.choice(stats.names)
    if rng.random() < 0.4:
        doc = stats.docs[rng.choice(stats.name_docs[name])]
        words = stats.topic_words(doc)
        if words:
            return f"{name} {rng.choice(words)}"
    return name


def _question(rng: random.Random, stats: _Stats) -> str | None:
    name = rng.choice(stats.names)
    doc = stats.docs[rng.choice(stats.name_docs[name])]
    words = stats.topic_words(doc)
    if not words:
        return None
    text = rng.choice(_QUESTIONS).format(name=name, topic=rng.choice(words))
    return text + "?" if rng.random() < 0.5 else text


def _filtered_query(rng: random.Random, stats: _Stats) -> Query | None:
    doc = stats.docs[rng.choice(stats.with_source)]
    words = stats.topic_words(doc)
    k = rng.choice((1, 2, 2, 3))
    if len(words) < k:
        return None
    return Query("filtered", " ".join(rng.sample(words, k)), source=doc.source)


def _date_sorted_query(rng: random.Random, stats: _Stats) -> Query:
    text = rng.choice(stats.frequent) if rng.random() < 0.5 else rng.choice(stats.names)
    return Query("date-sorted", text, sort="date")


def _misspelt_query(rng: random.Random, stats: _Stats) -> str | None:
    word = rng.choice(stats.misspellable)
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        typo = word[:i] + word[i + 1 :]
    else:
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return typo if typo != word and typo not in stats.df else None


# -- queries for engines without our parser ----------------------------------------------

_CLAUSE = re.compile(r'"([^"]+)"|(\w+)')


def clauses(text: str) -> list[str | tuple[str, ...]]:
    """A typed query as words and phrases (tuples), with all other syntax dropped."""
    out: list[str | tuple[str, ...]] = []
    for m in _CLAUSE.finditer(text):
        if m.group(1):
            words = tuple(re.findall(r"\w+", m.group(1)))
            if len(words) == 1:
                out.append(words[0])
            elif words:
                out.append(words)
        else:
            out.append(m.group(2))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data")
    ap.add_argument("--corpus", default="reuters", choices=sorted(CORPORA))
    ap.add_argument("-n", type=int, default=DEFAULT_QUERIES)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--json", action="store_true", help="one JSON object per line")
    args = ap.parse_args(argv)
    queries = build(read_corpus(args.corpus, data_dir(args.data)), args.n, args.seed)
    for q in queries:
        extra = (f" [source={q.source}]" if q.source else "") + (
            f" [sort={q.sort}]" if q.sort != "relevance" else ""
        )
        print(json.dumps(asdict(q)) if args.json else f"{q.kind:11} {q.text}{extra}")
    counts = Counter(q.kind for q in queries)
    print(f"# {len(queries)} queries: {dict(counts)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
