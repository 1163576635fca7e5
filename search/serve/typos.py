"""Which index words a typed word the index lacks could be a slip of.

Most misspellings are one slip: a letter added, left out or mistyped, or two
neighbours swapped (Damerau, 1964: over 80 % of the errors he studied). Words
are counted in slips, a swap being one (Levenshtein counts it as two, so
"habrour" and "harbour" are two edits but one slip). The candidates are the
index words within MAX_EDIT_DISTANCE edits (search/serve/nearby.py); of those:

* one slip is a typo ("minimun" -> "minimum");
* letters left out are the commonest slip of hurried typing, two of them too
  ("harbr" -> "harbour");
* two letters too many are not: an added letter is a key caught twice or a
  neighbour key, but two more letters make another word, most often a longer
  form of the shorter one ("needle" is not "need" mistyped);
* nor is a changed ending: two slips in the last two letters turn a word into
  another form of its stem ("needle" is not "needed" or "needs");
* any other two slips are guessed only in long words (TWO_EDITS_FROM_CHARS),
  and only when one index word fits: when several do ("needle": "beetle",
  "nettle", "nestle"), no one of them is likelier than the word being a real
  word the index happens to lack.
"""

from __future__ import annotations

# Edits between a typed word and the index words weighed as its correction.
MAX_EDIT_DISTANCE = 2
# Two slips other than letters left out only from this length: in shorter
# words they change a third of the word, which makes it another word ("cafe"
# -> "card"). The length Elasticsearch's fuzziness AUTO gives two edits.
TWO_EDITS_FROM_CHARS = 6


def slips(typed: str, word: str) -> int:
    """Edits between two words, a swap of neighbouring letters counting one
    (the optimal string alignment distance)."""
    rows = [list(range(len(word) + 1))]
    for i in range(1, len(typed) + 1):
        row = [i] + [0] * len(word)
        for j in range(1, len(word) + 1):
            cost = typed[i - 1] != word[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and typed[i - 1] == word[j - 2] and typed[i - 2] == word[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def left_out(typed: str, word: str) -> bool:
    """Whether ``word`` is ``typed`` with letters added (typed is a subsequence)."""
    letters = iter(word)
    return len(word) > len(typed) and all(c in letters for c in typed)


def likely(typed: str, candidates: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Of ``candidates`` ((word, articles holding it), the index words within
    MAX_EDIT_DISTANCE edits of ``typed``), those ``typed`` is a likely slip of,
    each with its slips, best first: fewest slips, then most articles, then
    alphabetical order."""
    one, left, two = [], [], []
    for word, articles in candidates:
        if word == typed:
            continue
        n = slips(typed, word)
        if n <= 1:
            one.append((word, articles, n))
        elif n == 2 and left_out(typed, word):
            left.append((word, articles, n))
        elif n == 2 and _two_slips(typed, word):
            two.append((word, articles, n))
    chosen = one + left + (two if len(two) == 1 else [])
    chosen.sort(key=lambda c: (c[2], -c[1], c[0]))
    return [(word, n) for word, _, n in chosen]


def _two_slips(typed: str, word: str) -> bool:
    """Two slips that are neither two letters too many nor a changed ending,
    in a word long enough for them."""
    if len(typed) < TWO_EDITS_FROM_CHARS or len(word) <= len(typed) - 2:
        return False
    common = 0
    for a, b in zip(typed, word, strict=False):
        if a != b:
            break
        common += 1
    return common < min(len(typed), len(word)) - 2
