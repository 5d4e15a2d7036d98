"""One shape for a report, whether it comes from the history store or a live session.

`from_store(store.session(sid), bank)` and `from_records(...)` both return a plain dict:

    {id, started_at, format, mode, status, duration_s, scores {clarity, pacing, depth,
     structure, overall}, summary, evidence {dim: {raised: [...], lowered: [...]}},
     tips, key_points {covered, recovered, missed, named: [label]}, follow_ups {asked, addressed},
     questions: [{id, category, prompt, scores, labels {kp id: label}, main (analysis),
                  turns: [{kind, interviewer_text, targets, transcript, analysis,
                           audio_path, assessment}]}]}

No Qt here: the report page and the HTML/PDF export read the same structure.
"""

from __future__ import annotations

from statistics import mean

DIMENSIONS = ("clarity", "pacing", "depth", "structure")
DIMENSION_TITLES = {"clarity": "Clarity", "pacing": "Pacing", "depth": "Technical depth", "structure": "Structure",
                    "overall": "Overall"}
FORMAT_TITLES = {"mixed": "Mixed interview"}
# Beside a missed point the answer named without explaining: the advice says "You named this
# point without explaining it", and the key point list must not read as if it was never said.
NAMED_NOTE = "(named, not explained)"


def format_title(fmt: str | None) -> str:
    from ..content.bank import CATEGORY_TITLES

    return FORMAT_TITLES.get(fmt or "", CATEGORY_TITLES.get(fmt or "", (fmt or "Interview").replace("_", " ").title()))


def _labels(question_id: str, analysis: dict | None, bank) -> dict[str, str]:
    labels = {}
    if bank is not None:
        q = getattr(bank, "questions", {}).get(question_id)
        for kp in getattr(q, "key_points", None) or []:
            labels[kp.id] = kp.label
    for ev in (analysis or {}).get("key_point_evidence") or []:
        if ev.get("id") and ev.get("label"):
            labels.setdefault(ev["id"], ev["label"])
    return labels


def _turn(kind, interviewer_text, targets, transcript, analysis, audio_path, assessment) -> dict:
    return {"kind": kind, "interviewer_text": interviewer_text or "", "targets": targets,
            "transcript": transcript or {}, "analysis": analysis or None, "audio_path": audio_path,
            "assessment": assessment}


def thread_credit(q: dict) -> dict[str, dict]:
    """Where each key point of a question was covered anywhere in its thread: the first
    answer, a follow-up answer, or a pitch. {kp id: {turn, where, at}} (turn 0 is the first
    answer; `at` the seconds into that turn's recording where it was first said)."""
    credit: dict[str, dict] = {}
    answers = [t for t in q["turns"] if t["kind"] in ("answer", "follow_up") and t["analysis"]]
    for n, turn in enumerate(answers):
        where = "your answer" if n == 0 else ("your follow-up answer" if n == 1 else f"follow-up answer {n}")
        for ev in turn["analysis"].get("key_point_evidence") or []:
            if ev.get("covered") and ev.get("id") not in credit:
                starts = [e.get("start") for e in ev.get("evidence") or [] if e.get("start") is not None]
                credit[ev["id"]] = {"turn": n, "where": where, "at": min(starts) if starts else None}
        for kp_id in (turn["analysis"].get("key_points") or {}).get("covered") or []:
            credit.setdefault(kp_id, {"turn": n, "where": where, "at": None})
    return credit


