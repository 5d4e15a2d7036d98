"""Spaced practice: SM-2 intervals, the due-today set, selection priority and the 90-day plan.
Dates are injected; nothing sleeps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from interviewer.app import practice
from interviewer.content.bank import Bank, parse_question
from interviewer.app.practice import ReviewState, due_today, plan, priority, quality_from_score, sm2
from interviewer.history import Store
from tests.test_store_helpers import Clock, record

D0 = date(2025, 3, 3)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


@pytest.fixture
def clock():
    return Clock(D0)


@pytest.fixture
def store(clock):
    s = Store.open(clock=clock)
    yield s
    s.close()


def _bank(*ids: str) -> Bank:
    specs = {
        "q-bias": ("fundamentals", ["k1", "k2", "k3"]),
        "q-design": ("system_design", ["d1", "d2"]),
        "q-star": ("behavioral", ["s1"]),
        "q-extra": ("fundamentals", ["e1"]),
        "q-other": ("ml_coding", ["o1"]),
    }
    out = []
    for qid in ids:
        cat, kps = specs[qid]
        out.append(parse_question({
            "id": qid, "category": cat, "prompt": f"A question called {qid}, answer it please.",
            "key_points": [{"id": k, "label": f"label of {k}", "cues": [k]} for k in kps]}, "test"))
    return Bank(out)


def _items(store: Store) -> dict:
    return {(k, q, p): (interval, reps, due) for k, q, p, interval, reps, due in store.conn.execute(
        "SELECT kind, question_id, key_point_id, interval_days, repetitions, due FROM review_items")}


def test_quality_from_score():
    assert [quality_from_score(s) for s in (95, 80, 62, 50, 30, 10, None)] == [5, 4, 3, 2, 1, 0, None]


def test_sm2_intervals_grow_on_good_answers_and_reset_on_poor_ones():
    s = sm2(None, 1, day(0))  # a miss: back tomorrow
    assert (s.interval_days, s.repetitions, s.lapses, s.due) == (1, 0, 1, day(1))
    assert s.easiness == pytest.approx(1.96)
    s = sm2(s, 5, day(1))
    assert (s.interval_days, s.repetitions, s.due) == (6, 1, day(7))
    s = sm2(s, 5, day(7))
    assert s.interval_days == round(6 * 2.06) == 12 and s.due == day(19)
    s = sm2(s, 4, day(19))
    assert s.interval_days == round(12 * 2.16) == 26 and s.easiness == pytest.approx(2.16)
    early = sm2(s, 5, s.due - timedelta(days=3))  # reviewing early earns nothing
    assert (early.interval_days, early.due, early.repetitions) == (s.interval_days, s.due, s.repetitions)
    s = sm2(s, 2, day(45))
    assert (s.interval_days, s.repetitions, s.lapses, s.due) == (1, 0, 2, day(46))
    floor = ReviewState(easiness=1.3)
    assert sm2(floor, 0, day(0)).easiness == 1.3
    with pytest.raises(ValueError):
        sm2(None, 7, day(0))


def test_due_today_follows_the_schedule(store, clock):
    bank = _bank("q-bias", "q-design")
    # day 0: a poor answer that covered k1 and missed k2
    sid = store.begin_session(format="mixed", settings={})
    record(store, sid, "q-bias", overall=30, covered=["k1"], missed=["k2"])
    record(store, sid, "q-design", overall=85, covered=["d1", "d2"], missed=[], index=1)  # good: not scheduled
    store.finish_session(sid, {})
    assert set(_items(store)) == {("question", "q-bias", ""), ("key_point", "q-bias", "k2")}
    assert due_today(store, bank) == []  # nothing is due the same day
    [entry] = due_today(store, bank, today=day(1))
    assert entry["question_id"] == "q-bias" and entry["low_score"] and entry["overdue_days"] == 0
    assert entry["key_points"] == [{"id": "k2", "label": "label of k2"}]
    assert entry["prompt"].startswith("A question called q-bias")
    assert due_today(store, bank, today=day(4))[0]["overdue_days"] == 3

    # day 1: a good answer covering k2 -> six days
    clock.set_day(day(1))
    sid = store.begin_session(format="mixed", settings={})
    record(store, sid, "q-bias", overall=80, covered=["k1", "k2"], missed=[])
    assert _items(store)[("question", "q-bias", "")] == (6, 1, day(7).isoformat())
    assert _items(store)[("key_point", "q-bias", "k2")] == (6, 1, day(7).isoformat())
    assert all(due_today(store, bank, today=day(n)) == [] for n in range(2, 7))
    assert [e["question_id"] for e in due_today(store, bank, today=day(7))] == ["q-bias"]

    # day 7: good again -> the interval grows beyond six days
    clock.set_day(day(7))
    record(store, sid, "q-bias", overall=92, covered=["k1", "k2"], missed=[])
    interval, reps, due = _items(store)[("question", "q-bias", "")]
    assert interval > 6 and reps == 2 and due == (day(7) + timedelta(days=interval)).isoformat()

    # on its due day a poor answer resets it to tomorrow
    clock.set_day(date.fromisoformat(due))
    record(store, sid, "q-bias", overall=20, covered=["k1", "k2"], missed=[])
    assert _items(store)[("question", "q-bias", "")] == (1, 0, (clock.now.date() + timedelta(days=1)).isoformat())

    # questions removed from the bank are left out
    assert due_today(store, _bank("q-design"), today=day(60)) == []
    assert [e["question_id"] for e in due_today(store, None, today=day(60))] == ["q-bias"]


def test_follow_ups_update_the_key_point_they_target(store, clock):
    sid = store.begin_session(format="mixed", settings={})
    record(store, sid, "q-bias", overall=70, covered=["k1"], missed=["k3"])
    record(store, sid, "q-bias", overall=70, covered=["k3"], missed=[], kind="follow_up", targets="k3")
    # recovered with a hint the same day: still due tomorrow (no credit before due)
    assert _items(store)[("key_point", "q-bias", "k3")] == (1, 0, day(1).isoformat())
    clock.set_day(day(1))
    record(store, sid, "q-design", overall=70, covered=[], missed=[], kind="follow_up", targets=["d2"])
    assert _items(store)[("key_point", "q-design", "d2")] == (1, 0, day(2).isoformat())  # missed again
    record(store, sid, "q-bias", overall=70, covered=["k3"], missed=[], kind="follow_up", targets="k3")
    assert _items(store)[("key_point", "q-bias", "k3")] == (6, 1, day(7).isoformat())
    record(store, sid, "q-bias", overall=None, kind="clarification")  # changes nothing
    assert _items(store)[("key_point", "q-bias", "k3")] == (6, 1, day(7).isoformat())


def test_rebuilt_schedule_equals_the_incremental_one(store, clock):
    plan_ = [(0, "q-bias", 30, ["k1"], ["k2", "k3"]), (1, "q-bias", 85, ["k1", "k2", "k3"], []),
             (2, "q-design", 40, [], ["d1"]), (7, "q-bias", 50, ["k2"], ["k3"]), (9, "q-design", 90, ["d1"], [])]
    for n, qid, overall, covered, missed in plan_:
        clock.set_day(day(n))
        sid = store.begin_session(format="mixed", settings={})
        record(store, sid, qid, overall=overall, covered=covered, missed=missed)
        record(store, sid, qid, overall=60, covered=missed[:1], missed=missed[1:], kind="follow_up",
               targets=missed[:1])
    everything = "SELECT * FROM review_items ORDER BY kind, question_id, key_point_id"
    incremental = store.conn.execute(everything).fetchall()
    with store._tx() as conn:
        assert practice.rebuild_schedule(conn) == 10
    assert store.conn.execute(everything).fetchall() == incremental


def test_priority_prefers_due_then_unseen_then_weak(store, clock):
    bank = _bank("q-bias", "q-design", "q-star", "q-extra", "q-other")
    sid = store.begin_session(format="mixed", settings={})
    record(store, sid, "q-bias", overall=25, covered=[], missed=["k1"])  # poor: due tomorrow
    record(store, sid, "q-design", overall=78, covered=["d1", "d2"], missed=[])  # good
    record(store, sid, "q-star", overall=62, covered=["s1"], missed=[])  # middling, not scheduled
    clock.set_day(day(3))
    record(store, sid, "q-other", overall=30, covered=["o1"], missed=[])  # asked today
    key = priority(store)
    scores = {q.id: key(q) for q in bank}
    assert scores["q-bias"] > 3  # due (and two days late)
    assert scores["q-extra"] == 2.0  # never asked
    assert scores["q-star"] == pytest.approx(0.4) and scores["q-design"] == pytest.approx(0.2)
    assert scores["q-other"] == -1.0
    picked = bank.select(5, seed=1, priority=key)
    assert [q.id for q in picked] == ["q-bias", "q-extra", "q-star", "q-design", "q-other"]
    # unseen questions still come out shuffled by the seed
    fresh = _bank("q-bias", "q-design", "q-star", "q-extra", "q-other")
    with Store.open(clock=clock, path=store.root / "empty.sqlite3") as empty:
        orders = {tuple(q.id for q in fresh.select(5, seed=s, priority=priority(empty))) for s in range(6)}
    assert len(orders) > 1


def test_plan_without_history_has_three_phases_and_a_checklist_per_week():
    p = plan(date(2025, 1, 6), today=date(2025, 1, 8))
    assert [ph["key"] for ph in p["phases"]] == ["foundations", "depth", "mocks"]
    assert [(ph["start"], ph["end"]) for ph in p["phases"]] == [
        ("2025-01-06", "2025-02-04"), ("2025-02-05", "2025-03-06"), ("2025-03-07", "2025-04-05")]
    assert len(p["weeks"]) == 13 and p["day"] == 3 and p["end"] == "2025-04-05"
    assert [w["phase"] for w in p["weeks"]] == ["foundations"] * 4 + ["depth"] * 5 + ["mocks"] * 4
    assert p["weeks"][0]["current"] and not p["weeks"][1]["current"]
    week1 = {i["kind"]: i for i in p["weeks"][0]["checklist"]}
    assert set(week1) == {"sessions", "days", "topic", "habit"}
    assert week1["topic"]["topic"] == "fundamentals" and p["weeks"][1]["checklist"][2]["topic"] == "ml_coding"
    assert week1["sessions"]["done"] is False and week1["habit"]["done"] is None
    assert "real-mode" in p["weeks"][10]["checklist"][0]["text"]


def test_plan_checklist_comes_from_weak_topics_and_ticks_from_history(store, clock):
    bank = _bank("q-bias", "q-design", "q-star")
    for n in range(4):  # four study sessions this week, on four days
        clock.set_day(day(n))
        sid = store.begin_session(format="mixed", mode="study", settings={})
        record(store, sid, "q-bias", overall=35 + n, covered=["k1"], missed=["k2"])
        record(store, sid, "q-design", overall=88, covered=["d1", "d2"], missed=[], index=1)
        record(store, sid, "q-star", overall=20, covered=[], missed=["s1"], index=2)
        store.finish_session(sid, {})
    p = plan(D0, store, bank)
    assert p["weak_topics"][0]["topic"] == "behavioral"
    assert "bias-variance" in {t["topic"] for t in p["phases"][0]["weak_topics"]}
    week1 = {i["kind"]: i for i in p["weeks"][0]["checklist"]}
    assert week1["sessions"]["progress"] == 4 and week1["sessions"]["done"] is True
    assert week1["days"]["progress"] == 4 and week1["days"]["done"] is False
    assert week1["topic"]["topic"] in ("bias-variance", "generalization", "fundamentals")
    assert week1["topic"]["progress"] == 4 and week1["topic"]["done"] is True
    assert week1["key_point"]["key_point_id"] == "k2" and "label of k2" in week1["key_point"]["text"]
    assert week1["key_point"]["done"] is False
    mocks = {i["kind"]: i for i in p["weeks"][9]["checklist"]}
    assert mocks["topic"]["topic"] == "behavioral"  # the weakest topic, only practised in the mocks phase
    assert {w["checklist"][3]["key_point_id"] for w in p["weeks"][9:11]} == {"k2", "s1"}  # rotating weak points
    assert mocks["sessions"]["progress"] == 0  # a future week
