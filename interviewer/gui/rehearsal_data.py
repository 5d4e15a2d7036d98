"""The project rehearsal's part of a report, read from the ordinary report (no Qt): the
pitch's timing against its target, the structure checklist (problem, data, approach,
results, impact, lessons: found, with the words that showed it, or missing), and the
follow-ups with whether each was answered.

`rehearsal_summary(report, bank)` works the same for a rehearsal that just ended and one
reopened from History; the report page draws it (rehearsal_view) and the HTML and PDF
exports print it (report_html).
"""

from __future__ import annotations

ELEMENTS = ("problem", "data", "approach", "results", "impact", "lessons")
ELEMENT_TITLES = {"problem": "Problem", "data": "Data", "approach": "Approach", "results": "Results",
                  "impact": "Impact", "lessons": "Lessons"}


def is_pitch(question: dict) -> bool:
    return str(question.get("id") or "").startswith("proj-pitch")


def project_title(prompt: str, template: str | None) -> str | None:
    """The project's title, recovered from the pitch prompt the bank's template produced."""
    if not template or "{project}" not in template:
        return None
    before, after = template.split("{project}", 1)
    if prompt.startswith(before) and prompt.endswith(after) and len(prompt) > len(before) + len(after):
        return prompt[len(before):len(prompt) - len(after)]
    return None


def structure_parts(analysis: dict, structure: dict, used_s: float) -> list[dict]:
    """Where the pitch's time went, by the structure elements heard (the checklist's own
    evidence): each runs from where it starts to where the next one starts."""
    speech_start = float(analysis.get("speech_start") or 0.0)
    speech_end = float(analysis.get("speech_end") or analysis.get("duration_s") or 0.0)
    starts = sorted((float(e["start"]), name) for name, e in structure.items()
                    if e.get("found") and e.get("start") is not None and name in ELEMENT_TITLES)
    parts = []
    for i, (start, name) in enumerate(starts):
        begin = speech_start if i == 0 else start
        end = starts[i + 1][0] if i + 1 < len(starts) else speech_end
        seconds = max(0.0, end - begin)
        parts.append({"part": name, "label": ELEMENT_TITLES[name], "start": round(begin, 1),
                      "seconds": round(seconds, 1), "share": round(seconds / used_s, 2) if used_s else 0.0})
    return parts


def _target_label(question: dict, target: str, bank) -> str:
    """What a follow-up was about, as words a person says: a pitch part's name, else the key
    point's spoken topic from the bank, else the first clause of its label."""
    if target in ELEMENT_TITLES:
        return ELEMENT_TITLES[target].lower()
    bank_q = getattr(bank, "questions", {}).get(question.get("id")) if bank is not None else None
    kp = next((k for k in getattr(bank_q, "key_points", []) if k.id == target), None)
    if kp is not None and kp.topic:
        return kp.topic
    label = str((question.get("labels") or {}).get(target, target)).split(" - ")[0]
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def rehearsal_summary(report: dict, bank=None) -> dict | None:
    """{title, pitch_question, target_s, used_s, timing (a drill report), elements, follow_ups}, or
    None when the report is not a project rehearsal (no pitch question)."""
    questions = report.get("questions") or []
    pitch = next((q for q in questions if is_pitch(q)), None)
    if pitch is None:
        return None
    main = pitch.get("main") or {}
    bank_q = getattr(bank, "questions", {}).get(pitch["id"]) if bank is not None else None
    target = int(main.get("target_seconds") or getattr(bank_q, "target_seconds", 0) or
                 (180 if "three" in pitch["id"] else 120))
    timing = None
    if main:
        from ..content.drills import drill_report

        if bank_q is not None:
            timing = drill_report(bank_q, main, target)
        else:  # no bank: the same numbers without the labels of what is missing
            from ..content.bank import KeyPoint, Question

            kps = [KeyPoint(id=k, label=pitch.get("labels", {}).get(k, k), cues=[k]) for k in ELEMENTS]
            timing = drill_report(Question(id=pitch["id"], category="project", prompt=pitch.get("prompt") or "x",
                                           key_points=kps, difficulty=1, target_seconds=target), main, target)
    structure = {e.get("name"): e for e in (main.get("structure") or {}).get("elements") or []}
    if timing is not None:
        timing["parts"] = structure_parts(main, structure, timing["used_s"])
    elements = []
    for name in ELEMENTS:
        e = structure.get(name) or {}
        elements.append({"name": name, "title": ELEMENT_TITLES[name], "found": bool(e.get("found")),
                         "evidence": e.get("evidence"), "start": e.get("start"), "markers": e.get("markers") or [],
                         "expected": (pitch.get("labels") or {}).get(name)})
    follow_ups = []
    for qn, q in enumerate(questions, 1):
        for t in q.get("turns") or []:
            if t.get("kind") != "follow_up":
                continue
            a = t.get("assessment") or {}
            follow_ups.append({"question": qn, "on_pitch": is_pitch(q), "text": t.get("interviewer_text") or "",
                               "targets": t.get("targets"),
                               "target_label": _target_label(q, t.get("targets") or "", bank),
                               "addressed": a.get("addressed"), "how": a.get("directness_label"),
                               "reason": a.get("reason"),
                               "answer": ((t.get("transcript") or {}).get("text") or "").strip()})
    for e in elements:  # a part left out of the pitch but given when asked: say so, not just "missing"
        later = next((n for n, f in enumerate(follow_ups, 1)
                      if f["on_pitch"] and f["targets"] == e["name"] and f["addressed"]), None)
        e["missing_text"] = (f"not in the pitch; you gave it when asked (follow-up {later})" if later
                             else "missing")
    title = project_title(pitch.get("prompt") or "", getattr(bank_q, "prompt", None))
    return {"title": title, "pitch_question": pitch.get("prompt"), "target_s": target,
            "used_s": timing["used_s"] if timing else None, "timing": timing, "elements": elements,
            "follow_ups": follow_ups, "deep_dives": sum(1 for q in questions if not is_pitch(q))}
