"""Asking a clarifying question counts toward structure (Step 2 point 6 / Step 3 point 6)."""

from interviewer.analysis import analyze
from interviewer.analysis.structure import credit_clarifying_questions
from interviewer.content.bank import load_bank
from interviewer.transcript import Transcript, Word


def test_clarifying_question_raises_structure():
    q = load_bank(include_user=False).get("fund-class-imbalance")
    text = "When the positive class is rare accuracy misleads, so I would look at precision and recall."
    words = [Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(text.split())]
    before = analyze(q, Transcript(words, len(words) * 0.4)).to_dict()
    s0, o0 = before["scores"]["structure"], before["scores"]["overall"]
    after = credit_clarifying_questions(before, ["Can I assume the labels are reliable?"])
    assert after["scores"]["structure"] > s0 and after["scores"]["overall"] >= o0
    element = [e for e in after["structure"]["elements"] if e["name"] == "assumptions"][0]
    assert element["found"] and "labels are reliable" in element["evidence"]
    assert credit_clarifying_questions(after, ["again?"])["scores"]["structure"] == after["scores"]["structure"]
