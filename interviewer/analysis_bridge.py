"""One call from the demo, the engine and the CLI into the answer analysis."""

from __future__ import annotations

import numpy as np

from .bank import Question
from .transcript import Transcript


def score_answer(question: Question, transcript: Transcript, audio: np.ndarray | None = None) -> dict:
    try:
        from .analysis import analyze
    except ImportError:
        return _provisional(question, transcript)
    return analyze(question, transcript, audio).to_dict()


def _provisional(question: Question, transcript: Transcript) -> dict:
    """Cue coverage only, until the analysis package lands (Step 3)."""
    from .textutil import content_stems, phrase_in

    stems = set(content_stems(transcript.text))
    covered = [kp.id for kp in question.key_points if any(phrase_in(c, stems) for c in kp.cues)]
    missed = [kp.id for kp in question.key_points if kp.id not in covered]
    depth = round(100 * len(covered) / max(1, len(question.key_points)))
    return {
        "transcript": transcript.text,
        "key_points": {"covered": covered, "missed": missed},
        "scores": {"clarity": None, "pacing": None, "depth": depth, "structure": None, "overall": depth},
        "feedback": [f"Missed: {question.key_point(k).label}" for k in missed],
        "provisional": True,
    }
