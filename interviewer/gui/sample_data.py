"""A few weeks of plausible practice, for screenshots and GUI tests that need a history
without running the models: answers are written from each question's own key points
(some left out, a filler and a hedge here and there) and scored by the real analysis.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta


def _answer_text(question, rng: random.Random, coverage: float) -> tuple[str, list[str]]:
    points = list(question.key_points)
    rng.shuffle(points)
    n = max(1, round(len(points) * coverage))
    chosen = points[:n]
    openers = ["So,", "Um, so", "Okay.", "Right, so", "I think"]
    parts = [f"{rng.choice(openers)} {chosen[0].label.rstrip('.')}."]
    for kp in chosen[1:]:
        lead = rng.choice(["Also,", "Second,", "Um,", "And maybe", "For example,", "Then"])
        parts.append(f"{lead} {kp.label[0].lower()}{kp.label[1:].rstrip('.')}.")
    if rng.random() < 0.5:
        parts.append("So overall that is the trade-off I would weigh, you know.")
    return " ".join(parts), [kp.id for kp in chosen]


def populate(store, bank, *, sessions: int = 8, days: int = 35, seed: int = 7, now: datetime | None = None,
             clock_setter=None) -> list[str]:
    """Write `sessions` finished sessions spread over the last `days` days; returns their ids.

    `clock_setter(datetime)` moves the store's clock (Store.open(clock=...)) so sessions
    land on past dates.
    """
    from ..analysis import analyze, assess_follow_up, summarize_session, transcript_from_text

    rng = random.Random(seed)
    now = now or datetime.now().astimezone()
    formats = ["fundamentals", "ml_coding", "system_design", "fundamentals", "behavioral", "ml_coding"]
    pools = {f: bank.select(3, seed=seed, categories=[f]) for f in set(formats)}  # repeats build key-point histories
    ids = []
    for k in range(sessions):
        when = now - timedelta(days=days * (sessions - k) / sessions, hours=rng.randint(0, 5))
        if clock_setter:
            clock_setter(when)
        fmt = formats[k % len(formats)]
        questions = rng.sample(pools[fmt], 2)
        mode = "real" if k % 3 == 2 else "study"
        sid = store.begin_session(format=fmt, mode=mode, settings={"keep_audio": False},
                                  question_ids=[q.id for q in questions])
        results = []
        for qi, q in enumerate(questions):
            coverage = min(1.0, 0.35 + 0.07 * k + rng.random() * 0.2)
            text, _ = _answer_text(q, rng, coverage)
            transcript = transcript_from_text(text, wpm=rng.choice([125, 140, 150, 165]))
            analysis = analyze(q, transcript).to_dict()
            question = {"id": q.id, "category": q.category, "prompt": q.prompt, "tags": q.tags}
            store.record_answer(sid, question, {"kind": "answer", "index": qi * 2, "interviewer_text": q.prompt,
                                                "source": "bank"}, transcript.to_dict(), analysis)
            results.append({"analysis": analysis})
            missed = analysis["key_points"]["missed"]
            if missed and q.follow_ups_for(missed[0]) and rng.random() < 0.7:
                target = missed[0]
                fu_text = q.follow_ups_for(target)[0].text
                kp = q.key_point(target)
                reply = transcript_from_text(f"Right. {kp.label}. That is what I would check first.")
                fu_analysis = analyze(q, reply).to_dict()
                assessment = assess_follow_up(q, target, fu_analysis)
                store.record_answer(sid, question, {"kind": "follow_up", "index": qi * 2 + 1, "targets": target,
                                                    "interviewer_text": fu_text, "source": "rubric",
                                                    "follow_up_assessment": assessment},
                                    reply.to_dict(), fu_analysis)
                results[-1]["follow_ups"] = [assessment]
        summary = summarize_session(results)
        summary.update({"questions": len(questions), "format": fmt, "mode": mode,
                        "duration_s": round(240 + rng.random() * 300, 1)})
        store.finish_session(sid, summary)
        ids.append(sid)
    if clock_setter:
        clock_setter(now)
    return ids
