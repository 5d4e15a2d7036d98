"""What a report leads with (no Qt): the overall picture in one sentence, and the two or
three things to work on next, ranked by how much they cost.

Every answer's analysis already carries up to eight tips, each in an area (depth,
structure, clarity, pacing). Shown all at once they bury the point. Here a tip's cost is
its area's shortfall in that answer (100 minus the area's score), weighted as the
question's category weighs the area in the overall score and shared among that answer's
tips in the area; the same advice in several answers adds up. The screen, the HTML and
the PDF all rank with this one function, so they agree.
"""

from __future__ import annotations

import re
from collections import Counter

AREA_TITLES = {"depth": "Technical depth", "structure": "Structure", "clarity": "Clarity", "pacing": "Pacing"}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _weights(category: str | None) -> dict[str, float]:
    from ..analysis.report import WEIGHTS

    return WEIGHTS.get(category or "", WEIGHTS["fundamentals"])


def _key(tip: str) -> str:
    """Advice with its numbers masked: "aim for about 90 s" and "about 120 s" are one tip."""
    return _NUMBER.sub("#", " ".join(str(tip).lower().split()))


def priorities(report: dict, limit: int = 3) -> list[dict]:
    """The tips worth the most, most first:

    [{tip, area, area_title, cost, questions: [n, …], evidence: [{text, question, start}]}]

    `cost` is in points of the overall score (averaged over the answers scored).
    """
    groups: dict[str, dict] = {}
    scored = 0
    for n, q in enumerate(report.get("questions") or [], 1):
        main = q.get("main") or {}
        if not main or main.get("no_speech"):
            continue
        scored += 1
        scores = main.get("scores") or {}
        weights = _weights(q.get("category"))
        credit = q.get("credit") or {}  # points covered anywhere in the thread (a follow-up answer too)
        tips = [t for t in main.get("feedback") or [] if t.get("tip") and t.get("key_point") not in credit]
        in_area = Counter(t.get("area") or "" for t in tips)
        for t in tips:
            area = t.get("area") or ""
            score = scores.get(area)
            shortfall = 100 - score if isinstance(score, (int, float)) else 10
            cost = weights.get(area, 0.1) * max(0, shortfall) / max(1, in_area[area])
            g = groups.setdefault(_key(t["tip"]), {"tip": str(t["tip"]), "area": area,
                                                   "area_title": AREA_TITLES.get(area, area.title()),
                                                   "cost": 0.0, "questions": [], "evidence": []})
            g["cost"] += cost
            if n not in g["questions"]:
                g["questions"].append(n)
            g["evidence"].append({"text": str(t.get("evidence") or ""), "question": n, "start": t.get("start")})
    for g in groups.values():
        g["cost"] = round(g["cost"] / max(1, scored), 1)
    ranked = sorted(groups.values(), key=lambda g: (-g["cost"], g["questions"][0]))
    return ranked[:limit]


def headline(report: dict) -> str:
    """The overall picture in a sentence or two: the strongest area, the one with the most
    room, and how many key points were covered."""
    scores = report.get("scores") or {}
    dims = [(d, scores.get(d)) for d in AREA_TITLES if isinstance(scores.get(d), (int, float))]
    if not dims:
        return "No answer was scored in this session."
    best = max(dims, key=lambda x: x[1])
    worst = min(dims, key=lambda x: x[1])
    parts = []
    if best[1] - worst[1] >= 10:
        parts.append(f"Strongest in {AREA_TITLES[best[0]].lower()} ({best[1]}); the most room to grow is in "
                     f"{AREA_TITLES[worst[0]].lower()} ({worst[1]}).")
    elif worst[1] >= 70:
        parts.append("Even across the board, and solid everywhere.")
    else:
        parts.append(f"Even across the board; {AREA_TITLES[worst[0]].lower()} ({worst[1]}) is the place to start.")
    kp = report.get("key_points") or {}
    total = sum(len(kp.get(k) or []) for k in ("covered", "recovered", "missed"))
    if total:
        covered = len(kp.get("covered") or [])
        after = len(kp.get("recovered") or [])
        parts.append(f"You covered {covered} of {total} key points" +
                     (f", and {after} more after a follow-up." if after else "."))
    return " ".join(parts)
