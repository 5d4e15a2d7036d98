"""Shared bits for the store and practice tests: a clock the test moves, answers, audio."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np

QUESTIONS = {
    "q-bias": {"id": "q-bias", "category": "fundamentals", "prompt": "Explain the bias-variance trade-off.",
               "tags": ["bias-variance", "generalization"]},
    "q-design": {"id": "q-design", "category": "system_design", "prompt": "Design a feed ranking system.",
                 "tags": ["ranking"]},
    "q-star": {"id": "q-star", "category": "behavioral", "prompt": "Tell me about a conflict.", "tags": []},
    "q-extra": {"id": "q-extra", "category": "fundamentals", "prompt": "What is dropout?", "tags": []},
    "q-other": {"id": "q-other", "category": "ml_coding", "prompt": "Write k-means.", "tags": ["clustering"]},
}


class Clock:
    """A local, timezone-aware 'now' that tests move by hand (no sleeping)."""

    def __init__(self, start: date = date(2025, 3, 3)) -> None:
        self.now = datetime.combine(start, time(9, 0)).astimezone()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw) -> None:
        self.now += timedelta(**kw)

    def set_day(self, day: date) -> None:
        self.now = datetime.combine(day, time(9, 0)).astimezone()


def analysis(overall: float | None, covered=(), missed=()) -> dict:
    return {"scores": {"clarity": 70.0, "pacing": 65.0, "depth": overall, "structure": 60.0, "overall": overall},
            "key_points": {"covered": list(covered), "missed": list(missed)}, "feedback": ["a note"]}


def turn(kind: str = "answer", index: int = 0, targets=None) -> dict:
    return {"kind": kind, "index": index, "follow_up_of": index if kind == "follow_up" else None,
            "targets": targets, "interviewer_text": "Tell me more?" if kind == "follow_up" else None,
            "source": "rubric"}


def tone(seconds: float, start_sample: int = 0, rate: int = 16000) -> np.ndarray:
    """Deterministic float32 audio: sample i has a value computable from i alone."""
    i = np.arange(start_sample, start_sample + int(seconds * rate))
    return (((i % 2000) / 2000.0 - 0.5) * 0.8).astype(np.float32)


def expected_pcm(n_samples: int) -> np.ndarray:
    return (np.clip(tone(n_samples / 16000.0), -1, 1) * 32767.0).astype("<i2")


def record(store, sid, qid="q-bias", overall=72.0, covered=("k1",), missed=("k2",), kind="answer", index=0,
           targets=None, audio_s: float | None = None) -> int:
    path = None
    if audio_s:
        writer = store.audio_writer(sid, f"{qid}-{kind}-{index}")
        writer.write(tone(audio_s))
        path = writer.close()
    return store.record_answer(sid, QUESTIONS[qid], turn(kind, index, targets),
                               {"text": f"my answer to {qid} about variance", "duration_s": audio_s or 0},
                               analysis(overall, covered, missed), path, {"answer_s": 42.0})
