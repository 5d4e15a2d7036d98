"""The spaced-practice schedule as the history stores it: SM-2 over the answers, in SQL.

Each recorded answer updates its `review_items` rows in the same transaction
(`apply_answer`, called by Store.record_answer); deleting or importing sessions replays
every answer in order (`rebuild_schedule`). What to practise next is read from the same
table by `practice` (due today, priorities, the 30/60/90-day plan).

SM-2 as used here (Wozniak 1990, with the lapse as the first learning step):

    poor answer (quality < 3)   repetitions = 0, interval = 1 day, lapses += 1
    good answer, 1st in a row   interval = 6 days
    good answer, later          interval = round(interval x easiness)
    every graded review         easiness += 0.1 - (5 - q) x (0.08 + (5 - q) x 0.02), floor 1.3

A good answer *before* an item is due earns nothing (no cramming); a poor one always
resets it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .schema import key_point_id_label

MIN_EASINESS = 1.3
START_EASINESS = 2.5
# overall score (0-100) -> SM-2 quality (0-5)
QUALITY_FLOORS = ((90, 5), (75, 4), (60, 3), (45, 2), (25, 1))


def quality_from_score(overall: float | None) -> int | None:
    if overall is None:
        return None
    for floor, quality in QUALITY_FLOORS:
        if overall >= floor:
            return quality
    return 0


@dataclass(frozen=True)
class ReviewState:
    easiness: float = START_EASINESS
    interval_days: int = 1
    repetitions: int = 0
    lapses: int = 0
    due: date | None = None
    last_review: date | None = None
    last_quality: int | None = None


def _easiness(ef: float, q: int) -> float:
    return max(MIN_EASINESS, round(ef + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02), 4))


def sm2(state: ReviewState | None, quality: int, today: date) -> ReviewState:
    """The next state of an item reviewed `today` with `quality` (0-5)."""
    if not 0 <= quality <= 5:
        raise ValueError("quality must be 0-5")
    state = state or ReviewState(due=today)
    if quality < 3:
        return ReviewState(_easiness(state.easiness, quality), 1, 0, state.lapses + 1,
                           today + timedelta(days=1), today, quality)
    if state.due is not None and today < state.due:
        return replace(state, last_review=today, last_quality=quality)
    reps = state.repetitions + 1
    interval = 6 if reps == 1 else max(state.interval_days + 1, round(state.interval_days * state.easiness))
    return ReviewState(_easiness(state.easiness, quality), interval, reps, state.lapses,
                       today + timedelta(days=interval), today, quality)


def _review(conn: sqlite3.Connection, kind: str, qid: str, kp_id: str, category: str, label: str | None,
            quality: int, day: date, create: bool) -> None:
    row = conn.execute(
        "SELECT easiness, interval_days, repetitions, lapses, due, last_review, last_quality, label "
        "FROM review_items WHERE kind = ? AND question_id = ? AND key_point_id = ?", (kind, qid, kp_id)).fetchone()
    if row is None and not create:
        return
    state = None
    if row is not None:
        state = ReviewState(row[0], row[1], row[2], row[3], date.fromisoformat(row[4]),
                            date.fromisoformat(row[5]) if row[5] else None, row[6])
        label = label or row[7]
    new = sm2(state, quality, day)
    conn.execute(
        "INSERT INTO review_items (kind, question_id, key_point_id, category, label, easiness, interval_days, "
        "repetitions, lapses, due, last_review, last_quality) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT (kind, question_id, key_point_id) DO UPDATE SET category = excluded.category, "
        "label = excluded.label, easiness = excluded.easiness, interval_days = excluded.interval_days, "
        "repetitions = excluded.repetitions, lapses = excluded.lapses, due = excluded.due, "
        "last_review = excluded.last_review, last_quality = excluded.last_quality",
        (kind, qid, kp_id, category, label, new.easiness, new.interval_days, new.repetitions, new.lapses,
         new.due.isoformat(), new.last_review.isoformat() if new.last_review else None, new.last_quality),
    )


def _key_points(analysis: dict, which: str) -> list[tuple[str, str | None]]:
    kps = analysis.get("key_points") if isinstance(analysis.get("key_points"), dict) else {}
    out = []
    for kp in kps.get(which) or []:
        kp_id, label = key_point_id_label(kp)
        if kp_id:
            out.append((kp_id, label))
    return out


def apply_answer(conn: sqlite3.Connection, question: dict, turn: dict, analysis: dict, day: str | date) -> None:
    """Update the schedule for one recorded turn."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    qid, category = str(question["id"]), str(question.get("category") or "")
    kind = turn.get("kind", "answer")
    covered = _key_points(analysis, "covered")
    missed = _key_points(analysis, "missed")
    if kind == "answer":
        scores = analysis.get("scores") if isinstance(analysis.get("scores"), dict) else {}
        overall = scores.get("overall")
        q = quality_from_score(overall if isinstance(overall, (int, float)) else None)
        if q is not None:
            _review(conn, "question", qid, "", category, None, q, day, create=q < 3)
        for kp_id, label in missed:
            _review(conn, "key_point", qid, kp_id, category, label, 1, day, create=True)
        for kp_id, label in covered:
            _review(conn, "key_point", qid, kp_id, category, label, 5, day, create=False)
    elif kind == "follow_up":
        targets = turn.get("targets")
        targets = [targets] if isinstance(targets, str) else [t for t in targets or [] if isinstance(t, str)]
        covered_ids = {k for k, _ in covered}
        for kp_id in targets:
            _review(conn, "key_point", qid, kp_id, category, None, 3 if kp_id in covered_ids else 1, day,
                    create=kp_id not in covered_ids)


def rebuild_schedule(conn: sqlite3.Connection) -> int:
    """Replay every answer in order (after a delete or an import). Returns answers replayed."""
    conn.execute("DELETE FROM review_items")
    n = 0
    for qid, category, turn_json, analysis_json, created, kind in conn.execute(
            "SELECT question_id, category, turn_json, analysis_json, created_at, kind FROM answers "
            "WHERE kind != 'clarification' ORDER BY created_at, id").fetchall():
        try:
            turn = json.loads(turn_json or "{}")
            analysis = json.loads(analysis_json or "{}")
        except json.JSONDecodeError:
            continue
        if not isinstance(turn, dict) or not isinstance(analysis, dict):
            continue
        turn.setdefault("kind", kind)
        apply_answer(conn, {"id": qid, "category": category}, turn, analysis, created[:10])
        n += 1
    return n
