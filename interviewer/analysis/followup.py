"""Follow-up handling: did the answer to a follow-up address the key point it targeted?"""

from __future__ import annotations

from statistics import mean

from ..content.bank import Question
from .report import AnswerAnalysis

DIRECT, PARTIAL, INDIRECT, NOT_ADDRESSED = "direct", "partial", "indirect", "not addressed"
# How each verdict reads in a sentence about the point the follow-up asked about.
VERDICT_WORDS = {DIRECT: "answered what was asked", INDIRECT: "answered what was asked, late in the reply",
                 PARTIAL: "partly answered what was asked", NOT_ADDRESSED: "did not answer what was asked"}
# A probe goes deeper on a point the candidate already made. The rubric knows the point, not
# the answer to the deeper question, so the verdict says only what it can check: that the
# reply kept to that point (a reply on remedies to "how would you estimate the variance?"
# mentions variance too).
PROBE_WORDS = {DIRECT: "kept to the point it probed", INDIRECT: "came back to the point it probed, late in the reply",
               PARTIAL: "touched the point it probed", NOT_ADDRESSED: "did not take up the point it probed"}


def verdict_words(assessment: dict | None) -> str | None:
    a = assessment or {}
    return (PROBE_WORDS if a.get("probe") else VERDICT_WORDS).get(a.get("directness_label"))


def verdict_sentence(assessment: dict | None) -> str:
    """"answered what was asked: <the point>", or "" when there is no assessment."""
    a = assessment or {}
    words = verdict_words(a)
    return f"{words}: {a['label']}" if words and a.get("label") else ""


def _analysis_dict(analysis: AnswerAnalysis | dict) -> dict:
    return analysis.to_dict() if isinstance(analysis, AnswerAnalysis) else analysis


def covered_earlier(analyses, key_point: str | None) -> bool:
    """One of these earlier analyses of the question's thread covered `key_point`: a follow-up
    on it went deeper (a probe) rather than asking for what was missed."""
    return bool(key_point) and any(
        key_point in (((a or {}).get("key_points") or {}).get("covered") or []) for a in analyses)


def assess_follow_up(question: Question, target_kp_id: str, analysis: AnswerAnalysis | dict) -> dict:
    """How directly the follow-up answer addressed `target_kp_id`.

    directness (0-1): full credit for the target key point, more when it comes early
    (an answer that gets to the point in its first sentences is direct), less when the
    point is only named or only half-evidenced.
    """
    kp = question.key_point(target_kp_id)  # KeyError names an unknown id
    d = _analysis_dict(analysis)
    if d.get("no_speech"):
        return {
            "target": target_kp_id, "label": kp.label, "addressed": False, "directness": 0.0,
            "directness_label": NOT_ADDRESSED, "evidence": [], "reason": "no speech detected",
        }
    info = next((e for e in d.get("key_point_evidence", []) if e["id"] == target_kp_id), None)
    covered = target_kp_id in d["key_points"]["covered"]
    credit = float(info["credit"]) if info else (1.0 if covered else 0.0)
    evidence = (info or {}).get("evidence", [])
    start = d.get("speech_start") or 0.0
    span = max(1e-6, float(d.get("speaking_s") or 1.0))
    first_at = min((e["start"] for e in evidence if e.get("explained", True) and e.get("start") is not None), default=None)
    if covered:
        # when in the answer the point arrives: the first 40 % of the answer counts as direct
        rel = 0.0 if first_at is None else max(0.0, (first_at - start) / span)
        directness = 1.0 if rel <= 0.4 else max(0.6, 1.0 - (rel - 0.4))
        label = DIRECT if rel <= 0.4 else INDIRECT
        reason = ("explained the point at once" if rel <= 0.4 else
                  f"explained the point only {round(100 * rel)} % of the way into the answer")
    elif credit > 0:
        directness = round(min(0.5, credit), 2)
        label = PARTIAL
        reason = "touched the point without explaining it" if (info or {}).get("named_only") else "partial evidence only"
    else:
        directness, label, reason = 0.0, NOT_ADDRESSED, "the answer did not address the point"
    others = [k for k in d["key_points"]["covered"] if k != target_kp_id]
    return {
        "target": target_kp_id,
        "label": kp.label,
        "addressed": covered,
        "directness": round(float(directness), 2),
        "directness_label": label,
        "evidence": evidence,
        "reason": reason,
        "also_covered": others,
        "probe": bool(d.get("follow_up_probe")),
    }


