"""A tiny two-outlet corpus with dates, authors and one syndicated pair."""

from __future__ import annotations

from pathlib import Path

from helpers import write_corpus

WIRE = [
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
]


def page(title: str, author: str | None, published: str | None, *paragraphs: str) -> str:
    lines = [title, ""]
    if author:
        lines += [f"By {author}", ""]
    if published:
        lines += [f"Published {published}", ""]
    return "\n".join([*lines, "\n\n".join(paragraphs)]) + "\n"


def build(root: Path) -> Path:
    return write_corpus(
        root,
        {
            "gazette/court.txt": page(
                "Appeal court strikes down voter ID law", "Owen Pritchard", "January 21, 2025",
                *WIRE,
            ),
            "courier/court.txt": page(
                "Court throws out photo ID rule", "Marguerite Osei", "January 21, 2025",
                *(WIRE[:3] + WIRE[4:]),
            ),
            "courier/clerks.txt": page(
                "Clerks reprint election guides after ID ruling", "Hannah Lindqvist",
                "January 22, 2025",
                "Election clerks in the valley spent Wednesday pulping thousands of voter "
                "guides after the appeal court's ruling on photo identification at the polls.",
                "The returning officer said new guides would go out before the by-election.",
            ),
            "gazette/harbour.txt": page(
                "Harbour dredging to begin in September", "Owen Pritchard", "June 3, 2024",
                "Dredging of the inner harbour will begin in September after six years of "
                "delay, the port authority said on Monday.",
                "Fishermen welcomed the news but said the work should have started sooner.",
            ),
            "gazette/museum.txt": page(
                "Maritime museum reopens", None, None,
                "The maritime museum of José Álvarez reopened on Saturday after repairs to "
                "its roof, with a new gallery about the harbour's lighthouse keepers.",
            ),
        },
    )  # fmt: skip
