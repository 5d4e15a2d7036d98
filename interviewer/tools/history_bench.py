"""How fast the History page opens with a long history: `interviewer bench history`."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from ..history.db import Store

TARGET_MS = 300.0


def _questions() -> list[dict]:
    """The real bank when it loads (ids, categories, tags, key points as users will have them)."""
    try:
        from ..content.bank import load_bank

        bank = load_bank(include_user=False)
        return [{"id": q.id, "category": q.category, "prompt": q.prompt, "tags": q.tags,
                 "key_points": [(kp.id, kp.label) for kp in q.key_points]} for q in bank]
    except Exception:  # a broken bank must not break the benchmark
        cats = ["fundamentals", "ml_coding", "case_study", "system_design", "behavioral", "project"]
        return [{"id": f"q{i}", "category": cats[i % 6], "prompt": f"Question {i}?", "tags": [f"t{i % 17}"],
                 "key_points": [(f"k{j}", f"point {j}") for j in range(4)]} for i in range(300)]


def populate(store: Store, n: int, answers_per_session: int = 5, seed: int = 7, start: datetime | None = None) -> None:
    """n sessions of realistic shape: main answers, a follow-up each, scores and key points."""
    rng = random.Random(seed)
    questions = _questions()
    clock_now = [start or datetime(2024, 1, 1, 9, 0).astimezone()]
    store.clock = lambda: clock_now[0]
    skill = {q["id"]: rng.uniform(30, 80) for q in questions}
    for i in range(n):
        clock_now[0] += timedelta(hours=rng.choice([3, 9, 20, 26, 50]))
        picked = rng.sample(questions, answers_per_session)
        sid = store.begin_session(format=rng.choice(["mixed", "fundamentals", "system_design", "behavioral"]),
                                  mode=rng.choice(["study", "real"]), persona=rng.choice([None, "friendly", "tough"]),
                                  settings={"keep_audio": False}, question_ids=[q["id"] for q in picked])
        for j, q in enumerate(picked):
            skill[q["id"]] = min(95, skill[q["id"]] + rng.uniform(-3, 6))
            overall = max(0, min(100, rng.gauss(skill[q["id"]], 12)))
            covered = [k for k, _ in q["key_points"] if rng.random() < overall / 100]
            missed = [k for k, _ in q["key_points"] if k not in covered]
            analysis = {"scores": {"clarity": rng.uniform(40, 95), "pacing": rng.uniform(40, 95),
                                   "depth": overall, "structure": rng.uniform(30, 95), "overall": overall},
                        "key_points": {"covered": covered, "missed": missed}, "feedback": ["…"] * 3}
            question = {k: q[k] for k in ("id", "category", "prompt", "tags")}
            words = " ".join(["word"] * rng.randint(80, 260))
            clock_now[0] += timedelta(minutes=3)
            store.record_answer(sid, question, {"kind": "answer", "index": j, "source": "bank"},
                                {"text": words, "duration_s": 90.0}, analysis, None, {"answer_s": 90.0})
            if missed and j % 2 == 0:
                store.record_answer(
                    sid, question, {"kind": "follow_up", "index": j, "follow_up_of": j, "targets": missed[0],
                                    "interviewer_text": "Could you say more?", "source": "rubric"},
                    {"text": words[:200]}, {"scores": {"overall": overall}, "key_points": {
                        "covered": missed[:1] if rng.random() < 0.5 else [], "missed": missed[1:]}}, None, {})
        store.finish_session(sid, {"overall": overall})


def bench_history(n: int = 1000, answers_per_session: int = 5, repeats: int = 20, page_size: int | None = None,
                  folder: str | Path | None = None) -> dict:
    """Build `n` sessions in a temporary database, then time what the History page runs:
    the session list with scores (all sessions, or `page_size`) plus `progress()`.

    Returns median and p90 in milliseconds, a breakdown, and whether the 300 ms target holds.
    """
    with tempfile.TemporaryDirectory(prefix="bench-history-", dir=folder) as tmp:
        db = Path(tmp) / "history.sqlite3"
        t0 = time.perf_counter()
        store = Store.open(db, durability="off", keep_audio=False)
        populate(store, n, answers_per_session)
        build_s = time.perf_counter() - t0
        counts = store.conn.execute(
            "SELECT (SELECT COUNT(*) FROM sessions), (SELECT COUNT(*) FROM answers), "
            "(SELECT COUNT(*) FROM key_point_results), (SELECT COUNT(*) FROM review_items)").fetchone()
        today = store.today()
        store.close()

        t0 = time.perf_counter()
        store = Store.open(db)
        page = store.sessions(limit=page_size)
        store.progress(today=today)
        cold_ms = (time.perf_counter() - t0) * 1000

        totals, lists, progs = [], [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            page = store.sessions(limit=page_size)
            store.count_sessions()
            t1 = time.perf_counter()
            store.progress(today=today)
            t2 = time.perf_counter()
            lists.append((t1 - t0) * 1000)
            progs.append((t2 - t1) * 1000)
            totals.append((t2 - t0) * 1000)
        store.close()
        size_mb = sum(p.stat().st_size for p in Path(tmp).glob("history.sqlite3*")) / 1e6

    def p90(xs: list[float]) -> float:
        return sorted(xs)[max(0, int(round(0.9 * len(xs))) - 1)]

    median = statistics.median(totals)
    return {
        "benchmark": "history",
        "sessions": counts[0], "answers": counts[1], "key_point_rows": counts[2], "review_items": counts[3],
        "rows_listed": len(page),
        "db_mb": round(size_mb, 2),
        "build_s": round(build_s, 2),
        "repeats": repeats,
        "history_page_ms": {"median": round(median, 1), "p90": round(p90(totals), 1)},
        "session_list_ms": {"median": round(statistics.median(lists), 1), "p90": round(p90(lists), 1)},
        "progress_ms": {"median": round(statistics.median(progs), 1), "p90": round(p90(progs), 1)},
        "cold_open_ms": round(cold_ms, 1),
        "target_ms": TARGET_MS,
        "meets_target": p90(totals) < TARGET_MS and cold_ms < TARGET_MS,
    }