def _finish(report: dict, bank) -> dict:
    """Per-question scores and the session-level roll-ups from the turns."""
    mains = []
    for q in report["questions"]:
        q["recovered"], q["named"] = [], []
        main = next((t["analysis"] for t in q["turns"] if t["kind"] == "answer" and t["analysis"]), None)
        q["main"] = main
        q["scores"] = dict((main or {}).get("scores") or {})
        q["labels"] = {}
        for t in q["turns"]:
            q["labels"].update(_labels(q["id"], t["analysis"], bank))
        if main and not main.get("no_speech"):
            mains.append((q, main))
    # Session scores average the main answers, as History and progress do (the session
    # summary also averages follow-up answers, which would make the two disagree).
    scores = {}
    for dim in (*DIMENSIONS, "overall"):
        values = [m["scores"][dim] for _, m in mains if isinstance(m.get("scores", {}).get(dim), (int, float))]
        scores[dim] = round(mean(values)) if values else None
    if not mains:
        scores.update({k: v for k, v in ((report.get("summary") or {}).get("scores") or {}).items() if v is not None})
    report["scores"] = scores

    evidence: dict[str, dict[str, list[dict]]] = {d: {"raised": [], "lowered": []} for d in DIMENSIONS}
    tips: list[dict] = []
    covered, missed, recovered, named = [], [], [], []
    for n, (q, main) in enumerate(mains, 1):
        expl = main.get("score_explanations") or {}
        for dim in DIMENSIONS:
            for way in ("raised", "lowered"):
                for item in (expl.get(dim) or {}).get(way) or []:
                    evidence[dim][way].append({**item, "question": n})
        credit = thread_credit(q)
        q["credit"] = credit
        q["recovered"] = [k for k, c in credit.items() if c["turn"] > 0]
        q["named"] = [ev["id"] for ev in main.get("key_point_evidence") or []
                      if ev.get("named_only") and ev.get("id") not in credit]
        # a point covered later in the thread is not something to work on
        # (feedback written as plain strings, as early versions stored it, carries no key point)
        tips_here = [t for t in main.get("feedback") or [] if isinstance(t, dict)]
        for tip in [t for t in tips_here if t.get("key_point") not in credit][:3]:
            tips.append({**tip, "question": n})
        all_ids = list(dict.fromkeys([*((main.get("key_points") or {}).get("covered") or []),
                                      *((main.get("key_points") or {}).get("missed") or [])]))
        # this question's points by label: said in the first answer, said later, never said
        q["points"] = {"covered": [q["labels"].get(k, k) for k in all_ids if k in credit and credit[k]["turn"] == 0],
                       "recovered": [q["labels"].get(k, k) for k in q["recovered"]],
                       "missed": [q["labels"].get(k, k) for k in all_ids if k not in credit],
                       "named": [q["labels"].get(k, k) for k in q["named"]]}
        covered += q["points"]["covered"]
        recovered += q["points"]["recovered"]
        missed += q["points"]["missed"]
        named += q["points"]["named"]
    report["evidence"] = evidence
    report["tips"] = tips
    report["key_points"] = {"covered": covered, "recovered": recovered, "missed": missed, "named": named}
    follow_ups = [t for q in report["questions"] for t in q["turns"] if t["kind"] == "follow_up"]
    report["follow_ups"] = {"asked": len(follow_ups),
                            "addressed": sum(1 for t in follow_ups if (t["assessment"] or {}).get("addressed"))}
    return report


def from_store(data: dict, bank=None) -> dict:
    questions: dict[str, dict] = {}
    for t in data.get("turns") or []:
        q = t.get("question") or {}
        entry = questions.setdefault(q.get("id"), {"id": q.get("id"), "category": q.get("category"),
                                                   "prompt": q.get("prompt") or "", "turns": []})
        turn = t.get("turn") or {}
        entry["turns"].append(_turn(turn.get("kind", "answer"), turn.get("interviewer_text"), turn.get("targets"),
                                    t.get("transcript"), t.get("analysis"),
                                    t.get("audio_path") if t.get("audio_exists", True) else None,
                                    turn.get("follow_up_assessment")))
    summary = data.get("summary") or {}
    report = {
        "id": data.get("id"), "started_at": data.get("started_at"), "format": data.get("format"),
        "mode": data.get("mode"), "status": data.get("status"), "summary": summary,
        "duration_s": summary.get("duration_s"), "questions": list(questions.values()),
    }
    return _finish(report, bank)


def from_records(records: list[dict], summary: dict | None, *, session_id=None, fmt=None, mode=None,
                 questions=None, started_at=None, bank=None) -> dict:
    """From `InterviewSession.records` (as dicts), when there is no store."""
    prompts = {q.id: q for q in questions or []}
    by_question: dict[str, dict] = {}
    for r in records:
        q = prompts.get(r["question_id"])
        entry = by_question.setdefault(r["question_id"], {
            "id": r["question_id"], "category": getattr(q, "category", None), "turns": [],
            "prompt": getattr(q, "prompt", "") or (r["interviewer_text"] if r["kind"] == "answer" else "")})
        entry["turns"].append(_turn(r["kind"], r["interviewer_text"], r.get("targets"), r.get("transcript"),
                                    r.get("analysis"), r.get("audio_path"), r.get("follow_up_assessment")))
    report = {"id": session_id, "started_at": started_at, "format": fmt, "mode": mode, "status": "finished",
              "summary": summary or {}, "duration_s": (summary or {}).get("duration_s"),
              "questions": list(by_question.values())}
    return _finish(report, bank)
