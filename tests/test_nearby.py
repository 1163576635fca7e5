"""The exact search for index words within a few edits of a typed word."""

import random

import pytest

from search.serve.nearby import Nearby
from search.serve.typos import slips


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


WORDS = sorted(
    {
        "harbour", "harbor", "harbours", "arbour", "harvest", "habit", "need", "needed",
        "needs", "needle", "beetle", "nettle", "nestle", "álvarez", "alvares", "okafor",
        "a", "ab", "abc", "cafe", "card", "case", "café", "x" * 40, "dredging", "dredge",
    }
)  # fmt: skip


@pytest.mark.parametrize(
    "typed", ["harbr", "harbour", "needle", "alvarez", "okafr", "ac", "cafe", "caffe", "zzzz", "é"]
)
@pytest.mark.parametrize("edits", [0, 1, 2])
def test_every_word_within_the_edits_is_found_with_its_distance(typed, edits):
    found = Nearby(WORDS).within(typed, edits)
    expected = [(i, levenshtein(typed, w)) for i, w in enumerate(WORDS)]
    assert found == [(i, d) for i, d in expected if d <= edits]


def test_random_words_agree_with_the_dynamic_programme():
    rng = random.Random(7)
    letters = "abcde"
    words = sorted({"".join(rng.choices(letters, k=rng.randint(1, 9))) for _ in range(400)})
    index = Nearby(words)
    for _ in range(60):
        typed = "".join(rng.choices(letters + "z", k=rng.randint(1, 10)))
        expected = [(i, d) for i, w in enumerate(words) if (d := levenshtein(typed, w)) <= 2]
        assert index.within(typed, 2) == expected


def test_a_word_past_the_lane_width_finds_nothing():
    assert Nearby(["a" * 64]).within("a" * 64, 2) == []
    assert Nearby(["a" * 63]).within("a" * 63, 2) == [(0, 0)]


def test_a_swap_of_neighbouring_letters_is_one_slip():
    assert levenshtein("habrour", "harbour") == 2
    assert slips("habrour", "harbour") == 1
    assert slips("needle", "needs") == 2


def test_an_alphabet_past_256_letters_is_compared_exactly():
    letters = [chr(0x4E00 + i) for i in range(300)]
    words = sorted({"".join(letters[(i * 7 + k) % 300] for k in range(4)) for i in range(300)})
    typed = words[5][:2] + letters[299] + words[5][3:]
    expected = [(i, d) for i, w in enumerate(words) if (d := levenshtein(typed, w)) <= 2]
    assert (5, 1) in expected
    assert Nearby(words).within(typed, 2) == expected


def test_the_index_holds_a_byte_per_letter_and_twelve_per_word():
    # letters (one byte each while the alphabet fits), a 64-bit letter set
    # and a 32-bit position per word: nothing per pair of words
    words = ["harbour", "needle", "okafor", "dredging"]
    assert Nearby(words).nbytes() == sum(map(len, words)) + 12 * len(words)
