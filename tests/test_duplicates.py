import pytest

from search.duplicates import RESEMBLANCE_THRESHOLD, group, hashes, resemblance, sketch

STORY = [
    "The province's Court of Appeal on Tuesday struck down a law requiring voters to show "
    "photo identification at the polls, ruling that it placed an unjustified burden on the "
    "right to vote.",
    "The three judges said the government had offered no evidence that impersonation at "
    "polling stations had ever changed the result of an election in the province.",
    "The law replaced a system that let voters prove who they were with a utility bill, a "
    "bank statement or a sworn declaration from another registered voter.",
    "Lawyers for the seniors' council told the court that thousands of older residents had "
    "given up their driving licences and held no other card with a photograph.",
    "The attorney general said the government would study the ruling before deciding "
    "whether to seek leave to appeal to the Supreme Court.",
    "Election officials said the old rules would apply at the March by-election.",
]
REPRINT = STORY[:3] + STORY[4:]  # one paragraph trimmed by the reprinting outlet
SAME_EVENT = [
    "Election clerks in the valley spent Wednesday pulping thousands of voter guides after "
    "the appeal court's ruling on photo identification at the polls.",
    "The guides, mailed to about three thousand households last week, told voters to bring "
    "a driving licence, a passport or a provincial photo card.",
    "The returning officer said new guides would go out before the March by-election and "
    "that volunteers would knock on doors in the outlying hamlets.",
    "The attorney general has not yet said whether the province will appeal.",
]


def text(paragraphs):
    return "\n\n".join(paragraphs)


def test_a_reprint_with_a_paragraph_cut_resembles_the_original():
    assert resemblance(sketch(text(STORY)), sketch(text(REPRINT))) >= RESEMBLANCE_THRESHOLD


def test_another_story_on_the_same_event_does_not():
    assert resemblance(sketch(text(STORY)), sketch(text(SAME_EVENT))) < 0.1


def test_group_joins_copies_and_leaves_near_misses_alone():
    groups = group(
        [
            ("b-reprint", sketch(text(REPRINT))),
            ("a-original", sketch(text(STORY))),
            ("c-other", sketch(text(SAME_EVENT))),
        ]
    )
    assert groups == {"a-original": "a-original", "b-reprint": "a-original"}


def test_short_briefs_are_never_grouped():
    brief = "Ferry services resume on Monday after storm repairs, the operator said."
    assert sketch(brief) == b""
    assert group([("x", sketch(brief)), ("y", sketch(brief))]) == {}


def test_a_corrected_short_item_scores_its_exact_overlap():
    item = (
        "Retail sales in the province rose 3.2 pct in March from February, the statistics "
        "bureau said on Thursday, the third monthly gain in a row. Sales of cars and fuel led "
        "the increase, while spending at clothing stores fell for a second month. Economists "
        "had expected a rise of about two pct after a mild winter kept shoppers out."
    )
    corrected = item.replace("rose 3.2 pct", "rose 3.4 pct")
    # 60 words, 56 five-word runs each; the changed figure is in 5 of them, so
    # 51 runs are shared out of 61 in all. A short text is compared whole, not
    # estimated from a sample of its runs.
    assert resemblance(sketch(item), sketch(corrected)) == pytest.approx(51 / 61)


@pytest.mark.parametrize("copies", [65, 300])
def test_a_story_in_more_papers_than_a_bucket_holds_still_folds(copies):
    # Half verbatim, half with the paragraph trimmed and their own sign-off:
    # every copy shares its smallest hashes with more than MAX_BUCKET others.
    sketches = [
        (
            f"copy{n:03d}",
            sketch(text(STORY) if n % 2 else text(REPRINT) + f"\n\nReporting by desk {n}."),
        )
        for n in range(copies)
    ]
    sketches.append(("other", sketch(text(SAME_EVENT))))
    groups = group(sketches)
    assert set(groups) == {f"copy{n:03d}" for n in range(copies)}
    assert set(groups.values()) == {"copy000"}


def test_a_large_bucket_costs_work_linear_in_its_size(monkeypatch):
    import search.duplicates as duplicates

    calls = 0
    real = duplicates.resemblance

    def counted(a, b):
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(duplicates, "resemblance", counted)
    # 1,000 different articles sharing one stock sentence at the start.
    stock = "said in a statement on its website late on Tuesday evening that"
    words = [f"w{i}" for i in range(5000)]
    articles = [
        (f"a{n}", sketch(stock + " " + " ".join(words[n * 5 : n * 5 + 60]))) for n in range(1000)
    ]
    group(articles)
    assert calls <= len(articles) * (duplicates.MAX_LEADERS + 1) * duplicates.BUCKET_HASHES


def test_a_build_saved_by_an_older_version_groups_the_same(tmp_path):
    """Older builds saved sketches as tuples of ints; an update reads them as the
    same sketches (else every article would be regrouped and re-added)."""
    from search.store.state import BuildState

    now = {"a": sketch(text(STORY)), "b": sketch(text(REPRINT)), "c": sketch(text(SAME_EVENT))}
    BuildState(sketches={i: tuple(int(h) for h in hashes(sk)) for i, sk in now.items()}).save(
        tmp_path
    )
    loaded = BuildState.load(tmp_path).sketches
    assert loaded == now
    assert group(sorted(loaded.items())) == {"a": "a", "b": "a"}