def summarize_session(results: list[dict]) -> dict:
    """Roll up a session. Each item: {"question": Question or id, "analysis": AnswerAnalysis|dict,
    "follow_ups": [assess_follow_up(...) dicts]} (keys "analysis"/"follow_ups" may be absent);
    a bare AnswerAnalysis or its dict is accepted too."""
    answers, follow_ups = [], []
    kinds: dict[str, int] = {}
    for item in results:
        if isinstance(item, AnswerAnalysis) or (isinstance(item, dict) and "scores" in item):
            answers.append(_analysis_dict(item))
            continue
        if not isinstance(item, dict):
            continue
        if item.get("analysis") is not None:
            a = dict(_analysis_dict(item["analysis"]))
            if "scores" in a and "key_points" in a:
                a.setdefault("question_id", item.get("question_id"))
                answers.append(a)
                kind = str(item.get("kind", "answer"))
                kinds[kind] = kinds.get(kind, 0) + 1
        for fu in item.get("follow_ups", []) or []:
            if isinstance(fu, dict) and "target" in fu:
                follow_ups.append(fu)
        # the session engine's TurnRecord.to_dict() names it follow_up_assessment
        for key in ("assessment", "follow_up_assessment"):
            fu = item.get(key)
            if isinstance(fu, dict) and "target" in fu:
                follow_ups.append({**fu, "question_id": item.get("question_id")})
    spoken = [a for a in answers if not a.get("no_speech") and all(isinstance(a["scores"].get(k), (int, float)) for k in ("clarity", "pacing", "depth", "structure", "overall"))]
    dims = ("clarity", "pacing", "depth", "structure", "overall")
    avg = {k: (round(mean(a["scores"][k] for a in spoken)) if spoken else 0) for k in dims}
    covered = sum(len(a["key_points"]["covered"]) for a in spoken)
    total_kp = sum(len(a["key_points"]["covered"]) + len(a["key_points"]["missed"]) for a in spoken)
    minutes = sum(float(a.get("speaking_s") or 0.0) for a in spoken) / 60.0
    words = sum(a["word_count"] for a in spoken)
    fillers = sum(len(a["fillers"]) for a in spoken)
    weakest = min(("clarity", "pacing", "depth", "structure"), key=lambda k: avg[k]) if spoken else None
    strongest = max(("clarity", "pacing", "depth", "structure"), key=lambda k: avg[k]) if spoken else None
    fu_addressed = sum(1 for f in follow_ups if f.get("addressed"))
    fu_direct = [float(f.get("directness", 0.0)) for f in follow_ups]
    missed_points = [
        {"question_id": a.get("question_id"), "key_point": k} for a in spoken for k in a["key_points"]["missed"]
    ]
    tips = []
    for a in spoken:
        for t in a.get("feedback", [])[:2]:
            tips.append({**t, "question_id": a.get("question_id")})
    return {
        "answers": len(answers),
        "answers_with_speech": len(spoken),
        "by_kind": kinds,
        "overall": avg["overall"] if spoken else None,
        "scores": avg,
        "per_answer": [
            {"question_id": a.get("question_id"), "scores": a["scores"], "covered": a["key_points"]["covered"], "missed": a["key_points"]["missed"]}
            for a in answers
        ],
        "key_points": {"covered": covered, "total": total_kp, "rate": round(covered / total_kp, 3) if total_kp else 0.0},
        "missed_key_points": missed_points,
        "wpm": round(words / minutes, 1) if minutes else 0.0,
        "fillers_per_min": round(fillers / minutes, 2) if minutes else 0.0,
        "follow_ups": {
            "count": len(follow_ups),
            "addressed": fu_addressed,
            "addressed_rate": round(fu_addressed / len(follow_ups), 3) if follow_ups else None,
            "mean_directness": round(mean(fu_direct), 2) if fu_direct else None,
            "items": follow_ups,
        },
        "strongest": strongest,
        "weakest": weakest,
        "top_tips": tips[:6],
    }
