"""Every report a session ends with, built once for the CLI and the GUI: the interview
report (report_data), the timed drill's report, and the rehearsal's pitch and follow-ups."""

from __future__ import annotations

import re

from ..content.drills import concept_question, drill_report
from .plans import SessionPlan
from .report_data import from_records, from_store

__all__ = ["drill_from_records", "drill_from_session", "from_records", "from_store", "rehearsal_result"]

_CONCEPT_PROMPT = re.compile(r"^Explain (?P<concept>.+) to (?:someone with no technical background|an interviewer) "
                             r"in [^.]+\.$")


def drill_from_records(plan: SessionPlan, records: list, session_id: str | None) -> tuple[dict, dict, str] | None:
    """(drill report, analysis, prompt) of a drill that just ran, or None when no answer was recorded."""
    answers = [r for r in records if r.analysis]
    if not answers:
        return None
    d = plan.drill
    analysis = answers[-1].analysis
    report = drill_report(d["question"], analysis, d["target_s"], d["audience"])
    report["session_id"] = session_id
    return report, analysis, d["prompt"]


def drill_from_session(data: dict, bank=None) -> tuple[dict, dict, str] | None:
    """(drill report, analysis, prompt) of a drill reopened from History (store.session()),
    or None when it cannot be rebuilt (then it shows as an ordinary report)."""
    turn = next((t for t in data.get("turns") or [] if (t.get("turn") or {}).get("kind", "answer") == "answer"
                 and t.get("analysis")), None)
    if turn is None:
        return None
    analysis, question_info = turn["analysis"], turn.get("question") or {}
    target = int(analysis.get("target_seconds") or 0)
    audience = analysis.get("audience") or "interviewer"
    prompt = question_info.get("prompt") or ""
    if not target:
        return None
    qid = question_info.get("id") or ""
    if bank is not None and qid in bank.questions:
        question = bank.get(qid).model_copy(update={"target_seconds": target})
    else:
        match = _CONCEPT_PROMPT.match(prompt)
        if not match:
            return None
        question = concept_question(match["concept"], target, audience)
    report = drill_report(question, analysis, target, audience)
    report["session_id"] = data.get("id")
    return report, analysis, prompt


def rehearsal_result(plan: SessionPlan, records: list, summary: dict | None, session_id: str | None,
                     pitch_s: int) -> dict:
    """The pitch (time used against the target, structure, key points) and the follow-ups asked."""
    pitch = next((r for r in records if r.analysis), None)
    return {
        "session_id": session_id, "project": plan.project.title if plan.project else None, "summary": summary,
        "pitch": None if pitch is None else {
            "used_s": pitch.analysis.get("speaking_s"), "target_s": pitch_s,
            "structure": pitch.analysis.get("structure"), "key_points": pitch.analysis.get("key_points"),
            "scores": pitch.analysis.get("scores")},
        "follow_ups": [{"text": r.interviewer_text, "targets": r.targets, "source": r.source}
                       for r in records if r.kind == "follow_up"],
    }
