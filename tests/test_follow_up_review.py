"""The interviewer's follow-ups on the judged review set, with the default models.

Every case of tests/fixtures/follow_up_review (bank questions, custom questions, project
rehearsals; a tuning part and a held-out part) is run through the real policy and wording,
and each line is looked up in verdicts.yaml, written by reading it as a senior ML
interviewer would. A line nobody has judged fails the test: a change to what the
interviewer says has to be read before it can pass.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

SENSIBLE, BAD, GROUNDED = 0.90, 0.05, 0.40  # the targets (issue: Step 9)
# Second follow-ups, first measured 2026-12-01: sensible 0.667 tuning / 0.833 held out; 0.833 /
# 0.889 once general lines gave way to moving on. A floor at what is there, not yet the target above.
SECOND_SENSIBLE, SECOND_BAD = 0.85, 0.15


@pytest.fixture(scope="module")
def review():
    from interviewer.tools.followup_review import bench_follow_ups

    return bench_follow_ups()


def test_every_line_has_been_judged(review):
    assert not review["unjudged"], "judge these lines (see tests/fixtures/follow_up_review/README.md):\n" + \
        "\n".join(f"{u['case']}: {u['text']}" for u in review["unjudged"])


def test_the_lines_are_what_a_senior_interviewer_would_ask(review):
    shares = review["all"]
    listing = "\n".join(f"{b['case']}: {b['text']} ({b['why']})" for b in review["bad"])
    assert shares["sensible_share"] >= SENSIBLE, listing
    assert shares["bad_share"] <= BAD, listing
    assert shares["grounded_share"] >= GROUNDED


def test_the_held_out_part_holds_too(review):
    """Written before any result was seen, never tuned on: the honest figure."""
    held = review["heldout"]
    assert held["judged"] == held["cases"]
    assert held["sensible_share"] >= SENSIBLE and held["bad_share"] <= BAD


def test_the_default_model_is_not_trusted_to_word_follow_ups(review):
    assert review["parameters"] < 1e9 and not review["free_wording"]
    assert all(r["source"] in ("authored", "template") for r in review["rows"])


def test_second_follow_ups_are_judged_on_replies_to_the_first(review):
    """What the interviewer says after the candidate's reply (second.yaml, second_heldout.yaml):
    every reply still answers the first follow-up the interviewer asks, and every line is judged."""
    second = review["second"]
    assert not second["stale"], "replies written to a first follow-up no longer asked:\n" + \
        "\n".join(f"{s['case']}: now {s['asked_now']!r}" for s in second["stale"])
    shares = second["all"]
    assert shares["cases"] >= 48 and shares["judged"] == shares["cases"]
    listing = "\n".join(f"{b['case']}: {b['text']} ({b['why']})" for b in second["bad"])
    assert shares["sensible_share"] >= SECOND_SENSIBLE and shares["bad_share"] <= SECOND_BAD, listing
