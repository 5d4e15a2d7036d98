"""One call from the demo, the engine and the CLI into the answer analysis."""

from __future__ import annotations

import numpy as np

from .bank import Question
from .transcript import Transcript


def score_answer(question: Question, transcript: Transcript, audio: np.ndarray | None = None,
                 audience: str = "interviewer") -> dict:
    from .analysis import analyze

    return analyze(question, transcript, audio, audience=audience).to_dict()

