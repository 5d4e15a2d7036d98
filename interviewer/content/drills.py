"""Timed explanations: say one thing well in 30 s, 60 s, 2 or 3 minutes.

A drill is a single question (from the bank, or a concept the user types) with a target
time. The report says how the time was used against the target, where it went (per part
of the answer, from when each part starts in the transcript), the pace, and what to cut
or add. The "explain it to a non-expert" variant weighs unexplained jargon more.
"""

from __future__ import annotations

import re

from .bank import KeyPoint, Question
from .text import STOPWORDS, tokens

TARGETS = (30, 60, 120, 180)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "concept"


def concept_question(concept: str, target_s: int, audience: str = "interviewer") -> Question:
    """A question for a typed-in concept. Its parts are the shape of a good explanation,
    since no rubric knows the concept's content."""
    concept = " ".join(concept.split())
    words = [w for w in tokens(concept) if w not in STOPWORDS] or tokens(concept)
    if not words:  # the answer is transcribed in English: nothing in the concept could be recognised
        from ..errors import QuestionError

        raise QuestionError(f"The concept {concept!r} has no letter a-z or digit, so the drill could never "
                            "recognise it in your (English) answer",
                            "Type the concept in English, e.g. --concept 'gradient descent'.")
    who = "someone with no technical background" if audience == "non_expert" else "an interviewer"
    minutes = f"{target_s} seconds" if target_s < 90 else f"{target_s // 60} minutes"
    kps = [
        KeyPoint(id="definition", label=f"Says what {concept} is", cues=[concept.lower(), *words, "is a", "refers to"]),
        KeyPoint(id="example", label="Gives a concrete example",
                 cues=["for example", "for instance", "imagine", "such as", "say you", "let's say"]),
        KeyPoint(id="why", label="Says why it matters or when to use it",
                 cues=["because", "so that", "useful", "matters", "helps", "we use it", "the point is"]),
        KeyPoint(id="limits", label="Names a limitation or trade-off",
                 cues=["however", "downside", "limitation", "trade-off", "tradeoff", "the catch", "fails when"]),
        KeyPoint(id="summary", label="Closes with a one-line summary",
                 cues=["in short", "to sum up", "in summary", "so overall", "the takeaway", "bottom line"]),
    ]
    return Question(id=f"drill-{_slug(concept)}", category="fundamentals",
                    prompt=f"Explain {concept} to {who} in {minutes}.", key_points=kps, difficulty=1,
                    target_seconds=target_s, tags=["drill"])


def _part_starts(analysis: dict) -> list[tuple[float, str, str]]:
    """(start, key point id, label) for every part the answer covered, in spoken order."""
    starts = []
    for kp in analysis.get("key_point_evidence", []):
        evidence = [e for e in kp.get("evidence", []) if e.get("start") is not None]
        # A cue marks where the part is said; label matches quote from the sentence start.
        direct = [e for e in evidence if e.get("how") in ("cue", "paraphrase", "meaning")] or evidence
        times = [e["start"] for e in direct]
        if kp.get("covered") and times:
            starts.append((min(times), kp["id"], kp.get("label", kp["id"])))
    return sorted(starts)


def drill_report(question: Question, analysis: dict, target_s: int, audience: str = "interviewer") -> dict:
    speech_start = analysis.get("speech_start") or 0.0
    speech_end = analysis.get("speech_end") or analysis.get("duration_s", 0.0)
    used = round(analysis.get("speaking_s") or max(0.0, speech_end - speech_start), 1)
    delta = round(used - target_s, 1)
    ratio = used / target_s if target_s else 0.0
    if analysis.get("word_count", 0) == 0:
        verdict = "no speech"
    elif 0.85 <= ratio <= 1.1:
        verdict = "on time"
    elif ratio < 0.85:
        verdict = "short"
    else:
        verdict = "over"

    parts = []
    starts = _part_starts(analysis)
    for i, (start, kp_id, label) in enumerate(starts):
        begin = speech_start if i == 0 else start
        end = starts[i + 1][0] if i + 1 < len(starts) else speech_end
        seconds = max(0.0, end - begin)
        parts.append({"part": kp_id, "label": label, "start": round(begin, 1), "seconds": round(seconds, 1),
                      "share": round(seconds / used, 2) if used else 0.0})
    missed = analysis.get("key_points", {}).get("missed", [])
    pauses = analysis.get("pauses", [])
    pause_s = round(sum(p["duration"] for p in pauses), 1)
    fillers = analysis.get("fillers", [])

    cut, add = [], []
    if verdict == "over":
        if parts:
            longest = max(parts, key=lambda p: p["seconds"])
            fair = used / max(1, len(parts))
            if longest["seconds"] > 1.5 * fair:
                cut.append({"tip": f"Trim '{longest['label']}': it took {longest['seconds']:.0f} s of {used:.0f} s.",
                            "evidence": f"from {longest['start']:.1f} s"})
        if pause_s >= 2:
            cut.append({"tip": f"Long pauses added {pause_s:.0f} s.", "evidence": ", ".join(
                f"{p['duration']:.1f} s at {p['start']:.1f} s" for p in pauses[:3])})
        if len(fillers) >= 3:
            cut.append({"tip": f"{len(fillers)} fillers cost time and attention.",
                        "evidence": ", ".join(f"'{f['word']}' at {f['start']:.1f} s" for f in fillers[:3])})
        for rep in analysis.get("repetitions", [])[:2]:
            cut.append({"tip": "Say it once.", "evidence": f"'{rep.get('quote', rep.get('text', ''))}'"})
        if not cut:
            cut.append({"tip": f"Plan for {target_s} s: drop the least important sentence.",
                        "evidence": f"{used:.0f} s used"})
    for kp_id in missed:
        label = question.key_point(kp_id).label if kp_id in {k.id for k in question.key_points} else kp_id
        add.append({"tip": f"Add: {label}.", "evidence": "not found in the answer"})
    if verdict == "short" and not add:
        add.append({"tip": f"You had {target_s - used:.0f} s left: add a concrete example or a trade-off.",
                    "evidence": f"{used:.0f} s of {target_s} s used"})
    if audience == "non_expert":
        for j in analysis.get("jargon", []):
            if not j.get("explained"):
                add.append({"tip": f"Explain '{j['term']}' in everyday words, or leave it out.",
                            "evidence": f"at {j['start']:.1f} s"})
    return {
        "target_s": target_s, "used_s": used, "delta_s": delta, "verdict": verdict, "audience": audience,
        "wpm": analysis.get("wpm"), "wpm_windows": analysis.get("wpm_windows", []), "pace_curve": analysis.get("pace_curve", []), "parts": parts,
        "pauses_s": pause_s, "cut": cut, "add": add, "scores": analysis.get("scores", {}),
        "feedback": analysis.get("feedback", []),
    }
