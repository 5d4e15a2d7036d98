"""Answer analysis: explainable scores for clarity, pacing, technical depth and structure.

    analyze(question, transcript, audio=None, *, target_seconds=None, audience="interviewer",
            follow_up_on=None) -> AnswerAnalysis
    score_answer(question, transcript, audio=None, audience=..., follow_up_on=None) -> dict (JSON-ready)
    assess_follow_up(question, target_kp_id, analysis) -> dict
    summarize_session(results) -> dict

Python and numpy, plus one small sentence-embedding model run by ONNX Runtime (embed.py)
to recognise key points said in other words; no network, no Qt. Analysing a transcribed
10-minute answer takes a few tens of milliseconds once its sentences are embedded, and about
a second when none is yet (`interviewer bench analysis`, tools/analysis_bench.py).
"""

from .followup import assess_follow_up, covered_earlier, summarize_session
from .report import AnswerAnalysis, analyze
from .text import transcript_from_text

__all__ = [
    "AnswerAnalysis",
    "analyze",
    "assess_follow_up",
    "covered_earlier",
    "score_answer",
    "summarize_session",
    "transcript_from_text",
]


def score_answer(question, transcript, audio=None, audience: str = "interviewer", follow_up_on: str | None = None,
                 probe: bool = False) -> dict:
    """The analysis of one answer as plain data: what the engine, the demo and the CLI store.
    `follow_up_on`: the key point a follow-up asked about, when this answers one; `probe`:
    that follow-up went deeper on a point already covered."""
    return analyze(question, transcript, audio, audience=audience, follow_up_on=follow_up_on, probe=probe).to_dict()
