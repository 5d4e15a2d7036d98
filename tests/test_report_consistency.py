"""One truth in every report: a key point credited wherever in its thread it was said,
one pace band behind every score, advice and chart, and labels, never internal ids."""

from __future__ import annotations

import re

import pytest

from interviewer.analysis import analyze, transcript_from_text
from interviewer.analysis.pacing import BAND, BAND_TEXT
from interviewer.app.report_data import from_records
from interviewer.content.bank import load_question_file
from interviewer.paths import REPO_ROOT

QUESTION = load_question_file(REPO_ROOT / "interviewer" / "demo_data" / "question.yaml")
FIRST = ("Bias is the error of a model that is too simple, so it underfits. Variance means the model is too "
         "sensitive to the training data and it overfits.")
FOLLOW_UP = ("I would add regularization, collect more data, or average an ensemble of models to bring the "
             "variance down.")


def record(kind, text, targets=None):
    analysis = analyze(QUESTION, transcript_from_text(text)).to_dict()
    return {"question_id": QUESTION.id, "kind": kind, "interviewer_text": "x", "targets": targets,
            "transcript": {"text": text}, "analysis": analysis, "audio_path": None, "follow_up_assessment": None}


def test_a_point_covered_in_a_follow_up_answer_counts_and_says_where():
    first, follow = record("answer", FIRST), record("follow_up", FOLLOW_UP, "remedies")
    assert "remedies" in first["analysis"]["key_points"]["missed"]  # the first answer alone missed it
    report = from_records([first, follow], {}, questions=[QUESTION])
    (q,) = report["questions"]
    assert q["credit"]["remedies"]["where"] == "your follow-up answer"
    remedies = QUESTION.key_point("remedies").label
    assert remedies not in report["key_points"]["missed"] and remedies in report["key_points"]["recovered"]
    assert not [t for t in report["tips"] if t.get("key_point") == "remedies"]  # no advice to cover it


@pytest.mark.parametrize("wpm", [95, 115, 125, 145, 165, 175, 200])
def test_pace_score_and_its_advice_agree_on_one_band(wpm):
    words = ("the model learns a mapping from inputs to outputs and we check it on held out data " * 12).split()
    a = analyze(QUESTION, transcript_from_text(" ".join(words), wpm=wpm)).to_dict()
    measured = a["wpm"]
    pace_tips = [t for t in a["feedback"] if t.get("area") == "pacing" and re.search(r"slow down|pick up", t["tip"], re.I)]
    outside = not BAND[0] <= measured <= BAND[1]
    assert bool(pace_tips) == outside, (measured, pace_tips)
    for t in pace_tips:
        assert BAND_TEXT in t["tip"]
    reasons = [r["reason"] for r in a["score_explanations"]["pacing"]["raised"] + a["score_explanations"]["pacing"]["lowered"]]
    assert not any(re.search(r"\b1[23]0-1[67]0\b", r) and BAND_TEXT not in r for r in reasons)  # no second band


def test_no_internal_id_reaches_what_the_user_reads():
    a = analyze(QUESTION, transcript_from_text(FIRST)).to_dict()
    visible = [r["reason"] for d in a["score_explanations"].values() for way in ("raised", "lowered")
               for r in d.get(way) or []] + [t["tip"] for t in a["feedback"]]
    ids = {kp.id for kp in QUESTION.key_points}
    assert visible and not [v for v in visible if any(re.search(rf"\b{i}\b", v) for i in ids)]


def test_a_point_named_without_explaining_is_marked_so_where_the_advice_says_so():
    """The advice said "You named this point without explaining it: ..." while the key point
    list showed the same point as plainly missed."""
    from interviewer.app.report_data import NAMED_NOTE
    from interviewer.gui.report_html import key_points_html

    named = record("answer", "Bias is underfitting and variance is overfitting. Regularization. Ensembles. More data.")
    report = from_records([named], {}, questions=[QUESTION])
    (q,) = report["questions"]
    remedies = QUESTION.key_point("remedies").label
    assert "remedies" in q["named"] and remedies in report["key_points"]["named"]
    assert remedies in report["key_points"]["missed"]  # named is not covered
    assert "tradeoff" not in q["named"]  # never said at all: plainly missed
    shown = key_points_html(report["key_points"], {})
    assert f"{remedies} <span class='dim'>{NAMED_NOTE}</span>" in shown.replace("&#x27;", "'")
    tradeoff = QUESTION.key_point("tradeoff").label
    assert f"{tradeoff}<br>" in shown.replace("&#x27;", "'")
