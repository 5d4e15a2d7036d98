"""Answer analysis: explainable scores for clarity, pacing, technical depth and structure.

    analyze(question, transcript, audio=None, *, target_seconds=None, audience="interviewer") -> AnswerAnalysis
    score_file(input_path, question_file_path, transcriber=None) -> dict
    assess_follow_up(question, target_kp_id, analysis) -> dict
    summarize_session(results) -> dict
    bench_analysis() -> dict

Python and numpy, plus one small sentence-embedding model run by ONNX Runtime (embed.py)
to recognise key points said in other words; no network, no Qt. Analysing a transcribed
10-minute answer takes a few tens of milliseconds once its sentences are embedded, and about
a second when none is yet (see bench_analysis).
"""

from .bench import bench_analysis
from .followup import assess_follow_up, summarize_session
from .report import AnswerAnalysis, analyze
from .score import score_file, stt_prompt, transcribe_answer
from .text import transcript_from_text

__all__ = [
    "AnswerAnalysis",
    "analyze",
    "assess_follow_up",
    "bench_analysis",
    "score_file",
    "stt_prompt",
    "summarize_session",
    "transcribe_answer",
    "transcript_from_text",
]
