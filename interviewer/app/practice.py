"""Spaced practice: missed key points and weak answers come back on an SM-2 schedule.

What gets scheduled (one `review_items` row each, updated in the same transaction as the
answer that caused it, by `Store.record_answer`):

- a **question** whose main answer scored below 60/100 (SM-2 quality < 3);
- a **key point** the main answer missed.

A good answer never creates an item; it only advances one that exists. Follow-ups count
for the key point they target (recovered with a hint: quality 3; missed again: 1).

The SM-2 bookkeeping itself lives with the history (history/schedule.py); this module
reads it to decide what to practise.

A good answer *before* an item is due earns nothing (no cramming); a poor one always
resets it. The schedule is a pure function of the answers in order, so deleting or
importing sessions rebuilds it (`rebuild_schedule`).

Entry points: `due_today(store, bank)`, `priority(store)` for `Bank.select(priority=...)`,
`plan(start_date, store, bank)` for the 30/60/90-day plan.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..history.schedule import (MIN_EASINESS, QUALITY_FLOORS, START_EASINESS, ReviewState, apply_answer,  # noqa: F401
                             quality_from_score, rebuild_schedule, sm2)
from ..history.schema import key_point_id_label

if TYPE_CHECKING:
    from ..content.bank import Bank, Question
    from ..history import Store

# -- what to practise ----------------------------------------------------------------------


def _label(bank: "Bank | None", qid: str, kp_id: str, stored: str | None) -> str:
    if bank is not None and qid in bank.questions:
        try:
            return bank.questions[qid].key_point(kp_id).label
        except KeyError:
            pass
    return stored or kp_id


def due_today(store: "Store", bank: "Bank | None" = None, today: date | None = None) -> list[dict]:
    """Questions with reviews due on or before `today`, most overdue first.

    Each: question_id, category, prompt (with a bank), due, overdue_days, low_score (the
    question itself is due), key_points [{id, label}] due, easiness. With a bank, questions
    that are no longer in it are left out.
    """
    today = today or store.today()
    with store._lock:
        rows = store.conn.execute(
            "SELECT kind, question_id, key_point_id, category, label, easiness, due, last_quality "
            "FROM review_items WHERE due <= ? ORDER BY due, easiness", (today.isoformat(),)).fetchall()
    by_question: dict[str, dict] = {}
    for kind, qid, kp_id, category, label, ef, due, last_q in rows:
        if bank is not None and qid not in bank.questions:
            continue
        entry = by_question.setdefault(qid, {
            "question_id": qid, "category": category,
            "prompt": bank.questions[qid].prompt if bank is not None else None,
            "due": due, "overdue_days": (today - date.fromisoformat(due)).days,
            "low_score": False, "key_points": [], "easiness": ef,
        })
        entry["easiness"] = min(entry["easiness"], ef)
        if kind == "question":
            entry["low_score"] = True
            entry["last_quality"] = last_q
        else:
            entry["key_points"].append({"id": kp_id, "label": _label(bank, qid, kp_id, label)})
    return sorted(by_question.values(), key=lambda e: (-e["overdue_days"], e["easiness"], e["question_id"]))


def priority(store: "Store", today: date | None = None) -> Callable[["Question"], float]:
    """A key for `Bank.select(priority=...)`: due reviews first, then unseen questions,
    then the ones answered worst lately; a question already asked today (and not due) last.

    Values are coarse buckets so that the bank's seeded shuffle still varies equals.
    """
    today = today or store.today()
    with store._lock:
        due = {qid: (today - date.fromisoformat(d)).days for qid, d in store.conn.execute(
            "SELECT question_id, MIN(due) FROM review_items WHERE due <= ? GROUP BY question_id",
            (today.isoformat(),))}
        seen = {qid: (avg, last) for qid, avg, last in store.conn.execute(
            "SELECT question_id, AVG(overall), MAX(day) FROM (SELECT question_id, overall, "
            "substr(created_at, 1, 10) AS day, ROW_NUMBER() OVER (PARTITION BY question_id ORDER BY id DESC) AS rn "
            "FROM answers WHERE kind = 'answer') WHERE rn <= 3 GROUP BY question_id")}
    today_s = today.isoformat()

    def key(question: "Question") -> float:
        if question.id in due:
            return 3.0 + min(due[question.id], 30) / 31
        if question.id not in seen:
            return 2.0
        avg, last = seen[question.id]
        if last == today_s:
            return -1.0
        if avg is None:
            return 1.0
        return round(1.0 - max(0.0, min(100.0, avg)) / 100.0, 1)

    return key


# -- the 30/60/90-day plan -----------------------------------------------------------------

PHASES = (
    {"key": "foundations", "title": "Fundamentals and coding fluency", "first_day": 1, "last_day": 30,
     "categories": ["fundamentals", "ml_coding"], "mode": "study", "sessions_per_week": 4,
     "habits": ["Keep one answer a day within its target time",
                "Talk through one coding problem aloud, naming the complexity",
                "Re-record last week's weakest answer and compare the reports"]},
    {"key": "depth", "title": "Projects and system design", "first_day": 31, "last_day": 60,
     "categories": ["project", "system_design", "case_study"], "mode": "study", "sessions_per_week": 3,
     "habits": ["Write a one-page story of a project: problem, your role, trade-offs, impact",
                "Sketch one ML system end to end: data, features, training, serving, monitoring",
                "Re-record last week's weakest answer and compare the reports"]},
    {"key": "mocks", "title": "Mock interviews", "first_day": 61, "last_day": 90,
     "categories": ["fundamentals", "ml_coding", "case_study", "system_design", "behavioral", "project"],
     "mode": "real", "sessions_per_week": 2,
     "habits": ["Read each mock's report the same day and note one fix",
                "Rehearse the STAR stories you will reuse in behavioral rounds",
                "Re-record last week's weakest answer and compare the reports"]},
)
WEAK_BELOW = 70.0


def _clip(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def _phase_for(day_number: int) -> dict:
    for phase in PHASES:
        if phase["first_day"] <= day_number <= phase["last_day"]:
            return phase
    return PHASES[-1]


def _weak_topics(store: "Store | None") -> tuple[list[dict], list[dict]]:
    """(topics, key points) scoring below WEAK_BELOW / covered under half the time, worst first."""
    if store is None:
        return [], []
    with store._lock:
        q_rows = store.conn.execute(
            "SELECT question_id, MAX(category), MAX(tags_json), COUNT(*), AVG(overall) FROM answers "
            "WHERE kind = 'answer' GROUP BY question_id").fetchall()
        kp_rows = store.conn.execute(
            "SELECT k.question_id, k.key_point_id, MAX(k.label), COUNT(*), AVG(k.covered), MAX(a.category) "
            "FROM key_point_results k JOIN answers a ON a.id = k.answer_id "
            "GROUP BY k.question_id, k.key_point_id HAVING AVG(k.covered) < 0.5").fetchall()
    topics: dict[tuple[str, str, str], list[float]] = {}
    for _, category, tags_json, n, avg in q_rows:
        if avg is None:
            continue
        try:
            tags = [t for t in json.loads(tags_json or "[]") if isinstance(t, str)]
        except json.JSONDecodeError:
            tags = []
        for kind, name in [("category", category)] + [("tag", t) for t in tags]:
            acc = topics.setdefault((kind, name, category), [0, 0.0])
            acc[0] += n
            acc[1] += avg * n
    weak = [{"kind": k, "topic": name, "category": cat, "answers": n, "overall": round(total / n, 1)}
            for (k, name, cat), (n, total) in topics.items() if n and total / n < WEAK_BELOW]
    weak.sort(key=lambda t: (t["overall"], t["kind"] != "tag", t["topic"]))
    kps = [{"question_id": q, "key_point_id": k, "label": label or k, "attempts": n, "rate": round(rate, 2),
            "category": cat} for q, k, label, n, rate, cat in kp_rows]
    kps.sort(key=lambda k: (k["rate"], -k["attempts"], k["question_id"]))
    return weak, kps


def _week_progress(store: "Store", start: date, end: date, phase: dict) -> dict:
    cats = phase["categories"]
    marks = ",".join("?" * len(cats))
    lo, hi = start.isoformat(), (end + timedelta(days=1)).isoformat()
    with store._lock:
        sessions = store.conn.execute(
            f"SELECT COUNT(*) FROM sessions s WHERE s.started_at >= ? AND s.started_at < ? AND s.mode = ? AND "
            f"EXISTS (SELECT 1 FROM answers a WHERE a.session_id = s.id AND a.category IN ({marks}))",
            (lo, hi, phase["mode"], *cats)).fetchone()[0]
        days = store.conn.execute(
            "SELECT COUNT(DISTINCT substr(created_at, 1, 10)) FROM answers WHERE created_at >= ? AND created_at < ?",
            (lo, hi)).fetchone()[0]
        answers = store.conn.execute(
            "SELECT category, tags_json FROM answers WHERE kind = 'answer' AND created_at >= ? AND created_at < ?",
            (lo, hi)).fetchall()
        covered = {(q, k) for q, k in store.conn.execute(
            "SELECT question_id, key_point_id FROM key_point_results WHERE covered = 1 AND day >= ? AND day <= ?",
            (lo, end.isoformat()))}
    return {"sessions": sessions, "days": days, "answers": answers, "covered": covered}


def plan(start_date: date, store: "Store | None" = None, bank: "Bank | None" = None,
         today: date | None = None) -> dict:
    """A 90-day plan from `start_date` in three phases, with a checklist for each week.

    Checklist items name the user's weak topics and missed key points (from `store`) in the
    phase's categories; with no history they rotate through the phase's categories. Items
    with a `target` are ticked from the history (`progress`, `done`); habits are manual
    (`done` None).
    """
    from ..content.bank import CATEGORY_TITLES

    today = today or (store.today() if store is not None else date.today())
    weak_topics, weak_kps = _weak_topics(store)
    phases = []
    for p in PHASES:
        phases.append({
            "key": p["key"], "title": p["title"], "mode": p["mode"], "categories": p["categories"],
            "start": (start_date + timedelta(days=p["first_day"] - 1)).isoformat(),
            "end": (start_date + timedelta(days=p["last_day"] - 1)).isoformat(),
            "weak_topics": [t for t in weak_topics if t["category"] in p["categories"]][:5],
        })
    weeks = []
    phase_week: dict[str, int] = {}
    for w in range(13):
        first = 7 * w + 1
        phase = _phase_for(min(first + 3, 90))  # the phase holding most of the week
        n_in_phase = phase_week.get(phase["key"], 0)
        phase_week[phase["key"]] = n_in_phase + 1
        wstart = start_date + timedelta(days=first - 1)
        wend = start_date + timedelta(days=min(first + 6, 90) - 1)
        started = wstart <= today
        prog = _week_progress(store, wstart, wend, phase) if store is not None and started else None
        cats = phase["categories"]
        items = [{
            "id": f"w{w + 1}-sessions", "kind": "sessions", "target": phase["sessions_per_week"],
            "text": f"Complete {phase['sessions_per_week']} {phase['mode']}-mode sessions on "
                    + " / ".join(CATEGORY_TITLES.get(c, c) for c in cats[:3]) + ("…" if len(cats) > 3 else ""),
            "progress": prog["sessions"] if prog else 0,
        }, {
            "id": f"w{w + 1}-days", "kind": "days", "target": 5,
            "text": "Practise on 5 days this week, clearing the due-today reviews first",
            "progress": prog["days"] if prog else 0,
        }]
        topics = [t for t in weak_topics if t["category"] in cats]
        if topics:
            topic = topics[n_in_phase % len(topics)]
            what = topic["topic"].replace("_", " ")
            text = (f"Weak topic: {what} (average {topic['overall']:.0f}/100) — answer 2 questions on it "
                    "and beat that score")
        else:
            cat = cats[n_in_phase % len(cats)]
            topic = {"kind": "category", "topic": cat}
            text = f"Answer 2 {CATEGORY_TITLES.get(cat, cat)} questions"
        done_answers = 0
        if prog:
            for category, tags_json in prog["answers"]:
                tags = json.loads(tags_json or "[]") if tags_json else []
                if (topic["kind"] == "category" and category == topic["topic"]) or (
                        topic["kind"] == "tag" and topic["topic"] in tags):
                    done_answers += 1
        items.append({"id": f"w{w + 1}-topic", "kind": "topic", "topic": topic["topic"], "target": 2,
                      "text": text, "progress": done_answers})
        kps = [k for k in weak_kps if k["category"] in cats]
        if kps:
            kp = kps[n_in_phase % len(kps)]
            label = _label(bank, kp["question_id"], kp["key_point_id"], kp["label"])
            items.append({
                "id": f"w{w + 1}-key-point", "kind": "key_point", "target": 1,
                "question_id": kp["question_id"], "key_point_id": kp["key_point_id"], "label": label,
                "text": f"Cover \u201c{_clip(label)}\u201d when you answer {kp['question_id']} "
                        f"(covered {kp['rate']:.0%} of {kp['attempts']} tries)",
                "progress": int(bool(prog and (kp["question_id"], kp["key_point_id"]) in prog["covered"])),
            })
        habit = phase["habits"][n_in_phase % len(phase["habits"])]
        items.append({"id": f"w{w + 1}-habit", "kind": "habit", "target": None, "text": habit, "progress": None})
        for item in items:
            item["done"] = None if item["target"] is None else item["progress"] >= item["target"]
        weeks.append({"week": w + 1, "phase": phase["key"], "start": wstart.isoformat(), "end": wend.isoformat(),
                      "current": wstart <= today <= wend, "checklist": items})
    day_number = (today - start_date).days + 1
    return {
        "start": start_date.isoformat(),
        "end": (start_date + timedelta(days=89)).isoformat(),
        "today": today.isoformat(),
        "day": day_number if 1 <= day_number <= 90 else None,
        "phases": phases,
        "weeks": weeks,
        "weak_topics": weak_topics[:10],
        "weak_key_points": weak_kps[:10],
    }
